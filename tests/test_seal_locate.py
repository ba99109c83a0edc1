"""Seals on text-layer PDFs: the regional search finds what the whole-page search finds; a stamp
read once is read from memory the second time, with the same result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from extractors.ocr import get_engine
from extractors.process import process_file
from extractors.readers import pdf
from extractors.seals import find_seals, locate, memo
from models.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "sample_docs" / "corpus"
REAL = ROOT.parent / "shared" / "real" / "files"
# born-digital pages with a stamp image: an old-style invoice and a contract's signature page
STAMPED = [CORPUS / "s10_cloud_qr_credit_code" / "发票_01.pdf", CORPUS / "s01_cloud_clean_digital" / "上云服务合同.pdf"]


@pytest.fixture(scope="module")
def engine() -> Any:
    return get_engine("rapidocr")


def _whole_page_seals(path: Path, engine: Any, dpi: int) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    with pdf.open_pdf(path) as document:
        for index in range(len(document)):
            with pdf.load_page(path, document, index) as page:
                for seal in find_seals(pdf.render(page, dpi), page=index + 1, engine=engine):
                    found.append((seal.page, seal.kind, seal.names, seal.credit_code, seal.bbox))
    return found


@pytest.mark.parametrize("path", STAMPED, ids=lambda p: p.parent.name)
def test_regional_search_finds_the_whole_page_stamps(path: Path, engine: Any) -> None:
    settings = Settings.from_env()
    doc = process_file(path, engine=engine, settings=settings)
    assert doc.seals, "the corpus draws a stamp on this document"
    got = [(s.page, s.kind, s.names, s.credit_code, s.bbox) for s in doc.seals]
    assert sorted(got, key=str) == sorted(_whole_page_seals(path, engine, settings.raster_dpi), key=str)


def test_regions_cover_every_stamp_of_the_real_invoices(engine: Any) -> None:
    files = sorted(REAL.glob("inv_pdf_*.pdf")) if REAL.is_dir() else []
    if not files:
        pytest.skip("../shared/real is not present on this machine")
    for path in files:
        with pdf.open_pdf(path) as document, pdf.load_page(path, document, 0) as page:
            whole = pdf.render(page, 200)
            regions = locate.stamp_regions(locate.small_render(page), 200, locate.render_size(page, 200))
            assert locate.render_size(page, 200) == (whole.shape[1], whole.shape[0])
            for seal in find_seals(whole, page=1, engine=engine):
                box = seal.bbox
                assert box is not None
                assert any(r.x0 <= box.x0 and r.y0 <= box.y0 and box.x1 <= r.x1 and box.y1 <= r.y1 for r in regions), (
                    path.name
                )


def test_no_red_no_region() -> None:
    white = np.full((300, 420, 3), 255, dtype=np.uint8)
    white[100:104, 20:400] = (200, 30, 30)  # a long red rule is a form's, not a stamp's
    assert locate.stamp_regions(white, 200, (1167, 833)) == []


def test_same_pixels_are_recognised_once() -> None:
    calls: list[int] = []

    class Engine:
        def recognise(self) -> list[tuple[str, float]]:
            calls.append(1)
            return [("阿里云计算有限公司", 0.9)]

    engine = Engine()
    crop = np.full((40, 300, 3), 255, dtype=np.uint8)
    first = memo.recognised(engine, [crop], engine.recognise)
    again = memo.recognised(engine, [crop.copy()], engine.recognise)
    crop[10, 10] = 0
    other = memo.recognised(engine, [crop], engine.recognise)
    assert first == again == other and len(calls) == 2
    assert memo.recognised(Engine(), [crop], engine.recognise) and len(calls) == 3  # per engine
