"""合同编号、发票票号应与明细表对应: every document has its detail-table row and every row its document."""

from __future__ import annotations

from decimal import Decimal

from checks.base import Context, make
from matchers.reconcile import Reconciliation, TableRow, reconcile
from models.document import Document
from models.findings import Finding, FindingCode


def needs_table(ctx: Context) -> bool:
    """Reconcile when a claimed clause requires a detail table, or one was submitted anyway."""
    if ctx.of_type("detail_table"):
        return True
    return any(
        "detail_table" in rules.required_documents
        for clause in ctx.application.clauses
        if (rules := ctx.policy.clauses.get(clause)) is not None
    )


def run_reconciliation(ctx: Context) -> Reconciliation | None:
    tables = ctx.of_type("detail_table")
    if not tables:
        return None
    return reconcile(
        ctx.of_type("invoice"),
        ctx.of_type("contract"),
        tables,
        tolerance=Decimal(str(ctx.policy.amount_tolerance_yuan)),
    )


def _row_doc(row: TableRow, docs: dict[str, Document]) -> list[Document | str]:
    doc = docs.get(row.source)
    return [doc] if doc is not None else [row.source]


def check_tables(ctx: Context, rec: Reconciliation | None) -> list[Finding]:
    if rec is None or not needs_table(ctx):
        return []
    out: list[Finding] = []
    tables = {d.path: d for d in ctx.of_type("detail_table")}
    by_path = {d.path: d for d in ctx.documents}
    if not rec.rows:
        for doc in tables.values():
            ctx.read(doc, "rows", "发票、合同与明细表的对应关系", out)
        return out
    for path in rec.invoices_not_in_table:
        doc = by_path[path]
        out.append(
            make(
                FindingCode.INVOICE_NOT_IN_TABLE,
                "error",
                f"发票号码 {doc.field_value('invoice_number')}（{path}）未列入投资明细表",
                [doc],
                ["invoice_number"],
            )
        )
    for path in rec.contracts_not_in_table:
        doc = by_path[path]
        out.append(
            make(
                FindingCode.CONTRACT_NOT_IN_TABLE,
                "error",
                f"合同编号 {doc.field_value('contract_number')}（{path}）未列入投资明细表",
                [doc],
                ["contract_number"],
            )
        )
    for row in rec.rows_without_invoice:
        out.append(
            make(
                FindingCode.TABLE_INVOICE_MISSING,
                "error",
                f"投资明细表{row.label}列出的发票号码 {row.data.get('invoice_number')} 没有对应的发票",
                _row_doc(row, tables),
                ["rows"],
                row=row.index,
                invoice_number=row.data.get("invoice_number"),
            )
        )
    for row in rec.rows_without_contract:
        out.append(
            make(
                FindingCode.TABLE_CONTRACT_MISSING,
                "error",
                f"投资明细表{row.label}列出的合同编号 {row.data.get('contract_number')} 没有对应的合同",
                _row_doc(row, tables),
                ["rows"],
                row=row.index,
                contract_number=row.data.get("contract_number"),
            )
        )
    for mm in rec.amount_mismatches:
        doc = by_path[mm.document]
        what = "发票" if mm.field == "total_incl_tax" else "合同"
        out.append(
            make(
                FindingCode.TABLE_AMOUNT_MISMATCH,
                "error",
                f"投资明细表{mm.row.label}金额 {mm.row_amount} 元"
                f"与{what} {mm.document} 的金额 {mm.doc_amount} 元不一致",
                [*_row_doc(mm.row, tables), doc],
                ["rows", mm.field],
                row=mm.row.index,
                row_amount=str(mm.row_amount),
                document_amount=str(mm.doc_amount),
            )
        )
    return out
