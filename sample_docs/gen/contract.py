"""Contracts: 云服务合同 / 技术服务合同 over several pages, with parties, amounts and service period."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen import amounts
from sample_docs.gen.render import MM, draw_pil, seal_image, text, text_center, wrap

PAGE_SIZE = A4


@dataclass
class Contract:
    number: str
    title: str
    subject: str
    party_a: str
    party_b: str
    sign_date: date
    total: Decimal
    service_start: date | None
    service_end: date | None
    content: list[str]
    sign_place: str = "山西省阳泉市"
    style: dict[str, str] | None = None  # a layout family of contract_layouts (None: the classic layout)

    def truth_fields(self) -> dict[str, object]:
        out: dict[str, object] = {
            "contract_number": self.number,
            "party_a": self.party_a,
            "party_b": self.party_b,
            "sign_date": self.sign_date.isoformat(),
            "total_amount": amounts.fmt(self.total),
            "subject": self.subject,
        }
        if self.service_start and self.service_end:
            out["service_start"] = self.service_start.isoformat()
            out["service_end"] = self.service_end.isoformat()
        return out


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _paragraphs(ct: Contract) -> list[tuple[str, list[str]]]:
    if ct.service_start and ct.service_end:
        period = (
            f"本合同服务期限自{_cn(ct.service_start)}起至{_cn(ct.service_end)}止。服务期满前三十日，双方可协商续约。"
        )
    else:
        period = "本合同服务期限自乙方完成系统部署并经甲方验收合格之日起计算，具体以双方确认的验收单为准。"
    words = amounts.to_words(ct.total, yuan="元")
    money = (
        f"本合同总金额为人民币（大写）{words}（¥{amounts.fmt_grouped(ct.total)}），"
        "该价款已包含增值税及乙方提供服务所需的全部费用。"
    )
    return [
        (
            "第一条 服务内容",
            [
                f"乙方按照本合同约定向甲方提供以下服务：{'；'.join(ct.content)}。",
                "乙方应保证所提供云资源的可用性不低于99.9%，并提供7×24小时技术支持。",
            ],
        ),
        ("第二条 服务期限", [period]),
        (
            "第三条 合同金额及支付方式",
            [money, "甲方在收到乙方开具的合法有效的增值税发票后十五个工作日内支付相应款项。"],
        ),
        (
            "第四条 双方权利义务",
            [
                "甲方应按约定支付服务费用，并为乙方提供必要的配合。",
                "乙方应按照国家有关标准和本合同约定提供服务，保障甲方数据安全，未经甲方书面同意不得向第三方披露甲方数据。",
            ],
        ),
        ("第五条 保密条款", ["双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，该义务不因本合同终止而免除。"]),
        (
            "第六条 违约责任",
            [
                "任何一方违反本合同约定，应向对方承担违约责任，赔偿因此给对方造成的损失。",
                "乙方服务可用性低于约定标准的，按月度服务费的百分之五向甲方支付违约金。",
            ],
        ),
        (
            "第七条 争议解决",
            ["因本合同引起的争议，双方应友好协商解决；协商不成的，任何一方可向甲方所在地人民法院提起诉讼。"],
        ),
        ("第八条 其他", ["本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。本合同自双方签字盖章之日起生效。"]),
    ]


def pages(ct: Contract) -> list[Callable[[Canvas], None]]:
    """Cover page, clauses (as many pages as they need), and the signature page with both seals."""
    w, h = PAGE_SIZE

    def cover(c: Canvas) -> None:
        text(c, 130 * MM, h - 30 * MM, f"合同编号：{ct.number}", 11)
        text_center(c, w / 2, h - 90 * MM, ct.title, 30)
        rows = [
            ("项目名称：", ct.subject),
            ("甲方（委托方）：", ct.party_a),
            ("乙方（服务方）：", ct.party_b),
            ("签订地点：", ct.sign_place),
            ("签订日期：", _cn(ct.sign_date)),
        ]
        for k, (label, value) in enumerate(rows):
            text(c, 35 * MM, h - 140 * MM - k * 14 * MM, label + value, 14)

    body: list[tuple[str, int]] = [
        (f"甲方（委托方）：{ct.party_a}", 11),
        (f"乙方（服务方）：{ct.party_b}", 11),
        ("", 11),
        ("根据《中华人民共和国民法典》及相关法律法规，甲乙双方本着平等自愿、诚实信用的原则，", 11),
        ("经友好协商，就乙方向甲方提供服务事宜达成如下协议，以资共同遵守。", 11),
        ("", 11),
    ]
    for heading, paras in _paragraphs(ct):
        body.append((heading, 12))
        for para in paras:
            body.extend(("    " + line if i == 0 else line, 11) for i, line in enumerate(wrap(para, 38)))
        body.append(("", 11))
    per_page = 34
    chunks = [body[i : i + per_page] for i in range(0, len(body), per_page)]

    def clause_page(chunk: list[tuple[str, int]], index: int) -> Callable[[Canvas], None]:
        def draw(c: Canvas) -> None:
            for k, (line, size) in enumerate(chunk):
                text(c, 25 * MM, h - 25 * MM - k * 7 * MM, line, size)
            text_center(c, w / 2, 12 * MM, f"第 {index} 页", 9)

        return draw

    def signature(c: Canvas) -> None:
        text(c, 25 * MM, h - 30 * MM, "（以下无正文，为签署页）", 11)
        for k, (label, name) in enumerate((("甲方（盖章）：", ct.party_a), ("乙方（盖章）：", ct.party_b))):
            y = h - 70 * MM - k * 80 * MM
            text(c, 25 * MM, y, label + name, 12)
            text(c, 25 * MM, y - 12 * MM, "法定代表人或授权代表（签字）：", 12)
            text(c, 25 * MM, y - 24 * MM, f"日期：{_cn(ct.sign_date)}", 12)
            draw_pil(c, seal_image(name, "合同专用章", 360), (95 * MM, y - 36 * MM, 42 * MM, 42 * MM))

    return [cover, *(clause_page(chunk, i + 2) for i, chunk in enumerate(chunks)), signature]
