"""Seeded faults: how each finding code is provoked on a document, recorded so the truth knows it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sample_docs.gen import amounts, credit_code
from sample_docs.gen.invoice import Invoice

ALL_CODES = (
    "UNREADABLE_DOCUMENT",
    "UNKNOWN_DOCUMENT_TYPE",
    "MISSING_REQUIRED_DOCUMENT",
    "MISSING_FIELD",
    "LOW_CONFIDENCE_FIELD",
    "INVALID_CREDIT_CODE",
    "INVOICE_QR_MISMATCH",
    "INVOICE_AMOUNT_WORDS_MISMATCH",
    "INVOICE_ARITHMETIC_MISMATCH",
    "DUPLICATE_INVOICE",
    "BUYER_NOT_APPLICANT",
    "CONTRACT_PARTY_NOT_APPLICANT",
    "DATE_OUT_OF_PERIOD",
    "INVOICE_NOT_IN_TABLE",
    "CONTRACT_NOT_IN_TABLE",
    "TABLE_INVOICE_MISSING",
    "TABLE_CONTRACT_MISSING",
    "TABLE_AMOUNT_MISMATCH",
    "PROVIDER_NOT_ON_LIST",
    "PROVIDER_FUZZY_MATCH",
    "APPLICANT_NOT_ON_XINCHUANG_LIST",
    "CLOUD_FEE_NOT_ITEMIZED",
    "SERVICE_PERIOD_TOO_SHORT",
    "CERT_HOLDER_NOT_APPLICANT",
    "CERT_EXPIRED",
    "CERT_NOT_IN_POLICY_YEAR",
    "CERT_LEVEL_NOT_AWARDABLE",
    "AWARD_CLAIM_MISMATCH",
)


@dataclass
class Expected:
    """A finding the product must report; ``alternatives`` lists codes accepted in its place."""

    code: str
    documents: list[str] = field(default_factory=list)
    note: str = ""
    alternatives: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "documents": self.documents, "note": self.note}
        if self.alternatives:
            out["alternatives"] = self.alternatives
        return out


def qr_mismatch(inv: Invoice, rng: random.Random) -> str:
    """The QR code carries a different amount or date than the printed invoice."""
    if rng.random() < 0.5:
        base = inv.amount + inv.tax if inv.digital else inv.amount
        wrong = amounts.fmt(base + Decimal(rng.choice((100, 1000, 9000))))
        inv.qr_override["amount"] = wrong
        return f"二维码金额 {wrong} 与票面不符"
    wrong_day = (inv.issue_date - timedelta(days=rng.randint(3, 40))).strftime("%Y%m%d")
    inv.qr_override["date"] = wrong_day
    return f"二维码开票日期 {wrong_day} 与票面不符"


def words_mismatch(inv: Invoice, rng: random.Random) -> str:
    """大写 printed for a different amount than 小写 (a classic altered invoice)."""
    delta = Decimal(rng.choice((1000, 10000, 100)))
    inv.words_override = amounts.to_words(inv.total + delta)
    return f"大写金额 {inv.words_override} 与小写不符"


def arithmetic_mismatch(inv: Invoice, rng: random.Random) -> str:
    """价税合计 that is not 金额 + 税额 (words follow the wrong total, so only arithmetic fails)."""
    inv.total_override = inv.amount + inv.tax + Decimal(rng.choice((100, 1000, 3000)))
    return f"价税合计 {amounts.fmt(inv.total)} ≠ 金额 + 税额"


def invalid_seller_code(inv: Invoice) -> str:
    inv.seller.tax_id = credit_code.corrupt(inv.seller.tax_id)
    return f"销售方统一社会信用代码 {inv.seller.tax_id} 校验位错误"
