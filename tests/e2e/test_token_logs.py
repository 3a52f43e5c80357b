"""The bot token never reaches a log record, even at DEBUG with every library talking."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram.error import NetworkError

from bot.app import build_telegram
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel
from data import db, revisions
from data.chat_store import issue_code
from data.clock import VN_TZ
from data.models import Unit
from tests.conftest import parse_sample

from .emulator import TelegramEmulator, bridge_requests, running_application

GROUP = -2001


async def test_no_token_in_any_log_record(
    telegram_emulator: TelegramEmulator,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = telegram_emulator.token
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    settings = Settings(data_dir=tmp_path, telegram_base_url=telegram_emulator.base_url)
    assert settings.telegram_token == token
    configure_logging("DEBUG", [settings.telegram_token])
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger(__name__).info("settings: %s", settings)  # a careless log of settings

    now = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
    runtime = Runtime.open(settings)
    runtime.clock = lambda: now
    with db.transaction(runtime.sessions) as session:
        revisions.save_document(
            session, parse_sample(), key="kh", source_name="", sha256="", now=now
        )
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        code = issue_code(session, role="unit", unit=unit, now=now, valid=timedelta(days=1))
    request, updates = bridge_requests(telegram_emulator.state)
    app = build_telegram(
        runtime, token, request=request, get_updates_request=updates, rate_limiter=None
    )
    async with running_application(app):
        await telegram_emulator.send_message(GROUP, f"/dangky {code}", user_id=7)
        await telegram_emulator.wait_for_bot_messages(GROUP, 1)
        await telegram_emulator.send_message(GROUP, "/tuannay", user_id=7)
        await telegram_emulator.wait_for_bot_messages(GROUP, 2)
        await runtime.morning({"telegram": TelegramChannel(app.bot)}).scan()
        with pytest.raises(NetworkError):  # an unsupported method: an error with a URL inside
            await app.bot.get_chat(GROUP)
        logging.getLogger("nhacviec.test").exception("boom with %s", f"/bot{token}/getChat")
    runtime.engine.dispose()

    assert len(caplog.records) > 50  # the libraries really did log at DEBUG
    assert any("api" in r.getMessage().lower() or "getMe" in r.getMessage() for r in caplog.records)
    secret_part = token.split(":", 1)[1]
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert token not in text, record.name
        assert secret_part not in text, record.name
    assert token not in caplog.text
