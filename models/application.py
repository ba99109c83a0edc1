"""What the applicant declares in ``application.yaml`` (CONTRACT.md §2)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Clause = Literal["cloud", "xinchuang", "cert", "investment"]


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    credit_code: str | None = None


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
