"""The process's jobs: rebuilt from settings at start, catching up a missed morning."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import db, store
from data.clock import VN_TZ
from data.models import Chat, ScanRun, Unit
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher
from jobs.morning import DISPATCH_JOB, SCAN_JOB, Morning, install, morning_trigger
from jobs.plan import Policy
from tests.conftest import parse_sample
from tests.fake_channel import FakeChannel


def test_trigger_is_07_30_in_vietnam_given_now() -> None:
    trigger = morning_trigger(time(7, 30))
    now = datetime(2026, 6, 16, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội: today's has passed
    fire = trigger.get_next_fire_time(None, now)
    assert fire == datetime(2026, 6, 17, 7, 30, tzinfo=VN_TZ)
    assert fire.astimezone(UTC).hour == 0


async def test_install_is_idempotent() -> None:
    scheduler = AsyncIOScheduler(timezone=VN_TZ)
    scheduler.start(paused=True)
    morning = Morning(None, WorkCalendar(), Policy(), None, lambda: datetime.now(UTC))  # type: ignore[arg-type]
    install(scheduler, morning, timedelta(seconds=10))
    install(scheduler, morning, timedelta(seconds=10))
    assert sorted(job.id for job in scheduler.get_jobs()) == sorted([SCAN_JOB, DISPATCH_JOB])
    scheduler.shutdown(wait=False)


async def test_catch_up_after_the_scan_time_only_once(sessions: sessionmaker[Session]) -> None:
    now = {"t": datetime(2026, 6, 16, 7, 0, tzinfo=VN_TZ)}
    with db.transaction(sessions) as session:
        store.save_document(
            session, parse_sample(), key="kh", source_name="", sha256="", now=now["t"]
        )
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        session.add(Chat(channel="fake", chat_id="g", unit=unit, created_at=now["t"]))
    channel = FakeChannel()
    clock = lambda: now["t"]  # noqa: E731
    dispatcher = Dispatcher(sessions, {"fake": channel}, clock=clock)
    morning = Morning(sessions, WorkCalendar(), Policy(), dispatcher, clock, time(7, 30))

    assert await morning.catch_up() is None  # 07:00: too early, the scheduler will do it
    now["t"] = datetime(2026, 6, 16, 9, 15, tzinfo=VN_TZ)  # started late
    result = await morning.catch_up()
    assert result is not None
    assert result.plan.date == now["t"].date()
    assert len(channel.sent) == 1
    assert await morning.catch_up() is None  # already scanned today
    with sessions() as session:
        assert session.get(ScanRun, now["t"].date()) is not None
