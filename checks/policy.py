"""Policies as data: each rule set is a YAML file under ``checks/policies``, loaded into typed models.

A new scheme (another city, another year) is a new file, never new code: the checks read periods,
required documents, thresholds and award tables from here.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models.document import DocType
from models.errors import EvidenceError

POLICY_DIR = Path(__file__).with_name("policies")


class PolicyError(EvidenceError):
    """A policy name that has no file, or a file that does not describe a policy."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """An inclusive date window; ``end`` None means "up to the application date"."""

    start: dt.date
    end: dt.date | None = None
    label: str

    def contains(self, day: dt.date, as_of: dt.date) -> bool:
        return self.start <= day <= (self.end or as_of)


class CloudTier(_Strict):
    """Spend strictly above ``above_wan`` earns ``award_wan``."""

    above_wan: float = Field(ge=0)
    award_wan: float = Field(ge=0)


class CertTable(_Strict):
    """Awards by level for one certificate type; ``chinese_levels`` renders 1 as 一级 (ITSS)."""

    levels: dict[int, float]
    scopes: list[str] | None = None
    chinese_levels: bool = False


class ClauseRules(_Strict):
    """What every clause has: its title, the documents it requires and its own period, if any."""

    title: str
    required_documents: list[DocType] = Field(default_factory=list)
    period: Period | None = None
    check_dates: bool = True

    def lists(self) -> list[str]:
        """The reference lists this clause matches names against."""
        return []


class CloudRules(ClauseRules):
    """上云: fees paid to a listed provider, for a service of some years, awarded by spend tier."""

    provider_list: str
    fee_keywords: list[str] = Field(min_length=1)
    min_service_years: int = Field(default=1, ge=0)
    one_year_only: bool = True
    spend_basis: Literal["total_incl_tax", "amount_excl_tax"] = "total_incl_tax"
    tiers: list[CloudTier] = Field(min_length=1)

    def lists(self) -> list[str]:
        return [self.provider_list]


class CertRules(ClauseRules):
    """贯标: an award per certificate type and level; an upgrade earns the difference."""

    cert_tables: dict[str, CertTable] = Field(min_length=1)
    upgrade_difference: bool = True


class XinchuangRules(ClauseRules):
    """信创: a fixed award for an enterprise on the pilot list."""

    pilot_list: str
    award_wan: float

    def lists(self) -> list[str]:
        return [self.pilot_list]


class InvestmentRules(ClauseRules):
    """Investment: a share of the qualifying investment, capped."""

    rate: float = Field(ge=0, le=1)
    cap_wan: float = Field(ge=0)


CLAUSE_RULES: dict[str, type[ClauseRules]] = {
    "cloud": CloudRules,
    "xinchuang": XinchuangRules,
    "cert": CertRules,
    "investment": InvestmentRules,
}
CLAUSE_NAMES = tuple(CLAUSE_RULES)
_NAME_OF = {kind: name for name, kind in CLAUSE_RULES.items()}
R = TypeVar("R", bound=ClauseRules)


class SealRules(_Strict):
    """Which documents must show a visible stamp (SEAL_MISSING), and whose names seals are checked.

    Only paper-born evidence is expected to carry one: an old-style invoice (8-digit number) as a
    scan, photo or PDF, a contract read from a scan or photo. A 数电票 or an OFD/XML e-invoice is
    signed electronically and is never expected to show a red stamp.
    """

    invoices: bool = False
    contracts: bool = False


class Policy(_Strict):
    """One rule set: its qualifying period, the confidence a field needs, and its clauses."""

    name: str
    version: str
    title: str
    source: str
    policy_year: int | None = None
    period: Period
    confidence_threshold: float = Field(ge=0, le=1)
    amount_tolerance_yuan: float = Field(default=0.01, ge=0)
    clauses: dict[str, ClauseRules]
    seals: SealRules = Field(default_factory=SealRules)

    @field_validator("clauses", mode="before")
    @classmethod
    def _typed_clauses(cls, raw: object) -> object:
        """Each clause read by its own model, chosen by its name."""
        if not isinstance(raw, dict):
            return raw
        for name in raw:
            if name not in CLAUSE_RULES:
                raise ValueError(f"unknown clause {name!r}; known: {', '.join(CLAUSE_NAMES)}")
        return {n: r if isinstance(r, ClauseRules) else CLAUSE_RULES[n].model_validate(r) for n, r in raw.items()}

    def clause(self, kind: type[R]) -> R:
        """The rules of the clause ``kind`` models; KeyError when the policy has no such clause."""
        rules = self.clauses[_NAME_OF[kind]]
        if not isinstance(rules, kind):
            raise TypeError(f"clause {_NAME_OF[kind]} is a {type(rules).__name__}")
        return rules

    def clause_period(self, clause: str) -> Period:
        rules = self.clauses.get(clause)
        return rules.period if rules is not None and rules.period is not None else self.period


def available_policies() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml"))


@cache
def load_policy(name: str) -> Policy:
    """Load ``checks/policies/<name>.yaml``; a bad name or file raises PolicyError with the reason."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise PolicyError(f"政策名称无效：{name!r}")
    path = POLICY_DIR / f"{name}.yaml"
    if not path.is_file():
        raise PolicyError(f"未知政策 {name}（可用：{'、'.join(available_policies())}）")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        policy = Policy.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise PolicyError(f"政策文件 {path.name} 格式错误：{exc}") from exc
    if policy.name != name:
        raise PolicyError(f"政策文件 {path.name} 的 name 字段为 {policy.name}，与文件名不符")
    return policy
