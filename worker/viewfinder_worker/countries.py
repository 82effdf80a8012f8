"""Country names from Debian's iso-codes, so a place reads "Portugal" rather than "PT"."""
import json

ISO_3166 = "/usr/share/iso-codes/json/iso_3166-1.json"


def load_country_names():
    try:
        with open(ISO_3166) as table:
            return {c["alpha_2"]: c.get("common_name", c["name"]) for c in json.load(table)["3166-1"]}
    except OSError:
        return {}


COUNTRY_NAMES = load_country_names()
