"""Glyphs to lines (extractors.readers.text): what every text layer's geometry must come out as."""

from __future__ import annotations

from extractors.readers.text import Glyph, group_lines


def _run(text: str, x: float, y: float, width: float, height: float = 23.0) -> list[Glyph]:
    return [Glyph(c, x + i * width, y, x + (i + 1) * width, y + height) for i, c in enumerate(text)]


def test_a_value_printed_over_its_caption_is_its_own_line() -> None:
    """A filled form set a few points off: the id drawn across the caption, at the same height."""
    caption = _run("纳税人识别号：", 150, 364, 22)
    value = _run("91140322MA1GJT2N7P", 250, 364, 13)
    lines = group_lines(caption + value, source="text_layer")
    assert sorted(ln.text for ln in lines) == ["91140322MA1GJT2N7P", "纳税人识别号："]
    (id_line,) = [ln for ln in lines if ln.text.startswith("911")]
    assert id_line.bbox.x0 == 250


def test_one_line_of_mixed_scripts_and_kerning_stays_one_line() -> None:
    words = _run("达到", 100, 500, 33) + _run("GB/T", 166, 502, 18) + _run("要求", 238, 500, 33)
    kerned = [g._replace(x0=g.x0 - 1.5) if i else g for i, g in enumerate(_run("AVAWAY", 400, 600, 15))]
    lines = group_lines(words + kerned, source="text_layer")
    assert sorted(ln.text for ln in lines) == ["AVAWAY", "达到GB/T要求"]


def test_a_column_caption_drawn_into_the_next_caption_is_its_own_line() -> None:
    """销售方 (the block's caption) runs into 纳税人识别号 a few pixels, lower and larger; the end of a
    wrapped line between their heights, far to the right, joins them in one row."""
    block = _run("销售方", 79, 838, 25, 26)
    caption = _run("纳税人识别号：", 150, 827, 22) + _run("91110108MA9WPRKY8L", 304, 827, 13)
    bridge = _run("52", 1300, 837, 13, 22)
    lines = group_lines(caption + bridge + block, source="text_layer")
    assert sorted(ln.text for ln in lines) == ["52", "纳税人识别号：91110108MA9WPRKY8L", "销售方"]


def test_a_title_beside_a_caption_in_a_smaller_type_is_another_line() -> None:
    """The 数电票's title and its 发票号码 share a row; the number's box must not be the title's height."""
    title = _run("电子发票（增值税专用发票）", 538, 82, 44, 47)
    number = _run("发票号码：", 1142, 88, 22, 25) + _run("23141087948364447559", 1252, 88, 14.9, 25)
    lines = group_lines(title + number, source="text_layer")
    (found,) = [ln for ln in lines if ln.text.startswith("发票号码")]
    assert found.text == "发票号码：23141087948364447559" and found.bbox.y1 - found.bbox.y0 == 25
