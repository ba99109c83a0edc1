"""What a recheck reads and writes: light rows first, extractions only for what must be evaluated
again, and a pointer row for every verdict that is re-confirmed unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, func, insert, literal, select
from sqlalchemy.orm import defer

from models import Result
from store.base import StoreBase
from store.records import RecheckItem
from store.results import _light_result, _note_list_versions
from store.schema import DocumentRow, FindingRow, ResultRow, SubmissionFileRow, SubmissionRow, utcnow

_CHUNK = 1000


class RecheckRepository(StoreBase):
    def recheck_items(self) -> list[RecheckItem]:
        """Every submission with its files (by extraction id) and the basis of its newest verdict;
        no extraction and no full result is parsed."""

        def work(s: Any) -> list[RecheckItem]:
            latest = (
                select(ResultRow.submission_id, func.max(ResultRow.id).label("rid"))
                .group_by(ResultRow.submission_id)
                .subquery()
            )
            rows = s.execute(
                select(
                    SubmissionRow.id,
                    SubmissionRow.path,
                    SubmissionRow.application,
                    ResultRow.id,
                    ResultRow.status,
                    ResultRow.fingerprint,
                    ResultRow.list_versions,
                    ResultRow.inputs_key,
                    ResultRow.dependencies,
                )
                .join(latest, latest.c.submission_id == SubmissionRow.id, isouter=True)
                .join(ResultRow, ResultRow.id == latest.c.rid, isouter=True)
                .order_by(SubmissionRow.id)
            ).all()
            files: dict[int, dict[str, int]] = {}
            unreadable: dict[int, list[tuple[str, str]]] = {}
            for owner, name, doc_id, read_error in s.execute(
                select(SubmissionFileRow.submission_id, SubmissionFileRow.name, DocumentRow.id, DocumentRow.read_error)
                .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
                .order_by(SubmissionFileRow.submission_id, SubmissionFileRow.name)
            ):
                files.setdefault(owner, {})[name] = doc_id
                if read_error is not None:
                    unreadable.setdefault(owner, []).append((name, read_error))
            return [
                RecheckItem(
                    id=sid,
                    path=path,
                    application=application,
                    files=files.get(sid, {}),
                    unreadable=unreadable.get(sid, []),
                    last_result_id=rid,
                    last_status=status,
                    last_fingerprint=fingerprint,
                    last_list_versions=dict(versions or {}),
                    last_inputs_key=key,
                    last_dependencies=deps,
                )
                for sid, path, application, rid, status, fingerprint, versions, key, deps in rows
            ]

        return self.read(work)

    def light_results(self, result_ids: Iterable[int]) -> dict[int, Result]:
        """Verdicts without their documents (status, findings, award, versions), by result id."""
        wanted = sorted(set(result_ids))

        def work(s: Any) -> dict[int, Result]:
            out: dict[int, Result] = {}
            for start in range(0, len(wanted), _CHUNK):
                rows = s.execute(
                    select(SubmissionRow, ResultRow)
                    .join(ResultRow, ResultRow.submission_id == SubmissionRow.id)
                    .where(ResultRow.id.in_(wanted[start : start + _CHUNK]))
                    .options(defer(ResultRow.result), defer(SubmissionRow.application))
                )
                out.update({res.id: _light_result(sub, res) for sub, res in rows})
            return out

        return self.read(work)

    def reuse_results(self, run_id: int, items: Sequence[tuple[int, int, Mapping[str, str]]]) -> list[int]:
        """Re-confirm verdicts in run ``run_id``: for each (submission id, result id, list versions),
        a result row pointing at the verdict (``same_as``) with copies of its finding rows, so the
        queue and history see the run. Chunked transactions, each whole or absent."""
        ids: list[int] = []
        for start in range(0, len(items), _CHUNK):
            part = items[start : start + _CHUNK]
            ids += self.write(lambda s, part=part: _reuse(s, run_id, part))  # type: ignore[misc]
        return ids


def _reuse(s: Any, run_id: int, items: Sequence[tuple[int, int, Mapping[str, str]]]) -> list[int]:
    """Copies inside the database (INSERT … SELECT): no verdict or finding passes through Python."""
    by_versions: dict[str, list[int]] = {}
    for _, source, versions in items:
        by_versions.setdefault(json.dumps(dict(versions), sort_keys=True), []).append(source)
    now = utcnow()
    copied = [
        "batch_id", "submission_id", "status", "policy", "policy_version", "list_versions", "award", "findings",
        "max_severity", "fingerprint", "same_as", "inputs_key", "dependencies", "created_at",
    ]  # fmt: skip
    for versions_json, group in by_versions.items():
        s.execute(
            insert(ResultRow).from_select(
                copied,
                select(
                    literal(run_id),
                    ResultRow.submission_id,
                    ResultRow.status,
                    ResultRow.policy,
                    ResultRow.policy_version,
                    literal(json.loads(versions_json), type_=JSON),
                    ResultRow.award,
                    ResultRow.findings,
                    ResultRow.max_severity,
                    ResultRow.fingerprint,
                    func.coalesce(ResultRow.same_as, ResultRow.id),
                    ResultRow.inputs_key,
                    ResultRow.dependencies,
                    literal(now, type_=ResultRow.__table__.c.created_at.type),
                ).where(ResultRow.id.in_(group)),
            )
        )
    # the finding rows of the verdict's holder (``same_as``): every row of one verdict has the same
    s.execute(
        insert(FindingRow).from_select(
            ["result_id", "position", "code", "severity", "message", "documents", "fields"],
            select(
                ResultRow.id,
                FindingRow.position,
                FindingRow.code,
                FindingRow.severity,
                FindingRow.message,
                FindingRow.documents,
                FindingRow.fields,
            )
            .join(FindingRow, FindingRow.result_id == ResultRow.same_as)
            .where(ResultRow.batch_id == run_id, ResultRow.submission_id.in_([sid for sid, _, _ in items])),
        )
    )
    _note_list_versions(s, {(n, str(v)) for _, _, versions in items for n, v in versions.items()})
    ids = dict(
        s.execute(
            select(ResultRow.submission_id, ResultRow.id).where(
                ResultRow.batch_id == run_id, ResultRow.submission_id.in_([sid for sid, _, _ in items])
            )
        ).all()
    )
    return [ids[sid] for sid, _, _ in items]
