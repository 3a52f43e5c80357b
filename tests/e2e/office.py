"""The office's whole bot on the emulator: the real composition root, a pinned clock, and
what a test does as a person (register a group, type, wait for the bot's words)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_telegram
from bot.runtime import Runtime
from bot.telegram.channel import TelegramChannel
from bot.telegram.membership import ChatChanges
from data import chat_store, db, store, unit_store
from data.domain import ChatRole
from jobs.morning import Morning
from tests.conftest import sample_runtime

from .emulator import BotMessage, TelegramEmulator, bridge_requests, running_application


@dataclass
class EmulatorOffice:
    emulator: TelegramEmulator
    runtime: Runtime
    morning: Morning
    now: list[datetime]  # tests move the day on
    app: Application[Any, Any, Any, Any, Any, Any]

    def code(self, unit: str | None, valid: timedelta = timedelta(days=3)) -> str:
        """A one-time code for a unit's group (``None``: the office's)."""
        with db.transaction(self.runtime.sessions) as session:
            row = unit_store.find_unit(session, unit) if unit else None
            role = ChatRole.UNIT if unit else ChatRole.ADMIN
            return chat_store.issue_code(session, role=role, unit=row, now=self.now[0], valid=valid)

    def number(self, *, raw: str | None = None, title: str | None = None) -> int:
        """A task's number by its deadline as written, or by the start of its title."""
        with self.runtime.sessions() as session:
            return next(
                t.number
                for t in store.live_tasks(session)
                if (raw is not None and t.deadline_raw == raw)
                or (title is not None and t.title.startswith(title))
            )

    async def ask(
        self,
        chat: int,
        text: str,
        *,
        user_id: int = 501,
        first_name: str = "Lan",
        reply_to: BotMessage | None = None,
    ) -> BotMessage:
        """A member types in a group; the bot's answer."""
        before = len(await self.emulator.bot_messages(chat))
        await self.emulator.send_message(
            chat, text, user_id=user_id, first_name=first_name, reply_to=reply_to
        )
        return (await self.emulator.wait_for_bot_messages(chat, before + 1))[-1]

    async def wait_text(self, chat: int, words: str) -> BotMessage:
        """The latest message of the bot in ``chat`` containing ``words`` (waits for it)."""
        await self.emulator.wait_until(
            chat, lambda msgs: any(words in (m.text or "") for m in msgs), what=words
        )
        messages = await self.emulator.bot_messages(chat)
        return next(m for m in reversed(messages) if words in (m.text or ""))


@asynccontextmanager
async def emulator_office(
    emulator: TelegramEmulator, folder: Path, now: datetime, **settings: Any
) -> AsyncIterator[EmulatorOffice]:
    """The sample plan's office, its bot running against the emulator, its clock at ``now``."""
    clock = [now]
    runtime = sample_runtime(folder, now, telegram_base_url=emulator.base_url, **settings)
    runtime.clock = lambda: clock[0]
    request, updates = bridge_requests(emulator.state)
    app = build_telegram(
        runtime, emulator.token, request=request, get_updates_request=updates, rate_limiter=None
    )
    try:
        async with running_application(app):
            changes = ChatChanges(runtime.sessions, runtime.clock)
            channel = TelegramChannel(app.bot, changes.migrated_async)
            morning = runtime.morning({"telegram": channel})
            yield EmulatorOffice(emulator, runtime, morning, clock, app)
    finally:
        runtime.engine.dispose()
