"""The outbox through Telegram against a fake Bot API that enforces the flood limits.

The fake answers 429 with retry_after and drops connections on purpose; it also
answers 429 whenever *we* go faster than its limits (overall per second, per group
per period). Every row must arrive exactly once, and our own pacing must never
provoke a 429.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.app import telegram_rate_limiter
from bot.telegram.channel import TelegramChannel
from data import db
from data.models import OutboxMessage
from data import outbox
from jobs.dispatcher import Dispatcher, RetryPolicy

OVERALL_PER_SECOND = 30
GROUP_MAX, GROUP_PERIOD = 4, 1.0  # Telegram's 20/min, scaled down so the test runs in seconds
TOKEN = "123456:TEST-token-never-logged"


@dataclass
class FakeTelegram:
    """Bot API sendMessage with Telegram's flood rules and scripted faults."""

    faults: deque[str] = field(default_factory=deque)  # "429" | "drop", for the next sends
    delivered: list[tuple[int, str]] = field(default_factory=list)
    provoked: int = 0  # 429s our pacing caused (must stay 0)
    injected: int = 0
    blocked_until: float = 0.0
    ignored_retry_after: int = 0
    _overall: deque[float] = field(default_factory=deque)
    _groups: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def handle(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if method == "getMe":
            return self._ok(
                {"id": 123456, "is_bot": True, "first_name": "Nhắc việc", "username": "NhacViecBot"}
            )
        if method != "sendMessage":
            return self._ok(True)
        fault = self.faults.popleft() if self.faults else None
        if fault == "drop":
            raise httpx.ConnectError("connection reset by fake server", request=request)
        now = time.monotonic()
        if now < self.blocked_until:
            self.ignored_retry_after += 1
        if fault == "429":
            self.injected += 1
            self.blocked_until = now + 1
            return self._flood(1)
        params = dict(httpx.QueryParams(request.content.decode())) if request.content else {}
        if not params:
            params = json.loads(request.content or b"{}")
        chat = int(params["chat_id"])
        for window, limit, period in (
            (self._overall, OVERALL_PER_SECOND, 1.0),
            (self._groups[chat], GROUP_MAX, GROUP_PERIOD),
        ):
            while window and now - window[0] >= period:
                window.popleft()
            if len(window) >= limit:
                self.provoked += 1
                return self._flood(1)
        self._overall.append(now)
        self._groups[chat].append(now)
        self.delivered.append((chat, params["text"]))
        return self._ok(
            {
                "message_id": len(self.delivered),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "group", "title": "Chi bộ"},
                "text": params["text"],
            }
        )

    @staticmethod
    def _ok(result: Any) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": result})

    @staticmethod
    def _flood(seconds: int) -> httpx.Response:
        return httpx.Response(
            429,
            json={
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {seconds}",
                "parameters": {"retry_after": seconds},
            },
        )


async def test_every_row_once_and_no_429_from_our_pacing(
    sessions: sessionmaker[Session],
) -> None:
    fake = FakeTelegram(faults=deque(["429", "drop", "drop", "429"]))
    bot = ExtBot(
        TOKEN,
        base_url="http://telegram.invalid/bot",
        request=HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(fake.handle)}),
        rate_limiter=telegram_rate_limiter(OVERALL_PER_SECOND, GROUP_MAX, GROUP_PERIOD),
    )
    await bot.initialize()
    day = date(2026, 6, 16)
    now = datetime.now(UTC)
    messages = [
        outbox.Outgoing("telegram", str(-1000 - i), "digest", day, f"Tin cho nhóm {i}")
        for i in range(70)
    ] + [  # one busy group: more messages than its per-period limit
        outbox.Outgoing("telegram", "-999", "alert", day, f"Cảnh báo {k}", key_suffix=str(k))
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
    started = time.monotonic()
    async with asyncio.timeout(30):
        while True:
            await dispatcher.run_once(limit=100)
            with sessions() as session:
                left = session.scalars(
                    select(OutboxMessage).where(OutboxMessage.status != "sent")
                ).all()
            if not left:
                break
            assert all(r.status == "pending" for r in left), [r.last_error for r in left]
            await asyncio.sleep(0.1)
    elapsed = time.monotonic() - started
    await bot.shutdown()

    expected = sorted((int(m.chat_id), m.text) for m in messages)
    assert sorted(fake.delivered) == expected  # every row exactly once
    assert fake.injected == 2
    assert fake.provoked == 0  # our pacing never caused a 429
    assert fake.ignored_retry_after == 0  # and a 429's retry_after was honoured
    assert elapsed >= 70 / OVERALL_PER_SECOND  # paced, not bursted
