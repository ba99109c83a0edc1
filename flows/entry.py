"""Module-level Prefect flows, the entrypoints a Prefect worker loads (``flows/entry.py:recheck``).

The flow body lives here, beside the flow, so ``flows.deploy`` (which registers it) imports this
module and never the other way round.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows import runtime
from models.settings import Settings


def run_recheck_flow_body(since: str | None = None) -> dict[str, Any]:
    """The recheck flow body: recheck, then publish a summary and the changed submissions."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    from flows.artifacts import summary_markdown
    from flows.recheck import recheck as run_recheck

    settings = Settings.from_env()
    runtime.prepare(settings)
    report = run_recheck(settings, since=since)
    title = f"evidence recheck #{report.run_id}"
    create_markdown_artifact(summary_markdown(title, report.counts, report.seconds), key=f"recheck-{report.run_id}")
    if report.changes:
        rows = [
            {k: ("；".join(v) if isinstance(v, list) else v) for k, v in c.as_dict().items()}
            for c in report.changes[:500]
        ]
        create_table_artifact(rows, key=f"recheck-{report.run_id}-changes", description="结论发生变化的申报")
    return report.as_dict()


recheck = flow(name="recheck", log_prints=False, persist_result=False)(run_recheck_flow_body)
