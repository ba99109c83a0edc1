"""The OCR paths of read_document: scans, photos with EXIF rotation, rotated scans, broken text layers.

Pages are postcard-sized so each OCR call stays around a second; the engine is the real rapidocr.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors import imaging
from extractors.ocr import get_engine
from extractors.qr import decode_qr
from extractors.reading import read_document, render_page
from models import Document
from models.settings import Settings
from tests.test_read_helpers import (
    INVOICE_NUMBER,
    QR_PAYLOAD,
    add_scan_noise,
    make_exif_rotated_jpeg,
    make_garbage_label_pdf,
    make_qr_image,
    make_scanned_pdf,
    small_scan,
)


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def _text(doc: Document) -> str:
    return doc.all_text()


def _assert_reads_small_page(doc: Document) -> None:
    text = _text(doc)
    assert f"发票号码：{INVOICE_NUMBER}" in text
    assert "山西示例科技有限公司" in text
    assert "106000.00" in text
    page = doc.pages[0]
    for line in page.lines:
        assert line.source == "ocr" and 0 < line.confidence <= 1
        assert 0 <= line.bbox.x0 < line.bbox.x1 <= page.width and 0 <= line.bbox.y0 < line.bbox.y1 <= page.height


def test_scanned_pdf_is_ocred_and_records_the_engine(tmp_path: Path) -> None:
    scan = small_scan(tmp_path)
    path = make_scanned_pdf(tmp_path / "scan.pdf", [scan])
    doc = read_document(path, settings=_settings(tmp_path))
    assert doc.text_source == "ocr"
    assert doc.ocr_engine is not None and doc.ocr_engine.startswith("rapidocr ")
    assert abs(doc.pages[0].width - scan.width) <= 1 and abs(doc.pages[0].height - scan.height) <= 1
    assert doc.pages[0].rotation == 0
    _assert_reads_small_page(doc)


def test_exif_rotated_phone_photo_is_read_upright(tmp_path: Path) -> None:
    upright = small_scan(tmp_path)
    path = make_exif_rotated_jpeg(tmp_path / "photo.jpg", upright, orientation=6)
    with Image.open(path) as stored:
        assert stored.size == (upright.height, upright.width)
    doc = read_document(path, settings=_settings(tmp_path))
    assert (doc.pages[0].width, doc.pages[0].height) == upright.size
    assert doc.pages[0].rotation == 0
    _assert_reads_small_page(doc)


@pytest.mark.parametrize(("turned", "expected_fix"), [(90, 270), (180, 180)])
def test_rotated_scan_is_turned_upright(tmp_path: Path, turned: int, expected_fix: int) -> None:
    upright = small_scan(tmp_path)
    path = tmp_path / "rotated.png"
    upright.rotate(-turned, expand=True).save(path)  # PIL rotates counter-clockwise
    doc = read_document(path, settings=_settings(tmp_path))
    assert doc.pages[0].rotation == expected_fix
    assert (doc.pages[0].width, doc.pages[0].height) == upright.size
    _assert_reads_small_page(doc)
    rendered = render_page(path, 1, doc.pages[0].dpi, page=doc.pages[0])
    assert rendered.size == upright.size


def test_unusable_text_layer_goes_to_ocr_page_by_page(tmp_path: Path) -> None:
    path = make_garbage_label_pdf(tmp_path / "garbage.pdf", good_first_page=True)
    doc = read_document(path, settings=_settings(tmp_path))
    assert [page.text_source for page in doc.pages] == ["text_layer", "ocr"]
    assert doc.text_source == "mixed"
    assert doc.ocr_engine is not None
    assert INVOICE_NUMBER in " ".join(line.text for line in doc.pages[1].lines)


def test_every_qr_code_on_a_full_resolution_a4_scan_is_decoded() -> None:
    page = Image.new("RGB", (1654, 2339), "white")
    page.paste(make_qr_image(box_size=4), (80, 80))
    page.paste(make_qr_image("https://example.invalid/verify?id=42", box_size=3), (1300, 2000))
    noisy = add_scan_noise(page)
    assert decode_qr(np.asarray(noisy)) == [QR_PAYLOAD, "https://example.invalid/verify?id=42"]
    assert decode_qr(np.full((2339, 1654, 3), 255, dtype=np.uint8)) == []


def test_skew_is_measured_and_undone(tmp_path: Path) -> None:
    upright = np.asarray(small_scan(tmp_path))
    tilted = np.asarray(Image.fromarray(upright).rotate(4, fillcolor="white", resample=Image.Resampling.BILINEAR))
    geometry = imaging.analyse(tilted, None)
    assert geometry.rotation == 0
    assert abs(geometry.skew + 4) < 0.6
    assert abs(imaging.analyse(imaging.apply(tilted, geometry), None).skew) < 0.6
    assert imaging.analyse(upright, get_engine()) == imaging.PageGeometry()


def test_ink_rows_cut_a_detected_box_to_its_characters() -> None:
    import numpy as np

    from extractors.ocr.lines import ink_rows

    grey = np.full((100, 400), 255, dtype=np.uint8)
    grey[40:60, 50:350] = 0  # the characters; the detector's box runs from 30 to 70
    assert ink_rows(grey, [[40, 30], [360, 30], [360, 70], [40, 70]]) == (40.0, 60.0)
    assert ink_rows(np.full((100, 400), 255, dtype=np.uint8), [[40, 30], [360, 30], [360, 70], [40, 70]]) is None


def test_ink_rows_ignore_a_rule_crossing_the_box() -> None:
    """A cell's vertical border inside the detected box darkens every row: it is not the value's ink."""
    import numpy as np

    from extractors.ocr.lines import ink_rows

    grey = np.full((100, 400), 255, dtype=np.uint8)
    grey[40:60, 50:350] = 0
    grey[:, 355:357] = 0  # the column's border, inside the box
    assert ink_rows(grey, [[40, 30], [360, 30], [360, 70], [40, 70]]) == (40.0, 60.0)
