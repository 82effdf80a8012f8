"""A neural captioner exported as an encoder-decoder ONNX pair (the Hugging Face layout: encoder_model.onnx,
decoder_model.onnx, tokenizer.json, config.json, preprocessor_config.json), decoded greedily."""
import json

import numpy as np
from tokenizers import Tokenizer

from .onnx_session import open_session


class Captioner:
    def __init__(self, folder, max_tokens=20):
        self.name = "captioner:" + folder.name
        self.encoder = open_session(folder / "encoder_model.onnx")
        self.decoder = open_session(folder / "decoder_model.onnx")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = json.loads((folder / "config.json").read_text())
        pixels = json.loads((folder / "preprocessor_config.json").read_text())
        self.start = config.get("decoder_start_token_id", config.get("bos_token_id", 0))
        self.end = config.get("eos_token_id", self.start)
        size = pixels.get("size", 224)
        self.size = size.get("height", 224) if isinstance(size, dict) else int(size)
        self.mean = np.array(pixels.get("image_mean", [0.5, 0.5, 0.5]), dtype=np.float32)
        self.std = np.array(pixels.get("image_std", [0.5, 0.5, 0.5]), dtype=np.float32)
        self.decoder_inputs = {i.name for i in self.decoder.get_inputs()}
        self.max_tokens = max_tokens

    def caption(self, picture):
        square = picture.resized(self.size, self.size).astype(np.float32) / 255
        tensor = ((square - self.mean) / self.std).transpose(2, 0, 1)[np.newaxis]
        states = self.encoder.run(None, {self.encoder.get_inputs()[0].name: tensor})[0]
        tokens = [self.start]
        for _ in range(self.max_tokens):
            feed = {"input_ids": np.array([tokens], dtype=np.int64), "encoder_hidden_states": states}
            if "encoder_attention_mask" in self.decoder_inputs:
                feed["encoder_attention_mask"] = np.ones(states.shape[:2], dtype=np.int64)
            logits = self.decoder.run(None, feed)[0]
            following = int(np.argmax(logits[0, -1]))
            if following == self.end:
                break
            tokens.append(following)
        return self.tokenizer.decode(tokens[1:]).strip() or None
