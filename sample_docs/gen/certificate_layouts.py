"""How certificates are drawn: the classic layout of each kind, and the families beyond it
(varied / heldout profiles), behind one ``draw``.

Per kind, beyond the classic one: a bilingual certificate (Chinese and English captions side by
side), and a results sheet (CMMI: the published appraisal record; ITSS: a ruled table; DCMM: the
evaluation agency's cover with the federation as issuer). The issuer is printed as the real bodies
print it, and DCMM sheets say "Capability Maturity" too, so the kind must come from DCMM /
GB/T 36073, not from "CMMI"-like words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen.certificate import DCMM_LEVELS, ITSS_LEVELS, Certificate
from sample_docs.gen.render import MM, draw_pil, seal_image, text, text_center

PAGE_SIZE = landscape(A4)
GOLD = (0.6, 0.45, 0.1)
VARIANTS = ("classic", "bilingual", "sheet")
ISSUER_EN = {
    "中国电子工业标准化技术协会信息技术服务分会": "ITSS Branch of China Electronics Standardization Association",
    "中国电子信息行业联合会": "China Electronics Information Industry Federation",
}
DCMM_AGENCY = "山西省数据管理能力成熟度评估中心"


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
        ("评估日期 Appraisal Date:", _cn_date(cert.issue_date)),
        ("有效期至 Valid Until:", _cn_date(cert.expiry_date)),
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
        ("发证日期 Date of Issue:", _cn_date(cert.issue_date)),
        ("有效期至 Valid Until:", _cn_date(cert.expiry_date)),
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
        ("发证日期", _cn_date(cert.issue_date)),
        ("有效期至", _cn_date(cert.expiry_date)),
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
        ("发证日期 Date of Issue:", _cn_date(cert.issue_date)),
        ("有效期至 Valid Until:", _cn_date(cert.expiry_date)),
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
        ("发证日期：", _cn_date(cert.issue_date)),
        ("有效期至：", _cn_date(cert.expiry_date)),
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


def _border(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(3)
    c.rect(10 * MM, 10 * MM, w - 20 * MM, h - 20 * MM)
    c.setLineWidth(0.8)
    c.rect(13 * MM, 13 * MM, w - 26 * MM, h - 26 * MM)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def draw(c: Canvas, cert: Certificate) -> None:
    """A certificate on its page: the gold border, then its classic layout or its layout family."""
    w, h = PAGE_SIZE
    _border(c, w, h)
    if cert.variant != "classic":
        DRAWERS[(cert.cert_type, cert.variant)](c, cert, w, h)
    elif cert.cert_type == "CMMI":
        _draw_cmmi(c, cert, w, h)
    elif cert.cert_type == "ITSS":
        _draw_itss(c, cert, w, h)
    else:
        _draw_dcmm(c, cert, w, h)


def _draw_cmmi(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 40 * MM, "CMMI Institute", 20, colour=GOLD)
    text_center(c, w / 2, h - 55 * MM, "Appraisal Results", 26)
    text_center(c, w / 2, h - 72 * MM, "This is to certify that", 12)
    text_center(c, w / 2, h - 86 * MM, cert.holder, 20)
    text_center(c, w / 2, h - 95 * MM, cert.holder_english, 12)
    text_center(c, w / 2, h - 110 * MM, "has been appraised and rated at", 12)
    text_center(c, w / 2, h - 124 * MM, f"Maturity Level {cert.level}", 22)
    text_center(
        c, w / 2, h - 136 * MM, f"of the {cert.scope} model, using the SCAMPI A / CMMI Benchmark appraisal method", 11
    )
    rows = [
        ("Appraisal ID:", cert.number),
        ("Appraisal Date:", cert.issue_date.strftime("%B %d, %Y")),
        ("Expiration Date:", cert.expiry_date.strftime("%B %d, %Y")),
    ]
    for k, (label, value) in enumerate(rows):
        text(c, 70 * MM, h - 155 * MM - k * 8 * MM, label, 11)
        text(c, 110 * MM, h - 155 * MM - k * 8 * MM, value, 11)
    text(c, 190 * MM, 32 * MM, "Kirsten Kline, Chief Operating Officer", 9)
    text(c, 190 * MM, 26 * MM, "CMMI Institute, Pittsburgh, PA, USA", 9)


def _draw_itss(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 38 * MM, "信息技术服务标准（ITSS）", 16, colour=GOLD)
    text_center(c, w / 2, h - 54 * MM, "符 合 性 证 书", 28)
    text(c, 30 * MM, h - 70 * MM, f"证书编号：{cert.number}", 11)
    text(c, 40 * MM, h - 88 * MM, f"兹证明：{cert.holder}", 14)
    std = "GB/T 28827.1" if cert.scope == "运行维护" else "GB/T 37736"
    body = f"信息技术服务{cert.scope}能力符合 ITSS 标准（{std}）{ITSS_LEVELS[cert.level]}要求，特发此证。"
    text(c, 40 * MM, h - 102 * MM, body, 13)
    text(c, 40 * MM, h - 118 * MM, f"符合性等级：{ITSS_LEVELS[cert.level]}", 14)
    text(c, 40 * MM, h - 132 * MM, f"业务领域：{cert.scope}", 12)
    text(c, 40 * MM, h - 146 * MM, f"发证日期：{_cn_date(cert.issue_date)}", 12)
    text(c, 40 * MM, h - 158 * MM, f"有效期至：{_cn_date(cert.expiry_date)}", 12)
    text(c, 170 * MM, 42 * MM, f"发证机构：{cert.issuer}", 11)
    draw_pil(c, seal_image(cert.issuer, "证书专用章", 360), (200 * MM, 26 * MM, 44 * MM, 44 * MM))


def _draw_dcmm(c: Canvas, cert: Certificate, w: float, h: float) -> None:
    text_center(c, w / 2, h - 42 * MM, "数据管理能力成熟度等级证书", 26)
    text_center(c, w / 2, h - 52 * MM, "DCMM Certificate", 12, colour=GOLD)
    text(c, 30 * MM, h - 68 * MM, f"证书编号：{cert.number}", 11)
    text(c, 40 * MM, h - 86 * MM, f"{cert.holder}：", 15)
    body = "经评估，贵单位数据管理能力成熟度等级符合 GB/T 36073-2018《数据管理能力成熟度评估模型》"
    text(c, 48 * MM, h - 100 * MM, body, 12)
    level = f"{DCMM_LEVELS[cert.level]}（{cert.level}级）"
    text(c, 48 * MM, h - 112 * MM, f"{level}要求，特发此证。", 12)
    text_center(c, w / 2, h - 130 * MM, f"等级：{level}", 18)
    text(c, 40 * MM, h - 148 * MM, f"发证日期：{_cn_date(cert.issue_date)}", 12)
    text(c, 40 * MM, h - 160 * MM, f"有效期至：{_cn_date(cert.expiry_date)}", 12)
    text(c, 170 * MM, 40 * MM, f"发证单位：{cert.issuer}", 11)
    draw_pil(c, seal_image(cert.issuer, "", 360), (200 * MM, 24 * MM, 44 * MM, 44 * MM))
