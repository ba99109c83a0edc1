"""Prefect's environment for the CLI: quiet, analytics off, logs to a file, the right task runner.

Why before import: Prefect reads its settings when first imported, so ``prepare()`` must run
before anything imports ``prefect``. Without ``PREFECT_API_URL`` Prefect starts a temporary server
(seconds of start-up), which ``wants_prefect`` keeps out of runs without a configured server.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from models.settings import Settings

LOG_NAME = "evidence-flows.log"
_NOISY = ("prefect", "distributed", "uvicorn", "httpx", "alembic", "bokeh", "tornado", "asyncio")
_prepared: dict[str, Path] = {}


def prepare(settings: Settings) -> Path:
    """Set Prefect's environment (unless the user set it) and return the log file path."""
    home = settings.ensure_home()
    log_path = home / "logs" / LOG_NAME
    log_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_ENABLED", "true")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    # Dask workers inherit the environment: make them log to the same file, not the terminal
    os.environ["EVIDENCE_FLOW_LOG"] = str(log_path)
    _prepared["log"] = log_path
    return log_path


def quiet_logging(log_path: Path | None = None) -> None:
    """Route Prefect's, Dask's and our own log records to the log file instead of the terminal."""
    path = log_path or Path(os.environ.get("EVIDENCE_FLOW_LOG") or _prepared.get("log") or LOG_NAME)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in list(logging.Logger.manager.loggerDict):
        if not any(name == n or name.startswith(n + ".") for n in (*_NOISY, "flows", "store")):
            continue
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if isinstance(old, logging.StreamHandler) and not isinstance(old, logging.FileHandler):
                logger.removeHandler(old)
    root = logging.getLogger()
    if not root.handlers:  # else Python's last-resort handler prints library warnings on stderr
        root.addHandler(handler)
    for old in list(root.handlers):
        if type(old).__module__.startswith("prefect"):
            root.removeHandler(old)
            if handler not in root.handlers:
                root.addHandler(handler)
    for name in (*_NOISY, "flows", "store"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.FileHandler) and h.baseFilename == str(path) for h in logger.handlers):
            logger.addHandler(handler)
        logger.propagate = False


def has_api() -> bool:
    """A real Prefect server is configured (no temporary server needed)."""
    return bool(os.environ.get("PREFECT_API_URL"))


def wants_prefect(submissions: int) -> bool:
    """Run through Prefect when a Prefect server is configured; otherwise the same driver in-process.

    Without ``PREFECT_API_URL`` Prefect would start a temporary server first (15-60 s on a busy
    machine) whose runs nobody can watch; ``EVIDENCE_PREFECT=always|never`` overrides. Dask
    (``--workers``/``--dask-address``) always runs through Prefect. ``submissions`` is kept for
    callers that want to weigh the cost; the rule does not depend on it today.
    """
    del submissions
    choice = os.environ.get("EVIDENCE_PREFECT", "auto").lower()
    if choice in {"always", "1", "true", "yes"}:
        return True
    if choice in {"never", "0", "false", "no"}:
        return False
    return has_api()


# One OCR thread per worker process (see task_runner), and task-run logs at WARNING: the UI shows
# every task's state anyway, and shipping a "Finished in state Completed()" line per task cost the
# Prefect server, the driver and the worker about 0.1 CPU-s per task together (measured).
WORKER_ENV = {"EVIDENCE_OCR_THREADS": "1", "OMP_NUM_THREADS": "1", "PREFECT_LOGGING_LEVEL": "WARNING"}

# Dask's own monitoring, paced for tasks that take seconds: by default every scheduler, nanny and
# worker checks its event loop every 20 ms, samples the host every 0.5 s, and each worker samples its
# task threads' stacks every 10 ms for the dashboard's profile (off here: its page stays empty). An
# idle 2-worker cluster burnt 0.17 of a core on that (measured: 5.0 CPU-s per 30 s; 0.76 with these),
# CPU taken from the OCR on a machine whose cores all read.
DASK_SETTINGS: dict[str, Any] = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
}


def dask_environment() -> dict[str, str]:
    """``DASK_SETTINGS`` as the environment variables Dask reads at start-up (for ``dask worker``)."""
    return {
        "DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value) for key, value in DASK_SETTINGS.items()
    }


@contextmanager
def task_runner(workers: int | None, dask_address: str | None) -> Iterator[Any]:
    """Threads in this process by default; a local Dask cluster of N processes for ``--workers N``
    (N=1 included, so 1 vs 2 workers compare like with like); an existing cluster by address.

    A local cluster is started here, before Prefect is imported: its scheduler comes up at once
    and its workers spawn in the background, each warming up (``flows.warmup``: imports, OCR
    models) while this process imports Prefect and creates the flow run. It is closed on exit.

    Each worker process has one thread, and onnxruntime and OpenCV run on one thread: OCR is
    CPU-bound, so one process per core keeps a machine busy without thrashing (measured: one
    unpinned worker took 1.2 cores, and two oversubscribed a 2-core machine). A second thread, to
    do Prefect's bookkeeping of the next task (≈ 0.2 s) while OCR runs, was measured and dropped:
    it fought the OCR thread for the GIL (each document's reading took 8 % more CPU), and a task
    waiting for the reader counted as running for Dask, so it was never moved to an idle worker
    (24 documents on 2 workers: 86.2 s with two threads each, 76.1 s with one).
    """
    if dask_address:
        from prefect_dask.task_runners import DaskTaskRunner

        yield DaskTaskRunner(address=dask_address)
        return
    if not workers:
        from prefect.task_runners import ThreadPoolTaskRunner

        yield ThreadPoolTaskRunner(max_workers=4)
        return
    cluster = local_cluster(workers)
    try:
        from prefect_dask.task_runners import DaskTaskRunner

        yield DaskTaskRunner(address=cluster.scheduler_address)
    finally:
        cluster.close()


def local_cluster(workers: int) -> Any:
    """A local Dask cluster set up as ``task_runner`` describes: the scheduler is up when this
    returns, the ``workers`` processes start (and warm up) in the background.

    ``DASK_SETTINGS`` are set for this whole process: the scheduler and the nannies live here, and
    ``scale`` creates the nannies later, on the cluster's event loop (each passes the settings on
    to its worker process)."""
    import dask
    from distributed import LocalCluster

    dask.config.set(DASK_SETTINGS)
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=0,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: never clash with another cluster
        silence_logs=logging.ERROR,
        env=WORKER_ENV,
        preload=["flows.warmup"],
    )
    cluster.scale(workers)  # type: ignore[no-untyped-call]
    return cluster
