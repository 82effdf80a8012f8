"""Everything the worker says about one photo: labels with scores, caption, text, faces, place and vectors."""
import os
import time
from pathlib import Path

from . import scene, signals
from .caption import compose
from .classifier import Classifier, named, word_scores
from .detector import face_detector
from .faces import MODEL_FILE as FACE_MODEL_FILE, FaceDescriber
from .installed import InstalledModels
from .model_identity import identity
from .object_words import people, thing_labels
from .objects import MODEL_FILE, ObjectDetector
from .paths import bundled_models
from .places import PlaceNamer, cities_table
from .sentences import SentenceEmbedder
from .text_reader import TextReader

# A face this sure needs no person box around it to count.
SURE_FACE = 0.8
# A face this tall (a fraction of the picture's height) is a subject of the photo, not one of a crowd.
CLOSE_FACE = 0.2
# Two colours covering this much of a picture make it a silhouette or a blank: over the corpus, only graphics,
# blank frames and a star field reached it, while photos of things stay under 0.9.
FLAT_PICTURE = 0.9

# The worker's modules that turn the models' outputs into labels and captions: a change to one re-describes photos
# (the protocol, HTTP and install code do not).
LABEL_CODE = ["describer.py", "caption.py", "classifier.py", "vocabulary.py", "scene.py", "signals.py", "objects.py",
              "object_words.py", "detector.py", "faces.py", "boxes.py", "picture.py", "places.py", "countries.py", "text_reader.py",
              "sentences.py"]
# The files each bundled model loads from the export: what its identity is hashed over.
BUNDLED_FILES = [("efficientnet-lite0", ["classifier.onnx", "imagenet-words.json"]),
                 ("blazeface-full-range", ["face_detection_full_range_sparse.tflite"]),
                 ("yolo11n", [MODEL_FILE]),
                 (SentenceEmbedder.name, ["sentence.onnx", "sentence-tokenizer.json"])]


class Describer:
    def __init__(self, read_text=True):
        folder = bundled_models()
        if not all((folder / name).exists() for name in ("classifier.onnx", MODEL_FILE)):
            raise FileNotFoundError("bundled models are missing from %s: run scripts/setup.sh" % folder)
        threads = int(os.environ.get("VIEWFINDER_WORKER_THREADS", "2"))
        self.classifier = Classifier(folder)
        self.faces = face_detector(folder)
        # A models/ exported before faces had descriptors still describes photos, with boxes alone.
        self.face_descriptors = FaceDescriber(folder) if (folder / FACE_MODEL_FILE).exists() else None
        self.objects = ObjectDetector(folder)
        self.text_reader = TextReader(threads) if read_text else None
        self.sentences = SentenceEmbedder(folder)
        self.places = PlaceNamer()
        self.installed = InstalledModels()
        table = cities_table()
        self.identities = [identity(name, folder, files) for name, files in BUNDLED_FILES]
        if self.face_descriptors:
            self.identities.append(identity("dlib-face-resnet", folder, [FACE_MODEL_FILE]))
        self.identities.append(identity("geonames-cities", os.path.dirname(table), [os.path.basename(table)]))
        # How labels are made from the models' outputs names the descriptions as much as the weights do.
        self.identities.append(identity("viewfinder-labels", Path(__file__).parent, LABEL_CODE))

    def models(self):
        """Identities (`name@hash`) of the weights that describe, and switches (no `@`) that say what is on."""
        switches = ["pp-ocr"] if self.text_reader else []
        return self.identities + switches + self.installed.identities

    def describe_all(self, requests):
        """Descriptions of several pictures: [(picture, taken, latitude, longitude, read_text)]; the classifier
        sees them together."""
        started = time.perf_counter()
        classes = self.classifier.classify([request[0] for request in requests])
        share = (time.perf_counter() - started) / max(1, len(requests))
        waiting_faces = []
        results = [self.describe(*request, classes=found, classify_seconds=share, waiting_faces=waiting_faces)
                   for request, found in zip(requests, classes)]
        self.describe_faces(waiting_faces)
        return results

    def describe_faces(self, waiting):
        """Descriptors for the faces of several photos, [(picture, faces, timings)], in one run of the model;
        then the detector's key points go: they served alignment, the protocol has boxes."""
        started = time.perf_counter()
        if self.face_descriptors:
            self.face_descriptors.describe([(picture, faces) for picture, faces, _ in waiting])
        share = (time.perf_counter() - started) / max(1, len(waiting))
        for _, faces, timings in waiting:
            if self.face_descriptors and faces:
                timings["face_descriptors"] = share
            for face in faces:
                del face["points"]

    def describe(self, picture, taken=None, latitude=None, longitude=None, read_text=True, classes=None,
                 classify_seconds=None, waiting_faces=None):
        """One photo's description; with waiting_faces (a list), its faces are left there for describe_faces,
        to be described with other photos' faces."""
        timings = {}
        started = time.perf_counter()
        if classes is None:
            classes = self.classifier.classify([picture])[0]
        timings["classify"] = classify_seconds if classify_seconds is not None else time.perf_counter() - started
        started = time.perf_counter()
        faces = self.faces.detect(picture)
        timings["faces"] = time.perf_counter() - started
        started = time.perf_counter()
        # Detectors trained on photos see people and things in any upright blob of a two-colour picture (a
        # horse's silhouette was a person at 0.80): such a picture is a graphic, not a scene.
        found = self.objects.detect(picture) if picture.two_colour_share() < FLAT_PICTURE else []
        faces = confirmed(faces, found)
        persons = people(found)
        timings["objects"] = time.perf_counter() - started
        if waiting_faces is None:
            self.describe_faces([(picture, faces, timings)])
        else:
            waiting_faces.append((picture, faces, timings))
        text_lines = []
        if self.text_reader and read_text:
            started = time.perf_counter()
            text_lines = self.text_reader.read(picture)
            timings["text"] = time.perf_counter() - started
        place = self.places.name(latitude, longitude)
        time_labels = signals.time_labels(taken, picture)
        labels = LabelSet()
        for word, score in word_scores(classes):
            labels.add(word, score)
        for name, score in people_labels(faces, persons) + thing_labels(found):
            labels.add(name, score)
        backdrop = any(face["h"] >= 0.2 for face in faces)
        for name, score in (signals.colour_labels(picture) + signals.shape_labels(picture.width, picture.height)
                            + scene.labels(picture, backdrop) + time_labels):
            labels.add(name, score)
        if text_lines:
            labels.add("text", 0.8)
        if place:
            for key in ("city", "region", "country"):
                if place.get(key):
                    labels.add(place[key], 1.0)
        neural_caption = self.installed.caption(picture)
        caption = compose(named(classes), faces, text_lines, place, taken, time_labels, neural_caption, len(persons))
        description = " ".join([caption] + [l["name"] for l in labels.ranked()[:12]] + text_lines)
        # A second vector of the labels alone: a one-word query is closer to a list of words than to a sentence.
        words = ", ".join(l["name"] for l in labels.ranked()[:20] if l["score"] >= 0.2)
        description_vector, words_vector = self.sentences.embed([description, words or caption])
        vectors = {SentenceEmbedder.name: description_vector.tolist(), SentenceEmbedder.name + ":labels": words_vector.tolist()}
        vectors.update(self.installed.image_vectors(picture))
        return {"labels": labels.ranked(), "caption": caption, "text": "\n".join(text_lines), "faces": faces,
                "place": place, "vectors": vectors, "timings": timings}

    def embed_query(self, texts):
        vectors = {SentenceEmbedder.name: [v.tolist() for v in self.sentences.embed(texts)]}
        vectors.update(self.installed.text_vectors(texts))
        return vectors


def confirmed(faces, found):
    """Faces the detector is sure of, or that sit inside a person the object detector saw: on the corpus every
    real face below 0.8 had a person box around it, and the two that had none were a logo and a pattern."""
    persons = people(found)
    return [face for face in faces if face["score"] >= SURE_FACE or any(inside(face, box) for box in persons)]


def inside(face, box):
    centre_x, centre_y = face["x"] + face["w"] / 2, face["y"] + face["h"] / 2
    return box["x"] <= centre_x <= box["x"] + box["w"] and box["y"] <= centre_y <= box["y"] + box["h"]


def people_labels(faces, persons):
    """Faces and the object detector's person boxes (people whose faces are small or turned away) count the
    people; one is a person, more are people, as photos are described in words."""
    count = max(len(faces), len(persons))
    if count == 0:
        return []
    best = max(box["score"] for box in faces + persons)
    labels = [("person" if count == 1 else "people", best)]
    # A face is what the photo shows only when it is large: the faces of a wedding group are not.
    close = [face for face in faces if face["h"] >= CLOSE_FACE]
    if close:
        labels.append(("face", max(face["score"] for face in close)))
    if len(faces) == 1 and close:
        labels.append(("portrait", best))
    if count >= 3:
        labels.append(("group", best))
    return labels


class LabelSet:
    """Labels by name, each keeping its best score."""

    def __init__(self):
        self.scores = {}

    def add(self, name, score):
        key = name.lower()
        if score > self.scores.get(key, (0, name))[0]:
            self.scores[key] = (score, name)

    def ranked(self):
        return [{"name": name, "score": round(score, 3)}
                for score, name in sorted(self.scores.values(), key=lambda s: -s[0])]
