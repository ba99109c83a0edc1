"""Invoice cross-checks: 大写 vs 小写, amount + tax = total, tax = amount × rate, credit-code check.

Each check both moves field confidence (agreement from an independent reading is the best
evidence a value is right) and is recorded for the policy checks, which turn failures into findings.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.fields import credit_code
from extractors.fields.amount_words import parse_amount_words
from extractors.fields.canonical import money_str
from extractors.fields.common import confirm, doubt
from models import ExtractedField

RATE_TOLERANCE = Decimal("0.06")


def _dec(fields: dict[str, ExtractedField], name: str) -> Decimal | None:
    f = fields.get(name)
    if f is None:
        return None
    try:
        return Decimal(str(f.value))
    except InvalidOperation:
        return None


def _derived(template: ExtractedField, value: str, confidence: float) -> ExtractedField:
    return template.model_copy(update={"value": value, "confidence": confidence, "source": "derived"})


def check_words(fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    words = fields.get("total_in_words")
    if words is None:
        return
    try:
        stated = parse_amount_words(str(words.value))
    except ValueError as exc:
        checks["amount_words"] = {"status": "unparsed", "words": words.value, "reason": str(exc)}
        fields["total_in_words"] = doubt(words)
        return
    total = _dec(fields, "total_incl_tax")
    if total is None:
        fields["total_incl_tax"] = _derived(words, money_str(stated), min(words.confidence, 0.85))
        checks["amount_words"] = {"status": "derived", "words_value": money_str(stated)}
        return
    ok = stated == total
    checks["amount_words"] = {
        "status": "match" if ok else "mismatch",
        "words_value": money_str(stated),
        "total": money_str(total),
    }
    update = confirm if ok else doubt
    fields["total_in_words"] = update(words)
    fields["total_incl_tax"] = update(fields["total_incl_tax"])


def check_arithmetic(fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    amount, tax, total = (_dec(fields, n) for n in ("amount_excl_tax", "tax_amount", "total_incl_tax"))
    if amount is not None and tax is None and total is not None and "tax_amount" not in fields:
        fields["tax_amount"] = _derived(fields["amount_excl_tax"], money_str(total - amount), 0.8)
        tax = total - amount
    if amount is None or tax is None or total is None:
        checks["arithmetic"] = {"status": "incomplete"}
        return
    ok = amount + tax == total
    result: dict[str, Any] = {
        "status": "match" if ok else "mismatch",
        "amount_excl_tax": money_str(amount),
        "tax_amount": money_str(tax),
        "total_incl_tax": money_str(total),
    }
    for name in ("amount_excl_tax", "tax_amount", "total_incl_tax"):
        fields[name] = confirm(fields[name]) if ok else doubt(fields[name])
    rate = _rate(fields)
    if rate is not None:
        expected = (amount * rate).quantize(Decimal("0.01"))
        # lines are taxed one by one and rounded, so the sum may drift by a few fen per line
        items = fields.get("line_items")
        lines = len(items.value) if items is not None and isinstance(items.value, list) else 1
        rate_ok = abs(expected - tax) <= RATE_TOLERANCE + Decimal("0.01") * lines
        result["rate"] = {
            "status": "match" if rate_ok else "mismatch",
            "rate": str(fields["tax_rate"].value),
            "expected_tax": money_str(expected),
        }
        if rate_ok and ok:
            fields["tax_rate"] = confirm(fields["tax_rate"])
    checks["arithmetic"] = result


def _rate(fields: dict[str, ExtractedField]) -> Decimal | None:
    f = fields.get("tax_rate")
    if f is None:
        return None
    text = str(f.value)
    if text == "免税":
        return Decimal(0)
    if not text.endswith("%") or "," in text:
        return None
    try:
        return Decimal(text[:-1]) / 100
    except InvalidOperation:
        return None


def check_credit_codes(fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    out: dict[str, Any] = {}
    for name in ("buyer_tax_id", "seller_tax_id"):
        f = fields.get(name)
        if f is None:
            continue
        code = str(f.value)
        if not credit_code.looks_like_credit_code(code):
            out[name] = {"status": "not_credit_code", "value": code}
            continue
        valid = credit_code.is_valid(code)
        out[name] = {"status": "valid" if valid else "invalid", "value": code}
        if f.extractor.endswith(":shape"):
            continue  # the code is valid, but whose it is was guessed from position
        fields[name] = confirm(f) if valid else doubt(f)
    if out:
        checks["credit_codes"] = out


def check_line_items(fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    """The item amounts (discount lines included) add up to 合计金额: every item was read, and right."""
    items = fields.get("line_items")
    amount = _dec(fields, "amount_excl_tax")
    if items is None or amount is None or not isinstance(items.value, list):
        return
    try:
        total = sum((Decimal(str(i["amount"])) for i in items.value), Decimal(0))
    except (InvalidOperation, KeyError, TypeError):
        return
    ok = total == amount
    checks["line_items"] = {
        "status": "match" if ok else "mismatch",
        "sum": money_str(total),
        "amount_excl_tax": money_str(amount),
    }
    fields["line_items"] = confirm(items) if ok else doubt(items)


def apply_cross_checks(fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    check_words(fields, checks)
    check_arithmetic(fields, checks)
    check_line_items(fields, checks)
    check_credit_codes(fields, checks)
