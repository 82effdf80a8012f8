"""viewfinder models list|install|remove: downloads with a progress bar, resumes a cut download from its
.part file, checks every file's SHA-256 (the catalogue's, else the one the server states), and marks an install
complete only when every file is in place, so the worker never loads half a model."""
import hashlib
import http.client
import json
import os
import shutil
import sys
import time
import urllib.request
from pathlib import Path

from .paths import installed_models

CHUNK = 1 << 20


def catalog():
    path = os.environ.get("VIEWFINDER_MODEL_CATALOG") or Path(__file__).with_name("catalog.json")
    with open(path) as source:
        return json.load(source)


def model_folder(name, entry):
    return installed_models() / entry["kind"] / name


def run(action, name, as_json):
    models = catalog()
    if action == "list":
        rows = [{"name": n, "kind": e["kind"], "installed": (model_folder(n, e) / ".complete").exists(),
                 "description": e["description"]} for n, e in sorted(models.items())]
        if as_json:
            print(json.dumps(rows, indent=2))
        else:
            for row in rows:
                print("%-22s %-10s %-10s %s" % (row["name"], row["kind"],
                                                "installed" if row["installed"] else "-", row["description"]))
        return 0
    if name not in models:
        print("no model named %r; `viewfinder models list` shows the ones known" % name, file=sys.stderr)
        return 2
    folder = model_folder(name, models[name])
    if action == "remove":
        if not folder.exists():
            print("%s is not installed" % name, file=sys.stderr)
            return 2
        shutil.rmtree(folder)
        print("removed %s" % name)
        return 0
    if (folder / ".complete").exists():
        print("%s is already installed in %s" % (name, folder))
        return 0
    for relative, source in models[name]["files"].items():
        if isinstance(source, str):
            source = {"url": source}
        try:
            download(source["url"], folder / relative, source.get("sha256"))
        except (OSError, ValueError, http.client.HTTPException) as error:
            print("could not install %s: %s (run the same command again to resume)" % (name, error),
                  file=sys.stderr)
            return 1
    (folder / ".complete").write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    print("installed %s in %s; the worker uses it from its next start" % (name, folder))
    return 0


def download(url, target, expected_sha256):
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    have = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(url, headers={"Range": "bytes=%d-" % have} if have else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        if have and response.status != 206:
            have = 0  # the server ignored the range: start over
        total = have + int(response.headers.get("Content-Length") or 0)
        stated = (response.headers.get("X-Linked-Etag") or response.headers.get("ETag") or "").strip('"')
        expected = expected_sha256 or (stated if len(stated) == 64 else None)
        if not expected:
            raise ValueError("no checksum known for %s and the server states none" % url)
        with open(partial, "ab" if have else "wb") as output:
            bar = ProgressBar(target.name, total, have)
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                output.write(chunk)
                bar.advance(len(chunk))
            output.flush()
            os.fsync(output.fileno())
            bar.finish()
            if response.headers.get("Content-Length") and bar.done < total:
                raise OSError("connection closed after %d of %d bytes" % (bar.done, total))
    digest = hashlib.sha256()
    with open(partial, "rb") as written:
        for block in iter(lambda: written.read(CHUNK), b""):
            digest.update(block)
    if digest.hexdigest() != expected.lower():
        partial.unlink()
        raise ValueError("%s: SHA-256 %s, expected %s; the partial file was removed"
                         % (target.name, digest.hexdigest(), expected))
    os.replace(partial, target)


class ProgressBar:
    def __init__(self, label, total, done):
        self.label, self.total, self.done = label, total, done
        self.terminal = sys.stderr.isatty()
        self.shown = 0.0

    def advance(self, count):
        self.done += count
        now = time.monotonic()
        if self.terminal and now - self.shown > 0.2:
            self.shown = now
            fraction = self.done / self.total if self.total else 0
            filled = int(fraction * 30)
            sys.stderr.write("\r%-28s [%s%s] %5.1f%% %8.1f MB" % (self.label[:28], "#" * filled,
                             "." * (30 - filled), fraction * 100, self.done / 1e6))
            sys.stderr.flush()

    def finish(self):
        if self.terminal:
            sys.stderr.write("\n")
        else:
            sys.stderr.write("%s: %.1f MB\n" % (self.label, self.done / 1e6))
