"""Module-level Prefect flows, the entrypoints a Prefect worker loads (``flows/entry.py:recheck``)."""

from __future__ import annotations

from prefect import flow

from flows.deploy import run_recheck_flow_body

recheck = flow(name="recheck", log_prints=False, persist_result=False)(run_recheck_flow_body)
