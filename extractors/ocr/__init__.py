"""OCR engines behind one protocol, chosen by name (``EVIDENCE_OCR_ENGINE`` or the caller)."""

from __future__ import annotations

import os

from extractors.ocr.base import OcrEngine, OcrUnavailableError

__all__ = ["ENGINES", "OcrEngine", "OcrUnavailableError", "engine_label", "get_engine"]

ENGINES = ("rapidocr", "paddleocr")
_cache: dict[str, OcrEngine] = {}


def get_engine(name: str | None = None) -> OcrEngine:
    """The process-wide engine ``name`` (default: ``EVIDENCE_OCR_ENGINE``, else rapidocr).

    Engines load models once and are reused: loading costs ~0.5 s, a page costs about as much.
    """
    chosen = (name or os.environ.get("EVIDENCE_OCR_ENGINE") or "rapidocr").strip().lower()
    if chosen not in ENGINES:
        raise OcrUnavailableError(f"未知的 OCR 引擎 {chosen!r}（可选：{', '.join(ENGINES)}）")
    engine = _cache.get(chosen)
    if engine is None:
        if chosen == "rapidocr":
            from extractors.ocr.rapid import RapidOcrEngine

            engine = RapidOcrEngine()
        else:
            from extractors.ocr.paddle import PaddleOcrEngine

            engine = PaddleOcrEngine()
        _cache[chosen] = engine
    return engine


def engine_label(engine: OcrEngine) -> str:
    """``name version``, as recorded on Document.ocr_engine and used in OCR cache keys."""
    return f"{engine.name} {engine.version}"
