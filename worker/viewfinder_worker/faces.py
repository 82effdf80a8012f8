"""Whose face: a 150x150 chip aligned from BlazeFace's key points the way dlib's get_face_chip_details and
extract_image_chip cut one (padding 0.25), dlib's ResNet descriptor of it (exported to ONNX at set-up), and a
quality score that says whether the face is fit to form people with."""
import cv2
import numpy as np

from .onnx_session import open_session

MODEL_FILE = "face_descriptor.onnx"
CHIP = 150
# Measured on the people corpus (bench/faces.py, BENCHMARKS.md "Faces"), for the catalogue that forms people: two
# faces in different photos this close (Euclidean) are one person; faces below this quality do not form people.
SAME_PERSON = 0.6
FORMS_PEOPLE = 0.4
# Where BlazeFace's right eye, left eye, nose tip and mouth fall in a chip dlib aligns from its 5-point landmarks
# with padding 0.25 (fractions of the chip): the mean over the people corpus's one-person photos (bench/faces.py
# --landmarks prints it).
CHIP_POINTS = np.array([[0.3102, 0.3069], [0.6788, 0.3123], [0.5049, 0.5193], [0.4975, 0.7041]])
# Full marks for size and sharpness: the corpus's one-person photos at 640 px have eyes 27-111 px apart and a
# chip Laplacian spread of 7-49; bench/faces.py shrinks and blurs them to show the descriptor drifting as the
# score falls (median drift 0.18 at quality 0.4-0.6, 0.34 below 0.4).
FULL_EYE_DISTANCE = 40
SHARP_LAPLACIAN = 12.0


def similarity(source, target):
    """The least-squares rotation, uniform scale and shift taking source points to target (Umeyama), 2x3."""
    source_mean, target_mean = source.mean(0), target.mean(0)
    s, t = source - source_mean, target - target_mean
    covariance = t.T @ s / len(source)
    u, singular, vt = np.linalg.svd(covariance)
    flip = np.diag([1, np.sign(np.linalg.det(u @ vt))])
    rotation = u @ flip @ vt
    scale = np.trace(np.diag(singular) @ flip) / (s ** 2).sum(1).mean()
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = target_mean - scale * rotation @ source_mean
    return matrix


def face_chip(rgb, points):
    """The aligned chip from the face's key points in pixels. A chip much smaller than its region is cut from
    a shrunk picture (area average), as extract_image_chip goes down an image pyramid instead of aliasing."""
    to_picture = similarity(CHIP_POINTS * CHIP, points[:len(CHIP_POINTS)])
    pixels_per_chip_pixel = np.hypot(*to_picture[:, 0])
    if pixels_per_chip_pixel > 1.5:
        shrink = 1 / pixels_per_chip_pixel
        height, width = rgb.shape[:2]
        rgb = cv2.resize(rgb, (max(1, round(width * shrink)), max(1, round(height * shrink))), interpolation=cv2.INTER_AREA)
        to_picture = to_picture * [[rgb.shape[1] / width], [rgb.shape[0] / height]]
    return cv2.warpAffine(rgb, to_picture, (CHIP, CHIP), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def frontalness(points):
    """1 for a face looking at the camera, falling to 0 as it turns: the nose tip's sideways offset from the
    middle of the eyes, in eye distances (about 0.5 in profile)."""
    right_eye, left_eye, nose = points[0], points[1], points[2]
    across = left_eye - right_eye
    eye_distance = np.linalg.norm(across)
    if eye_distance == 0:
        return 0.0
    offset = abs(np.dot(nose - (right_eye + left_eye) / 2, across / eye_distance)) / eye_distance
    return float(np.clip(1 - offset / 0.5, 0, 1))


def sharpness(chip):
    """The chip's detail: the spread of its Laplacian, as a fraction of what a sharp face chip shows."""
    grey = cv2.cvtColor(chip, cv2.COLOR_RGB2GRAY)
    return float(np.clip(cv2.Laplacian(grey, cv2.CV_32F).std() / SHARP_LAPLACIAN, 0, 1))


def quality(points, score, chip):
    """0..1, the weakest of: how large (eye distance in pixels), how sure the detector was, how frontal, how
    sharp. A face is kept whatever its quality; a low one only does not form people."""
    eye_distance = float(np.linalg.norm(points[1] - points[0]))
    size = np.clip(eye_distance / FULL_EYE_DISTANCE, 0, 1)
    sure = np.clip((score - 0.5) / 0.4, 0, 1)
    return round(float(min(size, sure, frontalness(points), sharpness(chip))), 3)


# Chips run through the model together: a batch costs less per face, and this many keep its tensors small.
BATCH = 16


class FaceDescriber:
    def __init__(self, folder):
        self.session = open_session(folder / MODEL_FILE)

    def describe(self, pictures_and_faces):
        """Adds `descriptor` (128 numbers) and `quality` to each face of [(picture, faces)], the faces of all the
        pictures described together."""
        found = []
        for picture, faces in pictures_and_faces:
            size = np.array([picture.width, picture.height])
            for face in faces:
                points = np.array(face["points"]) * size
                found.append((face, points, face_chip(picture.rgb, points)))
        for start in range(0, len(found), BATCH):
            batch = found[start:start + BATCH]
            chips = np.stack([chip for _, _, chip in batch]).astype(np.float32)
            for (face, points, chip), descriptor in zip(batch, self.session.run(None, {"chips": chips})[0]):
                face["descriptor"] = [round(float(v), 4) for v in descriptor]
                face["quality"] = quality(points, face["score"], chip)
