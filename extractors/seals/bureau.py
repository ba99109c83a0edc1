"""The tax bureau's 发票监制章: printed on every old-style invoice form, it is no party's seal.

What every such stamp has in common: an oval at the top centre of the form, the words 税务局 /
监制 / 全国统一发票 on it, and no credit code. Its arc is read as poorly as any (安徽省税务局,
全国统一集制局, 本佛罚董第一轮国专国家税务局), so an oval at the top centre of an invoice without a
valid credit code is the bureau's even when no word survives, and elsewhere its words are matched
with one character misread, unless the stamp reads as a 发票/合同专用章 (a 税务师事务所's stamp
is a party's). A seller's stamp carries its 18-character code: a valid code keeps it a party's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from extractors.fields.credit_code import is_valid
from extractors.seals.parse import compact
from models.document import Page, Seal

_WORDS = Path(__file__).with_name("words.yaml")
# The bureau's stamp sits centred on the form's title, above its first table: measured on the real
# old-style invoices (centre at 0.49-0.51 of the width, 0.13-0.18 of the height; width/height 1.4-1.6).
_CENTRE_SLACK = 0.12
_TOP_SHARE = 0.3
_MIN_OVAL = 1.2


@cache
def bureau_words() -> tuple[str, ...]:
    data = yaml.safe_load(_WORDS.read_text(encoding="utf-8"))
    return tuple(data["bureau_words"])


def is_bureau_seal(seal: Seal, page: Page | None) -> bool:
    """Whether ``seal`` is the tax bureau's 监制章 rather than a party's stamp; ``page`` is the invoice
    page it lies on (None where the form's layout says nothing, as on a contract)."""
    code = seal.credit_code or ""
    if len(code) == 18 and is_valid(code):
        return False
    if (page is not None and at_top_centre(seal, page)) or "监制" in compact(seal.text):
        return True
    return seal.kind not in ("invoice_seal", "contract_seal") and has_bureau_words(seal.text)


def has_bureau_words(text: str) -> bool:
    """The bureau's words on the stamp, a phrase of three or more characters allowed one misread."""
    flat = compact(text)
    return any(_near(flat, phrase) for phrase in bureau_words())


def at_top_centre(seal: Seal, page: Page) -> bool:
    """A level oval centred across the page in its top part: where the form prints the bureau's stamp."""
    box = seal.bbox
    if box is None or page.width <= 0 or page.height <= 0:
        return False
    width, height = box.x1 - box.x0, box.y1 - box.y0
    if height <= 0 or width / height < _MIN_OVAL:
        return False
    centre_x, centre_y = (box.x0 + box.x1) / 2 / page.width, (box.y0 + box.y1) / 2 / page.height
    return abs(centre_x - 0.5) <= _CENTRE_SLACK and centre_y <= _TOP_SHARE


def _near(text: str, phrase: str) -> bool:
    if phrase in text:
        return True
    if len(phrase) < 3:
        return False
    size = len(phrase)
    return any(
        sum(a != b for a, b in zip(text[i : i + size], phrase, strict=True)) <= 1 for i in range(len(text) - size + 1)
    )
