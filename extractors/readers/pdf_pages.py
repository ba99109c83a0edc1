"""A PDF → pages: the text layer where it is usable, OCR of the rendered page where it is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from extractors.ocr import OcrEngine
from extractors.qr import decode_code_image, decode_qr
from extractors.readers import pdf
from extractors.readers.ocr_page import PageSink, ocr_page
from extractors.readers.text import group_lines
from models import Page

# Born-digital pages are rendered (grey, ~2 ms) at this dpi only to look for a vector-drawn QR
# code; square ink blobs are then decoded (bench/reading.py: ~5 ms instead of ~45 ms for the
# detector on the whole page; 72 dpi loses a 2 cm code).
QR_RENDER_DPI = 100
_MIN_QR_IMAGE_PX = 40


def read_pdf_pages(path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None = None) -> list[Page]:
    """Every page of the PDF; ``engine`` is called only if some page needs OCR (``keep`` sees those)."""
    pages: list[Page] = []
    with pdf.open_pdf(path) as document:
        for index in range(len(document)):
            with pdf.load_page(path, document, index) as page:
                pages.append(_read_page(page, index + 1, dpi, engine, keep))
    return pages


def _read_page(
    page: pdfium.PdfPage, number: int, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None
) -> Page:
    page_dpi = pdf.effective_dpi(page, dpi)
    layer = pdf.read_text_layer(page, page_dpi)
    if not layer.usable:
        return ocr_page(pdf.render(page, page_dpi), number=number, dpi=page_dpi, engine=engine(), keep=keep)
    width, height = pdf.page_size_px(page, page_dpi)
    return Page(
        number=number,
        width=width,
        height=height,
        dpi=page_dpi,
        lines=group_lines(layer.glyphs, source="text_layer"),
        text_source="text_layer",
        qr_payloads=_born_digital_qr(page, first_page=number == 1),
    )


def _born_digital_qr(page: pdfium.PdfPage, *, first_page: bool) -> list[str]:
    """QR codes from embedded images; on the first page, from a low-dpi render if none was found.

    Invoices carry their QR on page 1; later pages of a contract are not rendered at all.
    """
    payloads: list[str] = []
    for image in _square_images(page):
        for payload in decode_code_image(image):
            if payload not in payloads:
                payloads.append(payload)
    if payloads or not first_page:
        return payloads
    return decode_qr(pdf.render(page, pdf.effective_dpi(page, QR_RENDER_DPI), grey=True), clean=True)


def _square_images(page: pdfium.PdfPage) -> list[np.ndarray]:
    found: list[np.ndarray] = []
    for raw in pdf.page_images(page):
        image = pdfium.PdfImage(raw, page=page)
        try:
            width, height = image.get_px_size()
            if min(width, height) < _MIN_QR_IMAGE_PX or max(width, height) > 1.25 * min(width, height):
                continue
            array = _grey(image.get_bitmap(render=False))
        except (pdfium.PdfiumError, cv2.error, ValueError):
            continue
        # A code stored at one pixel per module needs a quiet zone and some size to be found.
        array = np.pad(array, max(4, array.shape[0] // 8), constant_values=255)
        scale = max(1, -(-300 // max(array.shape)))
        found.append(np.kron(array, np.ones((scale, scale), dtype=np.uint8)) if scale > 1 else array)
    return found


def _grey(bitmap: pdfium.PdfBitmap) -> np.ndarray:
    """The image's luminance (a copy: the bitmap's buffer belongs to pdfium)."""
    array = bitmap.to_numpy()
    if array.ndim == 2 or array.shape[2] == 1:
        return np.array(array.reshape(array.shape[:2]))
    return np.asarray(cv2.cvtColor(array, cv2.COLOR_BGR2GRAY if array.shape[2] == 3 else cv2.COLOR_BGRA2GRAY))
