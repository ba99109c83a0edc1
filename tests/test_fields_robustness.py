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


def test_an_allocation_failure_while_extracting_is_the_readers_not_the_documents(monkeypatch) -> None:
    """A reader near its address-space limit fails to load a library (``failed to map segment``):
    the document must not come out field-less with a warning (a missing field would then be held
    against the applicant) but as the memory failure that ``flows.isolation`` retries in a fresh reader."""
    from dataclasses import replace

    import pytest

    from extractors.errors import OUT_OF_MEMORY, DocumentReadError
    from extractors.fields.registry import EXTRACTORS

    def every_extractor_is(extractor) -> None:
        for doc_type, entry in EXTRACTORS.items():
            monkeypatch.setitem(EXTRACTORS, doc_type, replace(entry, load=lambda: extractor))

    def failing(doc):
        raise ImportError("_beam_utils.so: failed to map segment from shared object")

    every_extractor_is(failing)
    doc = make_doc([[line("证书编号：DCMM202379663", 100, 100)]])
    with pytest.raises(DocumentReadError) as raised:
        extract_fields(doc)
    assert raised.value.reason == OUT_OF_MEMORY

    def buggy(doc):
        raise ValueError("a bug in one extractor")

    every_extractor_is(buggy)
    assert any("字段提取失败（ValueError）" in w for w in extract_fields(doc).warnings)
