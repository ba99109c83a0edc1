"""Fill ``Document.seals`` during reading, from page images the readers already make.

OCRed pages (scans, photos) are looked at as they pass through the reader's page sink, so no page
is drawn twice. Text-layer PDF pages hold a stamp only as an embedded image: those pages alone are
looked at, first on a small render, then at the reading dpi only where red ink lies (``locate``),
so a born-digital page without images costs nothing more and one with images less.
OFD and XML invoices carry an electronic signature rather than a drawn page, and are not looked at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extractors.errors import DocumentReadError
from extractors.ocr import OcrEngine, get_engine
from extractors.readers import pdf
from extractors.readers.ocr_page import PageSink
from extractors.readers.sniff import sniff
from extractors.seals import locate
from extractors.seals.find import find_seals, is_colour
from models import BBox, Document
from models.document import Seal
from models.extraction_checks import SealSearchRecord

log = logging.getLogger(__name__)


class SealCollector:
    """A page sink that finds stamps on each OCRed page and passes the image on to ``keep``."""

    def __init__(self, engine: OcrEngine | None, engine_name: str, keep: PageSink | None) -> None:
        self._engine = engine
        self._engine_name = engine_name
        self._keep = keep
        self.seals: list[Seal] = []
        self.searched: list[int] = []
        """Pages looked at in colour: only there can a missing stamp be told from a grey copy."""

    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = get_engine(self._engine_name)
        return self._engine

    def __call__(self, number: int, image: np.ndarray) -> None:
        if self._keep is not None:
            self._keep(number, image)
        self.seals += self._search(image, number)

    def _search(self, image: np.ndarray, number: int) -> list[Seal]:
        if not is_colour(image):
            return []
        self.searched.append(number)
        return _guarded(image, number, self.engine)

    def finish(self, doc: Document, path: Path) -> Document:
        """``doc`` with every stamp found: the OCRed pages' and the image-bearing text-layer pages'."""
        seals = list(self.seals)
        pages = {p.number: p.dpi for p in doc.pages if p.text_source == "text_layer"}
        if pages and not _fully_digital(doc) and sniff(path) == "pdf":
            seals += self._text_layer_seals(path, pages)
        if not self.searched:
            return doc
        checks = doc.checks.model_copy(update={"seal_search": SealSearchRecord(pages=sorted(set(self.searched)))})
        return doc.model_copy(update={"seals": sorted(seals, key=lambda s: s.page), "checks": checks})

    def _text_layer_seals(self, path: Path, pages: dict[int, int]) -> list[Seal]:
        """Stamps on the text-layer pages (number → dpi read at) that hold an image, boxed at that dpi."""
        found: list[Seal] = []
        try:
            with pdf.open_pdf(path) as document:
                for number, dpi in pages.items():
                    with pdf.load_page(path, document, number - 1) as page:
                        if next(pdf.page_images(page), None) is not None:
                            found += self._page_seals(page, number, dpi)
        except (DocumentReadError, pdfium.PdfiumError):
            log.debug("could not render %s for seals", path.name, exc_info=True)
        return found

    def _page_seals(self, page: pdfium.PdfPage, number: int, dpi: int) -> list[Seal]:
        """The page's stamps, searched at ``dpi`` only in the regions a small render points to."""
        small = locate.small_render(page)
        if not is_colour(small):
            return []
        self.searched.append(number)
        regions = locate.stamp_regions(small, dpi, locate.render_size(page, dpi))
        if not regions:
            return []
        # drawn whole: a region drawn alone differs from the same pixels of the page by ±1 here
        # and there, enough to turn a character of an arc read on a knife's edge (津 → 律)
        image = pdf.render(page, dpi)
        short = min(image.shape[:2])
        seals: list[Seal] = []
        for region in regions:
            part = np.ascontiguousarray(image[region.y0 : region.y1, region.x0 : region.x1])
            seals += [_shifted(s, region) for s in _guarded(part, number, self.engine, short_side=short)]
        return sorted(seals, key=_order)


def _fully_digital(doc: Document) -> bool:
    """A 数电票 (20-digit number) bears only the tax bureau's stamp: its pages are not rendered for one."""
    number = str(doc.field_value("invoice_number") or "")
    return doc.doc_type == "invoice" and len(number) == 20 and number.isdigit()


def _guarded(
    image: np.ndarray, number: int, engine: Callable[[], OcrEngine], short_side: int | None = None
) -> list[Seal]:
    """Stamps on one page (or a region of it); a failure here loses the stamps, never the document."""
    try:
        return find_seals(image, page=number, engine=engine, short_side=short_side)
    except Exception:  # a seal is extra evidence: reading must go on without it
        log.warning("seal detection failed on page %d", number, exc_info=True)
        return []


def _shifted(seal: Seal, region: locate.Region) -> Seal:
    """A seal found in ``region`` with its box in page pixels."""
    if seal.bbox is None:
        return seal
    box = seal.bbox
    moved = BBox(x0=box.x0 + region.x0, y0=box.y0 + region.y0, x1=box.x1 + region.x0, y1=box.y1 + region.y0)
    return seal.model_copy(update={"bbox": moved})


def _order(seal: Seal) -> tuple[float, float, float]:
    """Largest first, as ``find_seals`` orders a page's stamps; equal ones top to bottom, left to right."""
    box = seal.bbox
    if box is None:
        return (0.0, 0.0, 0.0)
    return (-(box.x1 - box.x0) * (box.y1 - box.y0), box.y0, box.x0)
