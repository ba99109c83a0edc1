"""Prefect flows for verification: ``verify_batch`` (a root folder or a list of folders). Files to
extract go to tasks of seconds of work each
(``flows.chunking``; retried on transient errors only, each file cached in the store as it is
read), then matching and checks per submission, ``CHECKS_PER_TASK`` submissions to a task.

``run_batch_command`` and ``run_verify`` are what the CLI calls: they choose the task runner
(threads, a local Dask cluster, or an existing one) and skip Prefect's temporary server for a
single submission when no Prefect server is configured.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from flows import runtime
from flows.batch import BatchReport, EvalJob, Progress, run_batch
from flows.records import DocOutcome, FilePlan
from flows.work import Evaluation, evaluate_planned, extract
from models import Result
from models.settings import Settings

_local_ocr = threading.BoundedSemaphore(1)


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the database was busy or gone, a worker died, a file system hiccup.
    Never a DocumentReadError (bad input stays bad) nor a bug."""
    from extractors.errors import DocumentReadError
    from store import StoreError

    if isinstance(exc, DocumentReadError):
        return False
    if isinstance(exc, StoreError | TimeoutError | ConnectionError):
        return True
    return isinstance(exc, OSError) and exc.errno in {4, 11, 16, 110, 111, 116}


def _retry_condition(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except Exception as exc:
        return is_transient(exc)
    return False


def _extract_chunk(settings: Settings, files: list[FilePlan]) -> list[DocOutcome]:
    """The files of one task, one after the other; each is stored as soon as it is read, so a
    retried chunk skips what it already stored."""
    return [_extract_with_limit(settings, f) for f in files]


def _extract_with_limit(settings: Settings, file: FilePlan) -> DocOutcome:
    """One OCR per process at a time (a process is one core's worth of onnxruntime): this guards
    the in-process thread runner and any Dask worker given more than one thread. When
    ``EVIDENCE_OCR_SLOTS`` names a Prefect global concurrency limit, at most that many cluster-wide."""
    from prefect.concurrency.sync import concurrency

    with _local_ocr:
        slots = os.environ.get("EVIDENCE_OCR_SLOTS")
        if slots and runtime.has_api():
            with concurrency(slots, occupy=1, strict=False):
                return extract(settings, file)
        return extract(settings, file)


# Submissions checked per task. A submission's checks take 10-30 ms, Prefect's bookkeeping of a
# task run about 0.3 s of wall time and 0.4 CPU-s across worker, driver and server (measured): with
# a task per submission, 8 submissions on 2 Dask workers ended their batch with 2 s of checking
# tasks, and 500 would take over a minute. Chunks still spread over the workers and retry alone.
CHECKS_PER_TASK = 20


def _tasks() -> tuple[Any, Any]:
    """The two task kinds. No tags: Prefect asks the server for tag concurrency slots before every
    tagged task run (measured 1 s per document on a local server, 15 s of a 100 s batch); the
    OCR cap is ``EVIDENCE_OCR_SLOTS``, asked for only when set."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    common: dict[str, Any] = {
        "retries": 3,
        "retry_delay_seconds": [1, 5, 15],
        "retry_condition_fn": _retry_condition,
        "cache_policy": NO_CACHE,
        "persist_result": False,
    }
    extract_task = task(name="extract-documents", **common)(_extract_chunk)
    evaluate_task = task(name="check-submissions", **common)(_evaluate_jobs)
    return extract_task, evaluate_task


def _evaluate_job(settings: Settings, job: EvalJob) -> Evaluation:
    return evaluate_planned(settings, job.plan, job.files, job.unreadable, job.other_invoices)


def _evaluate_jobs(settings: Settings, jobs: list[EvalJob]) -> list[Evaluation]:
    return [_evaluate_job(settings, job) for job in jobs]


def chunks(jobs: Sequence[EvalJob], size: int) -> list[list[EvalJob]]:
    """``jobs`` in consecutive groups of at most ``size``, one checking task each."""
    return [list(jobs[start : start + size]) for start in range(0, len(jobs), size)]


class _Hooks:
    """Progress listener for the flow running in this process (flow parameters must be plain data)."""

    progress: Progress | None = None
    report: BatchReport | None = None


def _prefect_batch(
    settings_json: dict[str, Any], directories: list[str], kind: str, root: str | None, slots: int = 1
) -> dict[str, int]:
    from prefect.futures import as_completed
    from prefect.runtime import flow_run

    runtime.quiet_logging()
    settings = Settings.model_validate(settings_json)
    extract_task, evaluate_task = _tasks()

    def extract_many(files: Sequence[FilePlan]) -> Iterator[tuple[FilePlan, DocOutcome]]:
        from flows.chunking import chunk_files

        futures = {extract_task.submit(settings, chunk): chunk for chunk in chunk_files(files, slots)}
        for future in as_completed(list(futures)):
            yield from zip(futures[future], future.result(), strict=True)

    def evaluate_many(jobs: Sequence[EvalJob]) -> Iterator[tuple[EvalJob, Evaluation]]:
        futures = {evaluate_task.submit(settings, chunk): chunk for chunk in chunks(jobs, CHECKS_PER_TASK)}
        for future in as_completed(list(futures)):
            yield from zip(futures[future], future.result(), strict=True)

    def on_run(run_id: int) -> None:
        from flows.work import store_for

        store_for(settings).set_flow_run(run_id, str(flow_run.get_id() or ""))

    report = run_batch(
        settings,
        [Path(d) for d in directories],
        kind=kind,
        root=root,
        extract_many=extract_many,
        evaluate_many=evaluate_many,
        progress=_Hooks.progress,
        on_run=on_run,
    )
    _Hooks.report = report
    from flows.artifacts import publish

    publish(
        f"{kind}-{report.run_id}", f"evidence {kind} #{report.run_id}", report.counts, report.seconds, report.results
    )
    return report.counts


def _local_batch(
    settings: Settings, directories: Sequence[Path], kind: str, root: str | None, progress: Progress | None
) -> BatchReport:
    """The same driver, in this process, without Prefect (no temporary server to start)."""

    def extract_many(files: Sequence[FilePlan]) -> Iterator[tuple[FilePlan, DocOutcome]]:
        for f in files:
            yield f, extract(settings, f)

    def evaluate_many(jobs: Sequence[EvalJob]) -> Iterator[tuple[EvalJob, Evaluation]]:
        for job in jobs:
            yield job, _evaluate_job(settings, job)

    return run_batch(
        settings,
        directories,
        kind=kind,
        root=root,
        extract_many=extract_many,
        evaluate_many=evaluate_many,
        progress=progress,
    )


_flows: dict[str, Any] = {}


def batch_flow() -> Any:
    """The ``verify-batch`` Prefect flow (built on first use so importing this module stays cheap)."""
    if "batch" not in _flows:
        from prefect import flow

        _flows["batch"] = flow(name="verify-batch", log_prints=False, persist_result=False)(_prefect_batch)
    return _flows["batch"]


def run(
    directories: Sequence[Path],
    *,
    kind: str,
    root: str | None,
    settings: Settings,
    workers: int | None = None,
    dask_address: str | None = None,
    progress: Progress | None = None,
    use_prefect: bool | None = None,
) -> BatchReport:
    """Verify ``directories`` and store the results; Prefect unless it would only add start-up cost."""
    runtime.prepare(settings)
    prefect = (
        use_prefect
        if use_prefect is not None
        else (runtime.wants_prefect(len(directories)) or bool(workers) or bool(dask_address))
    )
    if not prefect:
        runtime.quiet_logging()
        return _local_batch(settings, directories, kind, root, progress)
    with runtime.task_runner(workers, dask_address) as task_runner:
        flow = batch_flow().with_options(task_runner=task_runner)
        runtime.quiet_logging()
        _Hooks.progress, _Hooks.report = progress, None
        try:
            slots = _slots(workers, dask_address)
            flow(settings.model_dump(mode="json"), [str(d) for d in directories], kind, root, slots)
        finally:
            _Hooks.progress = None
    assert _Hooks.report is not None
    return _Hooks.report


def _slots(workers: int | None, dask_address: str | None) -> int:
    """How many files can be read at once: the local workers, a standing cluster's threads, or
    one (the thread runner reads one file at a time, ``_local_ocr``)."""
    if workers:
        return workers
    if dask_address:
        from distributed import Client

        with Client(dask_address, timeout=30) as client:  # type: ignore[no-untyped-call]
            threads: dict[str, int] = client.nthreads()
            return max(1, sum(threads.values()))
    return 1


def run_verify(
    directories: Sequence[Path],
    *,
    settings: Settings,
    progress: Progress | None = None,
    workers: int | None = None,
    dask_address: str | None = None,
) -> list[Result]:
    """What ``evidence verify`` runs: the batch flow over the given folders; results in input order,
    each ``submission`` as the user wrote it. Through Prefect when a server is configured (or
    ``EVIDENCE_PREFECT=always``); otherwise the same steps in-process, since an interactive
    ``verify`` should not wait for a temporary Prefect server."""
    use_prefect = runtime.wants_prefect(1) or bool(workers) or bool(dask_address)
    report = run(
        directories,
        kind="verify",
        root=None,
        settings=settings,
        progress=progress,
        workers=workers,
        dask_address=dask_address,
        use_prefect=use_prefect,
    )
    by_path = {r.submission: r for r in report.results}
    out = []
    for directory in directories:
        found = by_path.get(str(Path(directory).resolve()))
        if found is not None:
            out.append(found.model_copy(update={"submission": str(directory)}))
    return out
