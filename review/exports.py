"""The one cell writer for every table we hand out: web exports (CSV, XLSX) and ``results.xlsx``.

Cells are neutralised against formula injection: OCR text, applicant and file names are
attacker-controlled and a value such as ``=HYPERLINK(...)`` must stay text in Excel. Control
characters, which XLSX cannot hold at all (openpyxl refuses them) and which a terminal would
obey, are written as visible escapes (``\\x07``), so the row is still exported and still readable.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# C0 and C1 controls, DEL, and the Unicode line/paragraph separators; newline and tab are kept
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Every character a writer cannot hold (or a terminal would obey) as a visible ``\\xNN``."""
    return _CONTROLS.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def safe_cell(value: Any) -> Any:
    """Numbers stay numbers; text is cleaned, and text a spreadsheet would evaluate gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    text = clean_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def add_sheet(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Fill a sheet: bold frozen header with filters, every cell through ``safe_cell``, readable widths."""
    sheet.append([safe_cell(v) for v in header])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for index in range(1, len(header) + 1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        texts = [str(sheet.cell(row=r, column=index).value or "") for r in range(1, min(sheet.max_row, 200) + 1)]
        # a CJK character is about two Latin ones wide
        width = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in texts), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, sheet.max_row)}"


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """A workbook of (title, header, rows) sheets, each written by ``add_sheet``."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, header, rows in sheets:
        add_sheet(workbook.create_sheet(clean_text(title)[:31]), header, rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_xlsx(sheet_title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return workbook_bytes([(sheet_title, header, rows)])
