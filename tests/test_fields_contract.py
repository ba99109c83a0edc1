"""Contracts: captions, running text, wrapped amounts and the 大写 cross-check, over pages."""

from __future__ import annotations

from extractors.fields import extract_fields
from extractors.nlp import find_organisations
from models import TextLine
from tests.test_fields_fixtures import line, make_doc


def _page(texts: list[str]) -> list[TextLine]:
    return [line(t, 120, 100 + 50 * i) for i, t in enumerate(texts)]


def test_contract_over_pages_with_wrapped_amount() -> None:
    page1 = _page(
        [
            "阳泉示例公司企业上云服务项目合同",
            "合同编号：YQSZ-YQ-202307-029",
            "甲方（采购方）：阳泉丰信新材料股份有限公司",
            "乙方（服务方）：山西清众科技股份有限公司",
            "第一条 服务内容",
            "乙方为甲方提供云主机、对象存储等上云服务。",
        ]
    )
    page1[0] = line("阳泉示例公司企业上云服务项目合同", 300, 40, y1=100)
    page2 = _page(
        [
            "第二条 服务期限",
            "服务期限自2023年2月3日起至2025年2月2",
            "日止。",
            "第三条 合同金额及支付方式",
            "本合同总金额为人民币（大写）壹佰贰拾贰万柒仟肆佰捌拾元整（¥1,227,48",
            "0.00）。",
        ]
    )
    page3 = _page(["甲方（盖章）：", "乙方（盖章）：", "签订日期：2023年1月26日"])
    doc = extract_fields(make_doc([page1, page2, page3]))
    assert doc.doc_type == "contract"
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["contract_number"] == "YQSZ-YQ-202307-029"
    assert v["party_a"] == "阳泉丰信新材料股份有限公司"
    assert v["party_b"] == "山西清众科技股份有限公司"
    assert v["service_start"] == "2023-02-03" and v["service_end"] == "2025-02-02"
    assert v["total_amount"] == "1227480.00"
    assert doc.checks["amount_words"]["status"] == "match"
    assert v["sign_date"] == "2023-01-26"
    assert v["subject"] == "阳泉示例公司企业上云服务项目合同"
    assert doc.fields["sign_date"].page == 3


def test_parties_named_only_in_running_text() -> None:
    page = _page(
        [
            "技术服务合同",
            "本合同由阳泉市城区智慧城市建设发展有限公司（以下简称甲方）与",
            "中国电信集团有限公司山西分公司（以下简称乙方）签订。",
            "双方经协商一致，就违约责任等条款约定如下。",
        ]
    )
    doc = extract_fields(make_doc([page]))
    v = {k: f.value for k, f in doc.fields.items()}
    assert v["party_a"] == "阳泉市城区智慧城市建设发展有限公司"
    assert v["party_b"] == "中国电信集团有限公司山西分公司"


def test_amount_words_disagreement_is_recorded() -> None:
    page = _page(["服务合同", "合同编号：HT-2023-001", "甲方：甲公司有限公司", "乙方：乙公司有限公司",
                  "合同总金额：人民币伍万元整（¥60,000.00）"])  # fmt: skip
    doc = extract_fields(make_doc([page]))
    assert doc.fields["total_amount"].value == "60000.00"
    assert doc.checks["amount_words"]["status"] == "mismatch"


def test_organisation_rules() -> None:
    assert find_organisations("本合同由山西示例科技有限公司与太原理工大学签订") == [
        "山西示例科技有限公司",
        "太原理工大学",
    ]
    assert find_organisations("中国移动通信集团山西有限公司阳泉分公司负责") == [
        "中国移动通信集团山西有限公司阳泉分公司"
    ]
