"""The well-formed companions of each bad input: an invoice PDF and an ``application.yaml``.

Every bad-input submission also holds one good invoice, so a test can prove the good document
was still read normally next to the bad one.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

APPLICANT = "山西示例科技有限公司"
SELLER = "阿里云计算有限公司"
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(first17: str) -> str:
    """Append the GB 32100-2015 check character, so the fixtures carry valid 统一社会信用代码."""
    total = sum(_CODE_CHARS.index(ch) * w for ch, w in zip(first17, _CODE_WEIGHTS, strict=True))
    return first17 + _CODE_CHARS[(31 - total % 31) % 31]


BUYER_TAX_ID = credit_code("91140300MA0K12345")
SELLER_TAX_ID = credit_code("91330106673959654")


def invoice_lines(number: str) -> list[str]:
    return [
        "电子发票（普通发票）",
        f"发票号码：{number}",
        "开票日期：2024年03月15日",
        f"购买方信息 名称：{APPLICANT}",
        f"统一社会信用代码/纳税人识别号：{BUYER_TAX_ID}",
        f"销售方信息 名称：{SELLER}",
        f"统一社会信用代码/纳税人识别号：{SELLER_TAX_ID}",
        "项目名称 *信息技术服务*云服务器租用费  金额 100000.00  税率 6%  税额 6000.00",
        "合计 ¥100000.00 ¥6000.00",
        "价税合计（大写）壹拾万陆仟圆整  （小写）¥106000.00",
    ]


def invoice_pdf(number: str) -> bytes:
    """A born-digital invoice (text layer, no OCR needed); deterministic bytes."""
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(595, 842), invariant=True)
    pdf.setFont("STSong-Light", 12)
    y = 780
    for line in invoice_lines(number):
        pdf.drawString(48, y, line)
        y -= 24
    pdf.save()
    return buf.getvalue()


def application_yaml(*, name: str = APPLICANT) -> str:
    return (
        "applicant:\n"
        f"  name: {name}\n"
        f"  credit_code: {BUYER_TAX_ID}\n"
        "policy: yangquan-2024\n"
        "clauses: [cloud]\n"
        "application_date: 2024-05-20\n"
    )


def good_submission(directory: Path, invoice_number: str) -> Path:
    """A submission folder with a valid application and one readable invoice."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "application.yaml").write_text(application_yaml(), encoding="utf-8")
    (directory / "invoice.pdf").write_bytes(invoice_pdf(invoice_number))
    return directory
