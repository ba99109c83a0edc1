"""``evidence eval``: one-line errors for bad input, and a JSON report on a one-submission corpus."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sample_docs.generate import DEFAULT_OUT

EVIDENCE = [sys.executable, "-m", "evidence_cli.main"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EVIDENCE, *args], capture_output=True, text=True, timeout=300, check=False)


def test_missing_corpus_is_a_one_line_error(tmp_path: Path) -> None:
    proc = _run("eval", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "nowhere" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_folder_without_truth_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "s1").mkdir()
    proc = _run("eval", str(tmp_path))
    assert proc.returncode == 2
    assert "truth.json" in proc.stderr and "Traceback" not in proc.stderr


def test_json_report_on_a_born_digital_submission(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_OUT / "s04_cert_clean_cmmi", tmp_path / "s04_cert_clean_cmmi")
    proc = _run("eval", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["versions"]["lists"]) == {"cloud_providers", "xinchuang_pilots"}
    report = out["corpus"]
    assert report["fields"]["total"] == 8  # the CMMI certificate's scored fields
    assert set(report["by_doc_type"]) == {"certificate"}
    assert report["award"]["total"] == 1
    assert 0.0 <= report["field_accuracy"] <= 1.0
    assert isinstance(report["misses"], list)
