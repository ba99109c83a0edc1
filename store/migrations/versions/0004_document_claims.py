"""document claims: a file being read by one process, with a lease

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:00:00

Why: two batches on one store both read (OCR) every file. A reader now claims a file's document
key for a lease before reading it; another process that finds a live claim waits for the stored
reading instead of reading the file again. A claim whose lease ran out belonged to a reader that
died; after two such deaths the file is reported unreadable rather than read a third time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("engine", sa.String(length=64), nullable=False),
        sa.Column("extractor_version", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "engine", "extractor_version", name="uq_document_claims_key"),
    )


def downgrade() -> None:
    op.drop_table("document_claims")
