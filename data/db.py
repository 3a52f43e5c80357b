"""Engine, sessions and migrations. Any SQLAlchemy URL; SQLite is the embedded default."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Integer, any_, bindparam, create_engine, event, inspect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # Alembic loads when a migration runs, not at every command's start
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if url.startswith("postgresql"):

        @event.listens_for(engine, "connect")
        def _no_jit(dbapi_connection: Any, _record: Any) -> None:
            """PostgreSQL's JIT compiles any statement whose estimate is large, ~0.1-0.25 s
            each time: more than the statement itself for the console's counts and the
            report's reads at a province's size. Short statements gain nothing from it."""
            cursor = dbapi_connection.cursor()
            cursor.execute("SET jit = off")
            cursor.close()
            dbapi_connection.commit()  # a SET in a transaction rolled back would not last

    return engine


def store_exists(url: str) -> bool:
    """False for a SQLite file not created yet (connecting would create it)."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        return Path(url.removeprefix("sqlite:///")).exists()
    return True


def has_table(engine: Engine, name: str) -> bool:
    return name in inspect(engine).get_table_names()


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: [^=]+= "([^"]+)"', re.MULTILINE)


def newest_revision() -> str | None:
    """The head of the migration chain, read from the revision files' text (their
    ``revision`` and ``down_revision`` lines) without loading them: the revision no
    other revises. None if that is not exactly one."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text("utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
        revised.update(_DOWN.findall(source))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; safe at every start). A
    store already there is left alone without loading Alembic's environment and every
    revision file (a third of a second at each command's start)."""
    newest = newest_revision()
    if newest is not None and has_table(engine, "alembic_version"):
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        if [row[0] for row in current] == [newest]:
            return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session, one transaction: committed on success, rolled back on error."""
    with factory() as session, session.begin():
        yield session


def insert_ignoring_conflict(
    session: Session, model: type[Any], values: dict[str, Any], unique: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was new.

    This is what lets two workers write the same outbox key or scan day at once.
    """
    dialect = session.get_bind().dialect.name
    table = model.__table__
    returning = table.c[unique[0]]  # a row comes back only when it was inserted
    if dialect == "postgresql":
        pg = postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
        result = session.execute(pg.returning(returning))
    elif dialect == "sqlite":
        lite = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
        result = session.execute(lite.returning(returning))
    else:  # pragma: no cover - only the two supported stores
        raise NotImplementedError(f"{dialect} is not a supported store")
    return result.first() is not None


def among(session: Session, column: Any, ids: list[int]) -> Any:
    """``column IN ids`` for a batch of ids: on PostgreSQL one array parameter
    (``= ANY``), not one placeholder per id to render, send and parse (a batch of
    2,000 ids cost more in the statement's text than in the index)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)
