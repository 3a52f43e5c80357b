"""One unit bound to a Telegram group and a Zalo group: one digest on each, done once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.app import build_telegram, start_jobs
from data.chat_store import issue_code
from bot.zalo.runner import ZaloBot
from data import db
from data.clock import VN_TZ
from data.models import Task, TaskEvent, Unit
from tests.conftest import sample_runtime
from tests.fakes.zalo_server import FakeZaloServer

from .emulator import TelegramEmulator, bridge_requests, running_application

TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
TG_GROUP, ZALO_GROUP, BOT = -3001, "zg-both", "@Nhắc Việc"


async def test_one_unit_on_both_platforms(
    telegram_emulator: TelegramEmulator, tmp_path: Path
) -> None:
    async with FakeZaloServer(idle_wait=0.05) as zalo_server:
        runtime = sample_runtime(tmp_path, TUESDAY, telegram_base_url=telegram_emulator.base_url)
        with db.transaction(runtime.sessions) as session:
            unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
            tg_code = issue_code(
                session, role="unit", unit=unit, now=TUESDAY, valid=timedelta(days=1)
            )
            zalo_code = issue_code(
                session, role="unit", unit=unit, now=TUESDAY, valid=timedelta(days=1)
            )
            quarter = session.scalar(select(Task.number).where(Task.deadline_raw == "Quý II/2026"))
        zalo = ZaloBot(
            zalo_server.token,
            zalo_server.base_url,
            runtime.service(),
            runtime.clock,
            poll_interval=0.01,
        )
        request, updates = bridge_requests(telegram_emulator.state)
        app = build_telegram(
            runtime,
            telegram_emulator.token,
            request=request,
            get_updates_request=updates,
            rate_limiter=None,
            zalo=zalo,
        )
        async with running_application(app):
            await telegram_emulator.send_message(TG_GROUP, f"/dangky {tg_code}", user_id=11)
            await telegram_emulator.wait_for_bot_messages(TG_GROUP, 1)
            await zalo.start()
            zalo_server.incoming(f"{BOT} /dangky {zalo_code}", chat_id=ZALO_GROUP, group=True)
            async with asyncio.timeout(5):
                while not zalo_server.texts_to(ZALO_GROUP):  # noqa: ASYNC110
                    await asyncio.sleep(0.02)

            await start_jobs(app)  # Zalo (already up), the jobs, and today's catch-up scan
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

            before = len(zalo_server.texts_to(ZALO_GROUP))
            zalo_server.incoming(f"{BOT} /done {quarter}", chat_id=ZALO_GROUP, group=True)
            async with asyncio.timeout(5):
                while len(zalo_server.texts_to(ZALO_GROUP)) == before:  # noqa: ASYNC110
                    await asyncio.sleep(0.02)
            assert "Đã ghi nhận hoàn thành" in zalo_server.texts_to(ZALO_GROUP)[-1]
            await telegram_emulator.send_message(TG_GROUP, f"/done {quarter}", user_id=11)
            tg_reply = (await telegram_emulator.wait_for_bot_messages(TG_GROUP, len(tg_after) + 1))[
                -1
            ]
            assert "từ trước" in (tg_reply.text or "")
            await zalo.stop()
        with runtime.sessions() as session:
            done = session.scalar(
                select(func.count()).select_from(TaskEvent).where(TaskEvent.action == "done")
            )
        assert done == 1
        runtime.engine.dispose()
