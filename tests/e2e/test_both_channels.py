"""One unit bound to a Telegram group and a Zalo group: one digest on each, done once.

Both platforms run the way ``nhacviec run`` runs them (``bot.app.serve``): each
started on its own, the jobs on the process's scheduler, today's catch-up at start.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.app import build_telegram, serve
from bot.runtime import Runtime
from bot.zalo.runner import ZaloBot
from data import db
from data.chat_store import issue_code
from data.clock import VN_TZ
from data.domain import ChatRole
from data.models import Task, TaskEvent, Unit
from tests.conftest import sample_runtime
from tests.fakes.zalo_server import FakeZaloServer

from .emulator import TelegramEmulator, bridge_requests

EARLY = datetime(2026, 6, 16, 7, 0, tzinfo=VN_TZ)  # before the 07:30 scan: no catch-up
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
TG_GROUP, ZALO_GROUP, BOT = -3001, "zg-both", "@Bot Nhắc Việc"


@asynccontextmanager
async def serving(
    runtime: Runtime, emulator: TelegramEmulator, zalo_server: FakeZaloServer
) -> AsyncIterator[ZaloBot]:
    """``serve`` with both platforms (a fresh application and Zalo bot: a process start)."""
    zalo = ZaloBot(
        zalo_server.token,
        zalo_server.base_url,
        runtime.service(),
        runtime.clock,
        poll_interval=0.01,
        bot_name=BOT.removeprefix("@"),
    )
    request, updates = bridge_requests(emulator.state)
    app = build_telegram(
        runtime, emulator.token, request=request, get_updates_request=updates, rate_limiter=None
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(runtime, app=app, zalo=zalo, stop=stop, ready=ready))
    async with asyncio.timeout(15):
        await asyncio.wait(
            [asyncio.ensure_future(ready.wait()), task], return_when="FIRST_COMPLETED"
        )
    assert not task.done(), task.exception()
    try:
        yield zalo
    finally:
        stop.set()
        async with asyncio.timeout(15):
            await task


async def zalo_says(server: FakeZaloServer, text: str) -> str:
    before = len(server.texts_to(ZALO_GROUP))
    server.incoming(f"{BOT} {text}", chat_id=ZALO_GROUP, group=True)
    async with asyncio.timeout(5):
        while len(server.texts_to(ZALO_GROUP)) == before:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return server.texts_to(ZALO_GROUP)[-1]


async def test_one_unit_on_both_platforms(
    telegram_emulator: TelegramEmulator, tmp_path: Path
) -> None:
    async with FakeZaloServer(idle_wait=0.05) as zalo_server:
        now = [EARLY]
        runtime = sample_runtime(tmp_path, TUESDAY, telegram_base_url=telegram_emulator.base_url)
        runtime.clock = lambda: now[0]
        with db.transaction(runtime.sessions) as session:
            unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
            tg_code = issue_code(
                session, role=ChatRole.UNIT, unit=unit, now=EARLY, valid=timedelta(days=1)
            )
            zalo_code = issue_code(
                session, role=ChatRole.UNIT, unit=unit, now=EARLY, valid=timedelta(days=1)
            )
            quarter = session.scalar(select(Task.number).where(Task.deadline_raw == "Quý II/2026"))

        async with serving(runtime, telegram_emulator, zalo_server):  # 07:00: nothing due yet
            await telegram_emulator.send_message(TG_GROUP, f"/dangky {tg_code}", user_id=11)
            await telegram_emulator.wait_for_bot_messages(TG_GROUP, 1)
            assert "Đã đăng ký" in await zalo_says(zalo_server, f"/dangky {zalo_code}")

        now[0] = TUESDAY  # restarted at 08:00 with no scan yet today: the catch-up digest
        async with serving(runtime, telegram_emulator, zalo_server):
            tg_after = await telegram_emulator.wait_for_bot_messages(TG_GROUP, 2)
            tg_digests = [m for m in tg_after if "Nhắc việc sáng" in (m.text or "")]
            zalo_digests = [t for t in zalo_server.texts_to(ZALO_GROUP) if "Nhắc việc sáng" in t]
            assert len(tg_digests) == 1
            assert len(zalo_digests) == 1
            assert (
                f"#{quarter} " in (tg_digests[0].text or "") and f"#{quarter} " in zalo_digests[0]
            )
            assert f"done:{quarter}" in tg_digests[0].callback_data  # buttons on Telegram only
            assert "/done" in zalo_digests[0]  # Zalo says how to answer in text

            assert "Đã ghi nhận hoàn thành" in await zalo_says(zalo_server, f"/done {quarter}")
            await telegram_emulator.send_message(TG_GROUP, f"/done {quarter}", user_id=11)
            tg_reply = (await telegram_emulator.wait_for_bot_messages(TG_GROUP, len(tg_after) + 1))[
                -1
            ]
            assert "từ trước" in (tg_reply.text or "")
            assert any(c.method == "setMyCommands" for c in telegram_emulator.state.faked_calls)
        with runtime.sessions() as session:
            done = session.scalar(
                select(func.count()).select_from(TaskEvent).where(TaskEvent.action == "done")
            )
        assert done == 1
        runtime.engine.dispose()
