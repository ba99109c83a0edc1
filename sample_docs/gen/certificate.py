"""Certificates: CMMI appraisal results (English), ITSS 符合性证书, DCMM 等级证书 — what they say.

How they are drawn is ``certificate_layouts``'s.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

ITSS_LEVELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
DCMM_LEVELS = {1: "初始级", 2: "受管理级", 3: "稳健级", 4: "量化管理级", 5: "优化级"}
ITSS_ISSUER = "中国电子工业标准化技术协会信息技术服务分会"
DCMM_ISSUER = "中国电子信息行业联合会"
CMMI_ISSUER = "CMMI Institute"


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
