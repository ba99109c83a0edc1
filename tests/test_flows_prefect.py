"""The flows under Prefect: a batch with artifacts, the recheck flow, and a 2-worker Dask run.

One ``prefect_test_harness`` server per test module (its start-up costs many seconds); its URL is
exported so Dask worker processes report to it instead of starting servers of their own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import cast

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
    with store.session() as s:
        from store.schema import BatchRow

        row = s.get(BatchRow, report.run_id)
        assert row is not None and row.flow_run_id


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


def _ocr_engine_loaded() -> bool:
    from extractors.ocr import _cache

    return "rapidocr" in _cache


def test_batch_joins_a_standing_cluster_whose_workers_warmed_up(settings: Settings, tmp_path: Path) -> None:
    """``--dask-address``: the batch runs on an existing cluster and leaves it running for the next one."""
    from distributed import Client

    from flows.runtime import local_cluster
    from flows.verify import run

    cluster = local_cluster(1)
    try:
        with Client(cluster) as client:
            client.wait_for_workers(1, timeout=120)
            warmed = client.run(_ocr_engine_loaded)
            assert list(warmed.values()) == [True]  # flows.warmup loaded the OCR models at start
            root = make_root(tmp_path, CLEAN_CLOUD)
            report = run(discover(root), kind="batch", root=str(root), settings=settings,
                         dask_address=cluster.scheduler_address)
            assert report.extracted == 2 and [r.status for r in report.results] == ["pass"]
            pids = {w.rsplit(":", 1)[1] for w in report.workers}
            assert pids and str(os.getpid()) not in pids
            assert len(client.scheduler_info()["workers"]) == 1  # the flow did not shut the cluster down
    finally:
        cluster.close()
