"""Alembic environment: runs on the engine the application hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import data.processed_updates  # noqa: F401  (its table is on Base.metadata)
from data.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only the app runs migrations
    raise RuntimeError("nhacviec runs its migrations through data.db.migrate(engine)")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
