"""Page images for the review UI, kept when a file is read: the pages OCR read, encoded as they
come, else the readers' renders or the page drawn again.

Why apart from ``flows.work``: the reading child (``flows.reader_child``) and the reading side
(``flows.extraction``, ``flows.reuse``) keep pages too, without the run's other steps.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from flows.page_encoding import MAX_RENDERED_PAGES, EncodedPage, encode
from models import Document, Page
from models.settings import Settings
from store import DocumentKey
from store.pages import keep_page_images, write_page_image

log = logging.getLogger(__name__)


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
