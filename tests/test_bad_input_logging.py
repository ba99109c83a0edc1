"""Data protection in logs: at INFO and above, no field value and no page text is ever logged.

Invoices carry tax ids, names and amounts; logs are shipped, rotated and read by operators who
are not reviewers. Run one verification in process with every logger at INFO captured, plus the
bad inputs (whose readers log their failures), and search the records for the values.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from models.settings import Settings
from tests.badinput.cases import case_by_kind
from tests.badinput.good import APPLICANT, BUYER_TAX_ID, SELLER_TAX_ID, good_submission

INVOICE_NUMBER = "24112000000043214321"
SECRETS = (BUYER_TAX_ID, SELLER_TAX_ID, INVOICE_NUMBER, "壹拾万陆仟圆整", "云服务器租用费", APPLICANT)


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    folder = good_submission(tmp_path / "sub", INVOICE_NUMBER)
    outside = tmp_path / "outside"
    outside.mkdir()
    for kind in ("truncated_pdf", "ofd_corrupt_deflate", "xlsx_future_zip_version", "symlink_outside", "csv_gbk"):
        case = case_by_kind(kind)
        assert isinstance(case.filename, str)
        case.write(folder / case.filename, outside)
    (folder / "copy.pdf").write_bytes((folder / "invoice.pdf").read_bytes())  # same invoice twice: a finding
    return folder


def test_verify_logs_no_field_values_at_info(
    submission: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    from pipeline.submission import verify_directory

    with caplog.at_level(logging.INFO):
        result = verify_directory(submission, settings=Settings.from_env())
    assert result.status == "flagged"
    assert BUYER_TAX_ID in result.model_dump_json()  # the values exist; they just must not be logged
    records = [r for r in caplog.records if r.levelno >= logging.INFO]
    for record in records:
        text = record.getMessage() + (record.exc_text or "")
        for secret in SECRETS:
            assert secret not in text, f"{record.name} logged {secret!r}: {text[:300]}"
