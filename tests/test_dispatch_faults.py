"""The dispatcher when the store misbehaves mid-send (issue 24, defects 5 and 6).

* SQLite held by another writer, PostgreSQL cut: a part that went out is recorded once
  the store answers again; the sending is never repeated for it.
* A crash mid-drain: the rows the dead dispatcher had not started are free for the
  next one at once; only the row in flight waits for its lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from data import db, unit_store
from data.domain import ChatAddress, OutboxStatus
from data.models import OutboxMessage
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher
from jobs.plan import Policy
from jobs.scan import run_scan
from tests.conftest import POSTGRES_URL, _postgres_engine, bind_every_unit, save_sample
from tests.fake_channel import FakeChannel
from tests.fakes.pg_proxy import TcpProxy

TUESDAY = date(2026, 6, 16)
NOW = datetime(2026, 6, 16, 1, tzinfo=UTC)


def _office(engine: Engine) -> sessionmaker[Session]:
    sessions = db.session_factory(engine)
    with db.transaction(sessions) as session:
        unit_store.ensure_default_units(session)
    save_sample(sessions, datetime(2026, 4, 1, tzinfo=UTC))
    bind_every_unit(sessions, "fake", datetime(2026, 4, 1, tzinfo=UTC))
    with db.transaction(sessions) as session:
        run_scan(session, TUESDAY, NOW, WorkCalendar(), Policy())
    return sessions


def _rows(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _dispatcher(sessions: sessionmaker[Session], channel: FakeChannel) -> Dispatcher:
    return Dispatcher(
        sessions, {"fake": channel}, clock=lambda: NOW, admin_chat=ChatAddress("fake", "admin")
    )


def _assert_each_once(sessions: sessionmaker[Session], channel: FakeChannel) -> None:
    rows = _rows(sessions)
    assert {r.status for r in rows} == {OutboxStatus.SENT}, [
        (r.id, r.chat_id, r.parts_sent, r.locked_by) for r in rows if r.status != "sent"
    ]
    copies = Counter((s.chat_id, s.text) for s in channel.sent)
    assert max(copies.values()) == 1, [k for k, n in copies.items() if n > 1]
    assert len(channel.sent) == len(rows)


class Crash(BaseException):
    """kill -9: nothing in the dispatcher catches it."""


async def test_sqlite_held_by_another_writer_never_sends_twice(tmp_path: Path) -> None:
    """An import holds SQLite's write lock longer than the busy timeout just after a
    digest went out: its recording waits and is retried; nothing is sent again (before
    the fix the drain stopped with "database is locked" and the row was resent after
    its lease)."""
    path = tmp_path / "store.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine)
    sessions = _office(engine)
    released = threading.Event()

    def hold_the_lock(seconds: float) -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer: an import, a console edit
        started.set()
        released.wait(seconds)
        other.execute("COMMIT")
        other.close()

    started = threading.Event()

    class HeldAfterSecond(FakeChannel):
        async def send(self, chat_id: str, text: str, buttons: tuple[Any, ...] = ()) -> str:
            message_id = await super().send(chat_id, text, buttons)
            if len(self.sent) == 2:  # the store is taken right after this part went out
                threading.Thread(target=hold_the_lock, args=(6.5,), daemon=True).start()
                await asyncio.to_thread(started.wait)
            return message_id

    channel = HeldAfterSecond()
    first = _dispatcher(sessions, channel)
    try:
        # rows not yet taken meet the lock too: that drain stops (nothing was sent for them)
        with contextlib.suppress(OperationalError):
            await first.drain()
    finally:
        released.set()
    # whatever the first drain left, a later one (past any lease) finishes without resending
    later = Dispatcher(
        sessions,
        {"fake": channel},
        clock=lambda: NOW.replace(hour=2),
        admin_chat=ChatAddress("fake", "admin"),
    )
    await later.drain()
    _assert_each_once(sessions, channel)
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_rows_never_started_are_free_at_once_after_a_crash(
    backend: str, tmp_path: Path
) -> None:
    """kill -9 on the third send: the next dispatcher (same moment, no lease passed)
    sends everything but the one row in flight (before: every row of the batch was
    claimed and waited out the five-minute lease)."""
    engines = _postgres_engine() if backend == "postgresql" else None
    if engines is not None:
        engine = next(engines)
        db.migrate(engine)
    else:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        db.migrate(engine)
    try:
        sessions = _office(engine)
        total = len(_rows(sessions))
        assert total > 5

        class DiesOnThird(FakeChannel):
            async def send(self, chat_id: str, text: str, buttons: tuple[Any, ...] = ()) -> str:
                if len(self.sent) == 2:
                    raise Crash
                return await super().send(chat_id, text, buttons)

        with pytest.raises(Crash):
            await _dispatcher(sessions, DiesOnThird()).run_once(limit=50, width=1)
        survivor = FakeChannel()
        await _dispatcher(sessions, survivor).drain()
        assert len(survivor.sent) == total - 3  # two sent before, one in flight
        stuck = [r for r in _rows(sessions) if r.status == OutboxStatus.SENDING]
        assert len(stuck) == 1
    finally:
        engine.dispose()
        if engines is not None:
            for _ in engines:
                pass


async def test_a_postgresql_cut_mid_send_records_the_part_when_it_returns() -> None:
    """The database goes away right after a digest went out and comes back 3 s later:
    the part is recorded then, the drain goes on, nothing is lost or sent twice."""
    proxy = TcpProxy("127.0.0.1", make_url(POSTGRES_URL).port or 5432)
    await proxy.open()
    engines = _postgres_engine()
    direct = next(engines)
    db.migrate(direct)
    schema = direct.dialect.default_schema_name
    with direct.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    url = make_url(POSTGRES_URL).set(host="127.0.0.1", port=proxy.port)
    engine = db.make_engine(
        url.render_as_string(hide_password=False),
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 2},
    )
    try:  # the proxy runs on this loop: the test's own store work goes to a thread
        sessions = await asyncio.to_thread(_office, engine)

        class CutAfterSecond(FakeChannel):
            async def send(self, chat_id: str, text: str, buttons: tuple[Any, ...] = ()) -> str:
                message_id = await super().send(chat_id, text, buttons)
                if len(self.sent) == 2:
                    await proxy.close()
                    asyncio.get_running_loop().call_later(
                        3, lambda: asyncio.ensure_future(proxy.open())
                    )
                return message_id

        channel = CutAfterSecond()
        bot = _dispatcher(sessions, channel)
        with contextlib.suppress(OperationalError):  # rows not yet taken: the drain stops
            await bot.drain()
        while not proxy.is_open:  # noqa: ASYNC110 (the proxy has no event to wait on)
            await asyncio.sleep(0.1)
        await bot.drain()  # the next dispatch round
        await asyncio.to_thread(_assert_each_once, sessions, channel)
    finally:
        engine.dispose()
        await proxy.close()
        for _ in engines:
            pass
