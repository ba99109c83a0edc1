"""True boxes of field values, from the strings the generator drew (truth.json ``documents[].boxes``).

A field's box is where its value is printed and nothing else (no label), in pixels at the product's
raster dpi, on the upright page: ``[page, x0, y0, x1, y1]``. The value is looked for in the forms a
document prints it (dates as 2023年5月25日, amounts grouped or in 大写); the first occurrence in drawing
order is the box, later ones go to ``box_alternatives`` (a party named on the cover and at the seals).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth

from sample_docs.gen import amounts
from sample_docs.gen.contract_layouts import numeral_date
from sample_docs.gen.render import FONT, RECORDERS, Drawn, register_font

RASTER_DPI = 200  # the product's default EVIDENCE_RASTER_DPI: every bbox it reports is at this dpi
ASCENT, DESCENT = 0.88, 0.12  # of the font size, for WenQuanYi Micro Hei
# Fields whose value is a classification or a count, not a printed string one can point at.
UNBOXED = frozenset({"cert_type", "level", "rows", "items", "tax_rate"})

Box = list[float | int]


@contextlib.contextmanager
def recording() -> Iterator[list[Drawn]]:
    """Collect every string drawn inside the block."""
    drawn: list[Drawn] = []
    RECORDERS.append(drawn)
    try:
        yield drawn
    finally:
        RECORDERS.remove(drawn)


def printed_forms(value: Any) -> list[str]:
    """The ways a truth value may appear on the page, most specific first."""
    if not isinstance(value, str) or len(value) < 2:
        return []
    forms = [value]
    with contextlib.suppress(ValueError):
        d = date.fromisoformat(value)
        forms = [
            f"{d.year}年{d.month}月{d.day}日",
            f"{d.year}年{d.month:02d}月{d.day:02d}日",
            f"{d.year} 年 {d.month} 月 {d.day} 日",
            f"{d.year}-{d.month:02d}-{d.day:02d}",
            f"{d.year}.{d.month:02d}.{d.day:02d}",
            d.strftime("%B %d, %Y"),
            d.strftime("%d %B %Y"),
            numeral_date(d),
        ]
    if "." in value:
        with contextlib.suppress(InvalidOperation, ValueError):
            money = Decimal(value)
            forms = [
                amounts.fmt_grouped(money),
                value,
                f"{amounts.q(money) / 10000:f}".rstrip("0").rstrip(".") + "万",
                amounts.to_words(money, yuan="元"),
                amounts.to_words(money),
            ]
    return list(dict.fromkeys(forms))


def _box(d: Drawn, start: int, value: str, dpi: int) -> Box:
    register_font()
    full = stringWidth(d.s, FONT, d.size)
    left = d.x - (full / 2 if d.align == "centre" else full if d.align == "right" else 0)
    x0 = left + stringWidth(d.s[:start], FONT, d.size)
    x1 = x0 + stringWidth(value, FONT, d.size)
    top, bottom = d.y + ASCENT * d.size, d.y - DESCENT * d.size
    k = dpi / 72
    return [d.page, round(x0 * k, 1), round((d.page_height - top) * k, 1), round(x1 * k, 1),
            round((d.page_height - bottom) * k, 1)]  # fmt: skip


def _whole(s: str, start: int, end: int) -> bool:
    """The value stands on its own in the string: a name not inside a longer one (the party inside the
    project title 阳泉××有限公司企业上云服务项目), a number or date not inside a longer number."""
    before = s[start - 1] if start > 0 else " "
    after = s[end] if end < len(s) else " "
    if any(unicodedata.east_asian_width(c) == "W" for c in s[start:end]):
        return not (before.isalnum() and before not in "由与和及") and not after.isalnum()
    return not (before.isdigit() or after.isdigit())


def occurrences(drawn: list[Drawn], value: Any, dpi: int = RASTER_DPI) -> list[Box]:
    """Every box where one printed form of ``value`` stands, in drawing order (the first form found);
    places where it stands on its own come before places inside a longer string."""
    for form in printed_forms(value):
        spots = [(d, d.s.find(form)) for d in drawn if form in d.s]
        if spots:
            spots.sort(key=lambda ds: not _whole(ds[0].s, ds[1], ds[1] + len(form)))
            return [_box(d, start, form, dpi) for d, start in spots]
    return []


def field_boxes(
    drawn: list[Drawn], fields: dict[str, Any], dpi: int = RASTER_DPI
) -> tuple[dict[str, Box], dict[str, list[Box]]]:
    """``boxes`` (field → its first box) and ``box_alternatives`` (field → the other places)."""
    boxes: dict[str, Box] = {}
    others: dict[str, list[Box]] = {}
    for name, value in fields.items():
        if name in UNBOXED:
            continue
        found = occurrences(drawn, value, dpi)
        if found:
            boxes[name] = found[0]
            if len(found) > 1:
                others[name] = found[1:]
    return boxes, others
