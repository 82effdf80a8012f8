"""Boxes as [x, y, w, h] rows: how much two overlap, and non-maximum suppression, shared by the detectors."""
import numpy as np


def overlap(box, boxes):
    """Intersection over union of one box with each of several."""
    left = np.maximum(box[0], boxes[:, 0])
    top = np.maximum(box[1], boxes[:, 1])
    right = np.minimum(box[0] + box[2], boxes[:, 0] + boxes[:, 2])
    bottom = np.minimum(box[1] + box[3], boxes[:, 1] + boxes[:, 3])
    intersection = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    return intersection / (box[2] * box[3] + boxes[:, 2] * boxes[:, 3] - intersection)


def suppress(boxes, scores, threshold):
    """Indices of the boxes that survive, best first: each drops the weaker ones overlapping it by threshold."""
    order, kept = np.argsort(scores)[::-1], []
    while order.size:
        best = order[0]
        kept.append(int(best))
        rest = order[1:]
        order = rest[overlap(boxes[best], boxes[rest]) < threshold]
    return kept
