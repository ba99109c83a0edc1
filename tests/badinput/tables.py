"""Detail tables (投资明细表) that stress a reader: a pathological XLSX and a GBK-encoded CSV.

The XLSX is written as raw SpreadsheetML so that a million styled empty rows stay a few
hundred kilobytes on disk (the sheet XML is streamed into the zip, never held whole).
"""

from __future__ import annotations

import io
import zipfile

HEADER = ["序号", "合同编号", "发票号码", "金额", "日期", "供应商", "内容"]
VISIBLE_INVOICES = ("24112000000011110001", "24112000000011110002")
HIDDEN_INVOICE = "24112000000099990000"
EMPTY_ROWS_TO = 1_000_000
_COLUMNS = "ABCDEFG"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="投资明细表" sheetId="1" r:id="rId1"/>'
    '<sheet name="草稿" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet2.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number: int, cells: list[str]) -> str:
    return f'<row r="{number}">' + "".join(cells) + "</row>"


def _data_row(number: int, seq: int, invoice: str, amount: tuple[str, str], vendor: str) -> str:
    formula, cached = amount
    return _row(
        number,
        [
            f'<c r="A{number}"><v>{seq}</v></c>',
            _text(f"B{number}", f"HT-2024-00{seq}"),
            _text(f"C{number}", invoice),
            f'<c r="D{number}" s="1"><f>{formula}</f><v>{cached}</v></c>',
            _text(f"E{number}", "2024-03-15"),
            _text(f"F{number}", vendor),
            _text(f"G{number}", "云服务器租用"),
        ],
    )


def _visible_sheet_rows() -> list[str]:
    header = [_text(f"{col}2", name) for col, name in zip(_COLUMNS, HEADER, strict=True)]
    return [
        _row(1, [_text("A1", "2024年企业上云投资明细表")]),
        _row(2, header),
        _data_row(3, 1, VISIBLE_INVOICES[0], ("100000+6000", "106000"), "阿里云计算有限公司"),
        _data_row(4, 2, VISIBLE_INVOICES[1], ("D3/2", "53000"), "华为云计算技术有限公司"),
        _row(5, [_text("A5", "合计"), '<c r="D5" s="1"><f>SUM(D3:D4)</f><v>159000</v></c>']),
    ]


def pathological_xlsx() -> bytes:
    """Formulas (with cached values), a merged title and total, a hidden sheet, 1,000,000 styled empty rows."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{_SHEET_HEAD}<dimension ref="A1:G{EMPTY_ROWS_TO}"/><sheetData>'.encode())
            sheet.write("".join(_visible_sheet_rows()).encode())
            for start in range(6, EMPTY_ROWS_TO + 1, 100_000):
                numbers = range(start, min(start + 100_000, EMPTY_ROWS_TO + 1))
                sheet.write("".join([f'<row r="{n}"><c r="D{n}" s="1"/></row>' for n in numbers]).encode())
            sheet.write(b'</sheetData><mergeCells count="2"><mergeCell ref="A1:G1"/><mergeCell ref="A5:C5"/>'
                        b"</mergeCells></worksheet>")
        hidden_rows = [
            _row(1, [_text(f"{col}1", name) for col, name in zip(_COLUMNS, HEADER, strict=True)]),
            _data_row(2, 1, HIDDEN_INVOICE, ("1+1", "2"), "草稿供应商有限公司"),
        ]
        hidden = f"{_SHEET_HEAD}<sheetData>{''.join(hidden_rows)}</sheetData></worksheet>"
        package.writestr("xl/worksheets/sheet2.xml", hidden)
    return buf.getvalue()


def gbk_csv() -> bytes:
    """A detail table saved by Excel on a Chinese Windows: GBK, CRLF, no BOM."""
    rows = [
        ",".join(HEADER),
        f"1,HT-2024-001,{VISIBLE_INVOICES[0]},106000.00,2024-03-15,阿里云计算有限公司,云服务器租用",
        f"2,HT-2024-002,{VISIBLE_INVOICES[1]},53000.00,2024-03-16,华为云计算技术有限公司,对象存储",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


def future_zip_version_xlsx() -> bytes:
    """A small XLSX whose central directory says "version needed to extract: 23.3" (no reader has it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _WORKBOOK)
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (233).to_bytes(2, "little")
    return bytes(data)


def hostile_numbers_csv() -> bytes:
    """Cells a spreadsheet export can hold that break naive number handling: 1E+999999999, NaN, Infinity."""
    rows = [
        ",".join(HEADER),
        f"1,HT-2024-001,{VISIBLE_INVOICES[0]},106000.00,2024-03-15,阿里云计算有限公司,云服务器租用",
        "2,1E+999999999,1E+999999999,NaN,99999999,某公司,溢出",
        "3,HT-2024-003,24112000000011110003,Infinity,2024-13-45,某公司,无穷",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")
