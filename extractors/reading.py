"""Read any supported file into a ``Document`` of positioned text lines (no classification here).

The format is sniffed from the content, never the name. Readers raise only DocumentReadError;
anything else escaping a reader is a bug: it is logged with its traceback for us, and still
turned into DocumentReadError here so a batch never shows a reviewer a traceback from a hostile file.
Which reader reads (and draws) which kind is ``extractors.readers.registry``'s table.
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
from extractors.readers.registry import READERS, REFUSED, Read
from extractors.readers.sniff import Kind, sniff
from models import Document, Page

if TYPE_CHECKING:
    from extractors.readers.ocr_page import PageSink
    from models.settings import Settings

log = logging.getLogger(__name__)


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
    settings: Settings,
    keep_page: PageSink | None = None,
) -> Document:
    """Pages with lines in pixels at ``settings.raster_dpi``, text_source, sha256 and structured data;
    ``keep_page`` is handed each OCRed page's upright image. ``settings`` come from the caller's
    edge (CLI, flow, worker), never the environment here.

    Raises DocumentReadError for a bad file, OcrUnavailableError when OCR is needed and the
    configured engine cannot run.
    """
    path = Path(path)
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
        if out_of_memory(exc):
            log.debug("reader ran out of memory on %s", path.name, exc_info=True)
            raise DocumentReadError(str(path), OUT_OF_MEMORY, detail=repr(exc)) from exc
        log.exception("reader bug on %s", path.name)
        raise DocumentReadError(str(path), "文件无法读取（内容异常）", detail=repr(exc)) from exc
    return Document(
        path=str(path),
        sha256=digest,
        pages=pages,
        text_source=source,
        structured=structured,
        ocr_engine=engine_label(lazy.used) if lazy.used is not None else None,
    )


def _dispatch(path: Path, kind: Kind, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read:
    reader = READERS.get(kind)
    if reader is None:
        raise DocumentReadError(str(path), REFUSED.get(kind, f"不支持的文件类型（{kind}）"))
    return reader.read(path, dpi, engine, keep)


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
    path: Path | str, page_number: int, dpi: int, *, page: Page | None = None, engine: OcrEngine | None = None
) -> Image.Image:
    """The page as an upright image whose pixels match the boxes read at ``dpi``.

    Pass the stored ``page`` to reuse its rotation, skew and lines instead of deciding them again.
    """
    path = Path(path)
    reader = READERS.get(sniff(path))
    if reader is None:
        raise DocumentReadError(str(path), "无法显示该文件的页面")
    return reader.draw(path, page_number, dpi, page=page, engine=engine)
