"""Atheris harness over the PDF, OFD and XLSX/CSV readers: only ``DocumentReadError`` may escape.

Why the format readers and not ``read_document``: ``read_document`` turns any unexpected
exception into a DocumentReadError (so a batch never sees a traceback), which would hide exactly
the bugs a fuzzer is for. Here anything else is a crash, saved by libFuzzer as ``crash-*``.

OCR is outside the harness: a page without a text layer goes to ``BlankPageEngine``, a real
engine that recognises nothing, so the fuzzer spends its time in the parsers, not in ONNX.

Usage: ``python -m fuzz.fuzz_readers FORMAT [libFuzzer options] [CORPUS_DIR...]``,
FORMAT one of pdf, ofd, xlsx, csv; ``fuzz/run.sh`` seeds the corpus and bounds the time.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris
import numpy as np

with atheris.instrument_imports():
    from extractors.errors import DocumentReadError
    from extractors.readers import limits  # noqa: F401  (sets Pillow's bomb limit as in production)
    from extractors.readers.ofd import read_ofd
    from extractors.readers.pdf_pages import read_pdf_pages
    from extractors.readers.table import read_table

from models import TextLine

DPI = 100
_WORK = Path(tempfile.mkdtemp(prefix="evidence-fuzz-"))


class BlankPageEngine:
    """An OCR engine that finds no text: keeps the fuzzer in parser code (see module docstring)."""

    name = "blank"
    version = "0"

    def recognize(self, image: np.ndarray) -> list[TextLine]:
        return []


_ENGINE = BlankPageEngine()


def _target(fmt: str) -> Callable[[Path], object]:
    if fmt == "pdf":
        return lambda path: read_pdf_pages(path, DPI, lambda: _ENGINE)
    if fmt == "ofd":
        return lambda path: read_ofd(path, DPI)
    if fmt in ("xlsx", "csv"):
        return lambda path: read_table(path, fmt, DPI)
    raise SystemExit(f"unknown format {fmt!r}: pdf, ofd, xlsx or csv")


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    fmt = argv[1]
    read = _target(fmt)
    path = _WORK / f"input.{fmt}"

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        with contextlib.suppress(DocumentReadError):
            read(path)

    atheris.Setup([argv[0], *argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main(sys.argv)
