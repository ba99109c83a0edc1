"""The real public documents in ``../shared/real``: documents made by other hands, scored as their own set.

Why a set of its own: our corpus is one witness; these invoices, licences and certificates were made
by issuers we never saw, so they measure whether extraction generalises. They are read from the
shared folder (never copied into the repository) and the set is skipped, with its reason, where the
folder is absent. Truth conventions are the folder's README's: ``null`` plus
``blank_or_not_applicable_fields`` mark a field nothing may be reported for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_docs.box_purity import judge
from sample_docs.scoring import HIGH_CONFIDENCE, KEY_INVOICE_FIELDS, Tally, normalise

REAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "real"
INVOICE_FIELDS = (
    "invoice_code", "invoice_number", "issue_date", "buyer_name", "buyer_tax_id", "seller_name", "seller_tax_id",
    "amount_excl_tax", "tax_amount", "total_incl_tax", "total_in_words", "tax_rate",
)  # fmt: skip
LICENCE_FIELDS = (
    "company_name", "credit_code", "legal_representative", "registered_capital", "established_date", "address",
    "issue_date",
)  # fmt: skip
CERT_FIELDS = ("cert_type", "holder_name", "cert_number", "issue_date", "expiry_date", "issuer")
#: docs/REFERENCE.md §3 short names for the certificate kinds the real truth describes in words
CERT_SHORT = (
    ("ISO 9001", "ISO9001"),
    ("ISO 27001", "ISO27001"),
    ("ISO 20000", "ISO20000"),
    ("高新技术企业", "高新技术企业"),
)


@dataclass(frozen=True)
class RealDoc:
    path: Path
    kind: str  # invoice_digital | invoice_image | business_licence | certificate
    doc_type: str
    expected: dict[str, Any]  # field -> value; None: nothing may be reported


@dataclass
class RealReport:
    by_kind: dict[str, Tally] = field(default_factory=dict)
    key_fields: dict[str, Tally] = field(default_factory=dict)
    by_field: dict[str, Tally] = field(default_factory=dict)
    doc_type: Tally = field(default_factory=Tally)
    high_wrong: int = 0
    high_total: int = 0
    misses: list[str] = field(default_factory=list)
    boxes: Tally = field(default_factory=Tally)
    box_misses: list[str] = field(default_factory=list)
    skipped: str | None = None


def _kind(name: str, truth: dict[str, Any]) -> tuple[str, str]:
    if name.startswith("inv_"):
        return ("invoice_image" if name.startswith("inv_img") or "garbled" in name else "invoice_digital"), "invoice"
    if truth.get("doc_type") == "business_licence":
        return "business_licence", "business_licence"
    return "certificate", "certificate"


def _expected(kind: str, truth: dict[str, Any]) -> dict[str, Any]:
    if kind.startswith("invoice"):
        rates = truth.get("tax_rates") or []
        out = {k: truth.get(k) for k in INVOICE_FIELDS if k != "tax_rate"}
        out["tax_rate"] = rates[0] if len(set(rates)) == 1 else None
        blank = set(truth.get("blank_or_not_applicable_fields") or [])
        return {k: v for k, v in out.items() if v is not None or k in blank}
    names = LICENCE_FIELDS if kind == "business_licence" else CERT_FIELDS
    out = {k: truth[k] for k in names if truth.get(k) is not None}
    if "cert_type" in out:
        out["cert_type"] = next(
            (short for word, short in CERT_SHORT if word in str(out["cert_type"])), out["cert_type"]
        )
    return out


def load_real(root: Path = REAL_DIR) -> list[RealDoc]:
    """Every file with a truth file; empty when the folder is absent."""
    out: list[RealDoc] = []
    for truth_path in sorted((root / "truth").glob("*.json")):
        name = truth_path.name.removesuffix(".json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        kind, doc_type = _kind(name, truth)
        out.append(RealDoc(root / "files" / name, kind, doc_type, _expected(kind, truth)))
    return out


def _tally(table: dict[str, Tally], key: str, ok: bool) -> None:
    table.setdefault(key, Tally()).add(ok)


def score_real(docs: list[RealDoc], read: Callable[[Path], Any]) -> RealReport:
    """Read each document with ``read`` (the production path) and score it against its truth."""
    report = RealReport()
    for doc in docs:
        try:
            got = read(doc.path)
            fields = {n: (f.value, float(f.confidence)) for n, f in got.fields.items()}
            doc_type = str(got.doc_type)
        except Exception as exc:  # a read failure scores every field as missing, and is listed
            fields, doc_type = {}, "error"
            report.misses.append(f"{doc.path.name}：{exc}")
        report.doc_type.add(doc_type == doc.doc_type)
        if fields:
            _score_boxes(report, doc, got)
        for name, expected in doc.expected.items():
            value, conf = fields.get(name, (None, None))
            ok = normalise(name, value) == normalise(name, expected)
            _tally(report.by_kind, doc.kind, ok)
            _tally(report.by_field, f"{doc.doc_type}.{name}", ok)
            if doc.kind.startswith("invoice") and name in KEY_INVOICE_FIELDS:
                _tally(report.key_fields, doc.kind, ok)
            if conf is not None and conf >= HIGH_CONFIDENCE:
                report.high_total += 1
                report.high_wrong += int(not ok)
            if not ok:
                report.misses.append(
                    f"{doc.path.name} {name}：应为 {expected!r}，读出 {value!r}（置信度 {conf}）"
                )
    return report


def _score_boxes(report: RealReport, doc: RealDoc, got: Any) -> None:
    for name, pure, text in judge(got, doc.expected):
        report.boxes.add(pure)
        if not pure:
            report.box_misses.append(f"{doc.path.name} {name}：证据框内文字为 {text!r}")


def as_dict(report: RealReport) -> dict[str, Any]:
    def rates(table: dict[str, Tally]) -> dict[str, Any]:
        return {k: {"accuracy": v.rate, "correct": v.correct, "total": v.total} for k, v in sorted(table.items())}

    return {
        "skipped": report.skipped,
        "by_kind": rates(report.by_kind),
        "invoice_key_fields": rates(report.key_fields),
        "by_field": rates(report.by_field),
        "doc_type": {"correct": report.doc_type.correct, "total": report.doc_type.total},
        "calibration": {"wrong": report.high_wrong, "high_confidence_fields": report.high_total},
        "boxes": {"pure": report.boxes.correct, "judged": report.boxes.total, "misses": report.box_misses},
        "misses": report.misses,
    }
