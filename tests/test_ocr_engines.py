"""Engine selection and the rapidocr engine on a small page; paddleocr fails clearly when absent."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from extractors.ocr import OcrEngine, OcrUnavailableError, engine_label, get_engine
from models.settings import Settings
from tests.test_read_helpers import INVOICE_NUMBER, small_scan


def test_default_engine_is_rapidocr_and_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIDENCE_OCR_ENGINE", raising=False)
    engine = get_engine()
    assert isinstance(engine, OcrEngine)
    assert engine.name == "rapidocr"
    assert engine_label(engine).startswith("rapidocr 3.10.0")
    assert get_engine("rapidocr") is engine


def test_the_settings_choose_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_OCR_ENGINE", "tesseract")
    with pytest.raises(OcrUnavailableError, match="未知的 OCR 引擎"):
        get_engine(Settings.from_env().ocr_engine)


@pytest.mark.skipif(importlib.util.find_spec("paddleocr") is not None, reason="paddleocr is installed here")
def test_paddleocr_without_the_extra_says_how_to_get_it() -> None:
    with pytest.raises(OcrUnavailableError, match=r"pip install -e \.\[paddle\]"):
        get_engine("paddleocr")


def test_rapidocr_reads_a_small_scan_with_boxes_and_confidence(tmp_path: Path) -> None:
    image = np.asarray(small_scan(tmp_path))
    lines = get_engine("rapidocr").recognize(image)
    texts = [line.text for line in lines]
    assert texts[0] == f"发票号码：{INVOICE_NUMBER}"
    assert "购买方名称：山西示例科技有限公司" in texts
    tops = [line.bbox.y0 for line in lines]
    assert tops == sorted(tops)
    for line in lines:
        assert line.source == "ocr" and 0.5 <= line.confidence <= 1.0
        assert 0 <= line.bbox.x0 < line.bbox.x1 <= image.shape[1]


def test_rapidocr_on_a_blank_image_finds_nothing() -> None:
    assert get_engine("rapidocr").recognize(np.full((200, 300, 3), 255, dtype=np.uint8)) == []
