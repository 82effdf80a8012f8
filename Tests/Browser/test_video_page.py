"""A video in a real browser: made by Debian's ffmpeg (H.264 in MP4, QuickTime metadata written by exiftool),
indexed and described by `viewfinder serve`, found by `type:video`, and played on its page by headless chromium
from the original served in byte ranges.
"""
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest
import urllib.request

from test_search_page import ARTIFACTS, BINARY, CHROMIUM, ServedPage, get_json, webdriver

if webdriver is not None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen

FFMPEG, EXIFTOOL = shutil.which("ffmpeg"), shutil.which("exiftool")


def make_video(folder):
    """Five seconds of ffmpeg's test pattern, H.264, with a phone's creation date and model."""
    path = folder / "harbour.mp4"
    subprocess.run([FFMPEG, "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25:duration=5",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)], check=True)
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-Keys:CreationDate=2021:08:01 19:45:00+01:00",
                    "-Keys:Make=Apple", "-Keys:Model=iPhone 12", str(path)], check=True)
    return path


@unittest.skipIf(webdriver is None, "selenium is not installed in .venv (scripts/setup.sh installs it)")
@unittest.skipIf(CHROMIUM is None, "chromium is not installed (scripts/setup.sh installs it)")
@unittest.skipIf(FFMPEG is None or EXIFTOOL is None, "ffmpeg or exiftool is not installed (scripts/setup.sh installs both)")
@unittest.skipUnless(BINARY.exists(), f"{BINARY} is not built (swift build)")
class VideoPageTest(ServedPage):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="viewfinder-video-")
        library = pathlib.Path(cls.data) / "library"
        library.mkdir()
        make_video(library)
        cls.serve(library, "the video")

    def test_a_video_is_found_described_and_plays_on_its_page(self):
        hits = get_json(self.base + "/api/search?q=" + urllib.request.quote("type:video duration>4s"))["hits"]
        self.assertEqual([hit["path"].split("/")[-1] for hit in hits], ["harbour.mp4"])
        self.assertTrue(hits[0].get("video"))
        video_id = hits[0]["id"]
        detail = get_json(f"{self.base}/api/photos/{video_id}")["detail"]
        self.assertTrue(detail["video"])
        self.assertAlmostEqual(detail["duration"], 5, delta=0.1)
        self.assertEqual(detail["model"], "iPhone 12")
        self.assertTrue(detail["caption"], "the models described the video from its poster frame")

        self.browser.get(f"{self.base}/?q=type%3Avideo")
        self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, ".tile.video")))
        self.browser.get(f"{self.base}/photo/{video_id}")
        video = self.wait(seen.presence_of_element_located((By.CSS_SELECTOR, "video.preview")))
        self.assertEqual(video.get_attribute("src"), f"{self.base}/original/{video_id}")
        self.browser.execute_script("const v = arguments[0]; v.muted = true; v.play().catch((e) => { window.playError = String(e); });", video)
        # H.264 in MP4 plays in Debian's chromium: the clock of the video advances past its first second.
        self.wait(lambda browser: browser.execute_script("return arguments[0].currentTime", video) > 1.0, seconds=30)
        state = self.browser.execute_script(
            "const v = arguments[0]; return [v.readyState, v.error && v.error.message, window.playError || null, v.videoWidth]", video)
        self.assertGreaterEqual(state[0], 2, f"readyState, error, play error, width: {state}")
        self.assertEqual(state[1:], [None, None, 640])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.browser.save_screenshot(str(ARTIFACTS / "video-page.png"))


if __name__ == "__main__":
    unittest.main()
