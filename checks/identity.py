"""Whose evidence is it, and when: the applicant must be the buyer / a contract party, within the period.

Identity is decided by name (``same_entity``) and, where both sides carry one, by 统一社会信用代码.
"""

from __future__ import annotations

import datetime as dt

from checks.base import Context, Read, as_date, make
from checks.policy import Period
from matchers.reconcile import clean_text
from models.document import Document
from models.findings import Finding, FindingCode


def _code_conflict(ctx: Context, read: Read | None) -> bool:
    """True when a reliable tax id on the document differs from the applicant's credit code."""
    mine = ctx.application.applicant.credit_code
    if read is None or not read.reliable or not mine:
        return False
    return clean_text(read.value) != clean_text(mine)


def _tax_id(ctx: Context, doc: Document, name: str, out: list[Finding]) -> Read | None:
    if doc.fields.get(name) is None or not ctx.application.applicant.credit_code:
        return None
    return ctx.read(doc, name, "申报单位身份核对", out)


def _exclude(found: list[Finding], doc: Document) -> None:
    """Mark the unsure reading's finding so the document is left out of the award."""
    for f in found:
        if f.code == FindingCode.LOW_CONFIDENCE_FIELD:
            f.details["excludes"] = [doc.path]


def check_buyers(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for doc in ctx.of_type("invoice"):
        found: list[Finding] = []
        name = ctx.read(doc, "buyer_name", "购买方是否为申报单位", found)
        tax = _tax_id(ctx, doc, "buyer_tax_id", found)
        reasons: list[str] = []
        fields: list[str] = []
        name_differs = name is not None and not ctx.is_applicant(name.value)
        if name is not None and name_differs and name.reliable:
            reasons.append(f"购买方名称「{name.value}」与申报单位「{ctx.applicant}」不符")
            fields.append("buyer_name")
        elif name_differs and not (tax is not None and tax.reliable and not _code_conflict(ctx, tax)):
            _exclude(found, doc)
        if _code_conflict(ctx, tax):
            reasons.append(
                f"购买方税号 {tax.value if tax else ''} 与申报单位信用代码 {ctx.application.applicant.credit_code} 不符"
            )
            fields.append("buyer_tax_id")
        code_confirms = tax is not None and tax.reliable and not _code_conflict(ctx, tax)
        if reasons and fields == ["buyer_name"] and code_confirms:
            # two readings of one party disagree: more likely a mislocated name than a forged invoice
            found.append(
                make(
                    FindingCode.BUYER_NOT_APPLICANT,
                    "warning",
                    f"{doc.path}：{reasons[0]}，但购买方税号 {tax.value if tax else ''} 与申报单位一致，请人工核对票面",
                    [doc],
                    ["buyer_name", "buyer_tax_id"],
                )
            )
        elif reasons:
            found.append(
                make(
                    FindingCode.BUYER_NOT_APPLICANT,
                    "error",
                    f"{doc.path}：" + "；".join(reasons),
                    [doc],
                    fields,
                    refutes=[doc.path],
                )
            )
        out += found
    return out


def check_contract_parties(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for doc in ctx.of_type("contract"):
        found: list[Finding] = []
        parties = {n: ctx.read(doc, n, "合同当事方是否为申报单位", found) for n in ("party_a", "party_b")}
        readable = {n: r for n, r in parties.items() if r is not None}
        if any(ctx.is_applicant(r.value) for r in readable.values()):
            # the missing party, if any, is not needed once the applicant is found
            found = [f for f in found if f.code != FindingCode.MISSING_FIELD]
        elif readable and all(r.reliable for r in readable.values()):
            shown = "、".join(f"{'甲方' if n == 'party_a' else '乙方'}「{r.value}」" for n, r in readable.items())
            found.append(
                make(
                    FindingCode.CONTRACT_PARTY_NOT_APPLICANT,
                    "error",
                    f"{doc.path} 合同当事方 {shown} 均不是申报单位「{ctx.applicant}」",
                    [doc],
                    list(readable),
                    refutes=[doc.path],
                )
            )
        out += found
    return out


def _windows(ctx: Context) -> list[Period]:
    out: list[Period] = []
    for clause in ctx.application.clauses:
        rules = ctx.policy.clauses.get(clause)
        if rules is not None and rules.check_dates:
            out.append(ctx.policy.clause_period(clause))
    return out


def _inside(ctx: Context, periods: list[Period], day: dt.date) -> bool:
    return any(p.contains(day, ctx.as_of) for p in periods)


def _label(periods: list[Period]) -> str:
    return "或".join(dict.fromkeys(p.label for p in periods))


def check_dates(ctx: Context) -> list[Finding]:
    """Invoices by issue date; contracts by service period (overlap) or, lacking one, the signing date."""
    windows = _windows(ctx)
    if not windows:
        return []
    out: list[Finding] = []
    for doc in ctx.of_type("invoice"):
        read = ctx.read(doc, "issue_date", "开票日期是否在政策期间", out)
        day = as_date(read.value) if read is not None else None
        if read is not None and read.reliable and day is not None and not _inside(ctx, windows, day):
            out.append(
                make(
                    FindingCode.DATE_OUT_OF_PERIOD,
                    "error",
                    f"{doc.path} 开票日期 {day} 不在{_label(windows)}内，不计入奖励",
                    [doc],
                    ["issue_date"],
                    refutes=[doc.path],
                )
            )
    for doc in ctx.of_type("contract"):
        out += _contract_dates(ctx, doc, windows)
    return out


def _contract_dates(ctx: Context, doc: Document, windows: list[Period]) -> list[Finding]:
    out: list[Finding] = []
    start = as_date(doc.field_value("service_start"))
    end = as_date(doc.field_value("service_end"))
    if start is not None and end is not None:
        items = [doc.fields["service_start"], doc.fields["service_end"]]
        if not all(ctx.reliable(i) for i in items):
            ctx.read(doc, "service_start", "服务期是否在政策期间", out)
            ctx.read(doc, "service_end", "服务期是否在政策期间", out)
            return out
        overlaps = any(start <= (p.end or ctx.as_of) and end >= p.start for p in windows)
        if not overlaps:
            out.append(
                make(
                    FindingCode.DATE_OUT_OF_PERIOD,
                    "error",
                    f"{doc.path} 服务期 {start} 至 {end} 与{_label(windows)}没有重叠",
                    [doc],
                    ["service_start", "service_end"],
                    refutes=[doc.path],
                )
            )
        return out
    read = ctx.read(doc, "sign_date", "合同日期是否在政策期间", out)
    day = as_date(read.value) if read is not None else None
    if read is not None and read.reliable and day is not None and not _inside(ctx, windows, day):
        out.append(
            make(
                FindingCode.DATE_OUT_OF_PERIOD,
                "error",
                f"{doc.path} 合同签订日期 {day} 不在{_label(windows)}内",
                [doc],
                ["sign_date"],
                refutes=[doc.path],
            )
        )
    return out
