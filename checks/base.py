"""What every check shares: the context it runs in, finding construction and guarded field reads.

A rule reads a field through ``Context.read``: an absent field becomes MISSING_FIELD, a field read
below the policy's confidence threshold becomes LOW_CONFIDENCE_FIELD and is marked unreliable, so
the rule can still use an agreeing value but must not accuse on a disagreeing one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from checks.policy import Policy
from models.application import Application
from models.document import Document, ExtractedField
from models.field_names import FIELD_LABELS
from models.findings import Evidence, Finding, FindingCode, Reading, Severity
from models.matching import MatchResult


class ListMatcher(Protocol):
    """What the checks need of a reference-list matcher (``matchers.names.NameMatcher``)."""

    def match(self, query: str, top: int = 5) -> MatchResult: ...


@dataclass(frozen=True)
class Matching:
    """Name matching handed to the checks: list matchers by list name, and a same-entity test."""

    lists: Mapping[str, ListMatcher]
    same_entity: Callable[[str, str], bool]
    versions: Mapping[str, str] = field(default_factory=dict)

    def version_of(self, list_name: str) -> str:
        """The version a finding quotes; checks ask here, so a recheck knows which verdicts quote one."""
        return self.versions.get(list_name, "")


@dataclass(frozen=True)
class Context:
    """Everything a check may look at; checks never read files or the network."""

    application: Application
    policy: Policy
    documents: list[Document]
    matching: Matching
    other_invoices: Mapping[str, str] = field(default_factory=dict)
    """Invoice and certificate keys (``matchers.reconcile.reuse_key_of``) other stored submissions
    hold → the first such submission; the name is older than the certificates in it."""

    def of_type(self, doc_type: str) -> list[Document]:
        return [d for d in self.documents if d.doc_type == doc_type]

    @property
    def applicant(self) -> str:
        return self.application.applicant.name

    @property
    def as_of(self) -> dt.date:
        return self.application.application_date

    def same(self, a: object, b: object) -> bool:
        """Same legal person, on names cleaned of what a reader may have glued to them.

        Asked both ways round: identity is symmetric even where a scorer is not.
        """
        left, right = party_name(a), party_name(b)
        return self.matching.same_entity(left, right) or self.matching.same_entity(right, left)

    def is_applicant(self, name: object) -> bool:
        return self.same(name, self.applicant)

    def reliable(self, item: ExtractedField) -> bool:
        return item.confidence >= self.policy.confidence_threshold

    def read(self, doc: Document, name: str, purpose: str, out: list[Finding]) -> Read | None:
        """The field with a reliability flag; appends MISSING_FIELD / LOW_CONFIDENCE_FIELD to ``out``."""
        item = doc.fields.get(name)
        label = FIELD_LABELS.get(name, name)
        if item is None or item.value in (None, "", []):
            out.append(
                make(
                    FindingCode.MISSING_FIELD,
                    "warning",
                    f"{doc.path} 未识别到{label}，无法核验{purpose}，请人工核对",
                    [doc],
                    [name],
                )
            )
            return None
        ok = self.reliable(item)
        if not ok:
            out.append(
                make(
                    FindingCode.LOW_CONFIDENCE_FIELD,
                    "warning",
                    f"{doc.path} 的{label}「{_short(item.value)}」识别置信度 {item.confidence:.2f} "
                    f"低于 {self.policy.confidence_threshold:.2f}，{purpose}需人工确认",
                    [doc],
                    [name],
                    confidence=item.confidence,
                )
            )
        return Read(value=item.value, reliable=ok, item=item)


@dataclass(frozen=True)
class Read:
    value: Any
    reliable: bool
    item: ExtractedField


_GLUED_CODE = re.compile(r"[\s:：]*[0-9A-Z]{6,}$")


def party_name(value: object) -> str:
    """An enterprise name without a tax id or number run glued to its end by the reader.

    No enterprise name ends in six or more ASCII letters/digits, so removing them never changes whose
    name it is, while keeping them makes every matcher say "different".
    """
    text = str(value if value is not None else "").strip()
    cleaned = _GLUED_CODE.sub("", text)
    return cleaned or text


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evidence_for(doc: Document, names: Iterable[str]) -> list[Evidence]:
    """Boxes of the named fields (from their provenance); the document itself when none has a box."""
    out: list[Evidence] = []
    for name in names:
        item = doc.fields.get(name)
        if item is not None and (item.page is not None or item.bbox is not None):
            out.append(Evidence(path=doc.path, page=item.page, bbox=item.bbox))
    return out or [Evidence(path=doc.path)]


def make(
    code: FindingCode,
    severity: Severity,
    message: str,
    docs: Iterable[Document | str],
    fields: Iterable[str] = (),
    *,
    rests_on: Iterable[Reading] = (),
    suspected: FindingCode | None = None,
    refutes: Iterable[str] = (),
    excludes: Iterable[str] = (),
    **details: Any,
) -> Finding:
    """A finding whose evidence boxes come from the provenance of ``fields`` on ``docs``; see
    ``Finding`` for ``rests_on`` … ``excludes``, ``details`` are the code's own facts."""
    field_list = list(dict.fromkeys(fields))
    paths: list[str] = []
    evidence: list[Evidence] = []
    for doc in docs:
        if isinstance(doc, str):
            paths.append(doc)
            evidence.append(Evidence(path=doc))
        else:
            paths.append(doc.path)
            evidence.extend(evidence_for(doc, field_list))
    return Finding(
        code=code,
        severity=severity,
        message=message,
        documents=list(dict.fromkeys(paths)),
        fields=field_list,
        evidence=evidence,
        rests_on=list(rests_on),
        suspected=suspected,
        refutes=list(refutes),
        excludes=list(excludes),
        details={k: _jsonable(v) for k, v in details.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def as_date(value: Any) -> dt.date | None:
    """Fields carry dates as 'YYYY-MM-DD' (docs/REFERENCE.md §3); anything else is treated as unreadable."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeats, keeping the first; a field is reported missing or unsure once, whatever the purpose."""
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...], str]] = set()
    out: list[Finding] = []
    for f in findings:
        per_field = f.code in (FindingCode.MISSING_FIELD, FindingCode.LOW_CONFIDENCE_FIELD)
        key = (f.code.value, tuple(f.documents), tuple(f.fields), "" if per_field else f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def refuted(findings: Iterable[Finding]) -> set[str]:
    """Documents that earn no award: disproved by an error (``refutes``), or left unverified because
    the only reading that could confirm them is unreliable (``excludes``)."""
    out: set[str] = set()
    for f in findings:
        if f.severity == "error":
            out.update(f.refutes)
        out.update(f.excludes)
    return out


@dataclass
class ClauseOutcome:
    """A clause's findings and award; ``unsure`` when the award rests on low-confidence readings."""

    clause: str
    findings: list[Finding]
    amount_wan: float
    basis: str
    unsure: bool = False


def fmt_wan(value: float) -> str:
    """5.0 → '5', 12.345 → '12.345': award figures as a reviewer writes them."""
    return f"{value:.4f}".rstrip("0").rstrip(".")
