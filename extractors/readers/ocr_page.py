"""One page image → an OCRed ``Page``: upright it, recognise it, decode its QR codes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from extractors import imaging
from extractors.ocr import OcrEngine
from extractors.qr import decode_qr
from models import Page

PageSink = Callable[[int, np.ndarray], None]
"""Called with an OCRed page's number and upright image: the pixels its boxes refer to. The review
images are kept from it, where drawing the page again would cost a second render and deskew."""


def ocr_page(image: np.ndarray, *, number: int, dpi: int, engine: OcrEngine, keep: PageSink | None = None) -> Page:
    """The page as OCR reads it after orientation and skew correction; boxes are in the upright image."""
    upright, geometry = imaging.prepare(image, engine)
    if keep is not None:
        keep(number, upright)
    lines = engine.recognize(upright)
    height, width = upright.shape[:2]
    return Page(
        number=number,
        width=width,
        height=height,
        dpi=dpi,
        lines=lines,
        text_source="ocr",
        qr_payloads=decode_qr(upright),
        rotation=geometry.rotation,
        skew_degrees=geometry.skew,
    )
