"""Zalo as its platform documents it, against the project's fake Zalo server.

The fake answers as documented: the plan's monthly quota spent → 429 "quota exceeded";
403 is a server error. A 429 pauses Zalo (reminders and answers), the office hears once
with what to do, Telegram keeps sending; the pause ends on the office's word or with
the month. A 403 is retried with the outbox's backoff and the message delivered once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.app import office_alert
from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel
from bot.zalo.channel import ZaloChannel
from bot.zalo.client import ZaloClient
from bot.zalo.quota import CHECK_EVERY, ZaloQuotaGate
from data import chat_store, db, outbox
from data.clock import VN_TZ, local_date
from data.domain import ChatAddress, ChatRole, MessageKind, OutboxStatus
from data.models import OutboxMessage
from jobs.dispatcher import Dispatcher
from tests.conftest import sample_runtime
from tests.fakes.telegram_server import FakeBotApi
from tests.fakes.zalo_server import MOCK_BASE_URL, FakeZaloServer

TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
ZALO_GROUP, TELEGRAM_GROUP, OFFICE = "zg-hcqt", "-4001", "-9001"
TOKEN = "123456:TEST-token-never-logged"


@dataclass
class Office:
    runtime: Runtime
    now: list[datetime]
    zalo: FakeZaloServer
    telegram: FakeBotApi
    gate: ZaloQuotaGate
    dispatcher: Dispatcher

    def queue(self, channel: str, chat: str, *texts: str) -> None:
        day = local_date(self.now[0])
        messages = [
            outbox.Outgoing(channel, chat, MessageKind.ALERT, day, text, key_suffix=text)
            for text in texts
        ]
        with db.transaction(self.runtime.sessions) as session:
            outbox.enqueue(session, messages, self.now[0])

    def rows(self, channel: str) -> list[OutboxMessage]:
        with self.runtime.sessions() as session:
            query = select(OutboxMessage).where(OutboxMessage.channel == channel)
            return list(session.scalars(query.order_by(OutboxMessage.id)))

    async def send(self) -> None:
        """What the dispatch job does each tick (``drain`` would wait out the pause)."""
        for _ in range(3):  # an alert queued while sending goes in the next round
            await self.dispatcher.run_once(width=4)

    def later(self, seconds: float) -> None:
        self.now[0] += timedelta(seconds=seconds)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    now = [TUESDAY]
    runtime = sample_runtime(tmp_path, TUESDAY)
    runtime.clock = lambda: now[0]
    with db.transaction(runtime.sessions) as session:
        chat_store.bind_chat(
            session, ChatAddress("telegram", OFFICE), ChatRole.ADMIN, None, TUESDAY
        )
    zalo = FakeZaloServer(idle_wait=0.05)
    zalo.add_group(ZALO_GROUP, seen=True)
    telegram = FakeBotApi()
    bot = ExtBot(
        TOKEN,
        base_url="http://telegram.invalid/bot",
        request=HTTPXRequest(httpx_kwargs={"transport": telegram.transport()}),
    )
    await bot.initialize()
    client = ZaloClient(zalo.token, MOCK_BASE_URL, transport=zalo.transport())
    gate = ZaloQuotaGate(runtime.sessions, runtime.clock, office_alert(runtime, "zalo"))
    channels = {"zalo": ZaloChannel(client, gate), "telegram": TelegramChannel(bot)}
    try:
        yield Office(runtime, now, zalo, telegram, gate, runtime.dispatcher(channels))
    finally:
        await client.aclose()
        await bot.shutdown()
        runtime.engine.dispose()


async def test_a_429_pauses_zalo_tells_the_office_once_and_telegram_goes_on(
    office: Office,
) -> None:
    office.zalo.monthly_quota = 1  # the plan allows one more message this month
    office.queue("zalo", ZALO_GROUP, "Zalo 1", "Zalo 2", "Zalo 3")
    office.queue("telegram", TELEGRAM_GROUP, "Telegram 1", "Telegram 2")
    await office.send()

    assert office.zalo.texts_to(ZALO_GROUP) == ["Zalo 1"]
    asked = len(office.zalo.calls_of("sendMessage"))
    assert asked == 2  # the one sent, the one refused with 429: then nothing more
    assert office.telegram.texts_to(int(TELEGRAM_GROUP)) == ["Telegram 1", "Telegram 2"]
    held = [r for r in office.rows("zalo") if r.status is not OutboxStatus.SENT]
    assert [r.text for r in held] == ["Zalo 2", "Zalo 3"]
    assert all(r.status is OutboxStatus.PENDING and r.attempts == 0 for r in held)

    # the office is told once (on Telegram, the other platform), and told what to do
    await office.send()
    told = [t for t in office.telegram.texts_to(int(OFFICE)) if "429" in t]
    assert len(told) == 1
    assert "nhacviec zalo resume" in told[0] and "01/07/2026" in told[0]

    # while paused, Zalo is not even asked; Telegram still sends; no second alert
    for _ in range(3):
        office.later(CHECK_EVERY + 1)
        office.queue("telegram", TELEGRAM_GROUP, f"Telegram {office.now[0]:%H%M%S}")
        await office.send()
    assert len(office.zalo.calls_of("sendMessage")) == asked
    assert len(office.telegram.texts_to(int(TELEGRAM_GROUP))) == 5
    assert len([t for t in office.telegram.texts_to(int(OFFICE)) if "429" in t]) == 1

    # the office upgraded the plan and says so: the held messages go, once each
    office.zalo.monthly_quota = None
    assert office.gate.resume()
    office.later(CHECK_EVERY + 1)
    await office.send()
    assert office.zalo.texts_to(ZALO_GROUP) == ["Zalo 1", "Zalo 2", "Zalo 3"]
    assert all(r.status is OutboxStatus.SENT for r in office.rows("zalo"))


async def test_the_pause_ends_with_the_month(office: Office) -> None:
    office.zalo.monthly_quota = 0
    office.queue("zalo", ZALO_GROUP, "Zalo 1")
    await office.send()
    assert await office.gate.paused()
    office.zalo.monthly_quota = None  # a new month: the plan's count starts again
    office.now[0] = datetime(2026, 7, 1, 7, 0, tzinfo=VN_TZ)
    assert not await office.gate.paused()
    await office.send()
    assert office.zalo.texts_to(ZALO_GROUP) == ["Zalo 1"]


async def test_a_403_is_retried_and_delivered_once(office: Office) -> None:
    office.zalo.fail_next("sendMessage", error_code=403, description="Forbidden")
    office.queue("zalo", ZALO_GROUP, "Nhắc việc")
    report = await office.dispatcher.run_once()
    assert report.sent == [] and len(report.retried) == 1
    [row] = office.rows("zalo")
    assert row.status is OutboxStatus.PENDING and row.attempts == 1  # not parked
    office.later(office.dispatcher.retry.delay(1).total_seconds() + 1)
    await office.send()
    assert office.zalo.texts_to(ZALO_GROUP) == ["Nhắc việc"]
    assert office.rows("zalo")[0].status is OutboxStatus.SENT


def test_the_office_lifts_the_pause_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(tmp_path))
    for name in ("NHACVIEC_DATABASE_URL", "TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["zalo", "status"]) == 0
    assert "Zalo đang gửi" in capsys.readouterr().out
    runtime = Runtime.open(Settings(data_dir=tmp_path))
    try:
        gate = ZaloQuotaGate(runtime.sessions, lambda: datetime.now(UTC))
        asyncio.run(gate.exceeded())
        assert gate.is_paused()
        assert main(["zalo", "status"]) == 0
        assert "tạm ngừng" in capsys.readouterr().out
        assert main(["zalo", "resume"]) == 0
        assert "Đã mở lại Zalo" in capsys.readouterr().out
        assert not gate.is_paused()
    finally:
        runtime.close()
