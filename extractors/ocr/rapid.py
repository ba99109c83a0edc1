"""The default engine: rapidocr 3.x on onnxruntime with the PP-OCRv6 models inside its wheel (offline).

rapidocr's detector, classifier and recogniser are driven directly rather than through
``RapidOCR.__call__``: detection runs on a copy of the page shrunk to ``DET_SIDE`` px (its cost
grows with the pixel count), while each line is cut for recognition from the full-resolution
page, so small print keeps its detail. The line classifier is skipped because pages are turned
upright beforehand (extractors/imaging.py). Figures in bench/reading.py.

Recognition is batched here too, not through rapidocr's recogniser: crops sorted by width, up to
``REC_BATCH`` per run, each batch padded only to its widest crop. rapidocr pads every batch to at
least 320 px (6.7× the 48 px height) while a median invoice line is ~170 px wide, so half of its
work was padding: 4.1 → 2.4 CPU-s for the 76 lines of a scanned invoice, same text on every line.
The onnxruntime sessions are rebuilt with the CPU arena on and thread spinning off (spinning
threads burn CPU a loaded worker needs elsewhere: 2.8 → 2.5 CPU-s on 2 threads).
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import cv2
import numpy as np

from extractors.ocr.base import OcrUnavailableError
from extractors.ocr.lines import ink_rows, to_text_lines
from models import TextLine

MIN_SCORE = 0.5
REC_BATCH = 8
_REC_HEIGHT = 48


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


# Long side of the detection image. Measured on six corpus scans (bench/reading.py det_sides):
# 960, 1280, 1600 and 2000 px found the same field values (48/56) at 5.7, 5.8, 6.6 and 7.4 CPU-s
# per page (whole read, loaded machine); 1280 keeps a margin for 7 pt print.
DET_SIDE = _env_int("EVIDENCE_OCR_DET_SIDE", 1280)


class RapidOcrEngine:
    """One set of onnxruntime sessions per process; calls are serialised on a lock."""

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
        threads = _env_int("EVIDENCE_OCR_THREADS", max(1, min(4, os.cpu_count() or 1)))
        params: dict[str, Any] = {key: str(path) for key, path in models.items()}
        params.update(
            {
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        self._ocr = RapidOCR(params=params)
        self._rec_session = _session(models["Rec.model_path"], threads)
        # rapidocr keeps each stage's onnxruntime session on ``stage.session.session``.
        self._ocr._load_det_model().session.session = _session(models["Det.model_path"], threads)  # type: ignore[no-untyped-call]
        self._ocr._load_cls_model().session.session = _session(models["Cls.model_path"], threads)  # type: ignore[no-untyped-call]
        self._ocr._load_rec_model().session.session = self._rec_session  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()
        self.det_side = DET_SIDE
        self.version = f"{metadata.version('rapidocr')}+PP-OCRv6-small+det{self.det_side}"

    def recognize(self, image: np.ndarray) -> list[TextLine]:
        from rapidocr.utils.process_img import get_rotate_crop_image

        height, width = image.shape[:2]
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR) if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        scale = min(1.0, self.det_side / max(height, width))
        small = bgr if scale >= 1.0 else cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        with self._lock:
            detector = self._ocr._load_det_model()  # type: ignore[no-untyped-call]
            found = detector(small)
            if found.boxes is None or len(found.boxes) == 0:
                return []
            boxes = [np.asarray(box, dtype=np.float32) / scale for box in found.boxes]
            crops = [get_rotate_crop_image(bgr, box.copy()) for box in boxes]
            read = self._recognise_crops(crops)
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        results = [
            (box.tolist(), r.text, r.score, r.centres, ink_rows(grey, box.tolist()))
            for box, r in zip(boxes, read, strict=False)
            if r.score >= MIN_SCORE and r.text.strip()
        ]
        return to_text_lines(results, width, height)

    def recognize_crops(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """(text, score) per RGB image of one text line, without detection (callers that cut lines: seals)."""
        if not crops:
            return []
        bgr = [cv2.cvtColor(crop, cv2.COLOR_RGB2BGR) for crop in crops]
        with self._lock:
            return [(r.text, r.score) for r in self._recognise_crops(bgr)]

    def _recognise_crops(self, crops: list[np.ndarray]) -> list[Read]:
        """Text, score and character centres per BGR line crop, in the crops' order; batches of
        similar width, no extra padding."""
        recogniser = self._ocr._load_rec_model()  # type: ignore[no-untyped-call]
        input_name = self._rec_session.get_inputs()[0].name
        ratios = [crop.shape[1] / max(1, crop.shape[0]) for crop in crops]
        order = sorted(range(len(crops)), key=lambda index: ratios[index])
        read: list[Read] = [Read("", 0.0, ())] * len(crops)
        for start in range(0, len(order), REC_BATCH):
            batch = order[start : start + REC_BATCH]
            widest = max(ratios[index] for index in batch)
            width = max(_REC_HEIGHT // 2, int(np.ceil(_REC_HEIGHT * widest)))
            tensor = np.stack([_normalise(crops[index], width) for index in batch])
            predictions = self._rec_session.run(None, {input_name: tensor})[0]
            decoded, _ = recogniser.postprocess_op(
                predictions, False, wh_ratio_list=[ratios[index] for index in batch], max_wh_ratio=widest
            )
            for row, (index, (text, score)) in enumerate(zip(batch, decoded, strict=True)):
                scaled = min(width, int(np.ceil(_REC_HEIGHT * ratios[index])))
                centres = _char_centres(predictions[row], width / max(1, scaled))
                read[index] = Read(str(text), float(score), centres if len(centres) == len(str(text)) else ())
        return read

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


class Read(NamedTuple):
    """One recognised line crop: its text, score, and each character's centre as a share of the
    crop's width (empty where the decoder's columns do not match the text)."""

    text: str
    score: float
    centres: tuple[float, ...]


def _char_centres(prediction: np.ndarray, stretch: float) -> tuple[float, ...]:
    """Where the CTC decoder emitted each character, as a share of the crop's width.

    The decoder keeps a column where its best class changes and is not the blank (as rapidocr's
    own ``remove_duplicate`` decode does); ``stretch`` maps the padded input back onto the crop.
    """
    best = prediction.argmax(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    columns = np.flatnonzero(keep)
    steps = max(1, len(best))
    return tuple(float(min(1.0, (c + 0.5) / steps * stretch)) for c in columns)


def _session(path: Path, threads: int) -> Any:
    """An onnxruntime session as rapidocr builds one, plus the arena and without spin-waiting threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = True
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def _normalise(crop: np.ndarray, width: int) -> np.ndarray:
    """A BGR crop scaled to the model's 48 px height, values in [-1, 1], right-padded with 0 to ``width``."""
    height, crop_width = crop.shape[:2]
    scaled = min(width, int(np.ceil(_REC_HEIGHT * crop_width / max(1, height))))
    resized = cv2.resize(crop, (max(1, scaled), _REC_HEIGHT)).astype(np.float32)
    out = np.zeros((3, _REC_HEIGHT, width), dtype=np.float32)
    out[:, :, : resized.shape[1]] = resized.transpose(2, 0, 1) / 127.5 - 1.0
    return out
