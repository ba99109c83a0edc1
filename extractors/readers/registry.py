"""One reader per sniffed kind: how to read the file, and how to draw one of its pages.

``extractors.reading`` reads and ``render_page`` draws through ``READERS``, so adding a format is
one entry here. The reader modules (pdfium, OCR, OFD, openpyxl, numpy) are imported inside the
methods: the reading child process imports this module at start-up and should not pay for them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from extractors.errors import DocumentReadError
from extractors.readers.sniff import Kind
from models import Page
from models.document import TextSource
from models.file_names import valid_utf8

if TYPE_CHECKING:
    from PIL import Image

    from extractors.ocr import OcrEngine
    from extractors.readers.ocr_page import PageSink

Read = tuple[list[Page], TextSource, dict[str, object] | None]

IMAGE_KINDS: tuple[Kind, ...] = ("png", "jpeg", "tiff", "bmp", "webp", "gif")

REFUSED: dict[Kind, str] = {
    "html": "文件内容是网页（HTML），不是 PDF 或图片",
    "zip": "压缩包不是 OFD 或 XLSX 文件，不支持",
    "unknown": "无法识别的文件类型",
}
"""Kinds sniff recognises and we do not read, with the reason the reviewer sees."""

_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


class Reader(Protocol):
    """Reads one kind of file into pages in pixels at ``dpi``, and draws a page on that grid."""

    def read(self, path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read: ...

    def draw(
        self, path: Path, page_number: int, dpi: int, *, page: Page | None, engine: OcrEngine | None
    ) -> Image.Image: ...


class _PdfReader:
    def read(self, path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read:
        from extractors.readers.pdf_pages import read_pdf_pages

        pages = read_pdf_pages(path, dpi, engine, keep)
        return pages, _combined_source(pages), None

    def draw(
        self, path: Path, page_number: int, dpi: int, *, page: Page | None, engine: OcrEngine | None
    ) -> Image.Image:
        from extractors.readers.render import render_pdf

        return render_pdf(path, page_number, dpi, page, engine)


class _ImageReader:
    def read(self, path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read:
        from extractors.readers.image_pages import read_image_pages

        return read_image_pages(path, dpi, engine, keep), "ocr", None

    def draw(
        self, path: Path, page_number: int, dpi: int, *, page: Page | None, engine: OcrEngine | None
    ) -> Image.Image:
        from extractors.readers.render import render_image

        return render_image(path, page_number, page, engine)


class _DrawnReader(ABC):
    """Kinds with no raster (OFD, XML, tables): no OCR, and a page is its text lines drawn at their boxes."""

    @abstractmethod
    def read_text(self, path: Path, dpi: int) -> Read:
        """The pages, read without OCR (these kinds carry their text)."""

    def read(self, path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read:
        return self.read_text(path, dpi)

    def draw(
        self, path: Path, page_number: int, dpi: int, *, page: Page | None, engine: OcrEngine | None
    ) -> Image.Image:
        from extractors.readers.render import draw_lines

        if page is None:  # nothing stored: read the file again at that dpi
            pages = self.read_text(path, dpi)[0]
            if not 1 <= page_number <= len(pages):
                raise DocumentReadError(str(path), f"文件没有第 {page_number} 页")
            page = pages[page_number - 1]
        return draw_lines(page)


class _OfdReader(_DrawnReader):
    def read_text(self, path: Path, dpi: int) -> Read:
        from extractors.readers.ofd import read_ofd

        pages, structured = read_ofd(path, dpi)
        return pages, "ofd", structured


class _XmlReader(_DrawnReader):
    def read_text(self, path: Path, dpi: int) -> Read:
        from extractors.readers.einvoice_xml import read_invoice_xml

        return read_invoice_xml(path, dpi)


class _TableReader(_DrawnReader):
    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def read_text(self, path: Path, dpi: int) -> Read:
        from extractors.readers.table import read_table

        if self.kind == "csv" and path.suffix.lower() not in _TEXT_SUFFIXES:
            reason = f"文件扩展名为 {_suffix(path)}，但内容是纯文本（不是 PDF、图片或表格文件）"
            raise DocumentReadError(str(path), reason)
        return read_table(path, self.kind, dpi), "table", None


def _suffix(path: Path) -> str:
    """The extension as shown in a reason: printable, short."""
    text = valid_utf8(path.suffix)
    return "".join(c for c in text if c.isprintable())[:12] or "（无）"


def _combined_source(pages: list[Page]) -> TextSource:
    sources = {page.text_source for page in pages}
    if sources == {"text_layer"}:
        return "text_layer"
    if sources == {"ocr"}:
        return "ocr"
    return "mixed"


_IMAGE = _ImageReader()
READERS: dict[Kind, Reader] = {
    "pdf": _PdfReader(),
    **{kind: _IMAGE for kind in IMAGE_KINDS},
    "ofd": _OfdReader(),
    "xml": _XmlReader(),
    "xlsx": _TableReader("xlsx"),
    "csv": _TableReader("csv"),
}
