"""OFD e-invoices (GB/T 33190): a zip of XML with positioned text objects, the QR as an image object,
and the structured invoice XML attached, as the tax bureau's 数电票 OFD files carry it."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from sample_docs.gen import amounts
from sample_docs.gen.invoice import Invoice
from sample_docs.gen.render import qr_image

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
FIXED = (2024, 1, 1, 0, 0, 0)


def _text_obj(oid: int, x: float, y: float, s: str, size: float = 3.2) -> str:
    width = max(len(s), 1) * size
    deltas = " ".join([f"{size:.2f}"] * (len(s) - 1))
    delta_attr = f' DeltaX="{deltas}"' if deltas else ""
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="{x:.2f} {y:.2f} {width:.2f} {size * 1.4:.2f}" Font="2" Size="{size}">'
        f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:.2f}"{delta_attr}>{escape(s)}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def _layout(inv: Invoice) -> list[tuple[float, float, str, float]]:
    """(x mm, y mm from top, text, size) — the same reading content a printed 数电票 shows."""
    d = inv.issue_date
    out: list[tuple[float, float, str, float]] = [
        (70, 8, inv.title, 6.0),
        (140, 8, f"发票号码：{inv.number}", 3.2),
        (140, 14, f"开票日期：{d.year}年{d.month:02d}月{d.day:02d}日", 3.2),
        (8, 30, "购买方信息", 3.2),
        (20, 30, f"名称：{inv.buyer.name}", 3.2),
        (20, 38, f"统一社会信用代码/纳税人识别号：{inv.buyer.tax_id}", 3.0),
        (108, 30, "销售方信息", 3.2),
        (120, 30, f"名称：{inv.seller.name}", 3.2),
        (120, 38, f"统一社会信用代码/纳税人识别号：{inv.seller.tax_id}", 3.0),
        (8, 48, "项目名称", 3.0),
        (60, 48, "规格型号", 3.0),
        (82, 48, "单位", 3.0),
        (95, 48, "数量", 3.0),
        (110, 48, "单价", 3.0),
        (140, 48, "金额", 3.0),
        (165, 48, "税率/征收率", 3.0),
        (190, 48, "税额", 3.0),
    ]
    y = 55.0
    for item in inv.items:
        out += [
            (8, y, item.name, 3.0),
            (60, y, item.spec, 3.0),
            (82, y, item.unit, 3.0),
            (95, y, str(item.qty) if item.qty else "", 3.0),
            (110, y, f"{item.price}" if item.qty else "", 3.0),
            (140, y, amounts.fmt(item.amount), 3.0),
            (165, y, f"{int(item.rate * 100)}%", 3.0),
            (190, y, amounts.fmt(item.tax), 3.0),
        ]
        y += 6
    out += [
        (20, 95, "合计", 3.2),
        (140, 95, "¥" + amounts.fmt(inv.amount), 3.2),
        (190, 95, "¥" + amounts.fmt(inv.tax), 3.2),
        (8, 103, "价税合计（大写）", 3.2),
        (45, 103, inv.words, 3.4),
        (140, 103, "（小写）", 3.2),
        (155, 103, "¥" + amounts.fmt(inv.total), 3.4),
        (8, 112, "备注", 3.2),
        (20, 112, inv.remark, 3.0),
        (10, 132, f"开票人：{inv.drawer}", 3.2),
    ]
    return [item for item in out if item[2]]


def invoice_xml(inv: Invoice) -> str:
    """The structured 数电票 data file (element names as in the tax bureau's XML export)."""
    items = "".join(
        "<IssuItemInformation>"
        f"<ItemName>{escape(i.name)}</ItemName><SpecMod>{escape(i.spec)}</SpecMod><MeaUnits>{i.unit}</MeaUnits>"
        f"<Quantity>{i.qty}</Quantity><UnPrice>{i.price}</UnPrice><Amount>{amounts.fmt(i.amount)}</Amount>"
        f"<TaxRate>{i.rate}</TaxRate><ComTaxAm>{amounts.fmt(i.tax)}</ComTaxAm>"
        "</IssuItemInformation>"
        for i in inv.items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<EInvoice><Header><EIid>' + inv.number + "</EIid>"
        "<InherentLabel><InIssuType><LabelCode>Y</LabelCode></InIssuType><EInvoiceType><LabelCode>"
        + ("01" if inv.kind == "digital_special" else "02")
        + "</LabelCode><LabelName>"
        + escape(inv.title)
        + "</LabelName></EInvoiceType></InherentLabel></Header>"
        "<EInvoiceData>"
        f"<SellerInformation><SellerIdNum>{inv.seller.tax_id}</SellerIdNum>"
        f"<SellerName>{escape(inv.seller.name)}</SellerName></SellerInformation>"
        f"<BuyerInformation><BuyerIdNum>{inv.buyer.tax_id}</BuyerIdNum>"
        f"<BuyerName>{escape(inv.buyer.name)}</BuyerName></BuyerInformation>"
        f"<BasicInformation><TotalAmWithoutTax>{amounts.fmt(inv.amount)}</TotalAmWithoutTax>"
        f"<TotalTaxAm>{amounts.fmt(inv.tax)}</TotalTaxAm>"
        f"<TotalTax-includedAmount>{amounts.fmt(inv.total)}</TotalTax-includedAmount>"
        f"<TotalTax-includedAmountInChinese>{inv.words}</TotalTax-includedAmountInChinese>"
        f"<Drawer>{escape(inv.drawer)}</Drawer>"
        f"<RequestTime>{inv.issue_date.isoformat()} 10:21:33</RequestTime></BasicInformation>"
        f"{items}<AdditionalInformation><Remark>{escape(inv.remark)}</Remark></AdditionalInformation>"
        "</EInvoiceData>"
        f"<TaxSupervisionInfo><InvoiceNumber>{inv.number}</InvoiceNumber>"
        f"<IssueTime>{inv.issue_date.isoformat()} 10:21:33</IssueTime>"
        "<TaxBureauCode>11400000000</TaxBureauCode><TaxBureauName>国家税务总局山西省税务局</TaxBureauName></TaxSupervisionInfo>"
        "</EInvoice>\n"
    )


def ofd_bytes(inv: Invoice) -> bytes:
    texts = "".join(_text_obj(100 + k, x, y, s, size) for k, (x, y, s, size) in enumerate(_layout(inv)))
    qr = '<ofd:ImageObject ID="90" ResourceID="10" Boundary="5 5 22 22" CTM="22 0 0 22 0 0"/>'
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {NS}><ofd:Content><ofd:Layer ID="3">{qr}{texts}'
        "</ofd:Layer></ofd:Content></ofd:Page>\n"
    )
    custom = "".join(
        f'<ofd:CustomData Name="{k}">{escape(v)}</ofd:CustomData>'
        for k, v in (
            ("发票号码", inv.number),
            ("开票日期", inv.issue_date.isoformat()),
            ("合计金额", amounts.fmt(inv.amount)),
            ("合计税额", amounts.fmt(inv.tax)),
            ("购买方纳税人识别号", inv.buyer.tax_id),
            ("销售方纳税人识别号", inv.seller.tax_id),
        )
    )
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD {NS} Version="1.1" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo>"
        f"<ofd:DocID>{inv.number}</ofd:DocID><ofd:Creator>国家税务总局全国统一电子发票服务平台</ofd:Creator>"
        f"<ofd:CreationDate>{inv.issue_date.isoformat()}</ofd:CreationDate><ofd:CustomDatas>{custom}</ofd:CustomDatas>"
        "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document {NS}>'
        "<ofd:CommonData><ofd:MaxUnitID>200</ofd:MaxUnitID>"
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>\n",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res {NS} BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>\n',
        "Doc_0/DocumentRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res {NS} BaseLoc="Res">'
        "<ofd:MultiMedias>"
        '<ofd:MultiMedia ID="10" Type="Image" Format="PNG"><ofd:MediaFile>qr.png</ofd:MediaFile></ofd:MultiMedia>'
        "</ofd:MultiMedias></ofd:Res>\n",
        "Doc_0/Pages/Page_0/Content.xml": content,
        "Doc_0/Attachs/Attachments.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Attachments {NS}>'
        '<ofd:Attachment ID="1" Name="original_invoice" Format="xml" Visible="false">'
        "<ofd:FileLoc>original_invoice.xml</ofd:FileLoc></ofd:Attachment></ofd:Attachments>\n",
        "Doc_0/Attachs/original_invoice.xml": invoice_xml(inv),
    }
    qr_buf = io.BytesIO()
    qr_image(inv.qr_payload()).save(qr_buf, format="PNG")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(
                zipfile.ZipInfo(name, date_time=FIXED), body.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED
            )
        zf.writestr(
            zipfile.ZipInfo("Doc_0/Res/qr.png", date_time=FIXED), qr_buf.getvalue(), compress_type=zipfile.ZIP_DEFLATED
        )
    return out.getvalue()
