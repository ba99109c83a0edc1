"""Page images for the review UI and reports, on the same pixel grid as the boxes from reading.

Raster pages get the same orientation and skew correction as when they were read (taken from the
stored ``Page`` when given, else decided again, deterministically); OFD, XML and tables have no
raster, so their text lines are drawn here on a white canvas at their boxes. Which of these a file
gets is ``extractors.readers.registry``'s choice.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extractors import imaging
from extractors.errors import DocumentReadError
from extractors.ocr import OcrEngine
from extractors.readers import limits, pdf
from extractors.readers.image import frame_at
from models import Page

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def render_image(path: Path, page_number: int, page: Page | None, engine: OcrEngine | None) -> Image.Image:
    """Frame ``page_number`` of an image file, upright."""
    frame = frame_at(path, page_number - 1)
    return Image.fromarray(_upright(frame, page, engine))


def render_pdf(path: Path, number: int, dpi: int, page: Page | None, engine: OcrEngine | None) -> Image.Image:
    """Page ``number`` of a PDF; only a scanned page is turned upright (a text layer already is)."""
    with pdf.open_pdf(path) as document:
        if not 1 <= number <= len(document):
            raise DocumentReadError(str(path), f"PDF 没有第 {number} 页")
        with pdf.load_page(path, document, number - 1) as pdf_page:
            page_dpi = pdf.effective_dpi(pdf_page, dpi)
            image = pdf.render(pdf_page, page_dpi)
            if page is not None and page.text_source != "ocr":
                return Image.fromarray(image)
            if page is None and pdf.read_text_layer(pdf_page, page_dpi).usable:
                return Image.fromarray(image)
    return Image.fromarray(_upright(image, page, engine))


def _upright(image: np.ndarray, page: Page | None, engine: OcrEngine | None) -> np.ndarray:
    if page is not None:
        geometry = imaging.PageGeometry(rotation=page.rotation, skew=page.skew_degrees)
    else:
        from extractors.ocr import get_engine

        geometry = imaging.analyse(image, engine or get_engine())
    return imaging.apply(image, geometry)


def draw_lines(page: Page) -> Image.Image:
    """Each text line drawn in its box, black on white, in the CJK font the project ships with."""
    width, height = max(1, round(page.width)), max(1, round(page.height))
    if width * height > limits.MAX_RENDER_PIXELS:
        raise DocumentReadError("", "页面过大，无法显示")
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}
    for line in page.lines:
        size = max(6, round(line.bbox.height * 0.85))
        font = fonts.get(size)
        if font is None:
            try:
                font = ImageFont.truetype(FONT_PATH, size)
            except OSError:
                font = ImageFont.load_default()
            fonts[size] = font
        draw.text((line.bbox.x0, line.bbox.y0), line.text, fill="black", font=font)
    return canvas
