"""大写 money amounts as invoices and contracts print them (壹拾万零陆仟圆整, 肆拾捌圆玖角整).

Written by hand because general converters (cn2an) reject real invoice forms: 圆 instead of 元,
整/正 after 角, a leading 人民币 or ⊗, and OCR variants such as 园 or traditional 貳.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

_DIGITS = {
    "零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "叁": 3, "參": 3, "参": 3,
    "三": 3, "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7,
    "捌": 8, "八": 8, "玖": 9, "九": 9,
}  # fmt: skip
_SMALL_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_WAN = {"万", "萬"}
_YI = {"亿", "億"}
_YUAN = {"圆", "元", "园", "員"}
_END = {"整", "正"}

_UPPER = "零壹贰叁肆伍陆柒捌玖"
_PREFIX = re.compile(r"^(?:人民币|人民幣|RMB|¥|⊗|ⓧ|⊕|\(?大写\)?|[:\s])+")
_NEGATIVE = re.compile(r"^(?:负数?|\(负数\)|（负数）|-)")

WORD_CHARS = frozenset(_DIGITS) | frozenset(_SMALL_UNITS) | _WAN | _YI | _YUAN | _END | {"角", "分"}
_WORD_RUN = re.compile(r"[负]?[" + "".join(sorted(WORD_CHARS)) + r"]{2,}")
_WHITESPACE = re.compile(r"\s+")


def _parse_integer(text: str) -> int:
    total = 0
    section = 0
    number: int | None = None
    prev_digit = False
    for ch in text:
        if ch in _DIGITS:
            d = _DIGITS[ch]
            if prev_digit and number not in (None, 0) and d != 0:
                raise ValueError(f"两个数字相连: {text}")
            number = d
            prev_digit = True
            continue
        prev_digit = False
        if ch in _SMALL_UNITS:
            section += (1 if number is None else number) * _SMALL_UNITS[ch]
        elif ch in _WAN:
            total += (section + (number or 0)) * 10_000
            section = 0
        elif ch in _YI:
            total = (total + section + (number or 0)) * 100_000_000
            section = 0
        else:
            raise ValueError(f"无法识别的大写字符 {ch!r}")
        number = None
    return total + section + (number or 0)


def parse_amount_words(text: str) -> Decimal:
    """The amount a 大写 string states; raises ``ValueError`` when it is not a well-formed amount."""
    s = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    s = _PREFIX.sub("", s)
    negative = bool(_NEGATIVE.match(s))
    s = _NEGATIVE.sub("", s)
    s = s.rstrip("整正")
    if not s:
        raise ValueError("空的大写金额")
    yuan_at = next((i for i, ch in enumerate(s) if ch in _YUAN), -1)
    if yuan_at >= 0:
        int_part, frac = s[:yuan_at], s[yuan_at + 1 :]
    elif "角" in s or "分" in s:
        int_part, frac = "", s
    else:
        raise ValueError(f"缺少 圆/元: {text}")
    value = Decimal(_parse_integer(int_part)) if int_part else Decimal(0)
    if not int_part and yuan_at >= 0:
        raise ValueError(f"圆前没有数字: {text}")
    value += _parse_fraction(frac, text)
    return -value if negative else value


def _parse_fraction(frac: str, original: str) -> Decimal:
    m = re.fullmatch(r"(?:零)?(?:(?P<jiao>[^角分零])角)?(?:零)?(?:(?P<fen>[^角分零])分)?", frac)
    if m is None:
        raise ValueError(f"角分部分不合规: {original}")
    out = Decimal(0)
    for group, scale in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        ch = m[group]
        if ch is not None:
            if ch not in _DIGITS:
                raise ValueError(f"角分部分不合规: {original}")
            out += _DIGITS[ch] * scale
    return out


def _group_words(g: int) -> str:
    out = ""
    zero_pending = False
    for unit_value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = g // unit_value % 10
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += _UPPER[d] + unit
    return out


def integer_words(n: int) -> str:
    """A non-negative integer in 大写 with the 零 rules invoices use (壹拾万零陆仟)."""
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    units = ["", "万", "亿", "万亿"]
    out = ""
    zero_pending = False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            zero_pending = bool(out)
            continue
        # 零 after 万/亿 when the digit before the unit is 0 too (壹拾万零陆仟), as invoices print it
        if out and (zero_pending or g < 1000 or groups[i + 1] % 10 == 0):
            out += "零"
        out += _group_words(g) + units[i]
        zero_pending = False
    return out


def format_amount_words(amount: Decimal) -> str:
    """The 大写 form a tax-control system prints: 圆, 角, 分, and 整 when there are no 分."""
    cents = int((abs(amount) * 100).to_integral_value())
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    sign = "负" if amount < 0 else ""
    head = "" if yuan == 0 and (jiao or fen) else integer_words(yuan) + "圆"
    if jiao == 0 and fen == 0:
        return sign + head + "整"
    if fen == 0:
        return sign + head + _UPPER[jiao] + "角整"
    if jiao == 0:
        return sign + head + ("零" if head else "") + _UPPER[fen] + "分"
    return sign + head + _UPPER[jiao] + "角" + _UPPER[fen] + "分"


def extract_words_span(text: str) -> str | None:
    """The longest run of 大写 characters in ``text`` that parses as an amount, as printed."""
    best: str | None = None
    for m in _WORD_RUN.finditer(text):
        candidate = m.group(0)
        try:
            parse_amount_words(candidate)
        except ValueError:
            continue
        if best is None or len(candidate) > len(best):
            best = candidate
    return best


def _slips() -> dict[int, str]:
    """numeral_slips.csv (scripts/numeral_slips.py): characters the recogniser reads for one 大写 character."""
    path = Path(__file__).with_name("numeral_slips.csv")
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {ord(row["slip"]): row["numeral"] for row in rows}


_SLIPS = _slips()


def repair_slips(text: str) -> str:
    """``text`` with each look-alike of a 大写 character (染 for 柒) read as that character."""
    return text.translate(_SLIPS)
