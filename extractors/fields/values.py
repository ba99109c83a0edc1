"""Validators for values next to a label: each takes the text after the label and returns the value or None."""

from __future__ import annotations

import re

from extractors.fields.amount_words import extract_words_span, parse_amount_words
from extractors.fields.canonical import find_dates, find_money, money_str, parse_date, strip_label_punct

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "两": 2}


def cn_number(text: str) -> int | None:
    """1-5 from ``3``, ``三`` or ``叁``."""
    if text.isdigit():
        return int(text)
    return _CN_NUM.get(text)


def date_value(text: str) -> str | None:
    return parse_date(strip_label_punct(text)[:24])


def two_dates(text: str) -> tuple[str, str] | None:
    dates = find_dates(text)
    if len(dates) >= 2:
        return dates[0][0].isoformat(), dates[1][0].isoformat()
    return None


_OFFICIAL_NUMBER = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{0,8}[（(〔\[【]\s*(?:19|20)\d{2}\s*[）)〕\]】][\u4e00-\u9fffA-Za-z]{0,8}第?\s*\d{1,6}\s*号)"
)


def identifier(text: str) -> str | None:
    """A document number: letters, digits and - _ / ( ) with at least three digits, or an official
    one with its year in brackets (（2023）晋云字第018号, 晋数〔2023〕18号)."""
    head = strip_label_punct(text).replace("：", ":").lstrip(":")
    official = _OFFICIAL_NUMBER.match(head.strip())
    if official is not None:
        return re.sub(r"\s+", "", official.group(1))
    m = re.match(r"(?:No\.?|NO\.?)?\s*([A-Za-z0-9][A-Za-z0-9\-_/()（）〔〕\[\].]{3,40})", head)
    if m is None:
        return None
    value = m.group(1).rstrip(".-_/")
    return value if sum(c.isdigit() for c in value) >= 3 else None


def money_value(text: str) -> str | None:
    """The first amount after the label in figures (``¥106,000.00``, ``106000元``), else in 大写."""
    head = strip_label_punct(text)
    for value, _start, end in find_money(head, need_decimals=False):
        if any(u in head[end : end + 2] for u in ("%", "年", "月", "日", "个", "天", "号")):
            continue
        if abs(value) >= 1:
            scale = 10000 if head[end : end + 2].startswith("万") else 1
            return money_str(value * scale)
    span = extract_words_span(head)
    if span is not None:
        try:
            return money_str(parse_amount_words(span))
        except ValueError:
            return None
    return None
