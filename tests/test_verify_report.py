"""The HTML report embeds page images with the evidence boxes drawn, and nothing from outside."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image

from models import BBox, Document, Evidence, Finding, FindingCode, Page, Result
from pipeline.report import render_html, report_name, write_reports


def _result() -> Result:
    doc = Document(
        path="发票<1>.pdf", sha256="x", doc_type="invoice", pages=[Page(number=1, width=400, height=300, dpi=200)]
    )
    finding = Finding(
        code=FindingCode.BUYER_NOT_APPLICANT,
        severity="error",
        message="购买方<b>不符</b>",
        documents=[doc.path],
        fields=["buyer_name"],
        evidence=[Evidence(path=doc.path, page=1, bbox=BBox.model_validate([100, 100, 300, 200]))],
    )
    return Result(submission="/data/sub<script>", status="flagged", documents=[doc], findings=[finding])


def test_boxes_are_drawn_on_the_embedded_page_at_the_rendered_scale(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []

    def renderer(path: Path, page: int, dpi: int) -> Image.Image:
        calls.append((path.name, page, dpi))
        return Image.new("RGB", (200, 150), "white")  # half the resolution of the page

    text = render_html(_result(), tmp_path, renderer)
    assert calls == [("发票<1>.pdf", 1, 100)]
    assert "src='data:image/png;base64," in text and "http" not in text.split("<body>")[1]
    assert "<b>不符</b>" not in text and "&lt;b&gt;" in text and "<script>" not in text
    payload = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text)
    assert payload is not None
    image = Image.open(io.BytesIO(base64.b64decode(payload.group(1)))).convert("RGB")
    red = image.getpixel((50, 75))  # the box's left edge at x=100/2
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 80
    assert image.getpixel((10, 10)) == (255, 255, 255)


def test_missing_page_image_still_lists_the_evidence(tmp_path: Path) -> None:
    text = render_html(_result(), tmp_path, lambda *_: None)
    assert "无法渲染" in text


def test_report_names_are_safe() -> None:
    assert report_name(_result(), 3) == "003_sub_script.html"


def test_hostile_names_are_written_as_text_in_every_report(tmp_path: Path) -> None:
    """Issue 18 rows 3-4: a control character or a formula in a name never breaks or arms a writer."""
    from openpyxl import load_workbook

    from models.application import Applicant

    result = _result().model_copy(
        update={"applicant": Applicant(name="=HYPERLINK(\"http://x\",\"点我\")\x07测试\x1b[31m公司")}
    )
    written = write_reports([result], tmp_path / "out", lambda *_: None)
    book = load_workbook(written[1])
    name = book["提交"]["B2"].value
    assert name == "'=HYPERLINK(\"http://x\",\"点我\")\\x07测试\\x1b[31m公司"
    assert book["提交"]["B2"].data_type == "s"
    assert book["提交"].freeze_panes == "A2" and book["提交"].auto_filter.ref
    issues = book["问题"]
    assert issues["B2"].value == "购买方不是申报单位" and issues["G2"].value == "BUYER_NOT_APPLICANT"
    assert issues["D1"].value == "说明" and book["提交"]["D2"].value == "有问题"
    html_text = written[2].read_text(encoding="utf-8")
    assert "\x07" not in html_text and "\x1b" not in html_text and "\\x07测试" in html_text
    assert "title='BUYER_NOT_APPLICANT'>购买方不是申报单位<" in html_text
