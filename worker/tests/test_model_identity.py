"""The `models` a worker says hello with: identities of the exact weights (`name@hash`) that stay the same across
restarts and change when a model file's bytes change (switches without `@`: test_worker's BundledModelTests)."""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from viewfinder_worker import protocol
from viewfinder_worker.paths import bundled_models

MODELS = bundled_models()
IDENTITY = re.compile(r"^[^@]+@[0-9a-f]{12}$")


def hello(environment):
    """The models a freshly started worker names, over stdio as the indexer asks."""
    answer = subprocess.run([sys.executable, "-m", "viewfinder_worker", "--no-text"], env=environment,
                            input=protocol.encode({"op": "hello"}) + protocol.encode({"op": "shutdown"}),
                            capture_output=True, timeout=180)
    header, _ = protocol.decode(protocol.read_frame(io.BytesIO(answer.stdout)))
    return header["models"]


@unittest.skipUnless((MODELS / ".complete").exists(), "bundled models not exported (run scripts/setup.sh)")
class ModelIdentityTests(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.environment = dict(os.environ, VIEWFINDER_MODELS=os.path.join(self.scratch.name, "none-installed"))

    def tearDown(self):
        self.scratch.cleanup()

    def test_identities_are_stable_across_restarts(self):
        first, second = hello(self.environment), hello(self.environment)
        self.assertEqual(first, second)
        self.assertTrue(all(IDENTITY.match(name) for name in first), first)
        self.assertNotIn("pp-ocr", first)  # text reading was off

    def test_identity_changes_with_the_bytes_of_a_model_file(self):
        copy = Path(self.scratch.name) / "models"
        shutil.copytree(MODELS, copy)
        before = hello(dict(self.environment, VIEWFINDER_BUNDLED_MODELS=str(copy)))
        with open(copy / "sentence-tokenizer.json", "a") as tokenizer:
            tokenizer.write("\n")  # still valid JSON: the model loads, its identity must differ
        after = hello(dict(self.environment, VIEWFINDER_BUNDLED_MODELS=str(copy)))
        changed = [(old, new) for old, new in zip(before, after) if old != new]
        self.assertEqual(len(changed), 1, (before, after))
        self.assertTrue(changed[0][0].startswith("all-MiniLM-L6-v2@"))
        self.assertEqual(changed[0][0].split("@")[0], changed[0][1].split("@")[0])


if __name__ == "__main__":
    unittest.main()
