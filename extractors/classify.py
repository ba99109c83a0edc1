"""Which kind of evidence a document is, from its words, its QR code and its table shape.

Weighted keywords rather than a model: the kinds have vocabularies that barely overlap (发票号码,
价税合计 vs 甲方/乙方 vs 成熟度/证书), the weights are inspectable, and the confidence follows
from how much evidence there is and how clearly one kind wins. Each kind's words and weights are
in its entry in ``extractors.fields.registry``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields.canonical import clean
from extractors.fields.qr_payload import best_payload
from extractors.fields.registry import EXTRACTORS
from models import Document
from models.document import DocType

MIN_EVIDENCE = 5.0
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Classification:
    doc_type: DocType
    confidence: float
    scores: dict[DocType, float]


def _scores(text: str) -> dict[DocType, float]:
    upper = _WHITESPACE.sub("", text).upper()
    out: dict[DocType, float] = {}
    for kind, entry in EXTRACTORS.items():
        out[kind] = sum(weight for word, weight in entry.keywords.items() if word in upper)
    return out


def _table_has_header(doc: Document) -> bool:
    from extractors.fields.detail_table import find_header

    return any(page.table_rows and find_header(page.table_rows) is not None for page in doc.pages)


def classify(doc: Document) -> Classification:
    """The most likely kind and how sure we are (1.0 only when the evidence is overwhelming)."""
    text = clean(doc.all_text())
    scores = _scores(text)
    if best_payload([p for page in doc.pages for p in page.qr_payloads]) is not None:
        scores["invoice"] += 10
    if doc.structured:
        scores["invoice"] += 8
    if any(page.table_rows for page in doc.pages):
        table_text = clean("".join("".join(r) for page in doc.pages for r in page.table_rows or []))
        for kind, value in _scores(table_text).items():
            scores[kind] = max(scores[kind], value)
        if _table_has_header(doc):
            scores["detail_table"] += 12
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (top_kind, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_EVIDENCE:
        return Classification("unknown", round(1.0 - top / (2 * MIN_EVIDENCE), 3), dict(scores))
    margin = (top - second) / top
    strength = min(1.0, top / 15.0)
    confidence = 0.5 + 0.5 * strength * margin
    return Classification(top_kind, round(min(confidence, 0.99), 3), dict(scores))
