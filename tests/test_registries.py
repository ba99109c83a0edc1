"""The two registries are complete: every kind sniff returns is read or refused with a reason, and
every document type has classifier words and an extractor that emits only its declared fields."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest

from extractors.classify import classify
from extractors.errors import DocumentReadError
from extractors.fields.registry import EXTRACTORS
from extractors.readers.registry import IMAGE_KINDS, READERS, REFUSED
from extractors.readers.sniff import Kind, sniff
from extractors.reading import read_document
from models import Document, Page, TextLine
from models.document import DocType
from models.field_names import FIELDS
from models.settings import Settings
from tests.test_fields_fixtures import digital_invoice_lines, line, make_doc


def test_every_sniffed_kind_is_read_or_refused_with_a_reason() -> None:
    for kind in get_args(Kind):
        assert (kind in READERS) != (kind in REFUSED), kind
        assert kind in READERS or REFUSED[kind].strip()
    assert set(IMAGE_KINDS) <= set(READERS)


def _write_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not an OFD or XLSX")


_REFUSED_FILES: dict[str, Callable[[Path], object]] = {
    "html": lambda path: path.write_text("<!DOCTYPE html><html><body>发票</body></html>", encoding="utf-8"),
    "zip": _write_zip,
    "unknown": lambda path: path.write_bytes(b"\x00\x01\x02binary"),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_refused_kind_is_refused_with_its_reason(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    _REFUSED_FILES[kind](path)
    assert sniff(path) == kind
    with pytest.raises(DocumentReadError) as raised:
        read_document(path, settings=Settings(home=tmp_path / "home"))
    assert raised.value.reason == REFUSED[kind]


def test_every_document_type_has_an_entry_with_keywords() -> None:
    assert set(EXTRACTORS) == set(get_args(DocType)) - {"unknown"}
    for doc_type, entry in EXTRACTORS.items():
        assert entry.keywords and all(weight > 0 for weight in entry.keywords.values()), doc_type
        # classify matches against upper-cased text without whitespace: any other word never counts
        assert all(word == "".join(word.upper().split()) for word in entry.keywords), doc_type


def _rows(texts: list[str]) -> list[TextLine]:
    return [line(text, 120, 100 + 50 * i) for i, text in enumerate(texts)]


def _table(rows: list[list[str]]) -> Document:
    page = Page(number=1, width=1, height=1, dpi=200, table_rows=rows, text_source="table")
    return Document(path="t.xlsx", sha256="0" * 64, text_source="table", pages=[page])


_TINY: dict[str, Callable[[], Document]] = {
    "invoice": lambda: make_doc([digital_invoice_lines()]),
    "certificate": lambda: make_doc(
        [_rows(["信息技术服务运行维护标准符合性证书", "证书编号：ITSS-YW-2-1403202363322",
                "单位名称：阳泉市卓联智能制造股份有限公司", "符合性等级：二级",
                "有效期：2023年08月19日至2026年08月18日"])],
        source="ocr",
    ),
    "contract": lambda: make_doc(
        [_rows(["技术服务合同", "合同编号：HT-2023-001", "甲方：阳泉丰信新材料股份有限公司",
                "乙方：山西清众科技股份有限公司", "合同总金额：人民币伍万元整（¥50,000.00）",
                "签订日期：2023年1月26日"])]
    ),
    "business_licence": lambda: make_doc(
        [_rows(["营业执照", "统一社会信用代码 91140302MA0GRJ9P4H", "名称 阳泉市北辰数据科技有限公司",
                "法定代表人 王立新", "成立日期 2017年09月29日", "登记机关 阳泉市城区市场监督管理局"])],
        source="ocr",
    ),
    "detail_table": lambda: _table(
        [["序号", "合同编号", "发票号码", "金额（元）", "日期", "供应商", "内容"],
         ["1", "HT-2023-01", "24142000000012345678", "1,200.00", "2023-06-19", "浪潮软件集团有限公司", "服务器"]]
    ),
}  # fmt: skip


@pytest.mark.parametrize("doc_type", sorted(EXTRACTORS))
def test_each_extractor_emits_only_its_declared_fields(doc_type: DocType) -> None:
    doc = _TINY[doc_type]()
    assert classify(doc).doc_type == doc_type  # its keywords lead to its entry
    found, _ = EXTRACTORS[doc_type].load()(doc)
    assert found, doc_type
    assert set(found) <= set(FIELDS[doc_type]), set(found) - set(FIELDS[doc_type])
