"""The store's extraction cache for single commands (``evidence extract``, ``evidence verify``).

Why: ``batch`` reuses stored extractions, but a repeated ``extract`` of the same scan OCRed it
again (8-13 s). The key is ``batch``'s (``flows.keys.document_key``: the file's bytes, OCR engine
and raster DPI, extractor code), so a file read by any command is read once. ``use_cache=False``
(``--no-cache``) reads afresh and replaces the stored extraction with what it read.

A store that cannot be opened never costs the command its answer: it reads without the cache.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from flows.keys import document_key
from flows.page_images import page_images
from flows.work import store_for
from models import Document
from models.settings import Settings
from store import CachedDocument, DocumentKey, Store, StoreError

log = logging.getLogger(__name__)


def _open(settings: Settings) -> Store | None:
    try:
        settings.ensure_home()
        return store_for(settings)
    except (StoreError, OSError) as exc:
        log.warning("extraction cache unavailable (%s): reading without it", exc)
        return None


def read_file(path: Path, settings: Settings, *, use_cache: bool = True) -> Document:
    """``extractors.process.process_file``'s Document for ``path``, from the store when it holds
    this content read by this engine and code; what is read is stored.

    Raises DocumentReadError (also for a stored read error: bad input stays bad) and
    OcrUnavailableError, as ``process_file`` does.
    """
    from extractors.errors import DocumentReadError
    from flows.extraction import read_limited

    path = Path(path)
    store = _open(settings)
    try:
        key = document_key(path, settings) if store is not None else None
    except OSError:
        key = None  # unreadable: the reader says why, in its own words
    if store is None or key is None:
        return read_limited(settings, path)[0]
    if use_cache:
        cached = _lookup(store, key)
        if cached is not None:
            if cached.document is None:
                raise DocumentReadError(str(path), cached.read_error or "文件无法读取")
            return cached.document.model_copy(update={"path": str(path)})
    return fresh(store, settings, path, key)


def _lookup(store: Store, key: DocumentKey) -> CachedDocument | None:
    try:
        return store.get_document(key)
    except StoreError as exc:
        log.warning("extraction cache unavailable (%s): reading without it", exc)
        return None


def fresh(store: Store, settings: Settings, path: Path, key: DocumentKey) -> Document:
    """Read ``path`` now and store the reading (a read error too), replacing a stored one."""
    from extractors.errors import DocumentReadError
    from flows.extraction import ReaderBugError, read_limited

    started = time.perf_counter()
    try:
        document, encoded = read_limited(settings, path)
    except ReaderBugError:
        raise  # a bug is not a property of the file: nothing stored
    except DocumentReadError as exc:
        _store(store, key, None, exc.reason, seconds=time.perf_counter() - started, images=())
        raise
    seconds = time.perf_counter() - started
    try:
        images = page_images(settings, path, key, document, encoded)
    except OSError as exc:
        log.warning("page images of %s cannot be kept: %s", key.sha256[:12], exc)
        images = []
    _store(store, key, document, None, seconds=seconds, images=images)
    return document


def _store(
    store: Store,
    key: DocumentKey,
    document: Document | None,
    read_error: str | None,
    *,
    seconds: float,
    images: Iterable[tuple[int, str, float, float, int]],
) -> None:
    """Insert, or overwrite the row an earlier read of the same key left (its page images kept:
    the same bytes draw the same pages)."""
    try:
        existing = store.get_document(key)
        if existing is None:
            store.put_document(key, document, read_error=read_error, seconds=seconds, page_images=images)
        else:
            _replace(store, existing.id, document, read_error, seconds)
    except StoreError as exc:
        log.warning("extraction of %s not stored (%s)", key.sha256[:12], exc)


def _replace(store: Store, row_id: int, document: Document | None, read_error: str | None, seconds: float) -> None:
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from matchers.reconcile import reuse_key_of
    from store.results import check_view
    from store.schema import DocumentRow

    full = {"full": True}
    values = {
        "doc_type": document.doc_type if document else None,
        "text_source": document.text_source if document else None,
        "page_count": len(document.pages) if document else 0,
        "extraction": document.model_dump(mode="json", context=full) if document else None,
        "checkable": check_view(document).model_dump(mode="json", context=full) if document else None,
        "invoice_key": reuse_key_of(document),
        "read_error": read_error,
        "seconds": seconds,
    }

    def work(session: Session) -> None:
        session.execute(update(DocumentRow).where(DocumentRow.id == row_id).values(**values))

    store.write(work)


def refresh_folder(directory: Path, settings: Settings) -> int:
    """Read every file of a submission folder afresh into the store (``verify --no-cache``), so
    the verification that follows finds this reading; returns how many files were read."""
    from extractors.errors import DocumentReadError
    from extractors.ocr import OcrUnavailableError
    from flows.work import plan_submission

    store = _open(settings)
    if store is None:
        return 0
    done = 0
    for file in plan_submission(Path(directory), settings).files:
        if file.key is None or file.problem is not None:
            continue
        # a read error is stored; an unavailable engine is reported by the verification itself
        with contextlib.suppress(DocumentReadError, OcrUnavailableError):
            fresh(store, settings, Path(file.path), file.key)
        done += 1
    return done
