"""LICENCE_NOT_APPLICANT: an error only on a confident, check-digit-valid licence of another company;
a question to the reviewer when a reading is unsure or the licence's two identities disagree."""

from __future__ import annotations

from typing import Any

from checks.base import Context
from checks.licence import check_licences
from checks.policy import load_policy
from models import Document, Finding
from tests.test_checks_builders import (
    APPLICANT,
    APPLICANT_CODE,
    application,
    certificate,
    code_for,
    fld,
    make_doc,
    matching,
    run,
)

OTHER = "太原另一科技有限公司"
OTHER_CODE = code_for("91140100MA0L54321")


def licence(**over: Any) -> Document:
    fields: dict[str, Any] = {
        "company_name": APPLICANT,
        "credit_code": APPLICANT_CODE,
        "legal_representative": "张三",
        "registered_capital": "人民币壹佰万元",
        "established_date": "2017-09-29",
        "valid_until": "长期",
        "address": "山西省阳泉市城区桃北西街1号",
        "issue_date": "2019-07-25",
    }
    fields.update(over)
    return make_doc("licence.jpg", "business_licence", {k: v for k, v in fields.items() if v is not None})


def findings(doc: Document, **app: Any) -> list[Finding]:
    a = application(["cert"], **app)
    ctx = Context(application=a, policy=load_policy(a.policy), documents=[doc], matching=matching(a.policy))
    return check_licences(ctx)


def test_applicants_own_licence_passes() -> None:
    assert findings(licence()) == []
    assert run(application(["cert"], claimed_award_wan=5), [certificate(), licence()]).status == "pass"


def test_confident_licence_of_another_company_is_an_error() -> None:
    [f] = findings(licence(company_name=OTHER, credit_code=OTHER_CODE))
    assert f.code == "LICENCE_NOT_APPLICANT" and f.severity == "error"
    assert OTHER in f.message and APPLICANT in f.message
    rested = {d.field: d for d in f.rests_on}
    assert rested["company_name"].value == OTHER and rested["credit_code"].value == OTHER_CODE
    assert f.evidence and all(e.bbox is not None for e in f.evidence)


def test_another_company_without_a_declared_code_is_still_an_error() -> None:
    [f] = findings(licence(company_name=OTHER, credit_code=OTHER_CODE), applicant={"name": APPLICANT})
    assert f.code == "LICENCE_NOT_APPLICANT" and f.severity == "error"


def test_unsure_name_is_a_question_not_an_accusation() -> None:
    [f] = findings(licence(company_name=fld(OTHER, confidence=0.5), credit_code=OTHER_CODE))
    assert f.severity == "warning" and f.code == "LOW_CONFIDENCE_FIELD"
    assert f.suspected == "LICENCE_NOT_APPLICANT" and "company_name" in f.fields


def test_code_failing_its_check_character_is_a_question() -> None:
    bad = OTHER_CODE[:-1] + ("0" if OTHER_CODE[-1] != "0" else "1")
    [f] = findings(licence(company_name=OTHER, credit_code=bad))
    assert f.severity == "warning" and f.suspected == "LICENCE_NOT_APPLICANT"
    assert "credit_code" in f.fields


def test_unread_code_is_a_question() -> None:
    [f] = findings(licence(company_name=OTHER, credit_code=None))
    assert f.severity == "warning" and f.code == "MISSING_FIELD"


def test_name_and_code_disagreeing_ask_the_reviewer() -> None:
    [renamed] = findings(licence(company_name=OTHER))
    assert renamed.code == "LICENCE_NOT_APPLICANT" and renamed.severity == "warning"
    assert "更名" in renamed.message
    [mistyped] = findings(licence(credit_code=OTHER_CODE))
    assert mistyped.code == "LICENCE_NOT_APPLICANT" and mistyped.severity == "warning"
    assert OTHER_CODE in mistyped.message and APPLICANT_CODE in mistyped.message


def test_lookalike_name_with_matching_code_is_not_an_error() -> None:
    name = APPLICANT.replace("示例", "示列")
    assert all(f.severity != "error" for f in findings(licence(company_name=name)))


def test_error_reaches_the_result() -> None:
    result = run(application(["cert"]), [certificate(), licence(company_name=OTHER, credit_code=OTHER_CODE)])
    assert any(f.code == "LICENCE_NOT_APPLICANT" and f.severity == "error" for f in result.findings)
    assert result.status == "flagged"
