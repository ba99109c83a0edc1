"""A file its reader may not open (mode 000) through extract, verify and batch.

Root ignores file modes, and CI runs the tests as root: then the CLI runs as the unprivileged
``nobody`` account (``subprocess`` drops to its uid/gid), so the permission check is real.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.badinput.cases import PERMISSION_CASE, Built, build
from tests.badinput.expect import assert_outcome
from tests.badinput.runner import MEMORY_CAP_MB, PER_DOCUMENT_SECONDS, CliRun, cli_env, record, run_cli
from tests.badinput.shared import CJK


def _unprivileged() -> tuple[int, int] | None:
    """(uid, gid) to run the CLI as; None when the current user already cannot bypass file modes."""
    if os.geteuid() != 0:
        return None
    try:
        account = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' account: chmod 000 does not stop root")
    return account.pw_uid, account.pw_gid


@pytest.fixture(scope="module")
def identity() -> tuple[int, int] | None:
    return _unprivileged()


@pytest.fixture(scope="module")
def world(identity: tuple[int, int] | None) -> Iterator[tuple[Path, Built]]:
    """A world-readable tree (pytest's own temp dirs are root-only) with the locked file and a control."""
    root = Path(tempfile.mkdtemp(prefix="evidence-perm-"))
    root.chmod(0o755)
    built = build(root, (PERMISSION_CASE,))[PERMISSION_CASE.kind]
    home = root / "home"
    home.mkdir()
    if identity is not None:
        os.chown(home, *identity)
    yield root, built
    shutil.rmtree(root, ignore_errors=True)


def _run(args: list[str], root: Path, identity: tuple[int, int] | None, timeout: float) -> CliRun:
    user, group = identity if identity is not None else (None, None)
    run = run_cli(args, env=cli_env(root / "home"), timeout=timeout, user=user, group=group)
    assert not run.timed_out and run.max_rss_mb < MEMORY_CAP_MB, run.describe()
    assert "Traceback" not in run.stderr + run.stdout, run.describe()
    return run


def test_locked_file_is_really_locked(world: tuple[Path, Built]) -> None:
    _, built = world
    assert (built.target.stat().st_mode & 0o777) == 0


def test_extract_locked_file(world: tuple[Path, Built], identity: tuple[int, int] | None) -> None:
    root, built = world
    run = _run(["extract", str(built.target), "--format", "json"], root, identity, PER_DOCUMENT_SECONDS)
    record(PERMISSION_CASE.kind, "extract", run, "unreadable")
    assert run.returncode == 2, run.describe()
    lines = run.stderr_lines()
    assert len(lines) == 1 and built.target.name in lines[0] and "权限" in lines[0], run.describe()


def _by_name(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {Path(r["submission"]).name: r for r in results}


def test_verify_locked_file(world: tuple[Path, Built], identity: tuple[int, int] | None) -> None:
    root, built = world
    control = root / "submissions" / "control"
    run = _run(["verify", str(built.submission), str(control), "--format", "json"], root, identity, 180)
    record(PERMISSION_CASE.kind, "verify", run, "unreadable")
    assert run.returncode == 1, run.describe()
    results = _by_name(json.loads(run.stdout))
    assert_outcome(built, results[PERMISSION_CASE.kind], results["control"])
    finding = next(f for f in results[PERMISSION_CASE.kind]["findings"] if f["code"] == "UNREADABLE_DOCUMENT")
    assert "权限" in finding["message"] and CJK.search(finding["message"])


def test_batch_locked_file(world: tuple[Path, Built], identity: tuple[int, int] | None) -> None:
    root, built = world
    run = _run(["batch", str(root / "submissions"), "--workers", "1"], root, identity, 180)
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
