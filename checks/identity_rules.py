"""The buyer verdict: name and credit code weighed together, and the applicant's own mistyped code.

Name within OCR look-alikes + equal tax id → the same party; equal name + a tax id one look-alike
apart on a scan → ask the reviewer; both different → the accusation, through ``checks.gate.decide``
so it stands only on confident readings. When application.yaml's credit code fails its check
character but every invoice's buyer tax id is one valid code one character away, that is one
finding about the application, not one accusation per invoice. Where application.yaml gives no
credit code, the applicant's own business licence, read surely, gives it (``applicant_code``).
"""

from __future__ import annotations

from checks.base import Context, Read, make, party_name
from checks.gate import Basis, decide, field_basis, rests_on, value_basis
from extractors.fields.credit_code import is_valid
from matchers.party import CodeComparison, NameComparison, compare_names, one_char_apart
from matchers.reconcile import clean_text
from models.document import Document
from models.findings import Finding, FindingCode


def field_source(doc: Document, name: str) -> str | None:
    """How the field was read: its own source, else the document's text source."""
    item = doc.fields.get(name)
    return (item.source if item is not None else None) or doc.text_source


def compare_party(ctx: Context, doc: Document, name: str, value: object) -> NameComparison:
    """The field's name against the applicant's, cleaned of glued tax ids, weighed by how it was read."""
    return party_against(doc, name, value, ctx.applicant)


def party_against(doc: Document, name: str, value: object, applicant: str) -> NameComparison:
    """``compare_party`` without a context: what ``evidence eval`` tallies the identity verdicts by."""
    return compare_names(party_name(value), applicant, field_source(doc, name))


def licence_code(ctx: Context) -> tuple[str, Document] | None:
    """The credit code on the applicant's business licence, when every sure reading gives one valid code.

    Only a licence whose name is the applicant's counts, with name and code both read at the policy's
    confidence and the code passing its check character: a doubtful licence identifies no one.
    """
    found: dict[str, Document] = {}
    for doc in ctx.of_type("business_licence"):
        name, code = doc.fields.get("company_name"), doc.fields.get("credit_code")
        if name is None or code is None or not name.value or not code.value:
            continue
        value = clean_text(code.value).upper()
        if ctx.reliable(name) and ctx.reliable(code) and is_valid(value) and ctx.is_applicant(name.value):
            found.setdefault(value, doc)
    return next(iter(found.items())) if len(found) == 1 else None


def applicant_code(ctx: Context) -> tuple[str, Basis] | None:
    """The applicant's credit code and where it comes from: application.yaml, else its own licence."""
    declared = ctx.application.applicant.credit_code
    if declared:
        return clean_text(declared), value_basis("application.yaml", "applicant.credit_code", declared)
    licence = licence_code(ctx)
    if licence is None:
        return None
    code, doc = licence
    return code, field_basis(doc, "credit_code")


def applicant_basis(ctx: Context, *, code: bool = False) -> list[Basis]:
    out = [value_basis("application.yaml", "applicant.name", ctx.applicant)]
    known = applicant_code(ctx) if code else None
    if known is not None:
        out.append(known[1])
    return out


def without_asks(found: list[Finding], fields: set[str]) -> list[Finding]:
    """Drop ``ctx.read``'s low-confidence notes for ``fields``: ``decide`` asks about them itself."""
    return [f for f in found if not (f.code == FindingCode.LOW_CONFIDENCE_FIELD and set(f.fields) <= fields)]


def tax_id(ctx: Context, doc: Document, name: str, out: list[Finding]) -> Read | None:
    """The tax id reading, when the document has one and the applicant's code is known."""
    if doc.fields.get(name) is None or applicant_code(ctx) is None:
        return None
    return ctx.read(doc, name, "申报单位身份核对", out)


def effective_credit_code(ctx: Context) -> tuple[str, list[Finding]]:
    """The code to compare buyers with, and the one finding when the application's code is a typo."""
    known = applicant_code(ctx)
    mine = known[0] if known is not None else ""
    if len(mine) != 18 or is_valid(mine):
        return mine, []
    reads = [(d, d.fields.get("buyer_tax_id")) for d in ctx.of_type("invoice")]
    values = {clean_text(f.value) for _, f in reads if f is not None and f.value}
    if not reads or any(f is None or not ctx.reliable(f) for _, f in reads) or len(values) != 1:
        return mine, []
    theirs = values.pop()
    position = one_char_apart(theirs, mine)
    if position is None or not is_valid(theirs):
        return mine, []
    docs = [d for d, _ in reads]
    finding = make(
        FindingCode.INVALID_CREDIT_CODE,
        "warning",
        f"申报书中的统一社会信用代码 {mine} 校验位错误，而全部 {len(docs)} 张发票的购买方税号均为 {theirs}"
        f"（校验通过，仅第{position + 1}位不同：{mine[position]} / {theirs[position]}），"
        "疑为申报书填写错误，请核对申报单位的信用代码；发票购买方按该税号核对",
        ["application.yaml", *docs],
        ["applicant.credit_code", "buyer_tax_id"],
        rests_on=[b.as_reading() for d in docs for b in rests_on(d, "buyer_tax_id")],
        application_code=mine,
        invoice_code=theirs,
        position=position + 1,
    )
    return theirs, [finding]


def buyer_verdict(
    ctx: Context, doc: Document, names: NameComparison, codes: CodeComparison | None, found: list[Finding]
) -> list[Finding]:
    """What one invoice's buyer says about the applicant, given how name and tax id compare."""
    tax = doc.fields.get("buyer_tax_id")
    tax_text = tax.value if tax is not None else ""
    if names.same and (codes is None or codes.outcome == "equal"):
        return found
    if names.same and codes is not None:
        where = f"第{codes.position}位" if codes.position else "多处"
        kind = "疑为扫描识别的形近字" if codes.outcome == "lookalike" else "与名称所指不一致"
        message = (
            f"{doc.path}：购买方名称与申报单位「{ctx.applicant}」一致，但购买方税号 {tax_text} 与申报单位信用代码"
            f"{where}不同（{kind}），请人工核对票面税号"
        )
        detail = rests_on(doc, "buyer_name", "buyer_tax_id")
        return [*found, _ask(doc, message, detail, exclude=codes.outcome != "lookalike")]
    if codes is not None and codes.outcome != "different":
        message = (
            f"{doc.path}：购买方名称「{doc.field_value('buyer_name')}」与申报单位「{ctx.applicant}」不符，"
            f"但购买方税号 {tax_text} 与申报单位一致，请人工核对票面"
        )
        return [*found, _ask(doc, message, rests_on(doc, "buyer_name", "buyer_tax_id"), exclude=False)]
    reasons = [f"购买方名称「{doc.field_value('buyer_name')}」与申报单位「{ctx.applicant}」不符（{names.reason}）"]
    fields = ["buyer_name"]
    if codes is not None:
        reasons.append(f"购买方税号 {tax_text} 与申报单位信用代码不符")
        fields.append("buyer_tax_id")
    basis = [*rests_on(doc, *fields), *applicant_basis(ctx, code=codes is not None)]
    message = f"{doc.path}：" + "；".join(reasons)
    verdict = decide(ctx, FindingCode.BUYER_NOT_APPLICANT, message, [doc], basis, refutes=[doc.path])
    return [*without_asks(found, set(fields)), verdict]


def _ask(doc: Document, message: str, basis: list[Basis], *, exclude: bool) -> Finding:
    return make(
        FindingCode.BUYER_NOT_APPLICANT,
        "warning",
        message,
        [doc],
        ["buyer_name", "buyer_tax_id"],
        rests_on=[b.as_reading() for b in basis],
        excludes=[doc.path] if exclude else [],
    )
