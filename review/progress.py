"""Where a submission stands in the reviewer's queue, and which one comes next.

A reviewer works the queue in its order (most severe first, then oldest): after a final decision
the next pending submission opens by itself, and every submission page says how far the queue is.
"""

from __future__ import annotations

from dataclasses import dataclass

from store import Store
from store.review_queries import queue_order


@dataclass(frozen=True)
class Progress:
    """``position`` is this submission's place among the pending ones (None once decided)."""

    position: int | None
    pending: int
    decided: int
    next_id: int | None

    @property
    def total(self) -> int:
        return self.pending + self.decided

    @property
    def percent(self) -> int:
        return round(100 * self.decided / self.total) if self.total else 100


def progress(store: Store, submission_id: int) -> Progress:
    """Counts over the whole queue and the next pending submission after this one (wrapping round)."""
    order = store.read(queue_order)
    pending = [sid for sid, done in order if not done]
    position = pending.index(submission_id) + 1 if submission_id in pending else None
    ids = [sid for sid, _ in order]
    at = ids.index(submission_id) if submission_id in ids else -1
    waiting = set(pending) - {submission_id}
    later = [sid for sid in ids[at + 1 :] + ids[: at + 1] if sid in waiting]
    return Progress(position, len(pending), len(order) - len(pending), later[0] if later else None)
