"""Contract layout families beyond the classic one (varied / heldout profiles).

Real contracts differ in where the sign date, the parties and the total stand: a header table with
签订地点/签订时间, parties introduced in running text (``…（以下简称"甲方"）``), the date only in the
signature block (签订日期 / 日期 under each seal / 签约时间) or in a closing ``本合同于…签订``, and
amounts written in a form blank in 大写 or in 万元. Each family draws the same Contract values.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen import amounts
from sample_docs.gen.contract import PAGE_SIZE, Contract, _paragraphs
from sample_docs.gen.render import MM, draw_pil, seal_image, text, text_center, wrap

LAYOUTS = ("header_table", "running_text", "signature_block")
ROLES_A = ("采购方", "委托方", "需方", "买方", "用户方")
ROLES_B = ("服务方", "供方", "供应方", "卖方", "受托方")
NUMBER_LABELS = ("合同编号", "合同号", "编号", "协议编号")
DATE_STYLES = ("cn", "cn0", "spaced", "iso", "numerals")
AMOUNT_STYLES = ("words_blank", "words_only", "wan", "figures_first")
SIGN_STYLES = ("签订日期", "日期", "签约时间", "签署日期")
Page = Callable[[Canvas], None]


def choose_style(rng: random.Random, layout: str | None = None) -> dict[str, str]:
    """One draw of every choice a family makes (kept in the Contract, so rendering is repeatable)."""
    return {
        "layout": layout or rng.choice(LAYOUTS),
        "role_a": rng.choice(ROLES_A),
        "role_b": rng.choice(ROLES_B),
        "number_label": rng.choice(NUMBER_LABELS),
        "date": rng.choice(DATE_STYLES),
        "amount": rng.choice(AMOUNT_STYLES),
        "sign": rng.choice(SIGN_STYLES),
        "parties": rng.choice(("caption", "running")),
        "seal_over": rng.choice(("yes", "no")),
    }


_NUMERALS = "〇一二三四五六七八九"


def _numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (months and days as formal contracts write them)."""
    tens, units = divmod(n, 10)
    head = ("" if tens == 1 else _NUMERALS[tens]) + "十" if tens else ""
    return head + (_NUMERALS[units] if units else "")


def numeral_date(d: date) -> str:
    """2023-05-25 → 二〇二三年五月二十五日."""
    return "".join(_NUMERALS[int(c)] for c in str(d.year)) + f"年{_numeral(d.month)}月{_numeral(d.day)}日"


def fmt_date(d: date, style: str) -> str:
    if style == "numerals":
        return numeral_date(d)
    if style == "cn0":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "spaced":
        return f"{d.year} 年 {d.month} 月 {d.day} 日"
    if style == "iso":
        return f"{d.year}-{d.month:02d}-{d.day:02d}"
    return f"{d.year}年{d.month}月{d.day}日"


def wan(value: Decimal) -> str:
    """``674160.00`` → ``67.416``: the total in 万元 without trailing zeros."""
    text_value = f"{amounts.q(value) / 10000:f}".rstrip("0").rstrip(".")
    return text_value


def amount_sentence(total: Decimal, style: str) -> str:
    words = amounts.to_words(total, yuan="元")
    grouped = amounts.fmt_grouped(total)
    if style == "words_only":
        return f"合同总价款：人民币{words}，含增值税。"
    if style == "wan":
        return f"合同金额：人民币{wan(total)}万元（含税）。"
    if style == "figures_first":
        return f"合同总金额：¥{grouped}元（大写：{words}），含增值税。"
    return f"合同总价款：人民币（大写）{words}，（小写）¥{grouped}元。"


def _body(ct: Contract, style: dict[str, str], closing: str | None) -> list[tuple[str, int]]:
    """Clauses as lines: the money clause in the family's form, an optional closing sentence."""
    paras = _paragraphs(ct)
    paras[2] = (paras[2][0], [amount_sentence(ct.total, style["amount"]), paras[2][1][1]])
    if closing:
        paras[-1] = (paras[-1][0], [*paras[-1][1], closing])
    lines: list[tuple[str, int]] = []
    for heading, texts in paras:
        lines.append((heading, 12))
        for para in texts:
            lines.extend(("    " + ln if i == 0 else ln, 11) for i, ln in enumerate(wrap(para, 38)))
        lines.append(("", 11))
    return lines


def _party_lines(ct: Contract, style: dict[str, str]) -> list[tuple[str, int]]:
    subject = (f"项目名称：{ct.subject}", 11)
    if style["parties"] == "running":
        return [
            subject,
            (f"本合同由{ct.party_a}（以下简称“甲方”）", 11),
            (f"与{ct.party_b}（以下简称“乙方”）", 11),
            ("根据《中华人民共和国民法典》及相关法律法规，经友好协商，就服务事宜订立本合同。", 11),
            ("", 11),
        ]
    return [
        subject,
        (f"甲方（{style['role_a']}）：{ct.party_a}", 11),
        (f"乙方（{style['role_b']}）：{ct.party_b}", 11),
        ("", 11),
        ("甲乙双方本着平等自愿、诚实信用的原则，经友好协商，就服务事宜达成如下协议。", 11),
        ("", 11),
    ]


def _flow_pages(lines: list[tuple[str, int]], first: int, top_mm: float = 25) -> list[Page]:
    w, h = PAGE_SIZE
    per = 34
    chunks = [lines[i : i + per] for i in range(0, len(lines), per)]

    def page(chunk: list[tuple[str, int]], number: int) -> Page:
        def draw(c: Canvas) -> None:
            for k, (ln, size) in enumerate(chunk):
                text(c, 25 * MM, h - top_mm * MM - k * 7 * MM, ln, size)
            text_center(c, w / 2, 12 * MM, f"第 {number} 页", 9)

        return draw

    return [page(chunk, first + i) for i, chunk in enumerate(chunks)]


def _header(c: Canvas, ct: Contract, style: dict[str, str]) -> None:
    w, h = PAGE_SIZE
    text(c, 120 * MM, h - 22 * MM, f"{style['number_label']}：{ct.number}", 11)
    text_center(c, w / 2, h - 38 * MM, ct.title, 22)


def _signatures(ct: Contract, style: dict[str, str], dated: bool) -> Page:
    """Two columns under the seals; the date under each seal, or one line below both."""
    _, h = PAGE_SIZE
    when = fmt_date(ct.sign_date, style["date"])

    def draw(c: Canvas) -> None:
        text(c, 25 * MM, h - 30 * MM, "（以下无正文）", 11)
        for k, (label, name) in enumerate((("甲方（盖章）：", ct.party_a), ("乙方（盖章）：", ct.party_b))):
            x = 25 * MM + k * 90 * MM
            text(c, x, h - 60 * MM, label, 12)
            text(c, x, h - 70 * MM, name, 10)
            text(c, x, h - 85 * MM, "法定代表人（签字）：", 11)
            if dated and style["sign"] == "日期":
                text(c, x, h - 100 * MM, f"日期：{when}", 11)
            seal_y = h - 108 * MM if style["seal_over"] == "yes" else h - 80 * MM
            draw_pil(c, seal_image(name, "合同专用章", 360), (x + 30 * MM, seal_y, 40 * MM, 40 * MM))
        if dated and style["sign"] != "日期":
            text(c, 25 * MM, h - 120 * MM, f"{style['sign']}：{when}", 12)
            text(c, 25 * MM, h - 130 * MM, f"签订地点：{ct.sign_place}", 12)

    return draw


def _cell_table(c: Canvas, top: float, rows: list[list[str]], widths: list[float]) -> None:
    """A ruled grid; each cell's text drawn on its own (label and value never share a string)."""
    row_h = 11 * MM
    x0 = 20 * MM
    c.setLineWidth(0.8)
    for r, cells in enumerate(rows):
        y = top - (r + 1) * row_h
        x = x0
        spans = widths if len(cells) == len(widths) else [widths[0], sum(widths[1:])]
        for cell, width in zip(cells, spans, strict=True):
            c.rect(x, y, width, row_h)
            text(c, x + 2 * MM, y + 3.6 * MM, cell, 10.5)
            x += width


def header_table(ct: Contract, style: dict[str, str]) -> list[Page]:
    when = fmt_date(ct.sign_date, style["date"])
    money = amount_sentence(ct.total, style["amount"]).split("：", 1)[1].rstrip("。")

    def cover(c: Canvas) -> None:
        w, h = PAGE_SIZE
        text_center(c, w / 2, h - 35 * MM, ct.title, 22)
        rows = [
            [style["number_label"], ct.number, "签订地点", ct.sign_place],
            ["项目名称", ct.subject],
            [f"甲方（{style['role_a']}）", ct.party_a],
            [f"乙方（{style['role_b']}）", ct.party_b],
            ["签订时间", when, "合同期限", "见第二条"],
            ["合同金额", money],
        ]
        _cell_table(c, h - 50 * MM, rows, [32 * MM, 58 * MM, 28 * MM, 52 * MM])

    body = _body(ct, style, None)
    return [cover, *_flow_pages(body, 2), _signatures(ct, style, dated=False)]


def running_text(ct: Contract, style: dict[str, str]) -> list[Page]:
    place = ct.sign_place.replace("山西省", "")
    closing = f"本合同于{fmt_date(ct.sign_date, style['date'])}在{place}签订，自双方签字盖章之日起生效。"
    lines = _party_lines(ct, style) + _body(ct, style, closing)
    pages = _flow_pages(lines, 1, top_mm=50)
    first = pages[0]

    def first_page(c: Canvas) -> None:
        _header(c, ct, style)
        first(c)

    return [first_page, *pages[1:], _signatures(ct, style, dated=False)]


def signature_block(ct: Contract, style: dict[str, str]) -> list[Page]:
    lines = _party_lines(ct, style) + _body(ct, style, None)
    pages = _flow_pages(lines, 1, top_mm=50)
    first = pages[0]

    def first_page(c: Canvas) -> None:
        _header(c, ct, style)
        first(c)

    return [first_page, *pages[1:], _signatures(ct, style, dated=True)]


FAMILIES: dict[str, Callable[[Contract, dict[str, str]], list[Page]]] = {
    "header_table": header_table,
    "running_text": running_text,
    "signature_block": signature_block,
}


def pages(ct: Contract, style: dict[str, str]) -> list[Page]:
    return FAMILIES[style["layout"]](ct, style)
