"""Alembic environment: run by ``store.db.upgrade`` with the engine's connection already open."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.schema import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("store migrations run through store.db.upgrade(), which supplies the connection")
_run(connection)
