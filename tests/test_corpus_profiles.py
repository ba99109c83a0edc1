"""Generator profiles: deterministic, truth boxes that hold their values, and a held-out seed no test uses."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest

from extractors.process import process_file
from models.settings import Settings
from sample_docs.gen import certificate_layouts, contract_layouts, scenarios_varied
from sample_docs.gen.boxes import printed_forms
from sample_docs.generate import DEFAULT_SEED, generate_profile, profiles

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_profile("varied", tmp_path_factory.mktemp("varied"), count=4)


def _decoded(path: Path) -> Any:
    """What a reader sees: a PDF's text per page and its pages' pixels (not the file's bytes)."""
    if path.suffix.lower() != ".pdf":
        return path.read_bytes()
    doc = pdfium.PdfDocument(path)
    try:
        out = []
        for page in doc:
            text = page.get_textpage().get_text_range()
            pixels = np.asarray(page.render(scale=30 / 72).to_pil().convert("L"))
            out.append((text, pixels.tobytes()))
        return out
    finally:
        doc.close()


def test_same_profile_same_truth_and_content(varied: list[Path], tmp_path: Path) -> None:
    again = generate_profile("varied", tmp_path, count=2)
    for first, second in zip(varied[:2], again, strict=True):
        assert first.name == second.name
        truth = json.loads((first / "truth.json").read_text(encoding="utf-8"))
        assert truth == json.loads((second / "truth.json").read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            assert _decoded(first / doc["path"]) == _decoded(second / doc["path"]), doc["path"]


def test_heldout_seed_is_used_by_no_test() -> None:
    specs = profiles()
    held = str(specs["heldout"]["seed"])
    assert specs["default"]["seed"] == DEFAULT_SEED
    assert len({str(s["seed"]) for s in specs.values()}) == len(specs)
    pattern = re.compile(rf"(?<!\d){held}(?!\d)")
    suffixes = (".py", ".json", ".yaml", ".yml", ".txt", ".toml", ".csv")
    users = [p.name for p in TESTS.rglob("*") if p.suffix in suffixes and pattern.search(_read(p))]
    assert not users, f"tests name the held-out seed: {users}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return ""


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_truth_boxes_hold_their_value_on_the_text_layer(varied: list[Path]) -> None:
    """Each born-digital box, read back from the PDF's text layer, is the value and nothing else."""
    checked = 0
    for folder in varied:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            if doc["render"] != "born_digital" or not doc["path"].endswith(".pdf"):
                continue
            assert doc["box_dpi"] == 200
            pdf = pdfium.PdfDocument(folder / doc["path"])
            for name, (page_no, x0, y0, x1, y1) in doc["boxes"].items():
                page = pdf[page_no - 1]
                height = page.get_height()
                k = 72 / doc["box_dpi"]
                # shrink by a hair so neighbouring glyphs touching the edge are not read
                inside = page.get_textpage().get_text_bounded(
                    x0 * k + 1, height - y1 * k + 1, x1 * k - 1, height - y0 * k - 1
                )
                forms = {_norm(f) for f in printed_forms(doc["fields"][name])}
                assert _norm(inside) in forms, (folder.name, doc["path"], name, inside)
                assert not re.search(r"[:：]", inside), (name, inside)
                checked += 1
            pdf.close()
    assert checked >= 10


def test_varied_profile_names_every_family(varied: list[Path]) -> None:
    """Every contract family has scenarios; each certificate kind is drawn; variants come from the list."""
    named = {s[0] for s in scenarios_varied.SCENARIOS}
    for layout in ("table", "running", "signature"):
        assert {f"cloud_{layout}_digital", f"cloud_{layout}_scan"} <= named
    assert {n.split("_")[1] for n in named if n.startswith("cert_")} == {"cmmi", "itss", "dcmm"}
    assert set(contract_layouts.FAMILIES) == set(contract_layouts.LAYOUTS)
    for folder in varied:
        for doc in json.loads((folder / "truth.json").read_text(encoding="utf-8"))["documents"]:
            if doc["doc_type"] == "certificate":
                assert doc["extras"]["variant"] in certificate_layouts.VARIANTS
            if doc["doc_type"] == "contract":
                assert doc["extras"]["layout"]["layout"] in contract_layouts.LAYOUTS


def test_varied_born_digital_contracts_read_back(varied: list[Path]) -> None:
    for folder in varied:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for doc in truth["documents"]:
            if doc["doc_type"] != "contract" or doc["render"] != "born_digital":
                continue
            got = process_file(folder / doc["path"], settings=Settings.from_env())
            for name in ("contract_number", "party_a", "party_b", "sign_date", "total_amount"):
                assert _norm(str(got.fields[name].value)) == _norm(str(doc["fields"][name])), (folder.name, name)


def test_invoice_captions_are_printed_as_drawn_for_the_profile(varied: list[Path]) -> None:
    """The caption spellings a varied invoice draws are what its text layer says (and the template's are gone)."""
    checked = 0
    for folder in varied:
        for doc in json.loads((folder / "truth.json").read_text(encoding="utf-8"))["documents"]:
            if doc["doc_type"] != "invoice" or doc["render"] != "born_digital":
                continue
            pdf = pdfium.PdfDocument(folder / doc["path"])
            text = _norm("".join(page.get_textpage().get_text_range() for page in pdf))
            pdf.close()
            for template, printed in doc["extras"]["labels"].items():
                assert _norm(printed) in text
                if _norm(template) not in _norm(printed):
                    assert _norm(template) not in text.replace(_norm(printed), ""), template
                checked += 1
    assert checked >= 1
