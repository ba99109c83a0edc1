"""Stamps: a document the policy expects to be stamped carries one, and it names the right company.

An old-style invoice bears its seller's 发票专用章; a scanned contract its parties' 合同专用章 or
公章. A seal naming someone else is the mark of a borrowed or forged document, but arc text is read
through a polar unwarp: the accusation (error) needs the seal read at the policy's confidence and a
reliable name to compare with; otherwise the reviewer is asked to compare the stamp.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from checks.base import Context, make
from checks.gate import Basis, rests_on
from extractors.fields.credit_code import is_valid
from extractors.seals.bureau import is_bureau_seal
from matchers.reconcile import clean_text
from models.document import Document, Seal
from models.findings import Evidence, Finding, FindingCode

_OLD_STYLE_NUMBER = re.compile(r"^\d{8}$")


def check_seals(ctx: Context) -> list[Finding]:
    rules = ctx.policy.seals
    out: list[Finding] = []
    for doc in ctx.of_type("invoice"):
        if rules.invoices and _paper_invoice(doc) and _searched(doc) and not party_seals(doc):
            out.append(_missing(doc, "发票", "销售方发票专用章"))
        out += _mismatches(ctx, doc, ["seller_name"], "销售方", code_field="seller_tax_id")
    for doc in ctx.of_type("contract"):
        if rules.contracts and doc.text_source in ("ocr", "mixed") and _searched(doc) and not party_seals(doc):
            out.append(_missing(doc, "合同", "合同专用章或公章"))
        out += _mismatches(ctx, doc, ["party_a", "party_b"], "合同当事方")
    return out


def _paper_invoice(doc: Document) -> bool:
    """An old-style invoice (8-digit number) read from a page image or PDF, not from OFD/XML."""
    if doc.text_source in ("ofd", "xml", "table", "none"):
        return False
    number = str(doc.field_value("invoice_number") or "").strip()
    return bool(_OLD_STYLE_NUMBER.match(number))


def _searched(doc: Document) -> bool:
    """Stamps were looked for on a colour image of the page: a grey copy cannot show a red one."""
    search = doc.checks.seal_search
    return search is not None and bool(search.pages)


def party_seals(doc: Document) -> list[Seal]:
    """Seals a party puts on: not the tax bureau's 监制章 printed on every old-style invoice form, and
    not an unnamed stamp of no known kind."""
    pages = {p.number: p for p in doc.pages} if doc.doc_type == "invoice" else {}
    return [s for s in doc.seals if (s.kind != "other" or s.names) and not is_bureau_seal(s, pages.get(s.page))]


MISREAD_SIMILARITY = 0.6
"""Arc text shares at least this much with a party's name: taken as a misreading of it (dropped or
look-alike characters, measured on the corpus and the real invoices), not as another company."""


def _misread_of(names: list[str], parties: list[str]) -> bool:
    return any(SequenceMatcher(None, n, p).ratio() >= MISREAD_SIMILARITY for n in names for p in parties)


def _basis(doc: Document, fields: list[str], seal: Seal) -> list[Basis]:
    """The printed party readings and the stamp's reading a seal verdict stands on."""
    box = (seal.bbox.x0, seal.bbox.y0, seal.bbox.x1, seal.bbox.y1) if seal.bbox is not None else None
    stamp = Basis(doc.path, "seal", "、".join(seal.names), seal.confidence, "ocr", seal.page, box)
    return [*rests_on(doc, *fields), stamp]


def _missing(doc: Document, what: str, seal: str) -> Finding:
    return make(
        FindingCode.SEAL_MISSING,
        "warning",
        f"{doc.path}：该{what}未发现{seal}，请核对原件是否加盖印章",
        [doc],
    )


def _mismatches(
    ctx: Context, doc: Document, fields: list[str], role: str, code_field: str | None = None
) -> list[Finding]:
    """Seals naming none of the parties. An error needs two agreeing readings: the name read surely
    and a valid credit code on the stamp that differs from the party's printed one; a stamp whose
    code is the party's own is the party's, whatever the arc reader made of the name."""
    parties = {name: doc.fields[name] for name in fields if doc.fields.get(name) and doc.fields[name].value}
    if not parties:
        return []
    printed = doc.fields.get(code_field) if code_field else None
    printed_code = clean_text(printed.value) if printed is not None and printed.value else ""
    out: list[Finding] = []
    for seal in party_seals(doc):
        if not seal.names or any(ctx.same(n, p.value) for n in seal.names for p in parties.values()):
            continue
        code = seal.credit_code or ""
        if code and code == printed_code:
            continue
        # an invalid printed code is a misprint or a misreading: it cannot show that the stamp differs
        code_differs = (
            printed is not None
            and ctx.reliable(printed)
            and is_valid(printed_code)
            and is_valid(code)
            and code != printed_code
        )
        if not code_differs and _misread_of(seal.names, [str(p.value) for p in parties.values()]):
            continue
        sure = (
            code_differs
            and seal.confidence >= ctx.policy.confidence_threshold
            and all(ctx.reliable(p) for p in parties.values())
        )
        shown = "、".join(f"「{p.value}」" for p in parties.values())
        named = "、".join(f"「{n}」" for n in seal.names)
        message = (
            f"{doc.path} 第 {seal.page} 页印章上的单位名称 {named} 与{role} {shown} 不一致"
            if sure
            else f"{doc.path} 第 {seal.page} 页印章识别为 {named}，与{role} {shown} 似不一致"
            f"（印章识别置信度 {seal.confidence:.2f}），请人工比对印章"
        )
        finding = make(
            FindingCode.SEAL_NAME_MISMATCH,
            "error" if sure else "warning",
            message,
            [doc],
            list(parties),
            seal_names=seal.names,
            seal_text=seal.text,
            seal_confidence=seal.confidence,
            rests_on=[b.as_reading() for b in _basis(doc, [*parties, *([code_field] if code_field else [])], seal)],
            refutes=[doc.path] if sure else [],
        )
        finding.evidence.append(Evidence(path=doc.path, page=seal.page, bbox=seal.bbox))
        out.append(finding)
    return out
