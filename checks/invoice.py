"""Invoice integrity: what an invoice says about itself must agree (QR, 大写, arithmetic, tax ids).

These need no policy knowledge: a forged or mistyped invoice contradicts itself somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from checks.base import Context, make
from checks.gate import Basis, decide, field_basis, rests_on
from extractors.fields.amount_words import parse_amount_words
from extractors.fields.credit_code import is_valid
from matchers.reconcile import clean_text, parse_amount, same_number
from models.document import CORRECTED_BY_REVIEWER, Document
from models.extraction_checks import QrRecord
from models.field_names import FIELD_LABELS, field_label
from models.findings import Finding, FindingCode

_CENT = Decimal("0.01")


def check_invoices(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for doc in ctx.of_type("invoice"):
        out += _qr(ctx, doc)
        out += _amount_words(ctx, doc)
        out += _arithmetic(ctx, doc)
        for name in ("buyer_tax_id", "seller_tax_id"):
            out += _credit_code(ctx, doc, name)
    code = ctx.application.applicant.credit_code
    if code and len(clean_text(code)) == 18 and not is_valid(clean_text(code)):
        out.append(
            make(
                FindingCode.INVALID_CREDIT_CODE,
                "error",
                f"申报书中申报单位的统一社会信用代码 {code} 校验位错误（GB 32100-2015）",
                ["application.yaml"],
                ["applicant.credit_code"],
            )
        )
    return out


def _credit_code(ctx: Context, doc: Document, name: str) -> list[Finding]:
    item = doc.fields.get(name)
    if item is None or not item.value:
        return []
    code = clean_text(item.value)
    if len(code) != 18 or is_valid(code):
        return []
    who = "购买方" if name.startswith("buyer") else "销售方"
    return [
        decide(
            ctx,
            FindingCode.INVALID_CREDIT_CODE,
            f"{doc.path} 中{who}统一社会信用代码 {code} 校验位错误（GB 32100-2015），可能被篡改或填错",
            [doc],
            rests_on(doc, name),
        )
    ]


_QR_FIELDS = ("invoice_number", "invoice_code", "issue_date")


@dataclass(frozen=True)
class _QrView:
    """What the QR code says beside what is printed: from the extractor's record or the payload."""

    payload: str
    printed: dict[str, Basis]
    qr: dict[str, str]
    amount: str | None


def _from_record(doc: Document, record: QrRecord) -> _QrView:
    """The extractor put the QR values in the fields and kept each disagreeing printed reading."""
    printed: dict[str, Basis] = {}
    qr: dict[str, str] = {}
    for name in _QR_FIELDS:
        entry = record.mismatches.get(name)
        if entry is None or entry.qr is None:
            continue
        item = doc.fields.get(name)
        if item is not None and item.extractor == CORRECTED_BY_REVIEWER:
            # the reviewer's value replaces the printed reading the record kept
            if not _same_as_qr(name, item.value, str(entry.qr)):
                printed[name], qr[name] = field_basis(doc, name), str(entry.qr)
            continue
        qr[name] = str(entry.qr)
        if entry.printed_confidence is None:
            # an exact printed reading was kept in the field: the field is the basis, with its box
            printed[name] = field_basis(doc, name)
            continue
        printed[name] = Basis(doc.path, name, entry.printed, entry.printed_confidence, entry.printed_source)
    amount = record.amount_mismatch.qr if record.amount_mismatch is not None else None
    return _QrView(record.payload, printed, qr, amount)


def _same_as_qr(name: str, printed: object, qr: str) -> bool:
    return str(printed)[:10] == qr if name == "issue_date" else same_number(printed, qr)


def _amount_agrees(doc: Document, qr_amount: Decimal | None) -> bool:
    """The QR amount is one of the printed amounts (excl. or incl. tax), or total ÷ (1 + rate)."""
    if qr_amount is None:
        return True
    values = {n: parse_amount(doc.field_value(n)) for n in ("amount_excl_tax", "tax_amount", "total_incl_tax")}
    if any(v is not None and abs(v - qr_amount) <= _CENT for n, v in values.items() if n != "tax_amount"):
        return True
    amount, tax, total = values["amount_excl_tax"], values["tax_amount"], values["total_incl_tax"]
    if amount is not None and tax is not None and abs(amount + tax - qr_amount) <= _CENT:
        return True  # QR = 金额 + 税额: the printed 价税合计 is what is wrong, and the arithmetic check says so
    rate = _rate(doc.field_value("tax_rate"))
    return total is not None and rate is not None and abs(total / (1 + rate) - qr_amount) <= _CENT


def _qr(ctx: Context, doc: Document) -> list[Finding]:
    record = doc.checks.qr
    if record is None:
        return []
    view = _from_record(doc, record)
    diffs = [f"{field_label(n, 'invoice')} 票面 {b.value} ≠ 二维码 {view.qr[n]}" for n, b in view.printed.items()]
    basis = list(view.printed.values())
    if view.amount is not None and not _amount_agrees(doc, parse_amount(view.amount)):
        # the QR amount may be either printed amount: both must be read before they are said to differ
        names = ("amount_excl_tax", "total_incl_tax")
        shown = "、".join(f"{FIELD_LABELS[n]} {doc.field_value(n)}" for n in names if doc.field_value(n))
        diffs.append(f"票面{shown or '金额'} 均 ≠ 二维码金额 {view.amount}")
        basis += rests_on(doc, *names)
    if not diffs:
        return []
    return [
        decide(
            ctx,
            FindingCode.INVOICE_QR_MISMATCH,
            f"{doc.path} 二维码信息与票面不一致：" + "；".join(diffs),
            [doc],
            basis,
            qr_payload=view.payload,
            refutes=[doc.path],
        )
    ]


def _amount_words(ctx: Context, doc: Document) -> list[Finding]:
    words_item = doc.fields.get("total_in_words")
    total_item = doc.fields.get("total_incl_tax")
    if words_item is None or not words_item.value or total_item is None:
        return []
    figure = parse_amount(total_item.value)
    try:
        stated = parse_amount_words(str(words_item.value))
    except ValueError:
        stated = None
    if stated is None:
        # an unparsable 大写 is more often a mis-located field than a forgery: ask, do not accuse
        return [
            make(
                FindingCode.LOW_CONFIDENCE_FIELD,
                "warning",
                f"{doc.path} 价税合计大写「{words_item.value}」无法解析为金额，需人工核对大小写是否一致",
                [doc],
                ["total_in_words"],
            )
        ]
    if figure is None or abs(stated - figure) <= _CENT:
        return []
    return [
        decide(
            ctx,
            FindingCode.INVOICE_AMOUNT_WORDS_MISMATCH,
            f"{doc.path} 价税合计大写「{words_item.value}」（{stated:.2f} 元）与小写 {figure} 元不一致",
            [doc],
            rests_on(doc, "total_in_words", "total_incl_tax"),
            refutes=[doc.path],
        )
    ]


def _rate(value: object) -> Decimal | None:
    text = clean_text(value).rstrip("%")
    if not text or not text.replace(".", "", 1).isdigit():
        return None
    rate = Decimal(text)
    return rate / 100 if rate >= 1 or clean_text(value).endswith("%") else rate


def _arithmetic(ctx: Context, doc: Document) -> list[Finding]:
    names = ("amount_excl_tax", "tax_amount", "total_incl_tax")
    values = [parse_amount(doc.field_value(n)) for n in names]
    if any(v is None for v in values):
        return []
    amount, tax, total = (v for v in values if v is not None)
    problems: list[str] = []
    basis: list[Basis] = []
    if abs(amount + tax - total) > _CENT:
        problems.append(f"金额 {amount} + 税额 {tax} = {amount + tax} ≠ 价税合计 {total}")
        basis += rests_on(doc, *names)
    rate_item = doc.fields.get("tax_rate")
    rate = _rate(rate_item.value) if rate_item is not None else None
    if rate is not None:
        lines = doc.field_value("line_items")
        tolerance = _CENT * max(1, len(lines) if isinstance(lines, list) else 1)
        expected = (amount * rate).quantize(_CENT)
        if abs(expected - tax) > tolerance:
            problems.append(f"税额 {tax} ≠ 金额 {amount} × 税率 {doc.field_value('tax_rate')} = {expected}")
            basis += rests_on(doc, "amount_excl_tax", "tax_amount", "tax_rate")
    if not problems:
        return []
    unique = list({b.field: b for b in basis}.values())
    return [
        decide(
            ctx,
            FindingCode.INVOICE_ARITHMETIC_MISMATCH,
            f"{doc.path} 金额勾稽不符：" + "；".join(problems),
            [doc],
            unique,
            refutes=[doc.path],
        )
    ]
