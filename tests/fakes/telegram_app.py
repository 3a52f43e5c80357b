"""The real Telegram application polling the fake Bot API (tests/fakes/telegram_server.py)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from telegram.request import HTTPXRequest

from bot.app import ALLOWED_UPDATES, AnyApp, build_telegram
from bot.runtime import Runtime
from tests.fakes.telegram_server import FakeBotApi

TOKEN = "123456:TEST-token-never-logged"


@contextlib.asynccontextmanager
async def polling(runtime: Runtime, fake: FakeBotApi) -> AsyncIterator[AnyApp]:
    """The bot's own application, polling ``fake`` with no rate limiter, for the block's time."""
    request = HTTPXRequest(httpx_kwargs={"transport": fake.transport()})
    updates = HTTPXRequest(httpx_kwargs={"transport": fake.transport()})
    app = build_telegram(
        runtime, TOKEN, request=request, get_updates_request=updates, rate_limiter=None
    )
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, allowed_updates=ALLOWED_UPDATES)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
