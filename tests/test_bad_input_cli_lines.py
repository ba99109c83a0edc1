"""Issue 18, rows 6 and the lower items: a read-only EVIDENCE_HOME and usage errors are one line,
and application.yaml values that are no amount or no name are refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchers.reference import MAX_LIST_ROWS
from pipeline.submission import ApplicationError, load_application
from tests.badinput.good import application_yaml, good_submission
from tests.badinput.runner import CliRun, cli_env, run_cli
from tests.badinput.zipgen import bomb_member, deflated_member, zip_bytes


@pytest.fixture
def read_only_home(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = cli_env(tmp_path / "run", EVIDENCE_PREFECT="never")
    home = Path(env["EVIDENCE_HOME"])
    home.mkdir(parents=True)
    (home / "evidence.db").write_bytes(b"")
    home.chmod(0o500)
    (home / "evidence.db").chmod(0o400)
    return env, home


@pytest.mark.parametrize("command", [["verify", "SUB"], ["batch", "ROOT"], ["recheck"], ["review", "--port", "18799"]])
def test_read_only_home_is_one_line_naming_it(
    command: list[str], read_only_home: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, home = read_only_home
    sub = good_submission(tmp_path / "subs" / "a", "24112000000012345678")
    args = [str(sub) if a == "SUB" else str(sub.parent) if a == "ROOT" else a for a in command]
    run = run_cli(args, env=env, timeout=60, without_dac_override=True)
    if run.returncode != 2 and "Operation not permitted" in run.stderr:
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here, so file modes do not apply to root")
    assert run.returncode == 2, run.describe()
    (line,) = run.stderr_lines()
    assert line == f"evidence: error: EVIDENCE_HOME 目录不可写：{home}（请检查权限或设置 EVIDENCE_HOME 为可写目录）"


@pytest.mark.parametrize("args", [["verify"], ["verify", "--bogus", "x"]])
def test_usage_errors_are_one_line(args: list[str], tmp_path: Path) -> None:
    run = run_cli(args, env=cli_env(tmp_path / "run"), timeout=60)
    assert run.returncode == 2
    (line,) = run.stderr_lines()
    assert line.startswith("evidence: error: ") and "evidence verify --help" in line


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (".nan", "NaN"),
        (".inf", "无穷大"),
        ("-1e308", "负数"),
        ("1e12", "过大"),
        ("1" + "0" * 5000, "位数过多"),
    ],
)
def test_claimed_award_that_is_no_amount_is_refused(value: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "application.yaml").write_text(application_yaml() + f"claimed_award_wan: {value}\n", encoding="utf-8")
    with pytest.raises(ApplicationError) as caught:
        load_application(tmp_path)
    assert reason in caught.value.reason


def test_blank_applicant_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "application.yaml").write_text(application_yaml(name="'   '"), encoding="utf-8")
    with pytest.raises(ApplicationError) as caught:
        load_application(tmp_path)
    assert "空白" in caught.value.reason


def test_application_yaml_symlinked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    other = good_submission(tmp_path / "other", "24112000000012345678")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "application.yaml").symlink_to(other / "application.yaml")
    with pytest.raises(ApplicationError) as caught:
        load_application(mine)
    assert "符号链接" in caught.value.reason


def test_match_input_is_read_with_a_limit(tmp_path: Path) -> None:
    args = ["match", "--list", "cloud_providers", "--input", "/dev/zero"]
    run = run_cli(args, env=cli_env(tmp_path / "run"), timeout=60)
    assert run.returncode == 2 and not run.timed_out
    (line,) = run.stderr_lines()
    # the bound is on what is read: the process itself holds the matcher and its glyph table (250-400 MB seen)
    assert "输入过大" in line and run.max_rss_mb < 600


def _lists_import(tmp_path: Path, file: Path) -> CliRun:
    env = cli_env(tmp_path / "run")
    return run_cli(["lists", "import", "cloud_providers", str(file), "--version", "9.9"], env=env, timeout=60)


def test_lists_import_refuses_a_zip_bomb_before_inflating_it(tmp_path: Path) -> None:
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb = tmp_path / "名单.xlsx"
    bomb.write_bytes(
        zip_bytes(
            [
                deflated_member("[Content_Types].xml", b"<Types/>"),
                bomb_member("xl/worksheets/sheet1.xml", head, 1024, b"</worksheet>"),
            ]
        )
    )
    run = _lists_import(tmp_path, bomb)
    assert run.returncode == 2 and run.max_rss_mb < 300, run.describe()
    (line,) = run.stderr_lines()
    assert "压缩炸弹" in line


def test_lists_import_caps_rows_and_never_echoes_a_huge_header(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("name\n" + "某某有限公司\n" * (MAX_LIST_ROWS + 1), encoding="utf-8")
    run = _lists_import(tmp_path, rows)
    assert run.returncode == 2 and "行数过多" in run.stderr_lines()[0]
    header = tmp_path / "header.csv"
    header.write_text("列," * 633_333 + "\n一行\n", encoding="utf-8")  # a 1.9 MB header row
    run = _lists_import(tmp_path, header)
    assert run.returncode == 2
    (line,) = run.stderr_lines()
    assert len(line) < 600 and "…（共" in line
