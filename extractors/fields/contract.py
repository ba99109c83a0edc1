"""Service contracts over several pages: number, parties, date, amount (figures vs 大写), period, subject.

Captions (合同编号, 服务期限) carry some values; the parties (contract_parties), the sign date
(contract_dates) and the total (contract_amount) are found where real contracts print them: captions
with role words, running text, closing sentences, signature blocks, form blanks in 大写 or 万元.
Where a party is only named in running text without 以下简称, the spaCy rules find the organisation
next to 甲方/乙方.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.fields.amount_words import extract_words_span, parse_amount_words
from extractors.fields.canonical import clean, money_str
from extractors.fields.common import confirm, confirm_period, contradict, doubt, make_field
from extractors.fields.contract_amount import LABELS as _AMOUNT_LABELS
from extractors.fields.contract_amount import total_amount
from extractors.fields.contract_dates import DOUBTFUL, service_period, sign_date
from extractors.fields.contract_parties import from_colon, parties
from extractors.fields.contract_text import Joined
from extractors.fields.label_values import label_value
from extractors.fields.layout import Hit, Row, group_rows, placed_lines
from extractors.fields.values import identifier, money_value, two_dates
from models import Document, ExtractedField

NAME = "contract"
_BARE_NUMBER = "编号"
_NUMBER_LABELS = ("合同编号", "合同号", "协议编号", "合同编码", "ContractNo", "ContractNumber", _BARE_NUMBER)
# a bare 编号 after these numbers something else than the contract (a tender, a project, a lot)
_OTHER_NUMBERS = ("项目", "招标", "采购", "标段", "包", "证书", "文件", "订单")


def _other_number(label: str, before: str) -> bool:
    """A bare 编号 that numbers something else (项目编号, 招标编号): not the contract's number."""
    return label == _BARE_NUMBER and before.endswith(_OTHER_NUMBERS)
_PERIOD_LABELS = ("服务期限", "服务期", "服务时间", "合同期限", "服务周期", "租用期限", "合同有效期", "有效期")
_SUBJECT_LABELS = ("合同名称", "项目名称", "服务名称", "合同标的")


def _first(pairs: list[tuple[Any, Hit]]) -> Hit | None:
    return pairs[0][1] if pairs else None


def _number(rows: list[Row]) -> Hit | None:
    """The number right after the first 合同编号-like caption in reading order, boxed on its characters."""
    joined = Joined.of(rows)
    best: tuple[int, Hit] | None = None
    taken: list[tuple[int, int]] = []
    for label in sorted(_NUMBER_LABELS, key=len, reverse=True):
        for m in re.finditer(re.escape(label), joined.text):
            if any(s <= m.start() < e for s, e in taken) or _other_number(label, joined.text[: m.start()]):
                continue
            taken.append((m.start(), m.end()))
            after = joined.text[m.end() : m.end() + 48]
            value = identifier(after)
            at = after.find(value) if value else -1
            if value is None or at < 0 or after[:at].strip(":：.、 "):
                continue
            hit = joined.hit(m.end() + at, m.end() + at + len(value), value)
            if hit is not None and (best is None or m.start() < best[0]):
                best = (m.start(), hit)
    return best[1] if best else None


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
            fields[name] = make_field(doc, hit.value, hit, NAME, name="" if hit.how == "wrapped" else name)

    put("contract_number", _number(rows))
    put("contract_number", _first(label_value(rows, _NUMBER_LABELS[:-1], identifier)))
    put("contract_number", _first(label_value(rows, (_BARE_NUMBER,), identifier, not_after=_OTHER_NUMBERS)))
    for name, hit in parties(rows).items():
        put(name, hit)
    if "party_a" not in fields or "party_b" not in fields:
        _parties_from_text(rows, put)
    put("sign_date", signed := sign_date(rows))
    if signed is not None and signed.how == DOUBTFUL:
        fields["sign_date"] = contradict(fields["sign_date"])
    put("total_amount", total_amount(rows))
    put("total_amount", _first(label_value(rows, _AMOUNT_LABELS, money_value)))
    period = service_period(rows, _PERIOD_LABELS)
    if period is not None:
        put("service_start", period[0])
        put("service_end", period[1])
    periods = [h for _, h in label_value(rows, _PERIOD_LABELS, _period)]
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
            best = from_colon(text, best)
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
