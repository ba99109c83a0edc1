"""Each finding code fires on the fault it names and stays silent on a clean or merely reformatted case."""

from __future__ import annotations

from typing import Any

import pytest

from matchers.reconcile import certificate_key
from models import Document, Result
from models.extraction_checks import ExtractionChecks
from store.review_queries import apply_correction
from tests.test_checks_builders import (
    ALIYUN,
    APPLICANT,
    APPLICANT_CODE,
    NUMBER,
    application,
    certificate,
    code_for,
    codes,
    contract,
    fld,
    invoice,
    row,
    run,
    table,
)


def cloud(**inv: Any) -> Result:
    return run(application(["cloud"]), [invoice(**inv), contract()])


def test_clean_submissions_pass_for_every_clause() -> None:
    assert run(application(["cloud"], claimed_award_wan=10), [invoice(), contract()]).status == "pass"
    assert run(application(["cert"], claimed_award_wan=5), [certificate()]).status == "pass"
    docs = [invoice(), contract(), table([row(1, "HT-2023-001", NUMBER, "636000.00")])]
    assert run(application(["investment"]), docs).findings == []
    xin = application(["xinchuang"], applicant={"name": "山西工程技术学院"})
    assert run(xin, []).findings == []


def test_unreadable_and_unknown_documents() -> None:
    result = run(application(["cloud"]), [invoice(), contract()], unreadable=[("scan.pdf", "文件已损坏")])
    assert codes(result) == {"UNREADABLE_DOCUMENT"}
    assert "文件已损坏" in result.findings[0].message
    unknown = invoice("photo.png")
    unknown = unknown.model_copy(update={"doc_type": "unknown"})
    assert "UNKNOWN_DOCUMENT_TYPE" in codes(run(application(["cloud"]), [invoice(), contract(), unknown]))


def test_missing_required_document() -> None:
    assert "MISSING_REQUIRED_DOCUMENT" in codes(run(application(["cloud"]), [invoice()]))
    assert "MISSING_REQUIRED_DOCUMENT" in codes(run(application(["cert"]), []))
    assert "MISSING_REQUIRED_DOCUMENT" not in codes(run(application(["xinchuang"]), []))


def test_missing_field_is_reported_and_never_silently_passes() -> None:
    result = cloud(buyer_name=None)
    assert "MISSING_FIELD" in codes(result)
    assert "BUYER_NOT_APPLICANT" not in codes(result)
    assert result.status == "flagged"


def test_low_confidence_value_is_not_accused() -> None:
    result = cloud(buyer_name=fld("山西别家科技有限公司", confidence=0.4), buyer_tax_id=None)
    assert "LOW_CONFIDENCE_FIELD" in codes(result)
    assert "BUYER_NOT_APPLICANT" not in codes(result)
    assert result.award is not None and result.award.amount_wan == 0  # unverified evidence earns nothing
    # a matching credit code confirms the buyer despite the unsure name
    confirmed = cloud(buyer_name=fld("山西别家科技有限公司", confidence=0.4))
    assert confirmed.award is not None and confirmed.award.amount_wan == 10
    confident = cloud(buyer_name=fld(APPLICANT, confidence=0.95))
    assert "LOW_CONFIDENCE_FIELD" not in codes(confident)


def test_invalid_credit_code() -> None:
    bad = APPLICANT_CODE[:-1] + ("0" if APPLICANT_CODE[-1] != "0" else "1")
    assert "INVALID_CREDIT_CODE" in codes(cloud(seller_tax_id=bad[:2] + "3" + bad[3:]))
    assert "INVALID_CREDIT_CODE" in codes(
        run(
            application(["cloud"], applicant={"name": APPLICANT, "credit_code": bad}),
            [invoice(buyer_tax_id=bad), contract()],
        )
    )
    assert "INVALID_CREDIT_CODE" not in codes(cloud(seller_tax_id="140301123456789"))  # old 15-digit tax id
    assert "INVALID_CREDIT_CODE" not in codes(cloud(seller_tax_id=fld("91330106673959654X", confidence=0.3)))


def test_invoice_qr_mismatch() -> None:
    assert "INVOICE_QR_MISMATCH" in codes(cloud(qr=["01,32,,24112000000012345679,600000.00,20230601,,X"]))
    assert "INVOICE_QR_MISMATCH" in codes(cloud(qr=[f"01,32,,{NUMBER},610000.00,20230601,,X"]))
    assert "INVOICE_QR_MISMATCH" in codes(cloud(qr=[f"01,32,,{NUMBER},600000.00,20230602,,X"]))
    # the QR may carry the total incl. tax on a 数电票; no QR at all is no mismatch
    assert "INVOICE_QR_MISMATCH" not in codes(cloud(qr=[f"01,32,,{NUMBER},636000.00,20230601,,X"]))
    assert "INVOICE_QR_MISMATCH" not in codes(cloud(qr=[]))


def test_amount_words_mismatch() -> None:
    assert "INVOICE_AMOUNT_WORDS_MISMATCH" in codes(cloud(total_in_words="陆拾叁万柒仟圆整"))
    assert "INVOICE_AMOUNT_WORDS_MISMATCH" not in codes(cloud(total_in_words="人民币陆拾叁万陆仟元整"))


def test_arithmetic_mismatch() -> None:
    assert "INVOICE_ARITHMETIC_MISMATCH" in codes(
        cloud(total_incl_tax="636100.00", total_in_words="陆拾叁万陆仟壹佰圆整", qr=[])
    )
    assert "INVOICE_ARITHMETIC_MISMATCH" in codes(
        cloud(tax_amount="78000.00", total_incl_tax="678000.00", total_in_words="陆拾柒万捌仟圆整", qr=[])
    )
    # a cent of rounding is tolerated
    assert "INVOICE_ARITHMETIC_MISMATCH" not in codes(
        cloud(tax_amount="36000.01", total_incl_tax="636000.01", total_in_words="陆拾叁万陆仟圆零壹分", qr=[])
    )


def test_duplicate_invoice_within_and_across_submissions() -> None:
    twice = run(application(["cloud"]), [invoice(), invoice("invoice_copy.pdf"), contract()])
    assert "DUPLICATE_INVOICE" in codes(twice)
    assert twice.award is not None and twice.award.amount_wan == 10  # counted once, not 127.2万
    other = run(application(["cloud"]), [invoice(), contract()], other={NUMBER: "submissions/2023-017"})
    assert "DUPLICATE_INVOICE" in codes(other)
    assert "submissions/2023-017" in other.findings[0].message
    different = run(
        application(["cloud"]), [invoice(), invoice("b.pdf", invoice_number="24112000000012345679", qr=[]), contract()]
    )
    assert "DUPLICATE_INVOICE" not in codes(different)


def test_a_certificate_claimed_in_another_stored_submission_earns_nothing_again() -> None:
    cert = certificate()
    key = certificate_key(cert)
    assert key is not None
    reused = run(application(["cert"], claimed_award_wan=5), [cert], other={key: "submissions/2023-031"})
    [finding] = [f for f in reused.findings if f.code.value == "DUPLICATE_CERTIFICATE"]
    assert finding.severity == "error" and "submissions/2023-031" in finding.message
    assert reused.award is None or reused.award.amount_wan == 0
    fresh = run(application(["cert"], claimed_award_wan=5), [cert], other={"证书:CMMI:99999": "submissions/2023-031"})
    assert "DUPLICATE_CERTIFICATE" not in codes(fresh) and fresh.award is not None and fresh.award.amount_wan == 5
    unsure = certificate(cert_number=fld("12345", confidence=0.5))
    asked = run(application(["cert"], claimed_award_wan=5), [unsure], other={key: "submissions/2023-031"})
    assert "DUPLICATE_CERTIFICATE" not in codes(asked)
    assert [f.suspected for f in asked.findings if f.code.value == "LOW_CONFIDENCE_FIELD"] == ["DUPLICATE_CERTIFICATE"]


def test_buyer_not_applicant_by_name_or_credit_code() -> None:
    other = cloud(buyer_name="山西别家科技有限公司", buyer_tax_id=code_for("91140300MA0K99999"))
    assert [f.severity for f in other.findings if f.code.value == "BUYER_NOT_APPLICANT"] == ["error"]
    # the applicant's own tax id beside another name: a reviewer checks, nobody is accused
    misread = cloud(buyer_name="山西别家科技有限公司")
    assert [f.severity for f in misread.findings if f.code.value == "BUYER_NOT_APPLICANT"] == ["warning"]
    assert "BUYER_NOT_APPLICANT" in codes(cloud(buyer_tax_id=code_for("91140300MA0K99999")))
    # a legal-form variant of the same enterprise is the applicant
    assert "BUYER_NOT_APPLICANT" not in codes(cloud(buyer_name="山西示例科技有限责任公司"))


def test_contract_party_not_applicant() -> None:
    other = contract(party_a="山西别家科技有限公司")
    assert "CONTRACT_PARTY_NOT_APPLICANT" in codes(run(application(["cloud"]), [invoice(), other]))
    swapped = contract(party_a=ALIYUN, party_b=APPLICANT)
    assert "CONTRACT_PARTY_NOT_APPLICANT" not in codes(run(application(["cloud"]), [invoice(), swapped]))


def test_date_out_of_period() -> None:
    late = cloud(issue_date="2024-01-05", qr=[])
    assert "DATE_OUT_OF_PERIOD" in codes(late)
    assert late.award is not None and late.award.amount_wan == 0
    old = contract(service_start="2021-01-01", service_end="2021-12-31")
    assert "DATE_OUT_OF_PERIOD" in codes(run(application(["cloud"]), [invoice(), old]))
    # signed in 2022 for service in 2023 is in period
    assert "DATE_OUT_OF_PERIOD" not in codes(cloud())


def _investment(rows: list[dict[str, str]], *docs: object) -> Result:
    base = [invoice(), contract(), table(rows)]
    return run(application(["investment"]), [*base, *docs])  # type: ignore[list-item]


def test_table_reconciliation_codes() -> None:
    good = row(1, "HT-2023-001", NUMBER, "636000.00")
    extra_inv = invoice("invoice_02.pdf", invoice_number="24112000000087654321", qr=[])
    assert "INVOICE_NOT_IN_TABLE" in codes(_investment([good], extra_inv))
    extra_con = contract("contract_02.pdf", contract_number="HT-2023-002")
    assert "CONTRACT_NOT_IN_TABLE" in codes(_investment([good], extra_con))
    assert "TABLE_INVOICE_MISSING" in codes(_investment([good, row(2, "", "24112000000011111111", "10.00")]))
    assert "TABLE_CONTRACT_MISSING" in codes(_investment([good, row(2, "HT-2023-099", "", "10.00")]))
    assert "TABLE_AMOUNT_MISMATCH" in codes(_investment([row(1, "HT-2023-001", NUMBER, "663000.00")]))
    # formatting in the table is not a mismatch
    tolerant = _investment([row(1, "ht－2023－001", "２４１１２０００００００１２３４５６７８", "636,000")])
    assert tolerant.findings == []


def test_provider_list_codes() -> None:
    assert "PROVIDER_NOT_ON_LIST" in codes(
        run(
            application(["cloud"]),
            [invoice(seller_name="山西天成科技有限公司"), contract(party_b="山西天成科技有限公司")],
        )
    )
    fuzzy = run(
        application(["cloud"]),
        [invoice(seller_name="阿里云计算有限公司山西分公司"), contract(party_b="阿里云计算有限公司山西分公司")],
    )
    assert "PROVIDER_FUZZY_MATCH" in codes(fuzzy)
    assert "PROVIDER_NOT_ON_LIST" not in codes(fuzzy)
    assert fuzzy.award is not None and fuzzy.award.amount_wan == 10
    assert not codes(cloud()) & {"PROVIDER_NOT_ON_LIST", "PROVIDER_FUZZY_MATCH"}


def test_xinchuang_list() -> None:
    result = run(application(["xinchuang"]), [])
    assert "APPLICANT_NOT_ON_XINCHUANG_LIST" in codes(result)
    listed = run(application(["xinchuang"], applicant={"name": "山西工程技术学院"}), [])
    assert "APPLICANT_NOT_ON_XINCHUANG_LIST" not in codes(listed)
    assert listed.award is not None and listed.award.amount_wan == 30


def test_cloud_fee_and_service_period() -> None:
    plain = cloud(line_items=[{"name": "*软件*财务软件", "amount": "600000.00"}])
    assert "CLOUD_FEE_NOT_ITEMIZED" in codes(plain)
    assert plain.award is not None and plain.award.amount_wan == 0
    short = run(application(["cloud"]), [invoice(), contract(service_end="2023-11-30")])
    assert "SERVICE_PERIOD_TOO_SHORT" in codes(short)
    assert short.award is not None and short.award.amount_wan == 0
    assert not codes(cloud()) & {"CLOUD_FEE_NOT_ITEMIZED", "SERVICE_PERIOD_TOO_SHORT"}


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"holder_name": "山西别家科技有限公司"}, "CERT_HOLDER_NOT_APPLICANT"),
        ({"expiry_date": "2024-03-01"}, "CERT_EXPIRED"),
        ({"issue_date": "2022-03-01"}, "CERT_NOT_IN_POLICY_YEAR"),
        ({"level": 2}, "CERT_LEVEL_NOT_AWARDABLE"),
        ({"cert_type": "ITSS", "level": 4, "scope": "运行维护"}, "CERT_LEVEL_NOT_AWARDABLE"),
        ({"cert_type": "ITSS", "level": 1, "scope": "咨询设计"}, "CERT_LEVEL_NOT_AWARDABLE"),
    ],
)
def test_cert_codes_fire(over: dict[str, Any], code: str) -> None:
    result = run(application(["cert"]), [certificate(**over)])
    assert code in codes(result)
    assert result.award is not None and result.award.amount_wan == 0


def test_cert_codes_silent_on_valid_certificate() -> None:
    result = run(application(["cert"]), [certificate(expiry_date="2024-05-20")])  # valid on the day itself
    assert not {c for c in codes(result) if c.startswith("CERT_")}


def test_award_claim_mismatch() -> None:
    result = run(application(["cloud"], claimed_award_wan=20), [invoice(), contract()])
    assert "AWARD_CLAIM_MISMATCH" in codes(result)
    assert "10" in result.findings[-1].message
    assert "AWARD_CLAIM_MISMATCH" not in codes(
        run(application(["cloud"], claimed_award_wan=10), [invoice(), contract()])
    )
    assert "AWARD_CLAIM_MISMATCH" not in codes(run(application(["cloud"]), [invoice(), contract()]))


def test_unsure_amount_words_that_disagree_are_a_warning_not_an_accusation() -> None:
    result = cloud(total_in_words=fld("陆拾叁万柒仟圆整", confidence=0.45))
    assert "INVOICE_AMOUNT_WORDS_MISMATCH" not in codes(result)
    asks = [f for f in result.findings if f.suspected == "INVOICE_AMOUNT_WORDS_MISMATCH"]
    assert [(f.code.value, f.severity) for f in asks] == [("LOW_CONFIDENCE_FIELD", "warning")]
    assert "total_in_words" in asks[0].fields and "0.45" in asks[0].message


def test_reader_glued_tax_id_does_not_change_the_name() -> None:
    result = cloud(buyer_name=APPLICANT + "91140300MA0K123459", seller_name=ALIYUN + "918031")
    assert not codes(result) & {"BUYER_NOT_APPLICANT", "PROVIDER_NOT_ON_LIST"}


def _recorded(doc: Document, qr: dict[str, Any]) -> Document:
    return doc.model_copy(update={"checks": ExtractionChecks.model_validate({"qr": qr})})


def test_qr_mismatch_recorded_by_the_extractor() -> None:
    """The extractor lets the QR values win and keeps the printed ones in ``Document.checks``."""
    doc = invoice()
    record: dict[str, Any] = {"payload": "01,10,...", "status": "mismatch", "mismatches": {}}
    date = {"issue_date": {"printed": "2023-02-26", "printed_source": "text_layer", "qr": "2023-02-05"}}
    text_layer = _recorded(doc, {**record, "mismatches": date})
    assert "INVOICE_QR_MISMATCH" in codes(run(application(["cloud"]), [text_layer, contract()]))
    number = {
        "invoice_number": {
            "printed": "24112000000012345670",
            "printed_source": "ocr",
            "printed_confidence": 0.5,
            "qr": NUMBER,
        }
    }
    result = run(application(["cloud"]), [_recorded(doc, {**record, "mismatches": number}), contract()])
    assert "INVOICE_QR_MISMATCH" not in codes(result) and "LOW_CONFIDENCE_FIELD" in codes(result)
    agreeing = _recorded(doc, {**record, "status": "match"})
    assert "INVOICE_QR_MISMATCH" not in codes(run(application(["cloud"]), [agreeing, contract()]))


def test_a_reviewers_correction_replaces_the_printed_reading_the_qr_record_kept() -> None:
    date = {"issue_date": {"printed": "2023-02-26", "printed_source": "text_layer", "qr": "2023-02-05"}}
    doc = _recorded(invoice(), {"payload": "01,10,...", "status": "mismatch", "mismatches": date})
    docs = {doc.path: doc}
    apply_correction(docs, doc.path, "issue_date", "2023-02-05")
    assert "INVOICE_QR_MISMATCH" not in codes(run(application(["cloud"]), [docs[doc.path], contract()]))
    apply_correction(docs, doc.path, "issue_date", "2023-02-27")  # a correction that still disagrees
    assert "INVOICE_QR_MISMATCH" in codes(run(application(["cloud"]), [docs[doc.path], contract()]))


def test_wrong_printed_total_is_an_arithmetic_fault_not_also_a_qr_one() -> None:
    doc = invoice(total_incl_tax="637000.00", total_in_words="陆拾叁万柒仟圆整")
    record = {
        "payload": "01,32,...",
        "status": "mismatch",
        "amount_mismatch": {"qr": "636000.00", "amount_excl_tax": "600000.00", "total_incl_tax": "637000.00"},
    }
    result = run(application(["cloud"]), [_recorded(doc, record), contract()])
    assert "INVOICE_ARITHMETIC_MISMATCH" in codes(result)
    assert "INVOICE_QR_MISMATCH" not in codes(result)


def test_claim_is_only_questioned_when_evidence_is_unconfirmed() -> None:
    result = run(application(["cert"], claimed_award_wan=5), [certificate(issue_date=None)])
    claim = [f for f in result.findings if f.code.value == "AWARD_CLAIM_MISMATCH"]
    assert [f.severity for f in claim] == ["warning"]


def test_dates_of_supporting_invoices_do_not_matter_for_a_certificate_claim() -> None:
    old = invoice(issue_date="2021-03-01", qr=[])
    assert "DATE_OUT_OF_PERIOD" not in codes(run(application(["cert"]), [certificate(), old]))


def test_undecodable_file_names_become_valid_utf8() -> None:
    name = b"\xb7\xa2\xc6\xb1-\xff.pdf".decode("utf-8", "surrogateescape")
    result = run(application(["cloud"]), [invoice(), contract()], unreadable=[(name, "损坏")])
    text = result.model_dump_json()
    text.encode("utf-8")  # would raise on a surrogate
    assert result.findings[0].documents[0].endswith("-\ufffd.pdf")
