"""A CLIP image and text encoder pair in the layout Immich publishes: visual/model.onnx,
textual/model.onnx and textual/tokenizer.json, with visual/preprocess_cfg.json for the pixels."""
import json

import numpy as np
from tokenizers import Tokenizer

from .onnx_session import open_session


class Clip:
    def __init__(self, folder, text_only=False):
        """text_only: the text encoder alone, for a worker that only embeds search queries."""
        self.name = "clip:" + folder.name
        self.textual = open_session(folder / "textual" / "model.onnx")
        if not text_only:
            self.visual = open_session(folder / "visual" / "model.onnx")
            settings = {}
            if (folder / "visual" / "preprocess_cfg.json").exists():
                settings = json.loads((folder / "visual" / "preprocess_cfg.json").read_text())
            size = settings.get("size", self.visual.get_inputs()[0].shape[-1])
            self.size = size[0] if isinstance(size, list) else int(size)
            self.mean = np.array(settings.get("mean", [0.48145466, 0.4578275, 0.40821073]), dtype=np.float32)
            self.std = np.array(settings.get("std", [0.26862954, 0.26130258, 0.27577711]), dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(folder / "textual" / "tokenizer.json"))
        text_input = self.textual.get_inputs()[0]
        self.context = text_input.shape[-1] if isinstance(text_input.shape[-1], int) else 77
        self.text_type = np.int32 if "int32" in text_input.type else np.int64

    def embed_image(self, picture):
        crop = picture.centre_crop(self.size, self.size).astype(np.float32) / 255
        tensor = ((crop - self.mean) / self.std).transpose(2, 0, 1)[np.newaxis]
        vector = self.visual.run(None, {self.visual.get_inputs()[0].name: tensor})[0][0]
        return vector / np.linalg.norm(vector)

    def embed_texts(self, texts):
        vectors = []
        for text in texts:
            ids = self.tokenizer.encode(text).ids[:self.context]
            tokens = np.zeros((1, self.context), dtype=self.text_type)
            tokens[0, :len(ids)] = ids
            vector = self.textual.run(None, {self.textual.get_inputs()[0].name: tokens})[0][0]
            vectors.append(vector / np.linalg.norm(vector))
        return vectors
