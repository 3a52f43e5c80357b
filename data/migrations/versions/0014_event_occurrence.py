"""task_events.occurrence: which occurrence of a recurring part a /done or /mo names

A recurring part's completion was one watermark (``assignments.done_at``): a /done
closed every occurrence up to it, and no second /done was taken. Each DONE/REOPENED
event of a recurring part now names its occurrence; the part's closed occurrences
are the replay of those events (``data.occurrences``). Events saved before keep NULL
and read as before (the watermark), so existing data needs no rewrite. With the
office's confirmation on, a recurring part's waiting report names its occurrence too
(``assignments.reported_occurrence``).

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-07 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, never SQLite's batch copy of "task_events".
    op.add_column("task_events", sa.Column("occurrence", sa.Date(), nullable=True))
    op.add_column("assignments", sa.Column("reported_occurrence", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("assignments", "reported_occurrence")  # in place (SQLite ≥ 3.35)
    op.drop_column("task_events", "occurrence")
