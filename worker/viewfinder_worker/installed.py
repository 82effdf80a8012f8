"""Models the user installed with `viewfinder models install`: used automatically when present."""
import sys

from .captioner import Captioner
from .clip import Clip
from .model_identity import folder_identity
from .paths import installed_models


class InstalledModels:
    def __init__(self, folder=None, text_only=False):
        """text_only: only what embeds query words (CLIP's text encoder), for a worker that serves searches."""
        folder = folder or installed_models()
        self.clips, self.captioners, self.identities = [], [], []
        kinds = [("clip", Clip, self.clips)] + ([] if text_only else [("captioner", Captioner, self.captioners)])
        for kind, opener, loaded in kinds:
            for model in sorted((folder / kind).glob("*")) if (folder / kind).is_dir() else []:
                if (model / ".complete").exists():
                    try:
                        opened = opener(model, text_only) if kind == "clip" else opener(model)
                        named = folder_identity(opened.name, model)
                        loaded.append(opened)
                        self.identities.append(named)
                    except Exception as error:  # a broken install must not stop the bundled models
                        print("viewfinder-worker: ignoring %s: %s" % (model, error), file=sys.stderr)

    def caption(self, picture):
        return self.captioners[0].caption(picture) if self.captioners else None

    def image_vectors(self, picture):
        return {clip.name: clip.embed_image(picture).tolist() for clip in self.clips}

    def text_vectors(self, texts):
        return {clip.name: [v.tolist() for v in clip.embed_texts(texts)] for clip in self.clips}
