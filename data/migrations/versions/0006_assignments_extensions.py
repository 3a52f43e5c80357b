"""each unit's part (assignments), extension requests, confidential tasks

Task owners become assignments with their own completion; a task already done
gives every owner's part done at that moment. Cooperating units are parts that
never block.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 05:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("extended_to", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.Column("done_chat", sa.String(length=120), nullable=False),
        sa.Column("done_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_assignments_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assignments_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("task_id", "unit_id", name=op.f("uq_assignments_task_id")),
    )
    op.create_index(op.f("ix_assignments_task_id"), "assignments", ["task_id"], unique=False)
    op.create_index(op.f("ix_assignments_unit_id"), "assignments", ["unit_id"], unique=False)
    op.execute(
        """
        INSERT INTO assignments
            (task_id, unit_id, role, position, extended_to, done_at, done_by, done_chat, done_note)
        SELECT tu.task_id, tu.unit_id, 'owner', tu.position, NULL,
               CASE WHEN t.status = 'done' THEN t.done_at ELSE NULL END, '', '', ''
        FROM task_units tu JOIN tasks t ON t.id = tu.task_id
        """
    )
    op.drop_table("task_units")

    op.create_table(
        "extension_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("requested_to", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_chat", sa.String(length=120), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_extension_requests_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_requests")),
        sa.UniqueConstraint("code", name=op.f("uq_extension_requests_code")),
    )
    op.create_index(
        op.f("ix_extension_requests_assignment_id"),
        "extension_requests",
        ["assignment_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_extension_requests_status"), "extension_requests", ["status"], unique=False
    )
    false = sa.false()
    op.add_column(
        "documents", sa.Column("confidential", sa.Boolean(), nullable=False, server_default=false)
    )
    op.add_column(
        "tasks", sa.Column("confidential", sa.Boolean(), nullable=False, server_default=false)
    )
    op.add_column("tasks", sa.Column("source_text", sa.Text(), nullable=False, server_default=""))
    op.add_column("task_events", sa.Column("unit_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("task_events", "unit_id")
    op.drop_column("tasks", "source_text")
    op.drop_column("tasks", "confidential")
    op.drop_column("documents", "confidential")
    op.drop_index(op.f("ix_extension_requests_status"), table_name="extension_requests")
    op.drop_index(op.f("ix_extension_requests_assignment_id"), table_name="extension_requests")
    op.drop_table("extension_requests")
    op.create_table(
        "task_units",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_units_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_task_units_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("task_id", "unit_id", name=op.f("pk_task_units")),
    )
    op.execute(
        "INSERT INTO task_units (task_id, unit_id, position) "
        "SELECT task_id, unit_id, position FROM assignments WHERE role = 'owner'"
    )
    op.drop_index(op.f("ix_assignments_unit_id"), table_name="assignments")
    op.drop_index(op.f("ix_assignments_task_id"), table_name="assignments")
    op.drop_table("assignments")
