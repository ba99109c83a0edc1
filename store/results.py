"""Rows to and from results: fingerprints, stored payloads, bulk inserts and the recheck loader."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, defer

from models import Document, Result
from store.records import CachedDocument, DocumentKey, RunInfo, StoredSubmission
from store.schema import (
    BatchRow,
    DocumentRow,
    FindingRow,
    ListVersionRow,
    ResultRow,
    SubmissionFileRow,
    SubmissionRow,
    utcnow,
)
from store.verdict_audit import audit_changes, latest_verdicts

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def result_fingerprint(result: Result) -> str:
    """Status and findings without their wording: two results with equal prints say the same thing."""
    items = sorted(
        json.dumps([f.code, f.severity, sorted(f.documents), sorted(f.fields)], ensure_ascii=False)
        for f in result.findings
    )
    award = result.award.amount_wan if result.award else None
    raw = json.dumps([result.status, items, award], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def result_payload(result: Result) -> dict[str, Any]:
    """The result as stored: documents in their check view (pages without lines), so it loads back
    as a ``Result`` (the contract shape counts pages and cannot)."""
    documents = [check_view(d) for d in result.documents]
    dumped: dict[str, Any] = result.model_copy(update={"documents": documents}).model_dump(
        mode="json", context={"full": True}
    )
    return dumped


def stored_result(s: Session, row: ResultRow) -> Result:
    """The Result a row stands for: a reused verdict (``same_as``) is read from the row holding it,
    with the list versions of the run that re-confirmed it."""
    payload = row.result
    if payload is None:
        payload = s.scalar(select(ResultRow.result).where(ResultRow.id == row.same_as))
    result = Result.model_validate(payload)
    if row.same_as is None:
        return result
    return result.model_copy(update={"list_versions": dict(row.list_versions)})


def _max_severity(result: Result) -> int:
    if result.status == "error":
        return 4
    return max((SEVERITY_RANK.get(f.severity, 0) for f in result.findings), default=0)


def _run_info(row: BatchRow) -> RunInfo:
    return RunInfo(row.id, row.kind, row.root, row.status, row.started_at, row.finished_at, dict(row.counts))


def check_view(document: Document) -> Document:
    """The document without page lines and table cells: all the checks read, a fraction of the bytes."""
    pages = [page.model_copy(update={"lines": [], "table_rows": None}) for page in document.pages]
    return document.model_copy(update={"pages": pages})


def _cached(row: DocumentRow, *, compact: bool = False) -> CachedDocument:
    data = row.checkable if compact and row.checkable is not None else row.extraction
    doc = Document.model_validate(data) if data is not None else None
    return CachedDocument(row.id, DocumentKey(row.sha256, row.engine, row.extractor_version), doc, row.read_error)


def _result_values(
    run_id: int,
    submission_id: int,
    result: Result,
    inputs_key: str | None = None,
    dependencies: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    payload = result_payload(result)
    return {
        "batch_id": run_id,
        "submission_id": submission_id,
        "status": result.status,
        "policy": result.policy,
        "policy_version": result.policy_version,
        "list_versions": dict(result.list_versions),
        "award": payload["award"],
        "findings": payload["findings"],
        "max_severity": _max_severity(result),
        "fingerprint": result_fingerprint(result),
        "result": payload,
        "inputs_key": inputs_key,
        "dependencies": dict(dependencies) if dependencies is not None else None,
        "created_at": utcnow(),
    }


def _finding_values(result_id: int, result: Result) -> list[dict[str, Any]]:
    return [
        {
            "result_id": result_id,
            "position": position,
            "code": str(f.code),
            "severity": f.severity,
            "message": f.message,
            "documents": list(f.documents),
            "fields": list(f.fields),
        }
        for position, f in enumerate(result.findings)
    ]


# (submission path, result, inputs key, dependencies): see flows.dependencies
ResultItem = tuple[str, Result, str | None, Mapping[str, Any] | None]


def _bulk_results(s: Session, run_id: int, items: Sequence[ResultItem]) -> list[int]:
    paths = [path for path, _, _, _ in items]
    sub_ids = dict(s.execute(select(SubmissionRow.path, SubmissionRow.id).where(SubmissionRow.path.in_(paths))).all())
    missing = [p for p in paths if p not in sub_ids]
    if missing:
        raise ValueError(f"unknown submissions: {missing[:3]}")
    existing = dict(
        s.execute(
            select(ResultRow.submission_id, ResultRow.id).where(
                ResultRow.batch_id == run_id, ResultRow.submission_id.in_(list(sub_ids.values()))
            )
        ).all()
    )
    fresh = [(path, result) for path, result, _, _ in items if sub_ids[path] not in existing]
    basis = {path: (key, deps) for path, _, key, deps in items}
    if fresh:
        before = latest_verdicts(s, (sub_ids[path] for path, _ in fresh))
        new_ids = s.scalars(
            insert(ResultRow).returning(ResultRow.id, sort_by_parameter_order=True),
            [_result_values(run_id, sub_ids[path], result, *basis[path]) for path, result in fresh],
        ).all()
        findings = [v for rid, (_, result) in zip(new_ids, fresh, strict=True) for v in _finding_values(rid, result)]
        if findings:
            s.execute(insert(FindingRow), findings)
        existing.update({sub_ids[path]: rid for rid, (path, _) in zip(new_ids, fresh, strict=True)})
        audit_changes(s, run_id, before, [(sub_ids[p], rid, r) for rid, (p, r) in zip(new_ids, fresh, strict=True)])
        pairs = {(name, str(v)) for _, result in fresh for name, v in result.list_versions.items()}
        _note_list_versions(s, pairs)
    return [existing[sub_ids[path]] for path in paths]


def _upsert_submission(
    s: Session,
    path: str,
    result: Result,
    application: Mapping[str, Any] | None,
    application_error: str | None,
) -> SubmissionRow:
    sub = s.scalars(select(SubmissionRow).where(SubmissionRow.path == path)).first()
    if sub is None:
        sub = SubmissionRow(path=path)
        s.add(sub)
    if result.applicant is not None:
        sub.applicant_name = result.applicant.name
        sub.credit_code = result.applicant.credit_code
    sub.policy = result.policy
    if application is not None:
        sub.application = dict(application)
        sub.clauses = list(application.get("clauses") or [])
        sub.application_error = None
    elif application_error is not None:
        sub.application_error = application_error
    sub.updated_at = utcnow()
    s.flush()
    return sub


def _link_files(s: Session, submission_id: int, files: Mapping[str, int]) -> None:
    current = {
        row.name: row
        for row in s.scalars(select(SubmissionFileRow).where(SubmissionFileRow.submission_id == submission_id))
    }
    for name, row in current.items():
        if name not in files:
            s.delete(row)
    for name, document_id in files.items():
        if name in current:
            current[name].document_id = document_id
        else:
            s.add(SubmissionFileRow(submission_id=submission_id, name=name, document_id=document_id))


def _note_list_versions(s: Session, versions: Iterable[tuple[str, str]]) -> None:
    for name, version in sorted(versions):
        found = s.scalars(
            select(ListVersionRow.id).where(ListVersionRow.name == name, ListVersionRow.version == str(version))
        ).first()
        if found is None:
            s.add(ListVersionRow(name=name, version=str(version)))


def _light_result(sub: SubmissionRow, res: ResultRow) -> Result:
    """The stored verdict without its documents: what a recheck compares against, cheap to load."""
    return Result.model_validate(
        {
            "submission": sub.path,
            "applicant": {"name": sub.applicant_name, "credit_code": sub.credit_code} if sub.applicant_name else None,
            "policy": res.policy,
            "status": res.status,
            "findings": res.findings,
            "award": res.award,
            "list_versions": res.list_versions,
            "policy_version": res.policy_version,
        }
    )


def _load_stored(s: Session, submission_id: int) -> StoredSubmission | None:
    """One submission with its extractions (check view) and its newest verdict (light)."""
    sub = s.get(SubmissionRow, submission_id)
    if sub is None:
        return None
    res = s.scalars(
        select(ResultRow)
        .where(ResultRow.submission_id == submission_id)
        .order_by(ResultRow.id.desc())
        .limit(1)
        .options(defer(ResultRow.result))  # the full JSON repeats the documents: not needed here
    ).first()
    docs = s.execute(
        select(SubmissionFileRow.name, DocumentRow)
        .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
        .where(SubmissionFileRow.submission_id == submission_id)
        .options(defer(DocumentRow.extraction))
    )
    return StoredSubmission(
        id=sub.id,
        path=sub.path,
        application=sub.application,
        application_error=sub.application_error,
        files={name: _cached(doc_row, compact=True) for name, doc_row in docs},
        last_result=_light_result(sub, res) if res is not None else None,
        last_result_id=res.id if res is not None else None,
        last_fingerprint=res.fingerprint if res is not None else None,
    )
