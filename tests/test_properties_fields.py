"""Hostile-text properties of the field parsers: only the documented, typed errors escape.

The fields' own tests cover real invoice forms; these feed arbitrary Unicode, hostile numbers
(NaN, Infinity, 1e999999) and long inputs, and check every value that comes out keeps its
docs/REFERENCE.md §3 format.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.fields import credit_code
from extractors.fields.amount_words import WORD_CHARS, extract_words_span, parse_amount_words
from extractors.fields.canonical import find_dates, parse_date
from extractors.fields.detail_table import COLUMNS, find_header, parse_rows
from extractors.fields.qr_payload import parse_qr_payload
from extractors.fields.values import date_value, identifier, money_value, two_dates

MONEY = re.compile(r"-?\d+\.\d{2}")
HOSTILE_NUMBERS = st.sampled_from(
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e999999", "1E+999999999", "-0", "0E-1000", "１２３.４５",
     "1_000", "٣٤٥.٦٧", "12,345.67", "", " ", "¥", "1." + "9" * 60]
)
WORDS = st.text(alphabet=sorted(WORD_CHARS | {"人", "民", "币", "⊗", " ", "负", "角", "分", "零", "x"}), max_size=60)
ANY_TEXT = st.text(max_size=200)


def _is_iso(value: str) -> bool:
    return dt.date.fromisoformat(value).isoformat() == value


def _assert_money(value: object) -> None:
    assert value is None or (isinstance(value, str) and MONEY.fullmatch(value)), value


@given(st.one_of(WORDS, ANY_TEXT))
def test_amount_words_parse_or_value_error(text: str) -> None:
    try:
        value = parse_amount_words(text)
    except ValueError:
        return
    assert value.is_finite() and value == value.quantize(Decimal("0.01"))


@given(st.one_of(WORDS, ANY_TEXT))
def test_amount_words_span_always_parses(text: str) -> None:
    span = extract_words_span(text)
    if span is not None:
        assert span in text
        parse_amount_words(span)


@settings(max_examples=50)
@given(st.integers(min_value=1, max_value=3000))
def test_long_runs_of_units_stay_typed(repeat: int) -> None:
    for text in ("亿" * repeat + "圆整", "壹" + "拾" * repeat + "圆", "零" * repeat):
        with contextlib.suppress(ValueError):
            parse_amount_words(text)


@given(
    st.sampled_from(["01", "1", "", "01 "]),
    st.sampled_from(["04", "10", "32", "x", ""]),
    st.one_of(st.just(""), st.from_regex(r"\d{10}|\d{12}", fullmatch=True), ANY_TEXT),
    st.one_of(st.from_regex(r"\d{8}|\d{20}", fullmatch=True), ANY_TEXT),
    st.one_of(HOSTILE_NUMBERS, st.decimals(allow_nan=True, allow_infinity=True).map(str), ANY_TEXT),
    st.one_of(st.from_regex(r"\d{8}", fullmatch=True), ANY_TEXT),
    st.lists(ANY_TEXT, max_size=4),
)
def test_qr_payload_fields_keep_their_formats(  # noqa: PLR0917 - one argument per payload position
    head: str, kind: str, code: str, number: str, amount: str, day: str, rest: list[str]
) -> None:
    payload = parse_qr_payload(",".join([head, kind, code, number, amount, day, *rest]))
    if payload is None:
        return
    _assert_money(payload.amount)
    assert payload.issue_date is None or _is_iso(payload.issue_date)
    assert re.fullmatch(r"\d{8}|\d{20}", payload.invoice_number)


@given(ANY_TEXT)
def test_credit_code_checks_never_raise(code: str) -> None:
    assert isinstance(credit_code.is_valid(code), bool)
    assert isinstance(credit_code.is_valid(credit_code.repair(code)), bool)
    try:
        check = credit_code.check_character(code)
    except ValueError:
        return
    assert check in credit_code.CHARSET


@given(ANY_TEXT)
def test_date_parsers_return_iso_dates_or_none(text: str) -> None:
    for value in (parse_date(text), date_value(text)):
        assert value is None or _is_iso(value)
    assert all(0 <= start <= end for _, start, end in find_dates(text))
    pair = two_dates(text)
    assert pair is None or all(_is_iso(v) for v in pair)


DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DATES, st.text(alphabet="日期：签订 ", max_size=6))
def test_written_dates_are_found(day: dt.date, label: str) -> None:
    for text in (f"{day.year}年{day.month}月{day.day}日", f"{day:%Y-%m-%d}", f"{day.year}.{day.month}.{day.day}"):
        assert parse_date(label + text) == day.isoformat()


@given(ANY_TEXT)
def test_label_value_parsers_are_typed(text: str) -> None:
    _assert_money(money_value(text))
    found = identifier(text)
    assert found is None or (isinstance(found, str) and sum(c.isdigit() for c in found) >= 3)


CELL = st.one_of(ANY_TEXT, HOSTILE_NUMBERS, st.sampled_from([a for aliases in COLUMNS.values() for a in aliases]))
ROWS = st.lists(st.lists(CELL, max_size=9), max_size=15)


@given(ROWS)
def test_table_header_detection_is_typed(rows: list[list[str]]) -> None:
    header = find_header(rows)
    if header is not None:
        assert 0 <= header.index < len(rows)
        assert all(0 <= column < len(rows[header.index]) for column in header.columns)
    parsed = parse_rows(rows)
    if parsed is None:
        return
    records, indexes = parsed
    assert len(records) == len(indexes)
    for record in records:
        _assert_money(record.get("amount"))
        assert record.get("date") is None or _is_iso(record["date"])


@given(
    st.lists(st.lists(st.text(alphabet="一二三标题说明 ", max_size=6), max_size=4), max_size=5),
    st.permutations(["序号", "发票号码", "金额", "供应商", "备注"]),
    st.lists(HOSTILE_NUMBERS, min_size=1, max_size=3),
)
def test_planted_header_is_found_and_hostile_amounts_are_dropped(
    titles: list[list[str]], header: list[str], amounts: list[str]
) -> None:
    rows = [*titles, header, *[["1", "24112000000012345678", a, "某公司", ""] for a in amounts]]
    if [r for r in titles if len(set(r) & set(header)) >= 3]:
        return
    found = find_header(rows)
    assert found is not None and found.index == len(titles)
    assert sorted(found.columns.values()) == sorted(["seq", "invoice_number", "amount", "vendor"])
    parsed = parse_rows(rows)
    assert parsed is not None
    for record in parsed[0]:
        _assert_money(record.get("amount"))


@given(st.one_of(HOSTILE_NUMBERS, ANY_TEXT, st.from_regex(r"\d{1,16}(\.\d{1,16})?[eE]\+?\d{1,12}", fullmatch=True)))
def test_reconcile_number_keys_stay_small(text: str) -> None:
    """A detail-table cell such as 1E+999999999 must not expand to a billion zeros."""
    from matchers.reconcile import normalize_number, same_number

    key = normalize_number(text)
    assert key is None or len(key) <= len(text) + 30
    assert isinstance(same_number(text, text), bool)
