"""Telegram's flood limits kept by design, at the limits' full speed.

Telegram allows 30 messages a second overall and 20 a minute in one group.
python-telegram-bot's ``AIORateLimiter`` (a leaky bucket, aiolimiter) measures each
wait from the moment the waiting task *woke*, so the event loop's wake-up latency
(about a millisecond a message) is lost every time: set to 29/s it sends 27.9/s.

``Pacer`` hands out slots on a fixed grid instead: each slot ``interval`` after the
previous slot, not after the moment its sender woke, so the usual late wake-up
costs nothing and the rate is the one configured; a stall longer than a few
milliseconds moves the grid on instead of releasing the senders that waited
meanwhile in a burst. Senders are served in the order they ask.
``TelegramPacing`` is the python-telegram-bot rate limiter built on it, for the
methods that post into a chat: one pacer for all of them, one per group (a
negative or ``@name`` chat id), as AIORateLimiter does. With ``per_second - 1``
slots a second, 30 slots span more than a second, so no second of arrivals holds
more than 30 messages unless a request is delayed on its way by more than 1/29 s
(34 ms); the group pacer keeps ``per_group - 1`` a period the same way. A 429 is
not retried here (the dispatcher pauses the channel and reschedules its row), but
until its ``retry_after`` has passed every other paced request is refused here with
the same RetryAfter, without reaching Telegram.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

JSONDict = dict[str, Any]

GROUPS_KEPT = 1024  # idle groups' pacers are dropped beyond this many
# Only what posts into a chat is paced: reading a member's status, answering a button
# press or setting the menu are not messages.
PACED = ("send", "edit", "copy", "forward")


class Pacer:
    """At most one grant every ``interval`` seconds, on a grid: a wake-up up to
    ``tolerance`` late costs nothing; a later one (the loop stalled) moves the grid on
    rather than letting the senders that waited meanwhile through in a burst.

    Senders are granted one after another (a lock), each after the previous grant, so
    any two grants are at least ``interval - tolerance`` apart and any ``n + 1`` at
    least ``n * interval - tolerance``.
    """

    def __init__(
        self,
        interval: float,
        *,
        tolerance: float = 0.003,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self.tolerance = min(tolerance, interval / 2)
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._turn = asyncio.Lock()

    def now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    def idle(self) -> bool:
        return self._next <= self.now() and not self._turn.locked()

    async def wait(self) -> float:
        """Wait for this caller's grant; returns when it was granted."""
        async with self._turn:
            now = self.now()
            slot = max(now, self._next)
            if slot > now:
                await self._sleep(slot - now)
            granted = self.now()
            self._next = max(slot, granted - self.tolerance) + self.interval
            return granted


class TelegramPacing(BaseRateLimiter[int]):
    """python-telegram-bot's rate limiter on ``Pacer``s: 30/s overall, 20/min a group."""

    def __init__(
        self,
        per_second: int = 30,
        per_group: int = 20,
        group_period: float = 60.0,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self._overall = Pacer(1.0 / (per_second - 1), clock=clock, sleep=sleep)
        self._group_interval = group_period / (per_group - 1)
        self._groups: dict[str | int, Pacer] = {}
        self._blocked_until = float("-inf")  # a 429's retry_after, on the pacers' clock

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _group(self, chat_id: str | int) -> Pacer:
        pacer = self._groups.get(chat_id)
        if pacer is None:
            if len(self._groups) >= GROUPS_KEPT:
                self._groups = {k: p for k, p in self._groups.items() if not p.idle()}
            pacer = self._groups[chat_id] = Pacer(
                self._group_interval, clock=self._clock, sleep=self._sleep
            )
        return pacer

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if chat_id is not None and endpoint.startswith(PACED):
            if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
                chat_id = int(chat_id)
            if isinstance(chat_id, str) or chat_id < 0:  # a group, supergroup or channel
                await self._group(chat_id).wait()
            await self._overall.wait()
            now = self._overall.now()
            if now < self._blocked_until:
                raise RetryAfter(math.ceil(self._blocked_until - now))
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                delay = exc.retry_after
                seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
                self._blocked_until = max(self._blocked_until, self._overall.now() + seconds)
                raise
        return await callback(*args, **kwargs)
