"""Persistence: SQLite under EVIDENCE_HOME by default, PostgreSQL by EVIDENCE_DB_URL, migrated on open.

``open_store(settings)`` is the entry point; the returned ``Store`` offers the pipeline side (runs,
extraction cache, results) and the review side (reviewers, queue, decisions, corrections, audit).
"""

from __future__ import annotations

from models.settings import Settings
from store.base import StoreError, open_engine
from store.claims import ClaimRepository
from store.recheck_rows import RecheckRepository
from store.records import (
    AuditEntry,
    CachedDocument,
    CorrectionInfo,
    DecisionInfo,
    DocumentKey,
    PageImageInfo,
    QueueFilter,
    QueueItem,
    QueuePage,
    RecheckItem,
    ReviewerInfo,
    RunInfo,
    StoredFinding,
    StoredSubmission,
    SubmissionDetail,
)
from store.results import result_fingerprint
from store.review import ReviewRepository
from store.review_queries import ReviewError
from store.runs import RunRepository


class Store(RunRepository, RecheckRepository, ReviewRepository, ClaimRepository):
    """The whole store; cheap to share within a process, one per process."""


def open_store(settings: Settings) -> Store:
    """Open (and upgrade) the database named by ``settings`` (the caller's, read at its edge)."""
    return Store(open_engine(settings), settings)


__all__ = [
    "AuditEntry",
    "CachedDocument",
    "CorrectionInfo",
    "DecisionInfo",
    "DocumentKey",
    "PageImageInfo",
    "QueueFilter",
    "QueueItem",
    "QueuePage",
    "RecheckItem",
    "ReviewError",
    "ReviewerInfo",
    "RunInfo",
    "Store",
    "StoreError",
    "StoredFinding",
    "StoredSubmission",
    "SubmissionDetail",
    "open_store",
    "result_fingerprint",
]
