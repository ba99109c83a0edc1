"""Layout utilities: captions found through OCR splits and confusions, values beside or below them."""

from __future__ import annotations

import re

from extractors.fields.canonical import find_money, parse_date
from extractors.fields.label_values import flow_value, label_value
from extractors.fields.layout import find_label, group_rows, placed_lines
from tests.test_fields_fixtures import line, make_doc


def _number(text: str) -> str | None:
    m = re.match(r"[:：]?(\d{8}|\d{20})(?!\d)", text)
    return m.group(1) if m else None


def _rows(lines):
    return group_rows(placed_lines(make_doc([lines])))


def test_caption_split_over_boxes_and_confused_character() -> None:
    rows = _rows([line("发票", 100, 100), line("号玛：", 150, 102), line("12345678", 300, 98)])
    pairs = label_value(rows, ("发票号码",), _number)
    assert [hit.value for _, hit in pairs] == ["12345678"]
    assert pairs[0][1].bbox.x0 >= 300


def test_value_merged_with_caption_in_one_box_full_width_colon() -> None:
    rows = _rows([line("发票号码：24142000000012345678", 100, 100)])
    (label, hit) = label_value(rows, ("发票号码",), _number)[0]
    assert hit.value == "24142000000012345678"
    assert hit.how == "same_line"
    assert hit.bbox.x0 > label.bbox.x1 - 1


def test_number_split_into_two_close_boxes_is_joined() -> None:
    rows = _rows([line("发票号码：", 100, 100), line("2414200000", 230, 100), line("0012345678", 475, 100)])
    assert label_value(rows, ("发票号码",), _number)[0][1].value == "24142000000012345678"


def test_value_in_the_box_below() -> None:
    rows = _rows([line("开票日期", 100, 100), line("2023年05月12日", 100, 140)])
    (_, hit) = label_value(rows, ("开票日期",), parse_date)[0]
    assert hit.value == "2023-05-12" and hit.how == "below"


def test_similar_captions_are_not_confused() -> None:
    rows = _rows([line("发票代码：014002100111", 100, 100)])
    assert find_label(rows, ("发票号码",)) == []


def test_flow_value_across_wrapped_rows() -> None:
    rows = _rows([line("本合同总金额为人民币（¥1,227,48", 100, 100), line("0.00）", 100, 140)])
    found = flow_value(rows, ("总金额",), lambda t: str(find_money(t)[0][0]) if find_money(t) else None)
    assert found[0][1].value == "1227480.00"


def test_rows_of_a_skewed_scan() -> None:
    lines = [line("名称：", 100, 100), line("山西示例科技有限公司", 200, 104), line("纳税人识别号：", 100, 140),
             line("91140300MA0K123459", 300, 146)]  # fmt: skip
    rows = _rows(lines)
    assert [r.text for r in rows] == ["名称:山西示例科技有限公司", "纳税人识别号:91140300MA0K123459"]


def test_a_date_whose_month_character_ocr_read_as_day_is_still_one_date() -> None:
    assert parse_date("2023年06日22日") == "2023-06-22"  # 月 → 日: the closing 日 says which is the day
    assert parse_date("开票日期：2023年06曰02日") == "2023-06-02"
    assert parse_date("2023年06日22") is None  # without the closing 日 nothing says which is which
