"""a task's product, the request for its file, the tasks of the bot's answers

``tasks.product``: what the plan's "Sản phẩm"/"Kết quả" column says the task delivers.
``assignments.file_asked_at``: a unit's /done without the product's file asks once.
``answer_tasks``: which tasks an answer of the bot was about (by the platform's message
id), so a file sent in reply to it is kept on that task's part.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 19:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("product", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "assignments", sa.Column("file_asked_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_table(
        "answer_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_tasks")),
    )
    op.create_index("ix_answer_tasks_message", "answer_tasks", ["channel", "chat_id", "message_id"])
    op.create_index(op.f("ix_answer_tasks_at"), "answer_tasks", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_answer_tasks_at"), table_name="answer_tasks")
    op.drop_index("ix_answer_tasks_message", table_name="answer_tasks")
    op.drop_table("answer_tasks")
    op.drop_column("assignments", "file_asked_at")
    op.drop_column("tasks", "product")
