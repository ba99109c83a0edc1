"""End to end on generated born-digital submissions: real readers, fields, matchers and checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.settings import Settings
from pipeline.submission import verify_directory
from sample_docs.generate import SCENARIOS, build


def _generate(tmp_path: Path, scenario: str) -> Path:
    index = next(i for i, (name, _, _) in enumerate(SCENARIOS) if name == scenario)
    return build(11, index).write(tmp_path)


def test_clean_digital_cloud_submission_passes_with_the_expected_award(tmp_path: Path) -> None:
    folder = _generate(tmp_path, "cloud_clean_digital")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    result = verify_directory(folder, settings=Settings.from_env())
    assert result.findings == [], [f.message for f in result.findings]
    assert result.status == "pass"
    assert result.award is not None and result.award.amount_wan == truth["award"]["expected_wan"]


@pytest.mark.parametrize("scenario", ["investment_table_faults", "cloud_qr_credit_code"])
def test_seeded_faults_are_found(tmp_path: Path, scenario: str) -> None:
    folder = _generate(tmp_path, scenario)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    result = verify_directory(folder, settings=Settings.from_env())
    found = {f.code.value for f in result.findings}
    for expected in truth["findings"]["expected"]:
        assert {expected["code"], *expected.get("alternatives", [])} & found, expected
    assert result.status == "flagged"
