"""Hand-built positioned-text documents for the field extractors (no reader, no OCR needed).

Layouts follow what real invoices print (captions and their order), with coordinates made up so
that tests exercise geometry (same row, box below, split boxes), not one generator's template.
"""

from __future__ import annotations

from collections.abc import Mapping

from models import BBox, Document, Page, TextLine


def line(
    text: str,
    x0: float,
    y0: float,
    x1: float | None = None,
    y1: float | None = None,
    *,
    conf: float = 1.0,
    source: str = "text_layer",
) -> TextLine:
    if x1 is None:
        x1 = x0 + 24 * len(text)
    if y1 is None:
        y1 = y0 + 28
    box = BBox.model_validate([x0, y0, x1, y1])
    return TextLine(text=text, raw_text=text, bbox=box, confidence=conf, source=source)  # type: ignore[arg-type]


def make_doc(
    pages: list[list[TextLine]],
    *,
    source: str = "text_layer",
    qr: list[str] | None = None,
    structured: Mapping[str, object] | None = None,
) -> Document:
    return Document(
        path="x.pdf",
        sha256="0" * 64,
        text_source=source,  # type: ignore[arg-type]
        pages=[
            Page(
                number=i + 1,
                width=1654,
                height=1100,
                dpi=200,
                lines=ls,
                text_source=source,  # type: ignore[arg-type]
                qr_payloads=(qr or []) if i == 0 else [],
            )
            for i, ls in enumerate(pages)
        ],
        structured=dict(structured) if structured is not None else None,
    )


def digital_invoice_lines(conf: float = 1.0, source: str = "text_layer") -> list[TextLine]:
    """A 数电票: 20-digit number, buyer left and seller right on the same rows, one line per cell."""

    def ln(text: str, x: float, y: float) -> TextLine:
        return line(text, x, y, conf=conf, source=source)

    return [
        ln("电子发票（普通发票）", 600, 40),
        ln("发票号码：", 1150, 60),
        ln("24142000000012345678", 1290, 60),
        ln("开票日期：", 1150, 100),
        ln("2023年05月12日", 1290, 100),
        ln("购", 40, 170),
        ln("买", 40, 200),
        ln("方", 40, 230),
        ln("名称：山西示例科技有限公司", 90, 180),
        ln("统一社会信用代码/纳税人识别号：", 90, 230),
        ln("91140300MA0K123459", 480, 230),
        ln("销", 830, 170),
        ln("售", 830, 200),
        ln("方", 830, 230),
        ln("名称：阿里云计算有限公司", 880, 180),
        ln("统一社会信用代码/纳税人识别号：", 880, 230),
        ln("91330106673959654P", 1270, 230),
        ln("项目名称", 60, 300),
        ln("规格型号", 420, 300),
        ln("单位", 560, 300),
        ln("数量", 650, 300),
        ln("单价", 760, 300),
        ln("金额", 940, 300),
        ln("税率/征收率", 1080, 300),
        ln("税额", 1300, 300),
        ln("*信息技术服务*云服务器租用", 60, 340),
        ln("年", 560, 340),
        ln("1", 660, 340),
        ln("100000", 760, 340),
        ln("100000.00", 920, 340),
        ln("6%", 1110, 340),
        ln("6000.00", 1290, 340),
        ln("*信息技术服务*云服务器租用", 60, 380),
        ln("-1000.00", 920, 380),
        ln("6%", 1110, 380),
        ln("-60.00", 1290, 380),
        ln("合", 60, 600),
        ln("计", 120, 600),
        ln("¥99000.00", 910, 600),
        ln("¥5940.00", 1280, 600),
        ln("价税合计（大写）", 60, 650),
        ln("⊗壹拾万零肆仟玖佰肆拾圆整", 330, 650),
        ln("（小写）", 1000, 650),
        ln("¥104940.00", 1120, 650),
        ln("开票人：张三", 60, 900),
    ]


def old_invoice_lines(conf: float = 1.0, source: str = "text_layer") -> list[TextLine]:
    """An old-style 普票: code + 8-digit number, 校验码 in groups, buyer on top, seller at the bottom."""

    def ln(text: str, x: float, y: float) -> TextLine:
        return line(text, x, y, conf=conf, source=source)

    return [
        ln("山西增值税电子普通发票", 560, 40),
        ln("发票代码：", 1150, 40),
        ln("014002100111", 1280, 40),
        ln("发票号码：", 1150, 80),
        ln("00123456", 1280, 80),
        ln("开票日期：2023年11月03日", 1150, 120),
        ln("校 验 码：12345 67890", 1150, 160),
        ln("12345 67890", 1480, 160),
        ln("机器编号：499099999999", 60, 160),
        ln("购买方", 30, 230),
        ln("名    称：山西示例科技有限公司", 90, 220),
        ln("密码区", 900, 230),
        ln("纳税人识别号：91140300MA0K123459", 90, 260),
        ln("地 址、电 话：阳泉市城区 0353-1234567", 90, 300),
        ln("货物或应税劳务、服务名称", 60, 360),
        ln("规格型号", 420, 360),
        ln("单位", 560, 360),
        ln("数量", 650, 360),
        ln("单价", 760, 360),
        ln("金额", 940, 360),
        ln("税率", 1100, 360),
        ln("税额", 1300, 360),
        ln("*信息技术服务*软件开发服务", 60, 400),
        ln("项", 560, 400),
        ln("1", 660, 400),
        ln("48.90", 760, 400),
        ln("48.90", 940, 400),
        ln("免税", 1100, 400),
        ln("***", 1300, 400),
        ln("合    计", 60, 600),
        ln("¥48.90", 930, 600),
        ln("***", 1300, 600),
        ln("价税合计(大写)", 60, 650),
        ln("肆拾捌圆玖角整", 330, 650),
        ln("(小写)¥48.90", 1000, 650),
        ln("销售方", 30, 720),
        ln("名    称：阳泉云数据服务有限公司", 90, 710),
        ln("纳税人识别号：91140300MA0K543218", 90, 750),
        ln("备注", 900, 720),
    ]
