"""People in a real browser: the corpus's people photos described by the bundled models (faces, descriptors),
grouped into people by the indexer, then a person named on the People page and found by typing the name.

The name given is one no file, caption or label holds, so only the person's name can find their photos.
"""
import os
import pathlib
import shutil
import tempfile
import time
import unittest
import urllib.request

from test_search_page import ARTIFACTS, BINARY, CHROMIUM, ROOT, ServedPage, get_json, webdriver

if webdriver is not None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as seen

CORPUS = pathlib.Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared/corpus"))
PEOPLE = CORPUS / "people"
FACE_MODEL = ROOT / "models/face_descriptor.onnx"
NAME = "Ada Quillfeather"


def identities():
    """Who is in which file, from the corpus's IDENTITIES.tsv."""
    found = {}
    for line in (PEOPLE / "IDENTITIES.tsv").read_text().splitlines()[1:]:
        identity, files = line.split("\t")
        found[identity] = set(files.split())
    return found


@unittest.skipIf(webdriver is None, "selenium is not installed in .venv (scripts/setup.sh installs it)")
@unittest.skipIf(CHROMIUM is None, "chromium is not installed (scripts/setup.sh installs it)")
@unittest.skipUnless(BINARY.exists(), f"{BINARY} is not built (swift build)")
@unittest.skipUnless((PEOPLE / "IDENTITIES.tsv").exists(), f"no people corpus at {PEOPLE} (set VIEWFINDER_CORPUS)")
@unittest.skipUnless(FACE_MODEL.exists(), f"{FACE_MODEL} is missing (scripts/setup.sh exports the face model)")
class PeoplePageTest(ServedPage):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="viewfinder-people-")
        library = pathlib.Path(cls.data) / "library"
        shutil.copytree(PEOPLE, library, ignore=shutil.ignore_patterns("*.tsv", "*.md"))
        cls.serve(library, "the people corpus")
        cls.people = get_json(cls.base + "/api/people")["people"]  # formed once every photo is described

    def test_name_a_person_on_the_people_page_and_find_them_by_typing_the_name(self):
        # The person the indexer formed for Obama: the one most of whose photos are his.
        obama = identities()["obama"]
        def files(person):
            page = get_json(f"{self.base}/api/people/{person['id']}")
            return {photo["path"].rsplit("/", 1)[-1] for photo in page["photoList"]}, [photo["id"] for photo in page["photoList"]]
        self.assertTrue(self.people, "no people formed from the corpus's faces")
        person = max(self.people, key=lambda person: len(files(person)[0] & obama))
        names, ids = files(person)
        self.assertTrue(names & obama, f"no person holds Obama's photos: {self.people}")

        self.browser.get(self.base + "/people")
        field = self.wait(seen.element_to_be_clickable((By.CSS_SELECTOR, f'input.person-name[data-person="{person["id"]}"]')))
        self.wait(lambda browser: browser.execute_script(
            "return [...document.querySelectorAll('.face')].every(f => f.style.backgroundImage)"))
        self.browser.save_screenshot(str(ARTIFACTS / "people.png"))
        field.clear()
        field.send_keys(NAME + Keys.ENTER)
        self.wait(lambda browser: field.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "[role=status]").text == "saved")

        box = self.browser.find_element(By.ID, "q")
        for letter in NAME.split()[1]:
            box.send_keys(letter)
            time.sleep(0.1)
        self.wait(lambda browser: "?q=Quillfeather" in browser.current_url)
        self.wait(lambda browser: {int(tile.get_attribute("href").rsplit("/", 1)[-1]) for tile in browser.find_elements(
            By.CSS_SELECTOR, "#view .results > div:first-child > .grid a.tile")} == set(ids))
        self.browser.save_screenshot(str(ARTIFACTS / "person-search.png"))
        # The person's name is a facet too, and the same photos come back by `person:`.
        answer = get_json(self.base + "/api/search?q=" + urllib.request.quote(f'person:"{NAME}"') + "&limit=100")
        self.assertEqual({hit["id"] for hit in answer["hits"]}, set(ids))

        # Their photo shows the face outlined, named and linked to them.
        self.browser.get(f"{self.base}/photo/{ids[0]}")
        outline = self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, f'a.outline[href="/people/{person["id"]}"]')))
        self.assertEqual(outline.text, NAME)
        self.browser.save_screenshot(str(ARTIFACTS / "photo-faces.png"))
        errors = [entry for entry in self.browser.get_log("browser") if entry["level"] == "SEVERE"]
        self.assertEqual(errors, [], "the page logged errors")


if __name__ == "__main__":
    unittest.main()
