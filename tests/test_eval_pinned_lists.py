"""``evidence eval`` scores against the bundled lists, whatever was imported since: the corpus truth
was written against them, so a list update must not move an accuracy figure (issue 23)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence_cli.main import cli


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_an_imported_list_that_drops_every_provider_does_not_move_the_figures(
    runner: CliRunner, tmp_path: Path
) -> None:
    header = runner.invoke(cli, ["lists", "export", "cloud_providers"]).stdout.splitlines()[0]
    (tmp_path / "v2.csv").write_text(f"{header}\n云平台服务商,1,山西某某云计算有限公司\n", encoding="utf-8")
    imported = runner.invoke(cli, ["lists", "import", "cloud_providers", str(tmp_path / "v2.csv"), "--version", "2"])
    assert imported.exit_code == 0, imported.output
    args = ["eval", "--set", "corpus", "--only", "s01_cloud_clean_digital"]
    scored = runner.invoke(cli, [*args, "--format", "json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    assert report["versions"]["lists"]["cloud_providers"] == "1"
    assert report["versions"]["imported_not_scored"] == {"cloud_providers": ["2"]}
    corpus = report["corpus"]
    assert corpus["clean_submissions"] == 1 and corpus["false_errors_on_clean"] == 0, corpus
    assert corpus["award"] == {"correct": 1, "total": 1}
    table = "".join(runner.invoke(cli, args).stdout.split())  # the terminal wraps at 80 columns
    assert "按制作方式原生电子文件：20/20" in table and "by_render" not in table  # Chinese throughout
    assert "评测使用随附名单：云服务商名单第1版" in table and "已导入的云服务商名单第2版不参与评测" in table
