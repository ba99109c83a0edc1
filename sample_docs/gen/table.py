"""The 投资明细表 as XLSX: merged title row, header (Chinese or English), rows, totals row."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sample_docs.gen import amounts

FIXED_ZIP_TIME = (2024, 5, 1, 9, 0, 0)
HEADERS_CN = ("序号", "合同编号", "发票号码", "金额（元）", "日期", "供应商", "内容")
HEADERS_EN = ("seq", "contract_number", "invoice_number", "amount", "date", "vendor", "description")


@dataclass
class Row:
    contract_number: str
    invoice_number: str
    amount: Decimal
    day: date
    vendor: str
    description: str


@dataclass
class TableStyle:
    english: bool = False
    wan: bool = False
    grouped: bool = False
    numeric_invoice: bool = False
    date_style: str = "iso"


def _date_text(d: date, style: str) -> object:
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "cell":
        return datetime(d.year, d.month, d.day)
    return d.isoformat()


def truth_rows(rows: list[Row]) -> list[dict[str, object]]:
    return [
        {
            "seq": i + 1,
            "contract_number": r.contract_number,
            "invoice_number": r.invoice_number,
            "amount": amounts.fmt(r.amount),
            "date": r.day.isoformat(),
            "vendor": r.vendor,
            "description": r.description,
        }
        for i, r in enumerate(rows)
    ]


def xlsx_bytes(title: str, rows: list[Row], style: TableStyle) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "投资明细表"
    headers = list(HEADERS_EN if style.english else HEADERS_CN)
    if style.wan:
        headers[3] = "amount (10k CNY)" if style.english else "金额（万元）"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    total = Decimal(0)
    for i, r in enumerate(rows):
        total += r.amount
        inv: object = (
            int(r.invoice_number) if style.numeric_invoice and len(r.invoice_number) <= 8 else r.invoice_number
        )
        ws.append(
            [
                i + 1,
                r.contract_number,
                inv,
                _amount_cell(r.amount, style),
                _date_text(r.day, style.date_style),
                r.vendor,
                r.description,
            ]
        )
    ws.append(["合计" if not style.english else "Total", "", "", _amount_cell(total, style), "", "", ""])
    for col, width in zip("ABCDEFG", (6, 22, 24, 16, 14, 34, 30), strict=True):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "evidence"
    fixed = datetime(*FIXED_ZIP_TIME)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue(), fixed)


def _amount_cell(value: Decimal, style: TableStyle) -> object:
    if style.wan:
        return float((value / 10000).quantize(Decimal("0.000001")).normalize())
    if style.grouped:
        return amounts.fmt_grouped(value)
    return float(value)


def _fix_zip(data: bytes, fixed: datetime) -> bytes:
    """Rewrite the workbook zip with fixed entry dates and fixed core-property timestamps."""
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), payload)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, payload)
    return out.getvalue()
