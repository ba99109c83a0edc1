"""A contract's sign date, wherever contracts print it.

In order of trust: a caption (签订日期 / 签署日期 / 签约时间 / 签订时间, also as a header-table cell),
a closing sentence (``本合同于2023年5月25日在阳泉市签订``), and the signature block: a ``日期`` caption
or a date standing alone under 甲方（盖章）/ 乙方（盖章）. Service periods, invoice dates and payment
terms are never taken: each rule needs its caption, its verb or the seals' block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.contract_text import Joined, row_hit
from extractors.fields.layout import Hit, Row
from extractors.fields.normalize import find_dates

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


def _date_at(text: str, start: int, slack: int = 2) -> tuple[str, int, int] | None:
    """The date starting within ``slack`` characters of ``start`` (after a colon or a space)."""
    found = find_dates(text[start : start + 24 + slack])
    if not found:
        return None
    day, s, e = found[0]
    if s > slack or text[start : start + s].strip(":：.、 "):
        return None
    return day.isoformat(), start + s, start + e


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


def signature_block(rows: Sequence[Row]) -> Hit | None:
    """A date under the seals: after a 日期/时间 caption, or alone on its line, on the last page that
    carries 盖章/签字 captions and not above the first of them."""
    seal_rows = [r for r in rows if _SEAL.search(r.text)]
    if not seal_rows:
        return None
    page = seal_rows[-1].page
    top = min(r.bbox.y0 for r in seal_rows if r.page == page)
    for row in (r for r in rows if r.page == page and r.bbox.y0 >= top - 1):
        for caption in _BLOCK_CAPTION.finditer(row.text):
            date = _date_at(row.text, caption.end())
            if date:
                return row_hit(row, date[1], date[2], date[0])
        found = find_dates(row.text)
        if len(found) == 1 and len(row.text) - (found[0][2] - found[0][1]) <= 4:
            day, s, e = found[0]
            return row_hit(row, s, e, day.isoformat())
    return None


def sign_date(rows: Sequence[Row]) -> Hit | None:
    joined = Joined.of(rows)
    return captioned(joined) or closing_sentence(joined) or signature_block(rows)
