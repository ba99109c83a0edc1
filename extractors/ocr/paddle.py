"""The optional PaddleOCR 3.x engine, for machines with paddlepaddle (GPU); never downloads models.

Model directories come from ``EVIDENCE_PADDLE_DET_DIR`` and ``EVIDENCE_PADDLE_REC_DIR``; each
holds the model files and an ``inference.yml`` naming the model (PaddleX reads it). The ONNX
models from the rapidocr wheel with such a file work when ``EVIDENCE_PADDLE_ENGINE=onnxruntime``.
PaddleOCR pulls in opencv-contrib-python, which conflicts with opencv-python-headless, so it runs
in its own virtual environment (bench/paddle_venv.sh).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import yaml

from extractors.ocr.base import OcrUnavailableError
from extractors.ocr.lines import to_text_lines
from models import TextLine

_NOT_INSTALLED = "未安装 paddleocr（可选组件：pip install -e .[paddle]），请改用 rapidocr"


def _model_dir(variable: str) -> tuple[Path, str]:
    configured = os.environ.get(variable)
    if not configured:
        raise OcrUnavailableError(f"PaddleOCR 需要本地模型目录：请设置 {variable}（不会自动下载模型）")
    directory = Path(configured)
    spec = directory / "inference.yml"
    if not spec.is_file():
        raise OcrUnavailableError(f"PaddleOCR 模型目录 {directory} 中缺少 inference.yml")
    try:
        loaded = yaml.safe_load(spec.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, OSError) as exc:
        raise OcrUnavailableError(f"无法读取 {spec}：{exc}") from exc
    name = str((loaded.get("Global") or {}).get("model_name") or "")
    if not name:
        raise OcrUnavailableError(f"{spec} 中缺少 Global.model_name")
    return directory, name


class PaddleOcrEngine:
    """PaddleOCR's detection + recognition pipeline on the upright page (our imaging does orientation)."""

    name = "paddleocr"

    def __init__(self) -> None:
        if importlib.util.find_spec("paddleocr") is None:
            raise OcrUnavailableError(_NOT_INSTALLED)
        det_dir, det_name = _model_dir("EVIDENCE_PADDLE_DET_DIR")
        rec_dir, rec_name = _model_dir("EVIDENCE_PADDLE_REC_DIR")
        # Skip PaddleX's start-up check of remote model hosters: this engine must work offline.
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise OcrUnavailableError(_NOT_INSTALLED) from exc
        options: dict[str, Any] = {
            "text_detection_model_name": det_name,
            "text_detection_model_dir": str(det_dir),
            "text_recognition_model_name": rec_name,
            "text_recognition_model_dir": str(rec_dir),
            "use_doc_orientation_classify": False,
            "use_doc_unwarping": False,
            "use_textline_orientation": False,
        }
        engine = os.environ.get("EVIDENCE_PADDLE_ENGINE")
        if engine:
            options["engine"] = engine
        try:
            self._ocr = PaddleOCR(**options)
        except Exception as exc:  # PaddleX raises its own error types for bad model dirs
            raise OcrUnavailableError(f"PaddleOCR 无法加载本地模型：{exc}") from exc
        self._lock = threading.Lock()
        self.version = f"{metadata.version('paddleocr')}+{det_name}+{rec_name}"

    def recognize(self, image: np.ndarray) -> list[TextLine]:
        height, width = image.shape[:2]
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        with self._lock:
            outputs = list(self._ocr.predict(bgr))
        results: list[tuple[list[list[float]], str, float]] = []
        for output in outputs:
            texts = output.get("rec_texts") or []
            scores = output.get("rec_scores") or []
            polys = output.get("rec_polys")
            if polys is None:
                polys = output.get("dt_polys") or []
            for poly, text, score in zip(polys, texts, scores, strict=False):
                results.append((np.asarray(poly, dtype=float).tolist(), str(text), float(score)))
        return to_text_lines(results, width, height)
