"""The queue: submissions that need a decision, most severe first, then oldest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models import FindingCode
from review.context import app_state, render
from review.labels import (
    CLAUSE_LABELS,
    CLOSING_LABELS,
    CODE_LABELS,
    RUN_KIND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    clauses_label,
)
from review.presenters import fmt_time
from store import QueueFilter, QueueItem, Store

PAGE_SIZE = 25
ALL_ROWS = 1_000_000
DECISION_OPTIONS = [("pending", "待决定"), ("decided", "已决定"), *CLOSING_LABELS.items(), ("all", "全部")]
SEVERITY_BY_RANK = {4: "error", 3: "error", 2: "warning", 1: "info"}

router = APIRouter()


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filters as read from the query string; unknown values are ignored, not trusted."""

    batch: int | None = None
    clause: str | None = None
    code: str | None = None
    status: str | None = None
    decision: str = "pending"
    reviewer: int | None = None
    page: int = 1

    @classmethod
    def parse(cls, params: Any) -> QueueQuery:
        def as_int(name: str) -> int | None:
            raw = str(params.get(name) or "")
            return int(raw) if raw.isdigit() and len(raw) < 10 else None

        def one_of(name: str, allowed: Any) -> str | None:
            raw = params.get(name) or None
            return raw if raw in allowed else None

        return cls(
            batch=as_int("batch"),
            clause=one_of("clause", CLAUSE_LABELS),
            code=one_of("code", {c.value for c in FindingCode}),
            status=one_of("status", STATUS_LABELS),
            decision=one_of("decision", dict(DECISION_OPTIONS)) or "pending",
            reviewer=as_int("reviewer"),
            page=max(as_int("page") or 1, 1),
        )

    def store_filter(self) -> QueueFilter:
        return QueueFilter(
            batch_id=self.batch,
            clause=self.clause,
            finding_code=self.code,
            status=self.status,
            reviewer_id=self.reviewer,
            undecided_only=self.decision == "pending",
        )

    def as_params(self) -> dict[str, str]:
        raw = {
            "batch": self.batch,
            "clause": self.clause,
            "code": self.code,
            "status": self.status,
            "decision": self.decision,
            "reviewer": self.reviewer,
        }
        return {k: str(v) for k, v in raw.items() if v is not None}


def select_items(reviews: Store, query: QueueQuery, page_size: int | None) -> tuple[list[QueueItem], int]:
    """One page of the filtered queue (all of it when ``page_size`` is None) and the total count."""
    if query.decision in ("pending", "all") and page_size is not None:
        page = reviews.list_queue(query.store_filter(), page=query.page, page_size=page_size)
        return page.items, page.total
    items = reviews.list_queue(query.store_filter(), page=1, page_size=ALL_ROWS).items
    if query.decision == "decided":
        items = [i for i in items if i.final_decision is not None]
    elif query.decision in CLOSING_LABELS:
        items = [i for i in items if i.final_decision == query.decision]
    if page_size is None:
        return items, len(items)
    start = (query.page - 1) * page_size
    return items[start : start + page_size], len(items)


def queue_counts(reviews: Store) -> dict[str, int]:
    items = reviews.list_queue(QueueFilter(undecided_only=False), page=1, page_size=ALL_ROWS).items
    pending = [i for i in items if i.final_decision is None]
    return {
        "total": len(items),
        "pending": len(pending),
        "error": sum(1 for i in pending if i.max_severity >= 3),
        "warning": sum(1 for i in pending if i.max_severity == 2),
        "decided": len(items) - len(pending),
    }


def queue_row(item: QueueItem, names: dict[int, str]) -> dict[str, Any]:
    severity = SEVERITY_BY_RANK.get(item.max_severity, "none")
    return {
        "id": item.submission_id,
        "applicant": item.applicant_name,
        "folder": item.path.rstrip("/").rsplit("/", 1)[-1],
        "clauses_label": clauses_label(item.clauses),
        "status": item.status,
        "status_label": STATUS_LABELS.get(item.status, item.status),
        "max_severity": severity,
        "severity_label": SEVERITY_LABELS.get(severity, "无"),
        "finding_count": len(item.finding_codes),
        "codes": sorted(set(item.finding_codes)),
        "batch_id": item.batch_id,
        "created_label": fmt_time(item.result_at),
        "decision_label": CLOSING_LABELS.get(item.final_decision or "", "待决定"),
        "decided_by": names.get(item.decided_by, "") if item.decided_by is not None else "",
    }


@router.get("/")
def queue(request: Request) -> Response:
    state = app_state(request)
    query = QueueQuery.parse(request.query_params)
    items, total = select_items(state.store, query, PAGE_SIZE)
    reviewers = state.store.list_reviewers()
    names = {r.id: r.display_name or r.username for r in reviewers}
    params = query.as_params()

    def page_query(page: int) -> str:
        return urlencode({**params, "page": str(page)})

    context = {
        "rows": [queue_row(i, names) for i in items],
        "total": total,
        "counts": queue_counts(state.store),
        "page": query.page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "page_query": page_query,
        "filters": params,
        "export_query": urlencode(params),
        "options": {
            "batches": [
                {"id": r.id, "label": f"{RUN_KIND_LABELS.get(r.kind, '其他')} {r.root or ''}".strip()}
                for r in state.store.list_runs()
            ],
            "clauses": list(CLAUSE_LABELS.items()),
            "codes": [c.value for c in FindingCode],
            "statuses": list(STATUS_LABELS.items()),
            "decisions": DECISION_OPTIONS,
            "reviewers": reviewers,
        },
        "sev_labels": SEVERITY_LABELS,
        "code_labels": CODE_LABELS,
    }
    return render(request, "queue.html", context)
