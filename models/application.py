"""What the applicant declares in ``application.yaml`` (docs/REFERENCE.md §2)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Clause = Literal["cloud", "xinchuang", "cert", "investment"]
# An award of the policies served is at most a few thousand 万元; beyond this a number is a typo or hostile.
MAX_AWARD_WAN = 1_000_000.0


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    credit_code: str | None = None

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        """A name of only spaces would match nothing and be shown as nothing."""
        if not value.strip():
            raise ValueError("申报单位名称不能只有空白字符")
        return value.strip()


class PriorAward(BaseModel):
    """An award the applicant already received, so an upgrade is paid only the difference."""

    cert_type: str
    level: int
    amount_wan: float | None = None
    year: int | None = None


class Application(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applicant: Applicant
    policy: str = "yangquan-2024"
    clauses: list[Clause] = Field(min_length=1)
    application_date: dt.date
    claimed_award_wan: float | None = None
    prior_awards: list[PriorAward] = Field(default_factory=list)

    @field_validator("claimed_award_wan", mode="before")
    @classmethod
    def _sane_award(cls, value: object) -> object:
        """NaN, infinities, negatives and 5000-digit numbers are refused with a reason, not stored."""
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and len(value.strip()) > 32:
            raise ValueError("申请奖励金额位数过多，不是有效金额")
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return value  # pydantic says it is not a number
        if not math.isfinite(number):
            raise ValueError("申请奖励金额必须是有限的数字（不能是 NaN 或无穷大）")
        if number < 0:
            raise ValueError("申请奖励金额不能为负数")
        if number > MAX_AWARD_WAN:
            raise ValueError(f"申请奖励金额过大（超过 {MAX_AWARD_WAN:,.0f} 万元），请核对单位")
        return value
