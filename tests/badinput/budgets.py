"""Small files that expand past the per-document bounds (issue 18, rows 1 and 5), built at test time.

Each is a few KB to a few MB on disk and would cost gigabytes or minutes if read naively: the
readers must refuse them from a budget checked before the work. Text is pseudo-random from a
fixed seed, so no member compresses past the zip-bomb ratio check (which would refuse the file
for another reason and prove nothing about the budget).
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

from PIL import Image, ImageDraw

from tests.badinput.ofd import CONTENT_HEAD, CONTENT_TAIL, OFD_XML, PUBLIC_RES_XML, _text_object
from tests.badinput.zipgen import deflated_member, zip_bytes

_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
_HANZI = "发票号码开票日期购买方销售方名称统一社会信用代码纳税人识别号项目金额税率税额合计价税大写小写"


def _text(length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_HANZI) for _ in range(length))


def wide_png(width: int = 30_000, height: int = 200) -> bytes:
    """A strip 150 times wider than high: ~7 KB, but OCR's detector scales its short side to 736 px."""
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 400):
        draw.text((x + 10, height // 2), "INVOICE 12345", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def thin_png(width: int = 1, height: int = 500) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 0).save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_repeated_shared_string(cells: int = 24_000, length: int = 30_000) -> bytes:
    """One shared string of ``length`` characters referenced by ``cells`` cells."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, cells + 1))
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
            'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
            'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main" count="{cells}" uniqueCount="1"><si><t>{_text(length, 7)}</t></si></sst>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _ofd(document_xml: str, members: dict[str, str]) -> bytes:
    raw = [
        deflated_member("OFD.xml", OFD_XML.encode()),
        deflated_member("Doc_0/Document.xml", document_xml.encode()),
        deflated_member("Doc_0/PublicRes.xml", PUBLIC_RES_XML.encode()),
        *(deflated_member(name, text.encode()) for name, text in members.items()),
    ]
    return zip_bytes(raw)


def _document_xml(template: bool) -> str:
    common = '<ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document {_NS}><ofd:CommonData><ofd:MaxUnitID>10'
        "</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>"
        f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{common}</ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
    )


def ofd_template_references(references: int = 300, template_chars: int = 4_000) -> bytes:
    """A page that applies one template page ``references`` times (1.2 M glyphs from ~20 KB)."""
    template = CONTENT_HEAD + _text_object(5, 10, _text(template_chars, 11)) + CONTENT_TAIL
    refs = '<ofd:Template TemplateID="9"/>' * references
    page = CONTENT_HEAD.replace("<ofd:Content>", refs + "<ofd:Content>") + _text_object(6, 20, "发票") + CONTENT_TAIL
    return _ofd(_document_xml(True), {"Doc_0/Tpls/Tpl_0/Content.xml": template, "Doc_0/Pages/Page_0/Content.xml": page})


def ofd_huge_text_code(chars: int = 6_000_000) -> bytes:
    """One TextCode of ``chars`` characters (digits, so the member compresses only ~2x)."""
    rng = random.Random(13)
    digits = "".join(rng.choice("0123456789") for _ in range(chars))
    page = CONTENT_HEAD + _text_object(5, 10, digits) + CONTENT_TAIL
    return _ofd(_document_xml(False), {"Doc_0/Pages/Page_0/Content.xml": page})


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1 = catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _grey_image(side: int, *, level: int) -> bytes:
    """A FlateDecode grey image object of ``side``² pixels, compressed row by row (no big buffer)."""
    packer = zlib.compressobj(9)
    row = bytes([level]) * side
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    head = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray " % (side, side)
    return _stream(head + b"/BitsPerComponent 8 /Filter /FlateDecode", data)


def pdf_text_with_huge_image(side: int = 20_000) -> bytes:
    """A born-digital page (Helvetica text layer) that also draws a ``side``² image (~400 KB on disk)."""
    text = b"BT /F1 12 Tf 48 780 Td (Invoice number 24112000000012345678 total 106000.00) Tj ET "
    content = text + b"q 100 0 0 100 48 600 cm /Im1 Do Q"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
            _stream(b"", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _grey_image(side, level=200),
        ]
    )


def pdf_scanned_pages(pages: int = 200) -> bytes:
    """``pages`` pages that are each one image and no text (a scan): all share one small image."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        _stream(b"", b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        _grey_image(64, level=230),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /XObject << /Im1 4 0 R >> >> >>"
    )
    objects += [page] * pages
    return _pdf(objects)
