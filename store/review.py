"""Review side of the store: reviewers, the queue, decisions, field corrections and the audit log.

Every change a reviewer makes writes its audit entry in the same transaction, so the log can
never miss a decision nor record one that did not happen. The log itself is append-only in the
database (triggers), not only by convention.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from models import Document, Result
from store.base import StoreBase
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
FINAL_DECISIONS = ("approve", "reject", "return")


class ReviewError(ValueError):
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


class ReviewRepository(StoreBase):
    """The API the review UI builds on. Passwords arrive already hashed (argon2 in ``review/``)."""

    # reviewers ----------------------------------------------------------------------------
    def create_reviewer(
        self,
        username: str,
        password_hash: str,
        *,
        role: str = "reviewer",
        display_name: str | None = None,
        created_by: int | None = None,
    ) -> ReviewerInfo:
        def work(s: Session) -> ReviewerInfo:
            if s.scalars(select(ReviewerRow).where(ReviewerRow.username == username)).first():
                raise ReviewError(f"审核人 {username} 已存在")
            row = ReviewerRow(username=username, password_hash=password_hash, role=role, display_name=display_name)
            s.add(row)
            s.flush()
            actor = s.get(ReviewerRow, created_by) if created_by else None
            _add_audit(
                s, actor, "reviewer_created", None, f"reviewer:{row.id}", None, {"username": username, "role": role}
            )
            return _reviewer(row)

        return self.write(work)

    def get_reviewer(self, *, username: str | None = None, reviewer_id: int | None = None) -> ReviewerInfo | None:
        def work(s: Session) -> ReviewerInfo | None:
            if reviewer_id is not None:
                row = s.get(ReviewerRow, reviewer_id)
            else:
                row = s.scalars(select(ReviewerRow).where(ReviewerRow.username == username)).first()
            return _reviewer(row) if row else None

        return self.read(work)

    def list_reviewers(self) -> list[ReviewerInfo]:
        return self.read(lambda s: [_reviewer(r) for r in s.scalars(select(ReviewerRow).order_by(ReviewerRow.id))])

    def update_reviewer(
        self,
        reviewer_id: int,
        *,
        by: int,
        active: bool | None = None,
        role: str | None = None,
        password_hash: str | None = None,
    ) -> ReviewerInfo:
        def work(s: Session) -> ReviewerInfo:
            row = s.get_one(ReviewerRow, reviewer_id)
            before = {"active": row.active, "role": row.role}
            if active is not None:
                row.active = active
            if role is not None:
                row.role = role
            if password_hash is not None:
                row.password_hash = password_hash
            after = {"active": row.active, "role": row.role, "password_changed": password_hash is not None}
            _add_audit(s, s.get(ReviewerRow, by), "reviewer_updated", None, f"reviewer:{row.id}", before, after)
            return _reviewer(row)

        return self.write(work)

    # queue --------------------------------------------------------------------------------
    def list_queue(self, filters: QueueFilter | None = None, *, page: int = 1, page_size: int = 50) -> QueuePage:
        """Latest result per submission, most severe first then oldest; counts by status on top."""
        return self.read(lambda s: _queue(s, filters or QueueFilter(), max(page, 1), max(page_size, 1)))

    def submission_detail(self, submission_id: int) -> SubmissionDetail | None:
        return self.read(lambda s: _detail(s, submission_id))

    def page_image(self, image_id: int) -> PageImageInfo | None:
        """The only way to find a page image: by its id, so no request path reaches the disk."""

        def work(s: Session) -> PageImageInfo | None:
            row = s.get(PageImageRow, image_id)
            if row is None:
                return None
            return PageImageInfo(row.id, row.document_id, row.page, row.path, row.width, row.height, row.dpi)

        return self.read(work)

    # decisions, corrections, audit --------------------------------------------------------
    def record_decision(
        self,
        reviewer_id: int,
        submission_id: int,
        kind: str,
        *,
        finding_id: int | None = None,
        comment: str | None = None,
    ) -> DecisionInfo:
        """``confirm``/``dismiss`` a finding (dismiss needs a reason) or ``approve``/``reject``/``return``."""
        if kind in FINDING_DECISIONS and finding_id is None:
            raise ReviewError("请选择要处理的问题")
        if kind not in FINDING_DECISIONS + FINAL_DECISIONS:
            raise ReviewError(f"未知的审核决定：{kind}")
        if kind == "dismiss" and not (comment or "").strip():
            raise ReviewError("驳回问题必须填写理由")

        def work(s: Session) -> DecisionInfo:
            reviewer = _active_reviewer(s, reviewer_id)
            result_id = s.scalar(select(func.max(ResultRow.id)).where(ResultRow.submission_id == submission_id))
            if result_id is None:
                raise ReviewError("该申报尚无核验结果")
            target = f"submission:{submission_id}"
            before: dict[str, Any] | None = None
            if finding_id is not None:
                finding = s.get(FindingRow, finding_id)
                result_row = s.get(ResultRow, finding.result_id) if finding else None
                if finding is None or result_row is None or result_row.submission_id != submission_id:
                    raise ReviewError("该问题不属于此申报")
                target = f"finding:{finding_id}"
                before = {"code": finding.code, "severity": finding.severity, "message": finding.message}
            row = DecisionRow(
                submission_id=submission_id,
                result_id=result_id,
                finding_id=finding_id,
                reviewer_id=reviewer.id,
                kind=kind,
                comment=comment,
            )
            s.add(row)
            s.flush()
            _add_audit(
                s,
                reviewer,
                f"decision_{kind}",
                submission_id,
                target,
                before,
                {"decision": kind, "comment": comment, "result_id": result_id},
            )
            return _decision(row)

        return self.write(work)

    def correct_field(
        self,
        reviewer_id: int,
        submission_id: int,
        file_name: str,
        field: str,
        new_value: Any,
        *,
        reason: str | None = None,
    ) -> CorrectionInfo:
        """Record a corrected value; ``corrected_documents`` then applies it (the caller re-runs checks)."""

        def work(s: Session) -> CorrectionInfo:
            reviewer = _active_reviewer(s, reviewer_id)
            docs = _documents(s, submission_id, apply_corrections=True)[0]
            doc = docs.get(file_name)
            if doc is None:
                raise ReviewError(f"申报中没有文件 {file_name}")
            old = doc.field_value(field)
            row = FieldCorrectionRow(
                submission_id=submission_id,
                file_name=file_name,
                field=field,
                old_value={"value": old},
                new_value={"value": new_value},
                reviewer_id=reviewer.id,
                reason=reason,
            )
            s.add(row)
            s.flush()
            _add_audit(
                s,
                reviewer,
                "field_corrected",
                submission_id,
                f"field:{file_name}:{field}",
                {"value": old},
                {"value": new_value, "reason": reason},
            )
            return _correction(row)

        return self.write(work)

    def corrected_documents(self, submission_id: int) -> dict[str, Document]:
        """The submission's stored extractions with the reviewers' latest corrections applied."""
        return self.read(lambda s: _documents(s, submission_id, apply_corrections=True)[0])

    def all_corrections(self) -> dict[int, list[CorrectionInfo]]:
        """Every correction by submission id, oldest first: a recheck applies them in bulk."""

        def work(s: Session) -> dict[int, list[CorrectionInfo]]:
            out: dict[int, list[CorrectionInfo]] = {}
            for row in s.scalars(select(FieldCorrectionRow).order_by(FieldCorrectionRow.id)):
                out.setdefault(row.submission_id, []).append(_correction(row))
            return out

        return self.read(work)

    def append_audit(
        self,
        action: str,
        *,
        reviewer_id: int | None = None,
        submission_id: int | None = None,
        target: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEntry:
        def work(s: Session) -> AuditEntry:
            reviewer = s.get(ReviewerRow, reviewer_id) if reviewer_id is not None else None
            return _audit(_add_audit(s, reviewer, action, submission_id, target, before, after))

        return self.write(work)

    def audit_log(self, submission_id: int | None = None, limit: int = 500) -> list[AuditEntry]:
        def work(s: Session) -> list[AuditEntry]:
            query = select(AuditRow).order_by(AuditRow.id).limit(limit)
            if submission_id is not None:
                query = query.where(AuditRow.submission_id == submission_id)
            return [_audit(r) for r in s.scalars(query)]

        return self.read(work)

    def decisions(self, submission_id: int) -> list[DecisionInfo]:
        return self.read(
            lambda s: [
                _decision(r)
                for r in s.scalars(
                    select(DecisionRow).where(DecisionRow.submission_id == submission_id).order_by(DecisionRow.id)
                )
            ]
        )

    def submission_id(self, path: str) -> int | None:
        return self.read(lambda s: s.scalars(select(SubmissionRow.id).where(SubmissionRow.path == path)).first())


def _active_reviewer(s: Session, reviewer_id: int) -> ReviewerRow:
    reviewer = s.get(ReviewerRow, reviewer_id)
    if reviewer is None or not reviewer.active:
        raise ReviewError("审核人不存在或已停用")
    return reviewer


def _queue(s: Session, f: QueueFilter, page: int, page_size: int) -> QueuePage:
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
    query = (
        select(SubmissionRow, ResultRow, DecisionRow)
        .join(latest, latest.c.submission_id == SubmissionRow.id)
        .join(ResultRow, ResultRow.id == latest.c.rid)
        .join(final, final.c.submission_id == SubmissionRow.id, isouter=True)
        .join(DecisionRow, DecisionRow.id == final.c.did, isouter=True)
    )
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
    if conditions:
        query = query.where(and_(*conditions))
    rows = s.execute(query.order_by(ResultRow.max_severity.desc(), ResultRow.created_at, ResultRow.id)).all()
    if f.clause is not None:
        rows = [r for r in rows if f.clause in (r[0].clauses or [])]
    counts: dict[str, int] = {}
    for _, res, _ in rows:
        counts[res.status] = counts.get(res.status, 0) + 1
    window = rows[(page - 1) * page_size : page * page_size]
    codes: dict[int, list[str]] = {}
    if window:
        for rid, code in s.execute(
            select(FindingRow.result_id, FindingRow.code)
            .where(FindingRow.result_id.in_([r[1].id for r in window]))
            .order_by(FindingRow.position)
        ):
            codes.setdefault(rid, []).append(code)
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
            apply_correction(docs, corr.file_name, corr.field, corr.new_value.get("value"))
    return docs, ids


def apply_correction(docs: dict[str, Document], file_name: str, field: str, value: Any) -> None:
    """Replace a field's value with a reviewer's; confidence 1.0, source marked as a correction."""
    from models import ExtractedField

    doc = docs.get(file_name)
    if doc is None:
        return
    fields = dict(doc.fields)
    old = fields.get(field)
    fields[field] = ExtractedField(
        value=value,
        confidence=1.0,
        page=old.page if old else None,
        bbox=old.bbox if old else None,
        extractor="reviewer",
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
        result=Result.model_validate(latest.result) if latest else None,
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
