"""The one error a reader may raise: the file could not be read, and why (for the reviewer)."""

from __future__ import annotations

import errno

from models.errors import EvidenceError

OUT_OF_MEMORY = "文件过大，内存不足以读取"
"""The reason for every allocation failure: ``flows.isolation`` retries it in a fresh reader."""


class DocumentReadError(EvidenceError):
    """A file that cannot be opened, decoded or read. ``reason`` is Chinese, for the reviewer."""

    def __init__(self, path: str, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def out_of_memory(exc: BaseException) -> bool:
    """onnxruntime, OpenCV and the loader report a failed allocation as their own exception types
    (``bad_alloc``, ``pthread_create … error code: 12``, ``failed to map segment``); the allocation
    failure may also be the cause of the exception that reached us."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, MemoryError) or getattr(seen, "errno", None) == errno.ENOMEM:
            return True
        if any(marker in repr(seen).lower() for marker in OOM_MARKERS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


OOM_MARKERS = (
    "bad_alloc",
    "bad allocation",
    "failed to allocate",
    "unable to allocate",
    "cannot allocate memory",
    "insufficient memory",
    "out of memory",
    "failed to map segment",
    "error code: 12",
)
