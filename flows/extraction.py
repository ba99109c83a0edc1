"""Reading one planned file for the store: claimed so no two processes read it, isolated so it
cannot take the batch down, remembered when it killed its reader.

Why a separate module: ``flows.work`` holds the plain steps; this is the part that deals with
other processes (the claim row of ``store.claims``, the reading child of ``flows.isolation``).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path

from extractors.errors import DocumentReadError
from flows.isolation import isolation_enabled, read_isolated, wall_seconds
from flows.page_encoding import EncodedPage, OcrPages
from flows.page_images import page_images
from flows.records import INTERNAL_ERROR, DocOutcome, FilePlan, outcome
from models import Document
from models.settings import Settings
from store import CachedDocument, DocumentKey, Store

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
POISON_REASON = "该文件此前多次导致读取进程中止（超出内存或时间上限），已不再读取"
_BUGS = (
    MemoryError,
    RecursionError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    AssertionError,
    LookupError,
    RuntimeError,
)


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_or_wait(store: Store, key: DocumentKey, owner: str) -> str | CachedDocument:
    """``mine`` or ``poison`` from the claim, or the reading another process stored while we waited."""
    lease = wall_seconds() + 30.0
    while True:
        state = store.claim_document(key, owner, lease)
        if state != "busy":
            return state
        time.sleep(POLL_SECONDS)
        cached = store.get_document(key)
        if cached is not None:
            return cached


def read_claimed(settings: Settings, store: Store, file: FilePlan) -> DocOutcome:
    """Read ``file`` unless another process is reading it (then wait for its stored reading)."""
    assert file.key is not None
    owner = owner_id()
    state = claim_or_wait(store, file.key, owner)
    if isinstance(state, CachedDocument):
        return outcome(file.name, state, computed=False)
    if state == "poison":
        log.warning("%s killed its readers before; reported, not read", file.key.sha256[:12])
        return outcome(file.name, store.put_document(file.key, None, read_error=POISON_REASON), computed=True)
    try:
        return _read_and_store(settings, store, file)
    finally:
        store.release_document(file.key, owner)


def _read_and_store(settings: Settings, store: Store, file: FilePlan) -> DocOutcome:
    assert file.key is not None
    started = time.perf_counter()
    got = _read(settings, Path(file.path))
    if isinstance(got, str):  # a bug, not bad input: report it, cache nothing, keep the batch going
        reason = internal_error_reason(got)
        return DocOutcome(file.name, INTERNAL_ERROR, None, None, reason, True, time.perf_counter() - started)
    document, error, encoded = got
    seconds = time.perf_counter() - started
    images = [] if document is None else page_images(settings, Path(file.path), file.key, document, encoded)
    stored = store.put_document(file.key, document, read_error=error, seconds=seconds, page_images=images)
    doc_type = stored.document.doc_type if stored.document else "-"
    log.info("extracted %s (%s) in %.2fs", file.key.sha256[:12], doc_type, seconds)
    return outcome(file.name, stored, computed=True, seconds=seconds)


Read = tuple[Document | None, str | None, dict[int, EncodedPage]]


def internal_error_reason(bug: str) -> str:
    return f"处理该文件时发生内部错误（{bug}），已记录日志，请联系管理员"


class ReaderBugError(DocumentReadError):
    """A reader bug, not bad input: reported for this one file like a read error, never cached."""


def read_limited(settings: Settings, path: Path) -> tuple[Document, dict[int, EncodedPage]]:
    """A single command's read (``evidence extract``) through the same limited child as a batch's.

    Why: a poison file must not take down the command either, and what ended the child is the
    file's stored reason. Raises DocumentReadError (the reason, or the limit that ended the
    child), ReaderBugError and OcrUnavailableError, as ``process_file`` would.
    """
    # the command prints the reason itself: its log records must not add stderr lines
    got = _read(settings, path, quiet=True)
    if isinstance(got, str):
        raise ReaderBugError(str(path), internal_error_reason(got))
    document, error, encoded = got
    if document is None:
        raise DocumentReadError(str(path), error or "文件无法读取")
    return document, encoded


def _read(settings: Settings, path: Path, *, quiet: bool = False) -> Read | str:
    """(document, read error, OCRed page images), or the name of the bug that stopped the reader."""
    from extractors.ocr import OcrUnavailableError

    if not isolation_enabled():
        return _read_here(settings, path, quiet=quiet)
    reply = read_isolated(path, settings)
    if reply.kind == "ok":
        document, encoded = reply.payload
        return document, None, encoded
    if reply.kind == "read_error":
        return None, str(reply.payload[0]), {}
    if reply.kind == "ocr_unavailable":
        raise OcrUnavailableError(str(reply.payload[0]))
    if reply.kind == "killed":
        log.log(logging.INFO if quiet else logging.WARNING, "the reader was ended on %s: %s", path.name, reply.killed)
        return None, reply.killed, {}  # stored: a rerun reports it instead of dying again
    bug = str(reply.payload[0]) if reply.payload else "Exception"
    log.log(logging.INFO if quiet else logging.ERROR, "extractor failed in the reading process (%s)", bug)
    return bug


def _read_here(settings: Settings, path: Path, *, quiet: bool = False) -> Read | str:
    from extractors.process import process_file

    pages = OcrPages()
    try:
        return process_file(path, settings=settings, keep_page=pages.keep), None, pages.encoded
    except DocumentReadError as exc:
        return None, exc.reason, {}
    except _BUGS as exc:
        log.log(logging.INFO if quiet else logging.ERROR, "extractor failed on %s", path.name, exc_info=True)
        return type(exc).__name__
