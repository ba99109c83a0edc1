"""Structured invoice data (数电票 XML, OFD custom tags) → a flat dict with docs/REFERENCE.md field names.

The tax bureau's XML names its elements in CamelCase English abbreviations (``TotalTaxAm``,
``SellerIdNum``); the aliases below map them, case-insensitively and namespace-free.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

_ALIASES: dict[str, str] = {
    "eiid": "invoice_number",
    "invoicenumber": "invoice_number",
    "invoiceno": "invoice_number",
    "fphm": "invoice_number",
    "invoicecode": "invoice_code",
    "fpdm": "invoice_code",
    "issuetime": "issue_date",
    "issuedate": "issue_date",
    "requesttime": "issue_date",
    "kprq": "issue_date",
    "buyername": "buyer_name",
    "buyeridnum": "buyer_tax_id",
    "buyertaxid": "buyer_tax_id",
    "buyertaxno": "buyer_tax_id",
    "sellername": "seller_name",
    "selleridnum": "seller_tax_id",
    "sellertaxid": "seller_tax_id",
    "sellertaxno": "seller_tax_id",
    "totalamwithouttax": "amount_excl_tax",
    "taxexclusivetotalamount": "amount_excl_tax",
    "totaltaxam": "tax_amount",
    "taxtotalamount": "tax_amount",
    "totaltax-includedamount": "total_incl_tax",
    "taxinclusivetotalamount": "total_incl_tax",
    "totaltax-includedamountinchinese": "total_in_words",
    "checkcode": "check_code",
    "jym": "check_code",
}
_MONEY = {"amount_excl_tax", "tax_amount", "total_incl_tax"}
_ITEM_TAGS = {"issuiteminformation", "goodsinfo", "item"}
_DATE = re.compile(r"(\d{4})\D{0,3}(\d{1,2})\D{0,3}(\d{1,2})")


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", maxsplit=1)[-1]


def invoice_fields(root: Element) -> dict[str, Any]:
    """The invoice fields found anywhere under ``root``; the first occurrence of each wins."""
    fields: dict[str, Any] = {}
    items: list[dict[str, str]] = []
    rates: list[str] = []
    for element in root.iter():
        tag = local_name(element.tag).lower()
        if tag in _ITEM_TAGS:
            item = _line_item(element)
            if item:
                items.append(item)
                if item.get("tax_rate"):
                    rates.append(item.pop("tax_rate"))
            continue
        name = _ALIASES.get(tag)
        text = (element.text or "").strip()
        if name and text and name not in fields:
            value = normalize_value(name, text)
            if value:
                fields[name] = value
    if items:
        fields["line_items"] = items
    if rates and len(set(rates)) == 1:
        fields["tax_rate"] = rates[0]
    return fields


def normalize_value(name: str, text: str) -> str | None:
    if name in _MONEY:
        return money(text)
    if name == "issue_date":
        return iso_date(text)
    if name.endswith("tax_id"):
        return text.replace(" ", "").upper()
    return text


def money(text: str) -> str | None:
    cleaned = re.sub(r"[¥￥,，\s元]", "", text)
    try:
        return f"{Decimal(cleaned):.2f}"
    except InvalidOperation:
        return None


def iso_date(text: str) -> str | None:
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def tax_rate(text: str) -> str | None:
    """``0.06``, ``6%`` or ``6`` → ``6%``; exemption words are kept as written."""
    cleaned = text.strip().rstrip("%")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return text.strip() or None
    if value < 1:
        value *= 100
    return f"{value.normalize():f}%"


def _line_item(element: Element) -> dict[str, str]:
    values = {local_name(child.tag).lower(): (child.text or "").strip() for child in element}
    name = values.get("itemname") or values.get("goodsname") or values.get("name") or ""
    amount = money(values.get("amount", "")) if values.get("amount") else None
    item: dict[str, str] = {}
    if name:
        item["name"] = name
    if amount:
        item["amount"] = amount
    rate = values.get("taxrate")
    if item and rate:
        normalised = tax_rate(rate)
        if normalised:
            item["tax_rate"] = normalised
    return item
