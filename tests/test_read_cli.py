"""``evidence extract`` end to end in a subprocess: JSON objects, one error line per bad file, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_read_helpers import INVOICE_NUMBER, make_ofd, make_text_pdf


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evidence_cli.main", "extract", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "EVIDENCE_HOME": str(cwd / "home"), "PYTHONPATH": str(Path.cwd())},
        check=False,
    )


def test_extract_prints_contract_objects_and_reports_bad_files_on_one_line(tmp_path: Path) -> None:
    make_text_pdf(tmp_path / "invoice.pdf")
    make_ofd(tmp_path / "invoice.ofd")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "page.pdf").write_text("<html><body>x</body></html>", encoding="utf-8")
    result = _run("invoice.pdf", "empty.pdf", "invoice.ofd", "page.pdf", "--format", "json", "--lines", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert errors == [
        "evidence: error: empty.pdf: 文件为空（0 字节）",
        "evidence: error: page.pdf: 文件内容是网页（HTML），不是 PDF 或图片",
    ]
    objects = json.loads(result.stdout)
    assert [obj["path"] for obj in objects] == ["invoice.pdf", "invoice.ofd"]
    pdf, ofd = objects
    assert pdf["pages"] == 1 and pdf["text_source"] == "text_layer" and len(pdf["sha256"]) == 64
    assert ofd["text_source"] == "ofd"
    assert "structured" not in ofd
    lines = [line["text"] for line in pdf["page_details"][0]["lines"]]
    assert f"发票号码：{INVOICE_NUMBER}" in lines
    assert all(len(line["bbox"]) == 4 for line in pdf["page_details"][0]["lines"])


def test_extract_table_format_and_clean_exit(tmp_path: Path) -> None:
    make_text_pdf(tmp_path / "invoice.pdf")
    result = _run("invoice.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    from rich.cells import cell_len

    lines = result.stdout.splitlines()
    assert "invoice.pdf  发票 · 1 页 · 文字来源：文本层" in lines
    assert max(cell_len(line) for line in lines) <= 80, "fits an 80-column terminal (rich's width off a tty)"
    number = next(line for line in lines if "发票号码" in line)
    assert INVOICE_NUMBER in number and "文本层" in number, "one field per row, its value whole on it"
    assert "text_layer" not in result.stdout and "invoice_number" not in result.stdout


def test_unavailable_ocr_engine_is_one_error_line_not_a_traceback(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("paddleocr") is not None:
        return  # the engine exists here; nothing to refuse
    from PIL import Image

    Image.new("RGB", (120, 80), "white").save(tmp_path / "scan.png")
    make_text_pdf(tmp_path / "invoice.pdf")
    result = _run("scan.png", "invoice.pdf", "--ocr-engine", "paddleocr", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "evidence: error: scan.png: 未安装 paddleocr（可选组件：pip install -e .[paddle]），请改用 rapidocr"
    ]
    assert [obj["path"] for obj in json.loads(result.stdout)] == ["invoice.pdf"]
