"""Money as invoices print it: 小写 with ¥ and two decimals, 大写 in the 圆/角/分/整 form."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿")

CENT = Decimal("0.01")


def q(value: Decimal | int | str) -> Decimal:
    """Round to cents, half up, as tax software does."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """docs/REFERENCE.md §3 money: two decimals, no separators."""
    return f"{q(value):.2f}"


def fmt_grouped(value: Decimal) -> str:
    return f"{q(value):,.2f}"


def _four(n: int) -> str:
    """Words for 0 < n < 10000, with inner zeros collapsed into one 零."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[d] + _SMALL_UNITS[pos]
    return out


def to_words(value: Decimal, yuan: str = "圆", whole: str = "整") -> str:
    """大写 of a non-negative amount, e.g. 48.90 → 肆拾捌圆玖角整, 1005.03 → 壹仟零伍圆零叁分."""
    cents = int(q(value) * 100)
    integer, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = ""
    if integer:
        groups = []
        n = integer
        while n:
            groups.append(n % 10000)
            n //= 10000
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(words)
                continue
            if words and (need_zero or g < 1000):
                words += "零"
            words += _four(g) + _BIG_UNITS[idx]
            need_zero = False
        words += yuan
    if jiao == 0 and fen == 0:
        return (words or "零" + yuan) + whole
    if jiao:
        words += DIGITS[jiao] + "角"
    elif integer:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += whole
    return words


def from_words(text: str) -> Decimal:
    """Parse 大写 (圆/元, 整/正, 零 rules); the inverse of :func:`to_words`, used by truth checks."""
    text = text.strip().replace("元", "圆").rstrip("整正")
    negative = text.startswith("负")
    text = text.lstrip("负")
    total = Decimal(0)
    section = 0
    number = 0
    units = {"拾": 10, "佰": 100, "仟": 1000}
    yuan_part, _, frac = text.partition("圆")
    if "圆" not in text and ("角" in text or "分" in text):
        yuan_part, frac = "", text
    for ch in yuan_part:
        if ch in DIGITS:
            number = DIGITS.index(ch)
        elif ch in units:
            section += (number or 1) * units[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section, number = 0, 0
        elif ch == "亿":
            total = (total + section + number) * 100000000
            section, number = 0, 0
        else:
            raise ValueError(f"unexpected character {ch!r} in {text!r}")
    total += section + number
    cents = Decimal(0)
    digit = 0
    for ch in frac:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch == "角":
            cents += Decimal(digit) / 10
            digit = 0
        elif ch == "分":
            cents += Decimal(digit) / 100
            digit = 0
        else:
            raise ValueError(f"unexpected character {ch!r} in {text!r}")
    value = q(total + cents)
    return -value if negative else value
