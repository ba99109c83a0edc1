"""The tables ``evidence batch`` and ``evidence recheck`` print for back-office staff.

Findings by their Chinese names with the documents they concern, statuses by label, paths relative
to the folder the user named (batch) or works in (recheck); the codes stay in ``--format json``.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from evidence_cli.common import one_line, shown_path
from models import Finding, Result
from review.labels import code_label, status_label


def findings_text(findings: list[Finding]) -> str:
    """``云服务商不在名单（发票_01.pdf、合同.pdf）；…``: each kind of problem once, with its documents."""
    by_label: dict[str, list[str]] = {}
    for f in findings:
        if f.severity not in ("error", "warning"):
            continue
        docs = by_label.setdefault(code_label(f.code.value), [])
        docs += [PurePath(d).name for d in f.documents if PurePath(d).name not in docs]
    return "；".join(f"{label}（{'、'.join(docs)}）" if docs else label for label, docs in by_label.items())


def summary_rows(results: list[Result], root: Path) -> list[list[Any]]:
    rows = []
    for r in results:
        award = f"{r.award.amount_wan:g}" if r.award else ""
        applicant = r.applicant.name if r.applicant else ""
        detail = findings_text(r.findings) or one_line(r.error or "")
        rows.append([shown_path(r.submission, root), one_line(applicant), status_label(r.status), award, detail])
    return rows


def _changed_findings(change: dict[str, Any], latest: Result | None, before: Result | None) -> str:
    """Added (+) and removed (−) findings by name, each with the documents it concerns."""
    parts = []
    for sign, codes, result in (("+", change["findings_added"], latest), ("−", change["findings_removed"], before)):
        for code in dict.fromkeys(codes):
            found = [f for f in (result.findings if result else []) if f.code.value == code]
            docs = "、".join(dict.fromkeys(PurePath(d).name for f in found for d in f.documents))
            parts.append(f"{sign}{code_label(code)}" + (f"（{docs}）" if docs else ""))
    return "；".join(parts)


def change_rows(report: dict[str, Any], history: Any) -> list[list[str]]:
    """One row per changed verdict; ``history(path)`` gives the stored results, oldest first."""
    rows = []
    for change in report["changed"]:
        results = [r for _, r in history(change["submission"])]
        latest = results[-1] if results else None
        before = results[-2] if len(results) > 1 else None
        rows.append(
            [
                shown_path(change["submission"]),
                status_label(change["old_status"]) if change["old_status"] else "—",
                status_label(change["new_status"]),
                _changed_findings(change, latest, before),
                "；".join(one_line(r) for r in change["reasons"]),
            ]
        )
    return rows
