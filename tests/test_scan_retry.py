"""A morning scan the store refused is tried again until it runs that day (both stores).

The store is a real engine that refuses connections while a fake clock says it is
down; the clock's ``sleep`` moves time on at once, so hours of backoff take
milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from data import db
from data.clock import VN_TZ, local_date
from data.domain import MessageKind
from data.models import OutboxMessage, ScanRun
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher
from jobs.morning import Morning
from jobs.plan import Policy
from jobs.scan import run_scan
from tests.conftest import bind_every_unit, save_sample
from tests.fake_channel import FakeChannel
from tests.fakes.clock import FakeClock

TUESDAY = date(2026, 6, 16)


def at(hour: int, minute: int = 0, day: date = TUESDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN_TZ)


def refuse_connections(engine: Engine, down: Callable[[], bool]) -> None:
    """While ``down()``, pooled connections are dropped and new ones refused."""
    dbapi: Any = engine.dialect.loaded_dbapi

    @event.listens_for(engine, "checkout")
    def _dropped(_conn: object, _record: object, _proxy: object) -> None:
        if down():
            raise DisconnectionError("server closed the connection (fake outage)")

    @event.listens_for(engine, "do_connect")
    def _refused(_dialect: object, _record: object, _cargs: object, _cparams: object) -> None:
        if down():
            raise dbapi.OperationalError("connection refused (fake outage)")


class FlakyCalendar(WorkCalendar):
    """A calendar whose table cannot be read while ``broken()``: a failure that is not the
    store's, so the store can still take the office's alert."""

    def __init__(self, broken: Callable[[], bool]) -> None:
        super().__init__()
        self.broken = broken

    def is_working_day(self, d: date) -> bool:
        if self.broken():
            raise RuntimeError("holiday table unreadable")
        return super().is_working_day(d)


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The sample plan; every unit bound to a group on the fake channel, plus the office."""
    now = at(6)
    save_sample(sessions, now)
    bind_every_unit(sessions, "fake", now)
    return sessions


def planned(sessions: sessionmaker[Session], now: datetime) -> list[tuple[str, str]]:
    """(chat, text) of every message the day's scan sends, from a dry run."""
    with db.transaction(sessions) as session:
        result = run_scan(session, local_date(now), now, WorkCalendar(), Policy(), dry_run=True)
    return sorted((m.destination.chat_id, m.text) for m in result.messages if m.destination)


def morning(
    sessions: sessionmaker[Session],
    channel: FakeChannel,
    clock: FakeClock,
    calendar: WorkCalendar | None = None,
) -> Morning:
    dispatcher = Dispatcher(sessions, {"fake": channel}, clock=clock, sleep=clock.sleep)
    return Morning(
        sessions,
        calendar or WorkCalendar(),
        Policy(),
        dispatcher,
        clock,
        at(7, 30).time(),
        sleep=clock.sleep,
    )


def sent(channel: FakeChannel, but: str = "admin") -> list[tuple[str, str]]:
    return sorted((s.chat_id, s.text) for s in channel.sent if s.chat_id != but)


async def test_the_store_down_across_the_scan_time_retries_and_sends_every_digest_once(
    office: sessionmaker[Session], engine: Engine
) -> None:
    expected = planned(office, at(7, 30))
    assert len(expected) > 3
    clock, channel = FakeClock(at(7, 30)), FakeChannel()
    back = at(7, 31)
    refuse_connections(engine, lambda: clock.now < back)

    scanned = await morning(office, channel, clock).scan()

    assert clock.slept == [5, 10, 20, 40]  # 07:30:00, :05, :15, :35 refused; 07:31:15 ran
    assert scanned is not None
    assert (scanned.attempts, scanned.late) == (5, False)
    assert sent(channel, but="") == expected  # every digest, once; no alert before 09:30
    with office() as session:
        assert session.get(ScanRun, TUESDAY) is not None

    again = await morning(office, channel, clock).scan()  # a second run: nothing doubled
    assert again is not None
    assert again.queued == []
    assert sent(channel, but="") == expected


async def test_backoff_is_capped_and_a_late_scan_tells_the_office(
    office: sessionmaker[Session], engine: Engine
) -> None:
    expected = planned(office, at(7, 30))
    clock, channel = FakeClock(at(7, 30)), FakeChannel()
    back = at(10, 15)  # down for 2 h 45: past the 09:30 deadline, the alert cannot be written
    refuse_connections(engine, lambda: clock.now < back)

    scanned = await morning(office, channel, clock).scan()

    assert scanned is not None
    assert scanned.late
    assert max(clock.slept) == 300  # every 5 minutes at most
    assert clock.slept[:6] == [5, 10, 20, 40, 80, 160]
    assert back <= clock.now < back + timedelta(minutes=5)
    assert sent(channel) == [m for m in expected if m[0] != "admin"]
    [late] = [s.text for s in channel.to("admin") if "muộn" in s.text]
    assert "16/06/2026" in late
    assert f"lúc {clock.now:%H:%M}" in late


async def test_a_scan_still_failing_at_the_deadline_tells_the_office_once(
    office: sessionmaker[Session],
) -> None:
    expected = planned(office, at(7, 30))
    clock, channel = FakeClock(at(7, 30)), FakeChannel()
    calendar = FlakyCalendar(lambda: clock.now < at(10))

    scanned = await morning(office, channel, clock, calendar).scan()

    assert scanned is not None
    assert sent(channel) == [m for m in expected if m[0] != "admin"]  # the digests, once
    with office() as session:
        alerts = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == MessageKind.ALERT)
            .order_by(OutboxMessage.id)
        ).all()
    failing, late = alerts  # one "still failing" alert, however many attempts failed after
    assert "chưa chạy được" in failing.text
    assert "holiday table unreadable" in failing.text
    assert at(9, 30) <= failing.created_at.astimezone(VN_TZ) < at(9, 35)
    assert "đã chạy được" in late.text
    assert {s.text for s in channel.to("admin")} >= {failing.text, late.text}


async def test_a_day_that_ends_before_the_store_is_back_is_given_up_at_midnight(
    office: sessionmaker[Session], engine: Engine
) -> None:
    clock, channel = FakeClock(at(23, 40)), FakeChannel()
    refuse_connections(engine, lambda: True)

    assert await morning(office, channel, clock).scan() is None

    assert local_date(clock.now) == TUESDAY  # it never slept into the next day
    assert clock.now > at(23, 50)
    assert channel.sent == []


async def test_a_catch_up_that_meets_the_outage_returns_and_retries_in_the_background(
    office: sessionmaker[Session], engine: Engine
) -> None:
    expected = planned(office, at(9))
    clock, channel = FakeClock(at(9)), FakeChannel()  # started late, the store is down
    refuse_connections(engine, lambda: clock.now < at(9, 1))
    job = morning(office, channel, clock)

    assert await job.catch_up() is None  # start-up goes on; the scan is retried meanwhile
    await job.settled()

    assert sent(channel, but="") == expected
    assert clock.now >= at(9, 1)
