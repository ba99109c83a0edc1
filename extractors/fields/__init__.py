"""Typed fields (docs/REFERENCE.md §3) from positioned text: classify, then the kind's extractor from ``registry``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from extractors.errors import OUT_OF_MEMORY, DocumentReadError, out_of_memory
from extractors.fields.registry import EXTRACTORS
from models import Document, ExtractedField
from models.extraction_checks import ExtractionChecks, dropped

log = logging.getLogger(__name__)


def extract_fields(doc: Document) -> Document:
    """A copy of ``doc`` with ``doc_type``, its confidence, the fields found, and cross-check outcomes."""
    from extractors.classify import classify  # classify imports fields.canonical: importing it first must work

    result = classify(doc)
    entry = EXTRACTORS.get(result.doc_type)
    extractor = entry.load() if entry is not None else None
    fields: dict[str, ExtractedField] = {}
    checks: dict[str, Any] = {"classification": {"scores": result.scores}}
    warnings = list(doc.warnings)
    if extractor is not None:
        try:
            found, extra = extractor(doc)
        except Exception as exc:  # a batch must go on: keep the classification, say what failed
            if out_of_memory(exc):  # the reader's fault, not the document's: a fresh reader tries again
                raise DocumentReadError(doc.path, OUT_OF_MEMORY, detail=repr(exc)) from exc
            log.exception("%s field extractor failed on %s", result.doc_type, Path(doc.path).name)
            warnings.append(f"字段提取失败（{type(exc).__name__}）：{exc}")
            found, extra = {}, {}
        fields.update(found)
        checks.update(extra)
    return doc.model_copy(
        update={
            "doc_type": result.doc_type,
            "doc_type_confidence": result.confidence,
            "fields": fields,
            "checks": _records(checks, warnings),
            "warnings": warnings,
        }
    )


def _records(checks: dict[str, Any], warnings: list[str]) -> ExtractionChecks:
    """The extractor's records, typed; one of a shape the schema does not know is a bug: left out
    (the schema logs it, with the validation error), and said on the document."""
    typed = ExtractionChecks.model_validate(checks)
    bad = dropped(checks, typed)
    if bad:
        warnings.append(f"部分交叉核对记录无法保存（{'、'.join(bad)}）")
    return typed


__all__ = ["extract_fields"]
