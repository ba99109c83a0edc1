"""Certificates: type, level, scope, holder, number, dates and issuer, in Chinese and English."""

from __future__ import annotations

from extractors.fields import extract_fields
from extractors.fields.certificate import level_of
from models import TextLine
from tests.test_fields_fixtures import line, make_doc


def _rows(texts: list[str], x: float = 200) -> list[TextLine]:
    return [line(t, x, 100 + 60 * i) for i, t in enumerate(texts)]


def test_cmmi_appraisal_in_english() -> None:
    lines = _rows(
        [
            "CMMI Institute",
            "Appraisal Results",
            "This is to certify that",
            "山西示例科技有限公司",
            "has been appraised and rated at",
            "Maturity Level 3",
            "of the CMMI-DEV V2.0 model, using the SCAMPI A appraisal method",
        ]
    )
    lines += [
        line("Appraisal ID:", 200, 600), line("58923", 520, 600),
        line("Appraisal Date:", 200, 660), line("March 24, 2023", 520, 660),
        line("Expiration Date:", 200, 720), line("March 24, 2026", 520, 720),
    ]  # fmt: skip
    doc = extract_fields(make_doc([lines]))
    assert doc.doc_type == "certificate"
    v = {k: f.value for k, f in doc.fields.items()}
    assert v == {
        "cert_type": "CMMI",
        "level": 3,
        "scope": "CMMI-DEV V2.0",
        "holder_name": "山西示例科技有限公司",
        "cert_number": "58923",
        "issue_date": "2023-03-24",
        "expiry_date": "2026-03-24",
        "issuer": "CMMI Institute",
    }


def test_itss_chinese_with_validity_range() -> None:
    lines = _rows(
        [
            "信息技术服务运行维护标准符合性证书",
            "证书编号：ITSS-YW-2-1403202363322",
            "单位名称：阳泉市卓联智能制造股份有限公司",
            "符合性等级：二级",
            "有效期：2023年08月19日至2026年08月18日",
            "发证机构：中国电子工业标准化技术协会信息技术服务分会",
        ]
    )
    doc = extract_fields(make_doc([lines], source="ocr"))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["cert_type"] == "ITSS" and v["level"] == 2 and v["scope"] == "运行维护"
    assert v["cert_number"] == "ITSS-YW-2-1403202363322"
    assert v["holder_name"] == "阳泉市卓联智能制造股份有限公司"
    assert (v["issue_date"], v["expiry_date"]) == ("2023-08-19", "2026-08-18")
    assert v["issuer"] == "中国电子工业标准化技术协会信息技术服务分会"


def test_dcmm_level_names_and_expiry_from_period_length() -> None:
    lines = _rows(
        [
            "数据管理能力成熟度等级证书",
            "兹证明：山西示例数据有限公司",
            "数据管理能力成熟度等级达到 稳健级（3级）",
            "证书编号：DCMM202378834",
            "发证日期：2023年07月19日",
            "有效期三年",
            "中国电子信息行业联合会",
        ]
    )
    doc = extract_fields(make_doc([lines]))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["cert_type"] == "DCMM" and v["level"] == 3
    assert v["holder_name"] == "山西示例数据有限公司"
    assert v["expiry_date"] == "2026-07-19"
    assert doc.fields["expiry_date"].source == "derived" and doc.fields["expiry_date"].confidence <= 0.9
    assert v["issuer"] == "中国电子信息行业联合会"


def test_levels() -> None:
    assert level_of("CMMI", "MaturityLevel5") == 5
    assert level_of("CMMI", "CMMI三级") == 3
    assert level_of("ITSS", "一级") == 1
    assert level_of("DCMM", "量化管理级") == 4
    assert level_of("DCMM", "优化级") == 5
