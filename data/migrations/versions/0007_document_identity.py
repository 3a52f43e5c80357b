"""a document's own identity: folded title, number, revisions

A re-import without ``--key`` is recognised by the document itself (its number, its
title and date, its content), no longer by the file's name. Existing documents get
their folded title here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 03:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.text import fold

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column("title_key", sa.String(length=300), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("number", sa.String(length=100), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("revisions", sa.Integer(), nullable=False, server_default="1"))
    op.create_index(op.f("ix_documents_title_key"), "documents", ["title_key"], unique=False)
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer()),
        sa.column("title", sa.Text()),
        sa.column("title_key", sa.String()),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(documents.c.id, documents.c.title)).all():
        bind.execute(
            documents.update()
            .where(documents.c.id == row.id)
            .values(title_key=fold(row.title or "")[:300])
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_title_key"), table_name="documents")
    # In place (SQLite ≥ 3.35): a batch copy of "documents" cannot drop the old table
    # while tasks refer to it.
    for column in ("revisions", "number", "title_key"):
        op.drop_column("documents", column)
