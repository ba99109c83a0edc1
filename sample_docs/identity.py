"""What the buyer / party / holder findings rest on: each party read off a document, compared with
the applicant by the product's own comparison, and the finding its document got.

The checks raise a finding only when a party is not the applicant, so counting findings alone
hides how many comparisons were a look-alike away from one. Counted per role, outcome and the
finding: ``("buyer", "lookalike", "none")`` is a scanned buyer name one OCR look-alike away from the
applicant that (rightly) raised nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from checks.identity_rules import party_against

# document type → (role shown, party fields, the finding that role's mismatch raises)
ROLES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "invoice": ("buyer", ("buyer_name",), "BUYER_NOT_APPLICANT"),
    "contract": ("contract_party", ("party_a", "party_b"), "CONTRACT_PARTY_NOT_APPLICANT"),
    "certificate": ("cert_holder", ("holder_name",), "CERT_HOLDER_NOT_APPLICANT"),
    "business_licence": ("licence", ("company_name",), "LICENCE_NOT_APPLICANT"),
}
_RANK = {"same": 0, "lookalike": 1, "different": 2}


def _closest(doc: Any, names: tuple[str, ...], applicant: str) -> Any:
    """The party nearest the applicant (a contract needs only one of its parties to be it)."""
    found = [
        party_against(doc, n, doc.fields[n].value, applicant)
        for n in names
        if n in doc.fields and doc.fields[n].value
    ]
    return min(found, key=lambda c: _RANK[c.outcome]) if found else None


def _finding(result: Any, path: str, code: str) -> str:
    """The role's finding on this document: its severity (``error``, ``warning``, ``info``),
    ``question`` when a reviewer question names it as the suspicion, or ``none``."""
    for f in result.findings:
        if path not in f.documents:
            continue
        if str(getattr(f.code, "value", f.code)) == code:
            return str(f.severity)
        if str(getattr(getattr(f, "suspected", None), "value", "")) == code:
            return "question"
    return "none"


Verdict = tuple[str, str, str]  # role, outcome (same | lookalike | different), finding


def identity_verdicts(result: Any) -> Counter[Verdict]:
    """Counts over the submission's documents; a document with no party read is not counted."""
    out: Counter[Verdict] = Counter()
    applicant = result.applicant.name if result.applicant is not None else ""
    if not applicant:
        return out
    for doc in result.documents:
        role = ROLES.get(str(doc.doc_type))
        if role is None:
            continue
        shown, names, code = role
        compared = _closest(doc, names, applicant)
        if compared is not None:
            out[(shown, compared.outcome, _finding(result, doc.path, code))] += 1
    return out


def as_nested(counts: Counter[Verdict]) -> dict[str, dict[str, dict[str, int]]]:
    """``{role: {outcome: {finding: n}}}``, sorted, for the JSON report."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for (role, outcome, finding), n in sorted(counts.items()):
        out.setdefault(role, {}).setdefault(outcome, {})[finding] = n
    return out
