"""Page images kept for review, under ``<home>/pages`` with owner-only permissions.

Why copy them: readers render pages into temporary files; the review UI needs them long after,
and by id only. Files are written to a temporary name and renamed, so a full disk leaves no
half-written image behind and raises before any database row points at it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from models import Document
from models.errors import EvidenceError
from store.records import DocumentKey


class PageImageError(EvidenceError, OSError):
    """A page image could not be kept (e.g. the disk is full); the document row is not written."""

    def __init__(self, errno: int, reason: str) -> None:
        super().__init__(reason)
        self.errno = errno
        self.strerror = reason

    def __str__(self) -> str:
        return f"[Errno {self.errno}] {self.reason}"  # as OSError(errno, reason) reads


def pages_dir(home: Path) -> Path:
    path = home / "pages"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def _private_dirs(target: Path, base: Path) -> None:
    """Create ``target`` below ``base`` owner-only at every level (``mkdir(parents=True)`` would not)."""
    current = base
    for part in target.relative_to(base).parts:
        current = current / part
        current.mkdir(mode=0o700, exist_ok=True)


def keep_page_images(home: Path, key: DocumentKey, document: Document) -> list[tuple[int, str, float, float, int]]:
    """Copy each page's rendered image into the store; returns (page, path, width, height, dpi) rows."""
    kept: list[tuple[int, str, float, float, int]] = []
    target_dir: Path | None = None
    for page in document.pages:
        if not page.image_path or not Path(page.image_path).is_file():
            continue
        if target_dir is None:
            digest = f"{key.engine}-{key.extractor_version}".replace("/", "_")
            target_dir = pages_dir(home) / key.sha256[:2] / key.sha256 / digest
            _private_dirs(target_dir, pages_dir(home))
        source = Path(page.image_path)
        target = target_dir / f"p{page.number:04d}{source.suffix.lower() or '.png'}"
        if source.resolve() != target.resolve():
            _atomic_copy(source, target)
        kept.append((page.number, str(target), page.width, page.height, page.dpi))
    return kept


def _atomic_write(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Owner-only, via a ``.part`` file renamed into place: a crash never leaves half an image."""
    tmp = target.with_name(target.name + ".part")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PageImageError(exc.errno or 0, f"无法保存页面图像：{exc.strerror or exc}") from exc


def _atomic_copy(source: Path, target: Path) -> None:
    def fill(out: BinaryIO) -> None:
        with source.open("rb") as src:
            shutil.copyfileobj(src, out)

    _atomic_write(target, fill)


def write_page_image(home: Path, key: DocumentKey, page: int, data: bytes, suffix: str = ".png") -> Path:
    """Keep a page image encoded by the caller (``suffix`` names its format), atomically and owner-only."""
    digest = f"{key.engine}-{key.extractor_version}".replace("/", "_").replace(" ", "_")
    target_dir = pages_dir(home) / key.sha256[:2] / key.sha256 / digest
    _private_dirs(target_dir, pages_dir(home))
    target = target_dir / f"p{page:04d}{suffix}"
    _atomic_write(target, lambda out: out.write(data))
    return target
