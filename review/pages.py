"""Page images for documents whose pages the store did not keep: rendered on demand, cached.

The file is found from stored facts only (the submission folder and the file's name in the
store), must lie inside that folder, and must still have the bytes that were read (same sha256),
so the boxes drawn over the image are the boxes that were extracted from it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from models import Document
from models.errors import EvidenceError
from models.settings import Settings

CACHE_DIR = "review-cache"


class PageUnavailableError(EvidenceError):
    """The page cannot be shown (file moved, changed, outside its folder, or unreadable)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_file(submission_dir: str, name: str) -> Path:
    """The stored file name resolved inside its submission folder, or an error."""
    folder = Path(submission_dir).resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise PageUnavailableError("原始文件不在申报文件夹中")
    return path


def rendered_page(settings: Settings, submission_dir: str, name: str, doc: Document, number: int) -> Path:
    """A PNG of page ``number`` at the dpi the boxes were measured in, cached under EVIDENCE_HOME."""
    page = next((p for p in doc.pages if p.number == number), None)
    if page is None or not doc.sha256 or len(doc.sha256) != 64 or not doc.sha256.isalnum():
        raise PageUnavailableError("页面不存在")
    cache = settings.home / CACHE_DIR / "pages" / doc.sha256[:2] / doc.sha256
    target = cache / f"p{number:04d}-{page.dpi}-r{page.rotation}-s{page.skew_degrees:.2f}.png"
    if target.is_file():
        return target
    source = source_file(submission_dir, name)
    if _sha256(source) != doc.sha256:
        raise PageUnavailableError("原始文件在核验后已被修改，无法对应证据位置")
    from extractors.errors import DocumentReadError
    from extractors.reading import render_page

    try:
        image = render_page(source, number, page.dpi, page=page)
    except (DocumentReadError, OSError, ValueError) as exc:
        raise PageUnavailableError("页面无法渲染") from exc
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            image.save(out, format="PNG", compress_level=3)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PageUnavailableError("无法保存页面图像") from exc
    return target
