"""Reference lists: the bundled transcription, import of new versions, show, diff."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evidence_cli.common import EvidenceCliError
from evidence_cli.lists_cmd import lists
from matchers.reference import ListError, diff_versions, import_list, list_versions, load_list


@pytest.fixture(autouse=True)
def evidence_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    return home


def test_cloud_providers_has_both_sections_with_sequence_numbers() -> None:
    ref = load_list("cloud_providers", home=None)
    assert ref.version == "1"
    platform = [e for e in ref.entries if e.section == "云平台服务商"]
    application = [e for e in ref.entries if e.section == "云应用服务商"]
    assert len(platform) == 24
    assert len(application) == 21
    assert [e.seq for e in platform] == list(range(1, 25))
    assert [e.seq for e in application] == list(range(1, 22))
    by_key = {(e.section, e.seq): e.name for e in ref.entries}
    assert by_key[("云平台服务商", 1)] == "中国联合网络通信有限公司山西省分公司"
    assert by_key[("云平台服务商", 10)] == "中国电信集团有限公司山西分公司"
    assert by_key[("云平台服务商", 21)] == "腾讯云计算（北京）有限责任公司"
    assert by_key[("云平台服务商", 24)] == "中机新时代有限公司"
    assert by_key[("云应用服务商", 10)] == "山西广电信息网络（集团）有限责任公司"
    assert by_key[("云应用服务商", 21)] == "北京英夫美迪科技股份有限公司"


def test_xinchuang_pilots_keeps_unit_and_project() -> None:
    ref = load_list("xinchuang_pilots", home=None)
    assert [e.name for e in ref.entries] == ["山西工程技术学院", "山西晋煤集团煤层气与煤基技术开发有限责任公司"]
    assert ref.entries[0].extra["project"] == "煤机服役智能化管控信息技术应用创新行业试点示范项目"
    assert ref.entries[1].extra["project"].endswith("智慧园区管理平台项目")


def test_unknown_list_and_version_are_errors() -> None:
    with pytest.raises(ListError, match="未知名单"):
        load_list("nope", home=None)
    with pytest.raises(ListError, match="没有版本"):
        load_list("cloud_providers", "99", home=None)


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_csv_becomes_latest_and_diff_names_changes(tmp_path: Path, evidence_home: Path) -> None:
    rows = "序号,单位名称,项目名称\n1,山西工程技术学院,p\n2,山西新信创科技有限公司,q\n"
    report = import_list("xinchuang_pilots", _write_csv(tmp_path / "v2.csv", rows), "2", home=evidence_home)
    assert report.reference.version == "2"
    assert load_list("xinchuang_pilots", home=evidence_home).version == "2"
    assert load_list("xinchuang_pilots", "1", home=evidence_home).version == "1"
    diff = diff_versions("xinchuang_pilots", "1", "2", home=evidence_home)
    assert [e.name for e in diff.added] == ["山西新信创科技有限公司"]
    assert [e.name for e in diff.removed] == ["山西晋煤集团煤层气与煤基技术开发有限责任公司"]
    assert diff.moved == []
    rows3 = "序号,单位名称,项目名称\n1,山西新信创科技有限公司,q\n2,山西工程技术学院,p\n"
    import_list("xinchuang_pilots", _write_csv(tmp_path / "v3.csv", rows3), "3", home=evidence_home)
    moved = diff_versions("xinchuang_pilots", "2", "3", home=evidence_home)
    assert (moved.added, moved.removed) == ([], [])
    assert [(e.name, e.seq) for e in moved.moved] == [("山西新信创科技有限公司", 1), ("山西工程技术学院", 2)]


def test_import_xlsx(tmp_path: Path, evidence_home: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["类别", "序号", "企业名称"])
    sheet.append(["云平台服务商", 1, "山西新云科技有限公司"])
    sheet.append(["云应用服务商", 1, "阿里云计算有限公司"])
    book.save(tmp_path / "v2.xlsx")
    ref = import_list("cloud_providers", tmp_path / "v2.xlsx", "2", home=evidence_home).reference
    assert [(e.section, e.seq, e.name) for e in ref.entries] == [
        ("云平台服务商", 1, "山西新云科技有限公司"),
        ("云应用服务商", 1, "阿里云计算有限公司"),
    ]
    assert [v.version for v in list_versions("cloud_providers", home=evidence_home)] == ["1", "2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("序号,企业名称\n1,甲有限公司\n", "缺少必需的列 section"),
        ("类别,序号,企业名称\n云平台服务商,1,\n", "名称为空"),
        ("类别,序号,企业名称\nA,1,甲有限公司\nA,2,甲 有限公司\n", "重复"),
        ("类别,序号,企业名称\nA,x,甲有限公司\n", "序号不是整数"),
    ],
)
def test_import_rejects_invalid_files(tmp_path: Path, evidence_home: Path, text: str, message: str) -> None:
    with pytest.raises(ListError, match=message):
        import_list("cloud_providers", _write_csv(tmp_path / "bad.csv", text), "2", home=evidence_home)
    assert [v.version for v in list_versions("cloud_providers", home=evidence_home)] == ["1"]


def test_versions_are_never_overwritten(tmp_path: Path, evidence_home: Path) -> None:
    path = _write_csv(tmp_path / "v.csv", "类别,序号,企业名称\nA,1,甲科技有限公司\n")
    with pytest.raises(ListError, match="不可覆盖"):
        import_list("cloud_providers", path, "1", home=evidence_home)
    import_list("cloud_providers", path, "2", home=evidence_home)
    with pytest.raises(ListError, match="不可覆盖"):
        import_list("cloud_providers", path, "2", home=evidence_home)


def test_cli_import_and_show(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "v.csv", "seq,name,project\n1,山西甲科技有限公司,p\n")
    runner = CliRunner()
    ok = runner.invoke(lists, ["import", "xinchuang_pilots", str(path), "--version", "2024.2"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(lists, ["import", "xinchuang_pilots", str(path), "--version", "2024.2"])
    assert isinstance(again.exception, EvidenceCliError)
    assert again.exception.exit_code == 2
    shown = runner.invoke(lists, ["show", "--format", "json"])
    rows = json.loads(shown.output)
    current = {r["list"]: r["version"] for r in rows if r["current"]}
    assert current == {"cloud_providers": "1", "xinchuang_pilots": "2024.2"}
    assert {(r["list"], r["version"]): r["count"] for r in rows}[("xinchuang_pilots", "2024.2")] == 1
    unknown = runner.invoke(lists, ["show", "nope"])
    assert isinstance(unknown.exception, EvidenceCliError)
    assert "未知名单" in str(unknown.exception)
