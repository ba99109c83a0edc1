"""Turn stored submissions into plain dicts for the templates.

Why a separate layer: templates stay free of logic, and everything that reaches them is plain
strings and numbers that Jinja escapes; geometry is turned into percentages of the page here so
that the evidence boxes scale with the image at any width.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from models import Document, Finding
from models.field_names import field_label
from review.audit_text import actor_text, audit_text, target_text
from review.figures import field_key, finding_figures, page_url
from review.labels import (
    ACTION_LABELS,
    CLAUSE_LABELS,
    CLOSING_LABELS,
    DOC_TYPE_LABELS,
    FINDING_DECISION_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    clauses_label,
    code_label,
    explanation,
    list_label,
    list_version_label,
    source_label,
)
from review.validation import by_document, confidence_level, missing_fields, qr_rows, repeated, unbroken
from store.records import AuditEntry, DecisionInfo, StoredFinding, SubmissionDetail

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
LOW_CONFIDENCE = 0.8
FINAL_KINDS = frozenset(CLOSING_LABELS)
FINDING_KINDS = frozenset(FINDING_DECISION_LABELS)


def fmt_time(value: dt.datetime | None) -> str:
    """Beijing time, since the reviewers work in China whatever the server's zone."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def fmt_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def fmt_wan(amount: float | None) -> str:
    return "—" if amount is None else f"{amount:g} 万元"


def field_rows(doc: Document, file: str, file_id: int | None, names: list[str] | None = None) -> list[dict[str, Any]]:
    rows = []
    for name, fld in doc.fields.items():
        if names is not None and name not in names:
            continue
        value = fmt_value(fld.value)
        level, level_label = confidence_level(fld.confidence)
        rows.append(
            {
                "file": file,
                "name": name,
                "key": field_key(file_id, name),
                "label": field_label(name),
                "value": value,
                "unbroken": unbroken(value),
                "confidence": f"{fld.confidence:.2f}",
                "confidence_level": level,
                "confidence_label": level_label,
                "low": fld.confidence < LOW_CONFIDENCE,
                "source": fld.source or fld.extractor or "",
                "source_label": source_label(fld.source) if fld.source else (fld.extractor or ""),
                "correctable": isinstance(fld.value, str | int | float),
                "page": fld.page,
            }
        )
    return rows


LIST_OF_CODE = {
    "PROVIDER_NOT_ON_LIST": "cloud_providers",
    "PROVIDER_FUZZY_MATCH": "cloud_providers",
    "APPLICANT_NOT_ON_XINCHUANG_LIST": "xinchuang_pilots",
}


def _candidate(c: dict[str, Any]) -> dict[str, str]:
    return {k: fmt_value(c.get(k)) for k in ("name", "score", "verdict", "section", "seq")}


def match_blocks(finding: Finding, versions: dict[str, str], query: str, home: Path) -> list[dict[str, Any]]:
    """The name-match blocks, each with its list's Chinese name and 第N版 (``home``: the store's
    ``Settings.home``, where imported list versions live)."""
    return [
        {**b, "list_label": list_label(b["list"]), "version_label": list_version_label(b["version"])}
        for b in _match_blocks(finding, versions, query, home)
    ]


def _match_blocks(finding: Finding, versions: dict[str, str], query: str, home: Path) -> list[dict[str, Any]]:
    """The list entry a name was matched to: a docs/REFERENCE.md §4 match object or the checks' ``candidate``."""
    details = finding.details
    blocks: list[dict[str, Any]] = []
    for value in [details, *details.values()]:
        if isinstance(value, dict) and "matches" in value and ("list" in value or "list_name" in value):
            name = fmt_value(value.get("list") or value.get("list_name"))
            blocks.append(
                {
                    "query": fmt_value(value.get("query")),
                    "list": name,
                    "version": fmt_value(value.get("list_version") or versions.get(name)),
                    "candidates": [_candidate(c) for c in value.get("matches") or [] if isinstance(c, dict)],
                }
            )
    list_name = fmt_value(details.get("list")) or LIST_OF_CODE.get(finding.code.value, "")
    if not blocks and (details.get("candidate") or list_name):
        version = fmt_value(details.get("list_version") or versions.get(list_name, ""))
        name = fmt_value(details.get("query")) or query
        if details.get("candidate"):
            verdict = details.get("verdict") or "fuzzy"
            found = [{"name": details.get("candidate"), "score": details.get("score"), "verdict": verdict}]
        else:
            from review.matches import nearest

            found = nearest(list_name, version, name, home=home)
        blocks.append(
            {"query": name, "list": list_name, "version": version, "candidates": [_candidate(c) for c in found]}
        )
    return blocks


DETAIL_LABELS = {
    "refutes": "不计入奖补的材料",
    "claimed_wan": "申报金额（万元）",
    "computed_wan": "计算金额（万元）",
    "confidence": "置信度",
    "clause": "条款",
    "doc_type": "材料类型",
    "other_submission": "已出现在申报",
    "invoice_key": "发票",
    "invoice_code": "发票代码",
    "other_invoices": "其他发票",
    "row": "明细表行",
    "row_amount": "明细表金额",
    "seal_text": "印章文字",
    "seal_names": "印章上的名称",
    "seal_confidence": "印章识别置信度",
    "tolerance": "允许误差",
}
DETAIL_VALUE_LABELS: dict[str, dict[str, str]] = {"clause": CLAUSE_LABELS, "doc_type": DOC_TYPE_LABELS}


def _detail_value(key: str, value: Any) -> str:
    labels = DETAIL_VALUE_LABELS.get(key, {})
    items = value if isinstance(value, list) else [value]
    return "、".join(labels.get(v, fmt_value(v)) if isinstance(v, str) else fmt_value(v) for v in items)


def _plain_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """Extra facts a check attached that have a Chinese label (the rest is for machines: JSON, exports)."""
    return [
        (DETAIL_LABELS[k], _detail_value(k, v))
        for k, v in details.items()
        if k in DETAIL_LABELS and not isinstance(v, dict) and v not in (None, "", [])
    ]


def finding_decisions(detail: SubmissionDetail, names: dict[int, str]) -> dict[int, dict[str, Any]]:
    """The latest confirm/dismiss for each current finding, read from the audit log.

    A correction re-runs the checks and creates new finding rows; a decision taken on an earlier
    result still applies to the finding that says the same thing (same code and message), and is
    shown as carried over so the reviewer does not have to decide it twice.
    """
    by_id: dict[int, tuple[int, dict[str, Any]]] = {}
    by_key: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for entry in sorted(detail.audit, key=lambda e: e.id):
        kind = entry.action.removeprefix("decision_")
        if kind not in FINDING_KINDS or not (entry.target or "").startswith("finding:"):
            continue
        finding_id = int((entry.target or "").split(":", 1)[1])
        before, after = entry.before or {}, entry.after or {}
        info = {
            "kind": kind,
            "label": FINDING_DECISION_LABELS[kind],
            "reviewer": names.get(entry.reviewer_id or 0, entry.actor),
            "comment": fmt_value(after.get("comment")),
            "result_id": after.get("result_id"),
        }
        by_id[finding_id] = (entry.id, info)
        by_key[(str(before.get("code")), str(before.get("message")))] = (entry.id, info)
    out: dict[int, dict[str, Any]] = {}
    for stored in detail.findings:
        direct = by_id.get(stored.id)
        similar = by_key.get((stored.code, stored.message))
        best = max((c for c in (direct, similar) if c is not None), key=lambda c: c[0], default=None)
        if best is not None:
            out[stored.id] = {**best[1], "carried": direct is None or best is not direct}
    return out


def final_decision(decisions: list[DecisionInfo], names: dict[int, str]) -> dict[str, Any] | None:
    finals = [d for d in decisions if d.kind in FINAL_KINDS]
    if not finals:
        return None
    d = max(finals, key=lambda d: d.id)
    return {
        "kind": d.kind,
        "label": CLOSING_LABELS[d.kind],
        "reviewer": names.get(d.reviewer_id, str(d.reviewer_id)),
        "at": fmt_time(d.created_at),
        "comment": d.comment or "",
    }


def _finding_view(
    detail: SubmissionDetail, stored: StoredFinding, finding: Finding, decided: dict[int, dict[str, Any]], home: Path
) -> dict[str, Any]:
    versions = dict(detail.result.list_versions) if detail.result is not None else {}
    fields: list[dict[str, Any]] = []
    for file in finding.documents:
        doc = detail.documents.get(file)
        if doc is not None and finding.fields:
            fields.extend(field_rows(doc, file, detail.document_ids.get(file), finding.fields))
    return {
        "id": stored.id,
        "document": finding.documents[0] if finding.documents else "",
        "code": stored.code,
        "code_label": code_label(stored.code),
        "severity": stored.severity,
        "message": stored.message,
        "explanation": explanation(stored.code),
        "figures": finding_figures(detail, finding),
        "qr": qr_rows(finding.details),
        "missing": missing_fields(finding, detail.documents),
        "fields": fields,
        "matches": match_blocks(finding, versions, fields[0]["value"] if fields else "", home),
        "details": _plain_details({"refutes": finding.refutes, **finding.details}),
        "decision": decided.get(stored.id),
    }


def submission_view(detail: SubmissionDetail, names: dict[int, str], home: Path) -> dict[str, Any]:
    """Everything the submission page shows, as plain values (``home``: the store's settings')."""
    result = detail.result
    app = detail.application or {}
    claimed = app.get("claimed_award_wan")
    awards = list(result.awards) if result is not None else []
    if result is not None and result.award is not None and not awards:
        awards = [result.award]
    computed = sum(a.amount_wan for a in awards) if awards else (0.0 if result is not None else None)
    decided = finding_decisions(detail, names)
    by_position = {i: f for i, f in enumerate(result.findings)} if result is not None else {}
    findings = [
        _finding_view(detail, s, by_position[s.position], decided, home)
        for s in sorted(detail.findings, key=lambda s: s.position)
        if s.position in by_position
    ]
    applicant = app.get("applicant") if isinstance(app.get("applicant"), dict) else {}
    return {
        "id": detail.id,
        "applicant": detail.applicant_name or (applicant or {}).get("name"),
        "credit_code": (applicant or {}).get("credit_code"),
        "clauses_label": clauses_label(detail.clauses),
        "policy": result.policy if result is not None else app.get("policy"),
        "policy_version": result.policy_version if result is not None else None,
        "application_date": fmt_value(app.get("application_date")),
        "folder": detail.path.rsplit("/", 1)[-1],
        "status": result.status if result is not None else "error",
        "status_label": STATUS_LABELS.get(result.status if result is not None else "error", ""),
        "result_id": detail.result_id,
        "result_at": fmt_time(detail.history[-1][3]) if detail.history else "",
        "list_versions": [
            (k, f"{list_label(k)} {list_version_label(v)}")
            for k, v in sorted((result.list_versions if result is not None else {}).items())
        ],
        "awards": [
            {"clause_label": clauses_label([a.clause]), "amount_wan": f"{a.amount_wan:g}", "basis": a.basis}
            for a in awards
        ],
        "computed_label": fmt_wan(computed),
        "claimed_label": fmt_wan(float(claimed)) if isinstance(claimed, int | float) else "未申报金额",
        "award_mismatch": isinstance(claimed, int | float) and computed is not None and abs(claimed - computed) > 1e-6,
        "error": result.error if result is not None else None,
        "final": final_decision(detail.decisions, names),
        "groups": by_document(findings),
        "repeated": repeated(findings),
        "severity_counts": [
            {"severity": sev, "label": label, "count": n}
            for sev, label in SEVERITY_LABELS.items()
            if (n := sum(1 for f in findings if f["severity"] == sev))
        ],
        "finding_count": len(findings),
        "documents": document_rows(detail),
    }


def document_rows(detail: SubmissionDetail) -> list[dict[str, Any]]:
    rows = []
    for name in sorted(set(detail.documents) | set(detail.document_ids)):
        doc = detail.documents.get(name)
        file_id = detail.document_ids.get(name)
        count = max(len(doc.pages) if doc is not None else 0, len(detail.pages.get(name, [])))
        rows.append(
            {
                "name": name,
                "file_id": file_id,
                "type_label": DOC_TYPE_LABELS.get(doc.doc_type, doc.doc_type) if doc is not None else "无法读取",
                "text_source": doc.text_source if doc is not None else "",
                "text_source_label": source_label(doc.text_source) if doc is not None else "",
                "field_count": len(doc.fields) if doc is not None else 0,
                "read_error": None if doc is not None else "无法读取",
                "pages": [
                    {"number": n, "url": page_url(detail.id, file_id, n)}
                    for n in range(1, count + 1)
                    if file_id is not None
                ],
            }
        )
    return rows


def audit_rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    return [
        {
            "at": fmt_time(e.at),
            "actor": actor_text(e.actor),
            "action": ACTION_LABELS.get(e.action, e.action),
            "target": target_text(e.target),
            "before": audit_text(e.before),
            "after": audit_text(e.after),
        }
        for e in sorted(entries, key=lambda e: e.id, reverse=True)
    ]
