"""Encoding the page images OCR read, in the reading child as pages come.

Why apart from ``flows.page_images``: the child (``flows.reader_child``) only encodes; keeping
the images needs the store, whose import (SQLAlchemy and the schema) cost the child ≈0.45 CPU-s
per start before it read a page.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

log = logging.getLogger(__name__)

MAX_RENDERED_PAGES = 50


@dataclass(frozen=True)
class EncodedPage:
    """A page image ready to keep: its bytes, their format's suffix, and its size in pixels."""

    data: bytes
    suffix: str
    width: int
    height: int


def encode(image: Image.Image, *, scan: bool) -> EncodedPage:
    """A scan as JPEG (already a lossy photograph; 20x faster to encode and a quarter of the size
    of PNG), a drawn page as fast-deflate PNG (sharp text)."""
    buffer = io.BytesIO()
    rgb = image.convert("RGB")
    if scan:
        rgb.save(buffer, format="JPEG", quality=90)
    else:
        rgb.save(buffer, format="PNG", compress_level=1)
    return EncodedPage(buffer.getvalue(), ".jpg" if scan else ".png", rgb.width, rgb.height)


class OcrPages:
    """The upright pages OCR read, encoded as they come (held raw, an A4 page is 10-25 MB), so their
    review images need no second render and deskew (35-55 ms a page, measured)."""

    def __init__(self) -> None:
        self.encoded: dict[int, EncodedPage] = {}

    def keep(self, number: int, upright: np.ndarray) -> None:
        """Never raises: the reader would report the file unreadable; the page is drawn later instead."""
        from PIL import Image

        if number > MAX_RENDERED_PAGES:
            return
        try:
            self.encoded[number] = encode(Image.fromarray(upright), scan=True)
        except Exception as exc:
            log.warning("page %d: the image OCR read cannot be kept (%s); it will be drawn again", number, exc)
