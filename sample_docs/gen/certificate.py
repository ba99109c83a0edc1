"""Certificates: CMMI appraisal results (English), ITSS 符合性证书, DCMM 等级证书."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from sample_docs.gen.render import MM, draw_pil, seal_image, text, text_center

ITSS_LEVELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
DCMM_LEVELS = {1: "初始级", 2: "受管理级", 3: "稳健级", 4: "量化管理级", 5: "优化级"}
ITSS_ISSUER = "中国电子工业标准化技术协会信息技术服务分会"
DCMM_ISSUER = "中国电子信息行业联合会"
CMMI_ISSUER = "CMMI Institute"
GOLD = (0.6, 0.45, 0.1)


@dataclass
class Certificate:
    cert_type: str
    level: int
    scope: str
    holder: str
    holder_english: str
    number: str
    issue_date: date
    expiry_date: date
    issuer: str
    variant: str = "classic"  # a layout family of certificate_layouts (varied / heldout profiles)

    def truth_fields(self) -> dict[str, object]:
        """DCMM has no scope (one model, no business domain): the field is not expected there."""
        out: dict[str, object] = {
            "cert_type": self.cert_type,
            "level": self.level,
            "scope": self.scope,
            "holder_name": self.holder,
            "cert_number": self.number,
            "issue_date": self.issue_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat(),
            "issuer": self.issuer,
        }
        if self.cert_type == "DCMM":
            del out["scope"]
        return out


def three_years(d: date) -> date:
    """Validity of three years, ending the day before the anniversary (as these certificates print)."""
    try:
        end = d.replace(year=d.year + 3)
    except ValueError:
        end = d.replace(year=d.year + 3, day=28)
    return end - timedelta(days=1)


def make(
    rng: random.Random, cert_type: str, level: int, *, holder: str, holder_en: str, issued: date, scope: str = ""
) -> Certificate:
    if cert_type == "CMMI":
        scope = scope or rng.choice(("CMMI-DEV V2.0", "CMMI-SVC V2.0", "CMMI-DEV V3.0"))
        number = str(rng.randint(50000, 69999))
        return Certificate(
            "CMMI",
            level,
            scope,
            holder,
            holder_en,
            number,
            issued,
            three_years(issued) + timedelta(days=1),
            CMMI_ISSUER,
        )
    if cert_type == "ITSS":
        scope = scope or rng.choice(("运行维护", "云计算服务能力"))
        tag = "YW" if scope == "运行维护" else "YJS"
        number = f"ITSS-{tag}-{level}-1403{issued.year}{rng.randint(100, 999)}{rng.randint(10, 99)}"
        return Certificate("ITSS", level, scope, holder, "", number, issued, three_years(issued), ITSS_ISSUER)
    number = f"DCMM{issued.year}{rng.randint(1000, 9999)}{level}"
    return Certificate(
        "DCMM", level, "数据管理能力成熟度", holder, "", number, issued, three_years(issued), DCMM_ISSUER
    )


def _border(c: Canvas, w: float, h: float) -> None:
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(3)
    c.rect(10 * MM, 10 * MM, w - 20 * MM, h - 20 * MM)
    c.setLineWidth(0.8)
    c.rect(13 * MM, 13 * MM, w - 26 * MM, h - 26 * MM)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def draw(c: Canvas, cert: Certificate) -> None:
    w, h = landscape(A4)
    _border(c, w, h)
    if cert.variant != "classic":
        from sample_docs.gen.certificate_layouts import DRAWERS  # the families build on this module

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


PAGE_SIZE = landscape(A4)
