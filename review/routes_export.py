"""Downloads: the (filtered) queue and every reviewer decision, as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from models import Result
from review.audit_text import actor_text, audit_text, target_text
from review.context import app_state, current_user
from review.exports import CSV_MEDIA, XLSX_MEDIA, to_csv, to_xlsx
from review.labels import ACTION_LABELS, CLOSING_LABELS, SEVERITY_LABELS, STATUS_LABELS, clauses_label, code_label
from review.presenters import fmt_time
from review.routes_queue import SEVERITY_BY_RANK, QueueQuery, select_items
from store import Store
from store.review_queries import claims

router = APIRouter()
AUDIT_LIMIT = 1_000_000
QUEUE_HEADER = [
    "申报编号",
    "申报单位",
    "材料目录",
    "申报条款",
    "核验状态",
    "最高严重程度",
    "问题",
    "问题说明",
    "计算奖补（万元）",
    "申报金额（万元）",
    "批次",
    "核验时间",
    "审核结论",
    "结论审核员",
    "问题代码",
]
DECISION_HEADER = ["时间", "审核员", "申报编号", "申报单位", "操作", "对象", "意见/理由", "变更前", "变更后"]


def queue_rows(store: Store, query: QueueQuery) -> list[list[Any]]:
    items, _ = select_items(store, query, None)
    names = {r.id: r.username for r in store.list_reviewers()}
    results = store.light_results([i.result_id for i in items])
    claimed = store.read(lambda s: claims(s, [i.submission_id for i in items]))
    return [
        [
            i.submission_id,
            i.applicant_name or "",
            i.path.rstrip("/").rsplit("/", 1)[-1],
            clauses_label(i.clauses),
            STATUS_LABELS.get(i.status, i.status),
            SEVERITY_LABELS.get(SEVERITY_BY_RANK.get(i.max_severity, ""), "无"),
            "，".join(code_label(c) for c in i.finding_codes),
            "\n".join(f.message for f in results[i.result_id].findings) if i.result_id in results else "",
            _award(results.get(i.result_id)),
            claimed.get(i.submission_id),
            i.batch_id,
            fmt_time(i.result_at),
            CLOSING_LABELS.get(i.final_decision or "", "待决定"),
            names.get(i.decided_by, "") if i.decided_by is not None else "",
            ",".join(i.finding_codes),
        ]
        for i in items
    ]


def _award(result: Result | None) -> float | None:
    """The computed award in 万元 (every clause's together), a number so the sheet can sum it."""
    if result is None:
        return None
    awards = list(result.awards) or ([result.award] if result.award is not None else [])
    return float(sum(a.amount_wan for a in awards))


def decision_rows(store: Store) -> list[list[Any]]:
    """Decisions and field corrections, straight from the append-only audit log."""
    wanted = ("decision_", "field_corrected")
    entries = [e for e in store.audit_log(limit=AUDIT_LIMIT) if e.action.startswith(wanted)]
    everything, _ = select_items(store, QueueQuery(decision="all"), None)
    applicants = {i.submission_id: i.applicant_name or "" for i in everything}
    rows = []
    for e in entries:
        after = e.after or {}
        comment = after.get("comment") or after.get("reason") or ""
        rows.append(
            [
                fmt_time(e.at),
                actor_text(e.actor),
                e.submission_id or "",
                applicants.get(e.submission_id or 0, ""),
                ACTION_LABELS.get(e.action, e.action),
                target_text(e.target),
                comment,
                audit_text(e.before),
                audit_text(after),
            ]
        )
    return rows


def _download(kind: str, fmt: str, header: list[str], rows: list[list[Any]]) -> Response:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    filename = f"{kind}-{stamp}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return Response(to_csv(header, rows), media_type=CSV_MEDIA, headers=disposition)
    title = "待审队列" if kind == "queue" else "审核决定"
    return Response(to_xlsx(title, header, rows), media_type=XLSX_MEDIA, headers=disposition)


def _audit_export(request: Request, kind: str, fmt: str, rows: int) -> None:
    """Every export is written to the audit log: who took which data out, when, how many rows."""
    user = current_user(request)
    app_state(request).store.append_audit(
        "export",
        reviewer_id=user.id,
        target=f"export:{kind}.{fmt}",
        after={"rows": rows, "query": str(request.url.query)},
    )


@router.get("/export/queue.{fmt}")
def export_queue(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    store = app_state(request).store
    rows = queue_rows(store, QueueQuery.parse(request.query_params))
    _audit_export(request, "queue", fmt, len(rows))
    return _download("queue", fmt, QUEUE_HEADER, rows)


@router.get("/export/decisions.{fmt}")
def export_decisions(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    rows = decision_rows(app_state(request).store)
    _audit_export(request, "decisions", fmt, len(rows))
    return _download("decisions", fmt, DECISION_HEADER, rows)
