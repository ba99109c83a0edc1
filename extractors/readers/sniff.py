"""Decide a file's format from its first bytes, never from its name: uploads are often misnamed."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

Kind = Literal[
    "pdf", "png", "jpeg", "tiff", "gif", "bmp", "webp", "ofd", "xlsx", "zip", "xml", "html", "csv", "unknown"
]

_MAGIC: list[tuple[bytes, Kind]] = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
]


def sniff(path: Path) -> Kind:
    """The format of ``path`` from its content; ``unknown`` when nothing matches."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    return sniff_bytes(head, path)


def sniff_bytes(head: bytes, path: Path | None = None) -> Kind:
    # A PDF header may follow some junk (the spec allows 1024 bytes before %PDF).
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path) if path is not None else "zip"
    return _text_kind(head)


def _zip_kind(path: Path) -> Kind:
    """OFD and XLSX are both zips; their member names tell them apart (read from the central directory)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {info.filename.lstrip("/") for info in archive.infolist()[:5000]}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):  # e.g. "zip file version 23.3"
        return "zip"
    if "OFD.xml" in names or any(name.lower() == "ofd.xml" for name in names):
        return "ofd"
    if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
        return "xlsx"
    return "zip"


def _text_kind(head: bytes) -> Kind:
    text = _decode_head(head)
    if text is None:
        return "unknown"
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith(("<!doctype html", "<html")) or "<html" in stripped[:512]:
        return "html"
    if stripped.startswith("<?xml") or stripped.startswith("<"):
        return "xml"
    if stripped and ("," in text or "\t" in text or "\n" in text):
        return "csv"
    return "unknown"


def _decode_head(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM (Excel's "Unicode text")
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            # The 4 KiB head may cut a multi-byte character at its end.
            if exc.start >= len(head) - 4:
                return head[: exc.start].decode(encoding, errors="ignore")
    return None
