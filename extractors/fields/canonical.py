"""Value normalisers shared by the extractors: text, dates, money, tax ids (docs/REFERENCE.md §3 formats)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# OCR and font substitutions seen on real documents, mapped to the canonical character.
_CONFUSABLES = str.maketrans(
    {
        "曰": "日",
        "囗": "口",
        "〇": "0",
        "○": "0",
        "Ｏ": "0",
        "—": "-",
        "–": "-",
        "－": "-",
        "／": "/",
        "¥": "¥",
        "★": "*",
        "☆": "*",
        "✱": "*",
        "⁎": "*",
        "※": "*",
        "￥": "¥",
    }
)


#: OCR slips inside captions (发票号玛): folded only where captions are searched, never in values,
#: where the same characters are real (沃尔玛, 骑士)
CAPTION_SLIPS = str.maketrans({"玛": "码", "吗": "码", "祸": "码", "骑": "码"})

_WHITESPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """NFKC (full-width colons, brackets and digits to ASCII) without whitespace, for comparisons."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).translate(_CONFUSABLES))


def clean_keep_space(text: str) -> str:
    """Like :func:`clean` but keeps single spaces, where spaces separate tokens (table rows)."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)).strip()


_DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"),
    # 月 read as its look-alike 日/曰/目 by OCR: the closing 日 still says which number is the day
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*[日曰目]\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>(?:19|20)\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
)

_MONTH_NAMES = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
_EN_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_EN_DATE = re.compile(
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<m1>{_MONTH_NAMES})\.?,?\s*(?P<y1>(?:19|20)\d{{2}}))"
    rf"|(?:(?P<m2>{_MONTH_NAMES})\.?\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<y2>(?:19|20)\d{{2}}))",
    re.IGNORECASE,
)


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every valid calendar date in ``text`` with its character span, in reading order."""
    found: list[tuple[dt.date, int, int]] = []
    norm = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(norm):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            try:
                day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append((day, m.start(), m.end()))
    for m in _EN_DATE.finditer(norm):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        mon = (m["m1"] or m["m2"] or "")[:3].lower()
        if mon not in _EN_MONTHS:
            continue
        try:
            day = dt.date(int(m["y1"] or m["y2"]), _EN_MONTHS[mon], int(m["d1"] or m["d2"]))
        except ValueError:
            continue
        taken.append((m.start(), m.end()))
        found.append((day, m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``; ``None`` when there is none."""
    dates = find_dates(text)
    return dates[0][0].isoformat() if dates else None


_MONEY = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d])|(?<![\d.])-?\d+\.\d{1,2}(?![\d.%])")
_MONEY_LOOSE = re.compile(r"(?<![\d.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\d.])-?\d+(?:\.\d+)?(?![\d.%])")


_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")
_SPACE_IN_NUMBER = re.compile(r"(?<=[\d,])\s+(?=[\d,.])")
_LEADING_PUNCT = re.compile(r"^[\s:：;；,，.、)）\]】_＿]+")  # _: a form blank's underline read as text


def money_str(value: Decimal) -> str:
    """Two decimals, no separators: the contract's money format."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def to_decimal(token: str) -> Decimal | None:
    """A money token (separators, ¥, spaces allowed) as a Decimal; ``None`` when it is not a number."""
    cleaned = clean(token).replace(",", "").replace("¥", "").replace("元", "")
    if not _DECIMAL.fullmatch(cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if abs(value) < Decimal("1e13") else None


def find_money(text: str, *, need_decimals: bool = True) -> list[tuple[Decimal, int, int]]:
    """Money-looking numbers in ``text``; with ``need_decimals`` only ``123.45``-style amounts."""
    norm = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    norm = _SPACE_IN_NUMBER.sub("", norm)
    pattern = _MONEY if need_decimals else _MONEY_LOOSE
    out: list[tuple[Decimal, int, int]] = []
    for m in pattern.finditer(norm):
        value = to_decimal(m.group(0))
        if value is not None:
            out.append((value, m.start(), m.end()))
    return out


_TAX_ID = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])")


_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def strip_label_punct(text: str) -> str:
    """Remove leading colons/brackets left between a label and its value."""
    return _LEADING_PUNCT.sub("", text).strip()
