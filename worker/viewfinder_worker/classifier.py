"""EfficientNet-Lite0 ImageNet classes, turned into the plain words people search for through WordNet."""
import json

import numpy as np

from .onnx_session import open_session
from .vocabulary import searchable

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32) * 255
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32) * 255


# The least probability that names a photo, for a class or for a word summed over its classes.
NAME_SCORE = 0.3


class Classifier:
    def __init__(self, folder, top=10, min_score=0.01):
        self.session = open_session(folder / "classifier.onnx")
        with open(folder / "imagenet-words.json") as words:
            self.classes = [searchable(entry) for entry in json.load(words)]
        self.top, self.min_score = top, min_score

    def classify(self, pictures):
        """For each picture, [(class entry, probability)] for the likeliest classes, unlikely ones too: a word
        is summed over its classes (see `word_scores`). Pictures go through the
        network four at a time: 5.7 ms a picture against 9.1 alone."""
        answers = []
        for start in range(0, len(pictures), 4):
            crops = [picture.centre_crop(256, 224).astype(np.float32) for picture in pictures[start:start + 4]]
            tensor = ((np.stack(crops) - MEAN) / STD).transpose(0, 3, 1, 2)
            for logits in self.session.run(None, {"image": np.ascontiguousarray(tensor)})[0]:
                probabilities = np.exp(logits - logits.max())
                probabilities /= probabilities.sum()
                best = np.argsort(probabilities)[::-1][:self.top]
                answers.append([(self.classes[i], float(probabilities[i])) for i in best if probabilities[i] >= self.min_score])
        return answers


def named(classes):
    """The classes likely enough to name the photo in its caption."""
    return [(entry, score) for entry, score in classes if score >= NAME_SCORE]


def word_scores(classes):
    """[(word, probability)] of the classes' searchable words, each summed over the classes that carry it (a
    limousine at 0.16, a sports car at 0.12 and a pickup at 0.08 make a car at 0.36), kept when it reaches
    NAME_SCORE."""
    sums = {}
    for entry, score in classes:
        for word in entry["words"]:
            sums[word] = sums.get(word, 0.0) + score
    return [(word, score) for word, score in sums.items() if score >= NAME_SCORE]
