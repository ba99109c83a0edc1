"""合同编号、发票票号应与明细表对应: every document has its detail-table row and every row its document."""

from __future__ import annotations

from decimal import Decimal

from checks.base import Context
from checks.gate import Basis, decide, field_basis, rests_on
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
    unmatched = [by_path[p] for p in rec.invoices_not_in_table] + [by_path[p] for p in rec.contracts_not_in_table]
    for path in rec.invoices_not_in_table:
        doc = by_path[path]
        out.append(
            decide(
                ctx,
                FindingCode.INVOICE_NOT_IN_TABLE,
                f"发票号码 {doc.field_value('invoice_number')}（{path}）未列入投资明细表",
                [doc],
                rests_on(doc, "invoice_number"),
            )
        )
    for path in rec.contracts_not_in_table:
        doc = by_path[path]
        out.append(
            decide(
                ctx,
                FindingCode.CONTRACT_NOT_IN_TABLE,
                f"合同编号 {doc.field_value('contract_number')}（{path}）未列入投资明细表",
                [doc],
                rests_on(doc, "contract_number"),
            )
        )
    out += _rows_without_documents(ctx, rec, tables, unmatched)
    for mm in rec.amount_mismatches:
        doc = by_path[mm.document]
        what = "发票" if mm.field == "total_incl_tax" else "合同"
        out.append(
            decide(
                ctx,
                FindingCode.TABLE_AMOUNT_MISMATCH,
                f"投资明细表{mm.row.label}金额 {mm.row_amount} 元"
                f"与{what} {mm.document} 的金额 {mm.doc_amount} 元不一致",
                [*_row_doc(mm.row, tables), doc],
                [*_table_basis(tables, mm.row.source), field_basis(doc, mm.field)],
                row=mm.row.index,
                row_amount=str(mm.row_amount),
                document_amount=str(mm.doc_amount),
            )
        )
    return out


def _table_basis(tables: dict[str, Document], path: str) -> list[Basis]:
    doc = tables.get(path)
    return rests_on(doc, "rows") if doc is not None else []


def _rows_without_documents(
    ctx: Context, rec: Reconciliation, tables: dict[str, Document], unmatched: list[Document]
) -> list[Finding]:
    """A row with no document: sure only when no submitted document's number was read too unsure to match it."""
    out: list[Finding] = []
    kinds = (
        (rec.rows_without_invoice, "invoice", "invoice_number", FindingCode.TABLE_INVOICE_MISSING, "发票号码", "发票"),
        (rec.rows_without_contract, "contract", "contract_number", FindingCode.TABLE_CONTRACT_MISSING, "合同编号", "合同"),  # noqa: E501
    )  # fmt: skip
    for rows, doc_type, number, code, label, what in kinds:
        candidates = [field_basis(d, number) for d in unmatched if d.doc_type == doc_type]
        for row in rows:
            out.append(
                decide(
                    ctx,
                    code,
                    f"投资明细表{row.label}列出的{label} {row.data.get(number)} 没有对应的{what}",
                    _row_doc(row, tables),
                    [*_table_basis(tables, row.source), *candidates],
                    row=row.index,
                    number=row.data.get(number),
                )
            )
    return out
