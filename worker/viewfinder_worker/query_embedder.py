"""The worker for search queries alone (`--embed-only`): the sentence model and the text side of installed CLIP
models, none of the photo models, so a server waiting for queries holds a fraction of the memory."""
from .installed import InstalledModels
from .model_identity import identity
from .paths import bundled_models
from .sentences import SentenceEmbedder

SENTENCE_FILES = ["sentence.onnx", "sentence-tokenizer.json"]


class QueryEmbedder:
    def __init__(self):
        folder = bundled_models()
        if not (folder / SENTENCE_FILES[0]).exists():
            raise FileNotFoundError("bundled models are missing from %s: run scripts/setup.sh" % folder)
        self.sentences = SentenceEmbedder(folder)
        self.installed = InstalledModels(text_only=True)
        self.identities = [identity(SentenceEmbedder.name, folder, SENTENCE_FILES)] + self.installed.identities

    def models(self):
        return self.identities

    def describe_all(self, requests):
        raise RuntimeError("this worker embeds search queries only (--embed-only); start one without it to describe")

    describe = describe_all

    def embed_query(self, texts):
        vectors = {SentenceEmbedder.name: [v.tolist() for v in self.sentences.embed(texts)]}
        vectors.update(self.installed.text_vectors(texts))
        return vectors
