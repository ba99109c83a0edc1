"""Extractors emit only the field names ``models.field_names`` declares for the document's type,
and every declared name has a label: born-digital, OFD and table files of the corpus (read without
OCR, so fast) and a licence laid out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.fields import _records, extract_fields
from extractors.process import process_file
from models.document import Document
from models.field_names import FIELD_LABELS, FIELDS, field_label
from models.settings import Settings
from tests.test_fields_fixtures import line, make_doc

CORPUS = Path(__file__).resolve().parent.parent / "sample_docs" / "corpus"
_NO_OCR = {"text_layer", "ofd", "xml", "table"}


def _unread_files() -> list[Path]:
    """Corpus files whose truth says they are read without OCR."""
    out = []
    for truth in sorted(CORPUS.glob("*/truth.json")):
        for doc in json.loads(truth.read_text(encoding="utf-8"))["documents"]:
            if doc["format"] in _NO_OCR and doc["doc_type"] != "unknown":
                out.append(truth.parent / doc["path"])
    return out


def _undeclared(doc: Document) -> set[str]:
    return set(doc.fields) - set(FIELDS[doc.doc_type])


def test_corpus_documents_carry_only_declared_names(tmp_path: Path) -> None:
    files = _unread_files()
    assert len(files) >= 30
    settings = Settings(home=tmp_path)
    seen: set[str] = set()
    records: set[str] = set()
    for path in files:
        doc = process_file(path, settings=settings)
        assert not _undeclared(doc), (path.name, doc.doc_type, _undeclared(doc))
        assert not [w for w in doc.warnings if "交叉核对记录" in w], (path.name, doc.warnings)  # records fit the schema
        seen.add(doc.doc_type)
        records |= set(doc.checks.model_dump())
    assert seen >= {"invoice", "certificate", "contract", "detail_table"}
    assert records >= {"classification", "qr", "amount_words", "arithmetic", "credit_codes", "detail_table"}


def test_a_record_of_an_unknown_shape_is_left_out_and_said() -> None:
    warnings: list[str] = []
    checks = _records({"qr": {"payload": "01,32", "status": "maybe"}, "line_items": {"status": "match", "sum": "1.00",
                       "amount_excl_tax": "1.00"}}, warnings)  # fmt: skip
    assert checks.qr is None and checks.line_items is not None and checks.line_items.sum == "1.00"
    assert warnings == ["部分交叉核对记录无法保存（qr）"]


def test_a_licence_carries_only_declared_names() -> None:
    rows = ["营业执照", "统一社会信用代码 91140302MA0GRJ9P4H", "名称 阳泉市北辰数据科技有限公司",
            "住所 山西省阳泉市城区桃北西街18号", "法定代表人 王立新", "注册资本 伍拾万元整", "成立日期 2017年09月29日",
            "营业期限 2017年09月29日至2037年09月28日", "登记机关 阳泉市城区市场监督管理局",
            "2019年07月25日"]  # fmt: skip
    doc = extract_fields(make_doc([[line(t, 100, 60 + 50 * i) for i, t in enumerate(rows)]], source="ocr"))
    assert doc.doc_type == "business_licence"
    assert len(doc.fields) >= 6 and not _undeclared(doc)


@pytest.mark.parametrize("doc_type", sorted(FIELDS))
def test_every_declared_name_has_a_chinese_label(doc_type: str) -> None:
    for name in FIELDS[doc_type]:  # type: ignore[index]
        assert field_label(name, doc_type) != name and FIELD_LABELS[name]


def test_a_shared_name_reads_by_its_type() -> None:
    assert field_label("issue_date", "invoice") == "开票日期"
    assert field_label("issue_date", "certificate") == "发证日期"
    assert field_label("issue_date") == "开票/发证日期"
    assert field_label("not_a_field") == "not_a_field"
