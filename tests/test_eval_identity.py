"""evidence eval tallies what the identity findings rest on: each party's comparison with the
applicant, by the product's own comparison, beside the finding its document got."""

from __future__ import annotations

from models import Document, ExtractedField
from models.application import Applicant
from models.findings import Finding, FindingCode
from models.result import Result
from sample_docs.identity import as_nested, identity_verdicts

APPLICANT = "盂县华通科技有限公司"


def _doc(path: str, doc_type: str, source: str, **fields: str) -> Document:
    return Document(
        path=path,
        sha256="0" * 64,
        doc_type=doc_type,  # type: ignore[arg-type]
        text_source=source,  # type: ignore[arg-type]
        fields={k: ExtractedField(value=v, confidence=0.95, source=source) for k, v in fields.items()},  # type: ignore[arg-type]
    )


def test_each_party_is_counted_by_role_outcome_and_the_finding_it_got() -> None:
    documents = [
        _doc("发票_01.jpg", "invoice", "ocr", buyer_name="孟县华通科技有限公司"),  # 孟/盂: ink on a scan
        _doc("发票_02.pdf", "invoice", "text_layer", buyer_name=APPLICANT),
        _doc("合同.pdf", "contract", "text_layer", party_a="太原市别的科技有限公司", party_b="山西另一家有限公司"),
        _doc("合同_2.pdf", "contract", "text_layer", party_a="太原市别的科技有限公司", party_b=APPLICANT),
        _doc("明细.xlsx", "detail_table", "table"),
    ]
    accused = Finding(
        code=FindingCode.CONTRACT_PARTY_NOT_APPLICANT, severity="error", message="…", documents=["合同.pdf"]
    )
    result = Result(
        submission="s", applicant=Applicant(name=APPLICANT), status="flagged", documents=documents, findings=[accused]
    )

    counts = identity_verdicts(result)

    assert as_nested(counts) == {
        "buyer": {"lookalike": {"none": 1}, "same": {"none": 1}},
        "contract_party": {"different": {"error": 1}, "same": {"none": 1}},
    }


def test_on_a_text_layer_the_same_look_alike_is_a_different_name() -> None:
    documents = [_doc("发票_01.pdf", "invoice", "text_layer", buyer_name="孟县华通科技有限公司")]
    result = Result(submission="s", applicant=Applicant(name=APPLICANT), status="pass", documents=documents)

    assert as_nested(identity_verdicts(result)) == {"buyer": {"different": {"none": 1}}}
