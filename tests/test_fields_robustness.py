"""Extraction never raises and keeps its promises (types, ranges) on arbitrary positioned text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.fields import extract_fields
from tests.test_fields_fixtures import line, make_doc

WORDS = [
    "发票号码", "发票代码", "开票日期", "名称", "纳税人识别号", "合计", "价税合计", "（小写）", "¥1,060.00",
    "壹仟零陆拾圆整", "甲方", "乙方", "合同编号", "证书编号", "CMMI", "有效期", "2023年5月12日", "6%", "***",
    "91140300MA0K123459", "24142000000012345678", "*信息技术服务*云服务", "-100.00", "金额", "税额", "税率",
]  # fmt: skip

boxes = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS) | st.text(max_size=6), min_size=1, max_size=3).map("".join),
        st.integers(0, 1600),
        st.integers(0, 1000),
        st.floats(0.0, 1.0),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(boxes, st.lists(st.text(max_size=60), max_size=2))
def test_extract_fields_never_raises(items, qr) -> None:
    lines = [line(text, x, y, conf=conf, source="ocr") for text, x, y, conf in items if text.strip()]
    doc = extract_fields(make_doc([lines], source="ocr", qr=qr))
    assert doc.doc_type in ("invoice", "certificate", "contract", "detail_table", "unknown")
    assert not [w for w in doc.warnings if "字段提取失败" in w]
    for f in doc.fields.values():
        assert 0.0 <= f.confidence <= 1.0
