"""Field extraction through the real readers on the committed sample corpus (text layer, OFD, XLSX).

OCR documents are covered by ``evidence eval`` and one slow test; here every exactly-read
document must give every truth field exactly (names compared without spaces and bracket width,
as the contract leaves those open).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from extractors.process import process_file
from models.settings import Settings

CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"


def _cases(formats: set[str]) -> list[Any]:
    out = []
    for truth_path in sorted(CORPUS.glob("*/truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            if doc.get("format") in formats:
                out.append(
                    pytest.param(truth_path.parent / doc["path"], doc, id=f"{truth_path.parent.name}/{doc['path']}")
                )
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _check(path: Path, truth: dict[str, Any]) -> None:
    doc = process_file(path, settings=Settings.from_env())
    assert doc.doc_type == truth["doc_type"]
    for name, expected in truth["fields"].items():
        if name in truth.get("unscored_fields", []):
            continue
        assert name in doc.fields, f"{name} missing"
        got = doc.fields[name].value
        if name == "line_items":  # truth gives name and amount; a line's own rate and tax are extra
            shared = [{k: item.get(k) for k in exp} for item, exp in zip(got, expected, strict=False)]
            got = shared + got[len(expected) :]
        assert _norm(got) == _norm(expected), name
        f = doc.fields[name]
        assert f.page is not None and f.extractor and f.source
    for name, f in doc.fields.items():
        assert 0.0 <= f.confidence <= 1.0
        if name not in truth["fields"]:
            assert name in truth.get("unscored_fields", []) or f.confidence < 0.9, f"unexpected {name}"


@pytest.mark.skipif(not CORPUS.exists(), reason="sample corpus not generated")
@pytest.mark.parametrize(("path", "truth"), _cases({"text_layer", "ofd", "xml", "table"}))
def test_exactly_read_documents(path: Path, truth: dict[str, Any]) -> None:
    _check(path, truth)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="sample corpus not generated")
def test_one_scanned_invoice() -> None:
    scanned = [c for c in _cases({"ocr"}) if c.values[1]["doc_type"] == "invoice"]
    if not scanned:
        pytest.skip("no scanned invoice in the corpus")
    path, truth = scanned[0].values
    _check(path, truth)
