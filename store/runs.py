"""Pipeline side of the store: runs, submissions, the extraction cache and results.

Every method is one transaction. Writes are idempotent (a document key or a (run, submission)
pair is stored once), so a batch killed at any point and started again converges to the same rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from models import Document, Result
from store.base import StoreBase
from store.records import CachedDocument, DocumentKey, RunInfo, StoredSubmission
from store.schema import (
    BatchRow,
    DocumentRow,
    FindingRow,
    ListVersionRow,
    PageImageRow,
    ResultRow,
    SubmissionFileRow,
    SubmissionRow,
    utcnow,
)

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


class RunRepository(StoreBase):
    """Runs, the extraction cache and results, for the flows and the CLI."""

    # runs ---------------------------------------------------------------------------------
    def start_run(self, kind: str, root: str | None, *, resume: bool = True) -> RunInfo:
        """Resume the newest unfinished run of ``kind`` over ``root`` (after a crash), else start one."""

        def work(s: Session) -> RunInfo:
            if resume and root is not None:
                row = s.scalars(
                    select(BatchRow)
                    .where(BatchRow.kind == kind, BatchRow.root == root, BatchRow.status == "running")
                    .order_by(BatchRow.id.desc())
                    .limit(1)
                ).first()
                if row is not None:
                    return _run_info(row)
            row = BatchRow(kind=kind, root=root, status="running", counts={})
            s.add(row)
            s.flush()
            return _run_info(row)

        return self.write(work)

    def set_flow_run(self, run_id: int, flow_run_id: str) -> None:
        def work(s: Session) -> None:
            row = s.get_one(BatchRow, run_id)
            row.flow_run_id = flow_run_id

        self.write(work)

    def finish_run(self, run_id: int, counts: Mapping[str, Any], status: str = "finished") -> None:
        def work(s: Session) -> None:
            row = s.get_one(BatchRow, run_id)
            row.status = status
            row.counts = dict(counts)
            row.finished_at = utcnow()

        self.write(work)

    def get_run(self, run_id: int) -> RunInfo | None:
        def work(s: Session) -> RunInfo | None:
            row = s.get(BatchRow, run_id)
            return _run_info(row) if row else None

        return self.read(work)

    def list_runs(self, kind: str | None = None, limit: int = 50) -> list[RunInfo]:
        def work(s: Session) -> list[RunInfo]:
            query = select(BatchRow).order_by(BatchRow.id.desc()).limit(limit)
            if kind:
                query = query.where(BatchRow.kind == kind)
            return [_run_info(r) for r in s.scalars(query)]

        return self.read(work)

    # extraction cache ---------------------------------------------------------------------
    def get_document(self, key: DocumentKey) -> CachedDocument | None:
        def work(s: Session) -> CachedDocument | None:
            row = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.sha256 == key.sha256,
                    DocumentRow.engine == key.engine,
                    DocumentRow.extractor_version == key.extractor_version,
                )
            ).first()
            return _cached(row) if row else None

        return self.read(work)

    def put_document(
        self,
        key: DocumentKey,
        document: Document | None,
        *,
        read_error: str | None = None,
        seconds: float | None = None,
        page_images: Iterable[tuple[int, str, float, float, int]] = (),
    ) -> CachedDocument:
        """Store an extraction once; a concurrent writer of the same key wins and is returned."""
        images = list(page_images)

        def work(s: Session) -> CachedDocument:
            row = DocumentRow(
                sha256=key.sha256,
                engine=key.engine,
                extractor_version=key.extractor_version,
                doc_type=document.doc_type if document else None,
                text_source=document.text_source if document else None,
                page_count=len(document.pages) if document else 0,
                extraction=document.model_dump(mode="json", context={"full": True}) if document else None,
                checkable=check_view(document).model_dump(mode="json", context={"full": True}) if document else None,
                read_error=read_error,
                seconds=seconds,
            )
            s.add(row)
            s.flush()
            for page, path, width, height, dpi in images:
                s.add(PageImageRow(document_id=row.id, page=page, path=path, width=width, height=height, dpi=dpi))
            return _cached(row)

        try:
            return self.write(work)
        except IntegrityError:
            existing = self.get_document(key)
            if existing is None:
                raise
            return existing

    def find_documents(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, CachedDocument]:
        """The stored extractions (check view) among ``keys``, in a few queries rather than one per key."""
        wanted = set(keys)
        by_sha = sorted({k.sha256 for k in wanted})

        def work(s: Session) -> dict[DocumentKey, CachedDocument]:
            found: dict[DocumentKey, CachedDocument] = {}
            for start in range(0, len(by_sha), 500):
                rows = s.scalars(select(DocumentRow).where(DocumentRow.sha256.in_(by_sha[start : start + 500])))
                for row in rows:
                    cached = _cached(row, compact=True)
                    if cached.key in wanted:
                        found[cached.key] = cached
            return found

        return self.read(work)

    def load_documents(self, ids: Iterable[int]) -> dict[int, Document]:
        """Stored extractions by id, in their check view (fields and QR payloads, no page lines)."""
        wanted = sorted(set(ids))

        def work(s: Session) -> dict[int, Document]:
            out: dict[int, Document] = {}
            for start in range(0, len(wanted), 500):
                rows = s.scalars(select(DocumentRow).where(DocumentRow.id.in_(wanted[start : start + 500])))
                for row in rows:
                    doc = _cached(row, compact=True).document
                    if doc is not None:
                        out[row.id] = doc
            return out

        return self.read(work)

    def invoice_documents(self) -> list[tuple[str, str, Document]]:
        """(submission path, file name, check view) of every stored invoice, for duplicate checks."""

        def work(s: Session) -> list[tuple[str, str, Document]]:
            rows = s.execute(
                select(SubmissionRow.path, SubmissionFileRow.name, DocumentRow.checkable)
                .join(SubmissionFileRow, SubmissionFileRow.submission_id == SubmissionRow.id)
                .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
                .where(DocumentRow.doc_type == "invoice", DocumentRow.checkable.is_not(None))
                .order_by(SubmissionRow.id, SubmissionFileRow.name)
            )
            return [(path, name, Document.model_validate(data)) for path, name, data in rows]

        return self.read(work)

    def count_documents(self) -> int:
        return self.read(lambda s: int(s.scalar(select(func.count(DocumentRow.id))) or 0))

    # submissions and results --------------------------------------------------------------
    def completed_submissions(self, run_id: int) -> dict[str, Result]:
        """Results already stored for a run: what a resumed batch does not redo."""

        def work(s: Session) -> dict[str, Result]:
            rows = s.execute(
                select(SubmissionRow.path, ResultRow.result)
                .join(ResultRow, ResultRow.submission_id == SubmissionRow.id)
                .where(ResultRow.batch_id == run_id)
            )
            return {path: Result.model_validate(data) for path, data in rows}

        return self.read(work)

    def record_result(
        self,
        run_id: int,
        submission_path: str,
        result: Result,
        files: Mapping[str, int],
        *,
        application: Mapping[str, Any] | None = None,
        application_error: str | None = None,
    ) -> int:
        """Store a submission's result, its finding rows and file links in one transaction."""
        payload = result_payload(result)
        fingerprint = result_fingerprint(result)

        def work(s: Session) -> int:
            sub = _upsert_submission(s, submission_path, result, application, application_error)
            existing = s.scalars(
                select(ResultRow.id).where(ResultRow.batch_id == run_id, ResultRow.submission_id == sub.id)
            ).first()
            if existing is not None:
                return existing
            if files:
                _link_files(s, sub.id, files)
            row = ResultRow(
                batch_id=run_id,
                submission_id=sub.id,
                status=result.status,
                policy=result.policy,
                policy_version=result.policy_version,
                list_versions=dict(result.list_versions),
                award=result.award.model_dump(mode="json") if result.award else None,
                findings=payload["findings"],
                max_severity=_max_severity(result),
                fingerprint=fingerprint,
                result=payload,
            )
            s.add(row)
            s.flush()
            for position, finding in enumerate(result.findings):
                s.add(
                    FindingRow(
                        result_id=row.id,
                        position=position,
                        code=str(finding.code),
                        severity=finding.severity,
                        message=finding.message,
                        documents=list(finding.documents),
                        fields=list(finding.fields),
                    )
                )
            _note_list_versions(s, {(n, str(v)) for n, v in result.list_versions.items()})
            return row.id

        return self.write(work)

    def record_results(
        self, run_id: int, items: Sequence[tuple[str, Result, Mapping[str, int]]], chunk: int = 1000
    ) -> list[int]:
        """Many results of one run (a recheck) for submissions already stored, in chunked transactions;
        each chunk is whole or absent, and a rerun of the same run skips what is there."""
        ids: list[int] = []
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            ids += self.write(lambda s, part=part: _bulk_results(s, run_id, part))  # type: ignore[misc]
        return ids

    def stored_submissions(self, since_run: int | None = None) -> list[StoredSubmission]:
        """Each submission with its extractions (check view: no page lines) and newest result."""
        return self.read(lambda s: _load_stored(s, since_run))

    def result_history(self, submission_path: str) -> list[tuple[int, Result]]:
        def work(s: Session) -> list[tuple[int, Result]]:
            rows = s.execute(
                select(ResultRow.batch_id, ResultRow.result)
                .join(SubmissionRow, SubmissionRow.id == ResultRow.submission_id)
                .where(SubmissionRow.path == submission_path)
                .order_by(ResultRow.id)
            )
            return [(batch, Result.model_validate(data)) for batch, data in rows]

        return self.read(work)

    def table_counts(self) -> dict[str, int]:
        """Row counts per table, for tests and the batch summary."""

        def work(s: Session) -> dict[str, int]:
            tables = {
                "batches": BatchRow,
                "submissions": SubmissionRow,
                "documents": DocumentRow,
                "submission_files": SubmissionFileRow,
                "results": ResultRow,
                "findings": FindingRow,
                "page_images": PageImageRow,
            }
            return {name: int(s.scalar(select(func.count()).select_from(t)) or 0) for name, t in tables.items()}

        return self.read(work)


def _result_values(run_id: int, submission_id: int, result: Result) -> dict[str, Any]:
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


def _bulk_results(s: Session, run_id: int, items: Sequence[tuple[str, Result, Mapping[str, int]]]) -> list[int]:
    paths = [path for path, _, _ in items]
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
    fresh = [(path, result) for path, result, _ in items if sub_ids[path] not in existing]
    if fresh:
        new_ids = s.scalars(
            insert(ResultRow).returning(ResultRow.id, sort_by_parameter_order=True),
            [_result_values(run_id, sub_ids[path], result) for path, result in fresh],
        ).all()
        findings = [v for rid, (_, result) in zip(new_ids, fresh, strict=True) for v in _finding_values(rid, result)]
        if findings:
            s.execute(insert(FindingRow), findings)
        existing.update({sub_ids[path]: rid for rid, (path, _) in zip(new_ids, fresh, strict=True)})
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


def _load_stored(s: Session, since_run: int | None) -> list[StoredSubmission]:
    latest = (
        select(ResultRow.submission_id, func.max(ResultRow.id).label("rid"))
        .group_by(ResultRow.submission_id)
        .subquery()
    )
    rows = s.execute(
        select(SubmissionRow, ResultRow)
        .join(latest, latest.c.submission_id == SubmissionRow.id, isouter=True)
        .join(ResultRow, ResultRow.id == latest.c.rid, isouter=True)
        .options(defer(ResultRow.result))  # the full JSON repeats the documents: not needed here
        .order_by(SubmissionRow.id)
    ).all()
    if since_run is not None:
        touched = set(s.scalars(select(ResultRow.submission_id).where(ResultRow.batch_id > since_run)))
        rows = [r for r in rows if r[0].id in touched]
    files: dict[int, dict[str, CachedDocument]] = {}
    docs = s.execute(
        select(SubmissionFileRow.submission_id, SubmissionFileRow.name, DocumentRow)
        .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
        .options(defer(DocumentRow.extraction))
    )
    doc_cache: dict[int, CachedDocument] = {}
    for submission_id, name, doc_row in docs:
        cached = doc_cache.get(doc_row.id)
        if cached is None:
            cached = doc_cache[doc_row.id] = _cached(doc_row, compact=True)
        files.setdefault(submission_id, {})[name] = cached
    return [
        StoredSubmission(
            id=sub.id,
            path=sub.path,
            application=sub.application,
            application_error=sub.application_error,
            files=files.get(sub.id, {}),
            last_result=_light_result(sub, res) if res is not None else None,
            last_result_id=res.id if res is not None else None,
            last_fingerprint=res.fingerprint if res is not None else None,
        )
        for sub, res in rows
    ]
