"""The Store: one engine, transactional sessions, and retries when the database is busy or restarts.

Why retry here: a batch must survive SQLite's "database is locked" and a PostgreSQL restart. Each
write is one transaction, so retrying it after a rollback can never leave half a result behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models.errors import EvidenceError
from models.settings import Settings
from store.db import database_url, make_engine, upgrade

log = logging.getLogger(__name__)
T = TypeVar("T")

WRITE_ATTEMPTS = 8


class StoreError(EvidenceError):
    """The database could not be reached or written after retrying; nothing partial was kept."""


def _transient(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return any(
            marker in text
            for marker in ("locked", "busy", "connection", "server closed", "terminating", "shutting down")
        )
    return False


class StoreBase:
    """Engine and session plumbing shared by the pipeline and review repositories."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions.begin() as session:
            yield session

    def write(self, work: Callable[[Session], T], attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work`` in a transaction, retrying the whole transaction on transient errors."""
        delay = 0.2
        for attempt in range(1, attempts + 1):
            try:
                with self.session() as session:
                    return work(session)
            except IntegrityError:
                raise
            except DBAPIError as exc:
                if not _transient(exc) or attempt == attempts:
                    raise StoreError(f"数据库写入失败：{type(exc.orig).__name__}") from exc
                log.warning("database busy or unavailable (attempt %d/%d), retrying", attempt, attempts)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
        raise AssertionError("unreachable")

    def read(self, work: Callable[[Session], T]) -> T:
        """Run a read-only query, retrying on transient errors like ``write``."""
        return self.write(work)

    def close(self) -> None:
        self.engine.dispose()


def open_engine(settings: Settings) -> Engine:
    """Create the engine and upgrade the schema to the newest migration."""
    engine = make_engine(database_url(settings))
    attempts = 0
    while True:
        try:
            upgrade(engine)
            return engine
        except OperationalError as exc:
            attempts += 1
            if attempts >= WRITE_ATTEMPTS or not _transient(exc):
                raise StoreError(f"无法打开数据库：{type(exc.orig).__name__}") from exc
            time.sleep(0.25 * attempts)
