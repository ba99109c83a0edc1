"""The data model serialises to the docs/REFERENCE.md shapes (the outside contract's)."""

from models import BBox, Document, ExtractedField, MatchResult, Page


def test_bbox_serialises_as_pixel_list_and_normalises_corners() -> None:
    box = BBox.model_validate([30.4, 40.6, 10, 20])
    dumped: object = box.model_dump()
    assert dumped == [10, 20, 30, 41]
    assert abs(box.width - 20.4) < 1e-9


def test_document_contract_shape_counts_pages_and_full_shape_round_trips() -> None:
    doc = Document(
        path="a.pdf",
        sha256="0" * 64,
        pages=[Page(number=1, width=100, height=200, dpi=200)],
        fields={
            "invoice_number": ExtractedField(value="12", confidence=0.9, page=1, bbox=BBox.model_validate([1, 2, 3, 4]))
        },
    )
    contract = doc.model_dump(mode="json")
    assert contract["pages"] == 1
    assert contract["fields"]["invoice_number"]["bbox"] == [1, 2, 3, 4]
    full = doc.model_dump(mode="json", context={"full": True})
    assert Document.model_validate(full) == doc


def test_match_result_uses_contract_key_list() -> None:
    data = {"query": "q", "normalized": "q", "list": "cloud_providers", "list_version": "1"}
    result = MatchResult.model_validate(data)
    assert result.model_dump()["list"] == "cloud_providers"
    assert result.verdict == "none"


def test_a_stored_finding_with_its_basis_in_details_reads_as_typed_fields() -> None:
    from models.findings import Finding, FindingCode

    stored = {
        "code": "LOW_CONFIDENCE_FIELD",
        "severity": "warning",
        "message": "…",
        "details": {
            "rests_on": [{"path": "发票.pdf", "field": "buyer_name", "value": "某公司", "confidence": 0.6}],
            "suspected": "BUYER_NOT_APPLICANT",
            "excludes": ["发票.pdf"],
            "qr_payload": "01,32,…",
        },
    }
    finding = Finding.model_validate(stored)
    assert finding.suspected == FindingCode.BUYER_NOT_APPLICANT and finding.excludes == ["发票.pdf"]
    assert finding.rests_on[0].field == "buyer_name" and finding.rests_on[0].confidence == 0.6
    assert finding.details == {"qr_payload": "01,32,…"}
    assert Finding.model_validate(finding.model_dump()) == finding


def test_a_stored_document_with_records_of_older_shapes_still_loads() -> None:
    from models import Document

    stored = {
        "path": "发票.pdf",
        "sha256": "0" * 64,
        "checks": {
            "qr": {"payload": "01,32", "status": "mismatch", "mismatches": {"amount": {"qr": "1.00"}}},
            "retired_record": {"anything": 1},
            "arithmetic": {"status": "no longer a status"},
            "line_items": {"status": "match", "sum": "1.00", "amount_excl_tax": "1.00"},
        },
    }
    doc = Document.model_validate(stored)
    assert doc.checks.qr is not None and doc.checks.qr.amount_mismatch is not None
    assert doc.checks.qr.amount_mismatch.qr == "1.00" and doc.checks.arithmetic is None
    assert set(doc.model_dump()["checks"]) == {"qr", "line_items"}
