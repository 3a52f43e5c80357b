"""the parts of tasks with several owners, and the reports awaiting confirmation, by index

The office's counts (``data.sql_counts.status_counts``) count a task with several owner
parts once in the whole; finding those tasks read every part of the table (a second
owner is at position 1 or more). A small partial index holds only the second and later
owners' parts. The dashboard's reports awaiting the office's confirmation
(``data.parts.awaiting_confirmation``, counted and listed on every view) read every part
too: a partial index holds the reported ones only.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SHARED_WHERE = sa.text("position >= 1 AND role = 'owner'")
_REPORTED_WHERE = sa.text("reported_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_assignments_shared",
        "assignments",
        ["task_id"],
        postgresql_where=_SHARED_WHERE,
        sqlite_where=_SHARED_WHERE,
    )
    op.create_index(
        "ix_assignments_reported",
        "assignments",
        ["reported_at"],
        postgresql_where=_REPORTED_WHERE,
        sqlite_where=_REPORTED_WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_assignments_reported", table_name="assignments")
    op.drop_index("ix_assignments_shared", table_name="assignments")
