"""One file in, one extracted document out: the unit every caller (CLI, verify, flows) runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.fields import extract_fields
from models import Document
from models.settings import Settings

if TYPE_CHECKING:
    from extractors.readers.ocr_page import PageSink


def process_file(path: Path, *, settings: Settings, engine: Any = None, keep_page: PageSink | None = None) -> Document:
    """Read ``path`` (text layer, OFD/XML, spreadsheet or OCR), find its stamps and extract its typed
    fields; ``keep_page`` is handed each OCRed page's upright image (see ``read_document``).
    ``settings`` (OCR engine, raster DPI) come from the caller's edge, never the environment here.

    Raises ``extractors.errors.DocumentReadError`` for files that cannot be read.
    """
    from extractors.fields.cert_issuer import with_seal_issuer
    from extractors.reading import read_document
    from extractors.seals.hook import SealCollector

    seals = SealCollector(engine, settings.ocr_engine, keep_page)
    doc = read_document(Path(path), engine=engine, settings=settings, keep_page=seals)
    return with_seal_issuer(seals.finish(extract_fields(doc), Path(path)))
