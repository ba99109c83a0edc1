"""Born-digital and scanned PDFs through pdfium (BSD/Apache): text layer with char boxes, and rendering.

pdfium was chosen over ``pdftotext -bbox-layout`` by measurement (bench/reading.py): same boxes,
no subprocess per file, and one library for text and raster.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.errors import DocumentReadError
from extractors.readers import limits
from extractors.readers.text import Glyph, is_garbage_char

# A page is "unusable" as text when at least this share of its glyphs have no real Unicode.
GARBAGE_SHARE = 0.05
MIN_USEFUL_CHARS = 8


@dataclass(frozen=True, slots=True)
class TextLayer:
    """The glyphs of one page and whether they can be trusted instead of OCR."""

    glyphs: list[Glyph]
    garbage: int

    @property
    def usable(self) -> bool:
        meaningful = sum(1 for g in self.glyphs if not g.char.isspace())
        if meaningful < MIN_USEFUL_CHARS:
            return False
        return self.garbage < max(3, GARBAGE_SHARE * meaningful)


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF or raise DocumentReadError with the reason pdfium gives (password, damage)."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = pdfium_c.FPDF_GetLastError()
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentReadError(str(path), "PDF 文件已加密（需要打开密码），无法读取") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise DocumentReadError(str(path), "PDF 文件使用了不支持的加密方式，无法读取") from exc
        raise DocumentReadError(str(path), "PDF 文件已损坏或不完整，无法打开", detail=str(exc)) from exc
    try:
        count = len(document)
        if count == 0:
            raise DocumentReadError(str(path), "PDF 文件没有任何页面")
        if count > limits.MAX_PAGES:
            raise DocumentReadError(str(path), f"PDF 页数过多（{count} 页，上限 {limits.MAX_PAGES} 页）")
        if count > limits.MAX_OCR_PAGES:
            _check_ocr_pages(path, document)
        yield document
    finally:
        document.close()


@contextmanager
def load_page(path: Path, document: pdfium.PdfDocument, index: int) -> Iterator[pdfium.PdfPage]:
    try:
        page = document[index]
    except (pdfium.PdfiumError, IndexError) as exc:
        raise DocumentReadError(str(path), f"PDF 第 {index + 1} 页已损坏，无法读取") from exc
    try:
        width, height = page.get_size()
        if not (0 < width <= limits.MAX_PAGE_SIDE_PT and 0 < height <= limits.MAX_PAGE_SIDE_PT):
            raise DocumentReadError(str(path), f"PDF 第 {index + 1} 页尺寸异常（{width:.0f}×{height:.0f} 磅）")
        _check_image_pixels(path, page, index + 1)
        yield page
    finally:
        page.close()


def _check_ocr_pages(path: Path, document: pdfium.PdfDocument) -> None:
    """Refuse, before any OCR, a PDF with more pages lacking a text layer than OCR may read."""
    scanned = 0
    for index in range(len(document)):
        page = document[index]
        try:
            text = page.get_textpage()
            try:
                scanned += int(text.count_chars() < MIN_USEFUL_CHARS)
            finally:
                text.close()
        finally:
            page.close()
    if scanned > limits.MAX_OCR_PAGES:
        raise DocumentReadError(
            str(path), f"PDF 扫描页过多（{scanned} 页需要文字识别，上限 {limits.MAX_OCR_PAGES} 页），请只提交相关页面"
        )


def _check_image_pixels(path: Path, page: pdfium.PdfPage, number: int) -> None:
    """Refuse a page whose image objects decode to more pixels than the budget (any draw of the
    page decodes them in full: a 20000² image in a 1-page text PDF cost 2.6 GB)."""
    total = 0
    for raw in page_images(page):
        width, height = ctypes.c_uint(0), ctypes.c_uint(0)
        if pdfium_c.FPDFImageObj_GetImagePixelSize(raw, ctypes.byref(width), ctypes.byref(height)):
            total += width.value * height.value
        if total > limits.MAX_PAGE_IMAGE_PIXELS:
            raise DocumentReadError(
                str(path), f"PDF 第 {number} 页含超大图像（{width.value}×{height.value} 像素），超出读取上限"
            )


def page_images(page: pdfium.PdfPage, depth: int = 3) -> Iterator[Any]:
    """Raw handles of the page's image objects, also inside form XObjects down to ``depth`` levels."""
    return _image_objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, depth)


def _image_objects(parent: Any, count: Any, get: Any, depth: int) -> Iterator[Any]:
    """Walked through pdfium directly: pypdfium2's ``get_objects`` wraps every object of the page
    (~70 on an invoice, mostly text) in a Python object only to look at its type."""
    for index in range(max(0, count(parent))):
        raw = get(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(raw) if raw else None
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            yield raw
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth > 1:
            yield from _image_objects(raw, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth - 1)


def page_size_px(page: pdfium.PdfPage, dpi: int) -> tuple[int, int]:
    """The page's pixel size at ``dpi`` after its /Rotate, as rendering produces it."""
    width, height = page.get_size()
    return round(width * dpi / 72), round(height * dpi / 72)


def effective_dpi(page: pdfium.PdfPage, dpi: int) -> int:
    """``dpi`` lowered when the page would render beyond the pixel cap (posters, bogus sizes)."""
    width, height = page.get_size()
    pixels = width * height * (dpi / 72) ** 2
    if pixels <= limits.MAX_RENDER_PIXELS:
        return dpi
    return max(36, int(dpi * (limits.MAX_RENDER_PIXELS / pixels) ** 0.5))


def read_text_layer(page: pdfium.PdfPage, dpi: int) -> TextLayer:
    """Every glyph with its box in pixels at ``dpi`` (top-left origin, page rotation applied)."""
    to_px = _page_to_pixel(page, dpi)
    (ox, oy), (xx, xy), (yx, yy) = to_px.origin, to_px.ex, to_px.ey
    # pdfium calls bound once: ~430 glyphs x 4 calls per invoice page made the lookups a fifth of the cost.
    # pdfium generates only spaces and line breaks, so IsGenerated is asked of whitespace alone.
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    map_error, loose_box = pdfium_c.FPDFText_HasUnicodeMapError, pdfium_c.FPDFText_GetLooseCharBox
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = pdfium_c.FPDFText_CountChars(handle)
        glyphs: list[Glyph] = []
        garbage = 0
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        pending_space = False
        for index in range(max(0, count)):
            code = get_unicode(handle, index)
            char = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if char.isspace() and is_generated(handle, index) == 1:
                continue
            # printable text holds no control, private-use or unassigned character: skip the full test
            suspect = char == "\ufffd" or not char.isprintable()
            if map_error(handle, index) == 1 or (suspect and is_garbage_char(char)):
                garbage += 1
                char = "\ufffd"
            if char.isspace():
                pending_space = True
                continue
            # Loose boxes span the font's ascent/descent and advance: digits and dots line up with
            # their neighbours, so gaps mean spaces and rows do not split on punctuation.
            if not loose_box(handle, index, rect_ref):
                continue
            left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
            xa, ya = ox + left * xx + top * yx, oy + left * xy + top * yy
            xb, yb = ox + right * xx + bottom * yx, oy + right * xy + bottom * yy
            glyphs.append(
                Glyph(
                    char,
                    xa if xa < xb else xb,
                    ya if ya < yb else yb,
                    xb if xa < xb else xa,
                    yb if ya < yb else ya,
                    pending_space,
                )
            )
            pending_space = False
        return TextLayer(glyphs=glyphs, garbage=garbage)
    finally:
        textpage.close()


def render(page: pdfium.PdfPage, dpi: int, *, grey: bool = False) -> np.ndarray:
    """The page as an RGB (or grey) array at ``dpi`` (the caller has capped ``dpi`` with effective_dpi)."""
    bitmap = page.render(scale=dpi / 72, may_draw_forms=True, grayscale=grey)
    try:
        image = bitmap.to_numpy()
        mode = bitmap.mode
    finally:
        bitmap.close()
    if mode in {"BGRA", "BGRX"}:
        return np.ascontiguousarray(image[:, :, 2::-1])
    if mode == "BGR":
        return np.ascontiguousarray(image[:, :, ::-1])
    if image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 1):
        image = image.reshape(image.shape[0], image.shape[1])
        return np.ascontiguousarray(image) if grey else np.repeat(image[:, :, None], 3, axis=2)
    return np.ascontiguousarray(image[:, :, :3])


def _page_to_pixel(page: pdfium.PdfPage, dpi: int) -> _Affine:
    """pdfium's own page→device mapping, sampled at 16× resolution so boxes keep sub-pixel precision."""
    width_px, height_px = page_size_px(page, dpi)
    factor = 16
    args = (0, 0, width_px * factor, height_px * factor, 0)
    x_out, y_out = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(page.raw, *args, x, y, x_out, y_out)
        return x_out.value / factor, y_out.value / factor

    origin = device(0.0, 0.0)
    ex = device(1000.0, 0.0)
    ey = device(0.0, 1000.0)
    return _Affine(
        origin,
        ((ex[0] - origin[0]) / 1000, (ex[1] - origin[1]) / 1000),
        ((ey[0] - origin[0]) / 1000, (ey[1] - origin[1]) / 1000),
    )


@dataclass(frozen=True, slots=True)
class _Affine:
    origin: tuple[float, float]
    ex: tuple[float, float]
    ey: tuple[float, float]

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.origin[0] + x * self.ex[0] + y * self.ey[0],
            self.origin[1] + x * self.ex[1] + y * self.ey[1],
        )
