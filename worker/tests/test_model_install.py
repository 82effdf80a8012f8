"""`models install` against a local host that behaves like the real one (tests/model_host.py): the catalogue's
pinned SHA-256 decides, never the server's ETag or X-Linked-Etag; a cut download resumes with Range; redirect loops
and redirects away from http(s) are refused; nothing is installed until every file is in place and verified."""
import contextlib
import hashlib
import io
import json
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from model_host import ModelHost
from viewfinder_worker import model_store

PREFIX = "/immich-app/tiny-clip/resolve/main/"
FILES = {"visual/model.onnx": os.urandom(300_000), "visual/preprocess_cfg.json": b'{"size": [32, 32]}',
         "textual/model.onnx": os.urandom(200_000), "textual/tokenizer.json": b'{"model": {}}' * 10}


def pinned_catalog():
    """The catalogue's shape, pinned from the very bytes the test serves."""
    return {"tiny-clip": {"kind": "clip", "description": "test stand-in", "files": {
        relative: {"url": "https://huggingface.co" + PREFIX + relative, "sha256": hashlib.sha256(data).hexdigest(),
                   "size": len(data)} for relative, data in FILES.items()}}}


class ModelInstallTests(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        root = Path(self.scratch.name)
        self.installed = root / "installed"
        self.catalog = pinned_catalog()
        self.host = ModelHost({PREFIX + relative: data for relative, data in FILES.items()}).__enter__()
        self.environment = mock.patch.dict(os.environ, {"VIEWFINDER_MODEL_CATALOG": str(root / "catalog.json"),
                                                        "VIEWFINDER_MODELS": str(self.installed),
                                                        "VIEWFINDER_MODEL_HOST": self.host.url})
        self.environment.start()

    def tearDown(self):
        self.environment.stop()
        self.host.__exit__(None, None, None)
        self.scratch.cleanup()

    def install(self):
        """The exit status and what the installer said on stderr."""
        Path(os.environ["VIEWFINDER_MODEL_CATALOG"]).write_text(json.dumps(self.catalog))
        said = io.StringIO()
        with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
            status = model_store.run("install", "tiny-clip", False)
        return status, said.getvalue()

    def assert_not_installed(self):
        folder = self.installed / "clip" / "tiny-clip"
        self.assertFalse(folder.exists(), list(self.installed.rglob("*")))
        self.assertEqual(list(self.installed.rglob(".complete")), [])

    def test_good_install_takes_the_redirect_and_ignores_the_etag(self):
        status, said = self.install()
        self.assertEqual(status, 0, said)
        folder = self.installed / "clip" / "tiny-clip"
        for relative, data in FILES.items():
            self.assertEqual((folder / relative).read_bytes(), data)
        self.assertTrue((folder / ".complete").exists())
        self.assertFalse(folder.with_name("tiny-clip.partial").exists())
        self.assertEqual(len([p for p in self.host.requests if p.startswith("/blobs/")]), 2)  # via the CDN
        self.assertIn("model.onnx: 0.3 MB", said)  # progress, one line per file off a terminal

    def test_tampered_bytes_with_vouching_headers_are_refused(self):
        for relative in ("visual/model.onnx", "textual/tokenizer.json"):  # one from the CDN, one served directly
            with self.subTest(relative=relative):
                original = FILES[relative]
                self.host.tampered = {PREFIX + relative: original[:-1] + bytes([original[-1] ^ 1])}
                status, said = self.install()
                self.assertEqual(status, 1, said)
                self.assertIn("SHA-256", said)
                self.assertIn("the catalogue pins " + hashlib.sha256(original).hexdigest(), said)
                self.assert_not_installed()
                self.assertEqual(list(self.installed.rglob("*.part")), [])
        self.host.tampered = {}
        self.assertEqual(self.install()[0], 0)  # the good files verified before stay staged; the rest follow

    def test_interrupted_download_resumes_with_range(self):
        blob = "/blobs/" + hashlib.sha256(FILES["visual/model.onnx"]).hexdigest()
        self.host.cut_once.add(blob)
        status, said = self.install()
        self.assertEqual(status, 1, said)
        self.assertIn("run the same command again to resume", said)
        self.assert_not_installed()
        (part,) = self.installed.rglob("model.onnx.part")
        kept = part.stat().st_size
        self.assertTrue(0 < kept < len(FILES["visual/model.onnx"]), kept)
        status, said = self.install()
        self.assertEqual(status, 0, said)
        self.assertIn("bytes=%d-" % kept, self.host.ranges)
        self.assertEqual((self.installed / "clip/tiny-clip/visual/model.onnx").read_bytes(), FILES["visual/model.onnx"])

    def test_redirect_loop_is_refused(self):
        first, second = PREFIX + "visual/model.onnx", "/elsewhere/model.onnx"
        self.host.redirects = {first: self.host.url + second, second: self.host.url + first}
        status, said = self.install()
        self.assertEqual(status, 1, said)
        self.assertIn("redirect loop", said)
        self.assert_not_installed()

    def test_redirect_to_another_scheme_is_refused(self):
        for location in ("file:///etc/passwd", "ftp://127.0.0.1/model.onnx"):
            with self.subTest(location=location):
                self.host.redirects = {PREFIX + "visual/model.onnx": location}
                status, said = self.install()
                self.assertEqual(status, 1, said)
                self.assertIn("refusing, a model is only fetched over http or https", said)
                self.assert_not_installed()

    def test_a_file_without_a_pinned_checksum_is_refused_before_any_download(self):
        del self.catalog["tiny-clip"]["files"]["textual/tokenizer.json"]["sha256"]
        status, said = self.install()
        self.assertEqual(status, 1)
        self.assertIn("no pinned checksum for textual/tokenizer.json; refusing to trust the server's headers", said)
        self.assertEqual(self.host.requests, [])


class ShippedCatalogTests(unittest.TestCase):
    def test_pinned_checksums_are_well_formed_and_pinned_to_a_revision(self):
        """A checksum pinned to a moving branch would refuse the file as soon as the branch moved."""
        with open(Path(model_store.__file__).with_name("catalog.json")) as source:
            shipped = json.load(source)
        for name, entry in shipped.items():
            for relative, pinned in entry["files"].items():
                if "sha256" in pinned:
                    self.assertRegex(pinned["sha256"], r"^[0-9a-f]{64}$", (name, relative))
                    self.assertRegex(pinned["url"], r"/resolve/[0-9a-f]{40}/", (name, relative))


if __name__ == "__main__":
    unittest.main()
