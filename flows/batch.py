"""The batch driver without Prefect: plan every submission, extract what is not cached, evaluate,
persist each result as it arrives. ``flows.verify`` runs it with Prefect tasks; a single-submission
``evidence verify`` without a Prefect server runs it directly, so both paths do the same work.

Resuming: a run over the same root that never finished is continued; submissions with a stored
result in it are skipped, and documents extracted before a crash are found in the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from flows.dependencies import inputs_key
from flows.records import INTERNAL_ERROR, DocOutcome, FilePlan, SubmissionPlan, outcome
from flows.work import (
    Evaluation,
    cached_outcomes,
    holders,
    invoice_index,
    others_for,
    plan_submission,
    shown_path,
    store_for,
)
from models import Result
from models.settings import Settings
from store import DocumentKey, Store


class Progress(Protocol):
    """What the CLI's progress bar listens to (all calls come from the flow's own thread)."""

    def begin(self, submissions: int, documents: int, reused: int) -> None: ...
    def document_done(self, done: DocOutcome) -> None: ...
    def submission_done(self, result: Result) -> None: ...


class NoProgress:
    def begin(self, submissions: int, documents: int, reused: int) -> None:
        return None

    def document_done(self, done: DocOutcome) -> None:
        return None

    def submission_done(self, result: Result) -> None:
        return None


@dataclass(frozen=True)
class EvalJob:
    plan: SubmissionPlan
    files: dict[str, int]
    unreadable: list[tuple[str, str]]
    other_invoices: dict[str, str]


ExtractMany = Callable[[Sequence[FilePlan]], Iterator[tuple[FilePlan, DocOutcome]]]
EvaluateMany = Callable[[Sequence[EvalJob]], Iterator[tuple[EvalJob, Evaluation]]]


@dataclass
class BatchReport:
    run_id: int
    results: list[Result] = field(default_factory=list)
    extracted: int = 0
    reused: int = 0
    resumed: int = 0
    extract_seconds: float = 0.0
    seconds: float = 0.0
    workers: set[str] = field(default_factory=set)

    @property
    def counts(self) -> dict[str, int]:
        out = {"submissions": len(self.results), "pass": 0, "flagged": 0, "error": 0}
        for result in self.results:
            out[result.status] += 1
        out.update(extracted=self.extracted, reused=self.reused, resumed=self.resumed)
        return out


def run_batch(
    settings: Settings,
    directories: Sequence[Path],
    *,
    kind: str,
    root: str | None,
    extract_many: ExtractMany,
    evaluate_many: EvaluateMany,
    progress: Progress | None = None,
    on_run: Callable[[int], None] | None = None,
) -> BatchReport:
    """Verify ``directories`` as one run of ``kind``; ``extract_many``/``evaluate_many`` decide where
    the work runs (Prefect tasks, Dask, or this process) and yield results as they complete."""
    started = time.perf_counter()
    progress = progress or NoProgress()
    store = store_for(settings)
    folders = [str(Path(d).resolve()) for d in directories]
    paths = [shown_path(f) for f in folders]  # as stored: a non-UTF-8 folder name escaped
    run = store.start_run(kind, root if root is None else shown_path(root))
    if on_run is not None:
        on_run(run.id)
    report = BatchReport(run.id)
    done = store.completed_submissions(run.id)
    report.resumed = sum(1 for p in paths if p in done)
    plans = [plan_submission(Path(f), settings) for f, p in zip(folders, paths, strict=True) if p not in done]
    cached = cached_outcomes(store, plans)
    keyed = {f.key: f for p in plans for f in p.files if f.key is not None}
    todo = [f for key, f in keyed.items() if key not in cached]
    report.reused = len(keyed) - len(todo)
    progress.begin(len(paths), len(keyed), report.reused)
    for path in paths:
        if path in done:
            progress.submission_done(done[path])
    outcomes: dict[DocumentKey, DocOutcome] = {k: outcome(keyed[k].name, c, computed=False) for k, c in cached.items()}
    outcomes |= _extract_all(extract_many, todo, report, progress)
    results: dict[str, Result] = dict(done)
    results |= _evaluate_all(store, run.id, evaluate_many, _jobs(settings, plans, outcomes, paths), progress)
    report.results = [results[p] for p in paths if p in results]
    report.seconds = time.perf_counter() - started
    store.finish_run(run.id, report.counts)
    return report


def _extract_all(
    extract_many: ExtractMany, todo: Sequence[FilePlan], report: BatchReport, progress: Progress
) -> dict[DocumentKey, DocOutcome]:
    """The files not yet cached, extracted wherever ``extract_many`` runs them, counted as they come."""
    outcomes: dict[DocumentKey, DocOutcome] = {}
    for file, got in extract_many(todo):
        assert file.key is not None
        outcomes[file.key] = got
        report.extracted += int(got.computed)
        report.extract_seconds += got.seconds
        if got.computed:
            report.workers.add(got.worker)
        progress.document_done(got)
    return outcomes


def _evaluate_all(
    store: Store, run_id: int, evaluate_many: EvaluateMany, jobs: Sequence[EvalJob], progress: Progress
) -> dict[str, Result]:
    """Each verdict stored as it arrives (its own transaction), so a killed run resumes after it."""
    results: dict[str, Result] = {}
    for job, evaluation in evaluate_many(jobs):
        result = evaluation.result
        store.record_result(
            run_id,
            job.plan.path,
            result,
            job.files,
            application=job.plan.application,
            application_error=job.plan.application_error,
            inputs_key=_inputs_key(job) if evaluation.dependencies is not None else None,
            dependencies=evaluation.dependencies,
        )
        results[job.plan.path] = result
        progress.submission_done(result)
    return results


def _inputs_key(job: EvalJob) -> str:
    return inputs_key(job.plan.application, job.files, job.unreadable, job.other_invoices)


def _jobs(
    settings: Settings, plans: Iterable[SubmissionPlan], outcomes: dict[DocumentKey, DocOutcome], paths: Sequence[str]
) -> list[EvalJob]:
    store = store_for(settings)
    batch_index: dict[str, dict[str, str]] = {}
    staged: list[tuple[SubmissionPlan, dict[str, int], list[tuple[str, str]]]] = []
    for plan in plans:
        files: dict[str, int] = {}
        unreadable: list[tuple[str, str]] = []
        for f in plan.files:
            if f.key is None:
                unreadable.append((f.name, f.problem or "无法读取"))
                continue
            got = outcomes[f.key]
            if got.document_id != INTERNAL_ERROR:
                files[f.name] = got.document_id
            if got.read_error is not None:
                unreadable.append((f.name, got.read_error))
            elif got.reuse_key is not None:
                batch_index.setdefault(plan.path, {})[got.reuse_key] = f.name
        staged.append((plan, files, unreadable))
    excluded = set(paths)
    index = invoice_index(row for row in store.reuse_keys() if row[0] not in excluded)
    index.update(batch_index)
    held = holders(index)
    return [
        EvalJob(plan, files, unreadable, others_for(held, plan.path, index.get(plan.path, {})))
        for plan, files, unreadable in staged
    ]
