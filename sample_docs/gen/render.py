"""Shared drawing helpers: a reproducible reportlab canvas with the CJK font, seals and QR codes."""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT = "WQYMicroHei"
SEAL_RED = (214, 36, 36)


@dataclass(frozen=True)
class Drawn:
    """One string as drawn: page (1-based), page height, anchor, alignment and size (points)."""

    page: int
    page_height: float
    x: float
    y: float
    s: str
    size: float
    align: str


# While a list is pushed here, every string drawn through text/text_center/text_right is appended to
# it (boxes for truth.json); drawing itself is unchanged, so the PDF bytes do not depend on it.
RECORDERS: list[list[Drawn]] = []


@dataclass(frozen=True)
class Variation:
    """How one printer differs from the template: caption spellings, and the printed (black) text
    offset from the pre-printed form (a dot-matrix printer's feed), in points."""

    relabel: dict[str, str]
    shift: tuple[float, float] = (0.0, 0.0)


# While a Variation is pushed here, text/text_center/text_right apply it (the varied profiles only).
VARIATIONS: list[Variation] = []


def _vary(s: str, x: float, y: float, colour: tuple[float, float, float]) -> tuple[str, float, float]:
    if not VARIATIONS:
        return s, x, y
    v = VARIATIONS[-1]
    if colour == (0, 0, 0):
        x, y = x + v.shift[0], y + v.shift[1]
    return v.relabel.get(s, s), x, y


def _record(canvas: Canvas, x: float, y: float, s: str, *, size: float, align: str) -> None:
    if RECORDERS:
        height = float(canvas._pagesize[1])
        RECORDERS[-1].append(Drawn(canvas.getPageNumber(), height, float(x), float(y), s, float(size), align))


@functools.cache
def register_font() -> None:
    """Register the TTC's first face once; reportlab keeps fonts in a process-wide registry."""
    pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


def pdf_bytes(pagesize: tuple[float, float], draw_pages: list[Callable[[Canvas], None]], title: str = "") -> bytes:
    """Render pages into a PDF whose bytes depend only on the drawing (invariant=1: fixed dates and id)."""
    register_font()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=pagesize, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("")
    canvas.setProducer("evidence sample generator")
    canvas.setCreator("")
    for draw in draw_pages:
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def pil_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size, index=0)


def seal_image(org: str, caption: str, size: int = 360, oval: bool = False) -> Image.Image:
    """A red company seal (circle or the oval 发票专用章), semi-transparent, text around the rim."""
    img = Image.new("RGBA", (size, size if not oval else int(size * 0.68)), (0, 0, 0, 0))
    w, h = img.size
    draw = ImageDraw.Draw(img)
    colour = (*SEAL_RED, 190)
    draw.ellipse((6, 6, w - 6, h - 6), outline=colour, width=max(6, size // 45))
    font = pil_font(max(16, size // 9 if not oval else size // 14))
    chars = list(org)
    span = 240 if not oval else 200
    start = -90 - span / 2
    margin = size * (0.2 if oval else 0.16)
    rx, ry = w / 2 - margin, h / 2 - margin * (0.8 if oval else 1)
    for i, ch in enumerate(chars):
        ang = math.radians(start + span * (i + 0.5) / len(chars))
        cx, cy = w / 2 + rx * math.cos(ang), h / 2 + ry * math.sin(ang)
        side = int(font.size) + 8
        glyph = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 2), ch, font=font, fill=colour)
        glyph = glyph.rotate(-math.degrees(ang) - 90, resample=Image.Resampling.BICUBIC, expand=True)
        img.alpha_composite(glyph, (int(cx - glyph.width / 2), int(cy - glyph.height / 2)))
    if oval:
        small = pil_font(size // 19)
        draw.text((w / 2, h * 0.58), caption, font=small, fill=colour, anchor="mm")
    else:
        _star(draw, w / 2, h / 2, size * 0.13, colour)
        small = pil_font(size // 11)
        draw.text((w / 2, h * 0.74), caption, font=small, fill=colour, anchor="mm")
    return img


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, colour: tuple[int, ...]) -> None:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.4
        ang = math.radians(-90 + 36 * k)
        pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
    draw.polygon(pts, fill=colour)


def qr_image(payload: str) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    img = qr.make_image(fill_color="black", back_color="white")
    pil: Image.Image = img.get_image() if hasattr(img, "get_image") else img
    return pil.convert("RGB")


def draw_pil(canvas: Canvas, img: Image.Image, box: tuple[float, float, float, float]) -> None:
    """Place a PIL image (RGBA keeps its transparency) on the canvas, in points."""
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    x, y, w, h = box
    canvas.drawImage(ImageReader(buf), x, y, w, h, mask="auto")


def text(
    canvas: Canvas, x: float, y: float, s: str, size: float = 9, *, colour: tuple[float, float, float] = (0, 0, 0)
) -> None:
    s, x, y = _vary(s, x, y, colour)
    canvas.setFillColorRGB(*colour)
    canvas.setFont(FONT, size)
    canvas.drawString(x, y, s)
    _record(canvas, x, y, s, size=size, align="left")


def text_right(canvas: Canvas, x: float, y: float, s: str, size: float = 9) -> None:
    s, x, y = _vary(s, x, y, (0, 0, 0))
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, size)
    canvas.drawRightString(x, y, s)
    _record(canvas, x, y, s, size=size, align="right")


def text_center(
    canvas: Canvas, x: float, y: float, s: str, size: float = 9, *, colour: tuple[float, float, float] = (0, 0, 0)
) -> None:
    s, x, y = _vary(s, x, y, colour)
    canvas.setFillColorRGB(*colour)
    canvas.setFont(FONT, size)
    canvas.drawCentredString(x, y, s)
    _record(canvas, x, y, s, size=size, align="centre")


def wrap(s: str, width_chars: int) -> list[str]:
    """Break CJK text by character, but never inside a run of digits/Latin (as word processors do)."""
    tokens = re.findall(r"[0-9A-Za-z¥￥,.\-%/:]+|.", s)
    lines: list[str] = []
    line = ""
    for tok in tokens:
        if line and len(line) + len(tok) > width_chars and tok not in "，。；、）”":
            lines.append(line)
            line = ""
        line += tok
    return [*lines, line] if line or not lines else lines


def stable_hex(*parts: str, length: int = 4) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:length].upper()


MM = mm


def draw_pil_jpeg(canvas: Canvas, img: Image.Image, size: tuple[float, float], quality: int) -> None:
    """Fill the page with a JPEG-compressed image (keeps scanned PDFs small)."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    canvas.setPageSize(size)
    canvas.drawImage(ImageReader(buf), 0, 0, size[0], size[1])
