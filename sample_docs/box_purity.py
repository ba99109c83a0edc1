"""Does an evidence box hold its value and nothing else? Judged from the page's own characters.

Why: the box is what a reviewer looks at; a box that starts on the label (``码:``) or spans the
next party's tax id shows the wrong thing even when the value is right. On text layers and OFD
the reader knows where every character is, so the characters whose centres fall inside the box
are read back and compared with the value in its printed forms (``¥1,234.50`` for ``1234.50``,
``2023年05月25日`` for ``2023-05-25``). Pages without character positions (OCR) are not judged here:
their boxes are scored against generator truth boxes instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from sample_docs.scoring import MONEY_FIELDS, normalise

_JUDGED_SOURCES = frozenset({"text_layer", "ofd"})
_MONEY_MARKS = re.compile(r"[¥￥,，\s]")
_DATE = re.compile(r"^(\d{4})(?:年|[-./])(\d{1,2})(?:月|[-./])(\d{1,2})日?$")
_WORD_MARKS = "ⓧ⊗×xX"


def box_text(document: Any, field: Any) -> str | None:
    """The characters whose centres lie in ``field``'s box, in reading order; None where the page
    does not say where its characters are."""
    if field.bbox is None or field.page is None or not 1 <= field.page <= len(document.pages):
        return None
    page = document.pages[field.page - 1]
    box = field.bbox
    picked: list[tuple[float, float, str]] = []
    for line in page.lines:
        cy = (line.bbox.y0 + line.bbox.y1) / 2
        if not box.y0 <= cy <= box.y1:
            continue
        if line.char_x is None:
            return None
        for char, (x0, x1) in zip(line.text, line.char_x, strict=False):
            if box.x0 <= (x0 + x1) / 2 <= box.x1 and not char.isspace():
                picked.append((cy, x0, char))
    picked.sort()
    return "".join(c for _, _, c in picked)


def holds_exactly(name: str, value: Any, text: str) -> bool:
    """``text`` is ``value`` as printed, with nothing else: no caption, no neighbour's characters."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    if not text:
        return False
    if name == "tax_amount" and text.strip("*") == "" and _money(str(value)) == 0:
        return True  # a 0 % or exempt line's tax printed as ***, read as 0.00 (the real set's convention)
    if name in MONEY_FIELDS or name in ("amount",):
        return _money(text) == _money(str(value))
    if name.endswith("_date") or name == "sign_date":
        return _date(text) == str(value)
    if name == "total_in_words":
        text = text.lstrip(_WORD_MARKS)
    return bool(normalise(name, text) == normalise(name, value))


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(_MONEY_MARKS.sub("", text))
    except InvalidOperation:
        return None


def _date(text: str) -> str | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def judge(document: Any, expected: dict[str, Any]) -> Iterable[tuple[str, bool, str]]:
    """(field, pure, text in its box) for each rightly read field whose box can be judged."""
    for name, field in document.fields.items():
        if name not in expected or getattr(field, "source", None) not in _JUDGED_SOURCES:
            continue
        if normalise(name, field.value) != normalise(name, expected[name]) or field.value is None:
            continue
        text = box_text(document, field)
        if text is not None:
            yield name, holds_exactly(name, field.value, text), text
