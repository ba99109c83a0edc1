"""Crash safety, for real: a batch in a subprocess is SIGKILLed mid-run, then run again.

The rerun must resume the interrupted run, reuse every document extracted before the kill (not
recompute it), store no duplicate rows, and lose no result.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from models.settings import Settings
from store import open_store
from store.schema import DocumentRow, ResultRow

CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"
SOURCE = "s01_cloud_clean_digital"
SUBMISSIONS = 6


def _root(tmp_path: Path) -> Path:
    """Six submissions whose files differ byte-wise (a PDF comment after %%EOF), so none is shared."""
    root = tmp_path / "root"
    for i in range(SUBMISSIONS):
        target = root / f"sub{i:02d}"
        shutil.copytree(CORPUS / SOURCE, target, ignore=shutil.ignore_patterns("truth.json"))
        for pdf in target.glob("*.pdf"):
            with pdf.open("ab") as handle:
                handle.write(f"\n% copy {i}\n".encode())
    return root


def _batch(root: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "evidence_cli.main", "batch", str(root), "--format", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_batch_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    root = _root(tmp_path)
    home = tmp_path / "home"
    env = {**os.environ, "EVIDENCE_HOME": str(home), "EVIDENCE_PREFECT": "never"}
    env.pop("EVIDENCE_DB_URL", None)
    store = open_store(Settings(home=home))
    victim = _batch(root, env)
    deadline = time.monotonic() + 240
    while store.count_documents() < 3:
        assert victim.poll() is None, victim.communicate()
        assert time.monotonic() < deadline, "the batch never stored a document"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL
    with store.session() as s:
        before = {(r.sha256, r.id, r.created_at) for r in s.scalars(select(DocumentRow))}
    total_files = SUBMISSIONS * 2
    assert 3 <= len(before) < total_files, "killed too late to prove anything"
    [interrupted] = store.list_runs("batch")
    assert interrupted.status == "running"
    kept = store.completed_submissions(interrupted.id)

    rerun = _batch(root, env)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 1, err[-2000:]  # flagged: the copies share one invoice number
    report = json.loads(out)
    counts = report["counts"]
    assert report["run_id"] == interrupted.id  # the interrupted run was resumed, not a new one
    # submissions finished before the kill are skipped whole; every other document extracted before
    # the kill is reused, and only the rest is extracted
    assert counts["reused"] == len(before) - 2 * len(kept)
    assert counts["extracted"] == total_files - len(before)
    assert counts["resumed"] == len(kept)
    assert counts["submissions"] == SUBMISSIONS and counts["error"] == 0
    assert all("DUPLICATE_INVOICE" in {f["code"] for f in r["findings"]} for r in report["results"])

    with store.session() as s:
        after = {(r.sha256, r.id, r.created_at) for r in s.scalars(select(DocumentRow))}
        assert before <= after  # the earlier rows are untouched: reused, not recomputed
        assert len(after) == total_files == len({sha for sha, _, _ in after})
        per_submission = s.execute(
            select(ResultRow.submission_id, func.count())
            .where(ResultRow.batch_id == interrupted.id)
            .group_by(ResultRow.submission_id)
        ).all()
    assert len(per_submission) == SUBMISSIONS and all(n == 1 for _, n in per_submission)
    assert store.table_counts()["submissions"] == SUBMISSIONS
    finished = store.get_run(interrupted.id)
    assert finished is not None and finished.status == "finished"
    for path, result in kept.items():  # results stored before the kill are still there, unchanged
        assert store.completed_submissions(interrupted.id)[path] == result
    store.close()
