"""Seals on the real old-style invoices, scored as their own figure: is the seller's stamp found and read?

Why apart from the field scores: a stamp is read through a polar unwarp, a path no field goes
through, and it is what ``SEAL_MISSING`` / ``SEAL_NAME_MISMATCH`` stand on. The truth is the
invoice's own seller (name and tax id in ``truth/*.json``): its 发票专用章 carries both.
Only old-style invoices (8-digit number) read from a page are scored: a 数电票 bears no seller
stamp, and an OFD carries an electronic signature instead of a drawn one. An invoice printed
without the seller's stamp (``real_seals.yaml``, each checked on a render of the page) is scored
apart: a party stamp found there is a false detection.

"read" is what the seal check needs of the stamp: its code is the seller's, or its name is the
seller's (exactly, or judged the same legal person by the product's name matcher, which forgives
a dropped or look-alike character as it does on every other document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from matchers.names import same_entity
from sample_docs.real_set import RealDoc

_UNSTAMPED = Path(__file__).with_name("real_seals.yaml")


@dataclass(frozen=True)
class SealRow:
    """One invoice: a party stamp found, the seller's code read on it, its name read exactly, best similarity."""

    name: str
    found: bool
    code: bool
    name_exact: bool
    read: bool
    similarity: float
    readings: tuple[str, ...]


@dataclass
class SealReport:
    rows: list[SealRow] = field(default_factory=list)
    unstamped: list[SealRow] = field(default_factory=list)
    """Invoices printed without a seller's stamp: ``found`` there is a false detection."""

    def as_dict(self) -> dict[str, Any]:
        total = len(self.rows)

        def share(flag: str) -> float:
            return round(sum(bool(getattr(r, flag)) for r in self.rows) / total, 3) if total else 0.0

        return {
            "invoices": total,
            "found": share("found"),
            "code": share("code"),
            "name_exact": share("name_exact"),
            "read": share("read"),
            "name_similarity": round(sum(r.similarity for r in self.rows) / total, 3) if total else 0.0,
            "misses": [r.name for r in self.rows if not r.read],
            "unstamped": len(self.unstamped),
            "found_where_none": [r.name for r in self.unstamped if r.found],
        }


@cache
def unstamped_invoices() -> frozenset[str]:
    """The real invoices printed without a seller's stamp (file names)."""
    return frozenset(yaml.safe_load(_UNSTAMPED.read_text(encoding="utf-8"))["no_seller_stamp"])


def old_style(docs: Iterable[RealDoc]) -> list[RealDoc]:
    """The real invoices with an 8-digit number: old-style forms, stamped by the seller."""
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
        code_read = any(s.credit_code == code for s in seals)
        row = SealRow(
            name=doc.path.name,
            found=bool(seals),
            code=code_read,
            name_exact=seller in names,
            read=code_read or any(_same(n, seller) for n in names),
            similarity=max((SequenceMatcher(None, n, seller).ratio() for n in names), default=0.0),
            readings=tuple(f"{s.kind}:{'、'.join(s.names) or s.text}:{s.credit_code}" for s in got.seals),
        )
        (report.unstamped if doc.path.name in unstamped_invoices() else report.rows).append(row)
    return report


def _same(name: str, seller: str) -> bool:
    """The stamp's name is the seller's legal person, asked both ways round as the seal check asks."""
    return any(same_entity(a, b).verdict != "none" for a, b in ((name, seller), (seller, name)))
