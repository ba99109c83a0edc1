"""Read any supported file into a ``Document`` of positioned text lines (no classification here).

The format is sniffed from the content, never the name. Readers raise only DocumentReadError;
anything else escaping a reader is a bug, but is still turned into DocumentReadError here so a
batch never sees a traceback from a hostile file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from extractors.errors import OUT_OF_MEMORY, DocumentReadError, out_of_memory
from extractors.ocr import OcrEngine, OcrUnavailableError, engine_label, get_engine
from extractors.readers import limits
from extractors.readers.sniff import Kind, sniff
from models import Document, Page
from models.document import TextSource
from models.settings import Settings

if TYPE_CHECKING:
    from extractors.readers.ocr_page import PageSink

log = logging.getLogger(__name__)

_UNSUPPORTED: dict[str, str] = {
    "html": "文件内容是网页（HTML），不是 PDF 或图片",
    "zip": "压缩包不是 OFD 或 XLSX 文件，不支持",
    "unknown": "无法识别的文件类型",
}


class _LazyEngine:
    """Resolves the OCR engine on first use, so a born-digital file never loads OCR models."""

    def __init__(self, engine: OcrEngine | None, name: str) -> None:
        self._engine = engine
        self._name = name
        self.used: OcrEngine | None = None

    def __call__(self) -> OcrEngine:
        if self._engine is None:
            self._engine = get_engine(self._name)
        self.used = self._engine
        return self._engine


def read_document(
    path: Path | str,
    *,
    engine: OcrEngine | None = None,
    settings: Settings | None = None,
    keep_page: PageSink | None = None,
) -> Document:
    """Pages with lines in pixels at ``settings.raster_dpi``, text_source, sha256 and structured data;
    ``keep_page`` is handed each OCRed page's upright image.

    Raises DocumentReadError for a bad file, OcrUnavailableError when OCR is needed and the
    configured engine cannot run.
    """
    path = Path(path)
    settings = settings or Settings.from_env()
    digest = _check_and_hash(path)
    kind = sniff(path)
    lazy = _LazyEngine(engine, settings.ocr_engine)
    try:
        pages, source, structured = _dispatch(path, kind, settings.raster_dpi, lazy, keep_page)
    except DocumentReadError as exc:
        if exc.path:
            raise
        raise DocumentReadError(str(path), exc.reason, exc.detail) from exc  # a page-level refusal
    except OcrUnavailableError:
        raise  # the machine's fault, not the file's: callers report it as such
    except Exception as exc:  # a reader bug must not become a traceback for the reviewer
        log.debug("reader failed on %s", path.name, exc_info=True)
        if out_of_memory(exc):
            raise DocumentReadError(str(path), OUT_OF_MEMORY, detail=repr(exc)) from exc
        raise DocumentReadError(str(path), "文件无法读取（内容异常）", detail=repr(exc)) from exc
    return Document(
        path=str(path),
        sha256=digest,
        pages=pages,
        text_source=source,
        structured=structured,
        ocr_engine=engine_label(lazy.used) if lazy.used is not None else None,
    )


def _dispatch(
    path: Path, kind: Kind, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None
) -> tuple[list[Page], TextSource, dict[str, object] | None]:
    if kind == "pdf":
        from extractors.readers.pdf_pages import read_pdf_pages

        pages = read_pdf_pages(path, dpi, engine, keep)
        return pages, _combined_source(pages), None
    if kind in ("png", "jpeg", "tiff", "bmp", "webp", "gif"):
        from extractors.readers.image_pages import read_image_pages

        return read_image_pages(path, dpi, engine, keep), "ocr", None
    if kind == "ofd":
        from extractors.readers.ofd import read_ofd

        ofd_pages, structured = read_ofd(path, dpi)
        return ofd_pages, "ofd", structured
    if kind == "xml":
        from extractors.readers.einvoice_xml import read_invoice_xml

        return read_invoice_xml(path, dpi)
    if kind == "csv" and path.suffix.lower() not in _TEXT_SUFFIXES:
        raise DocumentReadError(str(path), f"文件扩展名为 {_suffix(path)}，但内容是纯文本（不是 PDF、图片或表格文件）")
    if kind in ("xlsx", "csv"):
        from extractors.readers.table import read_table

        return read_table(path, kind, dpi), "table", None
    raise DocumentReadError(str(path), _UNSUPPORTED.get(kind, f"不支持的文件类型（{kind}）"))


_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


def _suffix(path: Path) -> str:
    """The extension as shown in a reason: printable, short."""
    text = path.suffix.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c for c in text if c.isprintable())[:12] or "（无）"


def _combined_source(pages: list[Page]) -> TextSource:
    sources = {page.text_source for page in pages}
    if sources == {"text_layer"}:
        return "text_layer"
    if sources == {"ocr"}:
        return "ocr"
    return "mixed"


def _check_and_hash(path: Path) -> str:
    """Refuse what is not a readable, non-empty, reasonably sized regular file; hash the rest."""
    try:
        if not path.exists():
            raise DocumentReadError(str(path), "文件不存在")
        if path.is_dir():
            raise DocumentReadError(str(path), "这是一个目录，不是文件")
        if not path.is_file():
            raise DocumentReadError(str(path), "不是普通文件")
        size = path.stat().st_size
        if size == 0:
            raise DocumentReadError(str(path), "文件为空（0 字节）")
        if size > limits.MAX_FILE_BYTES:
            mib = 1024 * 1024
            raise DocumentReadError(str(path), f"文件过大（{size // mib} MB，上限 {limits.MAX_FILE_BYTES // mib} MB）")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except PermissionError as exc:
        raise DocumentReadError(str(path), "没有读取该文件的权限") from exc
    except OSError as exc:
        raise DocumentReadError(str(path), "文件无法打开", detail=str(exc)) from exc


def render_page(
    path: Path | str,
    page_number: int,
    dpi: int | None = None,
    *,
    page: Page | None = None,
    engine: OcrEngine | None = None,
) -> Image.Image:
    """The page as an upright image whose pixels match the boxes read at the same dpi.

    Pass the stored ``page`` to reuse its rotation, skew and dpi instead of deciding them again.
    OFD, XML and tables have no raster: they are read again at that dpi and their lines drawn.
    """
    from extractors.readers.render import draw_lines, render

    path = Path(path)
    chosen = dpi or (page.dpi if page is not None else None) or Settings.from_env().raster_dpi
    kind = sniff(path)
    if kind not in _DRAWN_KINDS:
        return render(path, kind, page_number, chosen, page=page, engine=engine)
    document = read_document(path, settings=Settings.from_env().model_copy(update={"raster_dpi": chosen}))
    if not 1 <= page_number <= len(document.pages):
        raise DocumentReadError(str(path), f"文件没有第 {page_number} 页")
    return draw_lines(document.pages[page_number - 1])


_DRAWN_KINDS = frozenset({"ofd", "xml", "xlsx", "csv"})
