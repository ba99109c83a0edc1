"""Invoice integrity: what an invoice says about itself must agree (QR, 大写, arithmetic, tax ids).

These need no policy knowledge: a forged or mistyped invoice contradicts itself somewhere.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checks.base import FIELD_LABELS, Context, make
from extractors.fields.amount_words import parse_amount_words
from extractors.fields.credit_code import is_valid
from extractors.fields.qr_payload import QrPayload, parse_qr_payload
from matchers.reconcile import clean_text, parse_amount, same_number
from models.document import Document
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
    out: list[Finding] = []
    read = ctx.read(doc, name, "统一社会信用代码校验", out)
    if read is not None and read.reliable:
        who = "购买方" if name.startswith("buyer") else "销售方"
        out.append(
            make(
                FindingCode.INVALID_CREDIT_CODE,
                "error",
                f"{doc.path} 中{who}统一社会信用代码 {code} 校验位错误（GB 32100-2015），可能被篡改或填错",
                [doc],
                [name],
            )
        )
    return out


def _payloads(doc: Document) -> list[QrPayload]:
    parsed = (parse_qr_payload(raw) for page in doc.pages for raw in page.qr_payloads)
    return [p for p in parsed if p is not None]


_QR_LABELS = {"invoice_number": "发票号码", "invoice_code": "发票代码", "issue_date": "开票日期"}


def _recorded_qr(ctx: Context, doc: Document, record: dict[str, Any]) -> list[Finding]:
    """Use the extractor's QR comparison: its QR values replaced the printed ones, which it kept here."""
    out: list[Finding] = []
    diffs: list[str] = []
    fields: list[str] = []
    mismatches = record.get("mismatches") or {}
    for name, label in _QR_LABELS.items():
        entry = mismatches.get(name)
        if not isinstance(entry, dict) or entry.get("qr") is None or "printed" not in entry:
            continue
        if _printed_reliable(ctx, entry):
            diffs.append(f"{label} 票面 {entry['printed']} ≠ 二维码 {entry['qr']}")
            fields.append(name)
        else:
            out.append(_unsure_printed(ctx, doc, name, entry))
    amount = mismatches.get("amount")
    if isinstance(amount, dict) and not _is_computed_total(doc, amount.get("qr")):
        present = [n for n in ("amount_excl_tax", "total_incl_tax") if doc.fields.get(n) is not None]
        if present and all(ctx.reliable(doc.fields[n]) for n in present):
            shown = "、".join(f"{FIELD_LABELS[n]} {doc.fields[n].value}" for n in present)
            diffs.append(f"票面{shown} 均 ≠ 二维码金额 {amount.get('qr')}")
            fields += present
        for n in present:
            ctx.read(doc, n, "与二维码金额核对", out)
    if diffs:
        out.append(_qr_finding(doc, diffs, fields, str(record.get("payload", ""))))
    return out


def _is_computed_total(doc: Document, qr_amount: object) -> bool:
    """QR amount = 金额 + 税额: the printed 价税合计 is what is wrong, and the arithmetic check says so."""
    values = [parse_amount(doc.field_value(n)) for n in ("amount_excl_tax", "tax_amount")]
    target = parse_amount(qr_amount)
    if target is None or values[0] is None or values[1] is None:
        return False
    return abs(values[0] + values[1] - target) <= _CENT


def _printed_reliable(ctx: Context, entry: dict[str, Any]) -> bool:
    """The printed side of a QR disagreement: by its recorded confidence, else by how it was read."""
    confidence = entry.get("printed_confidence")
    if isinstance(confidence, int | float):
        return float(confidence) >= ctx.policy.confidence_threshold
    return entry.get("printed_source") in ("text_layer", "ofd", "xml")


def _unsure_printed(ctx: Context, doc: Document, name: str, entry: dict[str, Any]) -> Finding:
    return make(
        FindingCode.LOW_CONFIDENCE_FIELD,
        "warning",
        f"{doc.path} 票面{_QR_LABELS[name]}「{entry.get('printed')}」识别置信度低，与二维码 {entry.get('qr')} "
        "不一致，需人工确认票面内容",
        [doc],
        [name],
    )


def _qr_finding(doc: Document, diffs: list[str], fields: list[str], payload: str) -> Finding:
    return make(
        FindingCode.INVOICE_QR_MISMATCH,
        "error",
        f"{doc.path} 二维码信息与票面不一致：" + "；".join(diffs),
        [doc],
        fields,
        qr_payload=payload,
        refutes=[doc.path],
    )


def _qr(ctx: Context, doc: Document) -> list[Finding]:
    record = doc.checks.get("qr")
    if isinstance(record, dict):
        return _recorded_qr(ctx, doc, record)
    payloads = _payloads(doc)
    if not payloads:
        return []
    qr = payloads[0]
    out: list[Finding] = []
    diffs: list[str] = []
    fields: list[str] = []
    purpose = "与二维码信息核对"

    number = ctx.read(doc, "invoice_number", purpose, out)
    if number is not None and number.reliable and not same_number(number.value, qr.invoice_number):
        diffs.append(f"发票号码 票面 {number.value} ≠ 二维码 {qr.invoice_number}")
        fields.append("invoice_number")
    code_item = doc.fields.get("invoice_code")
    if qr.invoice_code and code_item is not None and code_item.value:
        code = ctx.read(doc, "invoice_code", purpose, out)
        if code is not None and code.reliable and not same_number(code.value, qr.invoice_code):
            diffs.append(f"发票代码 票面 {code.value} ≠ 二维码 {qr.invoice_code}")
            fields.append("invoice_code")
    if qr.issue_date:
        date = ctx.read(doc, "issue_date", purpose, out)
        if date is not None and date.reliable and str(date.value)[:10] != qr.issue_date:
            diffs.append(f"开票日期 票面 {date.value} ≠ 二维码 {qr.issue_date}")
            fields.append("issue_date")
    qr_amount = parse_amount(qr.amount)
    if qr_amount is not None:
        printed = {n: doc.fields.get(n) for n in ("amount_excl_tax", "total_incl_tax")}
        present = {n: f for n, f in printed.items() if f is not None and parse_amount(f.value) is not None}
        if not present:
            ctx.read(doc, "total_incl_tax", purpose, out)
        elif all(ctx.reliable(f) for f in present.values()) and not any(
            abs(parse_amount(f.value) - qr_amount) <= _CENT  # type: ignore[operator]
            for f in present.values()
        ):
            shown = "、".join(f"{n} {f.value}" for n, f in present.items())
            diffs.append(f"金额 票面 {shown} 均 ≠ 二维码 {qr_amount}")
            fields += list(present)
        else:
            for n in present:
                ctx.read(doc, n, purpose, out)
    if diffs:
        out.append(_qr_finding(doc, diffs, fields, qr.raw))
    return out


def _amount_words(ctx: Context, doc: Document) -> list[Finding]:
    words_item = doc.fields.get("total_in_words")
    if words_item is None or not words_item.value:
        return []
    out: list[Finding] = []
    purpose = "大写与小写金额核对"
    words = ctx.read(doc, "total_in_words", purpose, out)
    total = ctx.read(doc, "total_incl_tax", purpose, out)
    if words is None or total is None:
        return out
    figure = parse_amount(total.value)
    try:
        stated = parse_amount_words(str(words.value))
    except ValueError:
        stated = None
    if figure is None or stated is None:
        if stated is None and words.reliable:
            # an unparsable 大写 is more often a mis-located field than a forgery: ask, do not accuse
            out.append(
                make(
                    FindingCode.LOW_CONFIDENCE_FIELD,
                    "warning",
                    f"{doc.path} 价税合计大写「{words.value}」无法解析为金额，需人工核对大小写是否一致",
                    [doc],
                    ["total_in_words"],
                )
            )
        return out
    if abs(stated - figure) > _CENT and total.reliable and not words.reliable:
        # the figure is confirmed (QR / arithmetic) but the 大写 reading is unsure: ask, do not accuse
        out = [f for f in out if "total_in_words" not in f.fields]
        out.append(
            make(
                FindingCode.INVOICE_AMOUNT_WORDS_MISMATCH,
                "warning",
                f"{doc.path} 价税合计大写识别为「{words.value}」（{stated:.2f} 元，识别置信度低），"
                f"与小写 {figure} 元不一致，请人工核对票面",
                [doc],
                ["total_in_words", "total_incl_tax"],
                excludes=[doc.path],
            )
        )
    elif abs(stated - figure) > _CENT and words.reliable and total.reliable:
        out.append(
            make(
                FindingCode.INVOICE_AMOUNT_WORDS_MISMATCH,
                "error",
                f"{doc.path} 价税合计大写「{words.value}」（{stated:.2f} 元）与小写 {figure} 元不一致",
                [doc],
                ["total_in_words", "total_incl_tax"],
                refutes=[doc.path],
            )
        )
    return out


def _rate(value: object) -> Decimal | None:
    text = clean_text(value).rstrip("%")
    if not text or not text.replace(".", "", 1).isdigit():
        return None
    rate = Decimal(text)
    return rate / 100 if rate >= 1 or clean_text(value).endswith("%") else rate


def _arithmetic(ctx: Context, doc: Document) -> list[Finding]:
    names = ("amount_excl_tax", "tax_amount", "total_incl_tax")
    if any(doc.fields.get(n) is None for n in names):
        return []
    out: list[Finding] = []
    purpose = "金额、税额与价税合计的勾稽核对"
    reads = [ctx.read(doc, n, purpose, out) for n in names]
    values = [parse_amount(r.value) if r is not None else None for r in reads]
    if any(r is None or not r.reliable for r in reads) or any(v is None for v in values):
        return out
    amount, tax, total = (v for v in values if v is not None)
    problems: list[str] = []
    fields: list[str] = []
    if abs(amount + tax - total) > _CENT:
        problems.append(f"金额 {amount} + 税额 {tax} = {amount + tax} ≠ 价税合计 {total}")
        fields += list(names)
    rate_item = doc.fields.get("tax_rate")
    rate = _rate(rate_item.value) if rate_item is not None and ctx.reliable(rate_item) else None
    if rate is not None:
        lines = doc.field_value("line_items")
        tolerance = _CENT * max(1, len(lines) if isinstance(lines, list) else 1)
        expected = (amount * rate).quantize(_CENT)
        if abs(expected - tax) > tolerance:
            problems.append(f"税额 {tax} ≠ 金额 {amount} × 税率 {rate_item.value} = {expected}")  # type: ignore[union-attr]
            fields += ["amount_excl_tax", "tax_amount", "tax_rate"]
    if problems:
        out.append(
            make(
                FindingCode.INVOICE_ARITHMETIC_MISMATCH,
                "error",
                f"{doc.path} 金额勾稽不符：" + "；".join(problems),
                [doc],
                fields,
                refutes=[doc.path],
            )
        )
    return out
