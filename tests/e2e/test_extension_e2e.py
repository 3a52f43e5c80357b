"""An extension end to end through the Telegram emulator: /giahan in a chi bộ's group, the
office's chat gets the request (with buttons), /duyet, the unit is told, /chitiet and the
next morning's digest use the new date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.app import build_telegram
from bot.runtime import Runtime
from bot.telegram.channel import TelegramChannel
from data import chat_store, db, store
from data.clock import VN_TZ
from data.domain import ChatRole
from jobs.morning import Morning
from tests.conftest import sample_runtime

from .emulator import BotMessage, TelegramEmulator, bridge_requests, running_application

UNIT_GROUP, OFFICE_GROUP = -2001, -2002
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)


@dataclass
class Office:
    emulator: TelegramEmulator
    runtime: Runtime
    morning: Morning
    now: list[datetime]
    app: Application[Any, Any, Any, Any, Any, Any]

    def code(self, unit: str | None) -> str:
        with db.transaction(self.runtime.sessions) as session:
            row = store.find_unit(session, unit) if unit else None
            role = ChatRole.UNIT if unit else ChatRole.ADMIN
            return chat_store.issue_code(
                session, role=role, unit=row, now=self.now[0], valid=timedelta(days=1)
            )

    def number(self, raw: str) -> int:
        with self.runtime.sessions() as session:
            return next(t.number for t in store.live_tasks(session) if t.deadline_raw == raw)

    async def ask(self, chat: int, text: str) -> BotMessage:
        before = len(await self.emulator.bot_messages(chat))
        await self.emulator.send_message(chat, text, user_id=600 + abs(chat) % 7, first_name="Lan")
        return (await self.emulator.wait_for_bot_messages(chat, before + 1))[-1]


@pytest.fixture
async def office(telegram_emulator: TelegramEmulator, tmp_path: Path) -> AsyncIterator[Office]:
    now = [TUESDAY]
    runtime = sample_runtime(tmp_path, TUESDAY, telegram_base_url=telegram_emulator.base_url)
    runtime.clock = lambda: now[0]
    request, updates = bridge_requests(telegram_emulator.state)
    app = build_telegram(
        runtime, telegram_emulator.token, request=request, get_updates_request=updates,
        rate_limiter=None,
    )  # fmt: skip
    async with running_application(app):
        morning = runtime.morning({"telegram": TelegramChannel(app.bot)})
        yield Office(telegram_emulator, runtime, morning, now, app)
    runtime.engine.dispose()


async def test_extension_requested_approved_told_and_used(office: Office) -> None:
    await office.ask(UNIT_GROUP, f"/dangky {office.code('hcqt')}")
    await office.ask(OFFICE_GROUP, f"/dangky {office.code(None)}")
    quarter = office.number("Quý II/2026")  # due 30/06/2026, Chi bộ Hành chính – Quản trị

    bad = await office.ask(UNIT_GROUP, f"/giahan {quarter} 31/02/2026 chờ số liệu")
    assert "không đọc được" in (bad.text or "")
    early = await office.ask(UNIT_GROUP, f"/giahan {quarter} 20/6/2026 chờ số liệu")
    assert "phải sau hạn hiện tại (30/06/2026)" in (early.text or "")

    asked = await office.ask(UNIT_GROUP, f"/giahan {quarter} 31/7/2026 chờ số liệu quý II")
    assert "Đã gửi đề nghị gia hạn" in (asked.text or ""), asked.text
    code = (asked.text or "").split("(mã ")[1][:5]
    again = await office.ask(UNIT_GROUP, f"/giahan {quarter} 15/8/2026 thêm")
    assert f"mã {code}" in (again.text or "") and "đang chờ" in (again.text or "")

    await office.morning.dispatch()  # the request reaches the office through the outbox
    await office.emulator.wait_until(
        OFFICE_GROUP,
        lambda msgs: any("xin gia hạn" in (m.text or "") for m in msgs),
        what="the extension request in the office's chat",
    )
    request = (await office.emulator.bot_messages(OFFICE_GROUP))[-1]
    assert f"/duyet {code}" in (request.text or "")
    assert f"ext-ok:{code}" in request.callback_data

    refused_here = await office.ask(UNIT_GROUP, f"/duyet {code}")
    assert "chỉ dùng trong nhóm của văn phòng" in (refused_here.text or "")
    approved = await office.ask(OFFICE_GROUP, f"/duyet {code}")
    assert f"Đã duyệt đề nghị {code}" in (approved.text or "")
    assert "hạn mới 31/07/2026" in (approved.text or "")

    await office.morning.dispatch()  # the unit is told
    told = await office.emulator.wait_until(
        UNIT_GROUP,
        lambda msgs: any("đã duyệt gia hạn" in (m.text or "") for m in msgs),
        what="the unit told of the approval",
    )
    assert told
    detail = await office.ask(UNIT_GROUP, f"/chitiet {quarter}")
    assert "hạn 31/07/2026 (đã gia hạn)" in (detail.text or "")

    # The next digest reads the new date: no "còn 7 ngày" about 30/06 any more.
    office.now[0] = TUESDAY + timedelta(days=7)
    await office.morning.scan()
    digest = (await office.emulator.bot_messages(UNIT_GROUP))[-1]
    assert "Nhắc việc sáng" in (digest.text or "")
    assert f"#{quarter} " not in (digest.text or "")
