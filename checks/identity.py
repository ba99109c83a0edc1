"""Whose evidence is it, and when: the applicant must be the buyer / a contract party, within the period.

Identity is decided by name (the structure-aware matcher, look-alikes counted only where the field
was read by OCR) and, where both sides carry one, by 统一社会信用代码, the stronger key.
"""

from __future__ import annotations

import datetime as dt

from checks.base import Context, as_date, make
from checks.gate import decide, rests_on
from checks.identity_rules import (
    applicant_basis,
    buyer_verdict,
    compare_party,
    effective_credit_code,
    field_source,
    tax_id,
    without_asks,
)
from checks.policy import Period
from matchers.party import compare_codes
from models.document import Document
from models.findings import Finding, FindingCode


def check_buyers(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    code, typo = effective_credit_code(ctx)
    out += typo
    for doc in ctx.of_type("invoice"):
        found: list[Finding] = []
        name = ctx.read(doc, "buyer_name", "购买方是否为申报单位", found)
        tax = tax_id(ctx, doc, "buyer_tax_id", found)
        if name is None:
            out += found
            continue
        names = compare_party(ctx, doc, "buyer_name", name.value)
        codes = compare_codes(tax.value, code, field_source(doc, "buyer_tax_id")) if tax is not None and code else None
        out += buyer_verdict(ctx, doc, names, codes, found)
    return out


def check_contract_parties(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for doc in ctx.of_type("contract"):
        found: list[Finding] = []
        parties = {n: ctx.read(doc, n, "合同当事方是否为申报单位", found) for n in ("party_a", "party_b")}
        readable = {n: r for n, r in parties.items() if r is not None}
        if any(compare_party(ctx, doc, n, r.value).same for n, r in readable.items()):
            # the missing party, if any, is not needed once the applicant is found
            out += [f for f in found if f.code != FindingCode.MISSING_FIELD]
            continue
        if readable:
            shown = "、".join(f"{'甲方' if n == 'party_a' else '乙方'}「{r.value}」" for n, r in readable.items())
            found = without_asks(found, set(readable))
            found.append(
                decide(
                    ctx,
                    FindingCode.CONTRACT_PARTY_NOT_APPLICANT,
                    f"{doc.path} 合同当事方 {shown} 均不是申报单位「{ctx.applicant}」",
                    [doc],
                    [*rests_on(doc, *readable), *applicant_basis(ctx)[:1]],
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
        out += _day_outside(ctx, doc, "issue_date", "开票日期", windows, tail="，不计入奖励")
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
    return out + _day_outside(ctx, doc, "sign_date", "合同签订日期", windows, tail="")


def _day_outside(
    ctx: Context, doc: Document, name: str, label: str, windows: list[Period], *, tail: str
) -> list[Finding]:
    """One dated field against the policy's windows: an error only on a reliable reading, a question otherwise."""
    out: list[Finding] = []
    read = ctx.read(doc, name, f"{label}是否在政策期间", out)
    day = as_date(read.value) if read is not None else None
    if read is not None and read.reliable and day is not None and not _inside(ctx, windows, day):
        message = f"{doc.path} {label} {day} 不在{_label(windows)}内{tail}"
        out.append(make(FindingCode.DATE_OUT_OF_PERIOD, "error", message, [doc], [name], refutes=[doc.path]))
    return out
