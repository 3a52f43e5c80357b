"""Scan → outbox → dispatcher, on SQLite and PostgreSQL: once, whatever happens.

Scanning twice, two workers at once, a crash between sending and recording, a bot
that was down for three days, platform errors: no message lost, none doubled —
except the one in flight at a crash (documented in jobs/outbox.py).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import db, outbox
from data.domain import ChatAddress, MessageKind, OutboxStatus
from data.models import OutboxMessage
from jobs.calendar import WorkCalendar
from jobs.channels import PermanentError, RateLimitError, TransientError
from jobs.dispatcher import Dispatcher, RetryPolicy
from jobs.plan import Policy
from jobs.quota import Quota
from jobs.scan import run_scan
from tests.conftest import bind_every_unit, save_sample
from tests.fake_channel import FakeChannel

CALENDAR = WorkCalendar()
POLICY = Policy()
TUESDAY = date(2026, 6, 16)  # "Quý II/2026" is 14 days away; "trước ngày 15/6/2026" is late


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, day: date, hour: int = 0) -> datetime:
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        return self.now


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The sample plan imported; every unit bound to a chat on the fake channel, plus admin."""
    now = datetime(2026, 4, 1, tzinfo=UTC)
    save_sample(sessions, now)
    bind_every_unit(sessions, "fake", now)
    return sessions


def scan(sessions: sessionmaker[Session], day: date, clock: Clock) -> list[str]:
    with db.transaction(sessions) as session:
        return run_scan(session, day, clock.at(day, 0), CALENDAR, POLICY).queued


def dispatcher(
    sessions: sessionmaker[Session], channel: FakeChannel, clock: Clock, **kwargs: object
) -> Dispatcher:
    return Dispatcher(
        sessions,
        {channel.name: channel},
        clock=clock,
        admin_chat=ChatAddress("fake", "admin"),
        **kwargs,
    )  # type: ignore[arg-type]


def rows(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_scanning_twice_queues_and_sends_each_message_once(
    office: sessionmaker[Session],
) -> None:
    clock, channel = Clock(datetime.now(UTC)), FakeChannel()
    first = scan(office, TUESDAY, clock)
    assert first  # digests for the units with items
    assert scan(office, TUESDAY, clock) == []
    report = await dispatcher(office, channel, clock).run_once()
    assert len(report.sent) == len(first)
    assert await dispatcher(office, channel, clock).run_once() == type(report)()
    assert len(channel.sent) == len(first)
    assert len({s.chat_id for s in channel.sent}) == len(channel.sent)  # one message per chat
    assert all(r.status == "sent" and r.message_ids for r in rows(office))
    digest = channel.to("g-hcqt")[0].text
    assert "#" in digest
    assert "Quý II/2026" in digest or "30/06/2026" in digest


async def test_two_workers_at_once_never_double(office: sessionmaker[Session]) -> None:
    clock = Clock(datetime.now(UTC))
    channel = FakeChannel(delay=0.005)

    async def worker() -> None:
        await asyncio.to_thread(scan, office, TUESDAY, clock)
        await dispatcher(office, channel, clock).run_once(limit=2)
        await dispatcher(office, channel, clock).run_once()

    await asyncio.gather(worker(), worker(), worker())
    keys = [r.key for r in rows(office)]
    assert len(keys) == len(set(keys))
    assert len(channel.sent) == len(keys)
    assert sorted(s.chat_id for s in channel.sent) == sorted(r.chat_id for r in rows(office))


async def test_two_bots_on_one_store_never_pass_a_monthly_cap(
    office: sessionmaker[Session],
) -> None:
    """Each dispatcher reserves a message's parts before sending them: two bots on one
    database, both sending at once, stop at the cap together; a refused send gives its
    reservation back."""
    clock = Clock(datetime.now(UTC))
    queued = scan(office, TUESDAY, clock)
    cap = 2
    assert len(queued) > cap + 1
    channel = FakeChannel(delay=0.6)  # each bot checks while the others are still sending
    bots = [dispatcher(office, channel, clock, quotas={"fake": Quota(cap)}) for _ in range(3)]

    async def later(bot: Dispatcher, pause: float) -> None:
        await asyncio.sleep(pause)  # its own row claimed, not raced for with the others
        await bot.run_once(limit=1)

    await asyncio.gather(*(later(bot, 0.15 * n) for n, bot in enumerate(bots)))
    with office() as session:
        used = outbox.used(session, "fake", clock())
    assert 1 <= len(channel.sent) == used <= cap  # (the old check-then-count: 3 sent)

    refused = FakeChannel(failures=[RateLimitError(30.0)])
    clock.now = datetime(2026, 7, 1, 3, tzinfo=UTC)  # a new month: the held rows are due
    report = await dispatcher(office, refused, clock, quotas={"fake": Quota(cap)}).run_once(limit=1)
    assert report.retried and not refused.sent
    with office() as session:
        assert outbox.used(session, "fake", clock()) == 0  # the 429'd part was given back


async def test_a_row_claimed_again_after_its_lease_is_sent_by_that_claim_only(
    office: sessionmaker[Session],
) -> None:
    """A bot holds two rows; its first send outlasts the lease and another bot claims
    both meanwhile: the second row, still waiting in the first bot's queue, is left to
    that claim. (The first, in flight past its lease, is the documented one resent.)"""
    clock = Clock(datetime.now(UTC))
    scan(office, TUESDAY, clock)
    channel = FakeChannel()
    other = dispatcher(office, channel, clock)

    class SlowFirst(FakeChannel):
        async def send(self, chat_id: str, text: str, buttons: tuple[Any, ...] = ()) -> str:
            if not self.sent:  # the first send outlasts the lease; the other bot steps in
                clock.now += outbox.LEASE + timedelta(minutes=1)
                await other.run_once(limit=2)
            return await super().send(chat_id, text, buttons)

    slow = SlowFirst()
    await dispatcher(office, slow, clock).run_once(limit=2)
    waiting = channel.sent[1].chat_id  # the row that was only queued when the lease ran out
    assert [s.chat_id for s in channel.sent + slow.sent].count(waiting) == 1


async def test_a_network_failure_gives_back_all_but_the_part_in_flight(
    office: sessionmaker[Session],
) -> None:
    clock = Clock(datetime.now(UTC))
    now = clock.at(TUESDAY, 1)
    with db.transaction(office) as session:
        long = " ".join(["chữ"] * 60)  # three parts at 100 characters
        outbox.enqueue(
            session, [outbox.Outgoing("fake", "g-x", MessageKind.DIGEST, TUESDAY, long)], now
        )
    flaky = FakeChannel(max_length=100, failures=[TransientError("timeout")])
    bot = dispatcher(office, flaky, clock, quotas={"fake": Quota(100)})
    await bot.run_once()
    with office() as session:
        assert outbox.used(session, "fake", now) == 1  # may have gone out: counted
    clock.now += timedelta(hours=1)
    await bot.run_once()
    with office() as session:
        assert outbox.used(session, "fake", now) == 1 + 3 == 1 + len(flaky.sent)


async def test_a_row_whose_parts_were_all_recorded_is_finished(
    office: sessionmaker[Session],
) -> None:
    """A crash after the last part was recorded, before the row was finished: the next
    claim finishes it and sends nothing."""
    clock = Clock(datetime.now(UTC))
    now = clock.at(TUESDAY, 1)
    with db.transaction(office) as session:
        outbox.enqueue(
            session, [outbox.Outgoing("fake", "g-x", MessageKind.DIGEST, TUESDAY, "tin")], now
        )
        (due,) = outbox.due(session, now, ["fake"], limit=1)
        row = outbox.take(session, due.id, "crashed", now, ["fake"])
        assert row is not None
        outbox.record_part(session, row.id, "crashed", "m-1", now)
    clock.now = now + outbox.LEASE + timedelta(minutes=1)
    channel = FakeChannel()
    report = await dispatcher(office, channel, clock).run_once()
    assert channel.sent == [] and len(report.sent) == 1
    assert [r.status for r in rows(office)] == ["sent"]


class Crash(BaseException):
    """The process dies: not an Exception, so nothing in the dispatcher catches it."""


async def test_crash_between_sending_and_recording_resends_only_that_part(
    office: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(datetime.now(UTC))
    channel = FakeChannel(max_length=120)  # every digest goes out in several parts
    scan(office, TUESDAY, clock)
    real_record = outbox.record_part
    calls = {"n": 0}

    def record_then_die(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # part 2 of the first message was sent, then the process died
            raise Crash
        real_record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "record_part", record_then_die)
    with pytest.raises(Crash):
        await dispatcher(office, channel, clock).run_once()
    monkeypatch.setattr(outbox, "record_part", real_record)
    crashed = next(r for r in rows(office) if r.status == "sending")
    assert crashed.parts_sent == 1

    # another worker before the lease ends: leaves the row alone
    await dispatcher(office, channel, clock).run_once()
    assert next(r for r in rows(office) if r.id == crashed.id).status == "sending"

    clock.now += outbox.LEASE + timedelta(seconds=1)
    await dispatcher(office, channel, clock).run_once()
    assert all(r.status == "sent" for r in rows(office))
    texts = [s.text for s in channel.to(crashed.chat_id)]
    parts = [p for p in texts if p]
    assert len(parts) == len(set(parts)) + 1  # exactly one part went out twice: the one in flight
    from jobs.channels import split_message

    for row in rows(office):
        expected = split_message(row.text, channel.max_length)
        received = [s.text for s in channel.to(row.chat_id)]
        assert list(dict.fromkeys(received)) == expected  # whole, in order


async def test_bot_down_three_days_folds_into_one_digest(office: sessionmaker[Session]) -> None:
    clock, channel = Clock(datetime.now(UTC)), FakeChannel()
    monday = date(2026, 6, 15)
    scan(office, monday, clock)
    await dispatcher(office, channel, clock).run_once()
    before = len(channel.sent)
    friday = monday + timedelta(days=4)  # Tue, Wed, Thu missed
    queued = scan(office, friday, clock)
    await dispatcher(office, channel, clock).run_once()
    friday_messages = channel.sent[before:]
    chats = [s.chat_id for s in friday_messages]
    assert len(chats) == len(set(chats)) == len(queued)  # one message per chat, not a flood
    # the 14-day step of "Quý II/2026" (30/06) fell on Tuesday 16/06: folded into Friday's
    hcqt = next(s.text for s in friday_messages if s.chat_id == "g-hcqt")
    assert "Đề án sắp xếp, kiện toàn" in hcqt
    with office() as session:
        missed = run_scan(session, friday, clock.now, CALENDAR, POLICY, dry_run=True)
        assert missed.plan.date == friday


async def test_failures_retry_with_backoff_then_park_and_tell_the_admin(
    office: sessionmaker[Session],
) -> None:
    clock = Clock(datetime.now(UTC))
    with db.transaction(office) as session:
        outbox.enqueue(
            session,
            [outbox.Outgoing("fake", "g-ktvx", "digest", TUESDAY, "xin chào")],
            clock.now,
        )
    retry = RetryPolicy(first_delay=timedelta(seconds=30), max_attempts=3)
    channel = FakeChannel(
        failures=[TransientError("boom"), RateLimitError(12), TransientError("boom")]
        + [TransientError("down")] * 5
    )
    send = dispatcher(office, channel, clock, retry=retry)

    assert (await send.run_once()).retried  # 1st failure
    (row,) = rows(office)
    assert row.attempts == 1
    assert row.next_attempt_at == clock.now + timedelta(seconds=30)
    assert (await send.run_once()).retried == []  # not due yet: nothing taken

    clock.now = row.next_attempt_at
    await send.run_once()  # 429: waits retry_after, not counted
    (row,) = rows(office)
    assert row.attempts == 1
    assert row.next_attempt_at == clock.now + timedelta(seconds=12)

    clock.now = row.next_attempt_at
    await send.run_once()  # 2nd failure
    (row,) = rows(office)
    assert row.attempts == 2
    assert row.next_attempt_at == clock.now + timedelta(seconds=60)

    clock.now = row.next_attempt_at
    report = await send.run_once()  # 3rd failure: parked
    assert report.parked == [row.id]
    parked, alert = rows(office)
    assert parked.status == "parked"
    assert "down" in parked.last_error
    assert (alert.kind, alert.chat_id, alert.status) == ("alert", "admin", "pending")
    assert "Không gửi được" in alert.text
    assert f"--retry {parked.id}" in alert.text

    channel.failures.clear()
    await send.run_once()
    assert channel.to("admin")  # the admin heard about it
    with db.transaction(office) as session:
        assert outbox.requeue_parked(session, [parked.id], clock.now) == 1
    await send.run_once()
    assert [s.text for s in channel.to("g-ktvx")] == ["xin chào"]  # nothing lost


async def test_permanent_error_parks_at_once(office: sessionmaker[Session]) -> None:
    clock = Clock(datetime.now(UTC))
    with db.transaction(office) as session:
        outbox.enqueue(
            session, [outbox.Outgoing("fake", "g-gone", "digest", TUESDAY, "x")], clock.now
        )
    channel = FakeChannel(failures=[PermanentError("bot was kicked from the group chat")])
    report = await dispatcher(office, channel, clock).run_once()
    assert report.parked
    assert rows(office)[0].attempts == 1


async def test_rows_for_a_channel_not_running_here_stay_pending(
    office: sessionmaker[Session],
) -> None:
    clock = Clock(datetime.now(UTC))
    with db.transaction(office) as session:
        outbox.enqueue(session, [outbox.Outgoing("zalo", "z-1", "digest", TUESDAY, "x")], clock.now)
    report = await dispatcher(office, FakeChannel(), clock).run_once()
    assert report.sent == []
    assert rows(office)[0].status == "pending"


def test_enqueue_writes_each_new_row_whole_and_tells_new_from_existing(
    sessions: sessionmaker[Session],
) -> None:
    """One statement of arrays on PostgreSQL, multi-row VALUES on SQLite: the same rows,
    and the same answer about which keys were new (a key twice in one call, a key an
    earlier call wrote)."""
    now = datetime(2026, 6, 16, 0, 30, tzinfo=UTC)
    buttons = (("Xong", "done:7"), ("Gia hạn", "extend:7"))
    day = date(2026, 6, 16)
    first = [
        outbox.Outgoing(
            "telegram", "g-1", MessageKind.DIGEST, day, "Chi bộ 1: 'việc' \\ \"a\"", (7, 9)
        ),
        outbox.Outgoing("zalo", "g-2", MessageKind.WEEKLY, day, "Tuần", (), buttons=buttons),
    ]
    with db.transaction(sessions) as session:
        done = outbox.enqueue(session, [*first, first[0]], now)
    assert done.added == [first[0].key, first[1].key]
    assert done.existing == [first[0].key]  # the second time in the same call
    later = outbox.Outgoing("telegram", "g-3", MessageKind.ESCALATION, day, "Quá hạn", (1,))
    with db.transaction(sessions) as session:
        again = outbox.enqueue(session, [first[1], later], now + timedelta(hours=1))
    assert again.added == [later.key] and again.existing == [first[1].key]
    found = {row.key: row for row in rows(sessions)}
    assert list(found) == [first[0].key, first[1].key, later.key]  # in the order given
    digest, weekly, escalation = found[first[0].key], found[first[1].key], found[later.key]
    assert (digest.channel, digest.chat_id, digest.kind, digest.day) == (
        "telegram",
        "g-1",
        MessageKind.DIGEST,
        day,
    )
    assert digest.text == "Chi bộ 1: 'việc' \\ \"a\"" and digest.tasks == [7, 9]
    assert digest.buttons is None and weekly.buttons == [list(b) for b in buttons]
    assert weekly.tasks == [] and weekly.kind is MessageKind.WEEKLY
    for row in (digest, weekly):
        assert (row.status, row.attempts, row.parts_sent, row.message_ids) == (
            OutboxStatus.PENDING,
            0,
            0,
            [],
        )
        assert (row.last_error, row.locked_by, row.locked_at, row.sent_at) == ("", "", None, None)
        assert row.next_attempt_at == now and row.created_at == now
    assert escalation.created_at == now + timedelta(hours=1)
