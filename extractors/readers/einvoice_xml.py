"""The standalone 数电票 XML: parsed safely (defusedxml: no entities, no DTDs) into ``structured``.

The XML has no layout, so its page carries one synthetic line per field ("label：value") for
classification and display; the values the field extractor needs are in ``structured``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from extractors.errors import DocumentReadError
from extractors.readers.invoice_data import invoice_fields
from models import BBox, Page, TextLine
from models.document import LineSource, TextSource
from models.field_names import FIELDS

_PRINTED_AS = {"amount_excl_tax": "合计金额", "tax_amount": "合计税额", "total_incl_tax": "价税合计（小写）"}
"""Captions a 数电票 prints in place of the field's label."""
LABELS: dict[str, str] = {
    name: _PRINTED_AS.get(name, label) for name, label in FIELDS["invoice"].items() if name != "line_items"
}
"""The caption each field is drawn under on the page an XML invoice is shown as (the same order)."""


def read_invoice_xml(path: Path, dpi: int) -> tuple[list[Page], TextSource, dict[str, Any] | None]:
    try:
        root = parse(str(path)).getroot()
    except DefusedXmlException as exc:
        raise DocumentReadError(str(path), "XML 文件含有不安全的实体或 DTD，已拒绝读取") from exc
    except (SyntaxError, ValueError, OSError) as exc:  # ParseError is a SyntaxError
        raise DocumentReadError(str(path), "XML 文件格式错误，无法解析", detail=str(exc)) from exc
    fields = invoice_fields(root)
    if not fields.get("invoice_number"):
        raise DocumentReadError(str(path), "XML 文件不是可识别的电子发票数据")
    return [synthetic_page(fields, dpi, source="xml")], "xml", fields


def synthetic_page(fields: dict[str, Any], dpi: int, *, source: LineSource) -> Page:
    """An A4 page listing the structured fields, one line each, so every document has lines to show."""
    scale = dpi / 72
    lines: list[TextLine] = []
    y = 60.0
    entries: list[str] = [f"{LABELS[name]}：{fields[name]}" for name in LABELS if fields.get(name)]
    entries += [f"{item.get('name', '')} {item.get('amount', '')}".strip() for item in fields.get("line_items", [])]
    for text in entries:
        box = BBox(x0=40 * scale, y0=y * scale, x1=(40 + 10 * len(text)) * scale, y1=(y + 12) * scale)
        lines.append(TextLine(text=text, raw_text=text, bbox=box, confidence=1.0, source=source))
        y += 18
    page_source: TextSource = "ofd" if source == "ofd" else "xml"
    width, height = round(595 * scale), round(842 * scale)
    return Page(number=1, width=width, height=height, dpi=dpi, lines=lines, text_source=page_source)
