"""六、企业上云: listed provider, itemised cloud fee, a service period of at least a year, spend tiers.

Only one year of a longer service period is rewarded, repeated content (the same provider and
subject over overlapping periods) counts once, and only spend in the policy period decides the tier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from checks.base import ClauseOutcome, Context, ListMatcher, Read, as_date, fmt_wan, make, party_name
from checks.policy import CloudRules
from matchers.reconcile import clean_text, parse_amount
from models.document import Document
from models.findings import Finding, FindingCode


@dataclass
class _Contract:
    doc: Document
    provider: str | None
    start: dt.date | None = None
    end: dt.date | None = None
    annual: Decimal | None = None
    too_short: bool = False
    period_ok: bool = False


@dataclass
class _Spend:
    doc: Document
    provider: str | None
    amount: Decimal = Decimal(0)
    eligible: bool = True
    unsure: bool = False
    notes: list[str] = field(default_factory=list)


def one_year_after(start: dt.date, years: int = 1) -> dt.date:
    """The last day of ``years`` full years from ``start`` (2023-03-01 → 2024-02-29)."""
    try:
        shifted = start.replace(year=start.year + years)
    except ValueError:  # 29 Feb
        shifted = start.replace(year=start.year + years, day=28) + dt.timedelta(days=1)
    return shifted - dt.timedelta(days=1)


def provider_findings(
    ctx: Context, matcher: ListMatcher | None, doc: Document, read: Read, *, field_name: str, list_name: str
) -> tuple[bool, list[Finding]]:
    """Is the provider on the list: exact fine, fuzzy a warning, none an error (if the name is reliable)."""
    if matcher is None:
        return False, []
    result = matcher.match(party_name(read.value))
    best = result.best
    if result.verdict == "exact":
        return True, []
    if result.verdict == "fuzzy" and best is not None:
        return True, [
            make(
                FindingCode.PROVIDER_FUZZY_MATCH,
                "warning",
                f"{doc.path} 云服务商「{read.value}」与云服务商名单（第{ctx.matching.version_of(list_name)}版）"
                f"中的「{best.name}」"
                f"近似匹配（{best.score:.0f}分），请复核是否为同一法人",
                [doc],
                [field_name],
                candidate=best.name,
                score=best.score,
            )
        ]
    if not read.reliable:
        return False, []
    near = f"，最接近的是「{best.name}」" if best is not None else ""
    return False, [
        make(
            FindingCode.PROVIDER_NOT_ON_LIST,
            "error",
            f"{doc.path} 云服务商「{read.value}」不在山西省企业上云云服务商名单"
            f"（第{ctx.matching.version_of(list_name)}版）中{near}",
            [doc],
            [field_name],
            refutes=[doc.path],
        )
    ]


def _contracts(ctx: Context, rules: CloudRules, matcher: ListMatcher | None) -> tuple[list[_Contract], list[Finding]]:
    out: list[Finding] = []
    items: list[_Contract] = []
    for doc in ctx.of_type("contract"):
        party_b = ctx.read(doc, "party_b", "云服务商是否在名单内", out)
        field_name = "party_b"
        if party_b is not None and ctx.is_applicant(party_b.value):
            party_b, field_name = ctx.read(doc, "party_a", "云服务商是否在名单内", out), "party_a"
        contract = _Contract(doc=doc, provider=str(party_b.value) if party_b is not None else None)
        if party_b is not None:
            out += provider_findings(
                ctx, matcher, doc, party_b, field_name=field_name, list_name=rules.provider_list or ""
            )[1]
        start = ctx.read(doc, "service_start", "服务期限是否满一年", out)
        end = ctx.read(doc, "service_end", "服务期限是否满一年", out)
        contract.start = as_date(start.value) if start is not None else None
        contract.end = as_date(end.value) if end is not None else None
        if start is not None and end is not None and contract.start and contract.end:
            year_end = one_year_after(contract.start, rules.min_service_years)
            contract.period_ok = start.reliable and end.reliable and contract.end >= year_end
            if contract.end < year_end:
                if start.reliable and end.reliable:
                    contract.too_short = True
                    out.append(
                        make(
                            FindingCode.SERVICE_PERIOD_TOO_SHORT,
                            "error",
                            f"{doc.path} 上云服务期 {contract.start} 至 {contract.end} "
                            f"不足{rules.min_service_years}年，"
                            "按规定不予奖励",
                            [doc],
                            ["service_start", "service_end"],
                            refutes=[doc.path],
                        )
                    )
            elif rules.one_year_only and contract.end > one_year_after(contract.start):
                total = ctx.read(doc, "total_amount", "多年服务期按一年计奖", out)
                amount = parse_amount(total.value) if total is not None and total.reliable else None
                if amount is not None:
                    days_total = (contract.end - contract.start).days + 1
                    days_year = (one_year_after(contract.start) - contract.start).days + 1
                    contract.annual = (amount * days_year / days_total).quantize(Decimal("0.01"))
        items.append(contract)
    return items, out


def cloud_lines(doc: Document, keywords: list[str]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(cloud lines, all lines) of an invoice's line items."""
    lines = doc.field_value("line_items")
    rows = [r for r in lines if isinstance(r, dict)] if isinstance(lines, list) else []
    cloud = [r for r in rows if any(k in clean_text(r.get("name", "")) for k in keywords)]
    return cloud, rows


def _invoice(
    ctx: Context, rules: CloudRules, matcher: ListMatcher | None, doc: Document, out: list[Finding]
) -> _Spend:
    seller = ctx.read(doc, "seller_name", "云服务商是否在名单内", out)
    spend = _Spend(doc=doc, provider=str(seller.value) if seller is not None else None)
    if seller is None:
        spend.eligible = False
    else:
        on_list, found = provider_findings(
            ctx, matcher, doc, seller, field_name="seller_name", list_name=rules.provider_list or ""
        )
        out += found
        spend.eligible = on_list
        spend.unsure |= not seller.reliable
    items = ctx.read(doc, "line_items", "发票是否单独列明上云费用", out)
    cloud, rows = cloud_lines(doc, rules.fee_keywords)
    if items is None:
        spend.eligible = False
    elif not cloud:
        spend.eligible = False
        if items.reliable:
            out.append(
                make(
                    FindingCode.CLOUD_FEE_NOT_ITEMIZED,
                    "error",
                    f"{doc.path} 发票明细未单独列出上云/云服务费用（明细："
                    + "、".join(str(r.get("name", "")) for r in rows[:5])
                    + "）",
                    [doc],
                    ["line_items"],
                    refutes=[doc.path],
                )
            )
    basis = ctx.read(doc, rules.spend_basis, "上云支出金额", out)
    total = parse_amount(basis.value) if basis is not None else None
    if total is None:
        spend.eligible = False
        return spend
    spend.unsure |= not basis.reliable if basis is not None else False
    all_sum = [parse_amount(r.get("amount")) for r in rows]
    cloud_sum = [parse_amount(r.get("amount")) for r in cloud]
    if cloud and len(cloud) < len(rows) and None not in all_sum and None not in cloud_sum:
        whole = sum((a for a in all_sum if a is not None), Decimal(0))
        part = sum((a for a in cloud_sum if a is not None), Decimal(0))
        spend.amount = (total * part / whole).quantize(Decimal("0.01")) if whole else Decimal(0)
        spend.notes.append(f"{doc.path} 仅计上云明细部分 {spend.amount} 元")
    else:
        spend.amount = total
    return spend


def _same(ctx: Context, a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and ctx.same(a, b)


def check_cloud(ctx: Context, refuted: set[str]) -> ClauseOutcome:
    rules = ctx.policy.clause(CloudRules)
    list_name = rules.provider_list or "cloud_providers"
    matcher = ctx.matching.lists.get(list_name)
    contracts, out = _contracts(ctx, rules, matcher)
    spends = [_invoice(ctx, rules, matcher, doc, out) for doc in ctx.of_type("invoice")]
    notes: list[str] = []
    unsure = False
    for spend in spends:
        # an invoice is backed by its provider's contract (by any contract when no name matches)
        linked = [c for c in contracts if _same(ctx, c.provider, spend.provider)] or contracts
        backing = [c for c in linked if c.period_ok and c.doc.path not in refuted]
        if spend.doc.path in refuted or not backing:
            if spend.eligible and spend.doc.path not in refuted and not any(c.too_short for c in linked):
                unsure = True  # the service period could not be read: unverified, not disproved
                notes.append(f"{spend.doc.path} 对应合同服务期无法核实，暂不计入")
            spend.eligible = False
    total = Decimal(0)
    for provider_spends, cap in _group_by_provider(ctx, spends, contracts):
        counted = sum((s.amount for s in provider_spends if s.eligible), Decimal(0))
        if cap is not None and counted > cap:
            notes.append(f"「{provider_spends[0].provider}」服务期超过一年，只计一年 {cap} 元（发票合计 {counted} 元）")
            counted = cap
        total += counted
        unsure |= any(s.unsure for s in provider_spends if s.eligible)
        notes += [n for s in provider_spends if s.eligible for n in s.notes]
    period = ctx.policy.clause_period("cloud")
    ranked = sorted(rules.tiers, key=lambda t: -t.above_wan)
    tier = next((t for t in ranked if total > Decimal(str(t.above_wan)) * 10000), None)
    head = f"{period.label}上云支出 {total:.2f} 元"
    if tier is None:
        low = min(t.above_wan for t in rules.tiers)
        basis = f"{head}，未超过{fmt_wan(low)}万元，不予奖励"
        amount = 0.0
    else:
        basis = f"{head}，超过{fmt_wan(tier.above_wan)}万元档，奖励{fmt_wan(tier.award_wan)}万元"
        amount = tier.award_wan
    if notes:
        basis += "（" + "；".join(notes) + "）"
    return ClauseOutcome("cloud", out, amount, basis, unsure)


def _group_by_provider(
    ctx: Context, spends: list[_Spend], contracts: list[_Contract]
) -> list[tuple[list[_Spend], Decimal | None]]:
    """Invoices grouped by provider, each group with its one-year cap (None when uncapped)."""
    groups: list[list[_Spend]] = []
    for spend in spends:
        home = next((g for g in groups if _same(ctx, g[0].provider, spend.provider)), None)
        if home is None:
            groups.append([spend])
        else:
            home.append(spend)
    out: list[tuple[list[_Spend], Decimal | None]] = []
    for group in groups:
        mine = [c for c in contracts if _same(ctx, c.provider, group[0].provider) and not c.too_short]
        if not any(c.annual is not None for c in mine):
            out.append((group, None))
            continue
        by_subject: dict[str, Decimal] = {}
        for c in mine:
            value = c.annual if c.annual is not None else parse_amount(c.doc.field_value("total_amount"))
            if value is None:
                continue
            subject = clean_text(c.doc.field_value("subject")) or c.doc.path
            by_subject[subject] = max(by_subject.get(subject, Decimal(0)), value)
        out.append((group, sum(by_subject.values(), Decimal(0)) if by_subject else None))
    return out
