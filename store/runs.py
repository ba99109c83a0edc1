"""Pipeline side of the store: runs, submissions, the extraction cache and results.

Every method is one transaction. Writes are idempotent (a document key or a (run, submission)
pair is stored once), so a batch killed at any point and started again converges to the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchers.reconcile import reuse_key_of
from models import Document, Result
from store.base import StoreBase
from store.records import CachedDocument, DocumentKey, RunInfo, StoredSubmission
from store.results import (
    ResultItem,
    _bulk_results,
    _cached,
    _finding_values,
    _link_files,
    _load_stored,
    _max_severity,
    _note_list_versions,
    _run_info,
    _upsert_submission,
    check_view,
    result_fingerprint,
    result_payload,
    stored_result,
)
from store.schema import (
    BatchRow,
    DocumentRow,
    FindingRow,
    PageImageRow,
    ResultRow,
    SubmissionFileRow,
    SubmissionRow,
    utcnow,
)
from store.verdict_audit import audit_changes, latest_verdicts


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
                invoice_key=reuse_key_of(document),
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

    def reuse_keys(self) -> list[tuple[str, str, str]]:
        """(submission path, file name, reuse key) of every stored invoice and certificate, for the reuse checks."""

        def work(s: Session) -> list[tuple[str, str, str]]:
            rows = s.execute(
                select(SubmissionRow.path, SubmissionFileRow.name, DocumentRow.invoice_key)
                .join(SubmissionFileRow, SubmissionFileRow.submission_id == SubmissionRow.id)
                .join(DocumentRow, DocumentRow.id == SubmissionFileRow.document_id)
                .where(DocumentRow.invoice_key.is_not(None))
                .order_by(SubmissionRow.id, SubmissionFileRow.name)
            )
            return [(path, name, key) for path, name, key in rows if key is not None]

        return self.read(work)

    def count_documents(self) -> int:
        return self.read(lambda s: int(s.scalar(select(func.count(DocumentRow.id))) or 0))

    # submissions and results --------------------------------------------------------------
    def completed_submissions(self, run_id: int) -> dict[str, Result]:
        """Results already stored for a run: what a resumed batch does not redo."""

        def work(s: Session) -> dict[str, Result]:
            rows = s.execute(
                select(SubmissionRow.path, ResultRow)
                .join(ResultRow, ResultRow.submission_id == SubmissionRow.id)
                .where(ResultRow.batch_id == run_id)
            )
            return {path: stored_result(s, row) for path, row in rows}

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
        inputs_key: str | None = None,
        dependencies: Mapping[str, Any] | None = None,
    ) -> int:
        """Store a submission's result, its finding rows and file links in one transaction; with
        what it was computed from (``flows.dependencies``) when the caller recorded that."""
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
                inputs_key=inputs_key,
                dependencies=dict(dependencies) if dependencies is not None else None,
            )
            before = latest_verdicts(s, [sub.id])
            s.add(row)
            s.flush()
            s.add_all(FindingRow(**values) for values in _finding_values(row.id, result))
            _note_list_versions(s, {(n, str(v)) for n, v in result.list_versions.items()})
            audit_changes(s, run_id, before, [(sub.id, row.id, result)])
            return row.id

        return self.write(work)

    def record_results(self, run_id: int, items: Sequence[ResultItem], chunk: int = 1000) -> list[int]:
        """Many results of one run (a recheck) for submissions already stored, in chunked transactions;
        each chunk is whole or absent, and a rerun of the same run skips what is there."""
        ids: list[int] = []
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            ids += self.write(lambda s, part=part: _bulk_results(s, run_id, part))  # type: ignore[misc]
        return ids

    def stored_submission(self, submission_id: int) -> StoredSubmission | None:
        """A submission with its extractions (check view: no page lines) and newest verdict, for
        re-checking it after a reviewer's correction."""
        return self.read(lambda s: _load_stored(s, submission_id))

    def result_history(self, submission_path: str) -> list[tuple[int, Result]]:
        def work(s: Session) -> list[tuple[int, Result]]:
            rows = s.scalars(
                select(ResultRow)
                .join(SubmissionRow, SubmissionRow.id == ResultRow.submission_id)
                .where(SubmissionRow.path == submission_path)
                .order_by(ResultRow.id)
            )
            return [(row.batch_id, stored_result(s, row)) for row in rows]

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
