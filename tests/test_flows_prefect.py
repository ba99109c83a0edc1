"""The flows under Prefect: a batch with artifacts, the recheck flow, and a 2-worker Dask run.

One ``prefect_test_harness`` server per test module (its start-up costs many seconds); its URL is
exported so Dask worker processes report to it instead of starting servers of their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from uuid import UUID

import pytest

from flows.work import close_stores, discover, store_for
from models.settings import Settings
from tests.test_flows import CLEAN_CERT, CLEAN_CLOUD, make_root


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str]:
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    saved = os.environ.get("PREFECT_API_URL")
    with prefect_test_harness(server_startup_timeout=300):
        url = str(PREFECT_API_URL.value())
        os.environ["PREFECT_API_URL"] = url
        try:
            yield url
        finally:
            if saved is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = saved


@pytest.fixture
def settings(prefect_api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENCE_PREFECT", "auto")
    yield Settings.from_env()
    close_stores()


def test_batch_flow_stores_results_and_publishes_artifacts(settings: Settings, tmp_path: Path) -> None:
    from prefect.artifacts import Artifact

    from flows.verify import run

    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    report = run(discover(root), kind="batch", root=str(root), settings=settings)
    assert report.counts["submissions"] == 2 and report.extracted == 3
    store = store_for(settings)
    info = store.get_run(report.run_id)
    assert info is not None and info.status == "finished"
    summary = cast("Artifact | None", Artifact.get(f"batch-{report.run_id}-summary"))
    assert summary is not None and "申报总数 | 2" in str(summary.data)
    flagged = [r for r in report.results if r.status != "pass"]
    table = Artifact.get(f"batch-{report.run_id}-flagged")
    assert (table is not None) == bool(flagged)
    assert _flow_run_id(settings, report.run_id)


def _flow_run_id(settings: Settings, run_id: int) -> UUID:
    """The Prefect flow run the store recorded for batch ``run_id`` (asserted to be there)."""
    from store.schema import BatchRow

    with store_for(settings).session() as s:
        row = s.get(BatchRow, run_id)
        assert row is not None and row.flow_run_id
        return UUID(row.flow_run_id)


def test_submissions_are_checked_a_chunk_to_a_task(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three submissions, two to a checking task: two task runs, three results in input order,
    the same verdicts as the in-process driver's; the born-digital files are read in one task."""
    import flows.verify
    from flows.verify import run

    monkeypatch.setattr(flows.verify, "CHECKS_PER_TASK", 2)
    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT, copies={"s99_copy": CLEAN_CLOUD})
    dirs = discover(root)
    report = run(dirs, kind="batch", root=str(root), settings=settings)
    assert [r.submission for r in report.results] == [str(d.resolve()) for d in dirs]
    local = run(dirs, kind="batch", root=str(root), settings=settings, use_prefect=False)
    assert [(r.status, r.findings) for r in report.results] == [(r.status, r.findings) for r in local.results]
    info = store_for(settings).get_run(report.run_id)
    assert info is not None and info.counts["submissions"] == 3
    flow_run_id = _flow_run_id(settings, report.run_id)
    assert len(_task_runs(flow_run_id, "check-submissions", 2)) == 2
    # three distinct born-digital files (the copy's bytes are the first's): one extraction task
    assert report.extracted == 3
    assert len(_task_runs(flow_run_id, "extract-documents", 1)) == 1


def _task_runs(flow_run_id: UUID, name: str, wanted: int) -> list[object]:
    """The flow run's task runs named ``name``, waiting up to a minute for ``wanted`` of them
    (the server records task runs from their events, a moment later)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    flow_filter = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    task_filter = TaskRunFilter(name=TaskRunFilterName(like_=name))
    found: list[object] = []
    deadline = time.monotonic() + 60
    with get_client(sync_client=True) as client:
        while len(found) < wanted and time.monotonic() < deadline:
            time.sleep(0.5)
            found = list(client.read_task_runs(flow_run_filter=flow_filter, task_run_filter=task_filter))
        time.sleep(1.0)  # one more look: runs beyond those wanted must show too
        found = list(client.read_task_runs(flow_run_filter=flow_filter, task_run_filter=task_filter))
    return found


def test_recheck_flow_returns_the_report(settings: Settings, tmp_path: Path) -> None:
    from flows.deploy import recheck_flow
    from flows.verify import run

    root = make_root(tmp_path, CLEAN_CLOUD)
    run(discover(root), kind="batch", root=str(root), settings=settings, use_prefect=False)
    outcome = recheck_flow()(None)
    assert outcome["checked"] == 1 and outcome["changed"] == []


def test_two_dask_workers_share_the_extraction(settings: Settings, tmp_path: Path) -> None:
    from flows.verify import run

    root = make_root(tmp_path, CLEAN_CLOUD, CLEAN_CERT)
    report = run(discover(root), kind="batch", root=str(root), settings=settings, workers=2)
    assert report.extracted == 3
    pids = {w.rsplit(":", 1)[1] for w in report.workers}
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2
    statuses = sorted((Path(r.submission).name, r.status) for r in report.results)
    assert statuses == [(CLEAN_CLOUD, "pass"), (CLEAN_CERT, statuses[1][1])]


def _worker_setup() -> tuple[bool, str, bool, str]:
    """What a worker was started with: models loaded, OCR threads, Dask profiling, tick interval."""
    import dask

    from extractors.ocr import _cache

    return (
        "rapidocr" in _cache,
        os.environ.get("EVIDENCE_OCR_THREADS", ""),
        bool(dask.config.get("distributed.worker.profile.enabled")),
        str(dask.config.get("distributed.admin.tick.interval")),
    )


def test_batch_joins_a_standing_cluster_of_workers_started_by_flows_worker(settings: Settings, tmp_path: Path) -> None:
    """``--dask-address`` on a cluster whose worker was started as the README says
    (``python -m flows.worker ADDRESS``): set up like ``--workers`` ones, warmed up before any task,
    and left running after the batch."""
    import subprocess
    import sys

    from distributed import Client, LocalCluster

    from flows.verify import run

    scheduler = LocalCluster(n_workers=0, dashboard_address=":0")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flows.worker", scheduler.scheduler_address, "--no-dashboard"],
        env={k: v for k, v in os.environ.items() if not k.startswith("DASK_")},
    )
    try:
        with Client(scheduler) as client:
            client.wait_for_workers(1, timeout=120)
            (info,) = client.scheduler_info()["workers"].values()
            assert info["nthreads"] == 1
            (setup,) = client.run(_worker_setup).values()
            assert setup == (True, "1", False, "500ms")  # flows.warmup, WORKER_ENV, DASK_SETTINGS
            root = make_root(tmp_path, CLEAN_CLOUD)
            report = run(discover(root), kind="batch", root=str(root), settings=settings,
                         dask_address=scheduler.scheduler_address)
            assert report.extracted == 2 and [r.status for r in report.results] == ["pass"]
            (pid,) = {w.rsplit(":", 1)[1] for w in report.workers}
            parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            assert parent == str(worker.pid)  # the worker process under the command's nanny
            assert len(client.scheduler_info()["workers"]) == 1  # the flow did not shut the cluster down
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        scheduler.close()
