"""Investment clauses: a share of the investment that the detail table, contracts and invoices prove."""

from __future__ import annotations

from decimal import Decimal

from checks.base import ClauseOutcome, Context, fmt_wan
from checks.policy import InvestmentRules
from matchers.reconcile import Reconciliation, parse_amount


def check_investment(ctx: Context, refuted: set[str], rec: Reconciliation | None) -> ClauseOutcome:
    """Counts the rows whose documents exist, agree in amount and were not refuted by another check."""
    rules = ctx.policy.clause(InvestmentRules)
    rate, cap = rules.rate, rules.cap_wan
    if rec is None:
        return ClauseOutcome("investment", [], 0.0, "未提交投资明细表，无法核定投资额，不予奖励")
    refuted_paths = set(refuted)
    verified = Decimal(0)
    counted = 0
    seen_invoices: list[str] = []
    for row in rec.verified_rows:
        docs = [p for p, rows in [*rec.invoice_rows.items(), *rec.contract_rows.items()] if row in rows]
        if any(p in refuted_paths for p in docs):
            continue
        invoices = [p for p, rows in rec.invoice_rows.items() if row in rows]
        if any(p in seen_invoices for p in invoices):
            continue  # the same invoice on two rows counts once
        seen_invoices += invoices
        amount = parse_amount(row.data.get("amount"))
        if amount is not None:
            verified += amount
            counted += 1
    award = min(float(verified) * rate / 10000, cap)
    award = round(award, 4)
    basis = (
        f"投资明细表中 {counted} 行经合同、发票核验，投资额 {verified:.2f} 元，按 {rate:.0%} 计"
        f" {fmt_wan(float(verified) * rate / 10000)} 万元，上限 {fmt_wan(cap)} 万元，奖励 {fmt_wan(award)} 万元"
    )
    return ClauseOutcome("investment", [], award, basis)
