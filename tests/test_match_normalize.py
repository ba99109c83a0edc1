"""Name normalisation: writing variants collapse, distinctions survive, and it is idempotent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matchers.name_normalize import name_forms, normalize_name
from matchers.names import NameMatcher
from matchers.reference import ReferenceList
from models.matching import ListEntry


def test_width_brackets_spaces_and_debris_collapse() -> None:
    assert normalize_name("腾讯云计算（北京）有限责任公司") == "腾讯云计算(北京)有限责任公司"
    assert normalize_name(" 腾讯云计算【北京】 有限责任公司\u3000") == "腾讯云计算(北京)有限责任公司"
    assert normalize_name("山西天地·科技有限公司丨") == "山西天地科技有限公司"
    assert normalize_name("ＩＢＭ（中国）有限公司") == "IBM(中国)有限公司"
    assert normalize_name("“山西天地科技有限公司”") == "山西天地科技有限公司"


def test_traditional_characters_become_simplified() -> None:
    assert normalize_name("華為軟件技術有限公司") == "华为软件技术有限公司"
    assert normalize_name("中國聯合網絡通信有限公司山西省分公司") == "中国联合网络通信有限公司山西省分公司"


def test_characters_that_distinguish_names_are_kept() -> None:
    assert normalize_name("山西天地科技有限公司") != normalize_name("山西天成科技有限公司")
    assert normalize_name("北京京东叁佰陆拾度电子商务有限公司") == "北京京东叁佰陆拾度电子商务有限公司"


def test_name_forms_keep_the_original() -> None:
    forms = name_forms("阿里云计算 有限公司")
    assert forms.original == "阿里云计算 有限公司"
    assert forms.normalized == "阿里云计算有限公司"


_NAMEISH = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("（）()【】 ·,.，。丨\u3000ＡＢａｂ12３萬國華為軟體臺灣")),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalisation_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@settings(max_examples=300, deadline=None)
@given(_NAMEISH)
def test_normalisation_is_idempotent_on_chinese_names(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@settings(max_examples=150, deadline=None)
@given(st.lists(_NAMEISH.filter(lambda s: normalize_name(s) != ""), min_size=1, max_size=8), st.data())
def test_a_name_matched_against_a_list_containing_it_is_exact(names: list[str], data: st.DataObject) -> None:
    reference = ReferenceList(name="t", version="1", entries=[ListEntry(name=n) for n in names])
    query = data.draw(st.sampled_from(names))
    best = NameMatcher(reference).match(query).best
    assert best is not None
    assert best.verdict == "exact"
    assert normalize_name(best.name) == normalize_name(query)
