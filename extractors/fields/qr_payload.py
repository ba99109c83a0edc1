"""The VAT-invoice QR payload: ``01,<type>,<code>,<number>,<amount>,<YYYYMMDD>,<check code>,<hex>``.

Split positionally because empty fields carry meaning (a 数电票 has no code and often no check
code); the amount is 金额 (excl. tax) on old invoices and may be 价税合计 on 数电票, so the caller
records which printed figure it matched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extractors.fields.canonical import money_str

# Known 发票种类代码 (tax authority codes printed in the payload).
INVOICE_TYPES = {
    "01": "增值税专用发票",
    "02": "货物运输业增值税专用发票",
    "03": "机动车销售统一发票",
    "04": "增值税普通发票",
    "08": "增值税电子专用发票",
    "10": "增值税电子普通发票",
    "11": "增值税普通发票（卷式）",
    "14": "增值税电子普通发票（通行费）",
    "15": "二手车销售统一发票",
    "20": "全面数字化的电子发票（专用发票）",
    "26": "全面数字化的电子发票（普通发票）",
    "31": "电子发票（增值税专用发票）",
    "32": "电子发票（普通发票）",
    "51": "电子发票（铁路电子客票）",
    "61": "电子发票（航空运输电子客票行程单）",
}


@dataclass(frozen=True)
class QrPayload:
    """The fields of one payload; ``None`` where the payload leaves the position empty."""

    raw: str
    type_code: str
    invoice_code: str | None
    invoice_number: str
    amount: str | None
    issue_date: str | None
    check_code: str | None
    tail: str | None

    @property
    def is_digital(self) -> bool:
        """A 数电票: 20-digit number and no invoice code."""
        return self.invoice_code is None and len(self.invoice_number) == 20


def parse_qr_payload(raw: str) -> QrPayload | None:
    """The payload's fields, or ``None`` when it is not an invoice payload (other QR codes on a page)."""
    text = raw.strip().replace("，", ",")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 6 or parts[0] != "01":
        return None
    while len(parts) < 8:
        parts.append("")
    type_code, code, number, amount, date, check, tail = parts[1:8]
    if not re.fullmatch(r"\d{2}", type_code) or not re.fullmatch(r"\d{8}|\d{20}", number):
        return None
    if code and not re.fullmatch(r"\d{10}|\d{12}", code):
        return None
    return QrPayload(
        raw=raw,
        type_code=type_code,
        invoice_code=code or None,
        invoice_number=number,
        amount=_amount(amount),
        issue_date=_date(date),
        check_code=check or None,
        tail=tail or None,
    )


def _amount(token: str) -> str | None:
    if not token:
        return None
    try:
        value = Decimal(token)
        return money_str(value) if value.is_finite() else None
    except InvalidOperation:
        return None


def _date(token: str) -> str | None:
    if not re.fullmatch(r"\d{8}", token):
        return None
    try:
        return dt.date(int(token[:4]), int(token[4:6]), int(token[6:])).isoformat()
    except ValueError:
        return None


def best_payload(payloads: list[str]) -> QrPayload | None:
    """The first payload on a document that parses as an invoice payload."""
    for raw in payloads:
        parsed = parse_qr_payload(raw)
        if parsed is not None:
            return parsed
    return None
