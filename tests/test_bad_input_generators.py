"""The bad-input generators build what they claim (in process, no product code involved).

Without these, a bad-input test could pass because its input was accidentally harmless.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
import yaml
from PIL import Image

from tests.badinput import appyaml, images, ofd, pdfgen, tables
from tests.badinput.cases import CASES, PERMISSION_CASE, build
from tests.badinput.good import BUYER_TAX_ID, credit_code, invoice_pdf

_TEXT = ["Hello evidence"]


def _open(data: bytes, password: str | None = None) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data, password=password)


def test_at_least_25_kinds_with_distinct_names() -> None:
    kinds = [c.kind for c in (*CASES, PERMISSION_CASE)]
    assert len(kinds) == len(set(kinds)) >= 25


def test_plain_pdf_has_a_text_layer_and_the_broken_xref_is_really_broken() -> None:
    good = pdfgen.text_page_pdf(_TEXT).render()
    broken = pdfgen.text_page_pdf(_TEXT).render(broken_xref=True)
    assert "Hello evidence" in _open(good)[0].get_textpage().get_text_range()
    start = int(broken.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert broken[start : start + 4] != b"xref"  # startxref points into nothing; only a repair finds the objects


def test_truncated_pdf_has_no_catalog() -> None:
    whole = pdfgen.text_page_pdf(_TEXT).render()
    cut = whole[: whole.index(b"endstream") - 10]
    assert b"/Catalog" not in cut and b"/Pages" not in cut
    with pytest.raises(pdfium.PdfiumError):
        _open(cut)


def test_encryption_needs_the_user_password_only_when_set() -> None:
    locked = pdfgen.text_page_pdf(_TEXT, encryption=pdfgen.Encryption("secret", "owner")).render()
    with pytest.raises(pdfium.PdfiumError):
        _open(locked)
    assert "Hello evidence" in _open(locked, "secret")[0].get_textpage().get_text_range()
    restricted = pdfgen.text_page_pdf(_TEXT, encryption=pdfgen.Encryption("", "owner")).render()
    assert b"/Encrypt" in restricted and b"Hello evidence" not in restricted
    assert "Hello evidence" in _open(restricted)[0].get_textpage().get_text_range()


def test_page_count_claim_and_huge_page() -> None:
    many = _open(pdfgen.text_page_pdf(_TEXT, claimed_pages=100_000).render())
    assert len(many) == 100_000
    with pytest.raises(pdfium.PdfiumError):
        many[1]
    huge = _open(pdfgen.text_page_pdf(_TEXT, media_box=(20_000, 20_000)).render())
    assert huge[0].get_size() == (20_000, 20_000)


def test_png_bomb_is_tiny_and_huge() -> None:
    data = images.png_bomb()
    assert len(data) < 2048
    assert int.from_bytes(data[16:20], "big") == int.from_bytes(data[20:24], "big") == images.BOMB_SIDE
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


@pytest.mark.parametrize(("factory", "mode", "fmt"), [
    (images.tiff_16bit, "I;16", "TIFF"), (images.tiff_cmyk, "CMYK", "TIFF"), (images.animated_gif, None, "GIF"),
])
def test_unusual_images(factory, mode, fmt) -> None:
    with Image.open(io.BytesIO(factory())) as image:
        assert image.format == fmt
        if mode:
            assert image.mode == mode
        else:
            assert getattr(image, "n_frames", 1) > 1


def test_truncated_jpeg_fails_to_decode() -> None:
    with Image.open(io.BytesIO(images.truncated_jpeg())) as image, pytest.raises(OSError, match="truncated"):
        image.load()


def test_ofd_zip_bomb_declares_a_gibibyte_in_about_a_megabyte() -> None:
    data = ofd.zip_bomb_ofd()
    assert len(data) < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
        assert sizes["Doc_0/Pages/Page_0/Content.xml"] > ofd.BOMB_MIB * 1024 * 1024
        with archive.open("Doc_0/Pages/Page_0/Content.xml") as member:
            assert member.read(200).startswith(b"<?xml")
        assert archive.read("OFD.xml").startswith(b"<?xml")


def test_ofd_traversal_and_xxe_members() -> None:
    with zipfile.ZipFile(io.BytesIO(ofd.traversal_ofd("x.txt"))) as archive:
        names = archive.namelist()
    assert any(n.startswith("../") for n in names) and any(n.startswith("/tmp/") for n in names)
    with zipfile.ZipFile(io.BytesIO(ofd.xxe_ofd("/etc/hostname"))) as archive:
        page = archive.read("Doc_0/Pages/Page_0/Content.xml").decode()
    assert '<!ENTITY leak SYSTEM "file:///etc/hostname">' in page and "&leak;" in page


def test_pathological_xlsx() -> None:
    data = tables.pathological_xlsx()
    assert len(data) < 8 * 1024 * 1024
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    assert [book[name].sheet_state for name in book.sheetnames] == ["visible", "hidden"]
    sheet = book.worksheets[0]
    assert sheet.max_row == tables.EMPTY_ROWS_TO
    rows = list(sheet.iter_rows(min_row=1, max_row=5, values_only=True))
    assert rows[1] == tuple(tables.HEADER)
    assert rows[2][2] == tables.VISIBLE_INVOICES[0] and rows[2][3] == 106000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>100000+6000</f>" in sheet_xml and b'<mergeCell ref="A1:G1"/>' in sheet_xml


def test_gbk_csv_is_not_utf8() -> None:
    data = tables.gbk_csv()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gbk").startswith("序号,合同编号,发票号码")


def test_yaml_cases() -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(appyaml.INVALID)
    assert isinstance(yaml.safe_load(appyaml.WRONG_TYPES)["applicant"], str)
    bomb = yaml.safe_load(appyaml.yaml_bomb())  # aliases share objects: loading is cheap, expanding is not
    assert len(bomb["clauses"]) == 9 and bomb["clauses"][0] is bomb["clauses"][1]
    deep = appyaml.deep_nesting()
    assert len(deep) < 64 * 1024
    with pytest.raises(RecursionError):
        yaml.safe_load(deep)


def test_fixture_invoice_and_credit_code() -> None:
    assert credit_code("91350100M000100Y4") == "91350100M000100Y43"  # published example
    text = _open(invoice_pdf("24112000000012345678"))[0].get_textpage().get_text_range()
    assert BUYER_TAX_ID in text and "24112000000012345678" in text


def test_build_lays_out_every_case(tmp_path: Path) -> None:
    built = build(tmp_path)
    assert set(built) == {c.kind for c in CASES}
    assert (tmp_path / "submissions" / "control" / "invoice.pdf").is_file()
    assert not built["yaml_missing"].target.exists()
    assert built["symlink_outside"].target.is_symlink()
    assert not built["symlink_outside"].target.resolve().is_relative_to(tmp_path / "submissions")
    assert built["directory_pdf"].target.is_dir()
    assert built["zero_byte"].target.stat().st_size == 0
    assert b"\xff" in bytes(built["name_non_utf8"].target.name, "utf-8", "surrogateescape")
