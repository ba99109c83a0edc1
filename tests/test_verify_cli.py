"""``evidence verify``: docs/REFERENCE.md §5 JSON, exit codes 0/1/2, and the --out reports."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from evidence_cli.main import cli

LISTED = "山西工程技术学院"  # on xinchuang_pilots, so a 信创 claim needs no documents to pass


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """verify stores its results (the flow's store): keep them in the test's own home."""
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def _submission(folder: Path, name: str, *, claimed: int = 30) -> Path:
    folder.mkdir(parents=True)
    (folder / "application.yaml").write_text(
        f"applicant:\n  name: '{name}'\npolicy: yangquan-2024\nclauses: [xinchuang]\n"
        f"application_date: 2024-05-20\nclaimed_award_wan: {claimed}\n",
        encoding="utf-8",
    )
    return folder


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["verify", *args])
    return result.exit_code, result.stdout, result.stderr


def test_passing_submission_exits_0_with_contract_json(tmp_path: Path) -> None:
    code, out, _ = _invoke(str(_submission(tmp_path / "ok", LISTED)), "--format", "json")
    assert code == 0
    [result] = json.loads(out)
    assert result["status"] == "pass"
    assert result["award"] == {"clause": "xinchuang", "amount_wan": 30.0, "basis": result["award"]["basis"]}
    assert set(result) >= {"submission", "applicant", "policy", "status", "documents", "findings", "award"}


def test_flagged_submission_exits_1(tmp_path: Path) -> None:
    code, out, _ = _invoke(str(_submission(tmp_path / "bad", "山西工程技术大学")), "--format", "json")
    assert code == 1
    [result] = json.loads(out)
    codes = {f["code"] for f in result["findings"]}
    assert codes == {"APPLICANT_NOT_ON_XINCHUANG_LIST", "AWARD_CLAIM_MISMATCH"}


def test_a_folder_that_is_not_a_submission_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    """Issue 23: a mistaken path must not leave an （未知申报单位） 无法处理 row in the queue."""
    from models.settings import Settings
    from store import open_store

    (tmp_path / "empty").mkdir()
    ok = _submission(tmp_path / "ok", LISTED)
    code, out, err = _invoke(str(ok), str(tmp_path / "empty"), "--format", "json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "不是申报材料目录" in err and "empty" in err and "Traceback" not in err
    store = open_store(Settings.from_env())
    try:
        assert store.list_queue().total == 0
    finally:
        store.close()


def test_unusable_application_exits_2_with_the_reason(tmp_path: Path) -> None:
    broken = _submission(tmp_path / "broken", LISTED)
    (broken / "application.yaml").write_text("applicant: [", encoding="utf-8")
    code, _, err = _invoke(str(broken))
    assert code == 2 and "YAML" in err


def test_bad_usage_exits_2() -> None:
    assert _invoke()[0] == 2
    assert _invoke("x", "--format", "yaml")[0] == 2


def test_table_format_is_readable(tmp_path: Path) -> None:
    code, out, _ = _invoke(str(_submission(tmp_path / "ok", LISTED)))
    assert code == 0 and "通过" in out


def test_out_writes_json_workbook_and_escaped_html(tmp_path: Path) -> None:
    ok = _submission(tmp_path / "ok", LISTED)
    bad = _submission(tmp_path / "bad", "<script>alert(1)</script>有限公司", claimed=5)
    code, _, _ = _invoke(str(ok), str(bad), "--format", "json", "--out", str(tmp_path / "report"))
    assert code == 1
    report = tmp_path / "report"
    assert len(json.loads((report / "results.json").read_text(encoding="utf-8"))) == 2
    book = load_workbook(report / "results.xlsx")
    assert book.sheetnames == ["提交", "问题"]
    assert book["提交"].max_row == 3
    assert book["问题"].max_row >= 2
    pages = sorted(report.glob("*.html"))
    assert len(pages) == 2
    text = pages[1].read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_invoices_of_earlier_folders_are_passed_on_as_other_submissions(tmp_path: Path) -> None:
    from evidence_cli.verify_cmd import run_verify
    from models import Result
    from tests.test_checks_builders import NUMBER, invoice

    received: list[dict[str, str]] = []

    def verifier(directory: Path, *, other_invoices: Mapping[str, str] | None = None) -> Result:
        received.append(dict(other_invoices or {}))
        return Result(submission=str(directory), status="pass", documents=[invoice()])

    run_verify([tmp_path / "a", tmp_path / "b"], verifier=verifier, known_invoices={"1400231130-00000001": "old"})
    assert received == [
        {"1400231130-00000001": "old"},
        {"1400231130-00000001": "old", NUMBER: str(tmp_path / "a")},
    ]


def test_a_missing_folder_is_bad_usage(tmp_path: Path) -> None:
    code, _, err = _invoke(str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere" in err


def test_control_characters_in_the_applicant_name_never_crash_out(tmp_path: Path) -> None:
    """Issue 18 row 3: the JSON keeps the name as given, the workbook and terminal get escapes."""
    folder = tmp_path / "ctl"
    folder.mkdir()
    (folder / "application.yaml").write_text(
        'applicant:\n  name: "=HYPERLINK(1)\\x07山西\\x1b[2J公司"\npolicy: yangquan-2024\nclauses: [xinchuang]\n'
        "application_date: 2024-05-20\nclaimed_award_wan: 30\n",
        encoding="utf-8",
    )
    code, out, err = _invoke(str(folder), "--format", "json", "--out", str(tmp_path / "report"))
    assert code in (1, 2) and "Traceback" not in err
    assert json.loads(out)[0]["applicant"]["name"] == "=HYPERLINK(1)\x07山西\x1b[2J公司"
    book = load_workbook(tmp_path / "report" / "results.xlsx")
    assert book["提交"]["B2"].value == "'=HYPERLINK(1)\\x07山西\\x1b[2J公司"
    code, out, _ = _invoke(str(folder))
    assert "\x07" not in out and "\x1b" not in out and "\\x07山西" in out
