"""outbox rows carry their buttons as typed pairs (label, payload)

Before, the buttons under an office request were re-read from the row's key
("…:ext-K7P2Q", "…:cf-57-hcqt-12-20260616080000") when it was sent. Now the verb that
writes the request stores its buttons; rows still waiting are given theirs here, read
from their key once.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 16:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _buttons(key: str) -> list[list[str]] | None:
    suffix = key.rsplit(":", 1)[-1]
    if suffix.startswith("ext-"):
        code = suffix.removeprefix("ext-")
        return [["✅ Duyệt", f"ext-ok:{code}"], ["❌ Từ chối", f"ext-no:{code}"]]
    if suffix.startswith("cf-"):  # cf-<number>-<unit code>-<part id>-<moment>
        number, _, rest = suffix.removeprefix("cf-").partition("-")
        unit = rest.rsplit("-", 2)[0]
        return [["✅ Xác nhận", f"cf-ok:{number}:{unit}"], ["↩️ Trả lại", f"cf-no:{number}:{unit}"]]
    return None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("buttons", sa.JSON(), nullable=True))
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("status", sa.String()),
        sa.column("buttons", sa.JSON()),
    )
    bind = op.get_bind()
    waiting = bind.execute(
        sa.select(outbox.c.id, outbox.c.key).where(
            outbox.c.kind == "request", outbox.c.status.in_(["pending", "sending", "parked"])
        )
    ).all()
    for row_id, key in waiting:
        found = _buttons(key)
        if found:
            bind.execute(outbox.update().where(outbox.c.id == row_id).values(buttons=found))


def downgrade() -> None:
    op.drop_column("outbox", "buttons")
