"""The decoded RGB picture the indexer sent, with the few resamplings the models need."""
import cv2
import numpy as np


class Picture:
    def __init__(self, rgb):
        self.rgb = rgb  # height x width x 3, uint8, upright, sRGB

    @classmethod
    def from_bytes(cls, pixels, width, height):
        if len(pixels) != width * height * 3:
            raise ValueError("%d bytes of pixels for a %dx%d RGB picture" % (len(pixels), width, height))
        return cls(np.frombuffer(pixels, dtype=np.uint8).reshape(height, width, 3))

    @property
    def width(self):
        return self.rgb.shape[1]

    @property
    def height(self):
        return self.rgb.shape[0]

    def resized(self, width, height):
        return cv2.resize(self.rgb, (width, height), interpolation=cv2.INTER_AREA)

    def centre_crop(self, short_side, crop):
        """Scale the short side to short_side, then cut crop x crop from the middle (ImageNet evaluation)."""
        scale = short_side / min(self.width, self.height)
        width, height = max(crop, round(self.width * scale)), max(crop, round(self.height * scale))
        scaled = self.resized(width, height)
        top, left = (height - crop) // 2, (width - crop) // 2
        return scaled[top:top + crop, left:left + crop]

    def two_colour_share(self):
        """The share of the picture its two commonest colours cover (8 levels a channel): near 1 for a
        silhouette, a blank frame or a star field, about half or less for any photo of things."""
        small = self.resized(96, min(384, max(1, round(96 * self.height / self.width))))
        levels = (small // 32).reshape(-1, 3).astype(np.int32)
        counts = np.bincount(levels[:, 0] * 64 + levels[:, 1] * 8 + levels[:, 2], minlength=512)
        return float(np.sort(counts)[-2:].sum() / counts.sum())

    def letterboxed(self, side):
        """Fit into side x side keeping the shape, padding with black; returns the square and the padding."""
        scale = side / max(self.width, self.height)
        width, height = max(1, round(self.width * scale)), max(1, round(self.height * scale))
        square = np.zeros((side, side, 3), dtype=np.uint8)
        left, top = (side - width) // 2, (side - height) // 2
        square[top:top + height, left:left + width] = self.resized(width, height)
        return square, (left / side, top / side, width / side, height / side)
