"""Orchestration: Prefect flows over the plain pipeline, with caching, retries, schedules and scale-out.

``flows.work`` holds the Prefect-free steps (cache lookups, extraction, evaluation, persistence);
``flows.verify`` and ``flows.recheck`` wrap them as Prefect tasks and flows. The core packages
never import Prefect.
"""
