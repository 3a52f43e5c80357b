"""assignments keep their task's facts: the Monday counts read one index, no join

The weekly summary counts every open one-off owner part (due this week, overdue,
waiting, for review), lists the long parts with no progress report this quarter, and
the office's /tiendo counts a year's parts by status. Each joined tens of thousands
of tasks to their parts: at 1M tasks that was most of a Monday's scan. Each part now keeps what those reads need of its task
(``data.models.part_facts``, refreshed at every flush): its weekly tally, its due
date (an approved extension or the task's), whether it owes progress reports, the
task's number. Partial indexes hold just the rows each read visits.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ``part_facts`` as SQL, for the rows saved before this revision (frozen here: later
# changes to the Python reading need their own migration).
_DUE = "COALESCE(assignments.extended_to, tasks.due_date)"
_ONE_OFF = (
    "assignments.role = 'owner' AND tasks.item_kind = 'task'"
    " AND tasks.status IN ('open', 'done') AND tasks.deadline_kind <> 'recurring'"
)
_TALLY = f"""CASE
    WHEN NOT ({_ONE_OFF}) THEN NULL
    WHEN tasks.needs_review OR tasks.deadline_kind = 'unreadable'
         OR (tasks.deadline_kind IN ('due', 'due_then_ongoing') AND {_DUE} IS NULL)
        THEN 'review'
    WHEN tasks.deadline_kind = 'waiting' THEN 'waiting'
    WHEN tasks.deadline_kind IN ('ongoing', 'from') THEN 'undated'
    WHEN tasks.deadline_kind IN ('due', 'term', 'due_then_ongoing') AND {_DUE} IS NOT NULL
        THEN 'dated'
    ELSE 'other' END"""
_REPORTS = """(assignments.role = 'owner' AND tasks.item_kind = 'task'
    AND NOT tasks.needs_review
    AND ((tasks.deadline_kind IN ('term', 'ongoing', 'from') AND tasks.status = 'open')
         OR (tasks.deadline_kind = 'due_then_ongoing' AND tasks.status = 'done')))"""

# Each predicate as its dialect writes the query's terms (SQLite matches a partial
# index only on the same terms; PostgreSQL reads "= true" as the bare column).
_OPEN_WHERE = sa.text("done_at IS NULL AND tally IS NOT NULL")
_COUNTED_WHERE = sa.text("tally IS NOT NULL")


def upgrade() -> None:
    # Plain ADD COLUMN, never SQLite's batch copy (see 0011): nothing may cascade.
    op.add_column("assignments", sa.Column("tally", sa.String(10), nullable=True))
    op.add_column("assignments", sa.Column("part_due", sa.Date(), nullable=True))
    op.add_column(
        "assignments",
        sa.Column("reports_progress", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("assignments", sa.Column("task_number", sa.Integer(), nullable=True))
    op.execute(
        f"UPDATE assignments SET tally = {_TALLY},"
        f" part_due = {_DUE}, reports_progress = {_REPORTS}, task_number = tasks.number"
        " FROM tasks WHERE tasks.id = assignments.task_id"
    )
    op.create_index(
        "ix_assignments_open_tally",
        "assignments",
        ["tally", "part_due", "unit_id", "task_id"],
        postgresql_where=_OPEN_WHERE,
        sqlite_where=_OPEN_WHERE,
    )
    op.create_index(
        "ix_assignments_done_tally",
        "assignments",
        ["done_at", "unit_id", "task_id", "tally", "part_due"],
        postgresql_where=_COUNTED_WHERE,
        sqlite_where=_COUNTED_WHERE,
    )
    op.create_index(  # the report's statuses: a period's dated parts, the undated kinds
        "ix_assignments_tally_due",
        "assignments",
        ["tally", "part_due", "unit_id", "task_id", "done_at", "extended_to"],
        postgresql_where=_COUNTED_WHERE,
        sqlite_where=_COUNTED_WHERE,
    )
    op.create_index(
        "ix_assignments_reporting",
        "assignments",
        ["unit_id", "task_number", "id"],
        postgresql_where=sa.text("reports_progress"),
        sqlite_where=sa.text("reports_progress = 1"),
    )


def downgrade() -> None:
    op.drop_index("ix_assignments_reporting", table_name="assignments")
    op.drop_index("ix_assignments_tally_due", table_name="assignments")
    op.drop_index("ix_assignments_done_tally", table_name="assignments")
    op.drop_index("ix_assignments_open_tally", table_name="assignments")
    for column in ("task_number", "reports_progress", "part_due", "tally"):
        op.drop_column("assignments", column)  # SQLite ≥ 3.35 drops a column in place
