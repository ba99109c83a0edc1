"""Draw an invoice on a reportlab canvas: the old 增值税发票 layout and the 数电票 layout."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen import amounts
from sample_docs.gen.invoice import Invoice, LineItem, Party
from sample_docs.gen.render import MM, draw_pil, qr_image, seal_image, text, text_center, text_right

BROWN = (0.55, 0.3, 0.1)
OLD_SIZE = (240 * MM, 140 * MM)
DIGITAL_SIZE = (210 * MM, 140 * MM)


def _num(v: Decimal) -> str:
    return amounts.fmt(v)


def _qty(v: Decimal) -> str:
    return str(int(v)) if v == v.to_integral() else f"{v.normalize()}"


def _price(v: Decimal) -> str:
    s = f"{v:.8f}".rstrip("0")
    return s + "0" * max(0, 2 - len(s.split(".")[1])) if "." in s else s


def _date_cn(inv: Invoice) -> str:
    d = inv.issue_date
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _items_block(
    c: Canvas, items: list[LineItem], x0: float, cols: list[float], y_top: float, *, row_h: float, size: float
) -> float:
    """Item rows under a header; returns the y below the last row."""
    y = y_top
    for item in items:
        _item_row(c, item, x0, cols, y, size=size)
        y -= row_h
    return y


def _item_row(c: Canvas, item: LineItem, x0: float, cols: list[float], y: float, *, size: float) -> None:
    text(c, x0 + 2, y, item.name, size)
    text(c, cols[0] + 2, y, item.spec, size)
    if item.qty:
        text(c, cols[1] + 2, y, item.unit, size)
        text_right(c, cols[3] - 2, y, _qty(item.qty), size)
        text_right(c, cols[4] - 2, y, _price(item.price), size)
    text_right(c, cols[5] - 2, y, _num(item.amount), size)
    text_right(c, cols[6] - 2, y, f"{int(item.rate * 100)}%", size)
    text_right(c, cols[7] - 2, y, _num(item.tax), size)


def _seal(c: Canvas, inv: Invoice, x: float, y: float, w: float) -> None:
    draw_pil(c, seal_image(inv.seller.name, inv.seller.tax_id, 420, oval=True), (x, y, w, w * 0.68))


_OLD_COLS = [68 * MM, 90 * MM, 102 * MM, 118 * MM, 145 * MM, 178 * MM, 192 * MM, 232 * MM]
_OLD_HEADERS = ["货物或应税劳务、服务名称", "规格型号", "单位", "数 量", "单 价", "金 额", "税率", "税 额"]


def draw_old(c: Canvas, inv: Invoice, rng: random.Random) -> None:
    """增值税专用/普通发票 (and 电子普通发票) as printed since 2017, in brown ink with black data.

    Drawn top to bottom in a fixed order, so a seed gives the same PDF bytes every time.
    """
    width, height = OLD_SIZE
    c.setStrokeColorRGB(*BROWN)
    _old_title(c, inv, width, height)
    left, right, top = 8 * MM, _OLD_COLS[-1], height - 38 * MM
    c.rect(left, 14 * MM, right - left, top - 14 * MM)
    text(c, left + 2 * MM, top - 13 * MM, "购买方", 9, colour=BROWN)
    c.line(left + 9 * MM, top, left + 9 * MM, top - 24 * MM)
    _party_rows(c, inv.buyer, left, top - 5 * MM, step=5.5 * MM, size=8.5)
    c.line(150 * MM, top, 150 * MM, top - 24 * MM)
    text(c, 151 * MM, top - 13 * MM, "密码区", 8, colour=BROWN)
    cipher = "0123456789+-*/<>"
    for k in range(4):
        line = "".join(rng.choice(cipher) for _ in range(27))
        text(c, 159 * MM, top - 5 * MM - k * 5.5 * MM, line, 8)
    y_items = top - 24 * MM
    c.line(left, y_items, right, y_items)
    for x, h, x_end in zip([left, *_OLD_COLS[:-1]], _OLD_HEADERS, _OLD_COLS, strict=True):
        text_center(c, (x + x_end) / 2, y_items - 4 * MM, h, 8, colour=BROWN)
    y_end = _items_block(c, inv.items, left, _OLD_COLS, y_items - 10 * MM, row_h=5 * MM, size=8)
    y_total = _totals(
        c, inv, left, _OLD_COLS, min(y_end, 52 * MM), words_x=left + 36 * MM, small_x=(160 * MM, 174 * MM)
    )
    _old_seller_and_footer(c, inv, left, y_total - 3 * MM)


def _old_title(c: Canvas, inv: Invoice, width: float, height: float) -> None:
    """Title, copy name, tax bureau oval, QR code, machine number and the code/number/date block."""
    text_center(c, width / 2, height - 14 * MM, inv.title, 17, colour=BROWN)
    copy = "发 票 联" if inv.kind != "vat_special" else "抵 扣 联"
    text_center(c, width / 2, height - 20 * MM, copy, 9, colour=BROWN)
    c.ellipse(width / 2 - 14 * MM, height - 31 * MM, width / 2 + 14 * MM, height - 22 * MM)
    text_center(c, width / 2, height - 27.5 * MM, "国家税务总局监制", 6.5, colour=BROWN)
    draw_pil(c, qr_image(inv.qr_payload()), (8 * MM, height - 30 * MM, 22 * MM, 22 * MM))
    text(c, 8 * MM, height - 35 * MM, "机器编号：", 8, colour=BROWN)
    text(c, 24 * MM, height - 35 * MM, inv.machine_no, 8)
    labels = [("发票代码：", inv.code), ("发票号码：", inv.number), ("开票日期：", _date_cn(inv))]
    if inv.check_code:
        cc = inv.check_code
        labels.append(("校 验 码：", " ".join(cc[i : i + 5] for i in range(0, 20, 5))))
    for k, (label, value) in enumerate(labels):
        y = height - 12 * MM - k * 5.5 * MM
        text(c, 160 * MM, y, label, 8.5, colour=BROWN)
        text(c, 177 * MM, y, value, 9)


def _party_rows(c: Canvas, party: Party, left: float, y_top: float, *, step: float, size: float) -> None:
    """The four label/value rows of an old-style invoice's 购买方 or 销售方 block."""
    rows = [
        ("名        称：", party.name),
        ("纳税人识别号：", party.tax_id),
        ("地 址、电 话：", party.address),
        ("开户行及账号：", party.bank),
    ]
    for k, (label, value) in enumerate(rows):
        y = y_top - k * step
        text(c, left + 11 * MM, y, label, 8, colour=BROWN)
        text(c, left + 34 * MM, y, value, size)


def _totals(
    c: Canvas,
    inv: Invoice,
    left: float,
    cols: list[float],
    y_sum: float,
    *,
    words_x: float,
    small_x: tuple[float, float],
) -> float:
    """The 合计 row and the 价税合计 row (大写 at ``words_x``; 小写 label and figure at ``small_x``), both
    layouts; returns the 价税合计 row's y."""
    right = cols[-1]
    text_center(c, (left + cols[0]) / 2, y_sum, "合        计", 8.5, colour=BROWN)
    text_right(c, cols[5] - 2, y_sum, "¥" + _num(inv.amount), 8.5)
    text_right(c, cols[7] - 2, y_sum, "¥" + _num(inv.tax), 8.5)
    c.line(left, y_sum - 3 * MM, right, y_sum - 3 * MM)
    y_total: float = y_sum - 8 * MM
    text(c, left + 2 * MM, y_total, "价税合计（大写）", 8.5, colour=BROWN)
    text(c, words_x, y_total, "ⓧ " + inv.words, 9.5)
    text(c, small_x[0], y_total, "（小写）", 8.5, colour=BROWN)
    text(c, small_x[1], y_total, "¥" + _num(inv.total), 9.5)
    c.line(left, y_total - 3 * MM, right, y_total - 3 * MM)
    return y_total


def _old_seller_and_footer(c: Canvas, inv: Invoice, left: float, top_s: float) -> None:
    """销售方 block, 备注, the 收款人/复核/开票人 line and the seller's stamp."""
    text(c, left + 2 * MM, top_s - 10 * MM, "销售方", 9, colour=BROWN)
    _party_rows(c, inv.seller, left, top_s - 4 * MM, step=4.3 * MM, size=8)
    c.line(150 * MM, top_s, 150 * MM, 14 * MM)
    text(c, 151 * MM, top_s - 10 * MM, "备注", 8, colour=BROWN)
    for k, line in enumerate([inv.remark[i : i + 22] for i in range(0, len(inv.remark), 22)][:3]):
        text(c, 159 * MM, top_s - 5 * MM - k * 4.5 * MM, line, 8)
    foot = [("收款人：", inv.payee), ("复核：", inv.reviewer), ("开票人：", inv.drawer), ("销售方：（章）", "")]
    for k, (label, value) in enumerate(foot):
        text(c, (12 + k * 55) * MM, 8 * MM, label, 8.5, colour=BROWN)
        text(c, (12 + k * 55 + 13) * MM, 8 * MM, value, 8.5)
    _seal(c, inv, 165 * MM, 10 * MM, 40 * MM)


ITEMS_PER_PAGE = 5


def pages(inv: Invoice, rng: random.Random) -> list[Callable[[Canvas], None]]:
    """One drawer per page: a 数电票 with many lines continues on further pages (header repeated,
    totals on the last page), as the tax platform's PDFs do; old-style invoices are one page."""
    if not inv.digital:
        return [lambda c: draw_old(c, inv, rng)]
    chunks = [inv.items[i : i + ITEMS_PER_PAGE] for i in range(0, len(inv.items), ITEMS_PER_PAGE)]

    def drawer(chunk: list[LineItem], page: tuple[int, int]) -> Callable[[Canvas], None]:
        return lambda c: draw_digital(c, inv, rng, items=chunk, page=page)

    return [drawer(chunk, (k + 1, len(chunks))) for k, chunk in enumerate(chunks)]


def draw_digital(
    c: Canvas, inv: Invoice, rng: random.Random, *, items: list[LineItem] | None = None, page: tuple[int, int] = (1, 1)
) -> None:
    """数电票 (全面数字化的电子发票): no 发票代码, 20-digit number, buyer and seller side by side."""
    width, height = DIGITAL_SIZE
    last = page[0] == page[1]
    if page[1] > 1:
        text(c, 180 * MM, 4 * MM, f"共{page[1]}页 第{page[0]}页", 8)
    c.setStrokeColorRGB(*BROWN)
    text_center(c, width / 2, height - 15 * MM, inv.title, 16, colour=BROWN)
    c.line(width / 2 - 35 * MM, height - 17 * MM, width / 2 + 35 * MM, height - 17 * MM)
    draw_pil(c, qr_image(inv.qr_payload()), (8 * MM, height - 30 * MM, 22 * MM, 22 * MM))
    text(c, 145 * MM, height - 14 * MM, "发票号码：", 9, colour=BROWN)
    text(c, 162 * MM, height - 14 * MM, inv.number, 9)
    text(c, 145 * MM, height - 21 * MM, "开票日期：", 9, colour=BROWN)
    text(c, 162 * MM, height - 21 * MM, _date_cn(inv), 9)
    left, right, top = 6 * MM, 204 * MM, height - 33 * MM
    c.rect(left, 12 * MM, right - left, top - 12 * MM)
    mid = width / 2
    c.line(mid, top, mid, top - 20 * MM)
    c.line(left, top - 20 * MM, right, top - 20 * MM)
    for x, label, party in ((left, "购买方信息", inv.buyer), (mid, "销售方信息", inv.seller)):
        for k, ch in enumerate(label[:3]):
            text(c, x + 2 * MM, top - 6 * MM - k * 4 * MM, ch, 8, colour=BROWN)
        c.line(x + 7 * MM, top, x + 7 * MM, top - 20 * MM)
        text(c, x + 9 * MM, top - 7 * MM, "名称：", 8.5, colour=BROWN)
        text(c, x + 19 * MM, top - 7 * MM, party.name, 8.5)
        text(c, x + 9 * MM, top - 15 * MM, "统一社会信用代码/纳税人识别号：", 8, colour=BROWN)
        text(c, x + 56 * MM, top - 15 * MM, party.tax_id, 8.5)
    y_items = top - 20 * MM
    cols = [62 * MM, 84 * MM, 96 * MM, 112 * MM, 140 * MM, 168 * MM, 182 * MM, right]
    headers = ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额"]
    for x, h, x_end in zip([left, *cols[:-1]], headers, cols, strict=True):
        text_center(c, (x + x_end) / 2, y_items - 5 * MM, h, 8, colour=BROWN)
    y_end = _items_block(c, items or inv.items, left, cols, y_items - 10 * MM, row_h=5 * MM, size=8)
    y_sum = min(y_end, 46 * MM)
    if not last:
        text_center(c, width / 2, y_sum - 8 * MM, "（续下页）", 9)
        text(c, 12 * MM, 6 * MM, "开票人：", 8.5, colour=BROWN)
        text(c, 25 * MM, 6 * MM, inv.drawer, 8.5)
        return
    y_total = _totals(c, inv, left, cols, y_sum, words_x=left + 34 * MM, small_x=(140 * MM, 154 * MM))
    text(c, left + 2 * MM, y_total - 12 * MM, "备注", 8.5, colour=BROWN)
    c.line(left + 10 * MM, y_total - 3 * MM, left + 10 * MM, 12 * MM)
    for k, line in enumerate([inv.remark[i : i + 48] for i in range(0, len(inv.remark), 48)][:3]):
        text(c, left + 12 * MM, y_total - 8 * MM - k * 4.5 * MM, line, 8)
    text(c, 12 * MM, 6 * MM, "开票人：", 8.5, colour=BROWN)
    text(c, 25 * MM, 6 * MM, inv.drawer, 8.5)
    _seal(c, inv, 40 * MM, 8 * MM, 38 * MM)
    del rng
