"""tasks.has_owner: the ownerless tasks through a partial index; kind, status, due date

The scan asks every morning for the open tasks without an owner (the office's to
review). As ``NOT EXISTS (owner part)`` that read visited every open task, so the
scan grew with the table; a flag kept with the parts (``Task.set_parts``) and a
partial index holding only the ownerless rows make it a read of those few.
The dated tasks without a date (for review) were found through (status, due_date),
which holds every open undated task (ongoing, waiting…): (deadline_kind, status,
due_date) finds just them, and serves every read of (deadline_kind, status).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 08:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The predicate as each dialect writes ``Task.has_owner == False`` (SQLite matches a
# partial index only on the same term; PostgreSQL reads "= false" as NOT).
_POSTGRES_WHERE = sa.text("NOT has_owner")
_SQLITE_WHERE = sa.text("has_owner = 0")


def upgrade() -> None:
    # A plain ADD COLUMN, never SQLite's batch copy of "tasks": dropping the old table
    # would cascade (foreign keys on) to every part, update and extension request.
    op.add_column(
        "tasks", sa.Column("has_owner", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(
        "UPDATE tasks SET has_owner = EXISTS (SELECT 1 FROM assignments"
        " WHERE assignments.task_id = tasks.id AND assignments.role = 'owner')"
    )
    op.create_index(
        "ix_tasks_ownerless_status",
        "tasks",
        ["status"],
        postgresql_where=_POSTGRES_WHERE,
        sqlite_where=_SQLITE_WHERE,
    )
    op.drop_index("ix_tasks_deadline_kind_status", table_name="tasks")
    op.create_index(
        "ix_tasks_deadline_kind_status_due_date", "tasks", ["deadline_kind", "status", "due_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_deadline_kind_status_due_date", table_name="tasks")
    op.create_index("ix_tasks_deadline_kind_status", "tasks", ["deadline_kind", "status"])
    op.drop_index("ix_tasks_ownerless_status", table_name="tasks")
    op.drop_column("tasks", "has_owner")  # SQLite ≥ 3.35 drops a column in place
