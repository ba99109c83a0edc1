"""One page image → an OCRed ``Page``: upright it, recognise it, decode its QR codes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from extractors import imaging
from extractors.errors import DocumentReadError
from extractors.ocr import OcrEngine
from extractors.qr import decode_qr
from extractors.readers.image import ocr_shape_problem
from models import Page

PageSink = Callable[[int, np.ndarray], None]
"""Called with an OCRed page's number and upright image: the pixels its boxes refer to. The review
images are kept from it, where drawing the page again would cost a second render and deskew."""


def ocr_page(image: np.ndarray, *, number: int, dpi: int, engine: OcrEngine, keep: PageSink | None = None) -> Page:
    """The page as OCR reads it after orientation and skew correction; boxes are in the upright image.

    Raises DocumentReadError (without a path: the caller's file) for a page OCR cannot read
    within budget, before any work on it.
    """
    problem = ocr_shape_problem(image.shape[1], image.shape[0])
    if problem is not None:
        raise DocumentReadError("", f"第 {number} 页：{problem}")
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
