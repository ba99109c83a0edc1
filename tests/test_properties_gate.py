"""No accusation from doubt, over every rule that accuses on the corpus (issue 17).

Each error the product raises on the born-digital corpus names the readings it rests on. For every
such error and every document reading it rests on, the reading is made doubtful three ways — read
below the policy's threshold, not read at all, or read only in part at low confidence — and the
submission is evaluated again: no error may then rest on that reading. The rule may still ask the
reviewer (``MISSING_FIELD`` / ``LOW_CONFIDENCE_FIELD``), which is what it should do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractors.process import process_file
from models import Document, ExtractedField
from models.settings import Settings
from pipeline.submission import verify_directory
from sample_docs.generate import DEFAULT_OUT
from sample_docs.truth import load_corpus

CORPUS = [s for s in load_corpus(DEFAULT_OUT) if not any(d.render in ("scan", "photo") for d in s.documents)]
_read: dict[Path, Document] = {}


def _reader(path: Path) -> Document:
    key = Path(path).resolve()
    if key not in _read:
        _read[key] = process_file(path, settings=Settings.from_env())
    return _read[key]


def _evaluate(directory: Path, change: Callable[[Document], Document] | None = None) -> Any:
    def process(path: Path) -> Document:
        doc = _reader(path)
        return change(doc) if change is not None else doc

    return verify_directory(directory, process=process, settings=Settings.from_env())


def _doubtful(kind: str, name: str) -> Callable[[Document], Document]:
    def change(doc: Document) -> Document:
        fields = dict(doc.fields)
        item = fields.get(name)
        if item is None:
            return doc
        if kind == "absent":
            del fields[name]
        elif kind == "low":
            fields[name] = item.model_copy(update={"confidence": 0.5})
        else:  # partial: half the characters, read unsurely
            text = str(item.value)
            fields[name] = ExtractedField(**{**item.model_dump(), "value": text[: len(text) // 2], "confidence": 0.5})
        return doc.model_copy(update={"fields": fields})

    return change


def _only(target: Path, change: Callable[[Document], Document], touched: list[str]) -> Callable[[Document], Document]:
    """``change`` applied to the document read from ``target`` alone, noting that it was reached."""
    where = target.resolve()

    def apply(doc: Document) -> Document:
        if Path(doc.path).resolve() != where:
            return doc
        touched.append(doc.path)
        return change(doc)

    return apply


def _document_bases(result: Any) -> list[tuple[str, str, str]]:
    out = []
    for finding in result.findings:
        if finding.severity != "error":
            continue
        for basis in finding.rests_on:
            if basis.source not in (None, "application") and basis.field != "seal":
                out.append((str(finding.code), basis.path, basis.field))
    return list(dict.fromkeys(out))


def _cases() -> list[Any]:
    return [pytest.param(s, id=s.name) for s in CORPUS]


@pytest.mark.parametrize("submission", _cases())
def test_no_error_rests_on_a_doubtful_reading(submission: Any) -> None:
    accused = _document_bases(_evaluate(submission.directory))
    for code, path, field in accused:
        for kind in ("low", "absent", "partial"):
            touched: list[str] = []
            only_there = _only(submission.directory / path, _doubtful(kind, field), touched)
            again = _evaluate(submission.directory, only_there)
            still = [
                f
                for f in again.findings
                if f.severity == "error"
                and any(b.path == path and b.field == field for b in f.rests_on)
            ]
            assert touched, f"{path} was not among the documents read"
            assert not still, f"{code}: an error still rests on {path} {field} read {kind}: {still}"


def test_the_corpus_exercises_the_accusing_rules() -> None:
    """The property above is not vacuous: the corpus raises errors resting on document readings."""
    codes = {code for s in CORPUS for code, _, _ in _document_bases(_evaluate(s.directory))}
    assert {"INVOICE_QR_MISMATCH", "INVALID_CREDIT_CODE", "CERT_HOLDER_NOT_APPLICANT"} <= codes, codes
