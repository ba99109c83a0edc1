"""Generators for the reading tests and bench/reading.py: every input is built here, nothing is committed.

The layouts follow the real documents (a 数电票 PDF with its QR code, an OFD package, the e-invoice
XML) closely enough for the readers, with made-up parties and numbers.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT = "WQY"
INVOICE_NUMBER = "24112000000012345678"
QR_PAYLOAD = f"01,32,,{INVOICE_NUMBER},106000.00,20240315,,A1B2"

INVOICE_LINES: list[tuple[float, float, str, float]] = [
    (60, 60, "电子发票（增值税专用发票）", 18),
    (330, 100, f"发票号码：{INVOICE_NUMBER}", 10),
    (330, 118, "开票日期：2024年03月15日", 10),
    (40, 160, "购买方信息 名称：山西示例科技有限公司", 10),
    (40, 178, "统一社会信用代码/纳税人识别号：91140300MA0K123456", 10),
    (320, 160, "销售方信息 名称：阿里云计算有限公司", 10),
    (320, 178, "统一社会信用代码/纳税人识别号：91330106673959654P", 10),
    (40, 230, "项目名称 规格型号 单位 数量 单价 金额 税率/征收率 税额", 10),
    (40, 250, "*信息技术服务*云服务器租用费 年 1 100000.00 100000.00 6% 6000.00", 10),
    (40, 300, "合 计 ¥100000.00 ¥6000.00", 10),
    (40, 320, "价税合计（大写） 壹拾万陆仟元整 （小写）¥106000.00", 10),
    (40, 360, "备注：上云服务费 合同编号 HT-2024-001", 10),
    (40, 400, "开票人：张三", 10),
]


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH, subfontIndex=0))


def make_text_pdf(
    path: Path,
    lines: list[tuple[float, float, str, float]] | None = None,
    *,
    pages: int = 1,
    qr_payload: str | None = QR_PAYLOAD,
    rotate: int = 0,
) -> Path:
    """A born-digital PDF: CJK text drawn with an embedded font (x, y from the top-left in points)."""
    _register_font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    _width, height = A4
    for _ in range(pages):
        if rotate:
            pdf.setPageRotation(rotate)
        for x, y, text, size in lines or INVOICE_LINES:
            pdf.setFont(FONT, size)
            pdf.drawString(x, height - y, text)
        if qr_payload:
            widget = QrCodeWidget(qr_payload)
            x0, y0, x1, y1 = widget.getBounds()
            side = 70.0
            drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
            drawing.add(widget)
            renderPDF.draw(drawing, pdf, 30, height - 130)
        pdf.showPage()
    pdf.save()
    return path


def rasterise(pdf_path: Path, dpi: int = 200) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def make_scanned_pdf(path: Path, images: list[Image.Image], dpi: int = 200) -> Path:
    """Images wrapped in a PDF with no text layer, as a scanner produces."""
    images[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return path


def add_scan_noise(image: Image.Image, seed: int = 7) -> Image.Image:
    """Mild grey noise, so a 'scan' is not a pixel-perfect render."""
    rng = np.random.default_rng(seed)
    array = np.asarray(image.convert("L"), dtype=np.int16)
    noisy = np.clip(array + rng.normal(0, 8, array.shape), 0, 255).astype(np.uint8)
    return Image.fromarray(noisy).convert("RGB")


def make_exif_rotated_jpeg(path: Path, upright: Image.Image, orientation: int = 6) -> Path:
    """A phone photo: pixels stored sideways with an EXIF tag saying how to turn them upright.

    Orientation 6 means "rotate 90° clockwise to view", so the stored pixels are the upright
    image turned 90° counter-clockwise.
    """
    stored = {6: upright.transpose(Image.Transpose.ROTATE_90), 8: upright.transpose(Image.Transpose.ROTATE_270),
              3: upright.transpose(Image.Transpose.ROTATE_180)}[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def make_qr_image(payload: str = QR_PAYLOAD, box_size: int = 4) -> Image.Image:
    import qrcode

    image: Image.Image = qrcode.make(payload, box_size=box_size, border=4).get_image().convert("RGB")
    return image


OFD_NS = "http://www.ofdspec.org/2016"


def ofd_invoice_xml() -> str:
    """The structured invoice data a 数电票 OFD carries (Doc_0/Attachs/original_invoice.xml style)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<EInvoice>
  <Header><EIid>{INVOICE_NUMBER}</EIid><InherentLabel><EInvoiceType><LabelName>增值税专用发票</LabelName></EInvoiceType></InherentLabel></Header>
  <EInvoiceData>
    <SellerInformation><SellerIdNum>91330106673959654P</SellerIdNum><SellerName>阿里云计算有限公司</SellerName></SellerInformation>
    <BuyerInformation><BuyerIdNum>91140300MA0K123456</BuyerIdNum><BuyerName>山西示例科技有限公司</BuyerName></BuyerInformation>
    <BasicInformation><TotalAmWithoutTax>100000.00</TotalAmWithoutTax><TotalTaxAm>6000.00</TotalTaxAm>
      <TotalTax-includedAmount>106000.00</TotalTax-includedAmount><TotalTax-includedAmountInChinese>壹拾万陆仟元整</TotalTax-includedAmountInChinese>
      <RequestTime>2024-03-15 10:20:30</RequestTime><Drawer>张三</Drawer></BasicInformation>
    <IssuItemInformation><ItemName>*信息技术服务*云服务器租用费</ItemName><Amount>100000.00</Amount><TaxRate>0.06</TaxRate><ComTaxAm>6000.00</ComTaxAm></IssuItemInformation>
  </EInvoiceData>
  <TaxSupervisionInfo><InvoiceNumber>{INVOICE_NUMBER}</InvoiceNumber>
    <IssueTime>2024-03-15 10:20:30</IssueTime></TaxSupervisionInfo>
</EInvoice>"""


def _ofd_text(object_id: int, x: float, y: float, text: str, size: float = 3.5) -> str:
    """A TextObject whose DeltaX advances a full em for CJK and half an em for ASCII, as real ones do."""
    deltas = " ".join(f"{size * (0.5 if ord(char) < 0x2E80 else 1.0):.3f}" for char in text[:-1])
    delta_attr = f' DeltaX="{deltas}"' if deltas else ""
    width = size * len(text)
    return (
        f'<ofd:TextObject ID="{object_id}" Boundary="{x} {y} {width:.2f} {size * 1.4:.2f}" Font="3" Size="{size}">'
        f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:.2f}"{delta_attr}>{text}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def make_ofd(
    path: Path,
    *,
    with_attachment: bool = True,
    custom_tags: bool = False,
    extra_members: dict[str, bytes] | None = None,
) -> Path:
    """A minimal GB/T 33190 package: OFD.xml → Doc_0/Document.xml → Pages/Page_0/Content.xml.

    ``custom_tags`` adds the older e-invoice layout: values as their own text objects, named by
    Doc_0/Tags/CustomTag.xml through ObjectRef IDs.
    """
    texts = [
        (10.0, 8.0, "电子发票（增值税专用发票）", 5.0),
        (130.0, 12.0, f"发票号码：{INVOICE_NUMBER}", 3.5),
        (130.0, 18.0, "开票日期：2024年03月15日", 3.5),
        (12.0, 30.0, "名称：山西示例科技有限公司", 3.5),
        (110.0, 30.0, "名称：阿里云计算有限公司", 3.5),
        (12.0, 70.0, "价税合计（大写）壹拾万陆仟元整", 3.5),
        (120.0, 70.0, "（小写）¥106000.00", 3.5),
    ]
    objects = "".join(_ofd_text(i + 10, x, y, text, size) for i, (x, y, text, size) in enumerate(texts))
    tagged = {
        "InvoiceNo": (60, 170.0, 24.0, INVOICE_NUMBER),
        "IssueDate": (61, 170.0, 30.0, "2024年03月15日"),
        "BuyerName": (62, 12.0, 40.0, "山西示例科技有限公司"),
        "TaxInclusiveTotalAmount": (63, 150.0, 80.0, "106000.00"),
    }
    if custom_tags:
        objects += "".join(_ofd_text(oid, x, y, value) for oid, x, y, value in tagged.values())
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
        f'<ofd:Layer ID="2">{objects}</ofd:Layer></ofd:Content></ofd:Page>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
        '<ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>'
        '<ofd:PublicRes>PublicRes_0.xml</ofd:PublicRes></ofd:CommonData>'
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        + ("<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>" if with_attachment else "")
        + ("<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>" if custom_tags else "")
        + "</ofd:Document>"
    )
    ofd_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>abc</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    attachments = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Attachments xmlns:ofd="{OFD_NS}">'
        '<ofd:Attachment ID="1" Name="original_invoice" Format="xml"><ofd:FileLoc>original_invoice.xml</ofd:FileLoc>'
        "</ofd:Attachment></ofd:Attachments>"
    )
    public_res = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", ofd_xml)
        archive.writestr("Doc_0/Document.xml", document)
        archive.writestr("Doc_0/PublicRes_0.xml", public_res)
        archive.writestr("Doc_0/Pages/Page_0/Content.xml", content)
        if with_attachment:
            archive.writestr("Doc_0/Attachs/Attachments.xml", attachments)
            archive.writestr("Doc_0/Attachs/original_invoice.xml", ofd_invoice_xml())
        if custom_tags:
            archive.writestr(
                "Doc_0/Tags/CustomTags.xml",
                f'<ofd:CustomTags xmlns:ofd="{OFD_NS}"><ofd:CustomTag NameSpace="http://www.example.invalid/fp">'
                "<ofd:FileLoc>CustomTag.xml</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>",
            )
            refs = "".join(
                f'<fp:{tag}><ofd:ObjectRef PageRef="1">{oid}</ofd:ObjectRef></fp:{tag}>'
                for tag, (oid, _, _, _) in tagged.items()
            )
            archive.writestr(
                "Doc_0/Tags/CustomTag.xml",
                f'<fp:eInvoice xmlns:fp="http://www.example.invalid/fp" xmlns:ofd="{OFD_NS}">{refs}</fp:eInvoice>',
            )
        for name, data in (extra_members or {}).items():
            archive.writestr(name, data)
    return path


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


SMALL_LINES: list[tuple[float, float, str, float]] = [
    (20, 30, f"发票号码：{INVOICE_NUMBER}", 11),
    (20, 55, "开票日期：2024年03月15日", 11),
    (20, 80, "购买方名称：山西示例科技有限公司", 11),
    (20, 105, "价税合计（小写）¥106000.00", 11),
]
SMALL_SIZE = (320.0, 130.0)


def make_small_pdf(path: Path, lines: list[tuple[float, float, str, float]] | None = None) -> Path:
    """A postcard-sized born-digital page: enough text for OCR tests that stay fast."""
    _register_font()
    _width, height = SMALL_SIZE
    pdf = canvas.Canvas(str(path), pagesize=SMALL_SIZE)
    for x, y, text, size in lines or SMALL_LINES:
        pdf.setFont(FONT, size)
        pdf.drawString(x, height - y, text)
    pdf.showPage()
    pdf.save()
    return path


def small_scan(tmp: Path, dpi: int = 200) -> Image.Image:
    """The small page rendered and lightly noised, as a scanner would deliver it."""
    return add_scan_noise(rasterise(make_small_pdf(tmp / "small-src.pdf"), dpi)[0])


def make_garbage_label_pdf(path: Path, *, good_first_page: bool = False) -> Path:
    """Labels whose glyphs map to private-use code points (as broken e-invoice fonts do), values fine.

    The font has no glyphs for them, so the labels print blank; what matters is that the text
    layer is untrustworthy and the page must go to OCR.
    """
    _register_font()
    height = SMALL_SIZE[1]
    pdf = canvas.Canvas(str(path), pagesize=SMALL_SIZE)
    if good_first_page:
        for x, y, text, size in SMALL_LINES:
            pdf.setFont(FONT, size)
            pdf.drawString(x, height - y, text)
        pdf.showPage()
    garbage = "".join(chr(0xE000 + i) for i in range(5))
    for x, y, text, size in SMALL_LINES:
        label, _, value = text.partition("：")
        pdf.setFont(FONT, size)
        pdf.drawString(x, height - y, garbage[: len(label)] + "：" + value)
    pdf.showPage()
    pdf.save()
    return path
