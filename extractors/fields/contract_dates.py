"""A contract's sign date, wherever contracts print it.

In order of trust: a caption (签订日期 / 签署日期 / 签约时间 / 签订时间, also as a header-table cell),
a closing sentence (``本合同于2023年5月25日在阳泉市签订``), and the signature block: a ``日期`` caption
or a date standing alone under 甲方（盖章）/ 乙方（盖章）. Service periods, invoice dates and payment
terms are never taken: each rule needs its caption, its verb or the seals' block.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from extractors.fields.canonical import find_dates
from extractors.fields.contract_text import Joined, row_hit
from extractors.fields.layout import Hit, Row

CAPTIONS = (
    "合同签订日期",
    "合同签订时间",
    "签订日期",
    "签署日期",
    "签约日期",
    "签字日期",
    "签订时间",
    "签约时间",
    "签署时间",
    "签订于",
    "签署于",
)
_CLOSING = re.compile(r"(?:本合同|本协议|合同|协议)(?:由[^。]{0,6})?于")
_SIGNED = re.compile(r"^[^。；;]{0,30}?(?:签订|签署|订立|签字|签约)")
_SEAL = re.compile(r"盖章|签章|签字|公章|签名|\(章\)")
_BLOCK_CAPTION = re.compile(r"日期|时间")
DOUBTFUL = "doubtful"  # Hit.how of a reading other readings contradict: the field is contradicted


# 〇 may arrive as 0 or O: clean() folds it with the look-alike digits
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "O": 0, "o": 0, "0": 0}
_CN_DATE = re.compile(
    r"([〇零Oo0一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)


def _cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十五 → 25, 三十一 → 31."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def dates_in(text: str) -> list[tuple[str, int, int]]:
    """Every date with its span: figures (2023年5月25日, 2023-05-25) and the 二〇二三年五月二十五日 that
    formal contracts write under the seals."""
    found = [(day.isoformat(), s, e) for day, s, e in find_dates(text)]
    for m in _CN_DATE.finditer(text):
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            day = dt.date(year, _cn_number(m.group(2)), _cn_number(m.group(3)))
        except (KeyError, ValueError):
            continue
        found.append((day.isoformat(), m.start(), m.end()))
    return sorted(found, key=lambda d: d[1])


def _date_at(text: str, start: int, slack: int = 2) -> tuple[str, int, int] | None:
    """The date starting within ``slack`` characters of ``start`` (after a colon or a space)."""
    found = dates_in(text[start : start + 24 + slack])
    if not found:
        return None
    iso, s, e = found[0]
    if s > slack or text[start : start + s].strip(":：.、 "):
        return None
    return iso, start + s, start + e


def captioned(joined: Joined) -> Hit | None:
    """The first date right after a signing caption, in reading order."""
    best: tuple[int, Hit] | None = None
    taken: list[tuple[int, int]] = []
    for caption in sorted(CAPTIONS, key=len, reverse=True):
        for m in re.finditer(re.escape(caption), joined.text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            date = _date_at(joined.text, m.end())
            hit = joined.hit(date[1], date[2], date[0]) if date else None
            if hit is not None and (best is None or m.start() < best[0]):
                best = (m.start(), hit)
    return best[1] if best else None


def closing_sentence(joined: Joined) -> Hit | None:
    """``本合同于<date>[在<place>]签订``: the date, when a signing verb follows in the same sentence."""
    for m in _CLOSING.finditer(joined.text):
        date = _date_at(joined.text, m.end(), slack=0)
        if date and _SIGNED.match(joined.text[date[2] :]):
            hit = joined.hit(date[1], date[2], date[0])
            if hit is not None:
                return hit
    return None


def _caption_dates(row: Row) -> tuple[Hit | None, bool]:
    """The first date after a 日期/时间 caption in a row, and whether the row's readings agree: under
    two seals each column prints its date, and a seal over one of them shows as a failed or
    different reading."""
    readings: list[tuple[str, int, int] | None] = []
    for caption in _BLOCK_CAPTION.finditer(row.text):
        date = _date_at(row.text, caption.end())
        if date is not None or "年" in row.text[caption.end() : caption.end() + 8]:
            readings.append(date)
    found = [r for r in readings if r is not None]
    if not found:
        return None, True
    iso, s, e = found[0]
    agree = len(found) == len(readings) and len({r[0] for r in found}) == 1
    return row_hit(row, s, e, iso), agree


def signature_block(rows: Sequence[Row]) -> Hit | None:
    """A date under the seals: after a 日期/时间 caption, or alone on its line, on the last page that
    carries 盖章/签字 captions and not above the first of them. Disagreeing readings lower confidence."""
    seal_rows = [r for r in rows if _SEAL.search(r.text)]
    if not seal_rows:
        return None
    page = seal_rows[-1].page
    top = min(r.bbox.y0 for r in seal_rows if r.page == page)
    for row in (r for r in rows if r.page == page and r.bbox.y0 >= top - 1):
        hit, agree = _caption_dates(row)
        if hit is not None:
            return hit if agree else replace(hit, how=DOUBTFUL)
        found = dates_in(row.text)
        if len(found) == 1 and len(row.text) - (found[0][2] - found[0][1]) <= 4:
            iso, s, e = found[0]
            return row_hit(row, s, e, iso, "text")  # found by its place, not by a caption
    return None


def service_period(rows: Sequence[Row], labels: Sequence[str], window: int = 60) -> tuple[Hit, Hit] | None:
    """The first two dates after a period caption (服务期限自…起至…止), each with its own box."""
    joined = Joined.of(rows)
    best: tuple[int, tuple[Hit, Hit]] | None = None
    for label in sorted(labels, key=len, reverse=True):
        for m in re.finditer(re.escape(label), joined.text):
            found = dates_in(joined.text[m.end() : m.end() + window])
            if len(found) < 2:
                continue
            (a, sa, ea), (b, sb, eb) = found[0], found[1]
            start = joined.hit(m.end() + sa, m.end() + ea, a)
            end = joined.hit(m.end() + sb, m.end() + eb, b)
            if start is not None and end is not None and (best is None or m.start() < best[0]):
                best = (m.start(), (start, end))
    return best[1] if best else None


def sign_date(rows: Sequence[Row]) -> Hit | None:
    joined = Joined.of(rows)
    return captioned(joined) or closing_sentence(joined) or signature_block(rows)
