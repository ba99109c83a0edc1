"""One file in, one extracted document out: the unit every caller (CLI, verify, flows) runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractors.fields import extract_fields
from models import Document
from models.settings import Settings


def process_file(path: Path, *, engine: Any = None, settings: Settings | None = None) -> Document:
    """Read ``path`` (text layer, OFD/XML, spreadsheet or OCR) and extract its typed fields.

    Raises ``extractors.errors.DocumentReadError`` for files that cannot be read.
    """
    from extractors.reading import read_document

    doc = read_document(Path(path), engine=engine, settings=settings)
    return extract_fields(doc)
