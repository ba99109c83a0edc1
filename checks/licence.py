"""营业执照: is the licence the applicant's? Its name and 统一社会信用代码 against application.yaml.

The licence is the evidence that the declared identity is right, so a licence of another company is
an error, but only when its name and code were both read with confidence and the code passes its
check character (``checks.gate.decide``). When one reading agrees with the applicant and the other
does not, the licence contradicts itself or the declaration (a renamed company, a mistyped code):
the reviewer is asked which.
"""

from __future__ import annotations

from checks.base import Context, make
from checks.gate import decide, field_basis
from extractors.fields.credit_code import is_valid
from matchers.reconcile import clean_text
from models.document import Document
from models.findings import Finding, FindingCode

_PURPOSE = "营业执照是否为申报单位"


def check_licences(ctx: Context) -> list[Finding]:
    """LICENCE_NOT_APPLICANT for each licence naming another company (or a question when unsure)."""
    out: list[Finding] = []
    for doc in ctx.of_type("business_licence"):
        out += _check_one(ctx, doc)
    return out


def _check_one(ctx: Context, doc: Document) -> list[Finding]:
    name = str(doc.field_value("company_name") or "")
    code = clean_text(doc.field_value("credit_code") or "").upper()
    mine = clean_text(ctx.application.applicant.credit_code or "").upper()
    if not name and not code:
        found: list[Finding] = []
        ctx.read(doc, "company_name", _PURPOSE, found)
        return found
    name_differs = bool(name) and not ctx.is_applicant(name)
    code_differs = bool(code and mine) and code != mine
    if not name_differs and not code_differs:
        return []
    name_agrees = bool(name) and not name_differs
    code_agrees = bool(code and mine) and not code_differs
    if name_differs and code_agrees:
        return [
            _question(
                doc,
                f"营业执照名称「{name}」与申报单位「{ctx.applicant}」不符，但统一社会信用代码 {code} "
                "与申报信息一致，请核对是否更名或名称识别有误",
            )
        ]
    if code_differs and name_agrees:
        return [
            _question(
                doc,
                f"营业执照名称与申报单位一致，但统一社会信用代码 {code} 与申报信息 {mine} 不同，"
                "请核对申报信息中的信用代码与营业执照原件",
            )
        ]
    shown = f"「{name or '（未识别）'}」（统一社会信用代码 {code or '未识别'}）"
    declared = f"「{ctx.applicant}」" + (f"（{mine}）" if mine else "")
    basis = [
        field_basis(doc, "company_name"),
        field_basis(doc, "credit_code", contradicted=bool(code) and not is_valid(code)),
    ]
    message = f"{doc.path} 营业执照登记的企业{shown}不是申报单位{declared}"
    return [decide(ctx, FindingCode.LICENCE_NOT_APPLICANT, message, [doc], basis)]


def _question(doc: Document, text: str) -> Finding:
    return make(
        FindingCode.LICENCE_NOT_APPLICANT,
        "warning",
        f"{doc.path}：{text}",
        [doc],
        ["company_name", "credit_code"],
    )
