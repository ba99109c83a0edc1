"""Is the submission complete and readable: unreadable files, unknown types, missing document types."""

from __future__ import annotations

from checks.base import Context, make
from models.findings import Finding, FindingCode

DOC_TYPE_LABELS = {
    "invoice": "发票",
    "certificate": "资质证书",
    "contract": "合同",
    "detail_table": "投资明细表",
    "unknown": "未知类型文件",
}


def check_unreadable(unreadable: list[tuple[str, str]]) -> list[Finding]:
    """One error per file the readers gave up on, with their reason."""
    return [
        make(FindingCode.UNREADABLE_DOCUMENT, "error", f"{path} 无法读取：{reason}", [path], reason=reason)
        for path, reason in unreadable
    ]


def check_documents(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for doc in ctx.of_type("unknown"):
        out.append(
            make(
                FindingCode.UNKNOWN_DOCUMENT_TYPE,
                "warning",
                f"{doc.path} 无法识别为发票、合同、证书或投资明细表，请人工确认其内容",
                [doc],
            )
        )
    present = {d.doc_type for d in ctx.documents}
    for clause in ctx.application.clauses:
        rules = ctx.policy.clauses.get(clause)
        if rules is None:
            continue
        for needed in rules.required_documents:
            if needed not in present:
                out.append(
                    make(
                        FindingCode.MISSING_REQUIRED_DOCUMENT,
                        "error",
                        f"申报「{rules.title}」须提交{DOC_TYPE_LABELS.get(needed, needed)}，本次申报材料中未找到",
                        [],
                        clause=clause,
                        doc_type=needed,
                    )
                )
    return out
