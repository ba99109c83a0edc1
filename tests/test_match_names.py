"""Structure-aware name matching: verdicts, branch rules and reasons."""

from __future__ import annotations

import pytest

from matchers.names import NameMatcher, same_entity
from matchers.names_parse import parse_name
from matchers.reference import load_list


@pytest.fixture(scope="module")
def cloud() -> NameMatcher:
    return NameMatcher(load_list("cloud_providers", home=None))


def _best(matcher: NameMatcher, query: str) -> tuple[str, str | None, str, str]:
    best = matcher.match(query).best
    assert best is not None
    return best.verdict, best.relation, best.name, best.reason or ""


def test_parse_splits_place_trade_industry_form_and_branch() -> None:
    parsed = parse_name("中国联合网络通信有限公司山西省分公司")
    assert parsed.head == "中国联合网络通信有限公司"
    assert parsed.branch == "山西省分公司"
    assert parsed.branch_key == "山西分公司"
    assert (parsed.part_text("place"), parsed.part_text("trade")) == ("中国", "联合")
    assert (parsed.part_text("industry"), parsed.org_form) == ("网络通信", "有限公司")
    bracketed = parse_name("腾讯云计算（北京）有限责任公司")
    assert bracketed.part_text("place") == "北京"
    assert bracketed.org_form == "有限责任公司"
    assert parse_name("中国电信集团有限公司山西分公司").org_form == "集团有限公司"


def test_exact_verdict_after_normalisation(cloud: NameMatcher) -> None:
    result = cloud.match("腾讯云计算(北京)有限责任公司")
    assert result.verdict == "exact"
    best = result.best
    assert best is not None
    assert (best.score, best.relation, best.section, best.seq) == (100.0, "same", "云平台服务商", 21)
    assert result.list_version == "1"
    assert result.model_dump(by_alias=True)["list"] == "cloud_providers"


@pytest.mark.parametrize(
    ("query", "listed", "hint"),
    [
        ("山西夭地科技有限公司", "山西天地科技有限公司", "形近字"),
        ("山西天地科有限公司", "山西天地科技有限公司", "漏字"),
        ("山西天地科技科技有限公司", None, "行业表述"),
        ("山西天天地科技有限公司", "山西天地科技有限公司", "重复字"),
        ("大同华立科技有限责任公司", "大同市华立科技有限责任公司", "行政区划后缀"),
        ("腾讯云计算（北京）有限公司", "腾讯云计算（北京）有限责任公司", "组织形式写法"),
    ],
)
def test_ocr_slips_are_fuzzy_and_extra_words_are_not(
    cloud: NameMatcher, query: str, listed: str | None, hint: str
) -> None:
    verdict, relation, name, reason = _best(cloud, query)
    if listed is None:
        assert verdict == "none"
    else:
        assert (verdict, relation, name) == ("fuzzy", "same", listed)
    assert hint in reason


def test_branch_of_a_listed_head_office_is_fuzzy_branch_of(cloud: NameMatcher) -> None:
    verdict, relation, name, reason = _best(cloud, "中国移动通信集团山西有限公司阳泉分公司")
    assert (verdict, relation, name) == ("fuzzy", "branch_of", "中国移动通信集团山西有限公司")
    assert "分公司" in reason
    best = cloud.match("阿里云计算有限公司山西分公司").best
    assert best is not None
    assert best.score < 100


def test_head_office_and_sibling_of_a_listed_branch_are_same_legal_person(cloud: NameMatcher) -> None:
    assert _best(cloud, "中国电信集团有限公司")[:3] == ("fuzzy", "same_legal_person", "中国电信集团有限公司山西分公司")
    assert _best(cloud, "中国电信集团有限公司阳泉分公司")[:2] == ("fuzzy", "same_legal_person")
    assert _best(cloud, "中国联合网络通信有限公司山西分公司")[:2] == ("fuzzy", "same")


def test_different_org_form_of_the_head_office_is_none_however_close(cloud: NameMatcher) -> None:
    result = cloud.match("中国电信股份有限公司阳泉分公司")
    best = result.best
    assert best is not None
    assert result.verdict == "none"
    assert best.name == "中国电信集团有限公司山西分公司"
    assert best.score > 75
    assert "组织形式不同" in (best.reason or "")


@pytest.mark.parametrize(
    ("query", "part"),
    [
        ("山西天成科技有限公司", "字号不同"),
        ("陕西天地科技有限公司", "地名不同"),
        ("山西天地科技股份有限公司", "组织形式"),
        ("中国移动通信集团有限公司", "地名"),
        ("阿里云计算有限公司山西子公司", "子公司"),
    ],
)
def test_near_miss_legal_entities_are_none_with_the_differing_part(cloud: NameMatcher, query: str, part: str) -> None:
    result = cloud.match(query)
    assert result.verdict == "none"
    assert all(m.verdict == "none" for m in result.matches)
    assert any(part in (m.reason or "") for m in result.matches)


def test_unrelated_name_is_none(cloud: NameMatcher) -> None:
    result = cloud.match("北京三快在线科技有限公司", top=3)
    assert result.verdict == "none"
    assert len(result.matches) <= 3
    assert cloud.match("").matches == []


def test_match_many_keeps_input_order_and_agrees_with_match(cloud: NameMatcher) -> None:
    queries = ["山西天成科技有限公司", "阿里云计算有限公司", "", "山西夭地科技有限公司", "阿里云计算有限公司"]
    many = cloud.match_many(queries, top=3, workers=1)
    assert [r.query for r in many] == queries
    for query, result in zip(queries, many, strict=True):
        assert result.model_dump() == cloud.match(query, top=3).model_dump()


def test_same_entity_for_applicant_and_invoice_buyer() -> None:
    assert same_entity("山西示例科技有限公司", "山西示例科技有限公司").verdict == "exact"
    branch = same_entity("山西示例科技有限公司阳泉分公司", "山西示例科技有限公司")
    assert (branch.verdict, branch.relation) == ("fuzzy", "branch_of")
    head = same_entity("山西示例科技有限公司", "山西示例科技有限公司阳泉分公司")
    assert (head.verdict, head.relation) == ("fuzzy", "same_legal_person")
    other = same_entity("山西示范科技有限公司", "山西示例科技有限公司")
    assert other.verdict == "none"
    assert "字号" in (other.reason or "")


def test_matcher_for_follows_the_latest_version(tmp_path) -> None:
    from matchers.names import matcher_for
    from matchers.reference import import_list

    assert matcher_for("xinchuang_pilots", home=tmp_path).reference.version == "1"
    assert matcher_for("xinchuang_pilots", home=tmp_path) is matcher_for("xinchuang_pilots", "1", home=tmp_path)
    path = tmp_path / "v2.csv"
    path.write_text("seq,name,project\n1,山西新信创科技有限公司,p\n", encoding="utf-8")
    import_list("xinchuang_pilots", path, "2", home=tmp_path)
    latest = matcher_for("xinchuang_pilots", home=tmp_path)
    assert latest.reference.version == "2"
    assert latest.match("山西新信创科技有限公司").verdict == "exact"
    assert matcher_for("xinchuang_pilots", "1", home=tmp_path).match("山西新信创科技有限公司").verdict == "none"


def test_garbled_org_form_is_an_ocr_loss_but_another_valid_form_is_not(cloud: NameMatcher) -> None:
    verdict, relation, name, reason = _best(cloud, "山西长河科技股鑫有限公司")
    assert (verdict, relation, name) == ("fuzzy", "same", "山西长河科技股份有限公司")
    assert "字迹不清" in reason
    assert _best(cloud, "山西长河科技集团有限公司")[0] == "none"
    pilots = NameMatcher(load_list("xinchuang_pilots", home=None))
    assert _best(pilots, "山西工程技术学校")[0] == "none"
