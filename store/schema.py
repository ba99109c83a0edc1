"""Tables of the store. The Alembic migrations in ``store/migrations`` create exactly these.

Why a relational layout rather than one JSON blob per run: reviewers filter the queue by finding
code, batch and status, and a recheck needs the previous result of every submission quickly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


class BatchRow(Base):
    """One run: a ``batch`` over a root folder, a ``verify`` of some folders, or a ``recheck``."""

    __tablename__ = "batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    root: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    __table_args__ = (Index("ix_batches_kind_root_status", "kind", "root", "status"),)


class SubmissionRow(Base):
    """A submission folder, identified by its resolved path; the application is kept for recheck."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    applicant_name: Mapped[str | None] = mapped_column(Text)
    credit_code: Mapped[str | None] = mapped_column(String(32))
    policy: Mapped[str | None] = mapped_column(String(64))
    clauses: Mapped[list[Any]] = mapped_column(default=list)
    application: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    application_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentRow(Base):
    """One extraction of one file content by one engine and extractor version: the OCR cache."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str | None] = mapped_column(String(32))
    text_source: Mapped[str | None] = mapped_column(String(16))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checkable: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # matchers.reconcile.reuse_key_of (an invoice's key, or a certificate's type and number; the
    # column kept its first name): the cross-submission reuse index is one query over this column,
    # not a parse of every stored document
    invoice_key: Mapped[str | None] = mapped_column(String(128))
    read_error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("sha256", "engine", "extractor_version", name="uq_documents_key"),)


class SubmissionFileRow(Base):
    """Which file of a submission holds which extraction (the same content may appear twice)."""

    __tablename__ = "submission_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    __table_args__ = (UniqueConstraint("submission_id", "name", name="uq_submission_files_name"),)


class PageImageRow(Base):
    """A rendered page kept for the review UI; served by id, never by a path from a request."""

    __tablename__ = "page_images"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    width: Mapped[float]
    height: Mapped[float]
    dpi: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("document_id", "page", name="uq_page_images_page"),)


class ResultRow(Base):
    """The verdict of one run on one submission, with the list and policy versions it used."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    policy: Mapped[str | None] = mapped_column(String(64))
    policy_version: Mapped[str | None] = mapped_column(String(64))
    list_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    award: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    findings: Mapped[list[Any]] = mapped_column(default=list)
    max_severity: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # the full Result; None when ``same_as`` names the row holding an identical verdict (a recheck
    # that found nothing changed stores a row per submission, not another copy of its documents)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    same_as: Mapped[int | None] = mapped_column(ForeignKey("results.id"))
    # what the verdict was computed from (flows.dependencies): a recheck reuses it when unchanged
    inputs_key: Mapped[str | None] = mapped_column(String(64))
    dependencies: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("batch_id", "submission_id", name="uq_results_run"),
        Index("ix_results_submission", "submission_id", "id"),
    )


class FindingRow(Base):
    """One finding of one result as a row, so the queue can filter by code and severity."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    documents: Mapped[list[Any]] = mapped_column(default=list)
    fields: Mapped[list[Any]] = mapped_column(default=list)
    __table_args__ = (Index("ix_findings_result", "result_id"), Index("ix_findings_code", "code"))


class ListVersionRow(Base):
    """A reference-list version some result used; a result names the versions it ran against."""

    __tablename__ = "list_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    first_used_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("name", "version", name="uq_list_versions"),)


class ReviewerRow(Base):
    __tablename__ = "reviewers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16), default="reviewer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DecisionRow(Base):
    """A reviewer's decision on a finding (confirm/dismiss) or on the submission (approve/reject/return)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    result_id: Mapped[int | None] = mapped_column(ForeignKey("results.id"))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_decisions_submission", "submission_id", "id"),)


class AuditRow(Base):
    """Append-only: database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("reviewers.id"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    target: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    __table_args__ = (Index("ix_audit_submission", "submission_id", "id"),)


class FieldCorrectionRow(Base):
    """A reviewer's correction of an extracted field; recheck applies the latest one per field."""

    __tablename__ = "field_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new_value: Mapped[dict[str, Any]] = mapped_column(JSON)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_corrections_submission", "submission_id", "id"),)


class DocumentClaimRow(Base):
    """A file being read right now by one process (``owner``) until ``expires_at`` (epoch seconds).

    Why: two batches on one store would otherwise both OCR every file; the second waits for the
    first's reading instead. ``attempts`` counts readers that took the claim and never finished
    (their lease ran out): a file that kept killing its reader is then reported, not read again.
    """

    __tablename__ = "document_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(64))
    extractor_version: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[float]
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("sha256", "engine", "extractor_version", name="uq_document_claims_key"),)
