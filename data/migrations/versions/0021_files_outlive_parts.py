"""a file sent with a part outlives the part: kept on its task and unit

``part_files.task_id`` / ``unit_id`` (back-filled from the part); ``assignment_id`` may be
empty: when the office names other owners, or a re-import drops a unit, the part goes
but the file the unit sent stays on the task (until the office purges it).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 19:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PART_FK = "fk_part_files_assignment_id_assignments"


def upgrade() -> None:
    with op.batch_alter_table("part_files") as batch:
        batch.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE part_files SET "
        "task_id = (SELECT a.task_id FROM assignments a WHERE a.id = part_files.assignment_id), "
        "unit_id = (SELECT a.unit_id FROM assignments a WHERE a.id = part_files.assignment_id)"
    )
    with op.batch_alter_table("part_files") as batch:
        batch.alter_column("task_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("assignment_id", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint(_PART_FK, type_="foreignkey")
        batch.create_foreign_key(
            _PART_FK, "assignments", ["assignment_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            "fk_part_files_task_id_tasks", "tasks", ["task_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            "fk_part_files_unit_id_units", "units", ["unit_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_part_files_task_id", ["task_id"])


def downgrade() -> None:
    op.execute("DELETE FROM part_files WHERE assignment_id IS NULL")
    with op.batch_alter_table("part_files") as batch:
        batch.drop_index("ix_part_files_task_id")
        batch.drop_constraint("fk_part_files_unit_id_units", type_="foreignkey")
        batch.drop_constraint("fk_part_files_task_id_tasks", type_="foreignkey")
        batch.drop_constraint(_PART_FK, type_="foreignkey")
        batch.create_foreign_key(
            _PART_FK, "assignments", ["assignment_id"], ["id"], ondelete="CASCADE"
        )
        batch.alter_column("assignment_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("unit_id")
        batch.drop_column("task_id")
