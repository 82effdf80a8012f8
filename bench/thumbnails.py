#!/usr/bin/env python3
"""Thumbnail + metadata throughput on 12 MP JPEGs, against djpeg -scale 1/8 and vipsthumbnail in the same run.

Usage: python3 bench/thumbnails.py [--photos 60] [--rounds 2]
The photos are made from real corpus photos: cropped and scaled to 4000x3000, given sensor-like noise so they
compress like camera files (about 4-5 MB each), with a real camera's EXIF copied in by exiftool.
"""
import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import CORPUS, VIEWFINDER, WORK, machine, require_release_build, timed, timed_with_peak_memory

SOURCES = ["content/dk-kite.jpg", "content/es-28-hex_value.jpg", "content/skl-china.jpg", "content/ski-chelsea.png",
           "content/ski-coffee.png", "content/dk-dog.jpg", "content/es-22-canon_tags.jpg", "content/ski-astronaut.png"]
EXIF_DONOR = "exif/cameras/mei-Canon_EOS_REBEL_T3i.jpg"


def make_photos(count: int) -> Path:
    folder = WORK / f"12mp-{count}"
    if folder.exists() and len(list(folder.glob("*.jpg"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for index in range(count):
        source = CORPUS / SOURCES[index % len(SOURCES)]
        target = folder / f"IMG_{index:04d}.jpg"
        with tempfile.TemporaryDirectory() as scratch:
            big = f"{scratch}/big.v"
            noise = f"{scratch}/noise.v"
            subprocess.run(["vips", "thumbnail", str(source), big, "4000", "--height", "3000", "--size", "force"], check=True)
            subprocess.run(["vips", "gaussnoise", noise, "4000", "3000", "--sigma", str(6 + index % 5), "--mean", "0"],
                           check=True)
            mixed = f"{scratch}/mixed.v"
            subprocess.run(["vips", "add", big, noise, mixed], check=True)
            subprocess.run(["vips", "cast", mixed, str(target) + "[Q=92]", "uchar"], check=True)
        subprocess.run(["exiftool", "-q", "-overwrite_original", "-TagsFromFile", str(CORPUS / EXIF_DONOR), "-all:all",
                        "-Orientation=1", "-n", str(target)], check=True)
    return folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    require_release_build()
    folder = make_photos(args.photos)
    files = sorted(str(p) for p in folder.glob("*.jpg"))
    megabytes = sum(Path(f).stat().st_size for f in files) / 1e6
    print(f"machine: {machine()}")
    print(f"photos: {len(files)} JPEGs, 4000x3000, {megabytes / len(files):.1f} MB each on average")
    for round_number in range(1, args.rounds + 1):
        # Both references get both cores: xargs runs two processes at a time, as the indexer runs two threads.
        djpeg = timed(f"printf '%s\\n' {' '.join(files)} | xargs -P 2 -I{{}} djpeg -scale 1/8 -outfile /dev/null {{}}",
                      shell=True)
        with tempfile.TemporaryDirectory() as out:
            vipsthumbnail = timed(f"printf '%s\\n' {' '.join(files)} | xargs -P 2 -n 10 vipsthumbnail --size 256 "
                                  f"-o {out}/%s.webp", shell=True)
        with tempfile.TemporaryDirectory() as data:
            ours, peak = timed_with_peak_memory([str(VIEWFINDER), "index", "--no-previews", "--no-vision", "--json", "--threads", "2",
                                                 "--data", data, str(folder)])
            previews, preview_peak = timed_with_peak_memory([str(VIEWFINDER), "index", "--json", "--no-vision", "--threads", "2",
                                                             "--data", data, str(folder)])
        n = len(files)
        print(f"round {round_number}:")
        print(f"  djpeg -scale 1/8 (decode only)         {n / djpeg:7.1f} photos/s")
        print(f"  vipsthumbnail --size 256 (webp)        {n / vipsthumbnail:7.1f} photos/s  "
              f"({djpeg / vipsthumbnail:.2f}x djpeg)")
        print(f"  viewfinder index, thumbnails+metadata  {n / ours:7.1f} photos/s  ({djpeg / ours:.2f}x djpeg, "
              f"{vipsthumbnail / ours:.2f}x vipsthumbnail), peak RSS {peak} MiB")
        print(f"  viewfinder 1440 px previews (2nd pass) {n / previews:7.1f} photos/s, peak RSS {preview_peak} MiB")


if __name__ == "__main__":
    main()
