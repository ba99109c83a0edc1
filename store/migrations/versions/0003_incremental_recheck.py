"""incremental recheck: documents.invoice_key; results.inputs_key, dependencies, same_as

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:00:00

Why: a recheck of ten thousand submissions after a list update must not parse every stored
extraction nor store ten thousand more copies of unchanged verdicts. A result now records what it
was computed from (``inputs_key``) and which list answers it used (``dependencies``); a recheck
whose inputs and answers are unchanged stores a row pointing at the verdict (``same_as``) instead
of re-evaluating. Invoice keys are kept per document so the cross-submission duplicate index is one
query. Existing invoice rows are filled from their check view; existing results keep no inputs and
are re-evaluated by their first recheck.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _invoice_key(checkable: Any) -> str | None:
    from matchers.reconcile import reuse_key_of
    from models import Document

    data = json.loads(checkable) if isinstance(checkable, str) else checkable
    return reuse_key_of(Document.model_validate(data))


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_key", sa.String(length=128), nullable=True))
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.alter_column("result", existing_type=sa.JSON(), nullable=True)
        batch_op.add_column(sa.Column("same_as", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("inputs_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("dependencies", sa.JSON(), nullable=True))
        batch_op.create_foreign_key("fk_results_same_as", "results", ["same_as"], ["id"])
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer),
        sa.column("doc_type", sa.String),
        sa.column("checkable", sa.JSON),
        sa.column("invoice_key", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(documents.c.id, documents.c.checkable).where(
            documents.c.doc_type == "invoice", documents.c.checkable.is_not(None)
        )
    )
    for doc_id, checkable in rows.fetchall():
        bind.execute(documents.update().where(documents.c.id == doc_id).values(invoice_key=_invoice_key(checkable)))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE results SET result = (SELECT r2.result FROM results r2 WHERE r2.id = results.same_as) "
            "WHERE result IS NULL AND same_as IS NOT NULL"
        )
    )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_constraint("fk_results_same_as", type_="foreignkey")
        batch_op.drop_column("dependencies")
        batch_op.drop_column("inputs_key")
        batch_op.drop_column("same_as")
        batch_op.alter_column("result", existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("invoice_key")
