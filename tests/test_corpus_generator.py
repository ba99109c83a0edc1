"""The generator's own building blocks: 大写 amounts, credit codes, numbering, text wrapping."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sample_docs.gen import amounts, credit_code
from sample_docs.gen.invoice import numbering
from sample_docs.gen.render import wrap


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("48.90", "肆拾捌圆玖角整"),
        ("1005.03", "壹仟零伍圆零叁分"),
        ("636000.00", "陆拾叁万陆仟圆整"),
        ("100000.00", "壹拾万圆整"),
        ("20304.00", "贰万零叁佰零肆圆整"),
        ("1000000.50", "壹佰万圆伍角整"),
        ("0.05", "伍分"),
        ("100000010.00", "壹亿零壹拾圆整"),
    ],
)
def test_words_as_invoices_print_them(value: str, words: str) -> None:
    assert amounts.to_words(Decimal(value)) == words
    assert amounts.from_words(words) == Decimal(value)


@given(st.integers(min_value=1, max_value=99_999_999_999))
def test_words_round_trip(cents: int) -> None:
    value = Decimal(cents) / 100
    assert amounts.from_words(amounts.to_words(value)) == amounts.q(value)
    assert amounts.from_words(amounts.to_words(value, yuan="元", whole="正")) == amounts.q(value)


@given(st.integers(min_value=0, max_value=2**32))
def test_credit_codes_valid_and_corrupted(seed: int) -> None:
    rng = random.Random(seed)
    code = credit_code.make(rng)
    assert len(code) == 18 and credit_code.is_valid(code)
    assert not credit_code.is_valid(credit_code.corrupt(code))
    assert credit_code.is_valid(credit_code.make_institution(rng))


def test_known_real_credit_code() -> None:
    assert credit_code.is_valid("91350100M000100Y43")


@pytest.mark.parametrize("kind", ["vat_special", "vat_normal", "vat_e_normal", "digital_special", "digital_normal"])
def test_numbering_lengths(kind: str) -> None:
    nb = numbering(kind, date(2023, 7, 1), random.Random(1))
    if kind.startswith("digital"):
        assert set(nb) == {"number"} and len(nb["number"]) == 20 and nb["number"].startswith("2314")
    else:
        assert len(nb["number"]) == 8 and len(nb["machine_no"]) == 12
        assert len(nb["code"]) == (10 if kind == "vat_special" else 12)
        assert ("check_code" in nb) == (kind != "vat_special")


@given(
    st.text(alphabet="合同金额为人民币¥1234567890,.元整（）。", max_size=120), st.integers(min_value=5, max_value=40)
)
def test_wrap_keeps_text_and_numbers_whole(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines) == text
    for number in re.findall(r"[0-9¥,.]+", text):
        assert any(number in line for line in lines)
