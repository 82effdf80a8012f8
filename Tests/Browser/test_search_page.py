"""The search page in a real browser: Debian's chromium, headless, driven through chromium-driver.

Serves the demo library with `viewfinder serve` (indexing and describing it in the background), types a
query letter by letter, sees the matching photo appear, opens it, goes back. Screenshots of the pages are
kept in $VIEWFINDER_ARTIFACTS (default .build/artifacts/browser).
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("VIEWFINDER_BINARY", ROOT / ".build/debug/viewfinder"))
ARTIFACTS = pathlib.Path(os.environ.get("VIEWFINDER_ARTIFACTS", ROOT / ".build/artifacts/browser"))
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the set-up installs it; say so rather than fail obscurely
    webdriver = None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_indexed(server, log, base, what):
    """Until the server's first indexing run is over and nothing is left queued."""
    deadline = time.time() + 600
    while time.time() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"viewfinder serve exited: {open(log.name).read()[-2000:]}")
        try:
            status = get_json(base + "/api/status")
            if not status["indexing"]["running"] and status["photos"] > 0 and not status["pendingJobs"] \
                    and status["indexing"]["lastRunFinishedAt"]:
                return
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"{what} was not indexed in 10 minutes")


def headless_chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


# The demo library's photo files (its videos and LICENCES.md aside).
PHOTO_SUFFIXES = {".jpg", ".png", ".mpo", ".tiff"}

# Each demo query: the photos it must show as matches, and the others a person would also call right.
DEMO_QUERIES = {
    "cat": (["chelsea.png"], []),
    "coffee": (["coffee.png"], []),
    "rocket": (["rocket.jpg"], []),
    "astronaut": (["astronaut.png"], []),
    # The videos are described from several frames: the street clip shows people, the film a meadow.
    "person": (["astronaut.png", "obama.jpg", "biden.jpg", "obama_partial_face.jpg"], ["obama2.jpg", "obama3.jpg", "bikes.mp4"]),
    "grass": (["grass.png"], ["bigbuckbunny.mp4"]),
    "motorcycle": (["motorcycle_left.png", "motorcycle_right.png"], []),
    "motorcyle": (["motorcycle_left.png", "motorcycle_right.png"], []),
    "night": (["rocket.jpg"], ["hubble_deep_field.jpg"]),
    "text": (["page.png", "L01.jpg", "iptc.jpg", "exif_gps_typeerror.jpg"], ["logo.png"]),
    "drawing": (["horse.png"], ["logo.png"]),
    "space": (["hubble_deep_field.jpg", "rocket.jpg"], ["astronaut.png"]),
    "black and white": (["horse.png", "page.png", "coins.png", "02.jpg"],
                        ["brick.png", "grass.png", "gravel.png", "logo.png", "frozenpond.mpo", "xmp_test.jpg",
                         "ifd_tag_type.tiff", "bikes.mp4",  # the street clip at dusk, nearly without colour
                         "biden.jpg"]),  # by its words: a black suit, and "White House" in the photographer's caption
    "church": (["L02.jpg", "large.jpg"], ["L01.jpg"]),
    "airplane": (["exif_gps_typeerror.jpg"], []),
    "flower": (["flower.jpg"], []),
    "Flagstaff": (["ifd_tag_type.tiff"], []),  # the place its GPS position is in
    "2006": (["02.jpg", "L01.jpg", "L02.jpg", "large.jpg", "iptc.jpg"], []),  # the year they were taken
}


class ServedPage(unittest.TestCase):
    """A served library and a browser on it: set up by each test class, taken down and waited on here."""

    @classmethod
    def serve(cls, library, what):
        """Serves `library` with a data folder in the class's scratch folder, waits for it to be indexed, opens a browser."""
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        cls.log = open(os.path.join(cls.data, "serve.log"), "w")
        cls.server = subprocess.Popen(
            [str(BINARY), "serve", "--data", os.path.join(cls.data, "data"), "--port", str(cls.port), str(library)],
            stdout=cls.log, stderr=subprocess.STDOUT)
        wait_until_indexed(cls.server, cls.log, cls.base, what)
        cls.browser = headless_chromium()

    @classmethod
    def tearDownClass(cls):
        if hasattr(cls, "browser"):
            cls.browser.quit()
        cls.server.terminate()
        cls.server.wait(timeout=30)
        cls.log.close()
        shutil.rmtree(cls.data, ignore_errors=True)

    def wait(self, condition, seconds=20):
        # The page redraws its results as they arrive: an element read mid-redraw is asked again, not a failure.
        return WebDriverWait(self.browser, seconds, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


@unittest.skipIf(webdriver is None, "selenium is not installed in .venv (scripts/setup.sh installs it)")
@unittest.skipIf(CHROMIUM is None, "chromium is not installed (scripts/setup.sh installs it)")
@unittest.skipUnless(BINARY.exists(), f"{BINARY} is not built (swift build)")
@unittest.skipUnless((ROOT / "demo-library").is_dir(), "no demo library (scripts/setup.sh fetches it)")
class SearchPageTest(ServedPage):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="viewfinder-browser-")
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        cls.log = open(os.path.join(cls.data, "serve.log"), "w")
        cls.server = subprocess.Popen(
            [str(BINARY), "serve", "--data", cls.data, "--port", str(cls.port), str(ROOT / "demo-library")],
            stdout=cls.log, stderr=subprocess.STDOUT)
        wait_until_indexed(cls.server, cls.log, cls.base, "the demo library")
        cls.browser = headless_chromium()


    def photo_id(self, name):
        hits = get_json(self.base + "/api/search?q=" + urllib.request.quote(f"name:{name}"))["hits"]
        self.assertEqual(len(hits), 1, f"{name} is not in the catalogue")
        return hits[0]["id"]

    def test_type_a_query_open_the_photo_and_go_back(self):
        cat = self.photo_id("chelsea.png")
        self.browser.get(self.base + "/")
        box = self.wait(seen.element_to_be_clickable((By.ID, "q")))
        for letter in "cat":
            box.send_keys(letter)
            time.sleep(0.15)  # a person typing: each letter supersedes the request before it
        tile = self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, f'#view a.tile[href="/photo/{cat}"]')))
        self.assertIn("?q=cat", self.browser.current_url)
        self.wait(lambda browser: browser.execute_script(
            "return [...document.querySelectorAll('#view a.tile img')].every(i => i.complete)"))
        self.browser.save_screenshot(str(ARTIFACTS / "search.png"))

        tile.click()
        self.wait(seen.url_contains(f"/photo/{cat}"))
        self.wait(lambda browser: browser.execute_script(
            "const p = document.querySelector('img.preview'); return p && p.complete && p.naturalWidth > 0"))
        heading = self.browser.find_element(By.CSS_SELECTOR, "article.photo h1").text
        self.assertTrue(heading, "the photo page names the photo")
        labels = [chip.text for chip in self.browser.find_elements(By.CSS_SELECTOR, ".labels .chip")]
        self.assertIn("cat", labels)
        self.browser.save_screenshot(str(ARTIFACTS / "photo.png"))

        self.browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
        self.wait(lambda browser: browser.current_url.endswith("/?q=cat"))
        self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, f'#view a.tile[href="/photo/{cat}"]')))
        self.assertEqual(self.browser.find_element(By.ID, "q").get_attribute("value"), "cat")
        errors = [entry for entry in self.browser.get_log("browser") if entry["level"] == "SEVERE"]
        self.assertEqual(errors, [], "the page logged errors")

    def test_the_demo_queries_show_only_right_photos(self):
        names = {hit["path"].rsplit("/", 1)[-1]: hit["id"] for hit in get_json(self.base + "/api/search?q=&limit=100")["hits"]}
        photos = {path.name for path in (ROOT / "demo-library").rglob("*") if path.suffix.lower() in PHOTO_SUFFIXES}
        self.assertLessEqual(photos, set(names), "every photo of the demo library is in the catalogue")
        for query, (required, allowed) in DEMO_QUERIES.items():
            with self.subTest(query=query):
                self.browser.get(self.base + "/?q=" + urllib.request.quote(query))
                self.wait(lambda browser: browser.execute_script(
                    "return document.querySelector('#result-count') !== null"))
                sure = {int(tile.get_attribute("href").rsplit("/", 1)[-1]) for tile in self.browser.find_elements(
                    By.CSS_SELECTOR, "#view .results > div:first-child > .grid a.tile")}
                shown = {name for name, number in names.items() if number in sure}
                self.assertLessEqual(set(required), shown, f"'{query}' must show these")
                self.assertLessEqual(shown, set(required) | set(allowed), f"'{query}' shows photos that do not show it")
                # Guesses by meaning only are never mixed in: they wait, folded, below the sure matches.
                answer = get_json(self.base + "/api/search?limit=100&q=" + urllib.request.quote(query))
                self.assertEqual({hit["id"] for hit in answer["hits"] if hit["match"] == "words"}, sure)
                details = self.browser.find_element(By.CSS_SELECTOR, "#view details.might")
                self.assertIsNone(details.get_attribute("open"), "the guesses are folded by default")
                self.assertEqual(details.get_attribute("hidden") is not None, answer["mightMatch"] == 0)
                folded = details.find_elements(By.CSS_SELECTOR, "a.tile")
                self.assertEqual(len(folded), answer["mightMatch"], "every guess is in the fold, none elsewhere")
                if query == "night":
                    self.browser.save_screenshot(str(ARTIFACTS / "night.png"))

    def test_timeline_folders_status_and_help_pages_render(self):
        for path, selector in [("/timeline", "#view h1"), ("/folders", "#view .grid.folders a.tile"),
                               ("/status", "#view table.exif"), ("/?help", "#view article.help a code")]:
            self.browser.get(self.base + path)
            self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, selector)))
            self.wait(lambda browser: browser.execute_script(
                "return [...document.querySelectorAll('#view img')].every(i => i.complete)"))
            name = path.strip("/?") or "search"
            self.browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        # An example on the help page runs its query.
        self.browser.find_element(By.CSS_SELECTOR, "#view article.help a").click()
        self.wait(lambda browser: "/?q=" in browser.current_url)

    def test_the_search_page_fits_a_phone(self):
        self.browser.set_window_size(390, 844)
        try:
            self.browser.get(self.base + "/?q=space")
            self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, "#view a.tile")))
            self.wait(lambda browser: browser.execute_script(
                "return [...document.querySelectorAll('#view img')].every(i => i.complete)"))
            width = self.browser.execute_script("return document.documentElement.scrollWidth")
            self.assertLessEqual(width, 390, "nothing scrolls sideways on a phone")
            self.browser.save_screenshot(str(ARTIFACTS / "phone.png"))
        finally:
            self.browser.set_window_size(1280, 900)


if __name__ == "__main__":
    unittest.main()
