"""Dask worker preload: make a worker ready to extract before its first task arrives.

Why: a fresh worker process otherwise pays, inside its first task, for importing Prefect's task
engine and our readers (≈2.6 s) and for loading the OCR models (≈1.9 s). Done at start-up, this
runs while the driver is still importing Prefect and creating its flow run, and a long-lived
worker (``python -m flows.worker``) pays it once, not once per batch.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def dask_setup(worker: Any) -> None:
    """Called by Dask once per worker process, before it takes tasks."""
    import prefect.task_engine  # noqa: F401  (what every task run imports first)

    import flows.verify  # noqa: F401  (the task functions and everything they read with)
    from extractors.ocr import get_engine
    from models.settings import Settings

    get_engine(Settings.from_env().ocr_engine)  # a worker's start is an edge: its environment is the batch's
    log.info("worker %s warmed up: readers imported, OCR models loaded", getattr(worker, "name", "?"))
