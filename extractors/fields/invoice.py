"""VAT invoices of both generations: printed fields by label and position, then the exact sources.

Order of trust: structured OFD/XML data and the QR payload give fields exactly; the printed page
(text layer, then OCR) fills the rest. Every disagreement is recorded in ``Document.checks`` so the
policy checks can raise findings without re-reading the page.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from extractors.fields import credit_code
from extractors.fields import invoice_table as table
from extractors.fields.amount_words import extract_words_span, repair_slips
from extractors.fields.canonical import find_money, has_cjk, money_str, parse_date, strip_label_punct
from extractors.fields.common import make_field
from extractors.fields.invoice_checks import apply_cross_checks
from extractors.fields.invoice_parties import find_parties, org_name, tax_id
from extractors.fields.invoice_structured import apply_qr, apply_structured
from extractors.fields.label_values import label_value, search_rows
from extractors.fields.layout import Hit, Row, enclose, group_rows, placed_lines, span_bbox
from models import Document, ExtractedField

NAME = "invoice"
SHAPE = "invoice:shape"  # found by its shape only: cross-checks must not lift it above review


def _digits(pattern: str) -> Any:
    regex = re.compile(rf"^(?:No\.?|NO\.?|№)?[:#]?({pattern})(?!\d)")

    def validate(text: str) -> str | None:
        m = regex.match(strip_label_punct(text).replace(" ", ""))
        return m.group(1) if m else None

    return validate


def _date(text: str) -> str | None:
    head = strip_label_punct(text)[:16]
    return parse_date(head)


def _money_first(text: str) -> str | None:
    found = find_money(strip_label_punct(text).lstrip("¥ "))
    return money_str(found[0][0]) if found else None


def _words(text: str) -> str | None:
    span = extract_words_span(text)
    return span if span and any(c in span for c in "圆元园") else None


# Printed invoices use the standard financial numerals; on a page read by OCR these are its slips
# (参 for 叁, 园 for 圆), never what the issuing software wrote. Text layers keep what is printed.
_OCR_NUMERALS = str.maketrans({"参": "叁", "參": "叁", "园": "圆", "貳": "贰", "陸": "陆"})


def _repaired_words(rows: list[Row]) -> Hit | None:
    """The 大写 after its caption once the recogniser's look-alikes of numerals are read as the
    numerals (染佰查拾捌图整 → 柒佰壹拾捌圆整): an OCR page only, and below the accusing threshold's
    margin, since each repaired character is a guess the reviewer may be asked to confirm."""
    hit = _first(label_value(rows, ("(大写)", "大写", "价税合计"), lambda text: _words(repair_slips(text))))
    return dataclasses.replace(hit, confidence=min(hit.confidence, _REPAIRED_CONFIDENCE)) if hit else None


_REPAIRED_CONFIDENCE = 0.8


def _as_printed(doc: Document, name: str, hit: Hit) -> Hit:
    if name != "total_in_words" or doc.text_source != "ocr":
        return hit
    return dataclasses.replace(hit, value=hit.value.translate(_OCR_NUMERALS))


def _first(pairs: list[tuple[Any, Hit]]) -> Hit | None:
    return pairs[0][1] if pairs else None


def _printed_fields(doc: Document, rows: list[Row]) -> dict[str, ExtractedField]:
    fields: dict[str, ExtractedField] = {}

    def put(name: str, hit: Hit | None) -> None:
        if hit is not None and name not in fields:
            hit = _as_printed(doc, name, hit)
            fields[name] = make_field(doc, hit.value, hit, NAME, name=name)

    put("invoice_number", _first(label_value(rows, ("发票号码", "票号码", "发票号"), _digits(r"\d{20}|\d{8}"))))
    put("invoice_code", _first(label_value(rows, ("发票代码",), _digits(r"\d{12}|\d{10}"))))
    put("issue_date", _first(label_value(rows, ("开票日期", "开具日期", "填开日期"), _date)))
    put("check_code", _first(label_value(rows, ("校验码",), _digits(r"\d{20}"))))
    if "issue_date" not in fields:
        dates = search_rows(rows, _date)
        put("issue_date", dates[0] if dates else None)

    buyer, seller = find_parties(rows)
    for prefix, party in (("buyer", buyer), ("seller", seller)):
        if party.name is not None:
            put(f"{prefix}_name", party.name[1])
        if party.tax_id is not None:
            put(f"{prefix}_tax_id", party.tax_id[1])
    _unlabelled_fallbacks(doc, rows, fields)

    _agent_issued(doc, rows, fields)
    _amounts(doc, rows, fields, put)
    return fields


_CODE_18 = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


def _valid_code(text: str) -> str | None:
    m = _CODE_18.search(text.upper())
    return m.group(0) if m and credit_code.is_valid(m.group(0)) else None


def _unlabelled_fallbacks(doc: Document, rows: list[Row], fields: dict[str, ExtractedField]) -> None:
    """When a caption was unreadable: valid 统一社会信用代码 in buyer-then-seller order, and a lone
    20-digit number outside the 校验码 row as the 数电票 number. Found by shape only, so below 0.9."""
    if "buyer_tax_id" not in fields or "seller_tax_id" not in fields:
        taken = {fields[k].value for k in ("buyer_tax_id", "seller_tax_id") if k in fields}
        codes = [h for h in search_rows(rows, _valid_code) if h.value not in taken]
        codes.sort(key=lambda h: (h.page, h.bbox.y0 // max(h.bbox.height * 2, 1), h.bbox.x0))
        for name in ("buyer_tax_id", "seller_tax_id"):
            if name not in fields and codes:
                if name == "buyer_tax_id" and "seller_tax_id" in fields and len(codes) == 1:
                    seller = fields["seller_tax_id"].bbox
                    if seller is not None and codes[0].bbox.y0 > seller.y0:
                        continue
                hit = codes.pop(0)
                fields[name] = make_field(doc, hit.value, hit, SHAPE, confidence=min(0.8, hit.confidence))
    _paper_number_and_code(doc, rows, fields)
    if "invoice_number" not in fields and "invoice_code" not in fields:
        numbers = [h for r in rows if "校验码" not in r.text for h in search_rows([r], _digits(r"\d{20}"))]
        if len(numbers) == 1:
            fields["invoice_number"] = make_field(doc, numbers[0].value, numbers[0], SHAPE, confidence=0.7)


_NO_MARK = re.compile(r"(?<![A-Za-z0-9])(?:No|NO|N0|№)\.?[:：]?(\d{8})(?!\d)")
_CODE_RUN = re.compile(r"^(\d{10}|\d{12})$")


def _paper_number_and_code(doc: Document, rows: list[Row], fields: dict[str, ExtractedField]) -> None:
    """A paper VAT invoice prints its number after the №/No mark and its code as a bare 10/12-digit
    run beside the title, both above the buyer block, often with no caption that OCR can read.

    A value printed twice (pre-printed and machine-printed) that reads the same both times is two
    agreeing readings; a single reading stays below the confidence that lets a rule accuse.
    """
    top = min((r.bbox.y0 for r in rows if "名称" in r.text or "称:" in r.text), default=None)
    top_rows = [r for r in rows if top is not None and r.page == rows[0].page and r.bbox.y1 <= top]
    above = [p for r in top_rows for p in r.items]
    if "invoice_number" not in fields:
        # the mark and the number may be one OCR line (No.12345678) or two boxes of the row (No. | 12345678)
        marked = [(m, r) for r in top_rows if (m := _NO_MARK.search(r.text))]
        if marked:
            m, row = marked[0]
            value = m.group(1)
            line_conf = min(q.line.confidence for s, e, q in row.offsets() if s < m.end() and m.start() < e)
            twice = sum(q.text.endswith(value) for q in above) >= 2
            conf = line_conf if twice else min(line_conf, 0.8)
            box = span_bbox(row, m.start(1), m.end(1))
            fields["invoice_number"] = make_field(doc, value, Hit(value, row.page, box, conf, "text"), SHAPE)
    if (
        "invoice_code" not in fields
        and len(str(fields.get("invoice_number", ExtractedField(value="", confidence=0)).value)) == 8
    ):
        runs = [p for p in above if _CODE_RUN.match(p.text)]
        if runs:
            first = runs[0]
            twice = sum(q.text == first.text for q in runs) >= 2
            conf = first.line.confidence if twice else min(first.line.confidence, 0.8)
            fields["invoice_code"] = make_field(
                doc, first.text, Hit(first.text, first.page, first.bbox, conf, "text"), SHAPE
            )


def _agent_issued(doc: Document, rows: list[Row], fields: dict[str, ExtractedField]) -> None:
    """代开 invoices: the seller block names the tax office; the real seller is in 备注."""
    name = _first(label_value(rows, ("代开企业名称", "代开单位名称", "代开纳税人名称"), org_name, below=False))
    tax = _first(label_value(rows, ("代开企业税号", "代开企业纳税人识别号", "代开纳税人识别号"), tax_id, below=False))
    if name is None and tax is None:
        return
    office = {k: fields[k].value for k in ("seller_name", "seller_tax_id") if k in fields}
    if name is not None:
        fields["seller_name"] = make_field(doc, name.value, name, NAME, name="seller_name")
    if tax is not None:
        fields["seller_tax_id"] = make_field(doc, tax.value, tax, NAME)
    fields["_agent_office"] = ExtractedField(value=office, confidence=1.0, extractor=NAME)


def _amounts(doc: Document, rows: list[Row], fields: dict[str, ExtractedField], put: Any) -> None:
    cols_all = table.find_columns(rows)
    total_rows = [r for r in rows if _is_heji(r)]
    for row in total_rows[-1:]:
        cols = next((c for c in reversed(cols_all) if c.header.page <= row.page), None)
        amount_tok, tax_tok, stars = table.total_row_values(_with_figures(rows, row), cols)
        if amount_tok is not None:
            put(
                "amount_excl_tax",
                Hit(table.money_of(amount_tok) or "", row.page, amount_tok.bbox, amount_tok.confidence, "right"),
            )
        if tax_tok is not None:
            put("tax_amount", Hit(table.money_of(tax_tok) or "", row.page, tax_tok.bbox, tax_tok.confidence, "right"))
        elif stars is not None:
            put("tax_amount", Hit("0.00", row.page, stars.bbox, stars.confidence, "right"))

    put("total_incl_tax", _first(label_value(rows, ("(小写)", "小写"), _money_first)))
    put("total_in_words", _first(label_value(rows, ("(大写)", "大写", "价税合计"), _words)))
    if "total_in_words" not in fields:
        found = search_rows(rows, _words)
        put("total_in_words", found[0] if found else None)
    if "total_in_words" not in fields and doc.text_source == "ocr":
        put("total_in_words", _repaired_words(rows))

    items: list[table.Item] = []
    for i, cols in enumerate(cols_all):
        nxt = cols_all[i + 1] if i + 1 < len(cols_all) else None
        end = next(
            (r.bbox.y0 for r in total_rows if r.page == cols.header.page and r.bbox.y0 > cols.header.bbox.y1), None
        )
        if nxt is not None and nxt.header.page == cols.header.page:
            end = min(end or nxt.header.bbox.y0, nxt.header.bbox.y0)
        items.extend(table.parse_items(rows, cols, end))
    items.extend(_continuation_items(rows, cols_all, total_rows))
    if items:
        boxes = [b for it in items for b in it.boxes]
        box = enclose(boxes) if boxes else cols_all[0].header.bbox
        conf = min(it.confidence for it in items)
        value = [_item_value(it) for it in items if it.amount is not None]
        if value:
            fields["line_items"] = make_field(doc, value, Hit("", items[0].page, box, conf, "right"), NAME)
        _line_rate(doc, items, fields)


def _item_value(item: table.Item) -> dict[str, str]:
    """A line item as docs/REFERENCE.md §3 gives it: name and amount, with its own rate and tax where printed."""
    out = {"name": item.name, "amount": item.amount or ""}
    if item.rate:
        out["tax_rate"] = item.rate
    if item.tax:
        out["tax_amount"] = item.tax
    return out


def _line_rate(doc: Document, items: list[table.Item], fields: dict[str, ExtractedField]) -> None:
    """The invoice's rate where only the lines print one: the rate every line shares, or each rate printed."""
    rated = [it for it in items if it.rate]
    rates = sorted({it.rate for it in rated if it.rate})
    if not rates:
        return
    rate = ",".join(rates)
    # one rate shared by every line: its first cell shows it (a box over all of them holds it n times)
    shown = rated[:1] if len(rates) == 1 else rated
    on_page = [b for it in shown if it.page == rated[0].page for b in it.rate_boxes]
    box = enclose(on_page) if on_page else enclose(b for it in shown for b in it.boxes)
    conf = min(it.confidence for it in rated)
    fields["tax_rate"] = make_field(doc, rate, Hit(rate, rated[0].page, box, conf, "right"), NAME)


def _continuation_items(rows: list[Row], cols_all: list[table.Columns], total_rows: list[Row]) -> list[table.Item]:
    """Items on pages without a caption row (a long 数电票 continues its table on the next page)."""
    out: list[table.Item] = []
    if not cols_all:
        return out
    with_header = {c.header.page for c in cols_all}
    for page in sorted({r.page for r in rows} - with_header):
        if page < min(with_header):
            continue
        cols = next(c for c in reversed(cols_all) if c.header.page < page)
        page_rows = [r for r in rows if r.page == page]
        first_item = next((r for r in page_rows if r.text.startswith("*")), None)
        if first_item is None:
            continue
        end = next((r.bbox.y0 for r in total_rows if r.page == page), None)
        out.extend(table.parse_items(rows, cols, end, page=page, start_y=first_item.bbox.center[1] - 1))
    return out


def _with_figures(rows: list[Row], total: Row) -> Row:
    """The 合计 row with its figures: on a tilted photo they may fall into the row just above or below."""
    if any(table.money_of(t) for t in table.row_tokens(total)):
        return total
    h = max(p.bbox.height for p in total.items)
    near = [
        r
        for r in rows
        if r.page == total.page
        and r is not total
        and abs(r.bbox.center[1] - total.bbox.center[1]) < 1.5 * h
        and not any(has_cjk(p.text) for p in r.items)
        and any(table.money_of(t) for t in table.row_tokens(r))
    ]
    if not near:
        return total
    best = min(near, key=lambda r: abs(r.bbox.center[1] - total.bbox.center[1]))
    return Row(total.page, sorted([*total.items, *best.items], key=lambda p: p.bbox.x0))


def _is_heji(row: Row) -> bool:
    if table.lone_total_caption(row):
        return True
    t = row.text
    idx = t.find("合计")
    while idx >= 0:
        if not t[:idx].endswith("价税"):
            return True
        idx = t.find("合计", idx + 1)
    return False


def _first_invoice(rows: list[Row]) -> tuple[list[Row], int]:
    """The rows of the first invoice and how many invoices the file holds.

    A long invoice continues over pages under one 发票号码; pages that print their own, different
    number are other invoices, and their 合计 must not stand for the first one's.
    """
    numbers: dict[int, str] = {}
    for _, hit in label_value(rows, ("发票号码",), _digits(r"\d{20}|\d{8}")):
        numbers.setdefault(hit.page, hit.value)
    distinct = list(dict.fromkeys(numbers.values()))
    if len(distinct) < 2:
        return rows, 1
    pages = sorted(numbers)
    nxt = next(p for p in pages if numbers[p] != numbers[pages[0]])
    return [r for r in rows if r.page < nxt], len(distinct)


def extract_invoice(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
    """Invoice fields and the outcome of every cross-check (for ``Document.checks``)."""
    rows = group_rows(placed_lines(doc))
    checks: dict[str, Any] = {}
    first, count = _first_invoice(rows)
    if count > 1:
        # one file, several invoices (a merged download): the document is its first invoice
        rows = first
        checks["invoices_in_file"] = {"count": count, "read": 1}
    fields = _printed_fields(doc, rows)
    office = fields.pop("_agent_office", None)
    if office is not None:
        checks["agent_issued"] = {"tax_office": office.value}
    apply_structured(doc, fields, checks)
    apply_qr(doc, fields, checks)
    apply_cross_checks(fields, checks)
    return fields, checks
