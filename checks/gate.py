"""No accusation from doubt: one place decides between accusing and asking the reviewer.

A rule that finds something wrong names the readings its verdict rests on. ``decide`` turns the
rule's finding into an error only when every one of those readings is present, was read at or
above the policy's confidence threshold and is not contradicted by another reading of the same
value; otherwise the reviewer is asked (``MISSING_FIELD`` / ``LOW_CONFIDENCE_FIELD``) and told what
to look at and what the rule suspects. Every accusing finding carries its basis in
``Finding.rests_on`` (field, value, confidence, source, page, box), so a reviewer and a test can
see what it stands on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from checks.base import Context, make
from models.document import Document
from models.field_names import FIELD_LABELS
from models.findings import Finding, FindingCode, Reading, Severity


@dataclass(frozen=True)
class Basis:
    """One reading an accusation rests on; ``contradicted`` when another reading disagrees with it."""

    path: str
    field: str
    value: Any
    confidence: float | None
    source: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    contradicted: bool = False

    @property
    def present(self) -> bool:
        return self.value not in (None, "", [])

    def as_reading(self) -> Reading:
        return Reading(
            path=self.path,
            field=self.field,
            value=self.value if isinstance(self.value, str | int | float) or self.value is None else str(self.value),
            confidence=self.confidence,
            source=self.source,
            page=self.page,
            bbox=list(self.bbox) if self.bbox is not None else None,
            contradicted=self.contradicted,
        )


def field_basis(doc: Document, name: str, *, contradicted: bool = False) -> Basis:
    """The reading of ``name`` on ``doc`` as a basis (absent fields give an absent basis)."""
    item = doc.fields.get(name)
    if item is None:
        return Basis(doc.path, name, None, None, contradicted=contradicted)
    box = item.bbox
    return Basis(
        doc.path,
        name,
        item.value,
        item.confidence,
        item.source,
        item.page,
        (box.x0, box.y0, box.x1, box.y1) if box is not None else None,
        contradicted,
    )


def rests_on(doc: Document, *names: str) -> list[Basis]:
    return [field_basis(doc, n) for n in names]


def value_basis(
    path: str, name: str, value: Any, *, confidence: float | None = 1.0, source: str = "application"
) -> Basis:
    """A value that was not read off a page (application.yaml, a list entry): sure by construction."""
    return Basis(path, name, value, confidence, source)


def doubts(ctx: Context, basis: Iterable[Basis]) -> list[Basis]:
    """The readings that keep a verdict from being an accusation."""
    threshold = ctx.policy.confidence_threshold
    return [
        b
        for b in basis
        if not b.present or b.contradicted or b.confidence is None or b.confidence < threshold
    ]


def _ask_message(suspicion: str, unsure: list[Basis]) -> str:
    parts = []
    for b in unsure:
        label = FIELD_LABELS.get(b.field, b.field)
        if not b.present:
            parts.append(f"{b.path} 的{label}（未识别）")
        elif b.contradicted:
            parts.append(f"{b.path} 的{label}「{b.value}」（与另一处读数矛盾）")
        else:
            conf = f"{b.confidence:.2f}" if b.confidence is not None else "未知"
            parts.append(f"{b.path} 的{label}「{b.value}」（置信度 {conf}）")
    return f"疑似：{suspicion}。但所依据的读数不可靠：{'；'.join(parts)}。请人工核对原件后判断"


def decide(
    ctx: Context,
    code: FindingCode,
    message: str,
    docs: Iterable[Document | str],
    basis: list[Basis],
    *,
    severity: Severity = "error",
    refutes: Iterable[str] = (),
    **details: Any,
) -> Finding:
    """The rule's finding when its basis is sure; else a question to the reviewer naming what to check.

    The question is ``MISSING_FIELD`` when a basis value is absent, ``LOW_CONFIDENCE_FIELD``
    otherwise; it excludes the documents from the award (``excludes``) rather than refuting them,
    and records the code the rule suspected.
    """
    doc_list = list(docs)
    fields = list(dict.fromkeys(b.field for b in basis))
    unsure = doubts(ctx, basis)
    rest = [b.as_reading() for b in basis]
    if not unsure:
        return make(code, severity, message, doc_list, fields, rests_on=rest, refutes=refutes, **details)
    asked = FindingCode.MISSING_FIELD if any(not b.present for b in unsure) else FindingCode.LOW_CONFIDENCE_FIELD
    paths = [d if isinstance(d, str) else d.path for d in doc_list]
    return make(
        asked,
        "warning",
        _ask_message(message, unsure),
        doc_list,
        list(dict.fromkeys(b.field for b in unsure)) + [f for f in fields if f not in {b.field for b in unsure}],
        rests_on=rest,
        suspected=code,
        excludes=paths,
        **details,
    )
