"""One active bot process per token: the dispatch lease (issue 21, operations)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.lease import ProcessLease, lease_name
from data import db, leases, outbox
from data.domain import MessageKind, OutboxStatus
from data.models import OutboxMessage

NOW = datetime(2026, 6, 16, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_the_lease_is_named_by_the_tokens_never_holding_them() -> None:
    name = lease_name("123:secret-token", None)
    assert "secret" not in name and name == lease_name("123:secret-token", None)
    assert name != lease_name("123:secret-token", "zalo-token")


def test_one_holder_at_a_time_and_takeover_after_the_ttl(sessions: sessionmaker[Session]) -> None:
    ttl = timedelta(seconds=20)
    with db.transaction(sessions) as session:
        assert leases.acquire(session, "bot:x", "a", NOW, ttl) is not None
        assert leases.acquire(session, "bot:x", "b", NOW + timedelta(seconds=5), ttl) is None
        assert leases.acquire(session, "bot:x", "a", NOW + timedelta(seconds=5), ttl) is not None
        assert leases.holder_of(session, "bot:x", NOW + timedelta(seconds=10)) == "a"
        got = leases.acquire(session, "bot:x", "b", NOW + timedelta(seconds=26), ttl)
        assert got is not None and got.previous == "a"


async def test_a_standby_takes_over_and_frees_what_the_dead_one_had_in_flight(
    sessions: sessionmaker[Session],
) -> None:
    clock = Clock()
    with db.transaction(sessions) as session:
        message = outbox.Outgoing("telegram", "g-1", MessageKind.DIGEST, date(2026, 6, 16), "tin")
        outbox.enqueue(session, [message], NOW)
        (due,) = outbox.due(session, NOW, ["telegram"])
        assert outbox.take(session, due.id, "first", NOW, ["telegram"]) is not None
    first = ProcessLease(sessions, "bot:x", "first", clock, every=0.01)
    second = ProcessLease(sessions, "bot:x", "second", clock, every=0.01)
    stop = asyncio.Event()
    assert await first.wait(stop)
    waiting = asyncio.create_task(second.wait(stop))
    await asyncio.sleep(0.1)
    assert not waiting.done() and second.standing_by  # the first renews... or not: it died
    clock.now += timedelta(seconds=21)
    assert await asyncio.wait_for(waiting, 5)
    with sessions() as session:
        row = session.get(OutboxMessage, due.id)
        assert row is not None and row.status == OutboxStatus.PENDING  # free at once
    # the first comes back from a long store cut: it finds the lease taken and stops
    await asyncio.wait_for(first.keep(), 5)
    assert first.lost


def test_a_holder_dead_on_this_host_is_replaced_at_once(sessions: sessionmaker[Session]) -> None:
    """kill -9 and a restart on the same host (or container, pid 1 again): no waiting
    out the lease."""
    import subprocess
    import sys

    from bot.lease import gone_here

    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = f"host:{done.stdout.strip()}:aaaa"
    assert gone_here(dead, "host:1:bbbb")
    assert gone_here("host:1:aaaa", "host:1:bbbb")  # a restarted container
    assert not gone_here("other:123:aaaa", "host:1:bbbb")
    import os

    assert not gone_here(f"host:{os.getppid()}:aaaa", "host:1:bbbb")  # alive
    clock = Clock()
    with db.transaction(sessions) as session:
        assert leases.acquire(session, "bot:y", dead, NOW, timedelta(seconds=20))
    lease = ProcessLease(sessions, "bot:y", "host:1:bbbb", clock)
    assert asyncio.run(lease.wait(asyncio.Event()))
