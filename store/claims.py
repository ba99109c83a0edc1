"""Claims on document keys: one process reads a file while the others wait for its stored reading.

Why a row with a lease rather than a lock: a reader that is killed (OOM, SIGKILL, a lost machine)
never releases anything; its lease simply runs out and the next process takes over. Each take-over
of an expired claim counts as a failed attempt, so a file that kills every reader is reported
after ``MAX_ATTEMPTS`` instead of being read, and killing a reader, again on every rerun.
"""

from __future__ import annotations

import time
from typing import Literal

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.base import StoreBase
from store.records import DocumentKey
from store.schema import DocumentClaimRow

MAX_ATTEMPTS = 2
Claim = Literal["mine", "busy", "poison"]


def _where(key: DocumentKey) -> tuple[ColumnElement[bool], ...]:
    return (
        DocumentClaimRow.sha256 == key.sha256,
        DocumentClaimRow.engine == key.engine,
        DocumentClaimRow.extractor_version == key.extractor_version,
    )


class ClaimRepository(StoreBase):
    """``claim_document`` before reading a file, ``release_document`` once its reading is stored."""

    def claim_document(self, key: DocumentKey, owner: str, lease_seconds: float) -> Claim:
        """``mine``: read it now; ``busy``: another live reader has it; ``poison``: readers holding
        it died ``MAX_ATTEMPTS`` times (report it, do not read it)."""

        def work(s: Session) -> Claim:
            now = time.time()
            row = s.scalars(select(DocumentClaimRow).where(*_where(key)).with_for_update()).first()
            if row is None:
                s.add(
                    DocumentClaimRow(
                        sha256=key.sha256,
                        engine=key.engine,
                        extractor_version=key.extractor_version,
                        owner=owner,
                        expires_at=now + lease_seconds,
                        attempts=1,
                    )
                )
                return "mine"
            if row.owner == owner:
                row.expires_at = now + lease_seconds
                return "mine"
            if row.expires_at > now:
                return "busy"
            if row.attempts >= MAX_ATTEMPTS:
                return "poison"
            row.owner, row.expires_at, row.attempts = owner, now + lease_seconds, row.attempts + 1
            return "mine"

        for _ in range(3):  # two first claims at once: the loser's insert breaks the unique key
            try:
                return self.write(work)
            except IntegrityError:
                continue
        return "busy"

    def release_document(self, key: DocumentKey, owner: str) -> None:
        """Drop this owner's claim (its reading is stored, or it gave up without being killed)."""
        self.write(lambda s: s.execute(delete(DocumentClaimRow).where(*_where(key), DocumentClaimRow.owner == owner)))
