"""Typed fields (CONTRACT.md §3) from positioned text: classify, then the extractor for the kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractors.errors import OUT_OF_MEMORY, DocumentReadError, out_of_memory
from models import Document, ExtractedField

Extractor = Callable[[Document], tuple[dict[str, ExtractedField], dict[str, Any]]]


def _extractor(doc_type: str) -> Extractor | None:
    if doc_type == "invoice":
        from extractors.fields.invoice import extract_invoice

        return extract_invoice
    if doc_type == "certificate":
        from extractors.fields.certificate import extract_certificate

        return extract_certificate
    if doc_type == "contract":
        from extractors.fields.contract import extract_contract

        return extract_contract
    if doc_type == "detail_table":
        from extractors.fields.detail_table import extract_detail_table

        return extract_detail_table
    if doc_type == "business_licence":
        from extractors.fields.licence import extract_licence

        return extract_licence
    return None


def extract_fields(doc: Document) -> Document:
    """A copy of ``doc`` with ``doc_type``, its confidence, the fields found, and cross-check outcomes."""
    from extractors.classify import classify  # classify imports fields.normalize: importing it first must work

    result = classify(doc)
    extractor = _extractor(result.doc_type)
    fields: dict[str, ExtractedField] = {}
    checks: dict[str, Any] = {"classification": {"scores": result.scores}}
    warnings = list(doc.warnings)
    if extractor is not None:
        try:
            found, extra = extractor(doc)
        except Exception as exc:  # a batch must go on: keep the classification, say what failed
            if out_of_memory(exc):  # the reader's fault, not the document's: a fresh reader tries again
                raise DocumentReadError(doc.path, OUT_OF_MEMORY, detail=repr(exc)) from exc
            warnings.append(f"字段提取失败（{type(exc).__name__}）：{exc}")
            found, extra = {}, {}
        fields.update(found)
        checks.update(extra)
    return doc.model_copy(
        update={
            "doc_type": result.doc_type,
            "doc_type_confidence": result.confidence,
            "fields": fields,
            "checks": checks,
            "warnings": warnings,
        }
    )


__all__ = ["extract_fields"]
