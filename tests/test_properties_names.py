"""Hostile-text properties of name normalisation and matching: any string in, a typed answer out.

Names reach the matcher from OCR, from invoices' XML and from reviewers' corrections, so they can
hold anything: control characters, combining marks, full-width forms, emoji, 10,000 characters.
"""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from matchers.name_normalize import normalize_name
from matchers.names import NameMatcher, same_entity
from matchers.reference import load_list

HOSTILE = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(alphabet="（）()【】[]〔〕 \u3000\u200b\ufeff有限公司分公司阿里云計算股份", max_size=80),
    st.builds(lambda s, n: s * n, st.sampled_from(["有限公司", "(", "分公司", "\u0301"]), st.integers(1, 2500)),
)


@cache
def _matcher() -> NameMatcher:
    return NameMatcher(load_list("cloud_providers", home=None))


@given(HOSTILE)
def test_normalise_is_total_and_idempotent(name: str) -> None:
    once = normalize_name(name)
    assert isinstance(once, str)
    assert normalize_name(once) == once


@settings(max_examples=60, deadline=None)
@given(HOSTILE, st.integers(min_value=1, max_value=8))
def test_match_any_query_gives_a_contract_match_object(query: str, top: int) -> None:
    result = _matcher().match(query, top=top)
    assert result.query == query and result.list_name == "cloud_providers"
    assert len(result.matches) <= top
    for candidate in result.matches:
        assert 0.0 <= candidate.score <= 100.0
        assert candidate.verdict in ("exact", "fuzzy", "none")
    assert result.model_dump(by_alias=True)["list"] == "cloud_providers"


@settings(max_examples=60, deadline=None)
@given(HOSTILE, HOSTILE)
def test_same_entity_is_typed(a: str, b: str) -> None:
    ab = same_entity(a, b)
    assert ab.verdict in ("exact", "fuzzy", "none") and 0.0 <= ab.score <= 100.0


# --- numerals inside a 字号 are one value however written (issue 19) ---

from matchers.eval.build_extra import chinese_number  # noqa: E402
from matchers.numerals import canonical_numerals  # noqa: E402


@given(st.integers(min_value=11, max_value=9999))
@settings(max_examples=300, deadline=None)
def test_every_writing_of_a_number_canonicalises_to_its_value(value: int) -> None:
    forms = {str(value), chinese_number(value, upper=False), chinese_number(value, upper=True)}
    if "0" in str(value) and sum(ch != "0" for ch in str(value)) >= 2:
        forms.add(str(value).replace("0", "O"))  # one real digit is not enough: O2O stays a word
    canon = {canonical_numerals(f"北京京东{form}度科技有限公司")[0] for form in forms}
    assert canon == {f"北京京东{value}度科技有限公司"}


@given(st.integers(min_value=11, max_value=9999), st.integers(min_value=11, max_value=9999), st.booleans())
@settings(max_examples=300, deadline=None)
def test_different_numbers_never_canonicalise_alike(a: int, b: int, upper: bool) -> None:
    left = canonical_numerals(f"山西{chinese_number(a, upper=upper)}科技有限公司")[0]
    right = canonical_numerals(f"山西{b}科技有限公司")[0]
    assert (left == right) == (a == b)


@given(st.text(alphabet="一二三十百万两统达度", max_size=8))
@settings(max_examples=200, deadline=None)
def test_canonicalisation_is_idempotent(text: str) -> None:
    once = canonical_numerals(text)[0]
    assert canonical_numerals(once)[0] == once
