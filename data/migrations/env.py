"""Alembic environment: runs on the engine the application hands over.

On PostgreSQL the migration holds a transaction-level advisory lock
(``pg_advisory_xact_lock``), so several ``nhacviec migrate`` (or several processes
starting at once) on a fresh database run one after another: the first creates the
schema, the others find it at the newest revision and do nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import data.leases  # its table is on Base.metadata
import data.processed_updates  # noqa: F401  (its table is on Base.metadata)
from data.models import Base

MIGRATION_LOCK = 0x6E68_6163_7669_6563 >> 1  # "nhacviec", as a positive bigint

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only the app runs migrations
    raise RuntimeError("nhacviec runs its migrations through data.db.migrate(engine)")

with engine.connect() as connection:
    if connection.dialect.name == "postgresql":
        # held until the commit below: the version table is read only after it is ours
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
