"""Look-alikes from the glyph table, weighed by how the text was read; numerals; 有限/有限责任."""

from __future__ import annotations

import csv

import pytest

from matchers.glyphs_build import OUTPUT, VERSION
from matchers.names import NameMatcher, same_entity
from matchers.names_config import load_lookalikes, reading_of
from matchers.reference import load_list

# the pairs issue 19 names; (listed, misread) put into a name where each is the 字号 or place
PAIRS = [
    ("木", "术"), ("侧", "测"), ("阴", "限"), ("古", "吉"), ("毫", "豪"),
    ("迅", "讯"), ("开", "幵"), ("同", "间"), ("司", "可"), ("盂", "孟"),
]  # fmt: skip


@pytest.mark.parametrize(("listed", "misread"), PAIRS)
def test_each_named_lookalike_is_caught_on_a_scan_and_refused_on_a_text_layer(listed: str, misread: str) -> None:
    name = f"山西{listed}华科技有限公司"
    query = f"山西{misread}华科技有限公司"
    scanned = same_entity(query, name, "ocr")
    assert scanned.verdict == "fuzzy", scanned.reason
    assert scanned.lookalikes and scanned.lookalikes[0]["listed"] == listed
    assert same_entity(query, name, "exact").verdict == "none"


def test_glyph_pairs_come_from_the_generated_table_with_their_score() -> None:
    assert load_lookalikes()[("孟", "盂")].source == "glyph"
    assert load_lookalikes()[("术", "木")].score is not None
    assert load_lookalikes()[("可", "司")].source == "override"
    with OUTPUT.open(encoding="utf-8") as handle:
        header = handle.readline()
        rows = list(csv.reader(handle))
    assert header.startswith(f"# glyph look-alikes v{VERSION}")
    assert rows[0] == ["a", "b", "score", "rank"]
    assert all(0.74 <= float(r[2]) <= 1 for r in rows[1:])


def test_a_weaker_shape_counts_only_where_the_recogniser_confuses_it_too() -> None:
    """讯/迅 correlate less than 天/果 or 发/食, but only 讯/迅 is a slip the recogniser makes."""
    table = load_lookalikes()
    for listed, misread in [("天", "果"), ("发", "食"), ("华", "羊")]:
        look = table[(listed, misread)]
        assert look.source == "glyph" and look.recogniser_rank is None
        name = f"山西{listed}成科技有限公司"
        assert same_entity(f"山西{misread}成科技有限公司", name, "ocr").verdict == "none"
    best = same_entity("山西讯华科技有限公司", "山西迅华科技有限公司", "ocr")
    assert best.verdict == "fuzzy" and best.lookalikes is not None
    (slip,) = best.lookalikes
    assert slip["source"] == "glyph" and slip["recogniser_rank"] == table[("迅", "讯")].recogniser_rank
    assert "识别模型将其列为第1备选字" in (best.reason or "") and "字形相似度0.77" in (best.reason or "")


def test_the_recogniser_table_is_the_builder_output_and_agrees_with_the_model() -> None:
    from matchers.recogniser_build import MAX_RANK, confusions
    from matchers.recogniser_build import OUTPUT as RECOGNISED
    from matchers.recogniser_build import VERSION as R_VERSION

    with RECOGNISED.open(encoding="utf-8") as handle:
        header = handle.readline()
        rows = list(csv.reader(handle))
    assert header.startswith(f"# recogniser confusions v{R_VERSION}") and rows[0] == ["a", "b", "rank"]
    assert all(1 <= int(r[2]) <= MAX_RANK for r in rows[1:])
    fresh = confusions(list("迅讯古吉孟盂天果发食"))  # one line of the model, read now
    assert fresh.get(("讯", "迅"), 99) <= 10 and fresh.get(("古", "吉"), 99) <= 10
    assert fresh.get(("天", "果"), 99) > 10 and fresh.get(("发", "食"), 99) > 10


def test_unrelated_characters_are_not_lookalikes() -> None:
    table = load_lookalikes()
    for a, b in [("天", "地"), ("华", "金"), ("瑞", "博"), ("成", "地"), ("东", "西")]:
        assert (a, b) not in table


def test_reading_follows_the_text_source() -> None:
    assert reading_of("ocr") == "ocr"
    assert reading_of("mixed") == "ocr"
    for source in ("text_layer", "ofd", "xml", "qr"):
        assert reading_of(source) == "exact"
    assert reading_of(None) == "unknown"


def test_match_explains_an_accepted_lookalike() -> None:
    matcher = NameMatcher(load_list("cloud_providers", "1", home=None))
    best = matcher.match("山西天地科枝有限公司").best
    assert best is not None and best.verdict == "fuzzy"
    assert best.lookalikes == [
        {
            "query": "枝",
            "listed": "技",
            "part": "行业表述",
            "similarity": None,
            "recogniser_rank": None,
            "source": "override",
        }
    ]
    assert "形近字" in (best.reason or "")
    assert matcher.match("山西天地科枝有限公司", reading="exact").verdict == "none"


@pytest.mark.parametrize(
    "query", ["北京京东360度电子商务有限公司", "北京京东三百六十度电子商务有限公司", "北京京东36O度电子商务有限公司"]
)
def test_numerals_in_any_form_match_the_listed_name(query: str) -> None:
    result = NameMatcher(load_list("cloud_providers", "1", home=None)).match(query)
    assert result.best is not None and result.best.name == "北京京东叁佰陆拾度电子商务有限公司"
    assert result.verdict == "fuzzy"
    assert "数字写法不同" in (result.best.reason or "")


def test_a_different_number_is_a_different_name() -> None:
    assert same_entity("北京京东三百五十度电子商务有限公司", "北京京东叁佰陆拾度电子商务有限公司").verdict == "none"
    assert same_entity("北京京东361度电子商务有限公司", "北京京东叁佰陆拾度电子商务有限公司").verdict == "none"


def test_llc_writing_is_the_same_form_and_the_rule_is_shown() -> None:
    candidate = same_entity("山西天地科技有限公司", "山西天地科技有限责任公司")
    assert candidate.verdict == "fuzzy"
    assert "企业名称登记管理规定" in (candidate.reason or "")
    assert same_entity("山西天地科技股份有限公司", "山西天地科技有限责任公司").verdict == "none"
