"""How the validation screen arranges a submission's findings for a reviewer working through them.

Findings are grouped by the document they concern (a reviewer checks one paper at a time), a code
repeated on several documents is offered as one action, confidence has a colour as well as a
number, and an invoice's QR payload is laid out as the fields it encodes.
"""

from __future__ import annotations

from typing import Any

from extractors.fields.qr_payload import INVOICE_TYPES, parse_qr_payload
from models import Document, Finding
from models.field_names import field_label
from review.labels import SEVERITY_RANK, code_label

CONFIDENCE_LEVELS = ((0.95, "high", "高"), (0.8, "mid", "中"), (0.0, "low", "低"))
QR_FIELDS = (
    ("type_code", "发票种类"),
    ("invoice_code", "发票代码"),
    ("invoice_number", "发票号码"),
    ("amount", "金额"),
    ("issue_date", "开票日期"),
    ("check_code", "校验码"),
)
UNBROKEN_MAX = 40


def confidence_level(confidence: float) -> tuple[str, str]:
    """The colour class and its word (高/中/低): a low value must stand out without reading digits."""
    return next((cls, word) for floor, cls, word in CONFIDENCE_LEVELS if confidence >= floor)


def unbroken(value: str) -> bool:
    """A number or code (20-digit invoice numbers, credit codes) that must never wrap mid-way."""
    return 0 < len(value) <= UNBROKEN_MAX and value.isascii() and not any(c.isspace() for c in value)


def by_document(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings per document, the most severe document first; within one, most severe first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(f["document"], []).append(f)

    def rank(f: dict[str, Any]) -> int:
        return SEVERITY_RANK.get(f["severity"], 0)

    ordered = sorted(groups.items(), key=lambda kv: (-max(rank(f) for f in kv[1]), findings.index(kv[1][0])))
    return [
        {"file": file, "findings": sorted(items, key=lambda f: -rank(f)), "count": len(items)}
        for file, items in ordered
    ]


def repeated(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Codes with two or more undecided findings, to confirm or dismiss together."""
    open_by_code: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        if f["decision"] is None:
            open_by_code.setdefault(f["code"], []).append(f)
    return [
        {
            "code": code,
            "label": code_label(code),
            "count": len(items),
            "ids": ",".join(str(f["id"]) for f in items),
            "files": [f["document"] for f in items],
        }
        for code, items in open_by_code.items()
        if len(items) > 1
    ]


def qr_rows(details: dict[str, Any]) -> list[tuple[str, str]]:
    """The decoded QR payload a finding quotes, as (label, value) rows; none when it quotes none."""
    raw = details.get("qr_payload")
    payload = parse_qr_payload(raw) if isinstance(raw, str) else None
    if payload is None:
        return []
    rows = []
    for name, label in QR_FIELDS:
        value = getattr(payload, name)
        if name == "type_code":
            value = f"{INVOICE_TYPES.get(value, '其他')}（{value}）"
        rows.append((label, value or "—"))
    return rows


def missing_fields(finding: Finding, documents: dict[str, Document]) -> list[dict[str, Any]]:
    """The fields a MISSING_FIELD finding says the reader did not find, each with its document's pages,
    so the reviewer can enter the value and the page where it stands."""
    if finding.code.value != "MISSING_FIELD":
        return []
    out = []
    for file in finding.documents:
        doc = documents.get(file)
        for name in finding.fields if doc is not None else []:
            found = doc.fields.get(name) if doc is not None else None
            if found is None or found.value in (None, "", []):
                pages = len(doc.pages) if doc is not None else 0
                out.append({"file": file, "name": name, "label": field_label(name), "pages": list(range(1, pages + 1))})
    return out
