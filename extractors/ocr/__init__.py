"""OCR engines behind one protocol, chosen by name (the caller's ``Settings.ocr_engine``)."""

from __future__ import annotations

from extractors.ocr.base import OcrEngine, OcrUnavailableError

__all__ = ["ENGINES", "OcrEngine", "OcrUnavailableError", "engine_label", "get_engine"]

ENGINES = ("rapidocr", "paddleocr")
_cache: dict[str, OcrEngine] = {}


def get_engine(name: str = ENGINES[0]) -> OcrEngine:
    """The process-wide engine ``name`` (``Settings.ocr_engine``; rapidocr when the caller has none).

    Engines load models once and are reused: loading costs ~0.5 s, a page costs about as much.
    """
    chosen = (name or ENGINES[0]).strip().lower()
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
