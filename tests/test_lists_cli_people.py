"""``evidence lists export`` / ``diff`` and the diff ``lists import`` prints: what a list update brings,
by name, and an export that imports back as the next version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from evidence_cli.main import cli

REMOVED = "中国电信集团有限公司山西分公司"
ADDED = "山西某某云计算有限公司"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_export_edit_import_shows_the_diff_and_diff_repeats_it(runner: CliRunner, tmp_path: Path) -> None:
    exported = runner.invoke(cli, ["lists", "export", "cloud_providers"])
    assert exported.exit_code == 0, exported.output
    lines = exported.stdout.splitlines()
    assert lines[0] == "类别,序号,企业名称" and any(REMOVED in line for line in lines)
    edited = [line for line in lines if REMOVED not in line] + [f"云平台服务商,99,{ADDED}"]
    (tmp_path / "v2.csv").write_text("\n".join(edited) + "\n", encoding="utf-8")
    imported = runner.invoke(cli, ["lists", "import", "cloud_providers", str(tmp_path / "v2.csv"), "--version", "2"])
    assert imported.exit_code == 0, imported.output
    shown = imported.stdout.splitlines()
    assert "cloud_providers 第1版 → 第2版：−1 / +1" in shown
    assert f"  − {REMOVED}（云平台服务商，序号 10）" in shown and f"  + {ADDED}（云平台服务商，序号 99）" in shown
    again = runner.invoke(cli, ["lists", "diff", "cloud_providers", "1", "2"])
    assert again.stdout.splitlines() == shown[1:]
    as_json = json.loads(runner.invoke(cli, ["lists", "diff", "cloud_providers", "1", "2", "--format", "json"]).stdout)
    assert [e["name"] for e in as_json["removed"]] == [REMOVED] and [e["name"] for e in as_json["added"]] == [ADDED]


def test_export_to_xlsx_and_refusals(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "名单.xlsx"
    done = runner.invoke(cli, ["lists", "export", "cloud_providers", "--version", "1", "--out", str(out)])
    assert done.exit_code == 0 and "已导出 cloud_providers 第1版" in done.stdout
    sheet = load_workbook(out).active
    assert sheet is not None and [c.value for c in sheet[1]] == ["类别", "序号", "企业名称"]
    assert sheet.freeze_panes == "A2"
    missing = runner.invoke(cli, ["lists", "diff", "cloud_providers", "1", "9"], standalone_mode=False)
    assert missing.exception is not None and "没有版本 9" in str(missing.exception)
    wrong = runner.invoke(
        cli, ["lists", "export", "cloud_providers", "--out", str(tmp_path / "x.txt")], standalone_mode=False
    )
    assert wrong.exception is not None and "只能导出为 .csv 或 .xlsx" in str(wrong.exception)
