"""Issue 18: small files that used to break the 60 s / 1.5 GB bounds, and hostile names and folders.

Every input is built at test time. Each ``evidence extract`` runs as a subprocess under an
address-space cap (a safety net for the machine, set above the bound asserted): it must exit 2
with exactly one stderr line giving the budget's reason, within the time bound and under
``MEMORY_CAP_MB`` peak RSS. One ``evidence batch`` over all of them, a non-UTF-8 folder name and a
symlinked application.yaml must store a result for every submission.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.badinput import budgets
from tests.badinput.good import application_yaml, good_submission
from tests.badinput.runner import MEMORY_CAP_MB, PER_DOCUMENT_SECONDS, CliRun, cli_env, record, run_cli

SAFETY_CAP_MB = 4096
"""RLIMIT_AS of each process a test starts: far above the bound, far below what the machine has."""

CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "wide_png": ("wide.png", budgets.wide_png, "长宽比异常"),
    "thin_png": ("thin.png", budgets.thin_png, "图像过窄或过小"),
    "xlsx_shared_string": ("明细.xlsx", budgets.xlsx_repeated_shared_string, "表格展开后文字过多"),
    "ofd_template_refs": ("模板.ofd", budgets.ofd_template_references, "OFD 文件展开后文字过多"),
    "ofd_huge_text_code": ("长文本.ofd", budgets.ofd_huge_text_code, "OFD 文件展开后文字过多"),
    "pdf_huge_image": ("大图.pdf", budgets.pdf_text_with_huge_image, "含超大图像"),
    "pdf_200_scanned": ("扫描200页.pdf", budgets.pdf_scanned_pages, "扫描页过多"),
    "text_as_pdf": ("说明.pdf", "这是一段文字，不是 PDF。\n第二行,逗号\n".encode, "内容是纯文本"),
}


def _extract(tmp_path: Path, *files: Path, extra: tuple[str, ...] = ()) -> CliRun:
    return run_cli(
        ["extract", *map(str, files), "--format", "json", *extra],
        env=cli_env(tmp_path / "run"),
        timeout=PER_DOCUMENT_SECONDS,
        address_space_mb=SAFETY_CAP_MB,
    )


@pytest.mark.parametrize("kind", sorted(CASES))
def test_budget_refuses_before_the_work(kind: str, tmp_path: Path) -> None:
    name, build, reason = CASES[kind]
    path = tmp_path / name
    path.write_bytes(build())
    run = _extract(tmp_path, path)
    record(kind, "extract", run, "UNREADABLE_DOCUMENT", run.stderr.strip())
    assert not run.timed_out and run.returncode == 2, run.describe()
    (line,) = run.stderr_lines()
    assert line.startswith(f"evidence: error: {path}: ") and reason in line, run.describe()
    assert run.max_rss_mb < MEMORY_CAP_MB, run.describe()


def test_utf16_csv_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "明细.csv"
    path.write_bytes("序号,项目,金额\n1,云服务器,100000.00\n".encode("utf-16"))
    run = _extract(tmp_path, path, extra=("--lines",))
    assert run.returncode == 0, run.describe()
    (doc,) = json.loads(run.stdout)
    assert doc["text_source"] == "table" and "云服务器" in json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize("control", ["\n", "\x1b[31m", "\x07"])
def test_control_characters_in_a_file_name_stay_on_one_escaped_line(control: str, tmp_path: Path) -> None:
    path = tmp_path / f"坏{control}名.pdf"
    path.write_bytes(b"")
    run = _extract(tmp_path, path)
    assert run.returncode == 2, run.describe()
    (line,) = run.stderr_lines()
    assert control not in line and ascii(control)[1:-1] in line and "文件为空" in line


def _batch_root(tmp_path: Path) -> Path:
    root = tmp_path / "subs"
    good_submission(root / "good", "24112000000012345001")
    for index, (kind, (name, build, _)) in enumerate(sorted(CASES.items())):
        folder = good_submission(root / kind, f"241120000000123452{index:02d}")
        (folder / name).write_bytes(build())
    gbk = os.fsencode(root) + b"/" + "山西申报".encode("gbk")
    good_submission(Path(os.fsdecode(gbk)), "24112000000012345003")
    linked = root / "linked_yaml"
    linked.mkdir()
    (tmp_path / "elsewhere.yaml").write_text(application_yaml(name="别家公司有限公司"), encoding="utf-8")
    (linked / "application.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    return root


def test_one_batch_holding_every_hostile_input_stores_every_submission(tmp_path: Path) -> None:
    root = _batch_root(tmp_path)
    run = run_cli(
        ["batch", str(root), "--format", "json"],
        env=cli_env(tmp_path / "run", EVIDENCE_PREFECT="never"),
        timeout=30 + 15 * (len(CASES) + 3),
        address_space_mb=SAFETY_CAP_MB,
    )
    record("issue18_batch", "batch", run, f"exit {run.returncode}")
    assert run.returncode == 1 and not run.timed_out, run.describe()
    assert run.max_rss_mb < MEMORY_CAP_MB, run.describe()
    payload = json.loads(run.stdout)
    by_name = {Path(r["submission"]).name: r for r in payload["results"]}
    assert len(by_name) == len(CASES) + 3, sorted(by_name)
    assert by_name["good"]["status"] in {"pass", "flagged"} and not _unreadable(by_name["good"])
    for kind, (_name, _, reason) in CASES.items():
        (finding,) = _unreadable(by_name[kind])
        assert reason in finding["message"] and finding["severity"] == "error", finding
    escaped = [n for n in by_name if "\\x" in n]
    assert len(escaped) == 1 and by_name[escaped[0]]["status"] != "error", "a GBK folder name is processed"
    linked = by_name["linked_yaml"]
    assert linked["status"] == "error" and "符号链接" in linked["error"]


def _unreadable(result: dict[str, object]) -> list[dict[str, str]]:
    findings = result.get("findings") or []
    assert isinstance(findings, list)
    return [f for f in findings if f.get("code") == "UNREADABLE_DOCUMENT"]
