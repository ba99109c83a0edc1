"""A bug in a reader or a field extractor still reaches the reviewer as a plain reason or warning,
but we must see it: it is logged at ERROR with its traceback, naming the file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from extractors.errors import DocumentReadError
from extractors.fields import extract_fields
from extractors.fields.registry import EXTRACTORS
from extractors.ocr import OcrEngine
from extractors.readers.ocr_page import PageSink
from extractors.readers.registry import READERS, Read
from extractors.reading import read_document
from models import Document, ExtractedField, Page
from models.settings import Settings
from tests.test_fields_fixtures import line, make_doc


def _error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info is not None]


class _BuggyReader:
    def read(self, path: Path, dpi: int, engine: Callable[[], OcrEngine], keep: PageSink | None) -> Read:
        raise KeyError("a bug in the table reader")

    def draw(
        self, path: Path, page_number: int, dpi: int, *, page: Page | None, engine: OcrEngine | None
    ) -> Image.Image:
        raise AssertionError("not drawn here")


def test_a_reader_bug_is_logged_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    monkeypatch.setitem(READERS, "csv", _BuggyReader())
    with caplog.at_level(logging.ERROR), pytest.raises(DocumentReadError) as raised:
        read_document(path, settings=Settings(home=tmp_path / "home"))
    assert raised.value.reason == "文件无法读取（内容异常）"
    (record,) = _error_records(caplog)
    assert "rows.csv" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_a_field_extractor_crash_is_logged_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def buggy(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
        raise ValueError("a bug in one extractor")

    for doc_type, entry in EXTRACTORS.items():
        monkeypatch.setitem(EXTRACTORS, doc_type, replace(entry, load=lambda: buggy))
    doc = make_doc([[line("证书编号：DCMM202379663", 100, 100)]])
    with caplog.at_level(logging.ERROR):
        warnings = extract_fields(doc).warnings
    assert any("字段提取失败（ValueError）" in w for w in warnings)
    (record,) = _error_records(caplog)
    assert doc.path in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ValueError
