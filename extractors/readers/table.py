"""Spreadsheets (the 投资明细表): XLSX with cached formula values, CSV in UTF-8 or GBK/GB18030.

Each sheet becomes a page with ``table_rows`` (strings, as displayed) and one synthetic text line
per row, so classification and the review UI treat tables like any other document.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from extractors.errors import DocumentReadError
from extractors.readers import limits
from models import BBox, Page, TextLine

_ROW_HEIGHT_PT = 18.0
_COL_WIDTH_PT = 80.0
_ENCODINGS = ("utf-8-sig", "gb18030")
MAX_CSV_BYTES = 20 * 1024 * 1024


def read_table(path: Path, kind: str, dpi: int) -> list[Page]:
    budget = _TextBudget(path)
    sheets = _xlsx_sheets(path, budget) if kind == "xlsx" else [_csv_rows(path, budget)]
    pages = [_to_page(number, rows, dpi) for number, rows in enumerate(sheets, start=1)]
    if not any(page.table_rows for page in pages):
        raise DocumentReadError(str(path), "表格文件没有任何数据")
    return pages


def cell_text(value: Any) -> str:
    """A cell as a person reads it: dates ISO, whole numbers without ``.0``, no scientific notation."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


class _TextBudget:
    """The text a table expands to, counted cell by cell as it is read: a shared string repeated in
    24,000 cells is refused at the budget, not after it has been expanded (74 KB → 4.4 GB)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.left = limits.MAX_TABLE_TEXT_CHARS

    def spend(self, row: list[str]) -> None:
        self.left -= sum(len(cell) for cell in row)
        if self.left < 0:
            raise DocumentReadError(
                str(self.path),
                f"表格展开后文字过多（超过 {limits.MAX_TABLE_TEXT_CHARS:,} 字），疑似恶意文件，已停止读取",
            )


def _xlsx_sheets(path: Path, budget: _TextBudget) -> list[list[list[str]]]:
    from openpyxl import load_workbook

    _check_xlsx_package(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (KeyError, zipfile, XML errors) for bad files
        raise DocumentReadError(str(path), "XLSX 文件已损坏或格式不正确，无法打开", detail=repr(exc)) from exc
    try:
        sheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        chosen = (sheets or workbook.worksheets)[: limits.MAX_PAGES]
        return [_trim(ws.iter_rows(max_col=limits.MAX_TABLE_COLS, values_only=True), budget) for ws in chosen]
    finally:
        workbook.close()


def _check_xlsx_package(path: Path) -> None:
    """XLSX is a zip too: refuse bombs before openpyxl inflates anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise DocumentReadError(str(path), "XLSX 文件已损坏，无法打开") from exc
    total = sum(info.file_size for info in infos)
    ratios = [info.file_size / info.compress_size for info in infos if info.compress_size]
    if total > limits.MAX_ZIP_TOTAL_BYTES * 3 or any(r > 1000 for r in ratios) or len(infos) > limits.MAX_ZIP_MEMBERS:
        raise DocumentReadError(str(path), "XLSX 文件解压后过大，疑似压缩炸弹")


def _csv_rows(path: Path, budget: _TextBudget) -> list[list[str]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise DocumentReadError(str(path), f"CSV 文件过大（上限 {MAX_CSV_BYTES // (1024 * 1024)} MB）")
    data = path.read_bytes()
    text = _decode(path, data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|，")
    except csv.Error:
        dialect = csv.excel
    try:
        return _trim(csv.reader(io.StringIO(text), dialect), budget)
    except csv.Error as exc:
        raise DocumentReadError(str(path), "CSV 文件格式错误", detail=str(exc)) from exc


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentReadError(str(path), "CSV 文件编码无法识别（支持 UTF-8、GBK、GB18030）")


def _trim(rows: Iterable[Iterable[Any]], budget: _TextBudget) -> list[list[str]]:
    """Rows as strings, capped in number and width; a long run of empty rows ends the sheet."""
    out: list[list[str]] = []
    empty_run = 0
    for raw in rows:
        row = [cell_text(value) for _, value in zip(range(limits.MAX_TABLE_COLS), raw, strict=False)]
        budget.spend(row)
        while row and not row[-1]:
            row.pop()
        if not row:
            empty_run += 1
            if empty_run > limits.MAX_TABLE_EMPTY_RUN:
                break
            out.append(row)
            continue
        empty_run = 0
        out.append(row)
        if len(out) >= limits.MAX_TABLE_ROWS:
            break
    while out and not out[-1]:
        out.pop()
    return out


def _to_page(number: int, rows: list[list[str]], dpi: int) -> Page:
    scale = dpi / 72
    lines: list[TextLine] = []
    for index, row in enumerate(rows):
        text = " ".join(cell for cell in row if cell)
        if not text:
            continue
        y0 = (20 + index * _ROW_HEIGHT_PT) * scale
        box = BBox(x0=20 * scale, y0=y0, x1=(20 + max(1, len(row)) * _COL_WIDTH_PT) * scale, y1=y0 + 14 * scale)
        lines.append(TextLine(text=text, raw_text="\t".join(row), bbox=box, confidence=1.0, source="table"))
    columns = max((len(row) for row in rows), default=1)
    width = (40 + columns * _COL_WIDTH_PT) * scale
    height = (40 + max(1, len(rows)) * _ROW_HEIGHT_PT) * scale
    return Page(
        number=number,
        width=round(width),
        height=round(height),
        dpi=dpi,
        lines=lines,
        text_source="table",
        table_rows=rows,
    )
