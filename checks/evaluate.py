"""One submission from documents to a Result: generic checks first, then each claimed clause.

Pure: everything (documents, read failures, matchers, policy, other submissions' invoice keys)
comes in as arguments, so the flows can cache, retry and re-run it on new list versions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from checks.award import check_claim, combine, unsupported_clause
from checks.base import ClauseOutcome, Context, Matching, dedupe, refuted
from checks.cert import check_cert
from checks.cloud import check_cloud
from checks.documents import check_documents, check_unreadable
from checks.duplicates import check_duplicates, check_reused_certificates
from checks.identity import check_buyers, check_contract_parties, check_dates
from checks.investment import check_investment
from checks.invoice import check_invoices
from checks.licence import check_licences
from checks.policy import Policy
from checks.seals import check_seals
from checks.tables import check_tables, run_reconciliation
from checks.xinchuang import check_xinchuang
from matchers.reconcile import Reconciliation
from models.application import Application
from models.document import Document
from models.file_names import valid_utf8
from models.findings import Finding, FindingCode
from models.result import Result

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _unverified(findings: list[Finding]) -> bool:
    """A document left unconfirmed (missing or unsure field) that no error disproved: the award is unsure."""
    gone = refuted(findings)
    return any(
        f.code in (FindingCode.MISSING_FIELD, FindingCode.LOW_CONFIDENCE_FIELD) and set(f.documents) - gone
        for f in findings
    )


@dataclass(frozen=True)
class Evidence:
    """What one submission brings to its verdict: the application, the documents read, the files
    that could not be read (file, reason), other submissions' invoice and certificate keys (key → submission, for reuse)
    and the name the submission goes by in the result."""

    application: Application
    documents: list[Document]
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    other_invoices: Mapping[str, str] = field(default_factory=dict)
    submission: str = ""


def evaluate_submission(evidence: Evidence, *, policy: Policy, matching: Matching) -> Result:
    """Findings and award for one submission; never raises on bad evidence.

    File names are made valid UTF-8 first: a GBK name read as bytes would break JSON and storage.
    """
    application = evidence.application
    documents = [
        d if valid_utf8(d.path) == d.path else d.model_copy(update={"path": valid_utf8(d.path)})
        for d in evidence.documents
    ]
    ctx = Context(
        application=application,
        policy=policy,
        documents=documents,
        matching=matching,
        other_invoices=dict(evidence.other_invoices),
    )
    findings = check_unreadable([(valid_utf8(path), reason) for path, reason in evidence.unreadable])
    for check in _DOCUMENT_CHECKS:
        findings += check(ctx)
    rec = run_reconciliation(ctx)
    findings += check_tables(ctx, rec)
    gone = refuted(findings)
    outcomes = [_clause_outcome(ctx, clause, gone, rec) for clause in dict.fromkeys(application.clauses)]
    findings += _withhold_missing(outcomes, findings)
    award, awards = combine(outcomes)
    unsure = any(o.unsure for o in outcomes) or _unverified(findings)
    findings += check_claim(ctx, award, unsure)
    findings = sorted(dedupe(findings), key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return Result(
        submission=valid_utf8(evidence.submission),
        applicant=application.applicant,
        policy=application.policy,
        status=Result.status_for(findings),
        documents=documents,
        findings=findings,
        award=award,
        awards=awards,
        list_versions=dict(matching.versions),
        policy_version=policy.version,
    )


_DOCUMENT_CHECKS: tuple[Callable[[Context], list[Finding]], ...] = (
    check_documents,
    check_invoices,
    check_buyers,
    check_contract_parties,
    check_licences,
    check_seals,
    check_dates,
    check_duplicates,
    check_reused_certificates,
)
"""The checks over the documents, before any clause: in this order, as a reviewer reads the findings."""


def _clause_outcome(ctx: Context, clause: str, gone: set[str], rec: Reconciliation | None) -> ClauseOutcome:
    """One claimed clause checked against the evidence no document check disproved."""
    if clause not in ctx.policy.clauses:
        return unsupported_clause(clause, ctx.policy.name)
    if clause == "cloud":
        return check_cloud(ctx, gone)
    if clause == "cert":
        return check_cert(ctx, gone)
    if clause == "xinchuang":
        return check_xinchuang(ctx, gone)
    return check_investment(ctx, gone, rec)


def _withhold_missing(outcomes: list[ClauseOutcome], findings: list[Finding]) -> list[Finding]:
    """The clauses' findings; a clause missing a required document earns nothing, whatever its evidence."""
    missing = {str(f.details.get("clause")) for f in findings if f.code == FindingCode.MISSING_REQUIRED_DOCUMENT}
    added: list[Finding] = []
    for outcome in outcomes:
        added += outcome.findings
        if outcome.clause in missing:
            outcome.amount_wan = 0.0
            outcome.basis = f"缺少该条款必需的材料，不予奖励（已提交材料核定情况：{outcome.basis}）"
    return added
