"""Queries behind the review repository: the queue, a submission's detail, corrected documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.orm import Session

from models import Document
from models.errors import EvidenceError
from store.records import (
    AuditEntry,
    CorrectionInfo,
    DecisionInfo,
    PageImageInfo,
    QueueFilter,
    QueueItem,
    QueuePage,
    ReviewerInfo,
    StoredFinding,
    SubmissionDetail,
)
from store.results import stored_result
from store.schema import (
    AuditRow,
    DecisionRow,
    DocumentRow,
    FieldCorrectionRow,
    FindingRow,
    PageImageRow,
    ResultRow,
    ReviewerRow,
    SubmissionFileRow,
    SubmissionRow,
)

FINDING_DECISIONS = ("confirm", "dismiss")
FINAL_DECISIONS = ("approve", "reject", "return", "archive")  # archive: an admin takes a mistaken entry out


class ReviewError(EvidenceError, ValueError):
    """A review action that is not allowed (message in Chinese, for the reviewer)."""


def _reviewer(row: ReviewerRow) -> ReviewerInfo:
    return ReviewerInfo(row.id, row.username, row.display_name, row.role, row.active, row.password_hash)


def _audit(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.id, row.at, row.reviewer_id, row.actor, row.action, row.submission_id, row.target, row.before, row.after
    )


def _decision(row: DecisionRow) -> DecisionInfo:
    return DecisionInfo(
        row.id, row.submission_id, row.result_id, row.finding_id, row.reviewer_id, row.kind, row.comment, row.created_at
    )


def _correction(row: FieldCorrectionRow) -> CorrectionInfo:
    old = row.old_value.get("value") if row.old_value else None
    return CorrectionInfo(
        row.id,
        row.submission_id,
        row.file_name,
        row.field,
        old,
        row.new_value.get("value"),
        row.reviewer_id,
        row.reason,
        row.created_at,
    )


def _add_audit(  # noqa: PLR0917 - one positional slot per audit column
    s: Session,
    reviewer: ReviewerRow | None,
    action: str,
    submission_id: int | None,
    target: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditRow:
    row = AuditRow(
        reviewer_id=reviewer.id if reviewer else None,
        actor=reviewer.username if reviewer else "system",
        action=action,
        submission_id=submission_id,
        target=target,
        before=before,
        after=after,
    )
    s.add(row)
    s.flush()
    return row


def _active_reviewer(s: Session, reviewer_id: int) -> ReviewerRow:
    reviewer = s.get(ReviewerRow, reviewer_id)
    if reviewer is None or not reviewer.active:
        raise ReviewError("审核人不存在或已停用")
    return reviewer


def _queue_select() -> Select[SubmissionRow, ResultRow, DecisionRow]:
    """Each submission with its latest result and its latest final decision (if any)."""
    latest = (
        select(ResultRow.submission_id, func.max(ResultRow.id).label("rid"))
        .group_by(ResultRow.submission_id)
        .subquery()
    )
    final = (
        select(DecisionRow.submission_id, func.max(DecisionRow.id).label("did"))
        .where(DecisionRow.kind.in_(FINAL_DECISIONS))
        .group_by(DecisionRow.submission_id)
        .subquery()
    )
    return (
        select(SubmissionRow, ResultRow, DecisionRow)
        .join(latest, latest.c.submission_id == SubmissionRow.id)
        .join(ResultRow, ResultRow.id == latest.c.rid)
        .join(final, final.c.submission_id == SubmissionRow.id, isouter=True)
        .join(DecisionRow, DecisionRow.id == final.c.did, isouter=True)
    )


def _queue_conditions(f: QueueFilter) -> list[ColumnElement[bool]]:
    """The filters the database can apply (the clause list is JSON and filtered afterwards)."""
    conditions: list[ColumnElement[bool]] = []
    if f.batch_id is not None:
        conditions.append(SubmissionRow.id.in_(select(ResultRow.submission_id).where(ResultRow.batch_id == f.batch_id)))
    if f.status is not None:
        conditions.append(ResultRow.status == f.status)
    if f.finding_code is not None:
        conditions.append(ResultRow.id.in_(select(FindingRow.result_id).where(FindingRow.code == f.finding_code)))
    if f.reviewer_id is not None:
        conditions.append(
            SubmissionRow.id.in_(select(DecisionRow.submission_id).where(DecisionRow.reviewer_id == f.reviewer_id))
        )
    if f.undecided_only:
        conditions.append(DecisionRow.id.is_(None))
    return conditions


QUEUE_ORDER = (ResultRow.max_severity.desc(), ResultRow.created_at, ResultRow.id)


def _queue_rows(s: Session, f: QueueFilter) -> list[Row[SubmissionRow, ResultRow, DecisionRow]]:
    query = _queue_select()
    conditions = _queue_conditions(f)
    if conditions:
        query = query.where(and_(*conditions))
    rows = list(s.execute(query.order_by(*QUEUE_ORDER)).all())
    if f.clause is not None:
        rows = [r for r in rows if f.clause in (r[0].clauses or [])]
    return rows


def _finding_codes(s: Session, result_ids: list[int]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    if result_ids:
        for rid, code in s.execute(
            select(FindingRow.result_id, FindingRow.code)
            .where(FindingRow.result_id.in_(result_ids))
            .order_by(FindingRow.position)
        ):
            codes.setdefault(rid, []).append(code)
    return codes


def _queue(s: Session, f: QueueFilter, page: int, page_size: int) -> QueuePage:
    rows = _queue_rows(s, f)
    counts: dict[str, int] = {}
    for _, res, _ in rows:
        counts[res.status] = counts.get(res.status, 0) + 1
    window = rows[(page - 1) * page_size : page * page_size]
    codes = _finding_codes(s, [r[1].id for r in window])
    items = [
        QueueItem(
            sub.id,
            sub.path,
            sub.applicant_name,
            list(sub.clauses or []),
            res.status,
            res.max_severity,
            codes.get(res.id, []),
            res.id,
            res.batch_id,
            res.created_at,
            dec.kind if dec else None,
            dec.reviewer_id if dec else None,
        )
        for sub, res, dec in window
    ]
    return QueuePage(items, len(rows), counts, page, page_size)


def queue_order(s: Session) -> list[tuple[int, bool]]:
    """Every submission id in queue order with whether it has a final decision: the reviewer's progress.

    Ids only, so that showing "第 3 / 120 份" on each submission page does not load the queue's rows.
    """
    latest = select(func.max(ResultRow.id).label("rid")).group_by(ResultRow.submission_id).subquery()
    decided = select(DecisionRow.submission_id).where(DecisionRow.kind.in_(FINAL_DECISIONS))
    query = (
        select(ResultRow.submission_id, ResultRow.submission_id.in_(decided))
        .join(latest, latest.c.rid == ResultRow.id)
        .order_by(*QUEUE_ORDER)
    )
    return [(int(sid), bool(done)) for sid, done in s.execute(query)]


def _documents(
    s: Session, submission_id: int, *, apply_corrections: bool
) -> tuple[dict[str, Document], dict[str, int]]:
    docs: dict[str, Document] = {}
    ids: dict[str, int] = {}
    for name, row in s.execute(
        select(SubmissionFileRow.name, DocumentRow)
        .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
        .where(SubmissionFileRow.submission_id == submission_id)
    ):
        ids[name] = row.id
        if row.extraction is not None:
            docs[name] = Document.model_validate(row.extraction).model_copy(update={"path": name})
    if apply_corrections:
        rows = s.scalars(
            select(FieldCorrectionRow)
            .where(FieldCorrectionRow.submission_id == submission_id)
            .order_by(FieldCorrectionRow.id)
        )
        for corr in rows:
            apply_correction(
                docs, corr.file_name, corr.field, corr.new_value.get("value"), page=corr.new_value.get("page")
            )
    return docs, ids


def apply_correction(
    docs: dict[str, Document], file_name: str, field: str, value: Any, *, page: int | None = None
) -> None:
    """Replace (or, for a field the reader missed, add) a field's value with a reviewer's; confidence
    1.0, source marked as a correction; the page is the field's own, else the one the reviewer gave."""
    from models import ExtractedField
    from models.document import CORRECTED_BY_REVIEWER

    doc = docs.get(file_name)
    if doc is None:
        return
    fields = dict(doc.fields)
    old = fields.get(field)
    fields[field] = ExtractedField(
        value=value,
        confidence=1.0,
        page=old.page if old and old.page else page,
        bbox=old.bbox if old else None,
        extractor=CORRECTED_BY_REVIEWER,
        source="derived",
    )
    docs[file_name] = doc.model_copy(update={"fields": fields})


def _detail(s: Session, submission_id: int) -> SubmissionDetail | None:
    sub = s.get(SubmissionRow, submission_id)
    if sub is None:
        return None
    results = s.scalars(select(ResultRow).where(ResultRow.submission_id == submission_id).order_by(ResultRow.id)).all()
    latest = results[-1] if results else None
    findings = []
    if latest is not None:
        findings = [
            StoredFinding(r.id, r.position, r.code, r.severity, r.message, list(r.documents), list(r.fields))
            for r in s.scalars(
                select(FindingRow).where(FindingRow.result_id == latest.id).order_by(FindingRow.position)
            )
        ]
    docs, ids = _documents(s, submission_id, apply_corrections=True)
    pages: dict[str, list[PageImageInfo]] = {}
    by_doc = {doc_id: name for name, doc_id in ids.items()}
    for row in s.scalars(
        select(PageImageRow).where(PageImageRow.document_id.in_(list(ids.values()))).order_by(PageImageRow.page)
    ):
        pages.setdefault(by_doc[row.document_id], []).append(
            PageImageInfo(row.id, row.document_id, row.page, row.path, row.width, row.height, row.dpi)
        )
    decisions = [
        _decision(r)
        for r in s.scalars(
            select(DecisionRow).where(DecisionRow.submission_id == submission_id).order_by(DecisionRow.id)
        )
    ]
    audit = [
        _audit(r)
        for r in s.scalars(select(AuditRow).where(AuditRow.submission_id == submission_id).order_by(AuditRow.id))
    ]
    corrections = [
        _correction(r)
        for r in s.scalars(
            select(FieldCorrectionRow)
            .where(FieldCorrectionRow.submission_id == submission_id)
            .order_by(FieldCorrectionRow.id)
        )
    ]
    history: list[tuple[int, int, str, dt.datetime]] = [(r.id, r.batch_id, r.status, r.created_at) for r in results]
    return SubmissionDetail(
        id=sub.id,
        path=sub.path,
        applicant_name=sub.applicant_name,
        clauses=list(sub.clauses or []),
        application=sub.application,
        result=stored_result(s, latest) if latest else None,
        result_id=latest.id if latest else None,
        findings=findings,
        documents=docs,
        document_ids=ids,
        pages=pages,
        decisions=decisions,
        audit=audit,
        corrections=corrections,
        history=history,
    )


def claims(s: Session, submission_ids: list[int]) -> dict[int, float | None]:
    """The award each submission claims (万元), from its stored application, for the queue export."""
    out: dict[int, float | None] = {}
    for sid, app in s.execute(
        select(SubmissionRow.id, SubmissionRow.application).where(SubmissionRow.id.in_(submission_ids))
    ):
        claimed = (app or {}).get("claimed_award_wan")
        out[int(sid)] = float(claimed) if isinstance(claimed, int | float) else None
    return out
