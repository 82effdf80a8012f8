#!/usr/bin/env python3
"""Indexing cost per photo from 1k to 100k photos, rescan time of an unchanged library, and peak memory.

Usage: python3 bench/rescan.py [--sizes 1000,10000,100000]
Each library holds copies of a real 128x128 corpus JPEG, each given its own JPEG comment segment so every
file has distinct content (its own hash, thumbnail and row), in folders of 500 as a camera would write them.
"""
import argparse
import shutil
import tempfile
from pathlib import Path

from common import CORPUS, VIEWFINDER, WORK, machine, require_release_build, timed_with_peak_memory


def make_library(size: int) -> Path:
    folder = WORK / f"library-{size}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    photo = (CORPUS / "content" / "pil-hopper.jpg").read_bytes()
    assert photo[:2] == b"\xff\xd8"
    for index in range(size):
        comment = f"viewfinder bench photo {index}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        target = folder / f"{2000 + index // 5000}" / f"{index // 500:04d}" / f"IMG_{index:06d}.JPG"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(photo[:2] + segment + photo[2:])
    marker.touch()
    return folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    require_release_build()
    print(f"machine: {machine()}")
    for size in [int(s) for s in args.sizes.split(",")]:
        library = make_library(size)
        with tempfile.TemporaryDirectory() as data:
            command = [str(VIEWFINDER), "index", "--json", "--no-previews", "--no-vision", "--data", data, str(library)]
            first, first_peak = timed_with_peak_memory(command)
            rescans = [timed_with_peak_memory(command) for _ in range(2)]
        print(f"{size:>7} photos: first index {first:7.1f} s = {first / size * 1000:.2f} ms/photo "
              f"({size / first:.0f} photos/s), peak RSS {first_peak} MiB; unchanged rescans "
              + ", ".join(f"{seconds:.2f} s (peak RSS {peak} MiB)" for seconds, peak in rescans))


if __name__ == "__main__":
    main()
