"""The one base of every error the product raises on purpose.

Why one base: the CLI edge and the flows tell an expected failure (bad input, a missing list, a
database that went away) from a bug by one ``isinstance``, show the former as its Chinese
``reason`` on one line and log the latter with its traceback.
"""

from __future__ import annotations


class EvidenceError(Exception):
    """An expected failure: ``reason`` is the Chinese sentence the reviewer or user sees, ``detail``
    what the log needs beyond it (the underlying exception, say)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return self.reason
