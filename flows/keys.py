"""Cache keys for extractions: the file's bytes, the OCR engine's identity and the extractor code.

Why a digest of the extractor source rather than a hand-bumped number: any change to reading,
classification or field extraction must invalidate cached extractions, and people forget to bump.
The engine is identified by its package version, without loading its models (a cache hit must
not pay for that).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from models.settings import Settings
from store import DocumentKey

_ENGINE_PACKAGES = {"rapidocr": "rapidocr", "paddleocr": "paddleocr"}
_CHUNK = 1 << 20


@cache
def extractor_version() -> str:
    """Short digest of every source and data file of ``extractors`` (and of the data model)."""
    import extractors
    import models

    digest = hashlib.sha256()
    for package in (extractors, models):
        root = Path(package.__file__ or "").parent
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".yaml", ".json", ".csv", ".txt"} and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def engine_identity(name: str) -> str:
    """``name version`` of the OCR engine package, e.g. ``rapidocr 3.10.0``."""
    package = _ENGINE_PACKAGES.get(name, name)
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "absent"
    return f"{name} {version}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# Settings read from the environment that change what OCR reads (not how fast): part of the key.
_READING_ENV = ("EVIDENCE_OCR_DET_SIDE",)


def _reading_options() -> str:
    chosen = [(name, os.environ.get(name)) for name in _READING_ENV]
    return "".join(f" {name.rsplit('_', 2)[-2].lower()}={value}" for name, value in chosen if value)


def document_key(path: Path, settings: Settings) -> DocumentKey:
    """The cache key of one file; raises OSError if the file cannot be read at all."""
    engine = f"{engine_identity(settings.ocr_engine)} {settings.raster_dpi}dpi{_reading_options()}"
    return DocumentKey(file_sha256(path), engine, extractor_version())


def refused_key(name: str, reason: str) -> DocumentKey:
    """A file the submission scan refused (e.g. a symlink out of the folder): stored like a read error."""
    digest = hashlib.sha256(f"refused\0{name}\0{reason}".encode()).hexdigest()
    return DocumentKey(digest, "-", "refused")
