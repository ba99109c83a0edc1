"""Seals on the real old-style invoices, scored as their own figure: is the seller's stamp found and read?

Why apart from the field scores: a stamp is read through a polar unwarp, a path no field goes
through, and it is what ``SEAL_MISSING`` / ``SEAL_NAME_MISMATCH`` stand on. The truth is the
invoice's own seller (name and tax id in ``truth/*.json``): its 发票专用章 carries both.
Only old-style invoices (8-digit number) read from a page are scored: a 数电票 bears no seller
stamp, and an OFD carries an electronic signature instead of a drawn one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from sample_docs.real_set import RealDoc


@dataclass(frozen=True)
class SealRow:
    """One invoice: a party stamp found, the seller's code read on it, its name read exactly, best similarity."""

    name: str
    found: bool
    code: bool
    name_exact: bool
    similarity: float
    readings: tuple[str, ...]


@dataclass
class SealReport:
    rows: list[SealRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        total = len(self.rows)

        def share(flag: str) -> float:
            return round(sum(bool(getattr(r, flag)) for r in self.rows) / total, 3) if total else 0.0

        return {
            "invoices": total,
            "found": share("found"),
            "code": share("code"),
            "name_exact": share("name_exact"),
            "name_similarity": round(sum(r.similarity for r in self.rows) / total, 3) if total else 0.0,
            "misses": [r.name for r in self.rows if not (r.code or r.name_exact)],
        }


def old_style(docs: Iterable[RealDoc]) -> list[RealDoc]:
    """The real invoices with an 8-digit number, the ones printed with a seller's stamp."""
    return [d for d in docs if d.doc_type == "invoice" and len(str(d.expected.get("invoice_number") or "")) == 8]


def score_seals(docs: Iterable[RealDoc], read: Callable[[RealDoc], Any]) -> SealReport:
    """Each old-style invoice read by ``read`` (a ``Document``) and its party stamps held against its seller."""
    from checks.seals import party_seals

    report = SealReport()
    for doc in old_style(docs):
        got = read(doc)
        if got.text_source in ("ofd", "xml"):
            continue
        seals = party_seals(got)
        seller = str(doc.expected.get("seller_name") or "")
        code = str(doc.expected.get("seller_tax_id") or "")
        names = [n for s in seals for n in s.names]
        report.rows.append(
            SealRow(
                name=doc.path.name,
                found=bool(seals),
                code=any(s.credit_code == code for s in seals),
                name_exact=seller in names,
                similarity=max((SequenceMatcher(None, n, seller).ratio() for n in names), default=0.0),
                readings=tuple(f"{s.kind}:{'、'.join(s.names) or s.text}:{s.credit_code}" for s in got.seals),
            )
        )
    return report
