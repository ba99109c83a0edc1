"""Prefect flows and tasks: thin wrappers over the core for batches, rechecks and schedules."""
