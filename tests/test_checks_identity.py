"""The applicant's identity: buyer, contract parties and certificate holder, name and credit code together.

A look-alike in a name is ink on a scan and a different name on a text layer; the credit code is
the stronger key; an accusation stands only on confident readings and names what it rests on.
"""

from __future__ import annotations

from typing import Any

from extractors.fields.credit_code import check_character
from models import Result
from models.document import Document, ExtractedField, FieldSource
from models.geometry import BBox
from tests.test_checks_builders import (
    APPLICANT_CODE,
    application,
    certificate,
    codes,
    contract,
    fld,
    invoice,
    make_doc,
    run,
)

MENG = "盂县天成科技有限公司"  # the applicant; OCR reads 盂 as 孟
MISREAD = "孟县天成科技有限公司"
OTHER = "山西宏远商贸有限公司"
OTHER_CODE = "91140100MA0H98765" + check_character("91140100MA0H98765")


def read(value: Any, source: FieldSource, confidence: float = 0.99) -> ExtractedField:
    return ExtractedField(
        value=value, confidence=confidence, page=1, bbox=BBox.model_validate([1, 1, 9, 9]), source=source
    )


def cloud(app_over: dict[str, Any] | None = None, *docs_over: dict[str, Any]) -> Result:
    app = application(["cloud"], applicant={"name": MENG, "credit_code": APPLICANT_CODE, **(app_over or {})})
    invoices = [invoice(f"invoice_{i}.pdf", **over) for i, over in enumerate(docs_over or ({},))]
    return run(app, [*invoices, contract(party_a=read(MENG, "text_layer"))])


def buyer_findings(result: Result) -> list[Any]:
    return [f for f in result.findings if f.code.value == "BUYER_NOT_APPLICANT"]


def test_lookalike_name_with_equal_tax_id_on_a_scan_is_the_same_party() -> None:
    result = cloud(None, {"buyer_name": read(MISREAD, "ocr"), "buyer_tax_id": read(APPLICANT_CODE, "ocr")})
    assert buyer_findings(result) == []


def test_lookalike_name_on_a_scan_without_a_tax_id_is_not_accused() -> None:
    result = cloud({"credit_code": None}, {"buyer_name": read(MISREAD, "ocr"), "buyer_tax_id": None})
    assert "BUYER_NOT_APPLICANT" not in codes(result)


def test_lookalike_name_on_a_text_layer_is_another_name() -> None:
    result = cloud({"credit_code": None}, {"buyer_name": read(MISREAD, "text_layer"), "buyer_tax_id": None})
    [finding] = buyer_findings(result)
    assert finding.severity == "error"


def test_equal_name_and_tax_id_one_lookalike_apart_on_a_scan_asks() -> None:
    misread = APPLICANT_CODE[:10] + ("O" if APPLICANT_CODE[10] == "0" else "0") + APPLICANT_CODE[11:]
    result = cloud(None, {"buyer_name": read(MENG, "ocr"), "buyer_tax_id": read(misread, "ocr")})
    [finding] = buyer_findings(result)
    assert finding.severity == "warning"
    assert "第11位" in finding.message


def test_both_different_and_confident_is_the_accusation_with_its_basis() -> None:
    result = cloud(None, {"buyer_name": read(OTHER, "text_layer"), "buyer_tax_id": read(OTHER_CODE, "text_layer")})
    [finding] = buyer_findings(result)
    assert finding.severity == "error"
    basis = {b.field: b for b in finding.rests_on}
    assert basis["buyer_name"].value == OTHER
    assert basis["buyer_name"].source == "text_layer"
    assert basis["buyer_name"].confidence == 0.99
    assert basis["buyer_tax_id"].value == OTHER_CODE


def test_both_different_but_unsure_only_asks() -> None:
    result = cloud(None, {"buyer_name": read(OTHER, "ocr", 0.5), "buyer_tax_id": read(OTHER_CODE, "ocr", 0.5)})
    assert all(f.severity != "error" for f in result.findings if f.documents == ["invoice_0.pdf"])
    assert "LOW_CONFIDENCE_FIELD" in codes(result)


def test_mistyped_application_code_is_one_finding_not_one_per_invoice() -> None:
    typo = APPLICANT_CODE[:5] + ("7" if APPLICANT_CODE[5] != "7" else "8") + APPLICANT_CODE[6:]
    one, two = {"invoice_number": "1" * 20, "buyer_name": MENG}, {"invoice_number": "2" * 20, "buyer_name": MENG}
    result = cloud({"credit_code": typo}, one, two)
    assert buyer_findings(result) == []
    notes = [f for f in result.findings if f.code.value == "INVALID_CREDIT_CODE" and "全部 2 张发票" in f.message]
    assert len(notes) == 1
    assert notes[0].details["invoice_code"] == APPLICANT_CODE


def test_contract_party_lookalike_on_a_scan_is_the_applicant() -> None:
    app = application(["cloud"], applicant={"name": MENG, "credit_code": APPLICANT_CODE})
    result = run(app, [invoice(buyer_name=MENG), contract(party_a=read(MISREAD, "ocr"))])
    assert "CONTRACT_PARTY_NOT_APPLICANT" not in codes(result)


def test_contract_party_different_on_a_text_layer_is_accused() -> None:
    app = application(["cloud"], applicant={"name": MENG, "credit_code": APPLICANT_CODE})
    result = run(app, [invoice(buyer_name=MENG), contract(party_a=read(OTHER, "text_layer"))])
    [finding] = [f for f in result.findings if f.code.value == "CONTRACT_PARTY_NOT_APPLICANT"]
    assert finding.severity == "error"
    assert {b.field for b in finding.rests_on} >= {"party_a", "party_b", "applicant.name"}


def test_cert_holder_lookalike_on_a_scan_passes_and_a_different_holder_is_accused() -> None:
    app = application(["cert"], applicant={"name": MENG, "credit_code": APPLICANT_CODE})
    scanned = run(app, [certificate(holder_name=read(MISREAD, "ocr"))])
    assert "CERT_HOLDER_NOT_APPLICANT" not in codes(scanned)
    other = run(app, [certificate(holder_name=read(OTHER, "text_layer"))])
    [finding] = [f for f in other.findings if f.code.value == "CERT_HOLDER_NOT_APPLICANT"]
    assert finding.severity == "error"
    assert finding.rests_on[0].value == OTHER


def licence(name: str = MENG, code: str = APPLICANT_CODE, confidence: float = 0.99) -> Document:
    return make_doc("licence.jpg", "business_licence", {"company_name": fld(name, confidence), "credit_code": code})


def without_code(*docs: Document) -> Result:
    app = application(["cloud"], applicant={"name": MENG, "credit_code": None})
    buyer = invoice(buyer_name=read(MENG, "text_layer"), buyer_tax_id=read(OTHER_CODE, "text_layer"))
    return run(app, [buyer, contract(party_a=read(MENG, "text_layer")), *docs])


def test_applicants_licence_gives_the_credit_code_application_yaml_lacks() -> None:
    [finding] = buyer_findings(without_code(licence()))
    assert finding.severity == "warning" and OTHER_CODE in finding.message
    assert buyer_findings(without_code()) == []  # no code known: the buyer is judged by its name alone


def test_a_doubtful_or_foreign_licence_identifies_no_one() -> None:
    assert buyer_findings(without_code(licence(confidence=0.5))) == []
    broken = APPLICANT_CODE[:-1] + ("1" if APPLICANT_CODE[-1] == "0" else "0")  # fails its check character
    assert buyer_findings(without_code(licence(code=broken))) == []
    assert buyer_findings(without_code(licence(name=OTHER, code=OTHER_CODE))) == []


def test_buyer_accused_on_the_licence_code_names_the_licence_as_its_basis() -> None:
    app = application(["cloud"], applicant={"name": MENG, "credit_code": None})
    buyer = invoice(buyer_name=read(OTHER, "text_layer"), buyer_tax_id=read(OTHER_CODE, "text_layer"))
    result = run(app, [buyer, contract(party_a=read(MENG, "text_layer")), licence()])
    [finding] = buyer_findings(result)
    assert finding.severity == "error"
    basis = {(b.path, b.field): b for b in finding.rests_on}
    assert basis[("licence.jpg", "credit_code")].value == APPLICANT_CODE
