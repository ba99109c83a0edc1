"""A contract's total, as contracts write it after their amount caption.

``¥1,227,480.00`` or ``1227480.00元`` in figures, ``250万元`` / ``67.416万元`` in 万元, or only in
大写 in a form blank (``人民币贰佰伍拾万元整``). The figure wins when both are printed (the 大写 is
then the cross-check); the value's box holds the amount's characters only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from extractors.fields.amount_words import extract_words_span, parse_amount_words
from extractors.fields.canonical import money_str, to_decimal
from extractors.fields.contract_text import Joined
from extractors.fields.layout import Hit, Row

LABELS = (
    "合同总金额",
    "合同总价款",
    "合同总价",
    "合同金额",
    "合同价款",
    "合同总额",
    "总金额",
    "总价款",
    "含税总价",
    "总价",
    "服务费用总额",
    "费用总额",
    "合计金额",
    "价款合计",
    "金额合计",
    "费用合计",
    "总费用",
    "服务总价",
    "采购总价",
)
WINDOW = 80
_YEN = re.compile(r"[¥￥]\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)(?![\d,])")
_YUAN = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(万)?元")
_WORD_DIGITS = re.compile(r"[壹贰叁肆伍陆柒捌玖拾佰仟]")


def amount_in(text: str) -> tuple[str, int, int] | None:
    """The total in ``text`` (the window after a caption): value and its character span."""
    m = _YEN.search(text)
    if m:
        value = to_decimal(m.group(1))
        return (money_str(value), m.start(1), m.end(1)) if value is not None else None
    for m in _YUAN.finditer(text):
        digits = m.group(1)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        if _WORD_DIGITS.search(text[max(m.start() - 1, 0) : m.start()]) or decimals > (6 if m.group(2) else 2):
            continue
        value = to_decimal(digits)
        if value is not None and value > 0:
            scaled = value * (Decimal(10000) if m.group(2) else Decimal(1))
            return money_str(scaled), m.start(1), m.end(2) if m.group(2) else m.end(1)
    span = extract_words_span(text)
    if span is not None and any(u in span for u in "元圆"):
        try:
            value = parse_amount_words(span)
        except ValueError:
            return None
        start = text.find(span)
        return money_str(value), start, start + len(span)
    return None


def total_amount(rows: Sequence[Row]) -> Hit | None:
    """The first caption in reading order that is followed by an amount."""
    joined = Joined.of(rows)
    best: tuple[int, Hit] | None = None
    taken: list[tuple[int, int]] = []
    for label in sorted(LABELS, key=len, reverse=True):
        for m in re.finditer(re.escape(label), joined.text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found = amount_in(joined.text[m.end() : m.end() + WINDOW])
            if found is None:
                continue
            hit = joined.hit(m.end() + found[1], m.end() + found[2], found[0])
            if hit is not None and (best is None or m.start() < best[0]):
                best = (m.start(), hit)
    return best[1] if best else None
