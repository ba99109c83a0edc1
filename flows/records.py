"""The small records a verification run passes between its steps and workers: planned files and
what their extraction gave back.

Why apart from ``flows.work``: the reading side (``flows.extraction``) returns these too, and
``flows.work`` calls the reading side, so both import them from here.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Any

from matchers.reconcile import reuse_key_of
from store import CachedDocument, DocumentKey

INTERNAL_ERROR = -1  # DocOutcome.document_id of a file whose extraction crashed (nothing stored)


@dataclass(frozen=True)
class FilePlan:
    name: str
    path: str
    key: DocumentKey | None
    problem: str | None = None


@dataclass(frozen=True)
class SubmissionPlan:
    """A submission folder as found on disk: its application (or why not) and its files' cache keys."""

    path: str
    application: dict[str, Any] | None
    application_error: str | None
    files: list[FilePlan] = field(default_factory=list)


@dataclass(frozen=True)
class DocOutcome:
    """What the flow needs back from an extraction task: small, so it travels cheaply between workers."""

    name: str
    document_id: int
    doc_type: str | None
    reuse_key: str | None  # matchers.reconcile.reuse_key_of
    read_error: str | None
    computed: bool
    seconds: float
    worker: str = ""


def outcome(name: str, cached: CachedDocument, *, computed: bool, seconds: float = 0.0) -> DocOutcome:
    doc = cached.document
    where = f"{socket.gethostname()}:{os.getpid()}"
    return DocOutcome(
        name, cached.id, doc.doc_type if doc else None, reuse_key_of(doc), cached.read_error, computed, seconds, where
    )
