"""Certificate layout families beyond the classic ones (varied / heldout profiles).

Per kind: a bilingual certificate (Chinese and English captions side by side), and a results sheet
(CMMI: the published appraisal record; ITSS: a ruled table; DCMM: the evaluation agency's cover
with the federation as issuer). The issuer is printed as the real bodies print it, and DCMM sheets
say "Capability Maturity" too, so the kind must come from DCMM / GB/T 36073, not from "CMMI"-like words.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen.certificate import DCMM_LEVELS, GOLD, ITSS_LEVELS, Certificate
from sample_docs.gen.render import MM, draw_pil, seal_image, text, text_center

VARIANTS = ("classic", "bilingual", "sheet")
ISSUER_EN = {
    "中国电子工业标准化技术协会信息技术服务分会": "ITSS Branch of China Electronics Standardization Association",
    "中国电子信息行业联合会": "China Electronics Information Industry Federation",
}
DCMM_AGENCY = "山西省数据管理能力成熟度评估中心"


def _cn(d: object) -> str:
    from datetime import date

    assert isinstance(d, date)
    return f"{d.year}年{d.month}月{d.day}日"


def _rows(c: Canvas, x: float, top: float, rows: list[tuple[str, str]], *, gap: float = 10, size: float = 12) -> None:
    for k, (label, value) in enumerate(rows):
        text(c, x, top - k * gap * MM, label, size)
        text(c, x + 62 * MM, top - k * gap * MM, value, size)


def cmmi_bilingual(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 38 * MM, "CMMI 成熟度等级评估证书", 24)
    text_center(c, w / 2, h - 50 * MM, "Certificate of CMMI Maturity Level Appraisal", 13, colour=GOLD)
    rows = [
        ("单位名称 Organization:", cert.holder),
        ("", cert.holder_english),
        ("评估模型 Model:", cert.scope),
        ("成熟度等级 Maturity Level:", f"ML{cert.level}（{cert.level}级）"),
        ("评估编号 Appraisal ID:", cert.number),
        ("评估日期 Appraisal Date:", _cn(cert.issue_date)),
        ("有效期至 Valid Until:", _cn(cert.expiry_date)),
    ]
    _rows(c, 45 * MM, h - 72 * MM, rows)
    text(c, 170 * MM, 30 * MM, f"Issued by {cert.issuer}", 11)


def cmmi_sheet(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text(c, 25 * MM, h - 28 * MM, cert.issuer, 16, colour=GOLD)
    text(c, 25 * MM, h - 40 * MM, "Published Appraisal Results", 20)
    rows = [
        ("Organization", cert.holder_english),
        ("Organizational Unit", cert.holder),
        ("Appraisal ID", cert.number),
        ("Model and Version", cert.scope),
        ("Appraisal Method", "Benchmark SCAMPI A"),
        ("Maturity Level", f"Maturity Level {cert.level}"),
        ("Appraisal End Date", cert.issue_date.strftime("%B %d, %Y")),
        ("Appraisal Expiration Date", cert.expiry_date.strftime("%B %d, %Y")),
    ]
    _rows(c, 30 * MM, h - 60 * MM, rows, gap=11)


def itss_bilingual(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 36 * MM, f"信息技术服务{cert.scope}标准符合性证书", 22)
    text_center(c, w / 2, h - 47 * MM, "Certificate of Conformity to ITSS", 13, colour=GOLD)
    rows = [
        ("证书编号 No.:", cert.number),
        ("单位名称 Organization:", cert.holder),
        ("业务领域 Domain:", cert.scope),
        ("符合性级别 Level:", ITSS_LEVELS[cert.level]),
        ("发证日期 Date of Issue:", _cn(cert.issue_date)),
        ("有效期至 Valid Until:", _cn(cert.expiry_date)),
    ]
    _rows(c, 45 * MM, h - 68 * MM, rows)
    text(c, 150 * MM, 38 * MM, cert.issuer, 12)
    text(c, 150 * MM, 31 * MM, ISSUER_EN[cert.issuer], 9)
    draw_pil(c, seal_image(cert.issuer, "证书专用章", 360), (205 * MM, 22 * MM, 42 * MM, 42 * MM))


def itss_sheet(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 36 * MM, "ITSS 信息技术服务标准符合性评估结果", 20)
    rows = [
        ("获证单位", cert.holder),
        ("证书编号", cert.number),
        ("评估标准", "GB/T 28827.1-2022" if cert.scope == "运行维护" else "GB/T 37736-2019"),
        ("业务领域", cert.scope),
        ("级别", ITSS_LEVELS[cert.level]),
        ("发证日期", _cn(cert.issue_date)),
        ("有效期至", _cn(cert.expiry_date)),
        ("发证机构", cert.issuer),
    ]
    top = h - 52 * MM
    c.setLineWidth(0.8)
    for k, (label, value) in enumerate(rows):
        y = top - (k + 1) * 12 * MM
        c.rect(40 * MM, y, 50 * MM, 12 * MM)
        c.rect(90 * MM, y, 150 * MM, 12 * MM)
        text(c, 44 * MM, y + 4 * MM, label, 12)
        text(c, 94 * MM, y + 4 * MM, value, 12)


def dcmm_bilingual(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 36 * MM, "数据管理能力成熟度等级证书", 24)
    text_center(c, w / 2, h - 47 * MM, "Data Management Capability Maturity Model (DCMM) Certificate", 12, colour=GOLD)
    level = f"{DCMM_LEVELS[cert.level]}（{cert.level}级）"
    rows = [
        ("证书编号 No.:", cert.number),
        ("单位名称 Organization:", cert.holder),
        ("评估依据 Standard:", "GB/T 36073-2018"),
        ("等级 Level:", level),
        ("发证日期 Date of Issue:", _cn(cert.issue_date)),
        ("有效期至 Valid Until:", _cn(cert.expiry_date)),
    ]
    _rows(c, 45 * MM, h - 68 * MM, rows)
    text(c, 150 * MM, 38 * MM, f"发证机构：{cert.issuer}", 12)
    text(c, 150 * MM, 31 * MM, ISSUER_EN[cert.issuer], 9)
    draw_pil(c, seal_image(cert.issuer, "", 360), (205 * MM, 22 * MM, 42 * MM, 42 * MM))


def dcmm_sheet(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    """The agency that evaluated prints its own name on top; the federation issues the certificate."""
    text(c, 25 * MM, h - 26 * MM, DCMM_AGENCY, 12)
    text_center(c, w / 2, h - 42 * MM, "DCMM 数据管理能力成熟度评估结果通知", 20)
    text(c, 40 * MM, h - 62 * MM, f"{cert.holder}：", 14)
    body = f"经评估，贵单位数据管理能力达到 GB/T 36073-2018 {DCMM_LEVELS[cert.level]}（{cert.level}级）要求。"
    text(c, 48 * MM, h - 76 * MM, body, 12)
    rows = [
        ("证书编号：", cert.number),
        ("发证日期：", _cn(cert.issue_date)),
        ("有效期至：", _cn(cert.expiry_date)),
        ("发证机构：", cert.issuer),
    ]
    _rows(c, 48 * MM, h - 96 * MM, rows, gap=11)
    text(c, 170 * MM, 30 * MM, f"评估机构：{DCMM_AGENCY}", 10)


DRAWERS: dict[tuple[str, str], Callable[[Canvas, Certificate, float, float], None]] = {
    ("CMMI", "bilingual"): cmmi_bilingual,
    ("CMMI", "sheet"): cmmi_sheet,
    ("ITSS", "bilingual"): itss_bilingual,
    ("ITSS", "sheet"): itss_sheet,
    ("DCMM", "bilingual"): dcmm_bilingual,
    ("DCMM", "sheet"): dcmm_sheet,
}
