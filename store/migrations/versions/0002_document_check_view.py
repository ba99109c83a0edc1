"""documents.checkable: the extraction without page lines, what rechecks load

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:10:00

Why: a recheck of ten thousand submissions must not parse every OCR line of every page; the
checks read fields and QR payloads only. Existing rows are filled from their full extraction.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _compact(extraction: Any) -> Any:
    data = json.loads(extraction) if isinstance(extraction, str) else dict(extraction)
    for page in data.get("pages") or []:
        page["lines"] = []
        page["table_rows"] = None
    return data


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkable", sa.JSON(), nullable=True))
    documents = sa.table(
        "documents", sa.column("id", sa.Integer), sa.column("extraction", sa.JSON), sa.column("checkable", sa.JSON)
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(documents.c.id, documents.c.extraction).where(documents.c.extraction.is_not(None)))
    for doc_id, extraction in rows.fetchall():
        bind.execute(documents.update().where(documents.c.id == doc_id).values(checkable=_compact(extraction)))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("checkable")
