"""The demo library's manifest (scripts/demo-library.tsv) and, where scripts/setup.sh has fetched it, the library
on disk: every file pinned, licensed and exactly the bytes the manifest names."""
import hashlib
import importlib.util
import pathlib
import re
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "demo-library"
spec = importlib.util.spec_from_file_location("demo_library", ROOT / "scripts/demo-library.py")
demo_library = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo_library)


class ManifestTest(unittest.TestCase):
    rows = demo_library.read_manifest()

    def test_every_file_is_pinned_and_licensed(self):
        self.assertGreater(len(self.rows), 30)
        for row in self.rows:
            with self.subTest(target=row["target"]):
                self.assertRegex(row["package"], r"^[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*$", "an exact version")
                self.assertIn(row["kind"], {"wheel", "sdist"})
                self.assertRegex(row["sha256"], r"^[0-9a-f]{64}$")
                self.assertTrue(row["licence"].strip() and row["origin"].strip(), "a licence and an origin")
                self.assertFalse(pathlib.PurePosixPath(row["target"]).is_absolute() or ".." in row["target"])

    def test_no_two_files_share_a_place_or_a_name(self):
        # The browser test finds demo photos by file name, so names are unique across folders too.
        targets = [row["target"] for row in self.rows]
        self.assertEqual(len(targets), len(set(targets)))
        names = [pathlib.PurePosixPath(target).name for target in targets]
        self.assertEqual(len(names), len(set(names)))

    def test_the_licence_list_has_a_line_per_file(self):
        table = demo_library.licences(self.rows)
        for row in self.rows:
            self.assertEqual(len(re.findall(rf"^\| {re.escape(row['target'])} \|", table, re.MULTILINE)), 1)


@unittest.skipUnless((LIBRARY / "LICENCES.md").is_file(), "no demo library (scripts/setup.sh fetches it)")
class FetchedLibraryTest(unittest.TestCase):
    def test_the_library_holds_exactly_the_pinned_files(self):
        rows = demo_library.read_manifest()
        on_disk = {path.relative_to(LIBRARY).as_posix() for path in LIBRARY.rglob("*") if path.is_file()}
        self.assertEqual(on_disk, {row["target"] for row in rows} | {"LICENCES.md"})
        for row in rows:
            with self.subTest(target=row["target"]):
                self.assertEqual(hashlib.sha256((LIBRARY / row["target"]).read_bytes()).hexdigest(), row["sha256"])
        self.assertEqual((LIBRARY / "LICENCES.md").read_text(), demo_library.licences(rows))


if __name__ == "__main__":
    unittest.main()
