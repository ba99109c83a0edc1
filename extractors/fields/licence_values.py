"""The values of a 营业执照 once their captions are found: text as printed, the term's end, the
address wrapped onto the next line, and the date the registration authority signed under its name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.fields.canonical import find_dates, parse_date
from extractors.fields.layout import Hit, LabelHit, Placed, Row, char_width, enclose, sub_bbox
from models import BBox

# caption → field; one-character captions are the halves of a spaced caption OCR split off
CAPTIONS: dict[str, str] = {
    "名称": "company_name", "企业名称": "company_name", "称": "company_name",
    "类型": "company_type", "主体类型": "company_type", "型": "company_type",
    "法定代表人": "legal_representative", "经营者": "legal_representative", "负责人": "legal_representative",
    "执行事务合伙人": "legal_representative", "投资人": "legal_representative",
    "注册资本": "registered_capital", "注册资金": "registered_capital", "出资额": "registered_capital",
    "成立日期": "established_date", "注册日期": "established_date",
    "营业期限": "valid_until", "经营期限": "valid_until", "合伙期限": "valid_until",
    "住所": "address", "经营场所": "address", "主要经营场所": "address", "营业场所": "address", "所": "address",
    "经营范围": "scope", "组成形式": "composition", "登记机关": "authority", "证照编号": "licence_number",
    "统一社会信用代码": "credit_code", "注册号": "registration_number",
}  # fmt: skip


@dataclass(frozen=True)
class Part:
    """A piece of one line that belongs to a value: the line and the character span in it."""

    placed: Placed
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.placed.text[self.start : self.end]


_OPEN_ENDED = ("长期", "永久", "不约定期限", "无固定期限")


_PAD = 0.25  # an OCR box's margin around its glyphs, both sides together, in line heights


def _em(p: Placed, rows: Sequence[Row]) -> float | None:
    """Width of one CJK character on ``p``'s page at its size: the median over lines of that height
    (most lines hold no gap; the narrowest can be misleading on a photo)."""
    h = p.bbox.height
    ems = [
        (q.bbox.width - _PAD * h) / total
        for r in rows
        if r.page == p.page
        for q in r.items
        if abs(q.bbox.height - h) <= 0.15 * h and len(q.text) >= 4 and (total := sum(map(char_width, q.text))) > 0
    ]
    ems.sort()
    return ems[len(ems) // 2] if ems else None


def span_box(p: Placed, start: int, end: int, rows: Sequence[Row] = ()) -> BBox:
    """The box of characters ``start:end`` of a line. OCR drops the gaps of spaced captions
    (名　　称) from the text but not from the box, so a value ending its line is measured back from
    the line's right edge in character widths; otherwise characters share the width by their size."""
    text = p.text
    if not 0 <= start < end <= len(text):
        return p.bbox
    if p.spans is not None:
        return sub_bbox(p, start, end)
    box = p.bbox
    widths = [char_width(ch) for ch in text]
    total = sum(widths)
    share = box.width / total if total > 0 else 0.0
    x0 = box.x0 + share * sum(widths[:start])
    x1 = box.x0 + share * sum(widths[:end])
    em = _em(p, rows) if end == len(text) and start > 0 else None
    if em is not None and em < share * 1.02:
        x0 = max(x0, box.x1 - _PAD * box.height / 2 - em * sum(widths[start:end]))
    return BBox(x0=x0, y0=box.y0, x1=max(x1, x0 + 1), y1=box.y1)


def text_value(key: str, text: str) -> str | None:
    """The value as printed, without the punctuation around it; an address gets back a closing
    bracket OCR dropped at its very end (addresses print ``…首层之七（住所申报）``)."""
    value = text.strip(" :;,，。、")
    if key == "address" and value.count("(") > value.count(")") and value.rfind("(") > value.rfind(")"):
        value += ")"
    if len(value) < 2:
        return None
    return value


def term_end(text: str) -> str | None:
    """The end of 营业期限: ``长期`` (or another open end) as printed, else the last date."""
    for word in _OPEN_ENDED:
        if word in text:
            return word
    dates = find_dates(text)
    return dates[-1][0].isoformat() if dates else None


def address_tail(rows: list[Row], row: Row, parts: list[Part]) -> list[Part]:
    """Lines continuing the address under its first line, in the same column, up to two of them."""
    last = enclose(span_box(q.placed, q.start, q.end) for q in parts)
    start_x = last.x0
    h = max(last.height, 1.0)
    out: list[Part] = []
    below = [r for r in rows if r.page == row.page and r.bbox.center[1] > last.y1 - 0.3 * h]
    for nxt in sorted(below, key=lambda r: r.bbox.y0)[:3]:
        column = [
            p for p in nxt.items if start_x - 1.5 * h <= p.bbox.x0 <= start_x + 6 * h and p.bbox.y0 - last.y1 < 0.8 * h
        ]
        if not column or any(_starts_caption(p.text) for p in column):
            break
        piece = column[0]
        out.append(Part(piece, 0, len(piece.text)))
        last = piece.bbox
    return out


def _starts_caption(text: str) -> bool:
    return any(text.startswith(c) for c in CAPTIONS if len(c) >= 2)


def issue_date(rows: list[Row], authority: list[LabelHit]) -> Hit | None:
    """The date printed under (or beside) 登记机关, read across the boxes OCR split it into."""
    for label in authority:
        box = label.bbox
        h = max(box.height, 1.0)
        near = [r for r in rows if r.page == label.row.page and box.y0 - 0.5 * h <= r.bbox.y0 <= box.y1 + 6 * h]
        for row in sorted(near, key=lambda r: r.bbox.y0):
            items = [p for p in row.items if p.bbox.x1 >= box.x0 - 3 * h and "于" not in p.text]
            if not items:
                continue
            text = "".join(p.text for p in items)
            dates = find_dates(text)
            if not dates:
                continue
            day, start, end = dates[0]
            pos, used = 0, []
            for p in items:
                if pos < end and start < pos + len(p.text):
                    used.append(span_box(p, max(start - pos, 0), min(end - pos, len(p.text)), rows))
                pos += len(p.text)
            conf = min(p.line.confidence for p in items)
            return Hit(day.isoformat(), row.page, enclose(used), conf, "below")
    return None


__all__ = ["address_tail", "issue_date", "parse_date", "term_end", "text_value"]
