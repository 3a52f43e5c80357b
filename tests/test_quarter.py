"""The quarter's cycle of long tasks, on SQLite and PostgreSQL, with the date pinned:
check-in → some parts updated with /capnhat → the follow-up skips them → the others are
reminded once more, then listed to the supervising chat."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from bot.service import ChatService
from data import db, store
from data.clock import VN_TZ
from jobs.calendar import WorkCalendar
from jobs.plan import DayPlan, Policy, Reason
from jobs.scan import run_scan
from tests.conftest import bind_every_unit, save_sample

CAL, POLICY = WorkCalendar(), Policy()
CHECKIN, FOLLOW_UP, ESCALATION = date(2026, 6, 25), date(2026, 7, 2), date(2026, 7, 9)
LONG = "Tuyên truyền, nắm bắt tình hình tư tưởng"  # "Các chi bộ trực thuộc", "Thường xuyên"


def morning(sessions: sessionmaker[Session], day: date) -> DayPlan:
    with db.transaction(sessions) as session:
        now = datetime.combine(day, time(7, 30), VN_TZ)
        return run_scan(session, day, now, CAL, POLICY, dry_run=True).plan


def reasons(plan: DayPlan, number: int) -> dict[str, Reason]:
    return {
        unit: item.reason
        for unit, items in plan.digests.items()
        for item in items
        if item.number == number
    }


def test_the_quarter_check_in_update_follow_up_and_escalation(
    sessions: sessionmaker[Session],
) -> None:
    start = datetime.combine(date(2026, 4, 1), time(8), VN_TZ)
    save_sample(sessions, start)
    bind_every_unit(sessions, "telegram", start)
    with sessions() as session:
        number = next(t.number for t in store.live_tasks(session) if t.title.startswith(LONG))
    chi_bo = {"hcqt", "thnc", "ktvx", "thhcc"}

    asked = morning(sessions, CHECKIN)
    assert reasons(asked, number) == dict.fromkeys(chi_bo, Reason.CHECKIN)

    clock = [datetime.combine(date(2026, 6, 26), time(9), VN_TZ)]
    service = ChatService(sessions, lambda: clock[0], calendar=CAL, policy=POLICY)

    def say(unit: str, text: str) -> str:
        reply = service.handle(Sender("telegram", f"g-{unit}", "u1", "Lan"), text)
        assert reply is not None
        return reply.text

    assert "Đã ghi tiến độ" in say("hcqt", f"/capnhat {number} 40% đã tổ chức 2 buổi")
    assert "Đã ghi tiến độ" in say("thnc", f"/capnhat {number} nắm tình hình hằng tuần")
    assert "phải từ 0 đến 100" in say("ktvx", f"/capnhat {number} 140% quá")
    assert "Cần nội dung" in say("ktvx", f"/capnhat {number} 40%")
    detail = say("hcqt", f"/chitiet {number}")
    assert "Tiến độ:" in detail and "40% — đã tổ chức 2 buổi" in detail

    followed = morning(sessions, FOLLOW_UP)
    assert reasons(followed, number) == {"ktvx": Reason.UNREPORTED, "thhcc": Reason.UNREPORTED}

    clock[0] = datetime.combine(date(2026, 7, 3), time(9), VN_TZ)
    office = service.handle(Sender("telegram", "admin", "vp", "Văn phòng"), "/tiendo")
    assert office is not None and "Chưa báo cáo tiến độ quý này" in office.text
    owing = {
        line.split(":")[0].removeprefix("• ")
        for line in office.text.splitlines()
        if line.startswith("• ")
        and f"#{number}" in [n.strip() for n in line.split(":", 1)[1].split(",")]
    }
    assert owing == {"Chi bộ Kinh tế ngành – Văn xã", "Chi bộ Tin học – Hành chính công"}

    with db.transaction(sessions) as session:  # Monday: the office's weekly summary
        monday = datetime.combine(date(2026, 7, 6), time(7, 30), VN_TZ)
        result = run_scan(session, monday.date(), monday, CAL, POLICY, dry_run=True)
    [weekly] = [m.text for m in result.messages if m.kind == "weekly"]
    owed = weekly.split("📝 Chưa báo cáo tiến độ việc dài hạn quý này")[1]
    lines = {line.split(":")[0]: line for line in owed.splitlines() if line.startswith("• ")}
    assert f"#{number}" in lines["• Chi bộ Kinh tế ngành – Văn xã"]
    assert f"#{number}," not in lines.get("• Chi bộ Hành chính – Quản trị", "") + ","

    escalated = morning(sessions, ESCALATION)
    assert number not in {i.number for items in escalated.digests.values() for i in items}
    listed = [(i.units, i.reason) for i in escalated.escalations if i.number == number]
    assert sorted(listed) == [(("ktvx",), Reason.UNREPORTED), (("thhcc",), Reason.UNREPORTED)]


def test_the_report_carries_last_updates_and_who_reported_this_quarter(
    sessions: sessionmaker[Session],
) -> None:
    from io import BytesIO

    import openpyxl

    from jobs.due import Due
    from jobs.office_report import load_report, report_json
    from jobs.workbook import DETAIL_HEADERS, HEADER_ROW, report_workbook

    start = datetime.combine(date(2026, 4, 1), time(8), VN_TZ)
    save_sample(sessions, start)
    bind_every_unit(sessions, "telegram", start)
    with sessions() as session:
        number = next(t.number for t in store.live_tasks(session) if t.title.startswith(LONG))
    moment = datetime.combine(date(2026, 6, 26), time(9), VN_TZ)
    service = ChatService(sessions, lambda: moment, calendar=CAL, policy=POLICY)
    sender = Sender("telegram", "g-hcqt", "u1", "Lan")
    assert service.handle(sender, f"/capnhat {number} 40% đã tổ chức 2 buổi") is not None

    with sessions() as session:
        office = load_report(
            session, Due(CAL, POLICY), date(2026, 1, 1), date(2026, 12, 31), date(2026, 7, 3)
        )
    data = report_json(office)
    [item] = [i for i in data["items"] if i["task"] == number and i["unit"] == "hcqt"]
    assert item["last_update"] == {"date": "2026-06-26", "percent": 40, "text": "đã tổ chức 2 buổi"}
    others = [i for i in data["items"] if i["task"] == number and i["unit"] != "hcqt"]
    assert others and all(i["last_update"] is None for i in others)
    units = {u["code"]: u for u in data["units"]}
    assert units["hcqt"]["reported_this_quarter"] == 1
    assert units["thnc"]["reported_this_quarter"] == 0 < units["thnc"]["long_tasks"]

    sheet = openpyxl.load_workbook(BytesIO(report_workbook(office)))["Chi tiết"]
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header == list(DETAIL_HEADERS)
    column = header.index("Nội dung cập nhật")
    texts = [row[column] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert "đã tổ chức 2 buổi" in texts
