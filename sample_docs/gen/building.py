"""Building blocks scenarios share: providers, cloud deals (contract + invoices), detail-table rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sample_docs.gen import amounts, credit_code, names, table
from sample_docs.gen.contract import Contract
from sample_docs.gen.invoice import CLOUD_ITEMS, Invoice, Party, make_items, numbering
from sample_docs.gen.package import Submission

PEOPLE = ("王丽", "李强", "张敏", "刘洋", "陈静", "赵磊", "孙婷", "周杰", "吴芳", "郑浩")
BANKS = ("中国工商银行阳泉分行", "中国建设银行阳泉城区支行", "中国银行阳泉分行", "晋商银行阳泉分行")
STREETS = ("桃北西街", "南大街", "北大街", "义井路", "德胜街", "桃南东路")
# spend tiers of the cloud clause: award 万元 → (min, max) amount excluding tax, chosen so the tier is the
# same whether a rule sums amounts with or without tax.
TIERS = {5: (315_000, 440_000), 10: (530_000, 880_000), 20: (1_060_000, 1_750_000), 30: (2_100_000, 2_800_000)}
RATE = Decimal("0.06")


def provider(name: str) -> names.Company:
    """A provider with a credit code stable across submissions (same legal person, same code)."""
    rng = random.Random("provider:" + name)
    city = (
        "杭州"
        if "阿里" in name
        else "北京"
        if "北京" in name
        else "郑州"
        if "郑州" in name
        else "济南"
        if "浪潮" in name
        else "太原"
    )
    return names.Company(name, credit_code.make(rng, city))


def party(company: names.Company, rng: random.Random, printed: str | None = None, full: bool = True) -> Party:
    address = f"山西省阳泉市城区{rng.choice(STREETS)}{rng.randint(1, 200)}号 0353-{rng.randint(2000000, 7999999)}"
    bank = f"{rng.choice(BANKS)} {rng.randint(10**18, 10**19 - 1)}"
    return Party(printed or company.name, company.credit_code, address if full else "", bank if full else "")


def amount_for_tier(rng: random.Random, tier: int) -> Decimal:
    lo, hi = TIERS[tier]
    return Decimal(rng.randrange(lo // 100, hi // 100) * 100)


def contract_number(rng: random.Random, provider_name: str, year: int = 2023) -> str:
    prefix = {"阿里": "ALY", "腾讯": "TXY", "移动": "CMSX", "联合": "CUSX", "电信": "CTSX", "浪潮": "INSPUR"}
    tag = next((v for k, v in prefix.items() if k in provider_name), "YQ")
    return rng.choice(
        (
            f"{tag}-{year}-{rng.randint(100, 9999):04d}",
            f"{tag}{year}{rng.randint(10, 99)}{rng.randint(100, 999)}",
            f"YQSZ-{tag}-{year}{rng.randint(1, 12):02d}-{rng.randint(1, 99):03d}",
        )
    )


def add_year(d: date, years: int = 1) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


@dataclass
class Deal:
    """A contract and the invoices billed under it (not yet rendered, so faults can still change them)."""

    contract: Contract
    seller: names.Company
    invoices: list[Invoice] = field(default_factory=list)


def cloud_deal(
    sub: Submission,
    seller: names.Company,
    amount_excl: Decimal,
    kinds: list[str],
    *,
    years: int = 1,
    months: int | None = None,
    sign: date | None = None,
    printed_seller: str | None = None,
    printed_buyer: str | None = None,
    items: tuple[tuple[str, str], ...] = CLOUD_ITEMS,
    title: str = "云服务合同",
    rate: Decimal = RATE,
) -> Deal:
    """A cloud contract for one service year (or ``months``), invoiced in 2023 in ``len(kinds)`` parts."""
    rng = sub.rng
    sign = sign or date(2023, rng.randint(1, 5), rng.randint(1, 28))
    start = sign + timedelta(days=rng.randint(3, 15))
    end = (add_year(start, years) if months is None else _add_months(start, months)) - timedelta(days=1)
    year_total = amount_excl + amounts.q(amount_excl * rate)
    contract_total = year_total * years if months is None else year_total
    number = contract_number(rng, seller.name)
    content = [n.split("*")[-1] for n, _ in rng.sample(items, k=min(3, len(items)))]
    subject = f"{sub.applicant.name}企业上云服务项目" if "云" in title else f"{sub.applicant.name}信息化技术服务项目"
    ct = Contract(
        number,
        title,
        subject,
        printed_buyer or sub.applicant.name,
        printed_seller or seller.name,
        sign,
        contract_total,
        start,
        end,
        content,
    )
    deal = Deal(ct, seller)
    parts = _split(amount_excl, len(kinds), rng)
    day = max(start, date(2023, 1, 5))
    for kind, part in zip(kinds, parts, strict=True):
        day = min(day + timedelta(days=rng.randint(10, 60)), date(2023, 12, 28))
        deal.invoices.append(
            make_invoice(
                sub,
                seller,
                part,
                day,
                kind,
                items=items,
                printed_seller=printed_seller,
                printed_buyer=printed_buyer,
                remark=f"合同编号：{number}",
                rate=rate,
            )
        )
    return deal


def make_invoice(
    sub: Submission,
    seller: names.Company,
    amount_excl: Decimal,
    issue: date,
    kind: str,
    *,
    items: tuple[tuple[str, str], ...] = CLOUD_ITEMS,
    printed_seller: str | None = None,
    printed_buyer: str | None = None,
    buyer: names.Company | None = None,
    remark: str = "",
    rate: Decimal = RATE,
) -> Invoice:
    rng = sub.rng
    nb = numbering(kind, issue, rng)
    buyer_company = buyer or sub.applicant
    full = not kind.startswith("digital")
    return Invoice(
        kind=kind,
        issue_date=issue,
        buyer=party(buyer_company, rng, printed_buyer or names.vary(buyer_company.name, rng), full),
        seller=party(seller, rng, printed_seller or names.vary(seller.name, rng), full),
        items=make_items(rng, amount_excl, items, rng.choice((1, 2, 2, 3)), rate),
        remark=remark,
        drawer=rng.choice(PEOPLE),
        payee=rng.choice(PEOPLE),
        reviewer=rng.choice(PEOPLE),
        number=nb["number"],
        code=nb.get("code", ""),
        machine_no=nb.get("machine_no", ""),
        check_code=nb.get("check_code", ""),
    )


def _split(total: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    if n == 1:
        return [total]
    cut = [Decimal(rng.randrange(int(total) // 100 // (n + 1), int(total) // 100 // n) * 100) for _ in range(n - 1)]
    return [*cut, total - sum(cut, Decimal(0))]


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    return date(d.year + month // 12, month % 12 + 1, min(d.day, 28))


def table_row(inv: Invoice, contract_no: str, description: str) -> table.Row:
    return table.Row(contract_no, inv.number, inv.total, inv.issue_date, inv.seller.name.replace(" ", ""), description)


def cloud_award(amount_excl: Decimal) -> int:
    wan = amount_excl / 10000
    return 30 if wan > 200 else 20 if wan > 100 else 10 if wan > 50 else 5 if wan > 30 else 0
