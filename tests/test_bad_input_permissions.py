"""A file its reader may not open (mode 000) through extract, verify and batch.

Root ignores file modes, and CI runs the tests as root. Then the CLI runs as root *without*
CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH (dropped from the bounding set before exec), so the mode
is enforced as for any user; dropping to 'nobody' instead would not work where the interpreter
lives under /root. As a non-root user the mode is enforced anyway.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.badinput.cases import PERMISSION_CASE, Built, build
from tests.badinput.expect import assert_outcome
from tests.badinput.runner import (
    MEMORY_CAP_MB,
    PER_DOCUMENT_SECONDS,
    CliRun,
    cli_env,
    drop_file_permission_override,
    record,
    run_cli,
)
from tests.badinput.shared import CJK


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    root = tmp_path_factory.mktemp("permissions")
    return root, build(root, (PERMISSION_CASE,))[PERMISSION_CASE.kind]


@pytest.fixture(scope="module")
def as_root_without_override(world: tuple[Path, Built]) -> bool:
    """Whether runs must drop the DAC capabilities; skips when a root run could still read the file."""
    import os

    if os.geteuid() != 0:
        return False
    probe = [sys.executable, "-c", f"open({str(world[1].target)!r}, 'rb')"]
    try:
        done = subprocess.run(probe, preexec_fn=drop_file_permission_override, capture_output=True, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"running as root and the DAC capabilities cannot be dropped ({exc}): chmod 000 does not stop root")
    if b"PermissionError" not in done.stderr:
        pytest.skip("running as root and the file stays readable without CAP_DAC_OVERRIDE: chmod 000 cannot be tested")
    return True


def _run(args: list[str], root: Path, drop: bool, timeout: float) -> CliRun:
    run = run_cli(args, env=cli_env(root / "home"), timeout=timeout, without_dac_override=drop)
    assert not run.timed_out and run.max_rss_mb < MEMORY_CAP_MB, run.describe()
    assert "Traceback" not in run.stderr + run.stdout, run.describe()
    return run


def test_locked_file_is_really_locked(world: tuple[Path, Built]) -> None:
    _, built = world
    assert (built.target.stat().st_mode & 0o777) == 0


def test_extract_locked_file(world: tuple[Path, Built], as_root_without_override: bool) -> None:
    root, built = world
    run = _run(["extract", str(built.target), "--format", "json"], root, as_root_without_override, PER_DOCUMENT_SECONDS)
    lines = run.stderr_lines()
    record(PERMISSION_CASE.kind, "extract", run, "unreadable", lines[-1].rsplit(": ", 1)[-1] if lines else "")
    assert run.returncode == 2, run.describe()
    assert len(lines) == 1 and built.target.name in lines[0] and "权限" in lines[0], run.describe()


def _by_name(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {Path(r["submission"]).name: r for r in results}


def test_verify_locked_file(world: tuple[Path, Built], as_root_without_override: bool) -> None:
    root, built = world
    control = root / "submissions" / "control"
    run = _run(["verify", str(built.submission), str(control), "--format", "json"], root, as_root_without_override, 300)
    record(PERMISSION_CASE.kind, "verify", run, "unreadable")
    assert run.returncode == 1, run.describe()
    results = _by_name(json.loads(run.stdout))
    assert_outcome(built, results[PERMISSION_CASE.kind], results["control"])
    finding = next(f for f in results[PERMISSION_CASE.kind]["findings"] if f["code"] == "UNREADABLE_DOCUMENT")
    assert "权限" in finding["message"] and CJK.search(finding["message"])


def test_batch_locked_file(world: tuple[Path, Built], as_root_without_override: bool) -> None:
    root, built = world
    run = _run(["batch", str(root / "submissions")], root, as_root_without_override, 300)
    record(PERMISSION_CASE.kind, "batch", run, "unreadable")
    assert run.returncode == 1, run.describe()
    from models.settings import Settings
    from store import open_store

    store = open_store(Settings(home=root / "home" / "evidence-home"))
    try:
        stored = store.completed_submissions(store.list_runs("batch")[0].id)
    finally:
        store.close()
    results = {Path(p).name: r.model_dump(mode="json") for p, r in stored.items()}
    assert_outcome(built, results[PERMISSION_CASE.kind], results["control"])
