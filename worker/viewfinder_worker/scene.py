"""Regions an outdoor photo has, from colour and texture alone: sky along the top, grass along the bottom, trees
above, a dark sky with points of light at night, a deep blue one at dusk. Each is named only when its region is large and placed where it
belongs."""
import cv2
import numpy as np

WIDTH = 96  # pixels across: enough for regions, cheap on any photo


def labels(picture, backdrop=False):
    """[(name, score)]. backdrop: a face fills the frame, and what is behind it is a backdrop far more often
    than sky (blue and white studio walls were the sky's only false finds among the portraits)."""
    regions = Regions(picture)
    found = []
    sky = regions.sky()
    # Sky covers at least a fifth of the upper third, and not the bottom: a picture of one flat colour all over
    # is a background or a blank page.
    if not backdrop and regions.share(sky, 0, 1 / 3) >= 0.2 and regions.share(sky, 2 / 3, 1) <= 0.5:
        found.append(("sky", 0.6))
    green = regions.green()
    ground, above = regions.share(green, 2 / 3, 1), regions.share(green, 0, 1 / 2)
    # Grass fills the bottom and meets something else above it; leaves seen close fill the whole frame.
    if ground >= 0.25 and above <= ground - 0.25:
        found.append(("grass", 0.5))
    # Trees: foliage over a fifth of the upper half, with fine detail over two thirds of it.
    foliage = regions.green(least_hue=25, least_saturation=0.15, least_value=0.08) & (regions.rows < 0.5)
    if regions.share(foliage, 0, 1 / 2) >= 0.2 and float((regions.detail[foliage] > 0.03).mean()) >= 0.65:
        found.append(("trees", 0.5))
    if not backdrop and regions.night():
        found.append(("night", 0.5))
    elif not backdrop and regions.twilight():
        # The blue hour: what people call a night shot of a lit scene as often as dusk.
        found += [("dusk", 0.5), ("twilight", 0.5), ("night", 0.4)]
    return found


def spread(grey, side):
    """Local standard deviation of brightness (0-1) over side x side pixels."""
    grey = grey.astype(np.float32) / 255
    mean = cv2.blur(grey, (side, side))
    return np.sqrt(np.maximum(cv2.blur(grey * grey, (side, side)) - mean * mean, 0))


class Regions:
    """Per-pixel hue (OpenCV's 0-180), saturation, value (0-1) and texture (local spread of brightness)."""

    def __init__(self, picture):
        # A sliver of a picture (1 × 640) must not become a 96 × 61,440 one: at most four times as tall as wide.
        height = min(4 * WIDTH, max(8, round(WIDTH * picture.height / picture.width)))
        sharp = picture.resized(2 * WIDTH, 2 * height)
        small = cv2.resize(sharp, (WIDTH, height), interpolation=cv2.INTER_AREA)
        hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV).astype(np.float32)
        self.hue, self.saturation, self.value = hsv[..., 0], hsv[..., 1] / 255, hsv[..., 2] / 255
        self.texture = spread(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), 5)
        # Detail finer than a pixel here: foliage seen from afar is busy at every scale, a leaf seen close is smooth.
        detail = spread(cv2.cvtColor(sharp, cv2.COLOR_RGB2GRAY), 3)
        self.detail = cv2.resize(detail, (WIDTH, height), interpolation=cv2.INTER_AREA)
        self.rows = np.broadcast_to((np.arange(height)[:, None] + 0.5) / height, self.hue.shape)

    def sky(self):
        """Smooth blue or blown-out white pixels connected to the top edge."""
        smooth = self.texture < 0.03
        blue = (self.hue >= 90) & (self.hue < 130) & (self.saturation > 0.12) & (self.value > 0.35)
        overcast = (self.saturation < 0.12) & (self.value > 0.85)
        candidate = (smooth & (blue | overcast)).astype(np.uint8)
        _, parts = cv2.connectedComponents(candidate, connectivity=4)
        touching = np.unique(parts[0][candidate[0] > 0])
        return np.isin(parts, touching) & (candidate > 0)

    def night(self):
        """A dark upper part and a dark photo, lit by a few points (lamps, windows, stars) with some colour:
        pure white points on black are text on a screen."""
        lights = self.value > 0.8
        return (self.share(self.value < 0.15, 0, 1 / 3) >= 0.4 and float(np.median(self.value)) < 0.25
                and 0.001 <= float(lights.mean()) <= 0.08 and float(self.saturation[lights].mean()) > 0.04)

    def twilight(self):
        """A deep, dim blue sky over most of the upper third of a photo that is not bright, lit by a few lights.
        Over the corpus, the launch pad at dusk had it over 98% of its top; no other photo over 51%, and that one
        a bright day (median brightness 0.61)."""
        dim_blue = ((self.hue >= 90) & (self.hue < 135) & (self.saturation > 0.25) & (self.value > 0.1)
                    & (self.value < 0.5))
        lights = float((self.value > 0.8).mean())
        return self.share(dim_blue, 0, 1 / 3) >= 0.6 and float(np.median(self.value)) < 0.45 and lights >= 0.001

    def green(self, least_hue=30, least_saturation=0.2, least_value=0.12):
        """Green pixels; a lower least_hue takes in the yellow-green of leaves in late summer."""
        return ((self.hue >= least_hue) & (self.hue < 90) & (self.saturation > least_saturation)
                & (self.value > least_value))

    def share(self, mask, top, bottom):
        """The fraction of the band between top and bottom (fractions of the height) that the mask covers."""
        band = (self.rows >= top) & (self.rows < bottom)
        return float(mask[band].mean()) if band.any() else 0.0
