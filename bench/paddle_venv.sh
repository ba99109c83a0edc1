#!/usr/bin/env bash
# Builds bench/.paddle-venv (PaddleOCR 3.x + paddlepaddle CPU) and runs bench/paddle_ocr.py there:
# the same OCR test with rapidocr and PaddleOCR, accuracy and speed side by side.
# PaddleOCR pulls opencv-contrib-python, which conflicts with .venv's opencv-python-headless.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.paddle-venv
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
[ -x "$venv/bin/python" ] || "$PY" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q "paddleocr>=3.0" "paddlepaddle>=3.0" onnxruntime "rapidocr==3.10.0" \
  pydantic pypdfium2 reportlab qrcode pillow numpy defusedxml openpyxl pyyaml platformdirs rapidfuzz
# rapidocr and paddleocr each bring an OpenCV wheel writing cv2/: keep one, intact.
"$venv/bin/python" -m pip uninstall -q -y opencv-python-headless opencv-python || true
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps opencv-contrib-python
PYTHONPATH="$PWD" "$venv/bin/python" -m bench.paddle_ocr
