"""indexes for the morning scan and the office's counts

The scan and the commands read only the rows that can give an item (open parts
due by a day, parts done after it, extended parts, recent completions); with the
table padded by years of done tasks each of those reads must be an index range,
not a scan of the table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EXTENDED = sa.text("extended_to IS NOT NULL")
_DONE = sa.text("done_at IS NOT NULL")


def upgrade() -> None:
    # open parts due by a day / in a window; done after a day (status, then the date)
    op.create_index("ix_tasks_status_due_date", "tasks", ["status", "due_date"])
    op.create_index("ix_tasks_status_done_at", "tasks", ["status", "done_at"])
    # open waiting / ongoing / review kinds without reading the done ones
    op.create_index("ix_tasks_deadline_kind_status", "tasks", ["deadline_kind", "status"])
    # parts whose due date moved (few) and parts reported done in a week
    op.create_index(
        "ix_assignments_extended_to",
        "assignments",
        ["extended_to"],
        postgresql_where=_EXTENDED,
        sqlite_where=_EXTENDED,
    )
    op.create_index(
        "ix_assignments_done_at",
        "assignments",
        ["done_at"],
        postgresql_where=_DONE,
        sqlite_where=_DONE,
    )
    # a unit's parts with their task (the unit's commands)
    op.create_index("ix_assignments_unit_id_task_id", "assignments", ["unit_id", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_assignments_unit_id_task_id", table_name="assignments")
    op.drop_index("ix_assignments_done_at", table_name="assignments")
    op.drop_index("ix_assignments_extended_to", table_name="assignments")
    op.drop_index("ix_tasks_deadline_kind_status", table_name="tasks")
    op.drop_index("ix_tasks_status_done_at", table_name="tasks")
    op.drop_index("ix_tasks_status_due_date", table_name="tasks")
