"""The process's jobs: rebuilt from settings at start, catching up a missed morning, never
going back in time, and sending by draining the outbox rather than a batch a tick."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import chat_store, db, outbox, revisions
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole, MessageKind
from data.models import Chat, OutboxMessage, ScanRun, Unit
from jobs.calendar import WorkCalendar
from jobs.channels import Button, RateLimitError
from jobs.dispatcher import Dispatcher
from jobs.morning import DISPATCH_JOB, SCAN_JOB, Morning, install, morning_trigger
from jobs.plan import Policy
from tests.conftest import bind_every_unit, parse_sample, save_sample
from tests.fake_channel import FakeChannel
from tests.fakes.clock import FakeClock


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
        revisions.save_document(
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


def test_the_scan_time_may_name_a_second() -> None:
    trigger = morning_trigger(time(7, 30, 15))
    fire = trigger.get_next_fire_time(None, datetime(2026, 6, 16, 7, 30, tzinfo=VN_TZ))
    assert fire == datetime(2026, 6, 16, 7, 30, 15, tzinfo=VN_TZ)


# -- the clock went back -----------------------------------------------------------------


def office(sessions: sessionmaker[Session], extra_groups: int = 0) -> None:
    """The sample plan; each unit a group on the fake channel (plus ``extra_groups`` more
    groups of hcqt), and the office's chat."""
    now = datetime(2026, 6, 1, tzinfo=VN_TZ)
    save_sample(sessions, now)
    bind_every_unit(sessions, "fake", now)
    with db.transaction(sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        for i in range(extra_groups):
            address = ChatAddress("fake", f"hcqt-{i}")
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)


def morning_at(sessions: sessionmaker[Session], channel: FakeChannel, clock: FakeClock) -> Morning:
    dispatcher = Dispatcher(sessions, {"fake": channel}, clock=clock, sleep=clock.sleep)
    return Morning(
        sessions, WorkCalendar(), Policy(), dispatcher, clock, time(7, 30), sleep=clock.sleep
    )


async def test_a_scan_never_goes_back_in_time(sessions: sessionmaker[Session]) -> None:
    office(sessions)
    wednesday = datetime(2026, 6, 17, 7, 30, tzinfo=VN_TZ)
    clock, channel = FakeClock(wednesday), FakeChannel()
    job = morning_at(sessions, channel, clock)
    assert await job.scan() is not None
    after_wednesday = len(channel.sent)

    clock.now = wednesday - timedelta(days=1)  # the server's clock was set back a day
    stale = await job.scan()

    assert stale is not None
    assert stale.superseded_by == wednesday.date()
    assert (stale.queued, stale.already_queued) == ([], [])
    with sessions() as session:
        days = session.scalars(select(OutboxMessage.day).where(OutboxMessage.kind == "digest"))
        assert set(days) == {wednesday.date()}  # nothing queued for Tuesday
        assert session.get(ScanRun, clock.now.date()) is None
    [told] = [s.text for s in channel.sent[after_wednesday:]]  # said so, to the office
    assert channel.sent[-1].chat_id == "admin"
    assert "17/06/2026" in told and "16/06/2026" in told
    assert await job.scan() is not None  # asked again the same day: told once
    assert len(channel.sent) == after_wednesday + 1


# -- sending: a drain, not a tick ----------------------------------------------------------


async def test_a_scan_sends_everything_it_queued_not_one_batch(
    sessions: sessionmaker[Session],
) -> None:
    office(sessions, extra_groups=120)
    clock, channel = FakeClock(datetime(2026, 6, 16, 7, 30, tzinfo=VN_TZ)), FakeChannel()

    scanned = await morning_at(sessions, channel, clock).scan()

    assert scanned is not None
    assert len(scanned.queued) > 120
    assert len(channel.sent) == len(scanned.queued)  # all of them before the scan returns
    assert len({s.chat_id for s in channel.sent}) == len(channel.sent)


@dataclass
class CountingChannel(FakeChannel):
    """A fake channel a test can wait on until it has sent so many messages."""

    _counted: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        message_id = await super().send(chat_id, text, buttons)
        async with self._counted:
            self._counted.notify_all()
        return message_id

    async def reached(self, count: int) -> None:
        async with self._counted:
            await self._counted.wait_for(lambda: len(self.sent) >= count)


async def test_rows_queued_while_a_drain_runs_go_out_in_that_drain(
    sessions: sessionmaker[Session],
) -> None:
    clock = FakeClock(datetime(2026, 6, 16, 7, 30, tzinfo=VN_TZ))
    channel = CountingChannel(delay=0.001)
    day = clock.now.date()

    def queue(names: range) -> None:
        rows = [
            outbox.Outgoing("fake", f"g{i}", MessageKind.DIGEST, day, f"tin {i}") for i in names
        ]
        with db.transaction(sessions) as session:
            outbox.enqueue(session, rows, clock.now)

    queue(range(60))
    dispatcher = Dispatcher(sessions, {"fake": channel}, clock=clock, sleep=clock.sleep)
    draining = asyncio.create_task(dispatcher.drain())
    await channel.reached(5)  # the drain is under way
    queue(range(60, 90))
    dispatcher.wake()  # what the scan's enqueue and the dispatch job do

    report = await draining

    assert len(report.sent) == 90
    assert sorted(s.chat_id for s in channel.sent) == sorted(f"g{i}" for i in range(90))


async def test_a_429_pauses_the_drain_which_then_goes_on(sessions: sessionmaker[Session]) -> None:
    clock = FakeClock(datetime(2026, 6, 16, 7, 30, tzinfo=VN_TZ))
    day = clock.now.date()
    with db.transaction(sessions) as session:
        rows = [
            outbox.Outgoing("fake", f"g{i}", MessageKind.DIGEST, day, f"tin {i}") for i in range(70)
        ]
        outbox.enqueue(session, rows, clock.now)
    channel = FakeChannel(failures=[RateLimitError(3)])
    dispatcher = Dispatcher(
        sessions, {"fake": channel}, clock=clock, sleep=clock.sleep, concurrency=1
    )

    report = await dispatcher.drain()

    assert clock.slept == [3.0]  # waited out the pause, no tick needed
    assert len(report.sent) == 70
    assert len(channel.sent) == 70


async def test_the_dispatch_job_wakes_a_drain_and_returns(sessions: sessionmaker[Session]) -> None:
    clock = FakeClock(datetime(2026, 6, 16, 7, 30, tzinfo=VN_TZ))
    day = clock.now.date()
    with db.transaction(sessions) as session:
        rows = [
            outbox.Outgoing("fake", f"g{i}", MessageKind.DIGEST, day, f"tin {i}")
            for i in range(120)
        ]
        outbox.enqueue(session, rows, clock.now)
    channel = FakeChannel()
    job = morning_at(sessions, channel, clock)

    await job.dispatch()  # the interval job: starts the drain, never waits on it
    assert len(channel.sent) < 120
    await job.dispatcher.drain()  # joins the running drain

    assert len(channel.sent) == 120
