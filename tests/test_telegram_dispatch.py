"""The outbox through Telegram against a fake Bot API that enforces the flood limits.

The fake (tests/fakes/telegram_server.py) answers 429 with retry_after and drops
connections on purpose; it also answers 429 whenever *we* go faster than its limits
(overall per second, per group per period). Every row must arrive exactly once, our
own pacing must never provoke a 429, and the pacing is read from the arrivals the
fake recorded, not from the test's wall clock. The pacer itself runs on a fake clock.
The bot is paced by ``TelegramPacing`` (bot/telegram/pacing.py), the limiter
``bot.app.telegram_rate_limiter`` is to return.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.telegram.channel import TelegramChannel
from bot.telegram.pacing import TelegramPacing
from data import db, outbox
from data.domain import MessageKind
from data.models import OutboxMessage
from jobs.dispatcher import Dispatcher, RetryPolicy
from tests.fakes.telegram_server import FakeBotApi

OVERALL_PER_SECOND = 30
GROUP_MAX, GROUP_PERIOD = 4, 1.0  # Telegram's 20/min, scaled down so the test runs in seconds
TOKEN = "123456:TEST-token-never-logged"


async def test_every_row_once_and_no_429_from_our_pacing(
    sessions: sessionmaker[Session],
) -> None:
    fake = FakeBotApi(
        OVERALL_PER_SECOND, GROUP_MAX, GROUP_PERIOD, faults=deque(["429", "drop", "drop", "429"])
    )
    bot = ExtBot(
        TOKEN,
        base_url="http://telegram.invalid/bot",
        request=HTTPXRequest(httpx_kwargs={"transport": fake.transport()}),
        rate_limiter=TelegramPacing(OVERALL_PER_SECOND, GROUP_MAX, GROUP_PERIOD),
    )
    await bot.initialize()
    day = date(2026, 6, 16)
    now = datetime.now(UTC)
    messages = [
        outbox.Outgoing("telegram", str(-1000 - i), MessageKind.DIGEST, day, f"Tin cho nhóm {i}")
        for i in range(70)
    ] + [  # one busy group: more messages than its per-period limit
        outbox.Outgoing(
            "telegram", "-999", MessageKind.ALERT, day, f"Cảnh báo {k}", key_suffix=str(k)
        )
        for k in range(7)
    ]
    with db.transaction(sessions) as session:
        outbox.enqueue(session, messages, now)
    dispatcher = Dispatcher(
        sessions,
        {"telegram": TelegramChannel(bot)},
        clock=lambda: datetime.now(UTC),
        retry=RetryPolicy(first_delay=timedelta(milliseconds=200), max_attempts=10),
    )
    async with asyncio.timeout(30):
        while True:
            await dispatcher.drain()  # until nothing is due; dropped rows come due again soon
            with sessions() as session:
                left = session.scalars(
                    select(OutboxMessage).where(OutboxMessage.status != "sent")
                ).all()
            if not left:
                break
            assert all(r.status == "pending" for r in left), [r.last_error for r in left]
            await asyncio.sleep(0.1)
    await bot.shutdown()

    expected = sorted((int(m.chat_id), m.text) for m in messages)
    assert sorted((d.chat_id, d.text) for d in fake.delivered) == expected  # each exactly once
    assert fake.injected == 2
    assert fake.provoked == 0  # our pacing never caused a 429
    assert fake.ignored_retry_after == 0  # and a 429's retry_after was honoured
    # paced, not bursted, as the fake saw the arrivals
    assert fake.busiest(1.0) <= OVERALL_PER_SECOND
    busy = [d.at for d in fake.delivered if d.chat_id == -999]
    assert all(b - a >= GROUP_PERIOD for a, b in zip(busy, busy[GROUP_MAX:], strict=False))


class Ticks:
    """Seconds on a fake monotonic clock; every sleep wakes ``late`` seconds after it should
    (and the sleeps numbered in ``stalls`` that much later again: the loop was busy)."""

    def __init__(self, late: float = 0.0, stalls: dict[int, float] | None = None) -> None:
        self.now, self.late, self.stalls, self.sleeps = 0.0, late, stalls or {}, 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds + self.late + self.stalls.get(self.sleeps, 0.0)
        await asyncio.sleep(0)


async def paced(pacing: TelegramPacing, ticks: Ticks, chats: list[int | str]) -> list[float]:
    """When each send reached the Bot API (one after another, as one worker sends)."""
    arrivals: list[float] = []

    async def call() -> bool:
        arrivals.append(ticks())
        return True

    for chat in chats:
        await pacing.process_request(call, (), {}, "sendMessage", {"chat_id": chat}, None)
        await pacing.process_request(call, (), {}, "getChatMember", {"chat_id": chat}, None)
        sent, looked_up = arrivals[-2:]
        assert looked_up == sent  # what is not a message is never kept waiting
    return arrivals[::2]


def busiest(stamps: list[float], period: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + period - 1e-9) for start in stamps)


async def test_late_wake_ups_cost_no_speed_and_no_second_holds_more_than_30() -> None:
    ticks = Ticks(late=0.002)  # the event loop wakes every sleeper 2 ms late
    pacing = TelegramPacing(30, 20, 60.0, clock=ticks, sleep=ticks.sleep)

    arrivals = await paced(pacing, ticks, [-1000 - i for i in range(300)])

    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert 28.99 < rate <= 29.0  # the grid's 29/s (97 % of 30), not 29/s minus the lateness
    assert busiest(arrivals, 1.0) <= 30


async def test_senders_that_waited_through_a_stall_are_not_let_through_in_a_burst() -> None:
    ticks = Ticks(late=0.001, stalls={10: 0.25, 40: 0.5})
    pacing = TelegramPacing(30, 20, 60.0, clock=ticks, sleep=ticks.sleep)
    arrivals: list[float] = []

    async def call() -> bool:
        arrivals.append(ticks())
        return True

    async def send(chat: int) -> None:
        await pacing.process_request(call, (), {}, "sendMessage", {"chat_id": chat}, None)

    await asyncio.gather(*(send(-1000 - i) for i in range(120)))  # many senders at once

    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) >= 1 / 29 - 0.003  # no two closer than the interval (less 3 ms)
    assert busiest(arrivals, 1.0) <= 30  # any 31 grants span 30/29 s less 3 ms


async def test_a_group_gets_at_most_20_a_minute_and_a_private_chat_no_group_limit() -> None:
    ticks = Ticks(late=0.001)
    pacing = TelegramPacing(30, 20, 60.0, clock=ticks, sleep=ticks.sleep)

    group = await paced(pacing, ticks, ["-1001"] * 25)  # ids arrive as strings too
    private = await paced(pacing, ticks, [501] * 25)

    assert busiest(group, 60.0) <= 20
    assert group[-1] - group[0] >= 24 * 60 / 19
    assert private[-1] - private[0] < 1.0  # only the overall pace


async def test_after_a_429_the_pacer_refuses_locally_until_its_retry_after_ends() -> None:
    ticks = Ticks()
    pacing = TelegramPacing(30, 20, 60.0, clock=ticks, sleep=ticks.sleep)
    reached: list[float] = []

    async def flooded() -> bool:
        reached.append(ticks())
        raise RetryAfter(5)

    async def fine() -> bool:
        reached.append(ticks())
        return True

    async def send(call: Callable[[], Coroutine[Any, Any, bool]], chat: int) -> object:
        return await pacing.process_request(call, (), {}, "sendMessage", {"chat_id": chat}, None)

    with pytest.raises(RetryAfter):
        await send(flooded, -1)
    with pytest.raises(RetryAfter):
        await send(fine, -2)  # another chat, during the pause: never reaches Telegram
    assert len(reached) == 1
    ticks.now += 5
    assert await send(fine, -2) is True
