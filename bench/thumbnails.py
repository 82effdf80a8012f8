#!/usr/bin/env python3
"""Indexing throughput on 12 MP JPEGs against djpeg in the same run: `viewfinder index --no-previews` (metadata and
thumbnail) against `djpeg -scale 1/8`, a default index (metadata, thumbnail and 1440 px preview) against
`djpeg -scale 1/2`, and vipsthumbnail for scale.

Usage: python3 bench/thumbnails.py [--photos 60] [--rounds 2]
The photos are made from real corpus photos: cropped and scaled to 4000x3000, given sensor-like noise so they
compress like camera files (about 4-5 MB each), with a real camera's EXIF copied in by exiftool.
"""
import argparse
import resource
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


def measured(run) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, of every child waited for) of one measurement."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    listing = " ".join(files)
    n = len(files)

    # Both references get both cores: xargs runs two processes at a time, as the indexer runs two threads.
    def djpeg(scale):
        return lambda: timed(f"printf '%s\\n' {listing} | xargs -P 2 -I{{}} djpeg -scale {scale} -outfile /dev/null {{}}",
                             shell=True)

    def vipsthumbnail():
        with tempfile.TemporaryDirectory() as out:
            return timed(f"printf '%s\\n' {listing} | xargs -P 2 -n 10 vipsthumbnail --size 256 -o {out}/%s.webp",
                         shell=True)

    peaks = {}

    def index(*flags):
        def run():
            with tempfile.TemporaryDirectory() as data:
                seconds, peaks[flags] = timed_with_peak_memory(
                    [str(VIEWFINDER), "index", *flags, "--no-vision", "--json", "--threads", "2", "--data", data, str(folder)])
            return seconds
        return run

    for round_number in range(1, args.rounds + 1):
        eighth = measured(djpeg("1/8"))
        thumbnails = measured(index("--no-previews"))
        half = measured(djpeg("1/2"))
        default = measured(index())
        vips = measured(vipsthumbnail)
        print(f"round {round_number}:                              photos/s   CPU s  (wall ratio, CPU ratio)")
        print(f"  djpeg -scale 1/8 (decode only)         {n / eighth[0]:7.1f}  {eighth[1]:6.2f}")
        print(f"  viewfinder index --no-previews         {n / thumbnails[0]:7.1f}  {thumbnails[1]:6.2f}  "
              f"({eighth[0] / thumbnails[0]:.2f}x, {eighth[1] / thumbnails[1]:.2f}x djpeg 1/8), peak RSS {peaks[('--no-previews',)]} MiB")
        print(f"  djpeg -scale 1/2 (decode only)         {n / half[0]:7.1f}  {half[1]:6.2f}")
        print(f"  viewfinder index (thumbnail, preview)  {n / default[0]:7.1f}  {default[1]:6.2f}  "
              f"({half[0] / default[0]:.2f}x, {half[1] / default[1]:.2f}x djpeg 1/2), peak RSS {peaks[()]} MiB")
        print(f"  vipsthumbnail --size 256 (webp)        {n / vips[0]:7.1f}  {vips[1]:6.2f}  "
              f"(viewfinder --no-previews {vips[0] / thumbnails[0]:.2f}x)")


if __name__ == "__main__":
    main()
