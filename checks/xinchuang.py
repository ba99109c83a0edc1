"""七、信创: the applicant must be on the 2023年信息技术应用创新行业试点项目入选名单."""

from __future__ import annotations

from checks.base import ClauseOutcome, Context, fmt_wan, make
from checks.policy import XinchuangRules
from models.findings import Finding, FindingCode


def check_xinchuang(ctx: Context, refuted: set[str]) -> ClauseOutcome:
    """The applicant's name comes from application.yaml, so a 'none' verdict is always reliable."""
    rules = ctx.policy.clause(XinchuangRules)
    list_name = rules.pilot_list
    matcher = ctx.matching.lists.get(list_name)
    out: list[Finding] = []
    award = rules.award_wan
    if matcher is None:
        return ClauseOutcome("xinchuang", out, 0.0, f"未加载名单 {list_name}，无法核验", True)
    result = matcher.match(ctx.applicant)
    best = result.best
    if result.verdict == "none":
        near = f"，最接近的是「{best.name}」" if best is not None else ""
        out.append(
            make(
                FindingCode.APPLICANT_NOT_ON_XINCHUANG_LIST,
                "error",
                f"申报单位「{ctx.applicant}」不在信息技术应用创新行业试点项目入选名单"
                f"（第{ctx.matching.version_of(list_name)}版）中{near}",
                ["application.yaml"],
                ["applicant.name"],
                candidate=best.name if best else None,
            )
        )
        return ClauseOutcome("xinchuang", out, 0.0, "申报单位不在信创试点入选名单，不予奖励")
    how = "一致" if result.verdict == "exact" else f"近似匹配「{best.name if best else ''}」，请复核"
    basis = f"申报单位与信创试点入选名单{how}，奖励{fmt_wan(award)}万元"
    return ClauseOutcome("xinchuang", out, award, basis, result.verdict != "exact")
