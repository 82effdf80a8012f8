"""Face descriptors on the people corpus: the bundled ONNX against dlib's own output, one person's photos closer
than the same-person distance and two people's farther, group photos, quality, and a worker without the model."""
import os
import tempfile
import unittest
from pathlib import Path

import cv2
import numpy as np

from viewfinder_worker import faces
from viewfinder_worker.paths import bundled_models
from viewfinder_worker.picture import Picture

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared" / "corpus")) / "people"
MODELS = bundled_models()


def people_picture(name, scale=1.0):
    """The photo at 640 px as the indexer sends it, shrunk further by scale."""
    path = PEOPLE / name
    if not path.exists():
        raise unittest.SkipTest("people corpus photo %s absent (set VIEWFINDER_CORPUS)" % path)
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    side = 640 * scale / max(bgr.shape[:2])
    bgr = cv2.resize(bgr, (round(bgr.shape[1] * side), round(bgr.shape[0] * side)), interpolation=cv2.INTER_AREA)
    return Picture(np.ascontiguousarray(bgr[:, :, ::-1]))


def require_model():
    if not (MODELS / faces.MODEL_FILE).exists():
        raise unittest.SkipTest("%s absent: run scripts/setup-worker.sh" % (MODELS / faces.MODEL_FILE))


class FaceDescriptorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_model()
        from viewfinder_worker.detector import face_detector
        cls.detector = face_detector(MODELS)
        cls.descriptors = faces.FaceDescriber(MODELS)

    def faces_of(self, picture):
        found = self.detector.detect(picture)
        self.descriptors.describe([(picture, found)])
        return found

    def descriptor(self, name):
        largest = max(self.faces_of(people_picture(name)), key=lambda f: f["w"] * f["h"])
        return np.array(largest["descriptor"])

    def test_the_onnx_export_gives_dlibs_descriptors(self):
        check = MODELS / "face_descriptor.check.npz"
        if not check.exists():
            self.skipTest("%s absent: run scripts/setup-worker.sh" % check)
        reference = np.load(check)
        found = self.descriptors.session.run(None, {"chips": reference["chips"].astype(np.float32)})[0]
        self.assertLessEqual(float(np.abs(found - reference["descriptors"]).max()), 1e-3)

    def test_two_photos_of_one_person_are_within_the_same_person_distance(self):
        for first, second in (("obama-1.jpg", "obama-5.jpg"), ("rose_leslie-1.jpg", "rose_leslie-2.jpg")):
            distance = np.linalg.norm(self.descriptor(first) - self.descriptor(second))
            self.assertLess(distance, faces.SAME_PERSON, (first, second))

    def test_two_people_are_farther_than_the_same_person_distance(self):
        for first, second in (("obama-1.jpg", "biden-2.jpg"), ("kit_harington-3.jpg", "rose_leslie-1.jpg"),
                              ("lin_manuel_miranda-1.png", "alex_lacamoire-1.jpg")):
            distance = np.linalg.norm(self.descriptor(first) - self.descriptor(second))
            self.assertGreater(distance, faces.SAME_PERSON, (first, second))

    def test_each_face_of_a_group_photo_is_its_own_person(self):
        group = [np.array(f["descriptor"]) for f in self.faces_of(people_picture("group-kit_harington-rose_leslie.jpg"))]
        self.assertEqual(len(group), 2)
        for name in ("kit_harington-3.jpg", "rose_leslie-1.jpg"):
            alone = self.descriptor(name)
            self.assertEqual(sum(np.linalg.norm(face - alone) < faces.SAME_PERSON for face in group), 1, name)

    def test_a_tiny_face_is_kept_with_a_low_quality(self):
        sharp = self.faces_of(people_picture("obama-1.jpg"))[0]["quality"]
        tiny = self.faces_of(people_picture("obama-1.jpg", scale=0.15))
        self.assertEqual(len(tiny), 1)
        self.assertGreaterEqual(sharp, faces.FORMS_PEOPLE)
        self.assertLess(tiny[0]["quality"], faces.FORMS_PEOPLE)
        self.assertEqual(len(tiny[0]["descriptor"]), 128)

    def test_a_blurred_face_has_a_lower_quality(self):
        picture = people_picture("rose_leslie-1.jpg")
        blurred = Picture(cv2.GaussianBlur(picture.rgb, (0, 0), 3))
        self.assertLess(self.faces_of(blurred)[0]["quality"], faces.FORMS_PEOPLE)
        self.assertGreaterEqual(self.faces_of(picture)[0]["quality"], faces.FORMS_PEOPLE)


class DescribedFacesTests(unittest.TestCase):
    """What the worker answers: each face a box and score, with a descriptor and quality when the model is there."""

    def test_a_group_photo_gives_each_face_a_descriptor(self):
        require_model()
        from viewfinder_worker.describer import Describer
        describer = Describer(read_text=False)
        # A batch, as the indexer sends: the faces of both photos are described together.
        group, alone = describer.describe_all([(people_picture("group-obama-biden.jpg"), None, None, None, False),
                                               (people_picture("obama-1.jpg"), None, None, None, False)])
        self.assertEqual(len(group["faces"]), 2)
        for face in group["faces"] + alone["faces"]:
            self.assertEqual(set(face), {"x", "y", "w", "h", "score", "descriptor", "quality"})
            self.assertEqual(len(face["descriptor"]), 128)
            self.assertTrue(0 <= face["quality"] <= 1)
        obama = np.array(alone["faces"][0]["descriptor"])
        close = [np.linalg.norm(np.array(face["descriptor"]) - obama) < faces.SAME_PERSON for face in group["faces"]]
        self.assertEqual(sum(close), 1)
        self.assertIn("dlib-face-resnet@", " ".join(describer.models()))

    def test_without_the_model_faces_have_boxes_alone(self):
        with tempfile.TemporaryDirectory() as folder:
            for path in MODELS.iterdir():
                if path.name != faces.MODEL_FILE:
                    os.symlink(path, Path(folder) / path.name)
            previous = os.environ.get("VIEWFINDER_BUNDLED_MODELS")
            os.environ["VIEWFINDER_BUNDLED_MODELS"] = folder
            try:
                from viewfinder_worker.describer import Describer
                describer = Describer(read_text=False)
            finally:
                if previous is None:
                    del os.environ["VIEWFINDER_BUNDLED_MODELS"]
                else:
                    os.environ["VIEWFINDER_BUNDLED_MODELS"] = previous
            found = describer.describe(people_picture("obama-1.jpg"), read_text=False)["faces"]
        self.assertEqual(len(found), 1)
        self.assertEqual(set(found[0]), {"x", "y", "w", "h", "score"})
        self.assertNotIn("dlib-face-resnet", " ".join(describer.models()))


if __name__ == "__main__":
    unittest.main()
