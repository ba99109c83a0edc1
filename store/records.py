"""Plain values the store hands out, so callers never hold a live ORM object or session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from models import Document, Result


@dataclass(frozen=True)
class DocumentKey:
    """What makes an extraction reusable: the file's bytes, the OCR engine and the extractor code."""

    sha256: str
    engine: str
    extractor_version: str


@dataclass(frozen=True)
class CachedDocument:
    """A stored extraction, or the reason the file could not be read."""

    id: int
    key: DocumentKey
    document: Document | None
    read_error: str | None


@dataclass(frozen=True)
class RunInfo:
    id: int
    kind: str
    root: str | None
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict[str, Any]


@dataclass(frozen=True)
class StoredSubmission:
    """Everything recheck needs about one submission, read back without touching its files.

    ``files`` hold the check view of each extraction (no page lines); ``last_result`` is the newest
    stored verdict without its ``documents`` (status, findings, award, list and policy versions).
    """

    id: int
    path: str
    application: dict[str, Any] | None
    application_error: str | None
    files: dict[str, CachedDocument]
    last_result: Result | None
    last_result_id: int | None
    last_fingerprint: str | None


@dataclass(frozen=True)
class RecheckItem:
    """A submission as a recheck first sees it: files by extraction id (nothing parsed) and the
    basis of its newest verdict (``flows.dependencies``)."""

    id: int
    path: str
    application: dict[str, Any] | None
    files: dict[str, int]
    unreadable: list[tuple[str, str]]
    last_result_id: int | None
    last_status: str | None
    last_fingerprint: str | None
    last_list_versions: dict[str, str]
    last_inputs_key: str | None
    last_dependencies: dict[str, Any] | None


@dataclass(frozen=True)
class ReviewerInfo:
    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    password_hash: str


@dataclass(frozen=True)
class QueueFilter:
    """Queue filters; ``None`` means "any"."""

    batch_id: int | None = None
    clause: str | None = None
    finding_code: str | None = None
    status: str | None = None
    reviewer_id: int | None = None
    undecided_only: bool = True


@dataclass(frozen=True)
class QueueItem:
    submission_id: int
    path: str
    applicant_name: str | None
    clauses: list[str]
    status: str
    max_severity: int
    finding_codes: list[str]
    result_id: int
    batch_id: int
    result_at: dt.datetime
    final_decision: str | None
    decided_by: int | None


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    counts: dict[str, int]
    page: int
    page_size: int


@dataclass(frozen=True)
class StoredFinding:
    id: int
    position: int
    code: str
    severity: str
    message: str
    documents: list[str]
    fields: list[str]


@dataclass(frozen=True)
class PageImageInfo:
    id: int
    document_id: int
    page: int
    path: str
    width: float
    height: float
    dpi: int


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    submission_id: int
    result_id: int | None
    finding_id: int | None
    reviewer_id: int
    kind: str
    comment: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    reviewer_id: int | None
    actor: str
    action: str
    submission_id: int | None
    target: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CorrectionInfo:
    id: int
    submission_id: int
    file_name: str
    field: str
    old_value: Any
    new_value: Any
    reviewer_id: int
    reason: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class SubmissionDetail:
    """What the review page shows: latest result, its finding rows, documents, pages, history."""

    id: int
    path: str
    applicant_name: str | None
    clauses: list[str]
    application: dict[str, Any] | None
    result: Result | None
    result_id: int | None
    findings: list[StoredFinding]
    documents: dict[str, Document]
    document_ids: dict[str, int]
    pages: dict[str, list[PageImageInfo]]
    decisions: list[DecisionInfo]
    audit: list[AuditEntry]
    corrections: list[CorrectionInfo]
    history: list[tuple[int, int, str, dt.datetime]] = field(default_factory=list)
