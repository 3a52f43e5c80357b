"""part_files: the files a unit sends with its part (the product of a task)

The bytes are kept under ``<data_dir>/files/<sha256>``, not in the database: a backup
copies the directory beside the store, and one content sent twice is kept once.

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-07 18:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "part_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("chat", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_part_files_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_files")),
    )
    op.create_index(op.f("ix_part_files_assignment_id"), "part_files", ["assignment_id"])
    op.create_index(op.f("ix_part_files_sha256"), "part_files", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_part_files_sha256"), table_name="part_files")
    op.drop_index(op.f("ix_part_files_assignment_id"), table_name="part_files")
    op.drop_table("part_files")
