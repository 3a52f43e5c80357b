"""tasks.search_key: the console's accent-insensitive search served by an index

The console's task list searched in Python: every task with its parts read to show
500 of them (26–33 s at 200k tasks). Each task now keeps its title and owner cell
folded (``data.text.fold``, refreshed at every flush: ``data.models``), and the
database finds a piece of it through an index: PostgreSQL a trigram index (pg_trgm,
when this server has the extension; otherwise none and the column is scanned, still
in SQL), SQLite an FTS5 table with the trigram tokenizer kept by triggers.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000

# SQLite: an external-content FTS5 table over tasks.search_key, kept by triggers.
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE tasks_fts USING fts5("
    "search_key, content='tasks', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN"
    " INSERT INTO tasks_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN"
    " INSERT INTO tasks_fts(tasks_fts, rowid, search_key)"
    " VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER tasks_fts_update AFTER UPDATE OF search_key ON tasks BEGIN"
    " INSERT INTO tasks_fts(tasks_fts, rowid, search_key)"
    " VALUES ('delete', old.id, old.search_key);"
    " INSERT INTO tasks_fts(rowid, search_key) VALUES (new.id, new.search_key); END",
)


def _fold(text: str | None) -> str:
    from data.text import fold  # the one folding function, as the models use it

    return fold(text or "")


def upgrade() -> None:
    # A plain ADD COLUMN, never SQLite's batch copy of "tasks" (see 0011).
    op.add_column("tasks", sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    tasks = sa.table(
        "tasks",
        sa.column("id", sa.Integer),
        sa.column("title", sa.Text),
        sa.column("unit_text", sa.Text),
        sa.column("search_key", sa.Text),
    )
    last = 0
    while True:  # folded in Python (the one fold), in batches by id
        rows = bind.execute(
            sa.select(tasks.c.id, tasks.c.title, tasks.c.unit_text)
            .where(tasks.c.id > last)
            .order_by(tasks.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            tasks.update()
            .where(tasks.c.id == sa.bindparam("row_id"))
            .values(search_key=sa.bindparam("key")),
            [{"row_id": r.id, "key": search_key(r.title, r.unit_text)} for r in rows],
        )
        last = rows[-1].id
    if bind.dialect.name == "postgresql":
        schema = _trigram_schema(bind)
        if schema is not None:
            op.execute(
                "CREATE INDEX ix_tasks_search_key_trgm ON tasks"
                f' USING gin (search_key "{schema}".gin_trgm_ops)'
            )
    elif bind.dialect.name == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')")


def _trigram_schema(bind: sa.Connection) -> str | None:
    """The schema holding pg_trgm, installed (in ``public``: a database-wide extension
    must not live in one store's schema) when this server has it and we may; None
    otherwise (the search then scans the folded column)."""
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    )
    found = bind.execute(query).scalar()
    if found is not None:
        return str(found)
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if not available:
        return None
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError:  # no privilege: no index, the search still works
        return None
    return "public"


def search_key(title: str | None, unit_text: str | None) -> str:
    """``data.models.search_key`` (its format frozen here), for the rows saved before."""
    return f"{_fold(title)} | {_fold(unit_text)}"


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("tasks_fts_update", "tasks_fts_delete", "tasks_fts_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS tasks_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_tasks_search_key_trgm")
    op.drop_column("tasks", "search_key")  # SQLite ≥ 3.35 drops a column in place
