"""Through the emulator: one group's flood never delays another group's answer.

The real application (concurrent updates, per-chat order, Telegram's group pacing
scaled 20× faster so the test runs in seconds) against telegram-test-api.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from bot.app import build_telegram, telegram_rate_limiter
from data.clock import VN_TZ
from tests.conftest import sample_runtime

from .emulator import TelegramEmulator, bridge_requests, running_application

BUSY, OTHER = -5001, -5002


async def test_another_group_is_answered_while_one_group_floods(
    telegram_emulator: TelegramEmulator, tmp_path: Path
) -> None:
    now = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
    runtime = sample_runtime(tmp_path, now, telegram_base_url=telegram_emulator.base_url)
    request, updates = bridge_requests(telegram_emulator.state)
    app = build_telegram(
        runtime,
        telegram_emulator.token,
        request=request,
        get_updates_request=updates,
        rate_limiter=telegram_rate_limiter(per_group=20, group_period=3.0),  # 0.16 s a message
    )
    async with running_application(app):
        for n in range(20):
            await telegram_emulator.send_message(BUSY, f"/start {n}", user_id=601)
        asked = time.monotonic()
        await telegram_emulator.send_message(OTHER, "/tuannay", user_id=602)
        [answer] = await telegram_emulator.wait_for_bot_messages(OTHER, 1, timeout=10)
        waited = time.monotonic() - asked
        busy_so_far = len(await telegram_emulator.bot_messages(BUSY))
        await telegram_emulator.wait_for_bot_messages(BUSY, 20, timeout=30)
    runtime.engine.dispose()
    assert "chưa đăng ký" in (answer.text or "")
    assert busy_so_far < 20  # answered while the busy group was still being served
    assert waited < 2.0
