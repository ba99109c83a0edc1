"""The award: per-clause amounts from verified evidence, their sum, and the check against the claim."""

from __future__ import annotations

from checks.base import ClauseOutcome, Context, fmt_wan, make
from models.findings import Finding, FindingCode
from models.result import Award

_EPSILON = 1e-6


def combine(outcomes: list[ClauseOutcome]) -> tuple[Award | None, list[Award]]:
    """``Result.award`` is the single clause's award, or the sum over clauses named 'a+b'."""
    awards = [Award(clause=o.clause, amount_wan=o.amount_wan, basis=o.basis) for o in outcomes]
    if not awards:
        return None, []
    if len(awards) == 1:
        return awards[0], awards
    total = round(sum(a.amount_wan for a in awards), 4)
    basis = "；".join(f"[{a.clause}] {a.basis}" for a in awards)
    return Award(clause="+".join(a.clause for a in awards), amount_wan=total, basis=basis), awards


def check_claim(ctx: Context, award: Award | None, unsure: bool) -> list[Finding]:
    """A claim that differs from what the evidence supports; only a warning when the figure is unsure."""
    claimed = ctx.application.claimed_award_wan
    if claimed is None or award is None or abs(claimed - award.amount_wan) < _EPSILON:
        return []
    note = "（核定依据含低置信度识别结果，请人工复核）" if unsure else ""
    return [
        make(
            FindingCode.AWARD_CLAIM_MISMATCH,
            "warning" if unsure else "error",
            f"申报奖励 {fmt_wan(claimed)} 万元，按已核验材料应为 {fmt_wan(award.amount_wan)} 万元{note}：{award.basis}",
            ["application.yaml"],
            ["claimed_award_wan"],
            claimed_wan=claimed,
            computed_wan=award.amount_wan,
        )
    ]


def unsupported_clause(clause: str, policy_name: str) -> ClauseOutcome:
    return ClauseOutcome(clause, [], 0.0, f"政策 {policy_name} 未设「{clause}」条款，不予奖励")
