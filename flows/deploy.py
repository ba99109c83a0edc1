"""Scheduled and event-driven rechecks as Prefect deployments.

Two deployments of the ``recheck`` flow: ``nightly-recheck`` on a cron schedule, and
``recheck-on-list-import`` triggered by the ``evidence.list.imported`` event that
``notify_list_imported`` emits after ``evidence lists import``. ``evidence deploy --serve`` runs
both in the foreground (simplest: one process next to a Prefect server); ``--register --pool P``
registers them on a work pool for ``prefect worker start --pool P`` to run.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flows import runtime

LIST_EVENT = "evidence.list.imported"
NIGHTLY = "nightly-recheck"
ON_IMPORT = "recheck-on-list-import"
DEFAULT_CRON = "0 2 * * *"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def recheck_flow() -> Any:
    """The ``recheck`` Prefect flow (imported on demand: importing Prefect costs seconds)."""
    from flows.entry import recheck

    return recheck


def _triggers() -> list[Any]:
    from prefect.events import DeploymentEventTrigger

    return [DeploymentEventTrigger(expect={LIST_EVENT}, match={"prefect.resource.id": "evidence.list.*"})]


def serve(cron: str = DEFAULT_CRON) -> None:
    """Serve both deployments from this process until interrupted (needs PREFECT_API_URL)."""
    from prefect import serve as prefect_serve

    flow = recheck_flow()
    prefect_serve(
        flow.to_deployment(name=NIGHTLY, cron=cron, description="每晚按最新名单与政策重新核验已存储的申报"),
        flow.to_deployment(name=ON_IMPORT, triggers=_triggers(), description="导入新名单版本后重新核验"),
        print_starting_message=False,
    )


def register(pool: str, cron: str = DEFAULT_CRON, source: str | None = None) -> list[str]:
    """Register both deployments on work pool ``pool``; a worker of that pool runs them."""
    from prefect.flows import Flow

    remote: Any = Flow.from_source(source=source or str(PROJECT_ROOT), entrypoint="flows/entry.py:recheck")
    ids = [
        remote.deploy(name=NIGHTLY, work_pool_name=pool, cron=cron, build=False, push=False, print_next_steps=False),
        remote.deploy(
            name=ON_IMPORT, work_pool_name=pool, triggers=_triggers(), build=False, push=False, print_next_steps=False
        ),
    ]
    return [str(i) for i in ids]


def notify_list_imported(name: str, version: str) -> bool:
    """Emit ``evidence.list.imported`` so the on-import deployment rechecks; a no-op (False) when no
    Prefect server is configured, since nothing would be listening."""
    if not runtime.has_api():
        return False
    from prefect.events import emit_event

    event = emit_event(
        event=LIST_EVENT,
        resource={"prefect.resource.id": f"evidence.list.{name}", "evidence.list.version": str(version)},
        payload={"list": name, "version": str(version)},
    )
    return event is not None
