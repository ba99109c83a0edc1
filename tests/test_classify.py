"""Classification: each kind from its vocabulary, QR and table shape; unknown when evidence is thin."""

from __future__ import annotations

from extractors.classify import classify
from tests.test_fields_fixtures import digital_invoice_lines, line, make_doc


def test_invoice_from_text_and_qr() -> None:
    assert classify(make_doc([digital_invoice_lines()])).doc_type == "invoice"
    qr_only = make_doc([[line("发票", 10, 10)]], qr=["01,32,,24142000000012345678,1.00,20230512,,A1B2"])
    result = classify(qr_only)
    assert result.doc_type == "invoice" and result.confidence > 0.8


def test_contract_and_certificate() -> None:
    contract = make_doc(
        [[line(t, 10, 40 * i) for i, t in enumerate(["技术服务合同", "甲方：A公司", "乙方：B公司", "违约责任"])]]
    )
    assert classify(contract).doc_type == "contract"
    cert = make_doc([[line(t, 10, 40 * i) for i, t in enumerate(["CMMI Institute", "Maturity Level 3", "证书编号"])]])
    assert classify(cert).doc_type == "certificate"


def test_unknown_when_little_evidence() -> None:
    result = classify(make_doc([[line("项目情况说明", 10, 10), line("本项目进展顺利。", 10, 60)]]))
    assert result.doc_type == "unknown"
    assert 0 <= result.confidence <= 1


def test_contract_mentioning_invoices_stays_contract() -> None:
    texts = [
        "云服务合同",
        "合同编号：HT-1",
        "甲方：A有限公司",
        "乙方：B有限公司",
        "乙方应开具增值税专用发票",
        "争议解决",
    ]
    assert classify(make_doc([[line(t, 10, 40 * i) for i, t in enumerate(texts)]])).doc_type == "contract"
