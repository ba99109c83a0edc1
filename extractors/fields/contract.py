"""Service contracts over several pages: number, parties, date, amount (figures vs 大写), period, subject.

Captions (合同编号, 甲方, 乙方, 服务期限, 合同总金额) carry most values; where a party is only named
in running text, the spaCy rules find the organisation next to 甲方/乙方.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.fields.amount_words import extract_words_span, parse_amount_words
from extractors.fields.common import confirm, confirm_period, doubt, make_field
from extractors.fields.invoice_parties import org_name
from extractors.fields.layout import Hit, Row, flow_value, group_rows, label_value, placed_lines
from extractors.fields.normalize import clean, money_str, to_decimal
from extractors.fields.values import date_value, identifier, money_value, two_dates
from models import Document, ExtractedField

NAME = "contract"
_NUMBER_LABELS = ("合同编号", "合同号", "协议编号", "合同编码", "ContractNo", "ContractNumber", "编号")
_PARTY_A = ("甲方", "委托方", "采购方", "买方", "需方", "用户方", "PartyA")
_PARTY_B = ("乙方", "受托方", "服务方", "供应方", "卖方", "供方", "承接方", "PartyB")
_SIGN_LABELS = ("签订日期", "签约日期", "签署日期", "签订时间", "合同签订日期", "签订于")
_AMOUNT_LABELS = (
    "合同总金额",
    "合同总价",
    "合同金额",
    "合同价款",
    "总金额",
    "总价款",
    "含税总价",
    "总价",
    "服务费用总额",
    "费用总额",
    "合计金额",
)
_PERIOD_LABELS = ("服务期限", "服务期", "服务时间", "合同期限", "服务周期", "租用期限", "合同有效期", "有效期")
_SUBJECT_LABELS = ("合同名称", "项目名称", "服务名称", "合同标的")


def _first(pairs: list[tuple[Any, Hit]]) -> Hit | None:
    return pairs[0][1] if pairs else None


def _party(text: str) -> str | None:
    """An organisation after 甲方/乙方 captions that may carry a role in brackets: 甲方（采购方）：××."""
    stripped = re.sub(r"^[(（][^)）]{0,8}[)）]", "", clean(text).lstrip(":："))
    if re.match(r"^[(（]?(?:盖章|签章|签字|签名|公章)", stripped):
        return None
    name = org_name(stripped)
    if name is None or len(name) < 4 or (not any(name.endswith(s) for s in _ORG_ENDINGS) and len(name) > 40):
        return None
    return name


_ORG_ENDINGS = ("公司", "院", "所", "大学", "学院", "中心", "局", "委员会", "协会", "厂", "部", "社", "行")


def _first_flow(found: list[tuple[int, Hit]]) -> Hit | None:
    return found[0][1] if found else None


_FIGURE = re.compile(r"[¥￥]\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|-?\d+(?:\.\d{1,2})?)(?![\d,])")


def _figure(text: str) -> str | None:
    """The amount in figures near a total caption: ``¥1,227,480.00``, else ``1227480.00元``."""
    m = _FIGURE.search(text)
    if m:
        value = to_decimal(m.group(1))
        return money_str(value) if value is not None else None
    m = re.search(r"(\d[\d,]*(?:\.\d{1,2})?)\s*(万?)元", text)
    if m and not re.search(r"[壹贰叁肆伍陆柒捌玖]", text[: m.start()]):
        value = to_decimal(m.group(1))
        if value is not None:
            return money_str(value * (10000 if m.group(2) else 1))
    return None


def _period(text: str) -> str | None:
    pair = two_dates(text[:60])
    return "|".join(pair) if pair else None


def _title(rows: list[Row]) -> Hit | None:
    """The contract's title: the tallest line on page 1 that names a 合同/协议."""
    first = [r for r in rows if r.page == rows[0].page]
    cands = [p for r in first for p in r.items if ("合同" in p.text or "协议" in p.text) and len(p.text) <= 40]
    cands = [p for p in cands if not re.search(r"编号|甲方|乙方|:|：", p.text)]
    if not cands:
        return None
    best = max(cands, key=lambda p: p.bbox.height)
    return Hit(best.text, best.page, best.bbox, best.line.confidence, "text")


def extract_contract(doc: Document) -> tuple[dict[str, ExtractedField], dict[str, Any]]:
    rows = group_rows(placed_lines(doc))
    if not rows:
        return {}, {}
    fields: dict[str, ExtractedField] = {}
    checks: dict[str, Any] = {}

    def put(name: str, hit: Hit | None) -> None:
        if hit is not None and name not in fields:
            fields[name] = make_field(doc, hit.value, hit, NAME, name=name)

    put("contract_number", _first(label_value(rows, _NUMBER_LABELS, identifier)))
    put("party_a", _first(label_value(rows, _PARTY_A, _party, below=False)))
    put("party_b", _first(label_value(rows, _PARTY_B, _party, below=False)))
    if "party_a" not in fields or "party_b" not in fields:
        _parties_from_text(rows, put)
    put("sign_date", _first(label_value(rows, _SIGN_LABELS, date_value)))
    put("sign_date", _first_flow(flow_value(rows, _SIGN_LABELS, date_value, window=24)))
    put("total_amount", _first_flow(flow_value(rows, _AMOUNT_LABELS, _figure)))
    put("total_amount", _first(label_value(rows, _AMOUNT_LABELS, money_value)))
    periods = [h for _, h in label_value(rows, _PERIOD_LABELS, _period)]
    periods += [h for _, h in flow_value(rows, _PERIOD_LABELS, _period, window=60)]
    for hit in periods[:1]:
        start, end = hit.value.split("|")
        put("service_start", Hit(start, hit.page, hit.bbox, hit.confidence, hit.how))
        put("service_end", Hit(end, hit.page, hit.bbox, hit.confidence, hit.how))
    put("subject", _first(label_value(rows, _SUBJECT_LABELS, _subject, below=False)) or _title(rows))
    _check_amount_words(rows, fields, checks)
    confirm_period(fields, "service_start", "service_end")
    return fields, checks


def _subject(text: str) -> str | None:
    value = clean(text).lstrip(":：")
    value = re.split(r"[。；;]", value)[0]
    return value if 2 <= len(value) <= 60 else None


def _parties_from_text(rows: list[Row], put: Any) -> None:
    """Running text: the organisation closest before or after 甲方/乙方 in the same row."""
    from extractors.nlp import find_organisations

    for row in rows:
        text = row.text
        for role, field in (("甲方", "party_a"), ("乙方", "party_b")):
            idx = text.find(role)
            if idx < 0:
                continue
            orgs = find_organisations(text)
            if not orgs:
                continue
            best = min(orgs, key=lambda o: abs(text.find(o) + len(o) / 2 - idx))
            put(field, Hit(best, row.page, row.bbox, min(p.line.confidence for p in row.items), "text"))


def _check_amount_words(rows: list[Row], fields: dict[str, ExtractedField], checks: dict[str, Any]) -> None:
    """The 大写 amount printed with the total: agreement confirms the figure, disagreement is recorded."""
    total = fields.get("total_amount")
    words: str | None = None
    for row in rows:
        near = total is None or total.bbox is None or row.page != total.page
        if not near and total is not None and total.bbox is not None:
            near = abs(row.bbox.center[1] - total.bbox.center[1]) <= 4 * max(total.bbox.height, 1)
        if not near:
            continue
        span = extract_words_span(row.text)
        if span and any(c in span for c in "圆元"):
            words = span
            break
    if words is None:
        return
    stated = money_str(parse_amount_words(words))
    if total is None:
        return
    ok = stated == total.value
    checks["amount_words"] = {
        "status": "match" if ok else "mismatch",
        "words": words,
        "words_value": stated,
        "total": total.value,
    }
    fields["total_amount"] = confirm(total) if ok else doubt(total)
