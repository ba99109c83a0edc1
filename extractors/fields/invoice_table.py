"""The goods/services table of an invoice: column captions, item rows, and the 合计 row.

Values are assigned to columns by horizontal position under the caption row (项目名称, 单价,
金额, 税率, 税额), which every VAT invoice prints; a row is split into whitespace tokens so it
works whether a reader gives one line per cell (OCR) or one line per row (text layer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from extractors.fields.canonical import clean, clean_keep_space, has_cjk, money_str, to_decimal
from extractors.fields.layout import Placed, Row, find_label, sub_bbox
from models import BBox

COLUMN_CAPTIONS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "货物或应税劳务、服务名称", "货物或应税劳务名称", "服务名称", "名称"),
    "spec": ("规格型号", "型号"),
    "unit": ("单位",),
    "qty": ("数量",),
    "price": ("单价",),
    "amount": ("金额",),
    "rate": ("税率/征收率", "征收率", "税率"),
    "tax": ("税额",),
}
_RATE = re.compile(r"^(\d{1,2}(?:\.\d+)?)%$")
# rows that end the item table when a page has no 合计 row (a multi-page invoice continues overleaf)
_TABLE_END = ("小计", "续下页", "开票人", "收款人", "复核", "备注", "价税合计")
_EXEMPT = ("免税", "不征税", "免征")
_TOKEN = re.compile(r"\S+")
_MONEY = re.compile(r"-?[\d,]+\.\d{2}")
_CURRENCY = "¥"  # clean() folds ￥ into ¥


@dataclass(frozen=True)
class Token:
    """A word of a line: its horizontal span, with the line's box for top and bottom.

    Most tokens are only placed in a column by their centre; the (validated) BBox is built for
    the few that end up as a field's provenance.
    """

    text: str
    x0: float
    x1: float
    line: BBox
    confidence: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @cached_property
    def bbox(self) -> BBox:
        return BBox(x0=self.x0, y0=self.line.y0, x1=self.x1, y1=self.line.y1)


def tokens(p: Placed) -> list[Token]:
    """Whitespace-separated parts of a line, each with the part of the line's box it covers (where
    the reader placed its characters, else estimated by :func:`sub_bbox`)."""
    raw = clean_keep_space(p.line.text)
    if not raw:
        return []
    out = []
    for m in _TOKEN.finditer(raw):
        start = m.start() - raw.count(" ", 0, m.start())  # the same character in ``p.text``
        word = m.group(0)
        # ¥ printed before a figure is not part of the value: the box, the reviewer's evidence, starts after it
        sign = len(word) - len(word.lstrip(_CURRENCY)) if word.strip(_CURRENCY) else 0
        box = sub_bbox(p, start + sign, start + len(word))
        out.append(Token(word, box.x0, box.x1, p.ink_box, p.line.confidence))
    return out


def row_tokens(row: Row) -> list[Token]:
    return sorted((t for p in row.items for t in tokens(p)), key=lambda t: t.x0)


@dataclass
class Columns:
    """Caption centres (x) of the item table, and where the name column ends."""

    centers: dict[str, float]
    name_right: float
    header: Row

    def column_of(self, tok: Token) -> str:
        """The column under whose caption the token sits; a figure is placed by what it is as well.

        Figures are right-aligned in wide columns, so by position alone a 金额 may sit nearer the
        税率 caption; a rate looks like a rate and money like money on every invoice.
        """
        cx = tok.cx
        if tok.x1 <= self.name_right or cx < self.name_right:
            return "name"
        numeric = {k: v for k, v in self.centers.items() if k != "name"}
        if _rate(tok.text) is not None and "rate" in numeric:
            return "rate"
        if _money(tok.text) is not None:
            money = {k: v for k, v in numeric.items() if k in ("price", "amount", "tax")}
            numeric = money or numeric
        return min(numeric, key=lambda k: abs(numeric[k] - cx)) if numeric else "name"


def find_columns(rows: list[Row]) -> list[Columns]:
    """Caption rows: a row naming 金额 together with 税率 or 税额, or most of the table's captions
    (one per page that prints one)."""
    out = []
    for row in rows:
        if "合计" in row.text or not _caption_row(row.text):
            continue
        centers: dict[str, float] = {}
        taken: list[tuple[int, int]] = []
        for key, captions in COLUMN_CAPTIONS.items():
            # captions are found in the row's text, so a caption spaced out into single characters
            # (金 额) or merged with its neighbour (金额税率/征收率) still gives its own column centre
            hits = [h for h in find_label([row], captions) if all(h.end <= a or h.start >= b for a, b in taken)]
            if not hits:
                continue
            hit = hits[0]
            taken.append((hit.start, hit.end))
            centers[key] = hit.bbox.center[0]
            if key == "name":
                centers["_name_x0"] = hit.bbox.x0
        if "amount" not in centers and (amount := _unread_amount_caption(row, centers)) is not None:
            centers["amount"] = amount
        if "amount" not in centers:
            continue
        numeric_left = min((v for k, v in centers.items() if k not in ("name", "_name_x0")), default=row.bbox.x1)
        name_c = centers.get("name", row.bbox.x0)
        name_right = name_c + (numeric_left - name_c) * 0.45 if "spec" in centers else (name_c + numeric_left) / 2
        centers.pop("_name_x0", None)
        out.append(Columns(centers, name_right, row))
    return out


_MOST_CAPTIONS = 5


def _caption_row(text: str) -> bool:
    if "金额" in text and ("税率" in text or "税额" in text or "征收率" in text):
        return True
    return sum(any(clean(c) in text for c in captions) for captions in COLUMN_CAPTIONS.values()) >= _MOST_CAPTIONS


def _unread_amount_caption(row: Row, centers: dict[str, float]) -> float | None:
    """Where 金额 stands when OCR misread it (金膜) but its neighbours were read: the caption box
    between 单价/数量 and 税率/税额 that no caption claimed."""
    left = max((centers[k] for k in ("price", "qty", "unit", "spec") if k in centers), default=None)
    right = min((centers[k] for k in ("rate", "tax") if k in centers), default=None)
    if left is None or right is None or right <= left:
        return None
    claimed = centers.values()
    between = [
        p.bbox.center[0]
        for p in row.items
        if left < p.bbox.center[0] < right and not any(p.bbox.x0 <= c <= p.bbox.x1 for c in claimed)
    ]
    return between[0] if len(between) == 1 else None


@dataclass
class Item:
    name: str
    amount: str | None = None
    rate: str | None = None
    tax: str | None = None
    boxes: list[BBox] = field(default_factory=list)
    rate_boxes: list[BBox] = field(default_factory=list)
    page: int = 1
    confidence: float = 1.0


def _rate(text: str) -> str | None:
    t = clean(text)
    if any(e in t for e in _EXEMPT):
        return "免税"
    m = _RATE.match(t)
    if m:
        value = m.group(1).rstrip("0").rstrip(".") if "." in m.group(1) else m.group(1)
        return f"{value}%"
    return None


def _money(text: str) -> str | None:
    t = clean(text).replace("¥", "")
    if not _MONEY.fullmatch(t):
        return None
    value = to_decimal(t)
    return money_str(value) if value is not None else None


def lone_total_caption(row: Row) -> bool:
    """OCR lost one character of a widely spaced 合 计 (a seal over it): a row led by 合 or 计 with figures."""
    first = clean(row.items[0].line.text)
    return first in ("合", "计", "合计") and any(_money(t.text) for t in row_tokens(row))


def is_total_row(row: Row) -> bool:
    t = row.text
    return "合计" in t or "小写" in t or lone_total_caption(row)


def parse_items(
    rows: list[Row], cols: Columns, end_y: float | None, *, page: int | None = None, start_y: float | None = None
) -> list[Item]:
    """Item rows between a caption row and the 合计 row; rows without figures continue a name.

    ``page``/``start_y`` reuse one page's columns on a continuation page that prints no captions.
    """
    items: list[Item] = []
    page = cols.header.page if page is None else page
    start = cols.header.bbox.center[1] + 1 if start_y is None else start_y
    for row in rows:
        if row.page != page or row.bbox.center[1] <= start:
            continue
        if end_y is not None and row.bbox.center[1] >= end_y:
            break
        if is_total_row(row) or any(w in row.text for w in _TABLE_END):
            break
        name_parts: list[Token] = []
        item = Item(name="", page=row.page)
        for tok in row_tokens(row):
            col = cols.column_of(tok)
            if col == "name":
                name_parts.append(tok)
            elif col == "amount" and item.amount is None:
                item.amount = _money(tok.text)
                if item.amount:
                    item.boxes.append(tok.bbox)
            elif col in ("rate", "tax"):
                rate = _rate(tok.text)
                if rate is not None:
                    item.rate = rate
                    item.rate_boxes.append(tok.bbox)
                elif col == "tax" and (_money(tok.text) or "*" in tok.text):
                    item.tax = _money(tok.text) or "0.00"
            item.confidence = min(item.confidence, tok.confidence)
        name = "".join(clean(t.text) for t in name_parts)
        if item.amount is None:
            last = items[-1].boxes[-1] if items and items[-1].boxes else None
            near = last is not None and row.bbox.y0 - last.y1 < 1.5 * max(last.height, 1.0)
            if name and items and near and has_cjk(name) and not name.startswith("*"):
                items[-1].name += name
                items[-1].boxes.extend(t.bbox for t in name_parts)
            elif name.startswith("*"):
                item.name = name
                item.boxes.extend(t.bbox for t in name_parts)
                items.append(item)
            continue
        if not name and items and items[-1].amount is None:
            items[-1].amount, items[-1].rate, items[-1].tax = item.amount, item.rate, item.tax
            items[-1].boxes.extend(item.boxes)
            items[-1].rate_boxes.extend(item.rate_boxes)
            continue
        if not name:
            continue  # figures without a name: a 合计 row split off by a tilted photo, not an item
        item.name = name
        item.boxes.extend(t.bbox for t in name_parts)
        items.append(item)
    return [i for i in items if i.name or i.amount]


def total_row_values(row: Row, cols: Columns | None) -> tuple[Token | None, Token | None, Token | None]:
    """(amount token, tax token, the tax printed as *** — boxed on its stars) from a 合计 row."""
    monies = [t for t in row_tokens(row) if _money(t.text)]
    starred = next(
        (t for t in row_tokens(row) if ("*" in t.text and not t.text.startswith("*")) or t.text.strip() == "***"), None
    )
    stars = _stars_of(starred) if starred is not None else None
    if cols is not None and "amount" in cols.centers:
        amount = [t for t in monies if cols.column_of(t) == "amount"]
        tax = [t for t in monies if cols.column_of(t) == "tax"]
        if amount:
            return amount[0], tax[0] if tax else None, None if tax else stars
    if not monies:
        return None, None, stars
    if len(monies) == 1:
        return monies[0], None, stars
    return monies[-2], monies[-1], None


def _stars_of(tok: Token) -> Token:
    """The run of * in ``tok`` (¥181.14*** when the reader joined the amount and the stars), its
    share of the token's width taken as its place."""
    start = tok.text.index("*")
    end = start + len(tok.text[start:]) - len(tok.text[start:].lstrip("*"))
    share = (tok.x1 - tok.x0) / max(1, len(tok.text))
    return Token(tok.text[start:end], tok.x0 + start * share, tok.x0 + end * share, tok.line, tok.confidence)


def money_of(tok: Token) -> str | None:
    return _money(tok.text)
