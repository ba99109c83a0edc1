"""Numbers inside an enterprise name as one value, however they are written.

北京京东叁佰陆拾度, 北京京东三百六十度, 北京京东360度 and an OCR's 北京京东36O度 are one registered
name: the 字号's number is written in 大写, 小写 or Arabic figures (and OCR swaps O/0, I/L/1).
Each run is rewritten as its Arabic value, so different numbers stay different (三百六十 ≠ 三百五十).
A single character (统一, 万达, 百度, 第一) is left alone: it is a word far more often than a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_CHINESE_RUN = re.compile(f"[{''.join(_DIGITS)}{''.join(_UNITS)}{''.join(_BIG)}]{{2,}}")
# Arabic figures with the letters OCR reads for them (after normalisation Latin is upper-case);
# at least two real digits, and no Latin letter glued on either side (O2O, B2B stay words).
_ARABIC_RUN = re.compile(r"(?<![A-Z0-9])[0-9OIL]*[0-9][0-9OIL]*[0-9][0-9OIL]*(?![A-Z0-9])")
_LETTER_DIGITS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class Numeral:
    """One number as written in the name and as compared."""

    written: str
    value: str


def chinese_value(text: str) -> int | None:
    """The value of a Chinese numeral (三百六十, 叁佰陆拾, 三六〇, 一万零五), or None if malformed."""
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    last_unit = 10**9
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0:
                return None  # two digits without a unit between them: 三六百
            digit = _DIGITS[ch] if _DIGITS[ch] != 0 else None
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # units must fall: 百十, 十百
            section += (digit if digit is not None else 1) * unit
            digit, last_unit = None, unit
        else:
            big = _BIG[ch]
            section += digit or 0
            if section == 0 or big <= total:
                return None
            total = (total + section) * big
            section, digit, last_unit = 0, None, 10**9
    return total + section + (digit or 0)


def _arabic(text: str) -> str:
    return text.translate(_LETTER_DIGITS)


def canonical_numerals(text: str) -> tuple[str, tuple[Numeral, ...]]:
    """``text`` with every numeral run as Arabic figures, and the runs that were rewritten."""
    found: list[Numeral] = []

    def chinese(match: re.Match[str]) -> str:
        value = chinese_value(match.group())
        if value is None:
            return match.group()
        found.append(Numeral(match.group(), str(value)))
        return str(value)

    def arabic(match: re.Match[str]) -> str:
        value = _arabic(match.group())
        if value != match.group():
            found.append(Numeral(match.group(), value))
        return value

    out = _CHINESE_RUN.sub(chinese, text)
    out = _ARABIC_RUN.sub(arabic, out)
    return out, tuple(found)
