"""Shared fixtures: the store on SQLite and on PostgreSQL, the sample plan."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from data import chat_store, db, revisions, unit_store
from data.domain import ChatAddress, ChatRole
from data.importers import LoadedFile, load_document
from data.importers.interpret import ParsedDocument
from data.units import UnitRegistry

if TYPE_CHECKING:
    from bot.runtime import Runtime

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"
SAMPLE_DATE = date(2026, 4, 1)
POSTGRES_URL = os.environ.get(
    "NHACVIEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def parse_sample(content: bytes | None = None, name: str = "ke_hoach_mau.txt") -> ParsedDocument:
    data = SAMPLE_PLAN.read_bytes() if content is None else content
    return load_document(
        LoadedFile(name, Path(name).suffix, data),
        UnitRegistry.default(),
        doc_date=SAMPLE_DATE,
        today=SAMPLE_DATE,
    )


@pytest.fixture
def sample_parsed() -> ParsedDocument:
    return parse_sample()


def _postgres_engine() -> Iterator[Engine]:
    """A fresh schema per test in the shared `test` database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # the suite requires PostgreSQL: fail loudly, never skip
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is required for the tests ({POSTGRES_URL}): {exc}. "
            "Start it (see README) or set NHACVIEC_TEST_POSTGRES_URL."
        )
    engine = db.make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The migrated store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        eng = db.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        db.migrate(eng)
        yield eng
        eng.dispose()
    else:
        for eng in _postgres_engine():
            db.migrate(eng)
            yield eng


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    factory = db.session_factory(engine)
    with db.transaction(factory) as session:
        unit_store.ensure_default_units(session)
    return factory


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line's store in ``tmp_path/var``, holding the sample office's units.

    A fresh store has no units (a new office creates its own with ``--add-units``);
    tests of the sample plan start from the sample office, as the demo does.
    """
    from bot.runtime import Runtime
    from bot.settings import Settings

    folder = tmp_path / "var"
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(folder))
    for name in ("NHACVIEC_DATABASE_URL", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    runtime = Runtime.open(Settings())
    with db.transaction(runtime.sessions) as session:
        unit_store.ensure_default_units(session)
    runtime.close()
    return folder


def save_sample(
    sessions: sessionmaker[Session], now: datetime, plan: bytes | None = None, key: str = "kh"
) -> revisions.SaveOutcome:
    """The sample plan (or ``plan``) saved into the store at ``now``."""
    with db.transaction(sessions) as session:
        return revisions.save_document(
            session, parse_sample(plan), key=key, source_name="", sha256="", now=now
        )


def bind_every_unit(
    sessions: sessionmaker[Session], channel: str, now: datetime, prefix: str = "g-"
) -> None:
    """Each unit gets a group ``<prefix><code>`` on ``channel``; the office gets ``admin``."""
    with db.transaction(sessions) as session:
        for unit in unit_store.list_units(session):
            address = ChatAddress(channel, f"{prefix}{unit.code}")
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
        chat_store.bind_chat(session, ChatAddress(channel, "admin"), ChatRole.ADMIN, None, now)


@pytest.fixture
def sample_store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The migrated store (both databases) with the sample plan imported on its date."""
    save_sample(sessions, datetime.combine(SAMPLE_DATE, datetime.min.time(), tzinfo=UTC))
    return sessions


def sample_runtime(
    tmp_path: Path, now: datetime, plan: bytes | None = None, **settings: Any
) -> Runtime:
    """The real composition root on a fresh SQLite store with the sample plan, clock pinned."""
    from bot.runtime import Runtime
    from bot.settings import Settings

    config = {"telegram_bot_token": None, "zalo_bot_token": None, **settings}
    runtime = Runtime.open(Settings(data_dir=tmp_path, **config))
    with db.transaction(runtime.sessions) as session:
        unit_store.ensure_default_units(session)
    runtime.clock = lambda: now
    save_sample(runtime.sessions, now, plan)
    return runtime
