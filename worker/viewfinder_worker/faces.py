"""MediaPipe's full-range BlazeFace detector, taken out of the mediapipe wheel and run through LiteRT."""
import numpy as np
from ai_edge_litert.interpreter import Interpreter

SIDE = 192


def anchors():
    """Anchor centres of the full-range model: one per cell of a 48x48 grid (stride 4)."""
    cells = SIDE // 4
    ys, xs = np.mgrid[0:cells, 0:cells]
    return np.stack([(xs.ravel() + 0.5) / cells, (ys.ravel() + 0.5) / cells], axis=1).astype(np.float32)


def overlap(box, boxes):
    left = np.maximum(box[0], boxes[:, 0])
    top = np.maximum(box[1], boxes[:, 1])
    right = np.minimum(box[0] + box[2], boxes[:, 0] + boxes[:, 2])
    bottom = np.minimum(box[1] + box[3], boxes[:, 1] + boxes[:, 3])
    intersection = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    return intersection / (box[2] * box[3] + boxes[:, 2] * boxes[:, 3] - intersection)


class FaceDetector:
    def __init__(self, folder, min_score=0.6):
        self.interpreter = Interpreter(model_path=str(folder / "face_detection_full_range_sparse.tflite"),
                                       num_threads=1)
        self.interpreter.allocate_tensors()
        self.input = self.interpreter.get_input_details()[0]["index"]
        outputs = sorted(self.interpreter.get_output_details(), key=lambda d: d["shape"][-1])
        self.scores_output, self.boxes_output = outputs[0]["index"], outputs[1]["index"]
        self.anchors = anchors()
        self.min_score = min_score

    def detect(self, picture):
        """Faces as boxes in fractions of the picture, {x, y, w, h, score}, best first."""
        square, (pad_left, pad_top, inner_width, inner_height) = picture.letterboxed(SIDE)
        tensor = (square.astype(np.float32) / 127.5 - 1.0)[np.newaxis]
        self.interpreter.set_tensor(self.input, tensor)
        self.interpreter.invoke()
        raw_scores = self.interpreter.get_tensor(self.scores_output)[0, :, 0]
        raw_boxes = self.interpreter.get_tensor(self.boxes_output)[0]
        scores = 1 / (1 + np.exp(-np.clip(raw_scores, -80, 80)))
        keep = scores >= self.min_score
        if not keep.any():
            return []
        centres = raw_boxes[keep, :2] / SIDE + self.anchors[keep]
        sizes = raw_boxes[keep, 2:4] / SIDE
        boxes = np.concatenate([centres - sizes / 2, sizes], axis=1)
        # Back from the letterboxed square to fractions of the photo itself.
        boxes[:, 0] = (boxes[:, 0] - pad_left) / inner_width
        boxes[:, 1] = (boxes[:, 1] - pad_top) / inner_height
        boxes[:, 2] /= inner_width
        boxes[:, 3] /= inner_height
        return self.suppress(boxes, scores[keep])

    @staticmethod
    def suppress(boxes, scores, threshold=0.3):
        order, faces = np.argsort(scores)[::-1], []
        while order.size:
            best = order[0]
            faces.append({"x": round(float(boxes[best, 0]), 4), "y": round(float(boxes[best, 1]), 4),
                          "w": round(float(boxes[best, 2]), 4), "h": round(float(boxes[best, 3]), 4),
                          "score": round(float(scores[best]), 3)})
            rest = order[1:]
            order = rest[overlap(boxes[best], boxes[rest]) < threshold]
        return faces
