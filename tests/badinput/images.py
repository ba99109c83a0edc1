"""Images that are hostile (a decompression bomb) or merely unusual (16-bit, CMYK, disguised)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
BOMB_SIDE = 50_000


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb() -> bytes:
    """A 50,000 x 50,000 RGB PNG header with a zlib stream for four rows only (~300 bytes).

    Decoding it fully would need 7.5 GB; a reader must refuse from the header alone.
    """
    ihdr = struct.pack(">IIBBBBB", BOMB_SIDE, BOMB_SIDE, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * ((1 + BOMB_SIDE * 3) * 4), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def _text_image(size: tuple[int, int] = (900, 240)) -> Image.Image:
    """A grey scan-like image with a line of text, so OCR has something to read."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    font = ImageFont.truetype(str(_FONT), 48) if _FONT.exists() else ImageFont.load_default()
    draw.text((40, 40), "服务合同 HT-2024-001", fill=0, font=font)
    draw.text((40, 130), "金额 106000.00", fill=0, font=font)
    return image


def tiff_16bit() -> bytes:
    """16-bit greyscale (``I;16``): common from archival scanners, not displayable as is."""
    grey = np.asarray(_text_image(), dtype=np.uint16) * 257
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, format="TIFF")
    return buf.getvalue()


def tiff_cmyk() -> bytes:
    """CMYK TIFF: print-shop output; must be converted before OCR."""
    buf = io.BytesIO()
    _text_image().convert("CMYK").save(buf, format="TIFF", compression="tiff_lzw")
    return buf.getvalue()


def animated_gif() -> bytes:
    """Three-frame animated GIF; the test saves it as ``.jpg``."""
    first = _text_image().convert("P")
    frames = [Image.new("P", first.size, color) for color in (30, 90)]
    buf = io.BytesIO()
    first.save(buf, format="GIF", save_all=True, append_images=frames, duration=200, loop=0)
    return buf.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut in the middle of its entropy-coded data (an interrupted upload)."""
    buf = io.BytesIO()
    _text_image().convert("RGB").save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    return data[: len(data) // 2]
