"""Each unit's part of a task: its own /done, its own digest, the task done with the last owner.

On SQLite and PostgreSQL, through the chat service and the morning scan.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from bot.service import ChatService
from data import db, store
from data.clock import VN_TZ
from data.domain import TaskStatus
from jobs.calendar import WorkCalendar
from jobs.plan import Policy, Reason
from jobs.scan import run_scan
from tests.conftest import bind_every_unit, save_sample

CALENDAR, POLICY = WorkCalendar(), Policy()
MONDAY = date(2026, 10, 5)  # "Quý III/2026" (30/09) is 5 days late
CHI_BO = ("hcqt", "thnc", "ktvx", "thhcc")
TITLE = "Tổ chức học tập, quán triệt Nghị quyết"


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> tuple[sessionmaker[Session], ChatService, int]:
    now = datetime.combine(date(2026, 4, 1), time(8), VN_TZ)
    save_sample(sessions, now)
    bind_every_unit(sessions, "telegram", now)
    clock = datetime.combine(MONDAY, time(9), VN_TZ)
    service = ChatService(sessions, lambda: clock, calendar=CALENDAR, policy=POLICY)
    with sessions() as session:
        task = next(t for t in store.live_tasks(session) if t.title.startswith(TITLE))
        assert task.unit_codes == CHI_BO  # "Các chi bộ trực thuộc": one part each
        return sessions, service, task.number


def ask(service: ChatService, unit: str, text: str) -> str:
    reply = service.handle(Sender("telegram", f"g-{unit}", "u-" + unit, "Thư ký " + unit), text)
    assert reply is not None
    return reply.text


def late_in_digest(sessions: sessionmaker[Session], number: int) -> set[str]:
    with db.transaction(sessions) as session:
        now = datetime.combine(MONDAY, time(7, 30), VN_TZ)
        plan = run_scan(session, MONDAY, now, CALENDAR, POLICY, dry_run=True).plan
    return {
        unit
        for unit, items in plan.digests.items()
        for item in items
        if item.number == number and item.reason is Reason.OVERDUE
    }


def test_one_chi_bo_done_leaves_the_others_open_until_the_last(
    office: tuple[sessionmaker[Session], ChatService, int],
) -> None:
    sessions, service, number = office
    assert late_in_digest(sessions, number) == set(CHI_BO)

    answer = ask(service, "hcqt", f"/done {number} đã học xong")
    assert "phần của Chi bộ Hành chính – Quản trị" in answer
    assert "còn chờ: Chi bộ Tổng hợp – Nội chính" in answer
    assert f"#{number} " not in ask(service, "hcqt", "/quahan")
    assert f"#{number} " in ask(service, "thnc", "/quahan")
    assert late_in_digest(sessions, number) == {"thnc", "ktvx", "thhcc"}
    assert "đã được báo hoàn thành từ trước" in ask(service, "hcqt", f"/done {number}")

    detail = ask(service, "thnc", f"/chitiet {number}")
    assert "• Chi bộ Hành chính – Quản trị: ✅ xong 05/10/2026" in detail
    assert "• Chi bộ Tổng hợp – Nội chính: 🔴 quá hạn 5 ngày" in detail

    for unit in ("thnc", "ktvx"):
        ask(service, unit, f"/done {number}")
    with sessions() as session:
        task = store.tasks_for_update(session, [number])[number]
        assert task.status is TaskStatus.OPEN  # one owner still to report
    assert "mọi đơn vị đã xong" in ask(service, "thhcc", f"/done {number}")
    with sessions() as session:
        task = store.tasks_for_update(session, [number])[number]
        assert task.status is TaskStatus.DONE
    assert late_in_digest(sessions, number) == set()

    # Reopening one part reopens the task for that unit only.
    assert ask(service, "ktvx", f"/mo {number}").startswith("↩️")
    assert late_in_digest(sessions, number) == {"ktvx"}


def test_the_office_marks_every_part_and_a_cooperating_unit_none(
    office: tuple[sessionmaker[Session], ChatService, int],
) -> None:
    sessions, service, number = office
    answer = ask(service, "hcqt", f"/mo {number}")
    assert "đang mở, không cần mở lại" in answer
    office_answer = service.handle(
        Sender("telegram", "admin", "vp", "Văn phòng"), f"/done {number}"
    )
    assert office_answer is not None and office_answer.text.startswith("✅")
    with sessions() as session:
        task = store.tasks_for_update(session, [number])[number]
        assert task.status is TaskStatus.DONE
        assert all(part.done_at is not None for part in task.owners)
