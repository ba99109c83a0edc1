"""``evidence batch`` and ``evidence recheck`` tables for people: Chinese labels, relative paths, and
the document each problem or change concerns (codes only in ``--format json``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_cli.main import cli
from models.settings import Settings
from tests.test_flows import CLEAN_CLOUD, CORPUS, _import_without, make_root, settings

__all__ = ["settings"]
RAW_CODE = re.compile(r"\b[A-Z]{3,}(?:_[A-Z]+)+\b")
PROVIDER = "中国电信集团有限公司山西分公司"


def test_batch_and_recheck_name_problems_and_documents_in_chinese(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matchers.reference import load_list

    root = make_root(tmp_path, CLEAN_CLOUD)
    shutil.copytree(
        CORPUS / "s13_cloud_provider_short_period", root / "unlisted", ignore=shutil.ignore_patterns("truth.json")
    )
    runner = CliRunner()
    batch = runner.invoke(cli, ["batch", str(root)])
    assert batch.exit_code == 1, batch.output
    assert not RAW_CODE.findall(batch.stdout), batch.stdout
    unlisted = next(line for line in batch.stdout.splitlines() if "unlisted" in line)
    assert "有问题" in unlisted and str(root) not in batch.stdout, "paths relative to ROOT"

    _import_without(settings, tmp_path, PROVIDER, f"{load_list('cloud_providers', home=settings.home).version}9")
    monkeypatch.chdir(tmp_path)
    shown = runner.invoke(cli, ["recheck"], env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert not RAW_CODE.findall(shown.stdout), shown.stdout
    row = next(line for line in shown.stdout.splitlines() if CLEAN_CLOUD in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[0] == f"root/{CLEAN_CLOUD}", "relative to the working folder"
    assert cells[1:3] == ["通过", "有问题"]
    assert "+云服务商不在名单（上云服务合同.pdf、发票_01.pdf）" in cells[3] and cells[3].count("云服务商不在名单") == 1
    assert f"「{PROVIDER}」已从" in cells[4] and "中移除" in cells[4]
