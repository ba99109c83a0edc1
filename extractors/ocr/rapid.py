"""The default engine: rapidocr 3.x on onnxruntime with the PP-OCRv6 models inside its wheel (offline)."""

from __future__ import annotations

import os
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from extractors.ocr import OcrUnavailableError
from extractors.ocr.lines import to_text_lines
from models import TextLine

# rapidocr shrinks pages to this long side before detection and cropping; 2000 (its default)
# loses small print on an A4 page at 200 dpi (2339 px), so keep the page at raster size.
MAX_SIDE_LEN = 2400


def _threads() -> int:
    configured = os.environ.get("EVIDENCE_OCR_THREADS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, min(4, os.cpu_count() or 1))


class RapidOcrEngine:
    """One RapidOCR object per process; calls are serialised because onnxruntime sessions are reused."""

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - a base dependency
            raise OcrUnavailableError("未安装 rapidocr，无法进行文字识别") from exc
        model_dir = Path(rapidocr.__file__).parent / "models"
        models = {
            "Det.model_path": model_dir / "PP-OCRv6_det_small.onnx",
            "Rec.model_path": model_dir / "PP-OCRv6_rec_small.onnx",
            "Cls.model_path": model_dir / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        }
        missing = [str(path) for path in models.values() if not path.is_file()]
        if missing:
            raise OcrUnavailableError(f"rapidocr 模型文件缺失：{', '.join(missing)}")
        threads = _threads()
        params: dict[str, Any] = {key: str(path) for key, path in models.items()}
        params.update(
            {
                "Global.log_level": "error",
                "Global.max_side_len": MAX_SIDE_LEN,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        self._ocr = RapidOCR(params=params)
        self._lock = threading.Lock()
        self.version = f"{metadata.version('rapidocr')}+PP-OCRv6-small"

    def recognize(self, image: np.ndarray) -> list[TextLine]:
        height, width = image.shape[:2]
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        with self._lock:
            output = self._ocr(bgr)
        boxes = getattr(output, "boxes", None)
        texts = getattr(output, "txts", None)
        scores = getattr(output, "scores", None)
        if boxes is None or texts is None or scores is None or len(texts) == 0:
            return []
        results = [
            (box.tolist(), str(text), float(score)) for box, text, score in zip(boxes, texts, scores, strict=False)
        ]
        return to_text_lines(results, width, height)

    def upside_down_share(self, crops: list[np.ndarray]) -> float:
        """Share of line crops (RGB) that the cls model reads as turned 180°, weighted by its score."""
        if not crops:
            return 0.0
        with self._lock:
            classifier = self._ocr._load_cls_model()  # type: ignore[no-untyped-call]
            output = classifier([cv2.cvtColor(crop, cv2.COLOR_RGB2BGR) for crop in crops])
        votes = [(str(label), float(score)) for label, score in (output.cls_res or [])]
        flipped = sum(score for label, score in votes if "180" in label)
        upright = sum(score for label, score in votes if "180" not in label)
        total = flipped + upright
        return flipped / total if total > 0 else 0.0
