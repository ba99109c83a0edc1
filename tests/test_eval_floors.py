"""The ratchet on documents made by other hands: the real documents (text layers, OFD, scans and
photos) may not read worse than the floors recorded in sample_docs/floors.json, nor their boxes
hold less exactly what they show, nor the sellers' stamps be found and read less often."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from extractors.process import process_file
from models.settings import Settings
from sample_docs.real_set import REAL_DIR, load_real, score_real
from sample_docs.seal_score import score_seals

FLOORS = json.loads((Path(__file__).resolve().parents[1] / "sample_docs" / "floors.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(not (REAL_DIR / "truth").is_dir(), reason=f"{REAL_DIR} absent: the real documents are not here")
def test_real_documents_hold_their_floor() -> None:
    settings = Settings.from_env()
    read = functools.cache(lambda path: process_file(path, settings=settings))
    report = score_real(load_real(), read)
    floors = FLOORS["real"]
    for kind in ("invoice_digital", "invoice_image", "business_licence", "certificate"):
        tally, floor = report.by_kind[kind], floors[kind]
        assert tally.total == floor[1] and tally.correct >= floor[0], (kind, report.misses)
    assert report.key_fields["invoice_digital"].correct >= floors["invoice_digital_key"][0], report.misses
    assert report.high_wrong <= floors["calibration_wrong_at_0.9"], report.misses
    boxes = floors["boxes_text_layer"]
    assert report.boxes.total >= boxes[1] - 2 and report.boxes.correct >= boxes[0], report.box_misses
    seals = score_seals(load_real(), lambda doc: read(doc.path)).as_dict()
    for figure in ("found", "read", "code", "name_exact"):
        assert seals[figure] >= floors["seals"][figure], seals
    assert seals["found_where_none"] == [], seals


def test_real_truth_conventions_blank_fields_expect_nothing(tmp_path: Path) -> None:
    (tmp_path / "truth").mkdir()
    (tmp_path / "files").mkdir()
    truth = {"invoice_number": "1", "buyer_tax_id": None, "tax_rates": ["6%", "13%"],
             "blank_or_not_applicable_fields": ["buyer_tax_id"]}  # fmt: skip
    (tmp_path / "truth" / "inv_pdf_x.pdf.json").write_text(json.dumps(truth), encoding="utf-8")
    (doc,) = load_real(tmp_path)
    assert doc.kind == "invoice_digital"
    assert doc.expected == {"invoice_number": "1", "buyer_tax_id": None}
