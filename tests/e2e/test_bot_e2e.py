"""nhacviec's Telegram bot end to end, through the telegram-test-api emulator.

The real application (composition root, handlers, ChatService, outbox, dispatcher,
TelegramChannel) runs against the emulator through python-telegram-bot's base_url;
a human user writes in groups and presses buttons through the emulator's client API.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_telegram, serve
from data import chat_store, db
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole
from data.models import Task, Unit
from tests.conftest import sample_runtime

from .emulator import TelegramEmulator, bridge_requests
from .office import EmulatorOffice as Office
from .office import emulator_office

GROUP, OTHER_GROUP, STRANGER_GROUP = -1001, -1002, -1003
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)


@pytest.fixture
async def office(telegram_emulator: TelegramEmulator, tmp_path: Path) -> AsyncIterator[Office]:
    async with emulator_office(telegram_emulator, tmp_path, TUESDAY) as office:
        yield office


async def test_a_chi_bo_group_day(office: Office) -> None:
    reply = await office.ask(GROUP, f"/dangky {office.code('hcqt')}")
    assert "Đã đăng ký nhóm này cho Chi bộ Hành chính – Quản trị" in (reply.text or "")

    week = await office.ask(GROUP, "/tuannay")
    assert "tuần này" in (week.text or "")
    monthly = office.number(raw="trước ngày 20 hằng tháng")
    assert f"#{monthly} " in (week.text or "")
    assert f"done:{monthly}" in week.callback_data

    late = await office.ask(GROUP, "/quahan")
    assert "quá hạn" in (late.text or "")

    quarter = office.number(raw="Quý II/2026")
    detail = await office.ask(GROUP, f"/chitiet@{office.emulator.bot_username} {quarter}")
    assert 'Thời hạn theo văn bản: "Quý II/2026"' in (detail.text or "")

    # this morning's digest, through the real outbox and dispatcher, with buttons
    await office.morning.scan()
    digest = (await office.emulator.bot_messages(GROUP))[-1]
    assert "Nhắc việc sáng Thứ Ba, 16/06/2026" in (digest.text or "")
    assert f"#{quarter} " in (digest.text or "")
    assert f"done:{quarter}" in digest.callback_data

    done = await office.ask(GROUP, f"/done {quarter} đã trình")
    assert "Đã ghi nhận hoàn thành" in (done.text or "")

    # a week later the digest no longer mentions it
    office.now[0] = TUESDAY + timedelta(days=7)
    await office.morning.scan()
    later = (await office.emulator.bot_messages(GROUP))[-1]
    assert "23/06/2026" in (later.text or "")
    assert f"#{quarter} " not in (later.text or "")

    reopened = await office.ask(GROUP, f"/mo {quarter}")
    assert "Đã mở lại" in (reopened.text or "")


async def test_the_done_button_on_a_digest(office: Office) -> None:
    await office.ask(GROUP, f"/dangky {office.code('hcqt')}")
    await office.morning.scan()
    digest = (await office.emulator.bot_messages(GROUP))[-1]
    quarter = office.number(raw="Quý II/2026")
    await office.emulator.press_button(digest, f"done:{quarter}", first_name="Hùng")
    edited = await office.emulator.wait_until(
        GROUP,
        lambda msgs: any(f"✅ #{quarter} — Hùng" in (m.text or "") for m in msgs),
        what="the digest edited to show who pressed",
    )
    assert edited
    with office.runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == quarter))
        assert task is not None
        assert task.status == "done"
        assert "Hùng" in task.events[-1].actor
    # pressing again, or /done after the button, is harmless
    digest = next(
        m for m in await office.emulator.bot_messages(GROUP) if m.message_id == digest.message_id
    )
    await office.emulator.press_button(digest, f"done:{quarter}", first_name="Lan")
    again = await office.ask(GROUP, f"/done {quarter}")
    assert "từ trước" in (again.text or "")
    final = next(
        m for m in await office.emulator.bot_messages(GROUP) if m.message_id == digest.message_id
    )
    assert (final.text or "").count(f"✅ #{quarter} —") == 1


async def test_refusals(office: Office) -> None:
    await office.ask(GROUP, f"/dangky {office.code('hcqt')}")
    foreign = office.number(raw="hằng quý")  # Ủy ban Kiểm tra's task
    assert "đơn vị khác" in ((await office.ask(GROUP, f"/done {foreign}")).text or "")
    assert "Không có lệnh /abc" in ((await office.ask(GROUP, "/abc")).text or "")
    assert "Cần số nhiệm vụ" in ((await office.ask(GROUP, "/done abc")).text or "")
    assert "Không có nhiệm vụ #9999" in ((await office.ask(GROUP, "/done 9999")).text or "")
    assert "chưa đăng ký" in ((await office.ask(STRANGER_GROUP, "/tuannay")).text or "")
    used = office.code("thnc")
    await office.ask(OTHER_GROUP, f"/dangky {used}")
    assert "đã được dùng" in ((await office.ask(STRANGER_GROUP, f"/dangky {used}")).text or "")
    expired = office.code("ktvx", valid=timedelta(seconds=-1))
    assert "hết hạn" in ((await office.ask(STRANGER_GROUP, f"/dangky {expired}")).text or "")
    assert "chưa đăng ký" in ((await office.ask(STRANGER_GROUP, "/quahan")).text or "")
    with office.runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == foreign))
        assert task is not None
        assert task.status == "open"


async def test_serve_sets_the_menu_and_catches_up(
    telegram_emulator: TelegramEmulator, tmp_path: Path
) -> None:
    """``nhacviec run``'s loop: Telegram started, the menu set, today's missed digest sent."""
    runtime = sample_runtime(tmp_path, TUESDAY, telegram_base_url=telegram_emulator.base_url)
    with db.transaction(runtime.sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        chat_store.bind_chat(
            session, ChatAddress("telegram", str(GROUP)), ChatRole.UNIT, unit, TUESDAY
        )
    request, updates = bridge_requests(telegram_emulator.state)
    app = build_telegram(
        runtime,
        telegram_emulator.token,
        request=request,
        get_updates_request=updates,
        rate_limiter=None,
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(runtime, app=app, stop=stop, ready=ready))
    try:
        async with asyncio.timeout(15):
            await ready.wait()
        assert any(c.method == "setMyCommands" for c in telegram_emulator.state.faked_calls)
        # started at 08:00 with no scan yet today: the morning digest came at once
        [digest] = await telegram_emulator.wait_for_bot_messages(GROUP, 1)
        assert "Nhắc việc sáng Thứ Ba, 16/06/2026" in (digest.text or "")
        week = await telegram_emulator.send_message(GROUP, "/tuannay", user_id=501)
        assert week is not None
        answers = await telegram_emulator.wait_for_bot_messages(GROUP, 2)
        assert "tuần này" in (answers[-1].text or "")
    finally:
        stop.set()
        async with asyncio.timeout(15):
            await task
        runtime.engine.dispose()
