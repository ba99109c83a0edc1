"""The 投资明细表: headers in either language, title and totals rows, units, dates, damaged numbers."""

from __future__ import annotations

from extractors.fields import extract_fields
from extractors.fields.detail_table import parse_rows
from models import Document, Page


def _doc(rows: list[list[str]]) -> Document:
    return Document(
        path="t.xlsx", sha256="0" * 64, text_source="table",
        pages=[Page(number=1, width=1, height=1, dpi=200, table_rows=rows, text_source="table")],
    )  # fmt: skip


def test_chinese_header_under_title_with_totals_and_wan() -> None:
    rows = [
        ["山西示例科技有限公司2023年项目投资明细表", "", "", "", "", "", ""],
        ["序号", "合同编号", "发票号码", "金额（万元）", "日期", "供应商", "内容"],
        ["1", "HT-2023-01", "1234567.0", "37.143", "2023.06.19", "浪潮软件集团有限公司", "服务器"],
        ["2", "HT-2023-02", "2.4142000000012346e+19", "1,200", "2023年7月1日", "山西艾德信息技术有限公司", "运维"],
        ["3", "HT-2023-02", "00123456", "5万", "45123", "山西艾德信息技术有限公司", "运维"],
        ["合计", "", "", "1242.143", "", "", ""],
    ]
    doc = extract_fields(_doc(rows))
    assert doc.doc_type == "detail_table"
    got = doc.fields["rows"].value
    assert len(got) == 3
    assert got[0] == {
        "seq": 1, "contract_number": "HT-2023-01", "invoice_number": "01234567", "amount": "371430.00",
        "date": "2023-06-19", "vendor": "浪潮软件集团有限公司", "description": "服务器",
    }  # fmt: skip
    assert got[1]["amount"] == "12000000.00" and got[1]["date"] == "2023-07-01"
    assert got[2]["invoice_number"] == "00123456" and got[2]["amount"] == "50000.00"
    assert got[2]["date"] == "2023-07-16"
    assert doc.checks.detail_table is not None and doc.checks.detail_table.rows[0].model_dump() == {"row": 3, "page": 1}


def test_english_header() -> None:
    rows = [
        ["seq", "contract_number", "invoice_number", "amount (10k CNY)", "date", "vendor", "description"],
        ["1", "C-1", "24599265", "5.3", "2023-11-20", "V", "x"],
        ["Total", "", "", "5.3", "", "", ""],
    ]
    parsed = parse_rows(rows)
    assert parsed is not None
    assert parsed[0] == [
        {"seq": 1, "contract_number": "C-1", "invoice_number": "24599265", "amount": "53000.00",
         "date": "2023-11-20", "vendor": "V", "description": "x"}
    ]  # fmt: skip


def test_no_header_is_not_a_table() -> None:
    assert parse_rows([["a", "b"], ["1", "2"]]) is None
