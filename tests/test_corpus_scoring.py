"""The scorer on hand-made truth/prediction pairs: what counts as right, wrong, missing, false."""

from __future__ import annotations

from pathlib import Path

from sample_docs.scoring import DocPrediction, PredictedField, SubmissionPrediction, normalise, score
from sample_docs.truth import DocTruth, ExpectedFinding, SubmissionTruth

ALL = frozenset(
    {
        "INVOICE_QR_MISMATCH",
        "BUYER_NOT_APPLICANT",
        "LOW_CONFIDENCE_FIELD",
        "MISSING_FIELD",
        "INVOICE_ARITHMETIC_MISMATCH",
    }
)


def _truth(
    expected: tuple[ExpectedFinding, ...] = (),
    allowed: frozenset[str] = frozenset(),
    award: float | None = 10,
    unscored: frozenset[str] = frozenset(),
) -> SubmissionTruth:
    inv = DocTruth(
        "inv.pdf",
        "invoice",
        "ocr",
        "scan",
        {
            "invoice_number": "24142000000012345678",
            "seller_name": "腾讯云计算（北京）有限责任公司",
            "total_incl_tax": "106000.00",
            "line_items": [{"name": "*信息技术服务*云服务费", "amount": "100000.00"}],
            "total_in_words": "壹拾万零陆仟圆整",
        },
        unscored,
    )
    named = {c for e in expected for c in e.accepted}
    return SubmissionTruth(
        "s1",
        Path("."),
        "x",
        "",
        {},
        (inv,),
        expected,
        allowed,
        ALL - named - allowed,
        "flagged" if expected else "pass",
        award,
    )


def _pred(
    fields: dict[str, tuple[object, float]],
    findings: list[tuple[str, str]] | None = None,
    award: float | None = 10,
    status: str = "pass",
) -> SubmissionPrediction:
    doc = DocPrediction("inv.pdf", "invoice", "ocr", {k: PredictedField(v, c) for k, (v, c) in fields.items()})
    return SubmissionPrediction("s1", {"inv.pdf": doc}, findings or [], award, status)


GOOD: dict[str, tuple[object, float]] = {
    "invoice_number": ("24142000000012345678", 0.99),
    "seller_name": ("腾讯云计算(北京)有限责任公司", 0.95),
    "total_incl_tax": ("¥106,000.00", 0.97),
    "line_items": ([{"name": "*信息技术服务*云服务费", "amount": "100000"}], 0.9),
    "total_in_words": ("ⓧ壹拾万零陆仟元整", 0.9),
}


def test_normalisation_keeps_real_differences() -> None:
    assert normalise("seller_name", "腾讯云计算（北京） 有限责任公司") == normalise(
        "seller_name", "腾讯云计算(北京)有限责任公司"
    )
    assert normalise("total_amount", "106,000") == "106000.00"
    assert normalise("invoice_number", "01234567") != normalise("invoice_number", "1234567")
    assert normalise("invoice_number", "01234567", in_table=True) == normalise("invoice_number", 1234567, in_table=True)
    assert normalise("level", "3") == 3
    assert normalise("total_in_words", "壹拾万圆整") != normalise("total_in_words", "壹拾万零陆仟圆整")


def test_all_right() -> None:
    report = score([(_truth(), _pred(GOOD))])
    assert report.field_accuracy.rate == 1.0 and report.field_accuracy.total == 5
    assert report.award.rate == 1.0 and report.status.rate == 1.0
    assert report.calibration == (0, 5)
    assert report.key_invoice_fields()["scan"].total == 2  # invoice_number and total_incl_tax
    assert report.tally_by("render")["scan"].rate == 1.0
    assert report.misses == []


def test_wrong_and_missing_fields_and_calibration() -> None:
    fields = dict(GOOD)
    fields["total_incl_tax"] = ("105000.00", 0.95)  # wrong with high confidence
    del fields["seller_name"]
    report = score([(_truth(), _pred(fields))])
    statuses = {f.name: f.status for f in report.fields}
    assert statuses["total_incl_tax"] == "wrong" and statuses["seller_name"] == "missing"
    assert report.field_accuracy.correct == 3
    assert report.calibration == (1, 4)
    assert report.tally_by("source")["ocr"].correct == 3
    assert len(report.misses) == 2


def test_unscored_fields_are_skipped() -> None:
    fields = dict(GOOD)
    del fields["total_incl_tax"]
    report = score([(_truth(unscored=frozenset({"total_incl_tax"})), _pred(fields))])
    assert report.field_accuracy.total == 4 and report.field_accuracy.rate == 1.0


def test_findings_precision_recall_alternatives_and_allowed() -> None:
    truth = _truth(
        expected=(
            ExpectedFinding("INVOICE_QR_MISMATCH", ("inv.pdf",)),
            ExpectedFinding("LOW_CONFIDENCE_FIELD", alternatives=("MISSING_FIELD",)),
        ),
        award=None,
    )
    found = [("INVOICE_QR_MISMATCH", "error"), ("MISSING_FIELD", "warning"), ("BUYER_NOT_APPLICANT", "error")]
    report = score([(truth, _pred(GOOD, found, award=None, status="flagged"))])
    assert report.codes["INVOICE_QR_MISMATCH"].tp == 1
    assert report.codes["LOW_CONFIDENCE_FIELD"].tp == 1  # satisfied by its alternative
    assert report.codes["BUYER_NOT_APPLICANT"].fp == 1
    assert report.codes["MISSING_FIELD"].fp == 0  # named as an alternative, so not forbidden
    assert report.award.total == 0  # award not scored where the truth leaves it open
    missed = score([(truth, _pred(GOOD, [], award=None, status="pass"))])
    assert missed.codes["INVOICE_QR_MISMATCH"].fn == 1 and missed.finding_totals().recall == 0.0
    assert missed.status.rate == 0.0


def test_clean_submission_false_errors_and_award() -> None:
    truth = _truth(allowed=frozenset({"LOW_CONFIDENCE_FIELD"}))
    found = [("LOW_CONFIDENCE_FIELD", "warning"), ("INVOICE_ARITHMETIC_MISMATCH", "error")]
    report = score([(truth, _pred(GOOD, found, award=5, status="flagged"))])
    assert report.false_errors_on_clean == 1 and report.clean_submissions == 1
    assert report.codes["LOW_CONFIDENCE_FIELD"].fp == 0
    assert report.award.rate == 0.0
    only_allowed = score([(truth, _pred(GOOD, [("LOW_CONFIDENCE_FIELD", "warning")], status="flagged"))])
    assert only_allowed.status.rate == 1.0 and only_allowed.false_errors_on_clean == 0
    no_award = score([(_truth(award=0), _pred(GOOD, award=None))])
    assert no_award.award.rate == 1.0


def test_a_box_agrees_with_the_drawn_value_at_iou_07_on_its_page() -> None:
    from sample_docs.scoring import iou

    drawn = [1, 100.0, 100.0, 300.0, 130.0]
    assert iou(1, (100.0, 100.0, 300.0, 130.0), drawn) == 1.0
    assert iou(1, (100.0, 92.0, 300.0, 138.0), drawn) < 0.7  # the detector's margin above and below
    assert iou(2, (100.0, 100.0, 300.0, 130.0), drawn) == 0.0
    assert iou(1, None, drawn) == 0.0
