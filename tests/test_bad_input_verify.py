"""All bad inputs through one ``evidence verify`` and one ``evidence batch`` (shared by every case).

One submission per kind (a valid application, one good invoice, the bad input) plus a control
submission with only the good parts; each case asserts its exact outcome and that the good
invoice was judged as in the control. Runs are bounded in time and peak memory.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.badinput.cases import CASES, Built
from tests.badinput.expect import assert_outcome
from tests.badinput.good import BUYER_TAX_ID
from tests.badinput.runner import (
    MEMORY_CAP_MB,
    PER_DOCUMENT_SECONDS,
    CliRun,
    cli_env,
    record,
    run_cli,
    run_from_json,
    run_to_json,
    shared_once,
)
from tests.badinput.shared import corpus, corpus_root, kinds, shared_dir

SUBMISSIONS = len(CASES) + 1
NOT_SUBMISSIONS = frozenset({"yaml_missing"})
RUN_SECONDS = 30.0 + SUBMISSIONS * PER_DOCUMENT_SECONDS / 4
"""Whole-run bound: start-up plus a quarter of the per-document bound per submission (two documents each)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return corpus(tmp_path_factory)


@pytest.fixture(scope="module")
def verify_run(tmp_path_factory: pytest.TempPathFactory, built: dict[str, Built]) -> CliRun:
    home = shared_dir(tmp_path_factory) / "verify-home"
    # a folder without application.yaml is a mistaken path: verify refuses the whole command for it
    # (tests/test_verify_cli.py); batch, which finds submissions itself, meets it below
    directories = [str(b.submission) for k, b in built.items() if k not in NOT_SUBMISSIONS]
    directories.append(str(corpus_root(tmp_path_factory) / "submissions" / "control"))

    def produce() -> CliRun:
        home.mkdir(parents=True, exist_ok=True)
        return run_cli(["verify", *directories, "--format", "json"], env=cli_env(home), timeout=RUN_SECONDS)

    return shared_once(shared_dir(tmp_path_factory), "verify", produce, encode=run_to_json, decode=run_from_json)


@pytest.fixture(scope="module")
def verify_results(verify_run: CliRun) -> dict[str, dict[str, Any]]:
    assert verify_run.stdout_is_utf8
    results = json.loads(verify_run.stdout)
    return {Path(r["submission"]).name: r for r in results}


@pytest.fixture(scope="module")
def batch_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_dir(tmp_path_factory) / "batch-home"


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, built: dict[str, Built], batch_home: Path) -> CliRun:
    root = corpus_root(tmp_path_factory) / "submissions"

    def produce() -> CliRun:
        batch_home.mkdir(parents=True, exist_ok=True)
        return run_cli(["batch", str(root)], env=cli_env(batch_home), timeout=RUN_SECONDS)

    return shared_once(shared_dir(tmp_path_factory), "batch", produce, encode=run_to_json, decode=run_from_json)


@pytest.fixture(scope="module")
def batch_results(batch_run: CliRun, batch_home: Path) -> dict[str, dict[str, Any]]:
    """The results the batch stored, read back through the store (the batch prints only a summary)."""
    from models.settings import Settings
    from store import open_store

    store = open_store(Settings(home=batch_home / "evidence-home"))
    try:
        runs = store.list_runs("batch")
        assert runs, batch_run.describe()
        stored = store.completed_submissions(runs[0].id)
    finally:
        store.close()
    return {Path(path).name: result.model_dump(mode="json") for path, result in stored.items()}


def _bounded(run: CliRun) -> None:
    assert not run.timed_out, f"killed after {RUN_SECONDS}s: {run.describe()}"
    assert run.max_rss_mb < MEMORY_CAP_MB, run.describe()
    assert "Traceback" not in run.stderr + run.stdout, run.describe()


def test_verify_run_is_bounded_and_exits_2(verify_run: CliRun, verify_results: dict[str, dict[str, Any]]) -> None:
    """Exit 2 because some application.yaml files are unusable; every folder still has a result."""
    record("(all)", "verify", verify_run, "")
    _bounded(verify_run)
    assert verify_run.returncode == 2, verify_run.describe()
    assert len(verify_results) == SUBMISSIONS - len(NOT_SUBMISSIONS), sorted(verify_results)
    errors = [line for line in verify_run.stderr_lines() if line.startswith("evidence: error:")]
    expected = sum(1 for c in CASES if c.verify == "error" and c.kind not in NOT_SUBMISSIONS)
    assert len(errors) == expected and all("application.yaml" in line for line in errors), verify_run.stderr


@pytest.mark.parametrize("kind", [k for k in kinds("verify") if k not in NOT_SUBMISSIONS])
def test_verify_bad_input(kind: str, built: dict[str, Built], verify_results: dict[str, dict[str, Any]]) -> None:
    result = verify_results[kind]
    record(kind, "verify", None, result["status"], _reason(result))
    assert_outcome(built[kind], result, verify_results["control"])


def _reason(result: dict[str, Any]) -> str:
    if result.get("error"):
        return str(result["error"]).rsplit(": ", 1)[-1]
    messages = [f["message"] for f in result["findings"] if f["code"] == "UNREADABLE_DOCUMENT"]
    return messages[0] if messages else ""


def test_batch_run_is_bounded(batch_run: CliRun, batch_results: dict[str, dict[str, Any]]) -> None:
    """Flagged (exit 1) with every submission stored, the broken ones as errors; nothing aborted."""
    record("(all)", "batch", batch_run, "")
    _bounded(batch_run)
    assert batch_run.returncode == 1, batch_run.describe()
    assert len(batch_results) == SUBMISSIONS, sorted(batch_results)


@pytest.mark.parametrize("kind", kinds("batch"))
def test_batch_bad_input(kind: str, built: dict[str, Built], batch_results: dict[str, dict[str, Any]]) -> None:
    result = batch_results[kind]
    record(kind, "batch", None, result["status"], _reason(result))
    assert_outcome(built[kind], result, batch_results["control"])


def test_batch_logs_and_output_hold_no_field_values(batch_run: CliRun, batch_home: Path) -> None:
    """Data protection: tax ids and page text appear in no log line at INFO and not on the terminal."""
    home = batch_home / "evidence-home"
    secrets = (BUYER_TAX_ID, "24112000000012345678", "壹拾万陆仟圆整")
    for secret in secrets:
        assert secret not in batch_run.stdout + batch_run.stderr, secret
    logs = [p for p in home.rglob("*.log")] + [p for p in home.rglob("*.log.*")]
    assert logs, f"no log file under {home}"
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{secret} in {log}"


def test_evidence_home_is_owner_only(batch_run: CliRun, batch_home: Path) -> None:
    """EVIDENCE_HOME and everything in it (database, logs, page images when kept): owner-only."""
    home = batch_home / "evidence-home"
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert home.stat().st_uid == os.getuid()
    assert (home / "evidence.db").is_file()
    exposed = [
        f"{path}: {oct(stat.S_IMODE(path.lstat().st_mode))}"
        for path in home.rglob("*")
        if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077
    ]
    assert not exposed, exposed
