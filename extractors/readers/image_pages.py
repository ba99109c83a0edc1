"""Image files → OCRed pages (each TIFF frame is a page)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors.ocr import OcrEngine
from extractors.readers.image import iter_frames
from extractors.readers.ocr_page import PageSink, ocr_page
from models import Page


def read_image_pages(path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None = None) -> list[Page]:
    """``dpi`` is nominal for photos: boxes are in the pixels of the upright, size-capped image."""
    return [
        ocr_page(frame, number=index + 1, dpi=dpi, engine=engine(), keep=keep)
        for index, frame in enumerate(iter_frames(path))
    ]
