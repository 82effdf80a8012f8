"""Which weights describe the photos: `name@` and the first 12 hex of a SHA-256 over a model's files, so the
indexer can tell a description made by other weights and describe that photo again."""
import hashlib
import os
from pathlib import Path

CHUNK = 1 << 20

# (path, size, mtime_ns) -> SHA-256 hex; in memory only, so a file that changes is hashed again.
_file_digests = {}


def file_digest(path):
    status = os.stat(path)
    key = (str(path), status.st_size, status.st_mtime_ns)
    if key not in _file_digests:
        _file_digests[key] = sha256_of(path)
    return _file_digests[key]


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def identity(name, folder, files):
    """`name@hash` over the files (relative to folder) with their names, so a renamed file counts too."""
    combined = hashlib.sha256()
    for relative in sorted(str(f) for f in files):
        combined.update(("%s\0%s\n" % (relative, file_digest(Path(folder) / relative))).encode())
    return "%s@%s" % (name, combined.hexdigest()[:12])


def folder_identity(name, folder):
    """An installed model is every file in its folder but the installer's own markers."""
    folder = Path(folder)
    files = [p.relative_to(folder) for p in folder.rglob("*")
             if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".part")]
    return identity(name, folder, files)
