"""The console's "add to group" link end to end on the emulator.

Telegram turns ``t.me/<bot>?startgroup=<code>`` into ``/start@<bot> <code>`` posted in the
group the bot was added to: that registers the group exactly like ``/dangky <code>``, the
group is welcomed with what it will receive, and the next morning's digest arrives there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from data import chat_store
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole

from .emulator import TelegramEmulator
from .office import EmulatorOffice as Office
from .office import emulator_office

GROUP = -1001
MONDAY_EVENING = datetime(2026, 6, 15, 17, 0, tzinfo=VN_TZ)


@pytest.fixture
async def office(telegram_emulator: TelegramEmulator, tmp_path: Path) -> AsyncIterator[Office]:
    async with emulator_office(telegram_emulator, tmp_path, MONDAY_EVENING) as office:
        yield office


async def test_the_startgroup_link_registers_the_group_and_the_digest_arrives(
    office: Office,
) -> None:
    code = office.code("hcqt")
    welcome = await office.ask(GROUP, f"/start@{office.emulator.bot_username} {code}")
    assert "Đã đăng ký nhóm này cho Chi bộ Hành chính – Quản trị" in (welcome.text or "")
    assert "Mỗi sáng ngày làm việc, nhóm sẽ nhận tin nhắc việc" in (welcome.text or "")
    with office.runtime.sessions() as session:
        chat = chat_store.find_chat(session, ChatAddress("telegram", str(GROUP)))
        assert chat is not None and chat.role is ChatRole.UNIT
        assert chat.unit is not None and chat.unit.code == "hcqt"
    # the code is spent: the same link again is refused, like a second /dangky
    again = await office.ask(-1002, f"/start {code}")
    assert "đã được dùng" in (again.text or "")

    office.now[0] = MONDAY_EVENING + timedelta(hours=15)  # Tuesday 08:00
    await office.morning.scan()
    digest = await office.wait_text(GROUP, "Nhắc việc sáng Thứ Ba, 16/06/2026")
    assert digest.callback_data  # the ✅ buttons came with it
    assert not await office.emulator.bot_messages(-1003)


async def test_start_without_a_code_still_explains(office: Office) -> None:
    reply = await office.ask(GROUP, "/start")
    assert "chưa đăng ký" in (reply.text or "")


async def test_the_office_group_by_link_gets_the_office_menu(office: Office) -> None:
    office_group = -1009
    reply = await office.ask(office_group, f"/start {office.code(None)}")
    assert "Đã đăng ký nhóm này làm nhóm văn phòng" in (reply.text or "")
    calls = office.emulator.state.calls_to("setMyCommands")
    scoped = [c.params for c in calls if "-1009" in str(c.params.get("scope"))]
    assert len(scoped) == 1
    assert "duyet" in str(scoped[0]["commands"])  # the office's commands in its chat
    unit = await office.ask(GROUP, f"/dangky {office.code('hcqt')}")
    assert "Đã đăng ký" in (unit.text or "")
    assert len(office.emulator.state.calls_to("setMyCommands")) == len(calls)  # units: none
