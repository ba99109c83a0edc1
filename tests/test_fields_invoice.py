"""Invoice extraction on hand-built layouts of both generations, and the exact sources (QR, OFD data)."""

from __future__ import annotations

from extractors.fields import extract_fields
from tests.test_fields_fixtures import digital_invoice_lines, line, make_doc, old_invoice_lines


def _values(doc):
    return {k: f.value for k, f in doc.fields.items()}


def test_digital_invoice_fields_and_cross_checks() -> None:
    doc = extract_fields(make_doc([digital_invoice_lines()]))
    assert doc.doc_type == "invoice" and doc.doc_type_confidence >= 0.9
    v = _values(doc)
    assert v["invoice_number"] == "24142000000012345678"
    assert "invoice_code" not in v
    assert v["issue_date"] == "2023-05-12"
    assert v["buyer_name"] == "山西示例科技有限公司"
    assert v["seller_name"] == "阿里云计算有限公司"
    assert v["buyer_tax_id"] == "91140300MA0K123459"
    assert v["seller_tax_id"] == "91330106673959654P"
    assert (v["amount_excl_tax"], v["tax_amount"], v["total_incl_tax"]) == ("99000.00", "5940.00", "104940.00")
    assert v["total_in_words"] == "壹拾万零肆仟玖佰肆拾圆整"
    assert v["tax_rate"] == "6%"
    assert v["line_items"] == [
        {"name": "*信息技术服务*云服务器租用", "amount": "100000.00", "tax_rate": "6%", "tax_amount": "6000.00"},
        {"name": "*信息技术服务*云服务器租用", "amount": "-1000.00", "tax_rate": "6%", "tax_amount": "-60.00"},
    ]
    assert doc.checks.model_dump()["amount_words"]["status"] == "match"
    assert doc.checks.model_dump()["arithmetic"]["status"] == "match"
    for f in doc.fields.values():
        assert f.page == 1 and f.bbox is not None and f.extractor == "invoice" and 0.9 <= f.confidence <= 1


def test_old_invoice_exempt_tax_and_split_check_code() -> None:
    doc = extract_fields(make_doc([old_invoice_lines()]))
    v = _values(doc)
    assert v["invoice_code"] == "014002100111"
    assert v["invoice_number"] == "00123456"
    assert v["check_code"] == "12345678901234567890"
    assert v["issue_date"] == "2023-11-03"
    assert v["buyer_name"] == "山西示例科技有限公司"
    assert v["seller_name"] == "阳泉云数据服务有限公司"
    assert v["tax_amount"] == "0.00"
    tax_box = doc.fields["tax_amount"].bbox
    assert tax_box is not None and tax_box.x0 >= 1300 and tax_box.y0 >= 590  # the 合计 row's ***, not the row
    assert v["tax_rate"] == "免税"
    assert v["total_in_words"] == "肆拾捌圆玖角整"
    assert v["total_incl_tax"] == "48.90"


def test_words_mismatch_is_recorded_and_ocr_confidence_drops() -> None:
    lines = [ln for ln in digital_invoice_lines(conf=0.98, source="ocr") if "壹拾万" not in ln.text]
    lines.append(line("壹拾万零肆仟玖佰肆拾伍圆整", 330, 650, conf=0.98, source="ocr"))
    doc = extract_fields(make_doc([lines], source="ocr"))
    assert doc.checks.model_dump()["amount_words"]["status"] == "mismatch"
    assert doc.fields["total_in_words"].confidence < 0.9
    # amount + tax = total still confirms the figure, so the misread is pinned on the words
    assert doc.fields["total_incl_tax"].confidence >= 0.95


def test_qr_payload_wins_and_records_mismatch() -> None:
    lines = [ln for ln in digital_invoice_lines(conf=0.95, source="ocr") if ln.text != "24142000000012345678"]
    lines.append(line("24142000000012845678", 1290, 60, conf=0.95, source="ocr"))  # 3 misread as 8
    qr = "01,32,,24142000000012345678,104940.00,20230512,,A1B2"
    doc = extract_fields(make_doc([lines], source="ocr", qr=[qr]))
    f = doc.fields["invoice_number"]
    assert f.value == "24142000000012345678" and f.source == "qr" and f.confidence >= 0.95
    assert doc.checks.model_dump()["qr"]["mismatches"]["invoice_number"]["printed"] == "24142000000012845678"
    assert doc.checks.model_dump()["qr"]["amount_matched"] == "total_incl_tax"
    assert doc.fields["issue_date"].confidence >= 0.95


def test_qr_amount_matching_excl_tax_on_old_invoice() -> None:
    qr = "01,10,014002100111,00123456,48.90,20231103,12345678901234567890,ABCD,"
    doc = extract_fields(make_doc([old_invoice_lines()], qr=[qr]))
    assert doc.checks.model_dump()["qr"]["status"] == "match"
    assert doc.checks.model_dump()["qr"]["amount_matched"] == "amount_excl_tax"


def test_structured_data_wins_over_text() -> None:
    structured = {
        "InvoiceNumber": "24142000000012345678",
        "IssueDate": "2023-05-12",
        "BuyerName": "山西示例科技有限公司",
        "TaxExclusiveTotalAmount": "99000",
        "TaxTotalAmount": "5940.00",
        "TaxInclusiveTotalAmount": "104940.00",
    }
    doc = extract_fields(make_doc([digital_invoice_lines()], source="ofd", structured=structured))
    assert doc.fields["amount_excl_tax"].value == "99000.00"
    assert doc.fields["invoice_number"].confidence >= 0.99
    assert doc.checks.model_dump()["structured"]["disagreements"] == {}


def test_invalid_credit_code_is_recorded() -> None:
    lines = [ln for ln in digital_invoice_lines() if ln.text != "91330106673959654P"]
    lines.append(line("91330106673959654Q", 1270, 230))
    doc = extract_fields(make_doc([lines]))
    assert doc.fields["seller_tax_id"].value == "91330106673959654Q"
    assert doc.checks.model_dump()["credit_codes"]["seller_tax_id"]["status"] == "invalid"


def test_multi_page_items_and_totals_on_last_page() -> None:
    first = [ln for ln in digital_invoice_lines() if ln.bbox.y0 < 500]
    second = [
        line("项目名称", 60, 100),
        line("金额", 940, 100),
        line("税率/征收率", 1080, 100),
        line("税额", 1300, 100),
        line("*信息技术服务*对象存储", 60, 140),
        line("0.00", 920, 140),
        line("6%", 1110, 140),
        line("0.00", 1290, 140),
        *[ln for ln in digital_invoice_lines() if ln.bbox.y0 >= 500],
    ]
    doc = extract_fields(make_doc([first, second]))
    items = doc.fields["line_items"].value
    assert [i["name"] for i in items][-1] == "*信息技术服务*对象存储"
    assert len(items) == 3
    assert doc.fields["total_incl_tax"].page == 2


def test_agent_issued_invoice_takes_the_real_seller_from_remarks() -> None:
    lines = [ln for ln in old_invoice_lines() if "阳泉云数据" not in ln.text and "543218" not in ln.text]
    lines += [
        line("名    称：国家税务总局阳泉市城区税务局", 90, 710),
        line("纳税人识别号：11140300MB1234567X", 90, 750),
        line("代开企业税号：91140300MA0K543218", 1000, 760),
        line("代开企业名称：阳泉云数据服务有限公司", 1000, 790),
    ]
    doc = extract_fields(make_doc([lines]))
    assert doc.fields["seller_name"].value == "阳泉云数据服务有限公司"
    assert doc.fields["seller_tax_id"].value == "91140300MA0K543218"
    assert doc.checks.model_dump()["agent_issued"]["tax_office"]["seller_name"] == "国家税务总局阳泉市城区税务局"


def test_continuation_page_without_captions() -> None:
    first = [ln for ln in digital_invoice_lines() if ln.bbox.y0 < 500]
    second = [
        line("*信息技术服务*对象存储", 60, 140), line("0.00", 920, 140), line("6%", 1110, 140),
        line("0.00", 1290, 140),
        *[ln for ln in digital_invoice_lines() if ln.bbox.y0 >= 500],
    ]  # fmt: skip
    doc = extract_fields(make_doc([first, second]))
    assert [i["name"] for i in doc.fields["line_items"].value][-1] == "*信息技术服务*对象存储"
    assert doc.checks.model_dump()["line_items"]["status"] == "match"


def test_tall_vertical_captions_do_not_merge_rows() -> None:
    """A photo's 购买方/销售方 captions read as one tall box spanning the 名称 and 纳税人识别号 rows."""
    lines = [ln for ln in digital_invoice_lines(conf=0.97, source="ocr") if ln.text not in "购买方销售"]
    lines += [
        line("购买方", 40, 170, 66, 260, conf=0.97, source="ocr"),
        line("销售方", 830, 172, 856, 262, conf=0.97, source="ocr"),
    ]
    doc = extract_fields(make_doc([lines], source="ocr"))
    assert doc.fields["buyer_name"].value == "山西示例科技有限公司"
    assert doc.fields["buyer_tax_id"].value == "91140300MA0K123459"
    assert doc.fields["seller_tax_id"].value == "91330106673959654P"


def test_unreadable_captions_fall_back_to_valid_codes_below_threshold() -> None:
    lines = []
    for ln in digital_invoice_lines(conf=0.97, source="ocr"):
        text = ln.text.replace("统一社会信用代码/纳税人识别号", "统一社佘信用代玛/纳祝人识別号").replace(
            "发票号码", "发栗号妈"
        )
        lines.append(ln.model_copy(update={"text": text}))
    doc = extract_fields(make_doc([lines], source="ocr"))
    assert doc.fields["buyer_tax_id"].value == "91140300MA0K123459"
    assert doc.fields["seller_tax_id"].value == "91330106673959654P"
    assert doc.fields["invoice_number"].value == "24142000000012345678"
    assert doc.fields["invoice_number"].confidence < 0.9
    assert doc.fields["seller_tax_id"].confidence < 0.9


def test_total_row_with_lost_character_and_offset_remarks_column() -> None:
    """OCR lost 合 under a seal; a 备注 line sits half a row off between the seller's rows."""
    lines = [ln for ln in old_invoice_lines(conf=0.97, source="ocr") if not ln.text.startswith("合")]
    lines.append(line("计", 120, 600, conf=0.97, source="ocr"))
    lines.append(line("合同编号：HT-2023-01", 900, 730, conf=0.97, source="ocr"))
    doc = extract_fields(make_doc([lines], source="ocr"))
    assert doc.fields["amount_excl_tax"].value == "48.90"
    assert [i["name"] for i in doc.fields["line_items"].value] == ["*信息技术服务*软件开发服务"]
    assert doc.fields["seller_name"].value == "阳泉云数据服务有限公司"
    assert doc.fields["seller_tax_id"].value == "91140300MA0K543218"


def test_tilted_photo_splits_total_row_from_its_figures() -> None:
    lines = [ln for ln in digital_invoice_lines(conf=0.97, source="ocr") if ln.bbox.y0 != 600]
    lines += [
        line("合", 60, 625, conf=0.97, source="ocr"), line("计", 120, 625, conf=0.97, source="ocr"),
        line("¥99000.00", 910, 598, conf=0.97, source="ocr"), line("¥5940.00", 1280, 596, conf=0.97, source="ocr"),
    ]  # fmt: skip
    doc = extract_fields(make_doc([lines], source="ocr"))
    assert doc.fields["amount_excl_tax"].value == "99000.00"
    assert doc.fields["tax_amount"].value == "5940.00"
    assert len(doc.fields["line_items"].value) == 2
    box = doc.fields["amount_excl_tax"].bbox
    assert box is not None and box.x0 > 910  # the box starts after the ¥, at the figure


def test_paper_number_after_the_no_mark_in_its_own_box() -> None:
    """OCR reads a paper invoice's No. mark and the number beside it as two boxes, without the caption."""
    lines = [ln for ln in old_invoice_lines(conf=0.97, source="ocr") if not ln.text.startswith(("发票号码", "0012"))]
    lines += [line("No.", 1150, 80, conf=0.97, source="ocr"), line("00123456", 1280, 80, conf=0.97, source="ocr")]
    doc = extract_fields(make_doc([lines], source="ocr"))
    number = doc.fields["invoice_number"]
    assert number.value == "00123456" and number.confidence <= 0.8  # read once: not enough to accuse
    assert number.bbox is not None and number.bbox.x0 == 1280


def test_ocr_slips_in_the_amount_in_words_are_read_as_the_numerals_they_look_like() -> None:
    """肄抬捌图玖角整 is how a worn 肆拾捌圆玖角整 comes out of OCR: the recogniser's own look-alikes
    (numeral_slips.csv) are read back as numerals on an OCR page, never on a text layer."""
    slipped = {"text": "肄抬捌图玖角整", "raw_text": "肄抬捌图玖角整"}
    worn = [
        ln.model_copy(update=slipped) if ln.text == "肆拾捌圆玖角整" else ln
        for ln in old_invoice_lines(conf=0.95, source="ocr")
    ]
    scanned = extract_fields(make_doc([worn], source="ocr"))
    assert scanned.field_value("total_in_words") == "肆拾捌圆玖角整"
    typed = extract_fields(make_doc([[ln.model_copy(update={"source": "text_layer"}) for ln in worn]]))
    assert typed.field_value("total_in_words") is None


def test_the_numeral_slips_table_is_derived_from_the_recogniser_table() -> None:
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "numeral_slips.py"
    spec = importlib.util.spec_from_file_location("numeral_slips", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.OUTPUT.read_text(encoding="utf-8") == module.build()


def test_a_form_blank_underline_before_a_name_is_not_part_of_it() -> None:
    from extractors.fields.invoice_parties import org_name

    assert org_name("_ 阳泉市郊区土鼎新材料有限公司") == "阳泉市郊区土鼎新材料有限公司"
    assert org_name("：＿山西示例科技有限公司") == "山西示例科技有限公司"
