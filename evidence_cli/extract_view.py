"""``evidence extract``'s table output for people: one field per row, fit for an 80-column terminal.

Each file gets a heading (its path relative to the working folder, type, pages, text source) and a
table of its fields by Chinese label with value, confidence, source and page; a field holding rows
(an invoice's line items, a 投资明细表's rows) gets a small table of its own, its columns named by
the captions the extractors read them from.
"""

from __future__ import annotations

from typing import Any

import click

from evidence_cli.common import one_line, print_table, shown_path
from extractors.fields.detail_table import COLUMNS as TABLE_COLUMNS
from extractors.fields.invoice_table import COLUMN_CAPTIONS
from models import Document
from models.field_names import field_label
from review.labels import DOC_TYPE_LABELS, source_label

COLUMN_LABELS = {
    **{key: captions[0] for key, captions in TABLE_COLUMNS.items()},
    **{key: captions[0] for key, captions in COLUMN_CAPTIONS.items()},
}


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return (
            f"（{len(value)} 行，见下表）"
            if value and all(isinstance(v, dict) for v in value)
            else "、".join(map(str, value))
        )
    return one_line("" if value is None else value)


def _rows_table(title: str, rows: list[dict[str, Any]]) -> None:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    header = ["#", *(COLUMN_LABELS.get(k) or field_label(k) for k in keys)]
    print_table(title, header, [[i, *(_cell(row.get(k)) for k in keys)] for i, row in enumerate(rows, 1)])


def print_document(doc: Document) -> None:
    """The heading, the fields table and the tables of row-valued fields of one document."""
    path = shown_path(doc.path)
    kind = DOC_TYPE_LABELS.get(doc.doc_type, doc.doc_type)
    click.echo(f"\n{path}  {kind} · {len(doc.pages)} 页 · 文字来源：{source_label(doc.text_source) or '—'}")
    rows = [
        (
            field_label(name),
            _cell(found.value),
            f"{found.confidence:.2f}",
            source_label(found.source) if found.source else "—",
            found.page or "—",
        )
        for name, found in doc.fields.items()
    ]
    print_table(None, ["字段", "值", "置信度", "来源", "页"], rows or [("（未提取到字段）", "", "", "", "")])
    for name, found in doc.fields.items():
        value = found.value
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            _rows_table(f"{path}：{field_label(name)}", value)


def print_lines(doc: Document) -> None:
    """Every positioned text line of the document (``--lines``)."""
    rows = [
        (
            page.number,
            f"{line.confidence:.2f}",
            _box(line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1),
            one_line(line.text),
        )
        for page in doc.pages
        for line in page.lines
    ]
    print_table(f"{shown_path(doc.path)}：文字行", ["页", "置信度", "位置 (x0,y0,x1,y1)", "文字"], rows)


def _box(*coords: float) -> str:
    return ",".join(f"{c:.0f}" for c in coords)
