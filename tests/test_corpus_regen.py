"""The committed corpus is what its seed generates (so a changed generator is noticed).

What must agree is what the product reads, not the encoder's bytes: byte-exact JPEG and PDF
output depends on library versions and the processor (a freshly installed clone differed in
``s03_cloud_clean_photo_ofd/发票_01.jpg``). So: truth, application and every text exactly; each
PDF page's text exactly and its drawing within a pixel tolerance; images decoded, within a
tolerance; OFD and XLSX packages member by member, XML and text exactly.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from sample_docs.generate import DEFAULT_OUT, DEFAULT_SEED, build_name, generate

# One of each render path: born-digital PDF, photo JPEG with EXIF + OFD, scanned PDF + XLSX.
SAMPLES = [0, 2, 7]
MEAN_TOLERANCE = 2.0
"""Mean absolute difference per 8-bit channel: re-encoding with another libjpeg stays far below."""
SHARE_TOLERANCE = 0.01
"""Share of pixels allowed to differ by more than 48 levels (edges of re-rounded glyphs)."""
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"})


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def assert_same_pixels(fresh: np.ndarray, committed: np.ndarray, what: str) -> None:
    assert fresh.shape == committed.shape, f"{what}: size {fresh.shape} != {committed.shape}"
    diff = np.abs(fresh - committed)
    assert diff.mean() <= MEAN_TOLERANCE, f"{what}: mean pixel difference {diff.mean():.2f}"
    assert (diff > 48).mean() <= SHARE_TOLERANCE, f"{what}: {(diff > 48).mean():.2%} of pixels differ a lot"


def _pdf_pages(data: bytes) -> list[tuple[str, tuple[float, float], np.ndarray]]:
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_bounded()
            image = np.asarray(page.render(scale=50 / 72).to_pil().convert("RGB"), dtype=np.int16)
            pages.append((text, page.get_size(), image))
        return pages
    finally:
        document.close()


def _compare_pdf(fresh: bytes, committed: bytes, what: str) -> None:
    new, old = _pdf_pages(fresh), _pdf_pages(committed)
    assert len(new) == len(old), f"{what}: page count"
    for number, ((text, size, image), (text0, size0, image0)) in enumerate(zip(new, old, strict=True), 1):
        assert text == text0, f"{what} p{number}: text differs"
        assert np.allclose(size, size0), f"{what} p{number}: page size"
        assert_same_pixels(image, image0, f"{what} p{number}")


def _compare_zip(fresh: bytes, committed: bytes, what: str) -> None:
    with zipfile.ZipFile(io.BytesIO(fresh)) as new, zipfile.ZipFile(io.BytesIO(committed)) as old:
        assert sorted(new.namelist()) == sorted(old.namelist()), f"{what}: members"
        for name in new.namelist():
            compare(name, new.read(name), old.read(name), f"{what}!{name}")


def compare(name: str, fresh: bytes, committed: bytes, what: str) -> None:
    suffix = Path(name).suffix.lower()
    if fresh == committed:
        return
    if suffix in IMAGE_SUFFIXES:
        assert_same_pixels(_pixels(fresh), _pixels(committed), what)
    elif suffix == ".pdf":
        _compare_pdf(fresh, committed, what)
    elif suffix in {".ofd", ".xlsx"}:
        _compare_zip(fresh, committed, what)
    else:  # truth, application, XML, text: what the checks read, exactly
        assert fresh == committed, f"{what}: content differs"


@pytest.mark.parametrize("index", SAMPLES)
def test_submission_regenerates_what_the_product_reads(index: int, tmp_path: Path) -> None:
    generate(DEFAULT_SEED, tmp_path, only=[index])
    name = build_name(index)
    fresh, committed = tmp_path / name, DEFAULT_OUT / name
    fresh_files = sorted(p.name for p in fresh.iterdir())
    assert fresh_files == sorted(p.name for p in committed.iterdir())
    for file in fresh_files:
        compare(file, (fresh / file).read_bytes(), (committed / file).read_bytes(), f"{name}/{file}")


def test_the_comparison_notices_a_changed_image_and_a_changed_text() -> None:
    """The tolerance is not a blindfold: a moved block of ink and one changed word are caught."""
    page = np.full((200, 300, 3), 255, dtype=np.uint8)
    page[50:90, 40:200] = 0
    moved = np.full_like(page, 255)
    moved[110:150, 40:200] = 0
    encode = [io.BytesIO(), io.BytesIO()]
    Image.fromarray(page).save(encode[0], format="JPEG", quality=90)
    Image.fromarray(moved).save(encode[1], format="JPEG", quality=90)
    with pytest.raises(AssertionError):
        compare("a.jpg", encode[0].getvalue(), encode[1].getvalue(), "moved ink")
    with pytest.raises(AssertionError):
        compare("truth.json", b'{"total": "106000.00"}', b'{"total": "106000.01"}', "truth")
    again = io.BytesIO()
    Image.fromarray(page).save(again, format="JPEG", quality=85)  # another encoder setting: same page
    compare("a.jpg", encode[0].getvalue(), again.getvalue(), "re-encoded")
