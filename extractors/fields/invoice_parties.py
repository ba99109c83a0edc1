"""Buyer and seller on an invoice: 名称 and 纳税人识别号 pairs, told apart by position.

Both invoice generations put the buyer block first (left or top) and the seller block after it
(right or bottom); the 购买方/销售方 captions, when readable, settle it directly. Nothing here
depends on coordinates of a particular template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields import credit_code
from extractors.fields.canonical import has_cjk, strip_label_punct
from extractors.fields.label_values import label_value
from extractors.fields.layout import Hit, LabelHit, Row, find_label

_NEXT_LABEL = re.compile(
    r"(?:统一社会信用代码|纳税人识别号|识别号|地址|电话|开户行|账号|名称|密码区|销售方|购买方|购方|销方"
    r"|[0-9A-Z]{15,}).*$"
)
_TAX_ID = re.compile(r"[0-9A-Z]{15,20}(?![0-9A-Z])")
_BAD_NAME = re.compile(r"^(?:信息|名称|\d+)$")
BUYER_ANCHORS = ("购买方", "购方", "买方", "购货单位", "受票方")
SELLER_ANCHORS = ("销售方", "销方", "卖方", "销货单位", "开票方")
_NAME_LABELS = ("名称", "购买方名称", "销售方名称", "单位名称", "称:")  # 称: when OCR lost a spaced-out 名
_ID_LABELS = ("统一社会信用代码/纳税人识别号", "纳税人识别号", "统一社会信用代码", "识别号", "纳税人识别码", "税号")


def org_name(text: str) -> str | None:
    """An organisation name at the start of ``text`` (the value after a 名称 label)."""
    value = _NEXT_LABEL.sub("", strip_label_punct(text)).strip(" :;,，。")
    if len(value) < 2 or (not has_cjk(value) and len(value) < 4) or _BAD_NAME.match(value):
        return None
    return value


def tax_id(text: str) -> str | None:
    """A 15-20 character tax id at the start of ``text``."""
    value = strip_label_punct(text).upper()
    m = _TAX_ID.match(value)
    if m is None or sum(c.isdigit() for c in m.group(0)) < 6:
        return None
    return credit_code.repair(m.group(0)) if len(m.group(0)) == 18 else m.group(0)


@dataclass(frozen=True)
class Party:
    name: tuple[LabelHit, Hit] | None
    tax_id: tuple[LabelHit, Hit] | None


def _dedupe(pairs: list[tuple[LabelHit, Hit]]) -> list[tuple[LabelHit, Hit]]:
    seen: set[tuple[int, int, int]] = set()
    out = []
    for label, hit in pairs:
        key = (hit.page, round(hit.bbox.x0), round(hit.bbox.y0))
        if key not in seen:
            seen.add(key)
            out.append((label, hit))
    return out


def _anchor_side(label: LabelHit, buyers: list[LabelHit], sellers: list[LabelHit]) -> str | None:
    """Which caption the label belongs to: the nearest one above it or on its left, on its page."""
    lx, ly = label.bbox.center
    best: tuple[float, str] | None = None
    for side, anchors in (("buyer", buyers), ("seller", sellers)):
        for a in anchors:
            if a.row.page != label.row.page:
                continue
            ax, ay = a.bbox.center
            if ax > label.bbox.x1 + label.bbox.height or ay > label.bbox.y1 + label.bbox.height * 4:
                continue
            dist = abs(lx - ax) * 0.5 + abs(ly - ay)
            if best is None or dist < best[0]:
                best = (dist, side)
    return best[1] if best else None


def _assign(
    pairs: list[tuple[LabelHit, Hit]], buyers: list[LabelHit], sellers: list[LabelHit]
) -> tuple[tuple[LabelHit, Hit] | None, tuple[LabelHit, Hit] | None]:
    """Buyer first, seller second: by the captions on the label's own row, else by position."""
    buyer: tuple[LabelHit, Hit] | None = None
    seller: tuple[LabelHit, Hit] | None = None
    for pair in pairs:
        head = pair[0].row.text[: pair[0].start]
        own = "buyer" if any(a in head[-6:] for a in BUYER_ANCHORS) else None
        own = own or ("seller" if any(a in head[-6:] for a in SELLER_ANCHORS) else None)
        if own == "buyer" and buyer is None:
            buyer = pair
        elif own == "seller" and seller is None:
            seller = pair
    rest = [p for p in pairs if p is not buyer and p is not seller]
    if len(rest) >= 2 and buyer is None and seller is None:
        first, second = rest[0], rest[1]
        a, b = first[0].bbox, second[0].bbox
        if a.vertical_overlap(b) > 0.5:
            first, second = (first, second) if a.x0 < b.x0 else (second, first)
        elif first[0].row.page == second[0].row.page:
            first, second = (first, second) if a.y0 < b.y0 else (second, first)
        return first, second
    for pair in rest:
        side = _anchor_side(pair[0], buyers, sellers)
        if side == "buyer" and buyer is None:
            buyer = pair
        elif side == "seller" and seller is None:
            seller = pair
        elif (buyer is None and seller is None) or (buyer is None and _before(pair[0], seller)):
            buyer = pair
        elif seller is None and _before(buyer, pair[0]):
            seller = pair
    return buyer, seller


def _before(a: LabelHit | tuple[LabelHit, Hit] | None, b: LabelHit | tuple[LabelHit, Hit] | None) -> bool:
    if a is None or b is None:
        return False
    la = a[0] if isinstance(a, tuple) else a
    lb = b[0] if isinstance(b, tuple) else b
    if la.row.page != lb.row.page:
        return la.row.page < lb.row.page
    if la.bbox.vertical_overlap(lb.bbox) > 0.5:
        return la.bbox.x0 < lb.bbox.x0
    return la.bbox.y0 < lb.bbox.y0


def find_parties(rows: list[Row]) -> tuple[Party, Party]:
    """(buyer, seller), each with its name and tax-id hits where found."""
    names = _dedupe(
        label_value(rows, _NAME_LABELS, org_name, not_after=("项目", "服务", "劳务", "货物", "商品", "产品", "简"))
    )
    ids = _dedupe(label_value(rows, _ID_LABELS, tax_id))
    buyers = find_label(rows, BUYER_ANCHORS)
    sellers = find_label(rows, SELLER_ANCHORS)
    bn, sn = _assign(names, buyers, sellers)
    bi, si = _assign(ids, buyers, sellers)
    if bn is not None and sn is not None:
        bi, si = _ids_by_block(ids, bn[0], sn[0], (bi, si))
    return Party(bn, bi), Party(sn, si)


_Pair = tuple[LabelHit, Hit]


def _ids_by_block(
    ids: list[_Pair], buyer_name: LabelHit, seller_name: LabelHit, fallback: tuple[_Pair | None, _Pair | None]
) -> tuple[_Pair | None, _Pair | None]:
    """Each 纳税人识别号 belongs to the party whose 名称 label heads its block (the nearest above it).

    A buyer without a tax id (个人, a named person) leaves one id on the page; by order alone it would
    be taken for the buyer's. The blocks settle it whenever both names were found.
    """
    sides: dict[str, _Pair] = {}
    for pair in ids:
        label = pair[0]
        best: tuple[float, str] | None = None
        for side, name in (("buyer", buyer_name), ("seller", seller_name)):
            if name.row.page != label.row.page or name.bbox.y0 > label.bbox.y0 + 1:
                continue
            h = max(name.bbox.height, 1.0)
            dy, dx = label.bbox.y0 - name.bbox.y0, abs(label.bbox.x0 - name.bbox.x0)
            if dy > 6 * h or dx > 20 * h:
                continue
            if best is None or dy + 0.2 * dx < best[0]:
                best = (dy + 0.2 * dx, side)
        if best is None or best[1] in sides:
            return fallback
        sides[best[1]] = pair
    return (sides.get("buyer"), sides.get("seller")) if sides else fallback
