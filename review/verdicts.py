"""Guards on a final verdict: approving past open error findings needs the reviewer to name them.

An error finding is open while no reviewer has dismissed it (confirming it keeps it an error).
The approve form carries the ids of the open errors the reviewer saw and acknowledged; if the
set differs from what is open now (a recheck added one meanwhile), the confirmation is asked again.
"""

from __future__ import annotations

from typing import Any

from review.labels import code_label, list_label, list_version_label, status_label
from review.presenters import finding_decisions, fmt_time
from store import Store, SubmissionDetail


def open_errors(detail: SubmissionDetail, names: dict[int, str]) -> list[dict[str, Any]]:
    """The current error findings nobody has dismissed, in the order the page lists them."""
    decided = finding_decisions(detail, names)
    rows = []
    for stored in sorted(detail.findings, key=lambda s: s.position):
        decision = decided.get(stored.id)
        if stored.severity != "error" or (decision is not None and decision["kind"] == "dismiss"):
            continue
        rows.append(
            {
                "id": stored.id,
                "code": stored.code,
                "label": code_label(stored.code),
                "message": stored.message,
                "state": "已确认" if decision is not None else "未处理",
            }
        )
    return rows


def acknowledged_ids(raw: str) -> frozenset[int]:
    """The finding ids a confirmation form listed ("12,15"); junk entries are ignored."""
    return frozenset(int(part) for part in raw.split(",") if part.strip().isdigit())


def ids_text(rows: list[dict[str, Any]]) -> str:
    return ",".join(str(r["id"]) for r in rows)


def audit_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the audit log keeps of an approval over open errors: codes and messages, as read."""
    return {"open_errors": [{"code": r["code"], "message": r["message"], "state": r["state"]} for r in rows]}


def verdict_change(store: Store, detail: SubmissionDetail) -> dict[str, Any] | None:
    """原为…: the newest verdict differs from the one before it, with the cause and its time.

    The cause is computed by the recheck's own explanation (list entries added or removed, a
    new policy version, a reviewer's correction), so the page says what the CLI said.
    """
    from flows.explain import explain

    if len(detail.history) < 2 or detail.result is None:
        return None
    (old_id, _, old_status, _), (_, _, new_status, at) = detail.history[-2], detail.history[-1]
    if old_status == new_status:
        return None
    old = store.light_results([old_id]).get(old_id)
    reasons = explain(old, detail.result, detail.documents, home=store.settings.home) if old is not None else []
    versions = detail.result.list_versions
    return {
        "was": status_label(old_status),
        "now": status_label(new_status),
        "at": fmt_time(at),
        "reasons": reasons,
        "versions": [f"{list_label(k)} {list_version_label(v)}" for k, v in sorted(versions.items())],
    }
