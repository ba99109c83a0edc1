"""The audit log's line for a verdict that changed without a reviewer's hand (issue 23).

When a batch, verify or recheck stores a status other than the submission's previous one, the
audit log says so: what it was (原为…) and is, the list and policy versions of each, the finding
codes added and removed, and the kind of run that changed it; its time is the entry's own. A
reviewer's correction (a run of kind ``review``) is audited by ``review.correction`` under the
reviewer's name instead, so it is not written twice. Codes and versions are stored as data; the
review UI turns them into Chinese (``review.audit_text``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Result
from store.schema import AuditRow, BatchRow, FindingRow, ResultRow

ACTION = "verdict_changed"
AUDITED_ELSEWHERE = frozenset({"review"})


@dataclass(frozen=True)
class Verdict:
    """A submission's newest stored verdict, as far as the audit line needs it."""

    status: str
    policy_version: str | None
    list_versions: dict[str, Any]
    codes: tuple[str, ...]


def latest_verdicts(s: Session, submission_ids: Iterable[int]) -> dict[int, Verdict]:
    """Each submission's newest result before the ones about to be stored (none: never checked)."""
    ids = sorted(set(submission_ids))
    if not ids:
        return {}
    newest = (
        select(func.max(ResultRow.id).label("id"))
        .where(ResultRow.submission_id.in_(ids))
        .group_by(ResultRow.submission_id)
        .subquery()
    )
    rows = list(s.scalars(select(ResultRow).where(ResultRow.id.in_(select(newest.c.id)))))
    holders = {row.id: row.same_as or row.id for row in rows}  # a reused verdict's findings are its holder's
    codes: dict[int, list[str]] = {}
    found = select(FindingRow.result_id, FindingRow.code).where(FindingRow.result_id.in_(set(holders.values())))
    for result_id, code in s.execute(found.order_by(FindingRow.result_id, FindingRow.position)):
        codes.setdefault(result_id, []).append(code)
    return {
        row.submission_id: Verdict(
            row.status, row.policy_version, dict(row.list_versions or {}), tuple(codes.get(holders[row.id], []))
        )
        for row in rows
    }


def audit_changes(
    s: Session, run_id: int, before: Mapping[int, Verdict], stored: Sequence[tuple[int, int, Result]]
) -> None:
    """One audit line per (submission id, result id, result) whose status differs from ``before``."""
    kind = s.scalar(select(BatchRow.kind).where(BatchRow.id == run_id)) or ""
    if kind in AUDITED_ELSEWHERE:
        return
    for submission_id, result_id, result in stored:
        old = before.get(submission_id)
        if old is None or old.status == result.status:
            continue
        new_codes = [str(f.code) for f in result.findings]
        s.add(
            AuditRow(
                reviewer_id=None,
                actor="system",
                action=ACTION,
                submission_id=submission_id,
                target=f"result:{result_id}",
                before={
                    "status": old.status,
                    "policy_version": old.policy_version,
                    "list_versions": old.list_versions,
                },
                after={
                    "status": result.status,
                    "policy_version": result.policy_version,
                    "list_versions": dict(result.list_versions),
                    "run": kind,
                    "findings_added": sorted(set(new_codes) - set(old.codes)),
                    "findings_removed": sorted(set(old.codes) - set(new_codes)),
                },
            )
        )
    s.flush()
