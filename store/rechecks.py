"""What a recheck reads and writes: light rows first, extractions only for what must be evaluated
again, and a pointer row for every verdict that is re-confirmed unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select

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
    sources = {
        row.id: row
        for row in s.execute(
            select(
                ResultRow.id,
                ResultRow.status,
                ResultRow.policy,
                ResultRow.policy_version,
                ResultRow.award,
                ResultRow.findings,
                ResultRow.max_severity,
                ResultRow.fingerprint,
                ResultRow.same_as,
                ResultRow.inputs_key,
                ResultRow.dependencies,
            ).where(ResultRow.id.in_([source for _, source, _ in items]))
        )
    }
    now = utcnow()
    values = []
    for submission_id, source, versions in items:
        row = sources[source]
        values.append(
            {
                "batch_id": run_id,
                "submission_id": submission_id,
                "status": row.status,
                "policy": row.policy,
                "policy_version": row.policy_version,
                "list_versions": dict(versions),
                "award": row.award,
                "findings": row.findings,
                "max_severity": row.max_severity,
                "fingerprint": row.fingerprint,
                "result": None,
                "same_as": row.same_as or row.id,
                "inputs_key": row.inputs_key,
                "dependencies": row.dependencies,
                "created_at": now,
            }
        )
    new_ids: list[int] = list(
        s.scalars(insert(ResultRow).returning(ResultRow.id, sort_by_parameter_order=True), values).all()
    )
    copy_of = {source: new for new, (_, source, _) in zip(new_ids, items, strict=True)}
    findings = [
        {
            "result_id": copy_of[f.result_id],
            "position": f.position,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "documents": f.documents,
            "fields": f.fields,
        }
        for f in s.scalars(select(FindingRow).where(FindingRow.result_id.in_(list(copy_of))))
    ]
    if findings:
        s.execute(insert(FindingRow), findings)
    _note_list_versions(s, {(n, str(v)) for _, _, versions in items for n, v in versions.items()})
    return new_ids
