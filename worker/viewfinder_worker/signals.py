"""Cheap, honest signals from the pixels and the metadata: colours, monochrome, dark or bright, shape and
time of day. Each is a label with a score, searchable like the classifier's."""
from datetime import datetime

import cv2
import numpy as np

# Hue ranges (OpenCV's 0-180 scale) for the colour names people use.
HUES = [("red", 0, 8), ("orange", 8, 20), ("yellow", 20, 34), ("green", 34, 85), ("blue", 85, 130),
        ("purple", 130, 160), ("pink", 160, 172), ("red", 172, 181)]
# (least saturation, least value, least share of the picture) that names a colour. Orange only bright and
# saturated: darker or greyer it is the brown of skin, wood and fur (orange fired on 12 of the 35 labelled photos,
# 2 of them orange); such pixels are rarer, so a smaller share names it.
VIVID = {"orange": (0.6, 0.6, 0.05)}
DEFAULT_VIVID = (0.35, 0.25, 0.08)


def colour_labels(picture):
    small = picture.resized(64, max(1, round(64 * picture.height / picture.width)))
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.float32)
    hue, saturation, value = hsv[:, 0], hsv[:, 1] / 255, hsv[:, 2] / 255
    labels = []
    brightness = float(value.mean())
    rgb = small.reshape(-1, 3).astype(np.float32)
    spread = np.abs(rgb - rgb.mean(axis=1, keepdims=True)).max(axis=1)
    # Over the lit pixels only: a few colourful galaxies on black are not a black-and-white photo.
    lit = value > 0.2
    monochrome = float(spread[lit].mean()) < 6 if lit.any() else True
    if monochrome:
        labels += [("black and white", 0.9), ("monochrome", 0.9), ("grayscale", 0.9), ("greyscale", 0.9)]
    if brightness < 0.22:
        labels.append(("dark", round(1 - brightness, 2)))
    elif brightness > 0.78:
        labels.append(("bright", round(brightness, 2)))
    if not monochrome:
        for name in dict.fromkeys(n for n, _, _ in HUES):
            least_saturation, least_value, least_share = VIVID.get(name, DEFAULT_VIVID)
            vivid = (saturation > least_saturation) & (value > least_value)
            inside = np.zeros_like(vivid)
            for hue_name, low, high in HUES:
                if hue_name == name:
                    inside |= (hue >= low) & (hue < high)
            share = float((vivid & inside).mean())
            if share >= least_share:
                labels.append((name, round(min(1.0, 0.4 + share), 2)))
        greys = (saturation < 0.12)
        if float((greys & (value > 0.85)).mean()) > 0.35:
            labels.append(("white", 0.5))
        if float((value < 0.12).mean()) > 0.45:
            labels.append(("black", 0.5))
    return labels


def dark(picture):
    """Most of the picture is dark: half its pixels under a third of full brightness."""
    small = picture.resized(64, max(1, round(64 * picture.height / picture.width)))
    return float(np.median(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))) < 0.3 * 255


def shape_labels(width, height):
    """Only a panorama is named: orientation is a property, not content, and the search has `orientation:` for it
    (as a label, *landscape* and *portrait* matched nearly every photo)."""
    if width / height >= 2.2:
        return [("panorama", 0.6)]
    return []


def time_labels(taken, picture=None):
    """Time of day from the local capture time. Night is also a look people search for, and camera clocks are
    often wrong (a sunlit car at 22:07, an office at 21:50), so the clock names night only in a dark picture;
    exactly midnight is a clock that was never set. No season: the month says when, not what the photo shows
    (a cat indoors in December is not a winter photo; 7 of the 7 season labels on the labelled corpus photos
    named nothing their descriptions saw), and `month:` finds photos by date."""
    if not taken:
        return []
    try:
        moment = datetime.fromisoformat(taken.replace("Z", "+00:00"))
    except ValueError:
        return []
    hour = moment.hour
    day_part = ("night" if hour < 5 or hour >= 21 else "morning" if hour < 12 else
                "afternoon" if hour < 17 else "evening")
    unset = (moment.hour, moment.minute, moment.second) == (0, 0, 0)
    if unset or (day_part == "night" and picture is not None and not dark(picture)):
        return []
    return [(day_part, 0.6)]
