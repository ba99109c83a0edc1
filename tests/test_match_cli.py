"""``evidence match`` as a user runs it: contract JSON, JSON Lines in order, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_cli.match_cmd import match


def _evidence(*args: str, stdin: str | None = None, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence_cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={"EVIDENCE_HOME": str(home), "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[1],
    )


def test_single_name_prints_a_contract_match_object(tmp_path: Path) -> None:
    done = _evidence("match", "阿里云计算有限公司", "--list", "cloud_providers", "--format", "json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["list"] == "cloud_providers"
    assert data["list_version"] == "1"
    assert data["normalized"] == "阿里云计算有限公司"
    assert data["matches"][0] == data["matches"][0] | {"name": "阿里云计算有限公司", "score": 100.0, "verdict": "exact"}


def test_input_from_stdin_gives_json_lines_in_input_order(tmp_path: Path) -> None:
    names = ["山西天成科技有限公司", "中国移动通信集团山西有限公司阳泉分公司", "阿里云计算有限公司"]
    done = _evidence(
        "match",
        "--list",
        "cloud_providers",
        "--input",
        "-",
        "--format",
        "json",
        "--top",
        "1",
        stdin="\n".join(names) + "\n",
        home=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == names
    assert [line["matches"][0]["verdict"] for line in lines] == ["none", "fuzzy", "exact"]
    assert lines[1]["matches"][0]["relation"] == "branch_of"


def test_unknown_list_is_a_one_line_error_with_exit_2(tmp_path: Path) -> None:
    done = _evidence("match", "阿里云计算有限公司", "--list", "no_such_list", home=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no_such_list" in done.stderr


@pytest.mark.parametrize("args", [["--list", "cloud_providers"], ["x", "--list", "cloud_providers", "--input", "-"]])
def test_name_or_input_but_not_both(args: list[str], tmp_path: Path) -> None:
    done = _evidence("match", *args, home=tmp_path)
    assert done.returncode == 2
    assert "--input" in done.stderr


def test_table_output_and_input_file(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("山西夭地科技有限公司\n阿里云计算有限公司\n", encoding="utf-8")
    wide = {"COLUMNS": "250"}
    result = CliRunner().invoke(match, ["--list", "cloud_providers", "--input", str(names)], env=wide)
    assert result.exit_code == 0, result.output
    assert "山西天地科技有限公司" in result.output
    single = CliRunner().invoke(match, ["山西夭地科技有限公司", "--list", "cloud_providers", "--top", "2"], env=wide)
    assert single.exit_code == 0
    assert "形近字" in single.output


def test_eval_flag_prints_precision_and_recall_per_kind() -> None:
    result = CliRunner().invoke(match, ["--eval"])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output
    assert "recall" in result.output
    assert "near_miss" in result.output
