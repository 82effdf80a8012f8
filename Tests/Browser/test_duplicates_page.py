"""The Duplicates page in a real browser: corpus photos, an exact copy of one and a half-size copy of another,
served; the page shows one group of each kind with the original marked best, and deletes nothing."""
import os
import pathlib
import shutil
import tempfile
import unittest

from test_search_page import ARTIFACTS, BINARY, CHROMIUM, ROOT, ServedPage, get_json, webdriver

if webdriver is not None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen

CORPUS = pathlib.Path(os.environ.get("VIEWFINDER_CORPUS", ROOT.parent / "shared/corpus"))
CONTENT = CORPUS / "content"
PHOTOS = ["dk-dog.jpg", "ski-rocket.jpg", "skl-china.jpg"]


@unittest.skipIf(webdriver is None, "selenium is not installed in .venv (scripts/setup.sh installs it)")
@unittest.skipIf(CHROMIUM is None, "chromium is not installed (scripts/setup.sh installs it)")
@unittest.skipUnless(BINARY.exists(), f"{BINARY} is not built (swift build)")
@unittest.skipUnless(all((CONTENT / name).exists() for name in PHOTOS), f"no content corpus at {CONTENT} (set VIEWFINDER_CORPUS)")
class DuplicatesPageTest(ServedPage):
    @classmethod
    def setUpClass(cls):
        from PIL import Image
        cls.data = tempfile.mkdtemp(prefix="viewfinder-duplicates-")
        library = pathlib.Path(cls.data) / "library"
        (library / "copies").mkdir(parents=True)
        for name in PHOTOS:
            shutil.copy(CONTENT / name, library / name)
        shutil.copy(CONTENT / "dk-dog.jpg", library / "copies" / "dog-again.jpg")
        with Image.open(CONTENT / "ski-rocket.jpg") as rocket:
            rocket.resize((rocket.width // 2, rocket.height // 2)).save(library / "copies" / "rocket-small.jpg", quality=80)
        cls.library = library
        cls.serve(library, "the duplicates library")

    def test_the_page_shows_exact_and_near_copies_with_the_best_marked(self):
        answer = get_json(self.base + "/api/duplicates")
        kinds = sorted(group["kind"] for group in answer["groups"])
        self.assertEqual(kinds, ["exact", "near"], answer)
        self.browser.get(self.base + "/")
        self.browser.find_element(By.CSS_SELECTOR, 'nav a[href="/duplicates"]').click()
        near = self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, "#view section.duplicates.near")))
        tiles = near.find_elements(By.CSS_SELECTOR, "a.tile")
        self.assertEqual(len(tiles), 2)
        self.assertIn("best", tiles[0].get_attribute("class"), "the full-size original comes first, marked best")
        self.assertIn("best", tiles[0].text)
        self.assertIn("bits apart", tiles[1].text)
        paths = [item.text for item in near.find_elements(By.CSS_SELECTOR, "ul.paths li")]
        self.assertTrue(paths[0].endswith("ski-rocket.jpg") and paths[1].endswith("rocket-small.jpg"), paths)
        exact = self.browser.find_element(By.CSS_SELECTOR, "#view section.duplicates.exact")
        self.assertEqual(len(exact.find_elements(By.CSS_SELECTOR, "a.tile")), 2)
        self.wait(lambda browser: browser.execute_script("return [...document.querySelectorAll('#view img')].every(i => i.complete)"))
        self.browser.save_screenshot(str(ARTIFACTS / "duplicates.png"))
        # Opening a tile shows the photo; nothing on the way deletes a file.
        tiles[1].click()
        self.wait(lambda browser: "/photo/" in browser.current_url)
        self.assertEqual(len(list(self.library.rglob("*.jpg"))), 5)
