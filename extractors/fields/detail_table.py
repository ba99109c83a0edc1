"""The 投资明细表: find the header row, map its captions to the contract's columns, normalise rows.

Applicants build these tables by hand in Excel, so the header sits under merged title rows, the
captions vary (金额（元）, 金额(万元), Amount), a 合计 row closes the table, and numbers typed into
number cells lose their leading zeros or turn into floats. Each of those is handled here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.fields.canonical import clean, money_str, parse_date
from models import BBox, Document, ExtractedField

NAME = "detail_table"
COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "seq", "no", "no.", "#", "编号"),
    "contract_number": (
        "合同编号",
        "合同号",
        "合同编码",
        "contract_number",
        "contractnumber",
        "contractno",
        "contract",
    ),
    "invoice_number": (
        "发票号码",
        "发票号",
        "发票编号",
        "票号",
        "invoice_number",
        "invoicenumber",
        "invoiceno",
        "invoice",
    ),
    "amount": ("金额", "发票金额", "投资金额", "投资额", "价税合计", "含税金额", "amount", "amount(yuan)"),
    "date": ("日期", "开票日期", "发票日期", "签订日期", "合同日期", "date"),
    "vendor": ("供应商", "供应商名称", "销售方", "销售方名称", "乙方", "服务商", "vendor", "supplier"),
    "description": ("内容", "项目内容", "采购内容", "服务内容", "摘要", "说明", "名称", "项目名称", "description"),
}
_TOTAL_WORDS = ("合计", "总计", "小计", "total", "sum")
_UNIT = re.compile(r"[(（\[]([^)）\]]*)[)）\]]")


@dataclass(frozen=True)
class Header:
    index: int
    columns: dict[int, str]
    amount_scale: Decimal


def _scale(caption: str) -> Decimal:
    """The unit a money caption states: 万元 / 10k / ten thousand, 千元 / k, else 元."""
    text = caption.replace(" ", "")
    if "万" in text or "10k" in text or "tenthousand" in text or "wan" in text:
        return Decimal(10000)
    if "千元" in text or re.search(r"\(k(?:cny|rmb|yuan)?\)|kcny|krmb", text):
        return Decimal(1000)
    return Decimal(1)


def _caption_key(cell: str) -> tuple[str | None, Decimal]:
    text = clean(cell).lower()
    scale = _scale(text)
    bare = _UNIT.sub("", text).strip(":")
    if not bare:
        return None, scale
    for key, aliases in COLUMNS.items():
        if bare in aliases:
            return key, scale
    for key, aliases in COLUMNS.items():
        if any(len(a) >= 2 and a in bare for a in aliases if not a.isascii() or len(a) > 3):
            return key, scale
    return None, scale


def find_header(rows: list[list[str]], scan: int = 12) -> Header | None:
    """The first row (of the first ``scan``) naming at least three contract columns, one of them a number."""
    for i, row in enumerate(rows[:scan]):
        columns: dict[int, str] = {}
        scale = Decimal(1)
        for j, cell in enumerate(row):
            key, cell_scale = _caption_key(cell or "")
            if key is not None and key not in columns.values():
                columns[j] = key
                if key == "amount":
                    scale = cell_scale
        keys = set(columns.values())
        if len(keys) >= 3 and keys & {"invoice_number", "contract_number", "amount"}:
            return Header(i, columns, scale)
    return None


def _number_text(cell: str) -> str:
    """An identifier typed into a number cell: ``12345678.0`` and ``1.2345678E7`` back to digits."""
    text = clean(cell)
    if re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]
    if re.fullmatch(r"\d{1,20}(?:\.\d{1,20})?[eE]\+?\d{1,2}", text):  # longer is no identifier
        try:
            return str(int(Decimal(text)))
        except InvalidOperation:
            return text
    return text


def _invoice_number(cell: str) -> str:
    text = _number_text(cell).replace("No.", "").replace("NO.", "")
    if text.isdigit() and 5 <= len(text) < 8:
        return text.zfill(8)
    if text.isdigit() and 17 <= len(text) < 20:
        return text.zfill(20)
    return text


def _amount(cell: str, scale: Decimal) -> str | None:
    text = clean(cell).replace(",", "").replace("¥", "").replace("元", "")
    if "万" in text:
        text, scale = text.replace("万", ""), Decimal(10000)
    if not re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,2})?", text):
        return None  # NaN, Infinity, 1e999999 and other spreadsheet debris are not amounts
    try:
        value = Decimal(text) * scale
    except InvalidOperation:
        return None
    return money_str(value) if value.is_finite() and abs(value) < Decimal("1e13") else None


def _date(cell: str) -> str | None:
    text = clean(cell)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):  # an Excel serial day number
        serial = int(float(text))
        if 20000 < serial < 80000:
            return (dt.date(1899, 12, 30) + dt.timedelta(days=serial)).isoformat()
    return parse_date(text)


def _normalise(key: str, cell: str, scale: Decimal) -> Any:
    if not clean(cell):
        return None
    if key == "amount":
        return _amount(cell, scale)
    if key == "date":
        return _date(cell)
    if key == "invoice_number":
        return _invoice_number(cell)
    if key == "contract_number":
        return _number_text(cell).strip()
    if key == "seq":
        text = _number_text(cell)
        return int(text) if text.isdigit() else text
    return cell.strip()


def _is_total(row: list[str]) -> bool:
    head = clean("".join(row[:3])).lower()
    return any(w in head for w in _TOTAL_WORDS)


def parse_rows(rows: list[list[str]]) -> tuple[list[dict[str, Any]], list[int]] | None:
    """Normalised data rows and their indexes in ``rows``; ``None`` when no header is found."""
    header = find_header(rows)
    if header is None:
        return None
    out: list[dict[str, Any]] = []
    indexes: list[int] = []
    for i in range(header.index + 1, len(rows)):
        row = rows[i]
        if not any(clean(c or "") for c in row) or _is_total(row):
            continue
        record = {
            key: _normalise(key, row[j] if j < len(row) else "", header.amount_scale)
            for j, key in header.columns.items()
        }
        if not any(record.get(k) for k in ("invoice_number", "contract_number", "amount")):
            continue
        out.append(record)
        indexes.append(i)
    return out, indexes


def extract_detail_table(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
    """The ``rows`` field, with per-row provenance in the checks (row number in the sheet, page)."""
    for page in doc.pages:
        if not page.table_rows:
            continue
        parsed = parse_rows(page.table_rows)
        if parsed is None:
            continue
        records, indexes = parsed
        box = BBox.enclosing(ln.bbox for ln in page.lines) if page.lines else None
        field = ExtractedField(
            value=records, confidence=0.99, page=page.number, bbox=box, extractor=NAME, source="table"
        )
        provenance = [{"row": i + 1, "page": page.number} for i in indexes]
        return {"rows": field}, {"detail_table": {"rows": provenance}}
    return {}, {}
