"""tasks.deadline_fixed_by_office, tasks.owners_fixed_by_office: the clerk's word kept

A deadline the office set (``nhacviec tasks date``, the console's "Đặt hạn") or owners
it chose were overwritten by the next import of the same document. Two flags on the
task say which of its facts are the office's: a re-import keeps those and its review
says "giữ theo văn phòng". Flags rather than reading the task's history: the import
reads them with the tasks it loads anyway, and a rule never reads display text.
Tasks dated by the office before this migration are found by their history entry.

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-07 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never SQLite's batch copy of "tasks" (it would cascade deletes).
    for name in ("deadline_fixed_by_office", "owners_fixed_by_office"):
        op.add_column(
            "tasks", sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # "văn phòng đặt hạn dd/mm/yyyy" is what data.parts.set_task_date wrote until now.
    op.execute(
        "UPDATE tasks SET deadline_fixed_by_office = true WHERE EXISTS (SELECT 1 FROM"
        " task_events e WHERE e.task_id = tasks.id AND e.action = 'updated'"
        " AND e.detail LIKE 'văn phòng đặt hạn %')"
    )


def downgrade() -> None:
    op.drop_column("tasks", "owners_fixed_by_office")  # SQLite ≥ 3.35 drops in place
    op.drop_column("tasks", "deadline_fixed_by_office")
