"""Exact sources for invoice fields: OFD/XML structured data and the QR payload.

They win over the printed page where they state a field, and the printed value they replace is
kept in ``checks`` so a disagreement (a doctored PDF, or an OCR misread) stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.fields.canonical import money_str, parse_date
from extractors.fields.common import CONFIRMED_TEXT, confirm
from extractors.fields.qr_payload import QrPayload, best_payload
from models import Document, ExtractedField
from models.document import FieldSource

# Keys seen in e-invoice XML/OFD data (GB/T 33190 custom tags, tax-bureau XML, pinyin initials).
_KEYS: dict[str, tuple[str, ...]] = {
    "invoice_number": ("invoicenumber", "invoiceno", "fphm", "eiid", "发票号码"),
    "invoice_code": ("invoicecode", "fpdm", "发票代码"),
    "issue_date": ("issuedate", "invoicedate", "issuetime", "kprq", "requesttime", "开票日期"),
    "buyer_name": ("buyername", "gmfmc", "购买方名称"),
    "buyer_tax_id": ("buyertaxid", "buyertaxno", "buyeridnum", "gmfnsrsbh", "buyertaxpayerid", "购买方纳税人识别号"),
    "seller_name": ("sellername", "xsfmc", "销售方名称"),
    "seller_tax_id": (
        "sellertaxid",
        "sellertaxno",
        "selleridnum",
        "xsfnsrsbh",
        "sellertaxpayerid",
        "销售方纳税人识别号",
    ),
    "amount_excl_tax": ("taxexclusivetotalamount", "amountexcltax", "hjje", "totalamountexcltax", "合计金额"),
    "tax_amount": ("taxtotalamount", "totaltaxam", "hjse", "totaltax", "合计税额"),
    "total_incl_tax": ("taxinclusivetotalamount", "totalincltax", "jshj", "totaltaxincludedamount", "价税合计"),
    "total_in_words": ("totalinwords", "taxinclusivetotalamountinwords", "jshjdx", "价税合计大写"),
    "check_code": ("invoicecheckcode", "checkcode", "jym", "校验码"),
    "tax_rate": ("taxrate", "slv", "税率"),
}
_LOOKUP = {alias: name for name, aliases in _KEYS.items() for alias in (*aliases, name.replace("_", ""))}
_EXACT = ("text_layer", "ofd", "xml")
_MONEY_FIELDS = {"amount_excl_tax", "tax_amount", "total_incl_tax"}


def _walk(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, str(key))
    elif not isinstance(data, list):
        yield prefix, data


def _norm_key(key: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", key.lower())


def _normalise(name: str, value: Any) -> Any:
    text = str(value).strip()
    if not text:
        return None
    if name in _MONEY_FIELDS:
        try:
            return money_str(Decimal(text.replace(",", "").replace("¥", "")))
        except InvalidOperation:
            return None
    if name == "issue_date":
        return parse_date(text)
    if name.endswith("tax_id"):
        return text.upper()
    if name == "tax_rate":
        m = re.fullmatch(r"0?\.(\d+)", text)
        if m:
            return f"{Decimal(text) * 100:.0f}%"
        return text if text.endswith("%") else f"{text}%"
    return text


def _line_items(data: Any) -> list[dict[str, str]] | None:
    """Line items from a list of dicts with a name and an amount, wherever the data keeps them."""
    if isinstance(data, dict):
        for key, value in data.items():
            if _norm_key(str(key)) in ("lineitems", "items", "goodsinfos", "goodsinfo", "issueitems") and isinstance(
                value, list
            ):
                out = []
                for entry in value:
                    if not isinstance(entry, dict):
                        continue
                    flat = {_norm_key(str(k)): v for k, v in _walk(entry)}
                    name = flat.get("name") or flat.get("item") or flat.get("goodsname") or flat.get("xmmc")
                    amount = flat.get("amount") or flat.get("je")
                    if name is not None and amount is not None:
                        norm = _normalise("amount_excl_tax", amount)
                        if norm is not None:
                            out.append({"name": str(name), "amount": norm})
                return out or None
            found = _line_items(value)
            if found:
                return found
    return None


def structured_fields(doc: Document) -> dict[str, Any]:
    """Contract field name → value from ``doc.structured``."""
    if not doc.structured:
        return {}
    out: dict[str, Any] = {}
    for key, value in _walk(doc.structured):
        name = _LOOKUP.get(_norm_key(key))
        if name and name not in out:
            norm = _normalise(name, value)
            if norm is not None:
                out[name] = norm
    items = _line_items(doc.structured)
    if items:
        out["line_items"] = items
    return out


def _override(
    fields: dict[str, ExtractedField],
    name: str,
    value: Any,
    *,
    source: FieldSource,
    conf: float,
    disagreements: dict[str, Any],
) -> None:
    old = fields.get(name)
    if old is not None and old.value == value:
        fields[name] = confirm(old).model_copy(update={"confidence": max(old.confidence, conf)})
        return
    if old is not None and source == "qr" and old.source in _EXACT:
        # the printed text is read exactly: a different QR value is a fault of the document, kept for the checks
        disagreements[name] = {"printed": old.value, "printed_source": old.source, "qr": value}
        return
    if old is not None:
        disagreements[name] = {
            "printed": old.value,
            "printed_source": old.source,
            "printed_confidence": old.confidence,
            source: value,
        }
    fields[name] = ExtractedField(
        value=value,
        confidence=conf,
        page=old.page if old else 1,
        bbox=old.bbox if old else None,
        extractor="invoice",
        source=source,
    )


def apply_structured(doc: Document, fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    found = structured_fields(doc)
    if not found:
        return
    source: FieldSource = "xml" if doc.text_source == "xml" else "ofd"
    disagreements: dict[str, Any] = {}
    for name, value in found.items():
        _override(fields, name, value, source=source, conf=CONFIRMED_TEXT, disagreements=disagreements)
    checks["structured"] = {"fields": sorted(found), "disagreements": disagreements}


def apply_qr(doc: Document, fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    """Compare the QR payload with the printed fields; the payload's exact values win."""
    payload = best_payload([p for page in doc.pages for p in page.qr_payloads])
    if payload is None:
        return
    result: dict[str, Any] = {"payload": payload.raw, "type_code": payload.type_code, "mismatches": {}}
    mismatches: dict[str, Any] = result["mismatches"]
    for name, value in _qr_values(payload).items():
        _override(fields, name, value, source="qr", conf=0.99, disagreements=mismatches)
    if payload.invoice_code is None and "invoice_code" in fields and len(payload.invoice_number) == 20:
        mismatches["invoice_code"] = {"printed": fields["invoice_code"].value, "qr": None}
    result["amount_matched"] = _amount_match(payload, fields)
    if payload.amount is not None and result["amount_matched"] is None:
        result["amount_mismatch"] = {
            "qr": payload.amount,
            "amount_excl_tax": fields["amount_excl_tax"].value if "amount_excl_tax" in fields else None,
            "total_incl_tax": fields["total_incl_tax"].value if "total_incl_tax" in fields else None,
        }
    result["status"] = "mismatch" if mismatches or "amount_mismatch" in result else "match"
    checks["qr"] = result


def _qr_values(payload: QrPayload) -> dict[str, str]:
    out = {"invoice_number": payload.invoice_number}
    if payload.invoice_code:
        out["invoice_code"] = payload.invoice_code
    if payload.issue_date:
        out["issue_date"] = payload.issue_date
    if payload.check_code and len(payload.check_code) == 20:
        out["check_code"] = payload.check_code
    return out


def _amount_match(payload: QrPayload, fields: dict[str, ExtractedField]) -> str | None:
    """Which printed figure the payload's amount equals: 金额 on old invoices, often 价税合计 on 数电票."""
    if payload.amount is None:
        return None
    for name in ("amount_excl_tax", "total_incl_tax"):
        f = fields.get(name)
        if f is not None and f.value == payload.amount:
            fields[name] = confirm(f)
            return name
    return None
