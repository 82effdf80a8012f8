"""Vision stage benchmark: the model worker over its real stdio protocol on the corpus content photos.

Measures images/s for the whole describe request without OCR and with it, OCR median latency (against RapidOCR
as shipped, run in the same invocation), and the worker's peak RSS with every bundled model loaded. Pictures are
decoded to 640 px once before timing, as the indexer sends them.

    python3 bench/vision.py [--rounds 2] [--repeat 4]
"""
import argparse
import json
import statistics
import struct
import subprocess
import sys
import time

import cv2
import numpy as np

import json as json_module
import shutil

from common import CORPUS, ROOT, VIEWFINDER, WORK, machine, require_release_build

PYTHON = ROOT / ".venv" / "bin" / "python"


def pictures():
    files = sorted(p for p in (CORPUS / "content").iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    decoded = []
    for path in files:
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if bgr is None:
            continue
        scale = 640 / max(bgr.shape[:2])
        if scale < 1:
            bgr = cv2.resize(bgr, (round(bgr.shape[1] * scale), round(bgr.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        decoded.append(np.ascontiguousarray(bgr[:, :, ::-1]))
    return decoded


class Worker:
    def __init__(self, *arguments):
        self.process = subprocess.Popen([str(PYTHON), "-m", "viewfinder_worker", *arguments],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.call({"op": "hello"})

    def call(self, header, payload=b""):
        header = dict(header, v=1)
        body = json.dumps(header).encode()
        self.process.stdin.write(struct.pack(">II", 4 + len(body) + len(payload), len(body)) + body + payload)
        self.process.stdin.flush()
        (length,) = struct.unpack(">I", self.process.stdout.read(4))
        frame = self.process.stdout.read(length)
        (header_length,) = struct.unpack(">I", frame[:4])
        return json.loads(frame[4:4 + header_length])

    def describe(self, batch):
        images, payload = [], b""
        for index, rgb in enumerate(batch):
            images.append({"id": index, "width": rgb.shape[1], "height": rgb.shape[0], "offset": len(payload)})
            payload += rgb.tobytes()
        return self.call({"op": "describe", "images": images}, payload)["results"]

    def peak_rss_mib(self):
        status = open("/proc/%d/status" % self.process.pid).read()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024

    def close(self):
        self.call({"op": "shutdown"})
        self.process.wait()


def throughput(worker, batch_pictures, repeat):
    worker.describe(batch_pictures[:2])  # warm-up
    started = time.perf_counter()
    results = []
    for _ in range(repeat):
        for start in range(0, len(batch_pictures), 8):
            results += worker.describe(batch_pictures[start:start + 8])
    return len(results) / (time.perf_counter() - started), results


def ocr_as_shipped(batch_pictures):
    """RapidOCR with its default settings, the reference the tuned reader is compared with."""
    code = """
import sys, time, json, numpy as np
from rapidocr import RapidOCR
engine = RapidOCR()
pictures = np.load(sys.argv[1], allow_pickle=True)
engine(pictures[0][:, :, ::-1])
times = []
for p in pictures:
    started = time.perf_counter(); engine(p[:, :, ::-1]); times.append(time.perf_counter() - started)
print(json.dumps(times))
"""
    path = ROOT / "bench" / ".work" / "ocr-pictures.npy"
    path.parent.mkdir(parents=True, exist_ok=True)
    array = np.empty(len(batch_pictures), dtype=object)
    array[:] = batch_pictures
    np.save(path, array, allow_pickle=True)
    output = subprocess.run([str(PYTHON), "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def end_to_end(copies):
    """The describe stage through `viewfinder index`: decoding the previews, batching, the worker, the store."""
    library, data = WORK / "vision-library", WORK / "vision-data"
    shutil.rmtree(library, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    for copy in range(copies):
        for photo in (CORPUS / "content").iterdir():
            if photo.suffix.lower() != ".tsv":
                target = library / str(copy) / photo.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(photo, target)
    subprocess.run([str(VIEWFINDER), "index", "--data", str(data), "--no-vision", str(library)], check=True,
                   stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    output = subprocess.run([str(VIEWFINDER), "index", "--json", "--data", str(data), str(library)], check=True,
                            capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    return json_module.loads(output)["described"] / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=4, help="passes over the pictures per round")
    parser.add_argument("--copies", type=int, default=4, help="copies of the content photos for the end-to-end run")
    arguments = parser.parse_args()
    require_release_build()
    batch_pictures = pictures()
    print("machine:", machine())
    print("pictures: %d corpus content photos at 640 px" % len(batch_pictures))
    for round_number in range(1, arguments.rounds + 1):
        worker = Worker("--no-text")
        without_text, _ = throughput(worker, batch_pictures, arguments.repeat)
        worker.close()
        worker = Worker()
        with_text, results = throughput(worker, batch_pictures, 1)
        rss = worker.peak_rss_mib()
        worker.close()
        tuned = [r["timings"]["text"] for r in results]
        shipped = ocr_as_shipped(batch_pictures)
        print("round %d: %.1f images/s without OCR, %.1f with OCR; OCR median %.0f ms (as shipped %.0f ms, %.1fx faster); "
              "worker peak RSS %.0f MiB" % (round_number, without_text, with_text, statistics.median(tuned) * 1000,
                                            statistics.median(shipped) * 1000,
                                            statistics.median(shipped) / statistics.median(tuned), rss))
        print("round %d: viewfinder index, describe stage with OCR, %d photos: %.1f photos/s"
              % (round_number, 35 * arguments.copies, end_to_end(arguments.copies)))


if __name__ == "__main__":
    sys.exit(main())
