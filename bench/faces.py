"""Face descriptors on the people corpus: how far apart one person's faces and different people's faces are, and
how well a DBSCAN-like rule over photos ("two faces in different photos within EPS join one person; transitive;
faces below quality Q do not form people") finds the people, at several EPS and Q. Also the cost: ms per face for
alignment and descriptor against the face detector's ms per photo, measured in the same run, and the RSS the
descriptor adds to the worker.

    .venv/bin/python bench/faces.py [--rounds 3]
    .venv/bin/python bench/faces.py --landmarks LANDMARKS_TOOL --shape-predictor shape_predictor_5_face_landmarks.dat
        also aligns with dlib's 5-point landmarks (bench/face_landmarks.cpp) and compares the two alignments, and
        prints where BlazeFace's key points fall in dlib's chip (faces.CHIP_POINTS)
Pictures are decoded to 640 px as the indexer sends them; faces are those the worker confirms.
"""
import argparse
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "worker"))
from viewfinder_worker import faces as face_module  # noqa: E402
from viewfinder_worker.describer import Describer  # noqa: E402
from viewfinder_worker.paths import bundled_models  # noqa: E402
from viewfinder_worker.picture import Picture  # noqa: E402

PEOPLE = Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared" / "corpus")) / "people"
# dlib's 5 canonical landmark positions (get_face_chip_details), before padding.
DLIB_POINTS = np.array([[0.8595674595992, 0.2134981538014], [0.6460604764104, 0.2289674387677],
                        [0.1205750620789, 0.2137274526848], [0.3340850613712, 0.2290642403242],
                        [0.4901123135679, 0.6277975316475]])
PADDING = 0.25
# The thresholds chosen from this bench's numbers, for the people the catalogue forms.
EPS, Q = face_module.SAME_PERSON, face_module.FORMS_PEOPLE


def load(path):
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    scale = 640 / max(bgr.shape[:2])
    if scale < 1:
        bgr = cv2.resize(bgr, (round(bgr.shape[1] * scale), round(bgr.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return Picture(np.ascontiguousarray(bgr[:, :, ::-1]))


def identities():
    """{photo: set of identities}."""
    photos = {}
    for line in (PEOPLE / "IDENTITIES.tsv").read_text().splitlines()[1:]:
        who, files = line.split("\t")
        for name in files.split():
            photos.setdefault(name, set()).add(who)
    return photos


def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def distances(descriptors):
    return np.linalg.norm(descriptors[:, None] - descriptors[None], axis=-1)


def solo_faces(found, photos):
    """(identity, descriptor) of the largest face in each photo of one person: who the face is, known."""
    known = []
    for name, faces in found.items():
        if len(photos[name]) == 1 and faces:
            largest = max(faces, key=lambda f: f["w"] * f["h"])
            known.append((next(iter(photos[name])), np.array(largest["descriptor"]), name))
    return known


def separation(known, label):
    same, different = [], []
    for (a, da, _), (b, db, _) in itertools.combinations(known, 2):
        (same if a == b else different).append(float(np.linalg.norm(da - db)))
    same, different = np.array(same), np.array(different)
    overlap = sum(int((different <= s).sum()) for s in same)
    print("%-22s same person: %d pairs, median %.3f, max %.3f | different: %d pairs, min %.3f, median %.3f | "
          "gap %.3f, misordered pairs %d" % (label, len(same), np.median(same), same.max(), len(different),
                                            different.min(), np.median(different), different.min() - same.max(), overlap))
    return same, different


def people_of(found, eps, q):
    """Faces -> person ids by the rule: faces of quality >= q in different photos within eps join
    (transitively); a weaker face joins the person of the nearest such face within eps. None: nobody."""
    faces = [(name, i, face) for name, photo_faces in found.items() for i, face in enumerate(photo_faces)]
    vectors = np.array([f["descriptor"] for _, _, f in faces])
    near = distances(vectors) <= eps
    core = [f["quality"] >= q for _, _, f in faces]
    parent = list(range(len(faces)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(faces)), 2):
        if core[i] and core[j] and near[i, j] and faces[i][0] != faces[j][0]:
            parent[root(i)] = root(j)
    groups = {}
    for i in range(len(faces)):
        if core[i]:
            groups.setdefault(root(i), set()).add(faces[i][0])
    # A person is a group seen in two photos or more; a lone face waits for a match.
    person = {i: root(i) for i in range(len(faces)) if core[i] and len(groups[root(i)]) >= 2}
    for i in range(len(faces)):
        if not core[i]:
            candidates = [(np.linalg.norm(vectors[i] - vectors[j]), j) for j in person if near[i, j]]
            if candidates:
                person[i] = person[min(candidates)[1]]
    return {(faces[i][0], faces[i][1]): p for i, p in person.items()}


def photo_pairs(found, photos, eps, q):
    assigned = people_of(found, eps, q)
    groups = {name: {p for (photo, _), p in assigned.items() if photo == name} for name in found}
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(found), 2):
        truth, said = bool(photos[a] & photos[b]), bool(groups[a] & groups[b])
        tp += truth and said
        fp += said and not truth
        fn += truth and not said
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, groups


def cost(describer, pictures, rounds):
    """ms per photo for the face detector and ms per face for alignment + descriptor, the same run: photo by photo,
    and in batches of 8 photos as the indexer sends them (the worker describes a batch's faces together)."""
    detect, alone, batched, face_count = [], 0.0, 0.0, 0
    for _ in range(rounds):
        for start in range(0, len(pictures), 8):
            batch = []
            for picture in pictures[start:start + 8]:
                started = time.perf_counter()
                faces = describer.faces.detect(picture)
                detect.append(time.perf_counter() - started)
                started = time.perf_counter()
                describer.face_descriptors.describe([(picture, faces)])
                alone += time.perf_counter() - started
                face_count += len(faces)
                batch.append((picture, faces))
            started = time.perf_counter()
            describer.face_descriptors.describe(batch)
            batched += time.perf_counter() - started
    print("cost over %d rounds of %d photos (%d threads): face detector %.1f ms/photo (median %.1f); alignment + "
          "descriptor %.1f ms/face photo by photo, %.1f ms/face in batches of 8 photos (%d faces)"
          % (rounds, len(pictures), int(os.environ.get("VIEWFINDER_WORKER_THREADS", "2")),
             1000 * sum(detect) / len(detect), 1000 * statistics.median(detect), 1000 * alone / face_count,
             1000 * batched / face_count, face_count))


def descriptor_rss(describer, picture):
    """What one descriptor session adds to a worker that has onnxruntime and its other models loaded already:
    a second one, loaded and run, measured as the process's RSS before and after."""
    before = rss_kib()
    second = face_module.FaceDescriber(bundled_models())
    second.describe([(picture, describer.faces.detect(picture))])
    print("face descriptor's RSS in the worker: +%.0f MiB (loaded and run once)" % ((rss_kib() - before) / 1024))


def degradation(describer, pictures, found, photos):
    """How quality follows harm: each solo face shrunk and blurred, its descriptor's distance from the clean one."""
    print("degraded solo faces: quality bucket -> distance from the clean descriptor (median, max, count)")
    rows = []
    for name, picture in pictures.items():
        if len(photos[name]) != 1 or not found[name]:
            continue
        clean = np.array(max(found[name], key=lambda f: f["w"] * f["h"])["descriptor"])
        for shrink, blur in itertools.product((1, 0.5, 0.35, 0.25, 0.18, 0.12), (0, 1.5, 3)):
            rgb = picture.rgb
            if blur:
                rgb = cv2.GaussianBlur(rgb, (0, 0), blur)
            if shrink < 1:
                rgb = cv2.resize(rgb, (max(1, round(picture.width * shrink)), max(1, round(picture.height * shrink))),
                                 interpolation=cv2.INTER_AREA)
            small = Picture(np.ascontiguousarray(rgb))
            faces = describer.faces.detect(small)
            if not faces:
                continue
            describer.face_descriptors.describe([(small, faces[:1])])
            rows.append((faces[0]["quality"], float(np.linalg.norm(np.array(faces[0]["descriptor"]) - clean))))
    for low, high in ((0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        bucket = [d for q, d in rows if low <= q < high]
        if bucket:
            print("  quality %.1f-%.1f: median %.3f, max %.3f, %d faces" % (low, min(high, 1), np.median(bucket),
                                                                             max(bucket), len(bucket)))


def dlib_alignment(tool, predictor, describer, pictures, found, photos):
    """Descriptors from chips aligned on dlib's 5-point landmarks, and where BlazeFace's points fall in them."""
    target = (PADDING + DLIB_POINTS) / (2 * PADDING + 1) * face_module.CHIP
    known, blaze_in_chip = [], []
    for name, picture in pictures.items():
        if len(photos[name]) != 1 or not found[name]:
            continue
        # The detector again: the worker's answer has no key points.
        face = max(describer.faces.detect(picture), key=lambda f: f["w"] * f["h"])
        box = np.array([face["x"] * picture.width, face["y"] * picture.height,
                        (face["x"] + face["w"]) * picture.width, (face["y"] + face["h"]) * picture.height]).round()
        with tempfile.NamedTemporaryFile(suffix=".rgb") as raw:
            raw.write(picture.rgb.tobytes())
            raw.flush()
            line = subprocess.run([tool, predictor, raw.name, str(picture.width), str(picture.height)]
                                  + [str(int(v)) for v in box], check=True, capture_output=True, text=True).stdout
        landmarks = np.array([float(v) for v in line.split()]).reshape(5, 2)
        to_picture = face_module.similarity(target, landmarks)
        chip = cv2.warpAffine(picture.rgb, to_picture, (face_module.CHIP, face_module.CHIP),
                              flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
        descriptor = describer.face_descriptors.session.run(None, {"chips": chip[None].astype(np.float32)})[0][0]
        known.append((next(iter(photos[name])), descriptor, name))
        to_chip = cv2.invertAffineTransform(to_picture)
        points = np.array(face["points"])[:4] * [picture.width, picture.height]
        blaze_in_chip.append((points @ to_chip[:, :2].T + to_chip[:, 2]) / face_module.CHIP)
    print("BlazeFace key points in dlib's chip (right eye, left eye, nose tip, mouth):",
          np.round(np.mean(blaze_in_chip, axis=0), 4).tolist())
    return known


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--landmarks")
    parser.add_argument("--shape-predictor")
    options = parser.parse_args()
    photos = identities()
    before = rss_kib()
    describer = Describer(read_text=False)
    loaded = rss_kib()
    if describer.face_descriptors is None:
        sys.exit("faces: %s has no face_descriptor.onnx: run scripts/setup-worker.sh" % bundled_models())
    pictures = {name: load(PEOPLE / name) for name in sorted(photos)}
    found = {name: describer.describe(picture, read_text=False)["faces"] for name, picture in pictures.items()}
    print("worker RSS: %.0f MiB with every bundled model loaded (%.0f MiB before loading)" % (loaded / 1024, before / 1024))
    cost(describer, list(pictures.values()), options.rounds)
    descriptor_rss(describer, pictures["group-obama-biden.jpg"])
    print("faces: %d in %d photos; quality: %s" % (sum(map(len, found.values())), len(found),
          ", ".join("%s %s" % (n, [f["quality"] for f in fs]) for n, fs in found.items())))
    same, different = separation(solo_faces(found, photos), "BlazeFace alignment")
    if options.landmarks:
        separation(dlib_alignment(options.landmarks, options.shape_predictor, describer, pictures, found, photos),
                   "dlib 5-point alignment")
    degradation(describer, pictures, found, photos)
    print("photo pairs (%d photos): precision / recall of 'the two photos share a person'" % len(found))
    for eps in (0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        print("  EPS %.2f: " % eps + " | ".join("Q %.1f %.3f/%.3f" % ((q,) + photo_pairs(found, photos, eps, q)[:2])
                                                for q in (0.0, 0.2, 0.4, 0.5, 0.6, 0.7)))
    precision, recall, groups = photo_pairs(found, photos, EPS, Q)
    people = {}
    for name, ids in groups.items():
        for person in ids:
            people.setdefault(person, []).append(name)
    print("at EPS %.2f, Q %.1f: precision %.3f, recall %.3f; people formed:" % (EPS, Q, precision, recall))
    for members in sorted(people.values()):
        print("  " + " ".join(members))
    print("  nobody: " + " ".join(name for name, ids in sorted(groups.items()) if not ids))


if __name__ == "__main__":
    main()
