"""Reconciliation: invoices and contracts against the rows of the 投资明细表.

Numbers are compared as identifiers, not as text: full-width digits, spaces, an Excel '.0' suffix
and leading zeros lost in a number-typed cell are tolerated, but a different digit never is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from models.document import Document

_DASHES = str.maketrans({c: "-" for c in "－—–―‐‑_"})
_SCI = re.compile(r"^(\d+)(?:\.(\d+))?[eE]\+?(\d+)$")
#: significant digits an Excel float keeps; longer numbers typed as numbers are unrecoverable
_FLOAT_DIGITS = 15
#: no invoice or contract number is longer; a larger exponent (1E+999999999) is not a number to expand
_MAX_DIGITS = 30


def clean_text(value: Any) -> str:
    """NFKC (full-width → ASCII), no whitespace, unified dashes, upper case."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    return re.sub(r"\s+", "", text).translate(_DASHES).upper()


def _expand_scientific(text: str) -> str | None:
    """'2.4112E+19' → digits, or None when the float could not have held every digit."""
    match = _SCI.match(text)
    if match is None:
        return text
    whole, frac, exp = match.group(1), match.group(2) or "", int(match.group(3))
    digits = (whole + frac).lstrip("0")
    if len(digits) > _FLOAT_DIGITS or len(frac) > exp or exp >= _MAX_DIGITS:
        return None
    return whole + frac + "0" * (exp - len(frac))


def normalize_number(value: Any) -> str | None:
    """Canonical form of an invoice or contract number; None when empty.

    A float that lost digits stays in its scientific form, so it matches nothing.
    """
    text = clean_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".", 1)[0]
    return _expand_scientific(text) or text


def same_number(a: Any, b: Any) -> bool:
    """Equal identifiers; an all-digit pair may differ only by leading zeros a numeric cell dropped."""
    left, right = normalize_number(a), normalize_number(b)
    if left is None or right is None:
        return False
    if left == right:
        return True
    if left.isdigit() and right.isdigit():
        short, long_ = sorted((left, right), key=len)
        return not short.startswith("0") and long_.lstrip("0") == short
    return False


def parse_amount(value: Any) -> Decimal | None:
    """'¥106,000.00' / '１０６０００' / 106000.0 → Decimal('106000.00'); None if not a number."""
    if value is None or isinstance(value, bool):
        return None
    text = clean_text(value)
    text = re.sub(r"^(?:人民币|RMB|CNY)", "", text).replace("¥", "").replace("￥", "").replace(",", "")
    text = text.removesuffix("元")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() else None


@dataclass(frozen=True)
class InvoiceKey:
    """Old-style invoices are identified by code + number; a 数电票 by its 20-digit number."""

    number: str
    code: str | None = None

    def __str__(self) -> str:
        return f"{self.code}-{self.number}" if self.code else self.number


def invoice_key(doc: Document) -> InvoiceKey | None:
    """The key of an invoice document (None when it has no usable number)."""
    number = normalize_number(doc.field_value("invoice_number"))
    if number is None:
        return None
    code = normalize_number(doc.field_value("invoice_code"))
    if number.isdigit() and len(number) == 20:
        code = None
    return InvoiceKey(number=number, code=code)


CERTIFICATE_KEY_PREFIX = "证书:"


def certificate_key(doc: Document) -> str | None:
    """A certificate's identity across submissions: its type and number (None without a number)."""
    number = normalize_number(doc.field_value("cert_number"))
    if number is None:
        return None
    kind = clean_text(doc.field_value("cert_type")).upper()
    return f"{CERTIFICATE_KEY_PREFIX}{kind}:{number.upper()}"


def reuse_key_of(document: Document | None) -> str | None:
    """What says a stored document was claimed before: ``str(invoice_key)`` of an invoice, the
    ``certificate_key`` of a certificate; None for other documents or without a number."""
    if document is None:
        return None
    if document.doc_type == "certificate":
        return certificate_key(document)
    if document.doc_type != "invoice":
        return None
    key = invoice_key(document)
    return str(key) if key is not None else None


def _cell_key(value: Any) -> InvoiceKey | None:
    """A table cell may hold the number alone or '代码 号码' / '代码-号码' for old invoices."""
    text = normalize_number(value)
    if text is None:
        return None
    spaced = unicodedata.normalize("NFKC", str(value)).translate(_DASHES).strip()
    match = re.fullmatch(r"(\d{10}|\d{12})\s*[-/:\s]\s*(\d{1,8})", spaced)
    if match is not None:
        return InvoiceKey(number=match.group(2), code=match.group(1))
    return InvoiceKey(number=text)


def keys_match(doc_key: InvoiceKey, cell_key: InvoiceKey) -> bool:
    """Numbers must agree; codes must agree when both sides give one."""
    if not same_number(doc_key.number, cell_key.number):
        return False
    return doc_key.code is None or cell_key.code is None or same_number(doc_key.code, cell_key.code)


@dataclass(frozen=True)
class TableRow:
    """One detail-table row with the document it came from and its 1-based position."""

    source: str
    index: int
    data: dict[str, Any]

    @property
    def label(self) -> str:
        seq = self.data.get("seq")
        return f"第{self.index}行" + (f"（序号 {seq}）" if seq not in (None, "") else "")


@dataclass(frozen=True)
class AmountMismatch:
    row: TableRow
    document: str
    field: str
    row_amount: Decimal
    doc_amount: Decimal


@dataclass
class Reconciliation:
    """Which rows support which documents, and what is left over on either side."""

    rows: list[TableRow] = field(default_factory=list)
    invoice_rows: dict[str, list[TableRow]] = field(default_factory=dict)
    contract_rows: dict[str, list[TableRow]] = field(default_factory=dict)
    invoices_not_in_table: list[str] = field(default_factory=list)
    contracts_not_in_table: list[str] = field(default_factory=list)
    rows_without_invoice: list[TableRow] = field(default_factory=list)
    rows_without_contract: list[TableRow] = field(default_factory=list)
    amount_mismatches: list[AmountMismatch] = field(default_factory=list)
    verified_rows: list[TableRow] = field(default_factory=list)


def table_rows(tables: list[Document]) -> list[TableRow]:
    out: list[TableRow] = []
    for doc in tables:
        rows = doc.field_value("rows") or []
        for i, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                out.append(TableRow(source=doc.path, index=i, data=row))
    return out


def _amount_agrees(row_amount: Decimal, candidates: list[Decimal], tolerance: Decimal) -> bool:
    return any(abs(row_amount - c) <= tolerance for c in candidates)


def _doc_amounts(doc: Document, names: tuple[str, ...]) -> list[Decimal]:
    values = (parse_amount(doc.field_value(n)) for n in names)
    return [v for v in values if v is not None]


def reconcile(
    invoices: list[Document],
    contracts: list[Document],
    tables: list[Document],
    *,
    tolerance: Decimal = Decimal("0.01"),
) -> Reconciliation:
    """Link every invoice and contract to its rows by number, then compare amounts.

    A row naming an invoice is compared with that invoice (价税合计 or 不含税金额); a row naming
    only a contract is compared with the contract total.
    """
    result = Reconciliation(rows=table_rows(tables))
    inv_keys = {doc.path: invoice_key(doc) for doc in invoices}
    con_numbers = {doc.path: doc.field_value("contract_number") for doc in contracts}
    by_path = {doc.path: doc for doc in [*invoices, *contracts]}
    for row in result.rows:
        cell_inv = _cell_key(row.data.get("invoice_number"))
        cell_con = normalize_number(row.data.get("contract_number"))
        inv_hits = [
            p for p, k in inv_keys.items() if k is not None and cell_inv is not None and keys_match(k, cell_inv)
        ]
        con_hits = [p for p, n in con_numbers.items() if cell_con is not None and same_number(n, cell_con)]
        if cell_inv is not None and not inv_hits:
            result.rows_without_invoice.append(row)
        if cell_con is not None and not con_hits:
            result.rows_without_contract.append(row)
        for p in inv_hits:
            result.invoice_rows.setdefault(p, []).append(row)
        for p in con_hits:
            result.contract_rows.setdefault(p, []).append(row)
        row_amount = parse_amount(row.data.get("amount"))
        if row_amount is None:
            continue
        # an invoice row is compared with its invoice only; a row naming no invoice with its contract
        compared = (
            [(p, "total_incl_tax", ("total_incl_tax", "amount_excl_tax")) for p in inv_hits]
            if cell_inv is not None
            else [(p, "total_amount", ("total_amount",)) for p in con_hits]
        )
        ok = bool(compared)
        for path, field_name, names in compared:
            amounts = _doc_amounts(by_path[path], names)
            if amounts and not _amount_agrees(row_amount, amounts, tolerance):
                ok = False
                result.amount_mismatches.append(AmountMismatch(row, path, field_name, row_amount, amounts[0]))
            elif not amounts:
                ok = False
        if ok and (cell_inv is None or inv_hits) and (cell_con is None or con_hits):
            result.verified_rows.append(row)
    result.invoices_not_in_table = [p for p, k in inv_keys.items() if k is not None and p not in result.invoice_rows]
    result.contracts_not_in_table = [
        p for p, n in con_numbers.items() if normalize_number(n) is not None and p not in result.contract_rows
    ]
    return result
