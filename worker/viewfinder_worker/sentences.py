"""all-MiniLM-L6-v2 sentence embeddings (exported to ONNX at set-up), for matching queries against what a photo
is described as."""
import numpy as np
from tokenizers import Tokenizer

from .onnx_session import open_session


class SentenceEmbedder:
    name = "all-MiniLM-L6-v2"

    def __init__(self, folder, max_tokens=128):
        self.session = open_session(folder / "sentence.onnx")
        self.tokenizer = Tokenizer.from_file(str(folder / "sentence-tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding()

    def embed(self, texts):
        """Unit-length float32 vectors, one per text (mean of the token states, as the model was trained)."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        states = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, np.newaxis].astype(np.float32)
        vectors = (states * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
