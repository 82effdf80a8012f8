"""viewfinder models list|install|remove: every file of a model must have its SHA-256 pinned in the catalogue
(a file without one is refused before anything is downloaded); files are fetched into a staging folder that
survives a cut download, and the model's folder appears, with its .complete marker, only once every file is in
place and verified, so the worker never loads half a model."""
import http.client
import json
import os
import re
import shutil
import sys
import time
import urllib.parse
from pathlib import Path

from .download import fetch
from .paths import installed_models

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def catalog():
    path = os.environ.get("VIEWFINDER_MODEL_CATALOG") or Path(__file__).with_name("catalog.json")
    with open(path) as source:
        return json.load(source)


def model_folder(name, entry):
    return installed_models() / entry["kind"] / name


def staging_folder(folder):
    return folder.with_name(folder.name + ".partial")


def hosted(url):
    """The catalogue's URL, or the same path on VIEWFINDER_MODEL_HOST (a mirror): the pinned checksums decide."""
    host = os.environ.get("VIEWFINDER_MODEL_HOST")
    if not host:
        return url
    base = urllib.parse.urlsplit(host)
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(scheme=base.scheme, netloc=base.netloc))


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
        present = [f for f in (folder, staging_folder(folder)) if f.exists()]
        if not present:
            print("%s is not installed" % name, file=sys.stderr)
            return 2
        for found in present:
            shutil.rmtree(found)
        print("removed %s" % name)
        return 0
    return install(name, models[name]["files"], folder)


def install(name, files, folder):
    if (folder / ".complete").exists():
        print("%s is already installed in %s" % (name, folder))
        return 0
    unpinned = [relative for relative, pinned in files.items() if not SHA256.match(pinned.get("sha256") or "")]
    if unpinned:
        print("could not install %s: no pinned checksum for %s; refusing to trust the server's headers"
              % (name, ", ".join(unpinned)), file=sys.stderr)
        return 1
    staging = staging_folder(folder)
    for relative, pinned in files.items():
        try:
            fetch(hosted(pinned["url"]), staging / relative, pinned)
        except ValueError as error:  # refused: the same server would be refused again
            print("could not install %s: %s" % (name, error), file=sys.stderr)
            return 1
        except (OSError, http.client.HTTPException) as error:  # cut off: the .part file resumes
            print("could not install %s: %s (run the same command again to resume)" % (name, error),
                  file=sys.stderr)
            return 1
    (staging / ".complete").write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    if folder.exists():
        shutil.rmtree(folder)  # an unfinished install by an older version, which downloaded in place
    os.replace(staging, folder)
    print("installed %s in %s; the worker uses it from its next start" % (name, folder))
    return 0
