"""营业执照 (business licences, 企业 and 个体工商户): identity fields read from their captions.

Every licence since the 2016 三证合一 format prints the same captions (名称, 类型, 法定代表人 or
经营者, 注册资本, 成立日期 or 注册日期, 营业期限, 住所 or 经营场所, 登记机关) in one or two
columns, each caption followed by its value on the same row. Captions are spaced out (名　　称), so
OCR splits them (``名`` | ``称米创想…``) or loses half of them to another row; a caption is
therefore looked for where a box starts, and a value runs to the next caption on its row. The
credit code is confirmed by its check character; the issue date is the date printed under 登记机关.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractors.fields.canonical import parse_date
from extractors.fields.common import confirm, contradict, make_field
from extractors.fields.label_values import label_value, search_rows
from extractors.fields.layout import Hit, Row, enclose, find_label, group_rows, placed_lines
from extractors.fields.licence_code import code_value, read_code
from extractors.fields.licence_values import CAPTIONS, Part, address_tail, issue_date, span_box, term_end, text_value
from models import Document, ExtractedField

NAME = "business_licence"
_BY_LENGTH = sorted(CAPTIONS, key=len, reverse=True)
_ANYWHERE = 4  # captions this long are captions wherever they stand (OCR may glue two columns)
_CODE_CAPTIONS = ("统一社会信用代码", "社会信用代码", "信用代码")


@dataclass(frozen=True)
class Caption:
    """A caption found on a row: which field it introduces and its span in the row text."""

    key: str
    row: Row
    start: int
    end: int


def captions(row: Row) -> list[Caption]:
    """The captions on a row, left to right: at the start of a box, or anywhere when long."""
    text = row.text
    starts = {s for s, _, _ in row.offsets()}
    found: list[Caption] = []
    pos = 0
    while pos < len(text):
        hit = next(
            (c for c in _BY_LENGTH if text.startswith(c, pos) and (pos in starts or len(c) >= _ANYWHERE)),
            None,
        )
        if hit is None:
            pos += 1
            continue
        found.append(Caption(CAPTIONS[hit], row, pos, pos + len(hit)))
        pos += len(hit)
    return found


def parts_of(row: Row, start: int, end: int) -> list[Part]:
    """The pieces of the row's lines covering ``start:end`` of its text, punctuation trimmed."""
    out: list[Part] = []
    for s, e, p in row.offsets():
        a, b = max(start, s) - s, min(end, e) - s
        if a >= b:
            continue
        piece = p.text[a:b]
        lead = len(piece) - len(piece.lstrip(":;：,， "))
        trail = len(piece) - len(piece.rstrip(":;：,， "))
        if a + lead < b - trail:
            out.append(Part(p, a + lead, b - trail))
    return out


def part_hit(parts: list[Part], value: str, rows: list[Row]) -> Hit:
    """The value's hit: the box of exactly its characters, the weakest line confidence."""
    box = enclose(span_box(q.placed, q.start, q.end, rows) for q in parts)
    return Hit(value, parts[0].placed.page, box, min(q.placed.line.confidence for q in parts), "same_line")


def caption_values(rows: list[Row]) -> dict[str, tuple[Caption, list[Part]]]:
    """For each field, the first caption with a non-empty value (text up to the next caption)."""
    out: dict[str, tuple[Caption, list[Part]]] = {}
    for row in rows:
        found = captions(row)
        for i, cap in enumerate(found):
            end = found[i + 1].start if i + 1 < len(found) else len(row.text)
            parts = parts_of(row, cap.end, end)
            if parts and cap.key not in out:
                out[cap.key] = (cap, parts)
    return out


Put = Callable[[str, Any, Hit], None]


def extract_licence(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
    rows = group_rows(placed_lines(doc))
    if not rows:
        return {}, {}
    fields: dict[str, ExtractedField] = {}

    def put(name: str, value: Any, hit: Hit) -> None:
        if value not in (None, "") and name not in fields:
            fields[name] = make_field(doc, value, hit, NAME, name=name)

    values = caption_values(rows)
    for key in ("company_name", "legal_representative", "registered_capital", "address"):
        if key in values:
            cap, parts = values[key]
            if key == "address":
                parts = parts + address_tail(rows, cap.row, parts)
            value = text_value(key, "".join(q.text for q in parts))
            if value:
                put(key, value, part_hit(parts, value, rows))
    for key, parse in (("established_date", parse_date), ("valid_until", term_end)):
        if key in values:
            cap, parts = values[key]
            value = parse("".join(q.text for q in parts))
            if value is not None:
                put(key, value, part_hit(parts, value, rows))
    _credit_code(doc, rows, fields)
    when = issue_date(rows, find_label(rows, ("登记机关",)))
    if when is not None:
        put("issue_date", when.value, when)
    return fields, {}


def _credit_code(doc: Document, rows: list[Row], fields: dict[str, ExtractedField]) -> None:
    """The code beside or under its caption, else any box holding a code that passes its check."""
    pairs = label_value(rows, _CODE_CAPTIONS, code_value)
    hits = [h for _, h in pairs] or [
        h for h in search_rows(rows, code_value) if read_code(h.value).valid and not _after_other_number(rows, h)
    ]
    if not hits:
        return
    ranked = sorted(hits, key=lambda h: not read_code(h.value).valid)
    hit = ranked[0]
    reading = read_code(hit.value)
    hit = _code_box(rows, hit)
    item = make_field(doc, reading.value, hit, NAME, name="credit_code")
    if reading.valid and not reading.repaired:
        item = confirm(item)
    elif reading.valid:
        item = item.model_copy(update={"confidence": min(item.confidence, 0.85)})
    else:
        item = contradict(item)
    fields["credit_code"] = item


def _after_other_number(rows: list[Row], hit: Hit) -> bool:
    """True for an 18-digit 证照编号 / 注册号 (not a credit code, however its digits happen to add up)."""
    for row in rows:
        if row.page == hit.page and row.bbox.vertical_overlap(hit.bbox) > 0.5:
            head = row.text.split(hit.value)[0]
            return head.endswith(("证照编号", "证照编号:", "注册号", "注册号:", "编号", "编号:"))
    return False


def _code_box(rows: list[Row], hit: Hit) -> Hit:
    """Narrow the hit to the code's own characters when its line also holds the caption."""
    for row in rows:
        for p in row.items:
            if p.page == hit.page and p.bbox == hit.bbox:
                at = p.text.upper().find(hit.value)
                if at > 0:
                    box = span_box(p, at, at + len(hit.value), rows)
                    return Hit(hit.value, hit.page, box, hit.confidence, hit.how)
                return hit
    return hit


__all__ = ["CAPTIONS", "extract_licence"]
