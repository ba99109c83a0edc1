"""Opening the database: SQLite under EVIDENCE_HOME by default, PostgreSQL by URL, always migrated.

Why upgrade on open: an installed copy of the package carries its migrations, so a newer
``evidence`` upgrades an older database the first time it touches it, with no separate step.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from models.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 30_000
_upgrade_lock = threading.Lock()


def database_url(settings: Settings) -> str:
    """EVIDENCE_DB_URL if set, else ``sqlite:///<home>/evidence.db``."""
    if settings.db_url:
        return settings.db_url
    settings.ensure_home()
    return f"sqlite:///{settings.home / 'evidence.db'}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so two writers wait on busy_timeout
    # instead of failing with "database is locked" when one upgrades a read to a write.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs for concurrent batch writers."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        db_path = parsed.database
        if db_path and db_path != ":memory:":
            _create_private_file(Path(db_path))
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _create_private_file(path: Path) -> None:
    """The database holds tax ids and bank accounts: owner-only, like EVIDENCE_HOME."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    path.chmod(0o600)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to call from several processes at once."""
    with _upgrade_lock, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # one migrator at a time across processes; released at commit
            connection.execute(text("SELECT pg_advisory_xact_lock(7700417)"))
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
