"""VAT invoice data: both generations (old 增值税发票 with 发票代码, and 数电票), their QR payloads and truth."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sample_docs.gen import amounts
from sample_docs.gen.render import stable_hex

# kind → (QR type code, title, has 发票代码, has 校验码)
KINDS: dict[str, tuple[str, str, bool, bool]] = {
    "vat_special": ("01", "山西增值税专用发票", True, False),
    "vat_normal": ("04", "山西增值税普通发票", True, True),
    "vat_e_normal": ("10", "山西增值税电子普通发票", True, True),
    "digital_special": ("31", "电子发票（增值税专用发票）", False, False),
    "digital_normal": ("32", "电子发票（普通发票）", False, False),
}

CLOUD_ITEMS = (
    ("*信息技术服务*云服务费", "ECS-8C32G"),
    ("*信息技术服务*云主机租用服务", "c7.2xlarge"),
    ("*信息技术服务*对象存储服务费", "OSS-标准型"),
    ("*信息技术服务*企业上云服务费", ""),
    ("*信息技术服务*云数据库服务", "RDS-MySQL"),
    ("*信息技术服务*云安全服务", "WAF"),
)
NON_CLOUD_ITEMS = (
    ("*信息技术服务*技术服务费", ""),
    ("*信息技术服务*软件运维服务", ""),
    ("*信息技术服务*信息系统集成服务", ""),
)
HARDWARE_ITEMS = (
    ("*计算机网络设备*交换机", "S5735-L48T4X"),
    ("*计算机*服务器", "NF5280M6"),
    ("*软件*工业互联网平台软件", "V3.0"),
    ("*计算机网络设备*防火墙", "USG6555F"),
    ("*计算机网络设备*无线接入点", "AirEngine5762"),
    ("*计算机*存储设备", "AS5500G5"),
    ("*计算机*工业控制计算机", "IPC-610L"),
    ("*电子元件*光模块", "SFP-10G-SR"),
    ("*计算机外部设备*不间断电源", "UPS-20KVA"),
    ("*计算机网络设备*核心交换机", "CE6881-48S6CQ"),
    ("*软件*数据采集软件", "V2.1"),
    ("*计算机*边缘计算网关", "EG-3000"),
)


@dataclass
class LineItem:
    name: str
    spec: str
    unit: str
    qty: Decimal
    price: Decimal
    amount: Decimal
    rate: Decimal
    tax: Decimal


@dataclass
class Party:
    name: str
    tax_id: str
    address: str = ""
    bank: str = ""


@dataclass
class Invoice:
    """An invoice as printed; fault hooks override the printed totals, words or QR payload."""

    kind: str
    number: str
    issue_date: date
    buyer: Party
    seller: Party
    items: list[LineItem]
    code: str = ""
    machine_no: str = ""
    check_code: str = ""
    remark: str = ""
    drawer: str = ""
    payee: str = ""
    reviewer: str = ""
    total_override: Decimal | None = None
    words_override: str | None = None
    qr_override: dict[str, str] = field(default_factory=dict)

    @property
    def digital(self) -> bool:
        return self.kind.startswith("digital")

    @property
    def title(self) -> str:
        return KINDS[self.kind][1]

    @property
    def amount(self) -> Decimal:
        return sum((i.amount for i in self.items), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((i.tax for i in self.items), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.total_override if self.total_override is not None else self.amount + self.tax

    @property
    def words(self) -> str:
        return self.words_override or amounts.to_words(self.total)

    @property
    def rate_text(self) -> str:
        rates = {f"{int(i.rate * 100)}%" for i in self.items}
        return rates.pop() if len(rates) == 1 else "多税率"

    def qr_payload(self) -> str:
        qr_type = KINDS[self.kind][0]
        qr_amount = amounts.fmt(self.total if self.digital else self.amount)
        parts = {
            "code": self.code,
            "number": self.number,
            "amount": qr_amount,
            "date": self.issue_date.strftime("%Y%m%d"),
            "check": self.check_code,
        }
        parts.update(self.qr_override)
        tail = stable_hex(self.number, parts["amount"])
        payload = ",".join(
            ["01", qr_type, parts["code"], parts["number"], parts["amount"], parts["date"], parts["check"], tail]
        )
        return payload if self.digital else payload + ","

    def truth_fields(self) -> dict[str, object]:
        """docs/REFERENCE.md §3 values as printed on the document (faults included)."""
        out: dict[str, object] = {
            "invoice_number": self.number,
            "issue_date": self.issue_date.isoformat(),
            "buyer_name": self.buyer.name,
            "buyer_tax_id": self.buyer.tax_id,
            "seller_name": self.seller.name,
            "seller_tax_id": self.seller.tax_id,
            "amount_excl_tax": amounts.fmt(self.amount),
            "tax_amount": amounts.fmt(self.tax),
            "total_incl_tax": amounts.fmt(self.total),
            "total_in_words": self.words,
            "tax_rate": self.rate_text,
            "line_items": [{"name": i.name, "amount": amounts.fmt(i.amount)} for i in self.items],
        }
        if self.code:
            out["invoice_code"] = self.code
        if self.check_code:
            out["check_code"] = self.check_code
        return out


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def numbering(kind: str, issue: date, rng: random.Random) -> dict[str, str]:
    """发票代码 / 发票号码 / 机器编号 / 校验码 with the real lengths and structure for ``kind``."""
    yy = issue.strftime("%y")
    if kind.startswith("digital"):
        # 数电票: YY + 14 (Shanxi) + channel digit + 15-digit sequence.
        return {"number": yy + "14" + rng.choice("12") + _digits(rng, 15)}
    out = {"number": _digits(rng, 8), "machine_no": rng.choice(("66", "49", "53")) + _digits(rng, 10)}
    if kind == "vat_special":
        out["code"] = "1400" + yy + rng.choice("123") + "1" + rng.choice(("30", "60", "70"))
    else:
        out["code"] = "0" + "1400" + yy + _digits(rng, 3) + ("11" if kind == "vat_e_normal" else "04")
        out["check_code"] = _digits(rng, 20)
    return out


def split_amount(total_excl: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    """Split an amount into ``n`` positive parts with cents, summing exactly."""
    if n == 1:
        return [amounts.q(total_excl)]
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    parts = [amounts.q(total_excl * Decimal(w / sum(weights))) for w in weights[:-1]]
    return [*parts, amounts.q(total_excl - sum(parts, Decimal(0)))]


def make_items(
    rng: random.Random, amount_excl: Decimal, pool: tuple[tuple[str, str], ...], n: int, rate: Decimal
) -> list[LineItem]:
    items = []
    names = rng.sample(pool, k=min(n, len(pool)))
    for (name, spec), part in zip(names, split_amount(amount_excl, len(names), rng), strict=True):
        monthly = "月" if "服务" in name or "费" in name else "台"
        qty = Decimal(12) if monthly == "月" and rng.random() < 0.6 else Decimal(1)
        price = (part / qty).quantize(Decimal("0.00000001"))
        tax = amounts.q(part * rate)
        items.append(
            LineItem(name, spec, monthly if qty > 1 else rng.choice(("项", "套", monthly)), qty, price, part, rate, tax)
        )
    return items


def add_discount(items: list[LineItem], share: Decimal = Decimal("0.05")) -> None:
    """A 折扣行 under the first item: same name, negative amount and tax, no quantity or price.

    The first item is raised by the discount so the invoice total is unchanged.
    """
    first = items[0]
    discount = amounts.q(first.amount * share)
    first.amount += discount
    first.price = (first.amount / first.qty).quantize(Decimal("0.00000001"))
    first.tax = amounts.q(first.amount * first.rate)
    items.insert(
        1,
        LineItem(first.name, "", "", Decimal(0), Decimal(0), -discount, first.rate, -amounts.q(discount * first.rate)),
    )
