"""An extension end to end through the Telegram emulator: /giahan in a chi bộ's group, the
office's chat gets the request (with buttons), /duyet, the unit is told, /chitiet and the
next morning's digest use the new date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from data.clock import VN_TZ

from .emulator import TelegramEmulator
from .office import EmulatorOffice as Office
from .office import emulator_office

UNIT_GROUP, OFFICE_GROUP = -2001, -2002
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)


@pytest.fixture
async def office(telegram_emulator: TelegramEmulator, tmp_path: Path) -> AsyncIterator[Office]:
    async with emulator_office(telegram_emulator, tmp_path, TUESDAY) as office:
        yield office


async def test_extension_requested_approved_told_and_used(office: Office) -> None:
    await office.ask(UNIT_GROUP, f"/dangky {office.code('hcqt')}")
    await office.ask(OFFICE_GROUP, f"/dangky {office.code(None)}")
    quarter = office.number(raw="Quý II/2026")  # due 30/06/2026, Chi bộ Hành chính – Quản trị

    bad = await office.ask(UNIT_GROUP, f"/giahan {quarter} 31/02/2026 chờ số liệu")
    assert "Ngày 31/02/2026 không có" in (bad.text or "")
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
