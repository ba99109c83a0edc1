"""The one error a reader may raise: the file could not be read, and why (for the reviewer)."""

from __future__ import annotations


class DocumentReadError(Exception):
    """A file that cannot be opened, decoded or read. ``reason`` is Chinese, for the reviewer."""

    def __init__(self, path: str, reason: str, detail: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.detail = detail
