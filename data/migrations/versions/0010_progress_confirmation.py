"""progress updates on long tasks; a unit's report waiting for the office's confirmation

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 06:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "progress_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("chat", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_progress_updates_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_updates")),
    )
    op.create_index(
        op.f("ix_progress_updates_assignment_id"), "progress_updates", ["assignment_id"]
    )
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("reported_by", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("reported_chat", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("reported_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # In place (SQLite ≥ 3.35), never a batch copy of "assignments": dropping the old
    # table would cascade to every extension request and progress update.
    for column in ("reported_note", "reported_chat", "reported_by", "reported_at"):
        op.drop_column("assignments", column)
    op.drop_index(op.f("ix_progress_updates_assignment_id"), table_name="progress_updates")
    op.drop_table("progress_updates")
