"""Bad and hostile files: each is refused with DocumentReadError and a Chinese reason, never a traceback."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from extractors.errors import DocumentReadError
from extractors.reading import read_document
from models.settings import Settings
from tests.test_read_helpers import make_ofd, make_text_pdf


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def _refused(path: Path, tmp_path: Path) -> str:
    with pytest.raises(DocumentReadError) as info:
        read_document(path, settings=_settings(tmp_path))
    assert info.value.path == str(path)
    return info.value.reason


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size in its header with almost no data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _pdf_with(body_objects: list[bytes]) -> bytes:
    """A hand-written PDF with a correct xref table, for page trees that lie."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(body_objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(body_objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(body_objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "nope.pdf", tmp_path) == "文件不存在"


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "0 字节" in _refused(path, tmp_path)


def test_directory_named_like_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.mkdir()
    assert "目录" in _refused(path, tmp_path)


def test_random_bytes_are_an_unknown_type(tmp_path: Path) -> None:
    path = tmp_path / "blob.pdf"
    path.write_bytes(bytes(range(256)) * 4)
    assert "无法识别" in _refused(path, tmp_path)


def test_html_renamed_pdf(tmp_path: Path) -> None:
    path = tmp_path / "invoice.pdf"
    path.write_text("<!DOCTYPE html><html><body>发票</body></html>", encoding="utf-8")
    assert "HTML" in _refused(path, tmp_path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = make_text_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏" in _refused(path, tmp_path)


def test_pdf_with_broken_xref_is_repaired_not_refused(tmp_path: Path) -> None:
    data = make_text_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "xref.pdf"
    path.write_bytes(data.replace(b"startxref", b"startxraf"))
    assert read_document(path, settings=_settings(tmp_path)).text_source == "text_layer"


def test_encrypted_pdf_with_user_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", ownerPassword="owner", strength=128))
    pdf.drawString(100, 700, "Invoice 24112000000012345678")
    pdf.save()
    assert "加密" in _refused(path, tmp_path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0, strength=128))
    pdf.drawString(100, 700, "Invoice 24112000000012345678")
    pdf.save()
    doc = read_document(path, settings=_settings(tmp_path))
    assert "24112000000012345678" in doc.all_text()


def test_pdf_claiming_100000_pages(tmp_path: Path) -> None:
    path = tmp_path / "many.pdf"
    path.write_bytes(
        _pdf_with(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 100000 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            ]
        )
    )
    reason = _refused(path, tmp_path)
    assert "页数过多" in reason or "损坏" in reason


def test_pdf_page_of_20000_points(tmp_path: Path) -> None:
    path = tmp_path / "huge-page.pdf"
    path.write_bytes(
        _pdf_with(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 20000 20000] >>",
            ]
        )
    )
    assert "尺寸异常" in _refused(path, tmp_path)


def test_image_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(50_000, 50_000))
    assert "像素" in _refused(path, tmp_path)


def test_animated_gif_renamed_jpg(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "blue")]
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:])
    assert "GIF" in _refused(path, tmp_path)


def test_truncated_jpeg(tmp_path: Path) -> None:
    full = tmp_path / "full.jpg"
    Image.new("RGB", (400, 300), "white").save(full, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(full.read_bytes()[:200])
    assert "损坏" in _refused(path, tmp_path)


def test_ofd_zip_bomb(tmp_path: Path) -> None:
    path = make_ofd(tmp_path / "bomb.ofd", extra_members={"Doc_0/Res/zeros.bin": b"\0" * (40 * 1024 * 1024)})
    assert "压缩炸弹" in _refused(path, tmp_path)


def test_ofd_with_parent_directory_entry(tmp_path: Path) -> None:
    path = make_ofd(tmp_path / "evil.ofd", extra_members={"../../etc/evil.xml": b"<x/>"})
    assert "非法路径" in _refused(path, tmp_path)


def test_ofd_missing_its_document_root(tmp_path: Path) -> None:
    path = tmp_path / "broken.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody/></ofd:OFD>")
    assert "DocRoot" in _refused(path, tmp_path)


def test_xml_entity_bomb(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<EInvoice><EIid>&b;</EIid></EInvoice>",
        encoding="utf-8",
    )
    assert "不安全" in _refused(path, tmp_path)


def test_xml_that_is_not_an_invoice(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><root><a>1</a></root>", encoding="utf-8")
    assert "电子发票" in _refused(path, tmp_path)


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    assert "XLSX" in _refused(path, tmp_path)


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read files without permission bits")
    path = make_text_pdf(tmp_path / "secret.pdf")
    path.chmod(0)
    assert "权限" in _refused(path, tmp_path)


class _StarvedEngine:
    """An OCR engine whose native threads cannot start: the way onnxruntime fails at an address-space limit."""

    name = "starved"
    version = "0"

    def recognize(self, image: object) -> list[object]:
        try:
            raise OSError(12, "Cannot allocate memory")
        except OSError as cause:
            raise RuntimeError("pthread_create failed, error code: 12") from cause


def test_an_allocation_failure_inside_ocr_is_reported_as_memory(tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    Image.new("RGB", (400, 300), "white").save(scan)
    with pytest.raises(DocumentReadError) as info:
        read_document(scan, settings=_settings(tmp_path), engine=_StarvedEngine())  # type: ignore[arg-type]
    assert "内存" in info.value.reason
