"""pipeline.submission: folder scanning, application.yaml validation, and a run that survives bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractors.errors import DocumentReadError
from models import Document
from models.settings import Settings
from pipeline.submission import (
    ApplicationError,
    find_documents,
    load_application,
    scan_folder,
    verify_directory,
)
from tests.test_checks_builders import APPLICANT, contract, invoice

GOOD_YAML = f"""applicant:
  name: {APPLICANT}
policy: yangquan-2024
clauses: [cloud]
application_date: 2024-05-20
claimed_award_wan: 10
"""


def _write(folder: Path, text: str = GOOD_YAML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "application.yaml").write_text(text, encoding="utf-8")
    return folder


def test_find_documents_takes_supported_files_only(tmp_path: Path) -> None:
    sub = _write(tmp_path / "s")
    for name in ("a.pdf", "b.JPG", "c.xlsx", "d.csv", "notes.txt", "truth.json", ".hidden.pdf"):
        (sub / name).write_bytes(b"x")
    (sub / "folder.pdf").mkdir()
    (sub / "folder.pdf" / "inner.png").write_bytes(b"x")
    (sub / "scans").mkdir()
    (sub / "scans" / "inner.png").write_bytes(b"x")
    names = sorted(p.relative_to(sub).as_posix() for p in find_documents(sub))
    assert names == ["a.pdf", "b.JPG", "c.xlsx", "d.csv", "scans/inner.png"]
    assert [name for name, _ in scan_folder(sub)[1]] == ["folder.pdf"]  # a directory is not a document


def test_symlinks_never_lead_out_of_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir()
    (outside_dir / "x.pdf").write_bytes(b"x")
    sub = _write(tmp_path / "s")
    (sub / "real.pdf").write_bytes(b"x")
    os.symlink(secret, sub / "leak.pdf")
    os.symlink(outside_dir, sub / "dir_link")
    os.symlink(sub / "real.pdf", sub / "alias.pdf")
    found, refused = scan_folder(sub)
    assert sorted(p.name for p in found) == ["alias.pdf", "real.pdf"]
    assert [r[0] for r in refused] == ["leak.pdf"]
    assert "符号链接" in refused[0][1]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "为空"),
        ("applicant: [unclosed", "YAML"),
        ("- just\n- a list\n", "键值映射"),
        ("applicant: [unclosed", "第 1 行"),
        (GOOD_YAML.replace("clauses: [cloud]", "clauses: [lottery]"), "clauses（申报条款）.0：取值不在允许范围内"),
        (GOOD_YAML.replace("2024-05-20", "yesterday"), "application_date（申报日期）：应为日期"),
        (GOOD_YAML.replace("2024-05-20", "2024-13-01"), "不存在的日期"),
        (
            GOOD_YAML.replace("claimed_award_wan: 10", "claimed_award_wan: ten"),
            "claimed_award_wan（申请奖励金额（万元））：应为数字",
        ),
        (GOOD_YAML + "surprise: 1\n", "surprise"),
        (GOOD_YAML.replace("yangquan-2024", "atlantis-2030"), "未知政策"),
        ("a: &a [1, 2]\nb: [*a, *a]\n", "别名"),
        ("x: " + "y" * 70000 + "\n", "过大"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "嵌套"),
    ],
)
def test_bad_application_yaml_raises_with_a_reason(tmp_path: Path, text: str, reason: str) -> None:
    sub = _write(tmp_path / "s", text)
    with pytest.raises(ApplicationError) as caught:
        load_application(sub)
    assert reason in caught.value.reason
    assert caught.value.path.endswith("application.yaml")


def test_missing_application_yaml(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    with pytest.raises(ApplicationError, match=r"application\.yaml"):
        load_application(tmp_path / "s")
    result = verify_directory(tmp_path / "s", settings=Settings.from_env())
    assert result.status == "error"
    assert result.error is not None and "application.yaml" in result.error


def test_good_application_loads(tmp_path: Path) -> None:
    app = load_application(_write(tmp_path / "s"))
    assert app.applicant.name == APPLICANT and app.clauses == ["cloud"] and app.claimed_award_wan == 10


def test_unreadable_file_becomes_a_finding_and_the_rest_continues(tmp_path: Path) -> None:
    sub = _write(tmp_path / "s")
    for name in ("invoice_01.pdf", "contract_01.pdf", "broken.pdf"):
        (sub / name).write_bytes(b"x")
    built = {"invoice_01.pdf": invoice(), "contract_01.pdf": contract()}

    def process(path: Path) -> Document:
        if path.name not in built:
            raise DocumentReadError(str(path), "PDF 文件已损坏（截断）")
        return built[path.name].model_copy(update={"path": str(path)})

    result = verify_directory(sub, process=process, settings=Settings.from_env())
    assert result.status == "flagged"
    assert [f.code.value for f in result.findings] == ["UNREADABLE_DOCUMENT"]
    assert result.findings[0].documents == ["broken.pdf"]
    assert sorted(d.path for d in result.documents) == ["contract_01.pdf", "invoice_01.pdf"]
    assert result.award is not None and result.award.amount_wan == 10
    assert result.list_versions["cloud_providers"] and result.policy_version == "1"
