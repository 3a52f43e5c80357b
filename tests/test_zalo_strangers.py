"""Issue 24, defect 10: strangers cannot spend the units' share of Zalo replies, and
/dangky tries are capped across all chats.

Before: 20 unknown chats, each answered once a day, used the whole month's reply
budget and registered groups got no answers on Zalo for the rest of the month. Now
unregistered chats share their own small budget (``NHACVIEC_ZALO_STRANGER_REPLIES``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.access import Sender
from bot.limits import reply_cap
from bot.zalo.runner import STRANGERS, ZaloBot
from data import chat_store, db, outbox
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole
from data.models import Unit
from tests.conftest import sample_runtime
from tests.fakes.zalo_server import FakeZaloServer

NOW = datetime(2026, 6, 16, 9, 0, tzinfo=VN_TZ)
BOT_NAME = "Bot Nhắc Việc"
GROUP = "zg-hcqt"


async def wait_until(predicate: Any, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - polling a fake
            await asyncio.sleep(0.01)


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(idle_wait=0.05) as server:
        yield server


async def test_strangers_cannot_spend_the_units_replies(
    tmp_path: Path, zalo_server: FakeZaloServer
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    with db.transaction(runtime.sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        chat_store.bind_chat(session, ChatAddress("zalo", GROUP), ChatRole.UNIT, unit, NOW)
    zalo_server.add_group(GROUP, seen=True)
    monthly = 30
    assert reply_cap(monthly) == 20  # 20 strangers would have spent it all
    bot = ZaloBot(
        zalo_server.token,
        zalo_server.base_url,
        runtime.service(),
        runtime.clock,
        poll_interval=0.01,
        monthly_quota=monthly,
        bot_name=BOT_NAME,
        stranger_replies=5,
    )
    await bot.start()
    try:
        for n in range(20):
            zalo_server.incoming("/help", chat_id=f"stranger-{n}")
        await wait_until(lambda: zalo_server.pending == 0)
        await asyncio.sleep(0.3)
        answered = [n for n in range(20) if zalo_server.texts_to(f"stranger-{n}")]
        assert len(answered) == 5
        for _ in range(3):
            zalo_server.incoming(f"@{BOT_NAME} /tuannay", chat_id=GROUP, group=True)
        await wait_until(lambda: len(zalo_server.texts_to(GROUP)) == 3)
    finally:
        await bot.stop()
    with runtime.sessions() as session:
        assert outbox.used(session, STRANGERS, NOW) == 5
        assert outbox.used(session, "zalo", NOW) == 8
    runtime.engine.dispose()


def test_registration_tries_are_capped_across_chats(tmp_path: Path) -> None:
    """One person per chat, a new chat each time: the global cap stops the 121st try."""
    runtime = sample_runtime(tmp_path, NOW)
    service = runtime.service()
    answers = []
    for n in range(125):
        sender = Sender("zalo", f"chat-{n}", f"user-{n}", "Khách", is_group=True)
        reply = service.handle(sender, "/dangky SAIMA123")
        assert reply is not None
        answers.append(reply.text)
    assert all("Mã không đúng" in a for a in answers[:120])
    assert all("thử mã quá nhiều lần" in a for a in answers[120:])
    service.clock = lambda: NOW + timedelta(hours=1, minutes=1)  # lifted on time
    sender = Sender("zalo", "chat-x", "user-x", "Khách", is_group=True)
    later = service.handle(sender, "/dangky X")
    assert later is not None and "Mã không đúng" in later.text
    runtime.engine.dispose()
