"""Review side of the store: reviewers, the queue, decisions, field corrections and the audit log.

Every change a reviewer makes writes its audit entry in the same transaction, so the log can
never miss a decision nor record one that did not happen. The log itself is append-only in the
database (triggers), not only by convention.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Document
from store.base import StoreBase
from store.records import (
    AuditEntry,
    CorrectionInfo,
    DecisionInfo,
    PageImageInfo,
    QueueFilter,
    QueuePage,
    ReviewerInfo,
    SubmissionDetail,
)
from store.review_queries import (
    FINAL_DECISIONS,
    FINDING_DECISIONS,
    ReviewError,
    _active_reviewer,
    _add_audit,
    _audit,
    _correction,
    _decision,
    _detail,
    _documents,
    _queue,
    _reviewer,
)
from store.schema import (
    AuditRow,
    DecisionRow,
    FieldCorrectionRow,
    FindingRow,
    PageImageRow,
    ResultRow,
    ReviewerRow,
    SubmissionRow,
)


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
        page: int | None = None,
    ) -> CorrectionInfo:
        """Record a corrected value; ``corrected_documents`` then applies it (the caller re-runs checks).

        ``page`` is where a value the reader missed stands, as the reviewer saw it.
        """

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
                new_value={"value": new_value, **({"page": page} if page else {})},
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
                {"value": new_value, "reason": reason, **({"page": page} if page else {})},
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
