"""The same invoice claimed twice (within this submission, or in another stored one), and a
certificate already claimed in another stored submission."""

from __future__ import annotations

from checks.base import Context, make
from checks.gate import decide, rests_on
from matchers.reconcile import InvoiceKey, certificate_key, invoice_key, keys_match
from models.document import Document
from models.findings import Finding, FindingCode


def check_duplicates(ctx: Context) -> list[Finding]:
    """Later copies are refuted (they earn nothing); the first copy keeps its value."""
    out: list[Finding] = []
    seen: list[tuple[InvoiceKey, Document]] = []
    by_sha: dict[str, Document] = {}
    for doc in ctx.of_type("invoice"):
        key = invoice_key(doc)
        first = by_sha.get(doc.sha256) if doc.sha256 else None
        if first is None and key is not None:
            first = next((d for k, d in seen if keys_match(k, key) and keys_match(key, k)), None)
        if first is not None:
            out.append(
                make(
                    FindingCode.DUPLICATE_INVOICE,
                    "error",
                    f"{doc.path} 与 {first.path} 是同一张发票（{key or '文件内容相同'}），重复提交只计一次",
                    [first, doc],
                    ["invoice_number"],
                    refutes=[doc.path],
                    invoice_key=str(key) if key else None,
                )
            )
            continue
        if doc.sha256:
            by_sha[doc.sha256] = doc
        if key is None:
            continue
        seen.append((key, doc))
        elsewhere = _other(ctx, key)
        if elsewhere is not None:
            out.append(
                make(
                    FindingCode.DUPLICATE_INVOICE,
                    "error",
                    f"{doc.path} 发票（{key}）已在其他申报 {elsewhere} 中提交过",
                    [doc],
                    ["invoice_number"],
                    refutes=[doc.path],
                    invoice_key=str(key),
                    other_submission=elsewhere,
                )
            )
    return out


def _other(ctx: Context, key: InvoiceKey) -> str | None:
    """``other_invoices`` maps ``str(InvoiceKey)`` to the submission that holds it."""
    direct = ctx.other_invoices.get(str(key))
    if direct is not None:
        return direct
    if key.code is not None:
        return ctx.other_invoices.get(key.number)
    return None


def check_reused_certificates(ctx: Context) -> list[Finding]:
    """A certificate (same type and number) another stored submission already claimed: the award is
    paid once. Accused only when the number and type were read with confidence (``decide``)."""
    out: list[Finding] = []
    for doc in ctx.of_type("certificate"):
        key = certificate_key(doc)
        elsewhere = ctx.other_invoices.get(key) if key is not None else None
        if elsewhere is None:
            continue
        number = doc.field_value("cert_number")
        message = f"{doc.path} 证书（{doc.field_value('cert_type') or ''} {number}）已在其他申报 {elsewhere} 中提交过"
        basis = rests_on(doc, "cert_number", "cert_type")
        out.append(
            decide(ctx, FindingCode.DUPLICATE_CERTIFICATE, message, [doc], basis, refutes=[doc.path],
                   other_submission=elsewhere, certificate_key=key)
        )  # fmt: skip
    return out
