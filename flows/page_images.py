"""Page images for the review UI, kept when a file is read: the pages OCR read, encoded as they
come, else the readers' renders or the page drawn again.

Why apart from ``flows.work``: the reading child (``flows.reader_child``) and the reading side
(``flows.extraction``, ``flows.reuse``) keep pages too, without the run's other steps.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from models import Document, Page
from models.settings import Settings
from store import DocumentKey
from store.pages import keep_page_images, write_page_image

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


def page_images(
    settings: Settings, path: Path, key: DocumentKey, document: Document, ocr_pages: Mapping[int, EncodedPage]
) -> list[tuple[int, str, float, float, int]]:
    """Page images for the review UI (first pages only, so a 1,000-page file cannot fill the disk):
    the readers' renders if they kept them, the pages OCR read, else drawn here with the rotation
    and skew they were read with (no second orientation pass)."""
    kept = keep_page_images(settings.home, key, document)
    done = {row[0] for row in kept}
    for page in document.pages[:MAX_RENDERED_PAGES]:
        if page.number in done:
            continue
        encoded = ocr_pages.get(page.number) or _draw(path, key, page)
        if encoded is None:
            continue
        target = write_page_image(settings.home, key, page.number, encoded.data, encoded.suffix)
        kept.append((page.number, str(target), float(encoded.width), float(encoded.height), page.dpi))
    return kept


def _draw(path: Path, key: DocumentKey, page: Page) -> EncodedPage | None:
    from extractors.reading import render_page

    try:
        image = render_page(path, page.number, page.dpi, page=page)
    except Exception as exc:  # a page that cannot be drawn must not cost the document its extraction
        log.warning("page %d of %s cannot be drawn: %s", page.number, key.sha256[:12], exc)
        return None
    return encode(image, scan=page.text_source == "ocr")
