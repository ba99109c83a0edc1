"""``evidence eval`` reads through the store's extraction cache (``flows.reuse``): a second eval, or
an eval after a batch stored the files, does not OCR them again; ``--no-cache`` reads afresh.

OCR calls are counted on the real rapidocr engine (its ``recognize`` wrapped, still run).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from evidence_cli.main import cli
from extractors.ocr.rapid import RapidOcrEngine
from flows.reuse import read_file
from flows.work import close_stores
from models import TextLine
from models.settings import Settings

CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"
SCANNED = "s05_cert_clean_itss_scan"  # one scanned certificate page


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENCE_PREFECT", "never")
    monkeypatch.setenv("EVIDENCE_READ_ISOLATION", "off")  # read in this process, so OCR can be counted
    yield Settings.from_env()
    close_stores()


@pytest.fixture
def ocr_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = RapidOcrEngine.recognize

    def counted(self: RapidOcrEngine, image: np.ndarray) -> list[TextLine]:
        calls.append(1)
        return original(self, image)

    monkeypatch.setattr(RapidOcrEngine, "recognize", counted)
    return calls


def _eval(*extra: str) -> dict[str, Any]:
    args = ["eval", str(CORPUS), "--only", SCANNED, "--format", "json", *extra]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_repeated_eval_reads_nothing_again(settings: Settings, ocr_calls: list[int]) -> None:
    first = _eval()
    read = len(ocr_calls)
    assert read >= 1, "the scanned certificate is OCRed the first time"
    assert _eval() == first
    assert len(ocr_calls) == read, "the second eval must take the stored extraction"
    _eval("--no-cache")
    assert len(ocr_calls) == 2 * read


def test_eval_takes_what_another_command_stored(settings: Settings, ocr_calls: list[int]) -> None:
    for path in sorted((CORPUS / SCANNED).glob("*.pdf")):
        read_file(path, settings)  # batch's key: what batch or extract would have stored
    read = len(ocr_calls)
    _eval()
    assert len(ocr_calls) == read
