"""MediaPipe's single-shot face detector (BlazeFace, full range), taken out of the mediapipe wheel and run through
LiteRT: letterbox, run, decode boxes against the SSD anchors, suppress overlaps."""
import os

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from .boxes import suppress


def ssd_anchors(side, strides, anchors_per_cell):
    """Anchor centres, as MediaPipe's SsdAnchorsCalculator makes them with fixed anchor sizes."""
    centres = []
    for stride, count in zip(strides, anchors_per_cell):
        cells = side // stride
        ys, xs = np.mgrid[0:cells, 0:cells]
        grid = np.stack([(xs.ravel() + 0.5) / cells, (ys.ravel() + 0.5) / cells], axis=1)
        centres.append(np.repeat(grid, count, axis=0))
    return np.concatenate(centres).astype(np.float32)


class Detector:
    def __init__(self, model, side, strides, anchors_per_cell, min_score):
        self.interpreter = Interpreter(model_path=str(model), num_threads=int(os.environ.get("VIEWFINDER_WORKER_THREADS", "2")))
        self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]["index"]
        outputs = sorted(self.interpreter.get_output_details(), key=lambda d: d["shape"][-1])
        self.scores_output, self.boxes_output = outputs[0]["index"], outputs[1]["index"]
        self.side = side
        self.anchors = ssd_anchors(side, strides, anchors_per_cell)
        self.min_score = min_score

    def detect(self, picture):
        """Boxes in fractions of the picture, {x, y, w, h, score, points}, best first; points are the model's
        key points as [x, y] fractions (BlazeFace: right eye, left eye, nose tip, mouth, right ear, left ear)."""
        square, (pad_left, pad_top, inner_width, inner_height) = picture.letterboxed(self.side)
        tensor = (square.astype(np.float32) / 127.5 - 1.0)[np.newaxis]
        self.interpreter.set_tensor(self.input, tensor)
        self.interpreter.invoke()
        raw_scores = self.interpreter.get_tensor(self.scores_output)[0, :, 0]
        raw_boxes = self.interpreter.get_tensor(self.boxes_output)[0]
        scores = 1 / (1 + np.exp(-np.clip(raw_scores, -80, 80)))
        keep = scores >= self.min_score
        if not keep.any():
            return []
        centres = raw_boxes[keep, :2] / self.side + self.anchors[keep]
        sizes = raw_boxes[keep, 2:4] / self.side
        boxes = np.concatenate([centres - sizes / 2, sizes], axis=1)
        # Key points are offsets from the anchor, as the box centre is.
        points = raw_boxes[keep, 4:].reshape(len(boxes), -1, 2) / self.side + self.anchors[keep][:, np.newaxis]
        # Back from the letterboxed square to fractions of the photo itself.
        for xy, pad, inner in ((0, pad_left, inner_width), (1, pad_top, inner_height)):
            boxes[:, xy] = (boxes[:, xy] - pad) / inner
            boxes[:, 2 + xy] /= inner
            points[..., xy] = (points[..., xy] - pad) / inner
        scores = scores[keep]
        return [{"x": round(float(boxes[i, 0]), 4), "y": round(float(boxes[i, 1]), 4), "w": round(float(boxes[i, 2]), 4),
                 "h": round(float(boxes[i, 3]), 4), "score": round(float(scores[i]), 3), "points": points[i].tolist()}
                for i in suppress(boxes, scores, threshold=0.3)]


def face_detector(folder):
    """Full-range BlazeFace: 192 px, one anchor per cell of a 48x48 grid; finds small faces in group photos."""
    return Detector(folder / "face_detection_full_range_sparse.tflite", 192, [4], [1], min_score=0.6)
