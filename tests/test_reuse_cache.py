"""Single commands reuse the store's extraction cache: a repeated ``extract`` or ``verify`` of the
same scan does not OCR it again; ``--no-cache`` reads afresh and replaces the stored reading.

OCR calls are counted on the real rapidocr engine (its ``recognize`` wrapped, still run).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evidence_cli.main import cli
from extractors.ocr.rapid import RapidOcrEngine
from flows.keys import document_key
from flows.reuse import read_file, refresh_folder
from flows.work import close_stores, store_for
from models import TextLine
from models.settings import Settings
from tests.test_read_helpers import INVOICE_NUMBER, make_scanned_pdf, small_scan


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    home = tmp_path / "home"
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    monkeypatch.setenv("EVIDENCE_PREFECT", "never")
    yield Settings.from_env()
    close_stores()


@pytest.fixture
def ocr_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per page the real engine recognises (read in this process, so it can count)."""
    monkeypatch.setenv("EVIDENCE_READ_ISOLATION", "off")
    calls: list[int] = []
    original = RapidOcrEngine.recognize

    def counted(self: RapidOcrEngine, image: np.ndarray) -> list[TextLine]:
        calls.append(1)
        return original(self, image)

    monkeypatch.setattr(RapidOcrEngine, "recognize", counted)
    return calls


def _scan(tmp_path: Path) -> Path:
    return make_scanned_pdf(tmp_path / "scan.pdf", [small_scan(tmp_path)])


def _extract(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["extract", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload: list[dict[str, object]] = json.loads(result.stdout)
    return payload


def test_repeated_extract_reads_the_scan_once(tmp_path: Path, settings: Settings, ocr_calls: list[int]) -> None:
    path = _scan(tmp_path)
    first = _extract(str(path))
    assert len(ocr_calls) == 1
    again = _extract(str(path))
    assert len(ocr_calls) == 1, "the second extract must come from the store"
    assert again == first
    assert INVOICE_NUMBER in json.dumps(first, ensure_ascii=False)
    cached = store_for(settings).get_document(document_key(path, settings))
    assert cached is not None and cached.document is not None and cached.document.text_source == "ocr"


def test_a_copy_under_another_name_is_the_same_reading(
    tmp_path: Path, settings: Settings, ocr_calls: list[int]
) -> None:
    path = _scan(tmp_path)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(path.read_bytes())
    read_file(path, settings)
    doc = read_file(copy, settings)
    assert len(ocr_calls) == 1
    assert doc.path == str(copy)


def test_no_cache_reads_again_and_replaces_the_row(tmp_path: Path, settings: Settings, ocr_calls: list[int]) -> None:
    path = _scan(tmp_path)
    store = store_for(settings)
    key = document_key(path, settings)
    read_file(path, settings)
    before = store.get_document(key)
    assert before is not None
    _extract(str(path), "--no-cache")
    assert len(ocr_calls) == 2
    after = store.get_document(key)
    assert after is not None and after.id == before.id  # replaced in place: submissions keep pointing at it
    assert after.document == before.document


def test_a_stored_read_error_is_reported_without_reading(tmp_path: Path, settings: Settings) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    runs = [CliRunner().invoke(cli, ["extract", str(broken)]) for _ in range(2)]
    assert [r.exit_code for r in runs] == [2, 2]
    assert runs[0].stderr == runs[1].stderr and "broken.pdf" in runs[0].stderr
    cached = store_for(settings).get_document(document_key(broken, settings))
    assert cached is not None and cached.document is None and cached.read_error


def test_an_unusable_store_never_costs_the_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.write_text("a file where the data folder should be")
    monkeypatch.setenv("EVIDENCE_HOME", str(home))
    monkeypatch.delenv("EVIDENCE_DB_URL", raising=False)
    doc = read_file(_scan(tmp_path), Settings.from_env())
    assert INVOICE_NUMBER in doc.all_text()


def test_verify_reuses_what_extract_read_and_no_cache_reads_again(
    tmp_path: Path, settings: Settings, ocr_calls: list[int]
) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    path = make_scanned_pdf(folder / "invoice.pdf", [small_scan(tmp_path)])
    (folder / "application.yaml").write_text("not: [a valid application", encoding="utf-8")
    read_file(path, settings)
    CliRunner().invoke(cli, ["verify", str(folder), "--format", "json"])
    assert len(ocr_calls) == 1
    assert refresh_folder(folder, settings) == 1
    assert len(ocr_calls) == 2
    CliRunner().invoke(cli, ["verify", str(folder), "--format", "json", "--no-cache"])
    assert len(ocr_calls) == 3


def test_a_detection_size_set_in_the_environment_is_part_of_the_key(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "any.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    default = document_key(path, settings)
    monkeypatch.setenv("EVIDENCE_OCR_DET_SIDE", "960")
    assert document_key(path, settings).engine != default.engine
    assert document_key(path, settings).sha256 == default.sha256
