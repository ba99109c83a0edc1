"""The box judge of `evidence eval`: a box holds its value and nothing else, read from the page's characters."""

from __future__ import annotations

from models import BBox, Document, ExtractedField, Page, TextLine
from sample_docs.box_purity import box_text, holds_exactly, judge


def _line(text: str, x0: float, y0: float, width: float = 20.0) -> TextLine:
    spans = [(x0 + i * width, x0 + (i + 1) * width) for i in range(len(text))]
    box = BBox(x0=x0, y0=y0, x1=x0 + width * len(text), y1=y0 + 20)
    return TextLine(text=text, raw_text=text, bbox=box, confidence=1.0, source="text_layer", char_x=spans)


def _doc(*fields: tuple[str, str, BBox]) -> Document:
    page = Page(number=1, width=1000, height=500, dpi=200, lines=[_line("发票号码：12345678", 0, 0)])
    page.lines.append(_line("合计 ¥1,234.50", 0, 100))
    found = {n: ExtractedField(value=v, confidence=1.0, page=1, bbox=b, source="text_layer") for n, v, b in fields}
    return Document(path="x.pdf", sha256="0", pages=[page], fields=found)


def test_a_box_on_the_digits_alone_holds_the_number() -> None:
    exact = BBox(x0=100, y0=0, x1=260, y1=20)  # characters 5..12
    with_colon = BBox(x0=80, y0=0, x1=260, y1=20)
    doc = _doc(("invoice_number", "12345678", exact), ("invoice_code", "12345678", with_colon))
    assert box_text(doc, doc.fields["invoice_number"]) == "12345678"
    assert box_text(doc, doc.fields["invoice_code"]) == "：12345678"
    verdicts = {n: ok for n, ok, _ in judge(doc, {"invoice_number": "12345678", "invoice_code": "12345678"})}
    assert verdicts == {"invoice_number": True, "invoice_code": False}


def test_printed_forms_of_money_and_dates_count_as_the_value() -> None:
    assert holds_exactly("total_incl_tax", "1234.50", "¥1,234.50")
    assert not holds_exactly("total_incl_tax", "1234.50", "合计¥1,234.50")
    assert holds_exactly("issue_date", "2023-05-25", "2023年05月25日")
    assert not holds_exactly("issue_date", "2023-05-25", "：2023年05月25日")
    assert holds_exactly("total_in_words", "壹佰圆整", "ⓧ壹佰圆整")
    assert holds_exactly("tax_amount", "0.00", "***")  # a 0 % line's tax as printed
    assert not holds_exactly("tax_amount", "0.00", "合计¥181.14***")
    assert not holds_exactly("tax_amount", "12.00", "***")


def test_wrong_values_and_pages_without_positions_are_not_judged() -> None:
    doc = _doc(("invoice_number", "99999999", BBox(x0=100, y0=0, x1=260, y1=20)))
    assert list(judge(doc, {"invoice_number": "12345678"})) == []
    doc.pages[0].lines[0] = doc.pages[0].lines[0].model_copy(update={"char_x": None})
    assert box_text(doc, doc.fields["invoice_number"]) is None
