"""Progress and the office's confirmation end to end through the Telegram emulator:
/capnhat with a percentage, a reply to the check-in digest, and (confirmation on)
/done → the office's ✅ Xác nhận → the unit told; ↩️ Trả lại with a reason → open again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from data.clock import VN_TZ

from .emulator import TelegramEmulator
from .office import EmulatorOffice as Office
from .office import emulator_office

THNC, HCQT, OFFICE = -3001, -3002, -3003
BEFORE_CHECKIN = datetime(2026, 6, 24, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
async def office(telegram_emulator: TelegramEmulator, tmp_path: Path) -> AsyncIterator[Office]:
    async with emulator_office(
        telegram_emulator, tmp_path, BEFORE_CHECKIN, confirm_done=True
    ) as office:
        yield office


async def test_progress_updates_and_the_office_confirmation(office: Office) -> None:
    for chat, unit in ((THNC, "thnc"), (HCQT, "hcqt"), (OFFICE, None)):
        await office.ask(chat, f"/dangky {office.code(unit)}")
    spread = office.number(title="Tuyên truyền, nắm bắt tình hình tư tưởng")  # all chi bộ, ongoing
    example = office.number(title="Thực hiện quy định về nêu gương")  # all chi bộ, ongoing

    noted = await office.ask(THNC, f"/capnhat {spread} 40% đã tổ chức 2 buổi nói chuyện")
    assert f"Đã ghi tiến độ #{spread}" in (noted.text or "") and "40%" in (noted.text or "")

    # The check-in morning: thnc still owes one long task; it answers by replying.
    office.now[0] = datetime(2026, 6, 25, 8, 0, tzinfo=VN_TZ)
    await office.morning.scan()
    digest = await office.wait_text(THNC, "Rà soát định kỳ")
    assert f"#{example} " in (digest.text or "") and f"#{spread} " not in (digest.text or "")
    assert "/capnhat" in (digest.text or "")
    answered = await office.ask(
        THNC, "đã quán triệt trong sinh hoạt chi bộ tháng 6", reply_to=digest
    )
    assert f"Đã ghi tiến độ #{example}" in (answered.text or ""), answered.text
    detail = await office.ask(THNC, f"/chitiet {example}")
    assert "Tiến độ:" in (detail.text or "")
    assert "đã quán triệt trong sinh hoạt chi bộ tháng 6" in (detail.text or "")

    # Confirmation on: /done waits; the office's ✅ Xác nhận closes it; the unit is told.
    late_thnc = office.number(title="Báo cáo sơ kết 6 tháng đầu năm 2026")  # thnc, 11 days late
    waiting = await office.ask(THNC, f"/done {late_thnc} đã gửi báo cáo")
    assert "chờ văn phòng xác nhận" in (waiting.text or ""), waiting.text
    await office.morning.dispatch()
    request = await office.wait_text(OFFICE, f"báo hoàn thành #{late_thnc}")
    assert f"cf-ok:{late_thnc}:thnc" in request.callback_data
    await office.emulator.press_button(request, f"cf-ok:{late_thnc}:thnc", first_name="Chánh VP")
    await office.wait_text(OFFICE, f"Đã xác nhận #{late_thnc}")  # the request, edited
    await office.morning.dispatch()
    await office.wait_text(THNC, f"đã xác nhận hoàn thành #{late_thnc}")

    # ↩️ Trả lại with a reason: the part is open again with its old deadline.
    late_hcqt = office.number(title="Đề án sắp xếp, kiện toàn các chi bộ")  # hcqt, due 30/06
    await office.ask(HCQT, f"/done {late_hcqt}")
    back = await office.ask(OFFICE, f"/tralai {late_hcqt} hcqt thiếu biên bản họp")
    assert "Đã trả lại" in (back.text or ""), back.text
    await office.morning.dispatch()
    told = await office.wait_text(HCQT, f"trả lại #{late_hcqt}")
    assert "thiếu biên bản họp" in (told.text or "")
    reopened = await office.ask(HCQT, f"/chitiet {late_hcqt}")
    text = reopened.text or ""
    assert "Chi bộ Hành chính – Quản trị: đang làm; hạn 30/06/2026" in text, text
    assert "chờ văn phòng" not in text
