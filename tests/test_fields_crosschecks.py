"""The cross-check utilities: 大写 amounts, the GB 32100-2015 check character, the QR payload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.fields import credit_code
from extractors.fields.amount_words import extract_words_span, format_amount_words, parse_amount_words
from extractors.fields.qr_payload import parse_qr_payload

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("肆拾捌圆玖角整", "48.90"),
        ("壹拾万零陆仟圆整", "106000.00"),
        ("壹拾万零陆仟元正", "106000.00"),
        ("拾万零陆仟元整", "106000.00"),
        ("⊗壹仟零陆拾圆整", "1060.00"),
        ("人民币（大写）：贰佰叁拾肆万伍仟陆佰柒拾捌圆玖角壹分", "2345678.91"),
        ("壹亿零伍拾万圆整", "100500000.00"),
        ("叁圆零伍分", "3.05"),
        ("伍角整", "0.50"),
        ("壹万圆整", "10000.00"),
        ("负壹佰圆整", "-100.00"),
        ("壹佰园整", "100.00"),
        ("貳拾圆整", "20.00"),
    ],
)
def test_parse_real_invoice_forms(words: str, value: str) -> None:
    assert parse_amount_words(words) == Decimal(value)


@pytest.mark.parametrize("bad", ["", "整", "壹贰圆", "壹拾万", "壹拾圆伍分角", "abc圆整", "壹拾圆玖玖角"])
def test_parse_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_amount_words(bad)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("48.90", "肆拾捌圆玖角整"),
        ("106000", "壹拾万零陆仟圆整"),
        ("1060", "壹仟零陆拾圆整"),
        ("100500000", "壹亿零伍拾万圆整"),
        ("10001.01", "壹万零壹圆零壹分"),
        ("0.5", "伍角整"),
        ("20000000.10", "贰仟万圆壹角整"),
    ],
)
def test_format_like_tax_control_systems(value: str, words: str) -> None:
    assert format_amount_words(Decimal(value)) == words


@given(amounts)
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_amount_words(format_amount_words(value)) == value


@given(amounts, st.sampled_from(["", "人民币", "⊗", "（大写）"]))
def test_prefixes_and_yuan_variants_do_not_change_the_value(value: Decimal, prefix: str) -> None:
    words = format_amount_words(value).replace("圆", "元")
    assert parse_amount_words(prefix + words) == value


@given(st.text(alphabet="零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整正", max_size=12))
def test_parser_only_raises_value_error(text: str) -> None:
    try:
        result = parse_amount_words(text)
    except ValueError:
        return
    assert result >= 0


def test_words_span_is_found_inside_a_line() -> None:
    assert extract_words_span("价税合计（大写）⊗壹拾万零陆仟圆整（小写）¥106000.00") == "壹拾万零陆仟圆整"


charset = st.sampled_from(credit_code.CHARSET)


@given(st.lists(charset, min_size=17, max_size=17))
def test_credit_code_check_character_validates(chars: list[str]) -> None:
    first = "".join(chars)
    code = first + credit_code.check_character(first)
    assert credit_code.is_valid(code)
    assert credit_code.is_valid(code.lower())


@given(st.lists(charset, min_size=17, max_size=17), st.integers(0, 17), charset)
def test_any_single_substitution_is_detected(chars: list[str], pos: int, new: str) -> None:
    first = "".join(chars)
    code = first + credit_code.check_character(first)
    changed = code[:pos] + new + code[pos + 1 :]
    assert credit_code.is_valid(changed) == (changed == code)


def test_known_codes() -> None:
    assert credit_code.is_valid("91330106673959654P")
    assert not credit_code.is_valid("91330106673959654Q")
    assert not credit_code.is_valid("9133010667395965")
    assert not credit_code.is_valid("91330106673959654I")
    assert credit_code.repair("9I33O1O6673959654P") == "91330106673959654P"


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@given(
    st.sampled_from(["01", "04", "10", "31", "32"]),
    st.one_of(st.just(""), _digits(10), _digits(12)),
    st.one_of(_digits(8), _digits(20)),
    amounts,
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.one_of(st.just(""), _digits(20)),
    st.booleans(),
)
def test_qr_payload_positional_split(type_code, code, number, amount, day, check, trailing) -> None:  # noqa: PLR0917
    raw = ",".join(["01", type_code, code, number, str(amount), day.strftime("%Y%m%d"), check, "A1B2"])
    raw += "," if trailing else ""
    p = parse_qr_payload(raw)
    assert p is not None
    assert p.invoice_code == (code or None)
    assert p.invoice_number == number
    assert p.amount == f"{amount:.2f}"
    assert p.issue_date == day.isoformat()
    assert p.check_code == (check or None)
    assert p.tail == "A1B2"


@given(st.text(max_size=80))
def test_qr_parser_never_raises(raw: str) -> None:
    p = parse_qr_payload(raw)
    assert p is None or p.invoice_number.isdigit()


def test_qr_rejects_non_invoice_codes() -> None:
    assert parse_qr_payload("https://inv-veri.chinatax.gov.cn/") is None
    assert parse_qr_payload("02,10,,12345678,1.00,20230101,,AB") is None
    digital = parse_qr_payload("01,32,,24142000000012345678,104940.00,20230512,,A1B2")
    assert digital is not None and digital.is_digital and digital.invoice_code is None
