"""A recurring task's /done closes one occurrence, not every past one.

"trước ngày 20 hằng tháng" (due the 19th of each month, from a plan dated 05/01/2026):
a unit that never sent January–May and reports on 18/06 has sent June's report, on
time; January–May stay overdue until each is reported (``/done 9 05/2026``), and each
is dated by its own report. Through the chat service, ``nhacviec done``, the report
(``load_report``) and the database's counts (``report_counts``), on both stores.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from bot.cli import main
from bot.service import ChatService
from data import db, parts, revisions, store
from data.clock import VN_TZ
from data.deadlines import DeadlineKind
from data.domain import TaskStatus
from data.importers import LoadedFile, load_document
from data.models import OutboxMessage
from data.parts import Change
from data.taskview import ClosedOccurrence, TaskView
from data.units import UnitRegistry
from jobs.calendar import WorkCalendar
from jobs.due import Due
from jobs.office_report import load_report, report_counts
from jobs.plan import Policy, Reason
from jobs.report import PartStatus
from jobs.scan import run_scan
from tests.conftest import bind_every_unit
from tests.test_migrations import _insert

CALENDAR, POLICY = WorkCalendar(), Policy()
DUE = Due(CALENDAR, POLICY)
HCQT = "Chi bộ Hành chính – Quản trị"
PLAN = (
    "ĐẢNG ỦY\n*Lai Châu, ngày 05 tháng 01 năm 2026*\n\n## KẾ HOẠCH\n\nthử\n\n"
    "**PHỤ LỤC 3****Danh mục nhiệm vụ cụ thể năm 2026**\n\n-----\n\n"
    "TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian\n"
    f"1\tBáo cáo tình hình tư tưởng đảng viên gửi Đảng ủy.\t{HCQT}\ttrước ngày 20 hằng tháng\n"
)
PLAN_DATE = date(2026, 1, 5)
JAN_TO_JUN = (date(2026, 1, 1), date(2026, 6, 30))


def months(*numbers: int) -> list[date]:
    return [date(2026, m, 19) for m in numbers]


class Office:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        now = datetime.combine(PLAN_DATE, time(8), VN_TZ)
        loaded = LoadedFile("ke_hoach_thang.txt", ".txt", PLAN.encode())
        parsed = load_document(loaded, UnitRegistry.default(), doc_date=PLAN_DATE, today=PLAN_DATE)
        with db.transaction(sessions) as session:
            revisions.save_document(session, parsed, key="kh", source_name="", sha256="", now=now)
        bind_every_unit(sessions, "telegram", now)
        self.sessions = sessions
        self.clock = now
        self.service = ChatService(sessions, lambda: self.clock, calendar=CALENDAR, policy=POLICY)
        with sessions() as session:
            (task,) = store.live_tasks(session)
            self.number = task.number

    def ask(self, day: date, command: str, chat: str = "g-hcqt") -> str:
        self.clock = datetime.combine(day, time(9), VN_TZ)
        reply = self.service.handle(Sender("telegram", chat, "u1", "Lan"), command)
        assert reply is not None
        return reply.text

    def report(
        self, as_of: date, period: tuple[date, date] = JAN_TO_JUN
    ) -> dict[date, tuple[PartStatus, date | None]]:
        """Each occurrence's status and day done, as the report counts it; the database's
        counts (``report_counts``) say the same."""
        with self.sessions() as session:
            office = load_report(session, DUE, *period, as_of)
            counts = report_counts(session, DUE, *period, as_of)
        assert counts.units["hcqt"].by_status == office.report.units["hcqt"].by_status
        assert counts.total.by_status == office.report.total.by_status
        return {i.due: (i.status, i.done_on) for i in office.report.items if i.due is not None}

    def late_in_digest(self, day: date) -> list[date | None]:
        with db.transaction(self.sessions) as session:
            now = datetime.combine(day, time(7, 30), VN_TZ)
            plan = run_scan(session, day, now, CALENDAR, POLICY, dry_run=True).plan
        items = plan.digests.get("hcqt", [])
        return [i.due for i in items if i.number == self.number and i.reason is Reason.OVERDUE]


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return Office(sessions)


def test_a_bare_done_on_the_18th_sends_june_only(office: Office) -> None:
    n = office.number
    answer = office.ask(date(2026, 6, 18), f"/done {n}")
    assert "kỳ hạn 19/06/2026" in answer, answer
    report = office.report(date(2026, 6, 18))
    late = (PartStatus.OVERDUE, None)
    assert report == {
        **dict.fromkeys(months(1, 2, 3, 4, 5), late),
        date(2026, 6, 19): (PartStatus.DONE_ON_TIME, date(2026, 6, 18)),
    }
    # Five months never sent are still owed: the digest's one late item is May's.
    assert office.late_in_digest(date(2026, 6, 22)) == [date(2026, 5, 19)]
    assert f"#{n} " in office.ask(date(2026, 6, 22), "/quahan")
    with office.sessions() as session:  # occurrences keep coming: the task stays open
        assert store.live_tasks(session)[0].status is TaskStatus.OPEN


def test_next_month_has_its_own_done_and_a_past_month_is_named(office: Office) -> None:
    n = office.number
    office.ask(date(2026, 6, 18), f"/done {n}")
    assert "kỳ hạn 19/07/2026" in office.ask(date(2026, 7, 17), f"/done {n}")
    assert "đã được báo hoàn thành từ trước" in office.ask(date(2026, 7, 18), f"/done {n}")
    answer = office.ask(date(2026, 7, 20), f"/done {n} 05/2026 gửi bù")
    assert "kỳ hạn 19/05/2026" in answer, answer
    with office.sessions() as session:
        july = load_report(session, DUE, date(2026, 7, 1), date(2026, 7, 31), date(2026, 7, 20))
    assert [(i.due, i.status, i.done_on) for i in july.report.items] == [
        (date(2026, 7, 19), PartStatus.DONE_ON_TIME, date(2026, 7, 17))
    ]
    report = office.report(date(2026, 7, 20))
    assert report[date(2026, 5, 19)] == (PartStatus.DONE_LATE, date(2026, 7, 20))  # its own day
    assert report[date(2026, 6, 19)] == (PartStatus.DONE_ON_TIME, date(2026, 6, 18))
    assert report[date(2026, 4, 19)] == (PartStatus.OVERDUE, None)
    assert office.late_in_digest(date(2026, 7, 21)) == [date(2026, 4, 19)]

    # Reopening names one occurrence too: May is owed again, June and July stay sent.
    assert office.ask(date(2026, 7, 21), f"/mo {n} 05/2026").startswith("↩️")
    report = office.report(date(2026, 7, 21))
    assert report[date(2026, 5, 19)] == (PartStatus.OVERDUE, None)
    assert report[date(2026, 6, 19)] == (PartStatus.DONE_ON_TIME, date(2026, 6, 18))
    assert "đang mở" in office.ask(date(2026, 7, 21), f"/mo {n} 05/2026")
    assert "không đọc được" in office.ask(date(2026, 7, 21), f"/done {n} 13/2026")
    assert "không có kỳ nào" in office.ask(date(2026, 7, 21), f"/done {n} 12/2025")


def test_a_part_reported_before_occurrences_were_named_reads_as_before(office: Office) -> None:
    """The old watermark (a report with no occurrence) still closes every month up to it;
    a later /done closes its own month on top of it."""
    with db.transaction(office.sessions) as session:
        task = store.tasks_for_update(session, [office.number])[office.number]
        moment = datetime.combine(date(2026, 6, 18), time(9), VN_TZ)
        assert parts.mark_part(task, task.owners[0], Change(moment, "cũ"), done=True)
    report = office.report(date(2026, 6, 18))
    assert report[date(2026, 3, 19)] == (PartStatus.DONE_LATE, date(2026, 6, 18))
    assert report[date(2026, 6, 19)] == (PartStatus.DONE_ON_TIME, date(2026, 6, 18))
    n = office.number
    assert "đã được báo hoàn thành từ trước" in office.ask(date(2026, 7, 17), f"/done {n} 05/2026")
    assert "kỳ hạn 19/07/2026" in office.ask(date(2026, 7, 17), f"/done {n}")
    assert office.late_in_digest(date(2026, 7, 21)) == []


def test_the_office_command_line_closes_the_current_month(
    tmp_path: Path, cli_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "ke_hoach_thang.txt"
    plan.write_text(PLAN, encoding="utf-8")
    assert main(["import", str(plan), "--doc-date", "2026-01-05"]) == 0
    capsys.readouterr()
    assert main(["tasks", "--json"]) == 0
    (number,) = [t["number"] for t in json.loads(capsys.readouterr().out)]
    assert main(["done", str(number), "--on", "2026-06-18"]) == 0
    assert "kỳ hạn 19/06/2026" in capsys.readouterr().out
    args = ["report", "--from", "2026-01-01", "--to", "2026-06-30", "--as-of", "2026-06-18"]
    assert main([*args, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(i["due"], i["status"], i["done_on"]) for i in items] == [
        *((f"2026-0{m}-19", "overdue", None) for m in range(1, 6)),
        ("2026-06-19", "done_on_time", "2026-06-18"),
    ]


def _before_0014(engine: Engine) -> str:
    """The revision 0014 follows (0012 when written; wherever the chain puts it)."""
    script = ScriptDirectory.from_config(db.alembic_config(engine))
    before = script.get_revision("0014").down_revision
    assert isinstance(before, str)
    return before


def test_events_saved_before_survive_the_occurrence_column(engine: Engine) -> None:
    before = _before_0014(engine)
    command.downgrade(db.alembic_config(engine), before)
    with engine.begin() as conn:
        _insert(conn, "documents", id=1, key="kh")
        _insert(conn, "tasks", id=1, number=1, document_id=1, source_key="1", extra="{}")
        for event in (1, 2):
            _insert(conn, "task_events", id=event, task_id=1, action="done", unit_id=1)
    db.migrate(engine)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, occurrence FROM task_events ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, None), (2, None)]
        conn.execute(text("UPDATE task_events SET occurrence = '2026-05-19' WHERE id = 2"))
    command.downgrade(db.alembic_config(engine), before)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM task_events")).scalar_one() == 2
    db.migrate(engine)


MONTHLY = TaskView(
    number=9,
    title="Báo cáo tháng",
    units=("hcqt",),
    kind=DeadlineKind.RECURRING,
    raw_deadline="trước ngày 20 hằng tháng",
    rrule="FREQ=MONTHLY;BYMONTHDAY=19",
    anchor=PLAN_DATE,
)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 5), date(2026, 1, 19)),  # January's ladder starts the day of the plan
        (date(2026, 6, 4), date(2026, 5, 19)),  # June's ladder not started (05/06): May's
        (date(2026, 6, 5), date(2026, 6, 19)),  # started: June's, sent early
        (date(2026, 6, 18), date(2026, 6, 19)),
        (date(2026, 6, 19), date(2026, 6, 19)),  # on the day
        (date(2026, 6, 22), date(2026, 6, 19)),  # the day after: June's, late
        (date(2026, 7, 3), date(2026, 7, 19)),  # 05/07 is a Sunday: the ladder starts on Friday
    ],
)
def test_a_bare_done_means_the_coming_occurrence_once_reminded_else_the_last(
    today: date, expected: date
) -> None:
    assert DUE.current_occurrence(MONTHLY, today) == expected


def test_a_month_names_its_occurrence_and_the_latest_open_one_is_late() -> None:
    assert DUE.occurrence_in(MONTHLY, 2026, 5) == date(2026, 5, 19)
    assert DUE.occurrence_in(MONTHLY, 2025, 12) is None  # before the plan
    weekly = replace(MONTHLY, rrule="FREQ=WEEKLY;BYDAY=FR")
    sent = replace(weekly, closed=(ClosedOccurrence(date(2026, 5, 1), date(2026, 5, 1)),))
    assert DUE.occurrence_in(sent, 2026, 5) == date(2026, 5, 8)  # the first not yet sent
    one_off = replace(MONTHLY, kind=DeadlineKind.DUE, rrule=None, due=date(2026, 5, 19))
    assert DUE.current_occurrence(one_off, date(2026, 5, 1)) is None
    assert DUE.occurrence_in(one_off, 2026, 5) is None

    june = ClosedOccurrence(date(2026, 6, 19), date(2026, 6, 18))
    may = ClosedOccurrence(date(2026, 5, 19), date(2026, 6, 25))
    view = replace(MONTHLY, closed=(may, june))
    late = DUE.late(view, date(2026, 6, 22))  # May's report not sent yet on 22/06
    assert late is not None and (late.due, late.days_late) == (date(2026, 5, 19), 34)
    late = DUE.late(view, date(2026, 6, 26))
    assert late is not None and late.due == date(2026, 4, 19)
    assert DUE.is_closed(view, date(2026, 6, 19), date(2026, 6, 18))
    assert not DUE.is_closed(view, date(2026, 6, 19), date(2026, 6, 17))  # not sent yet


def test_with_confirmation_each_month_waits_for_the_office_on_its_own(
    sessions: sessionmaker[Session],
) -> None:
    """Confirmation on: June's report waits (its reminders stop, not May's), the office
    confirms it as of the day sent; July's is a report of its own; a month returned is
    owed again."""
    office = Office(sessions)
    office.service.confirm_done = True
    n = office.number
    assert "chờ văn phòng xác nhận" in office.ask(date(2026, 6, 18), f"/done {n}")
    assert office.late_in_digest(date(2026, 6, 18)) == [date(2026, 5, 19)]
    assert office.report(date(2026, 6, 18))[date(2026, 6, 19)] == (PartStatus.IN_TERM, None)
    assert "Đã xác nhận" in office.ask(date(2026, 6, 22), f"/xacnhan {n}", chat="admin")
    report = office.report(date(2026, 6, 22))
    assert report[date(2026, 6, 19)] == (PartStatus.DONE_ON_TIME, date(2026, 6, 18))
    assert report[date(2026, 5, 19)] == (PartStatus.OVERDUE, None)
    with office.sessions() as session:
        told = session.scalars(select(OutboxMessage.text).where(OutboxMessage.chat_id == "g-hcqt"))
        assert any("xác nhận hoàn thành" in t and "(tính ngày 18/06/2026)" in t for t in told)

    assert "chờ văn phòng xác nhận" in office.ask(date(2026, 7, 17), f"/done {n}")
    assert "Đã xác nhận" in office.ask(date(2026, 7, 20), f"/xacnhan {n}", chat="admin")
    assert "chờ văn phòng xác nhận" in office.ask(date(2026, 7, 20), f"/done {n} 05/2026")
    assert office.late_in_digest(date(2026, 7, 21)) == [date(2026, 4, 19)]
    assert "Đã trả lại" in office.ask(date(2026, 7, 21), f"/tralai {n} thiếu số", chat="admin")
    report = office.report(date(2026, 7, 21), (date(2026, 1, 1), date(2026, 7, 31)))
    assert report[date(2026, 7, 19)] == (PartStatus.DONE_ON_TIME, date(2026, 7, 17))
    assert report[date(2026, 5, 19)] == (PartStatus.OVERDUE, None)
    assert office.late_in_digest(date(2026, 7, 21)) == [date(2026, 5, 19)]
    assert "chờ văn phòng xác nhận" in office.ask(date(2026, 7, 22), f"/done {n} 05/2026")


def test_a_reimport_moving_the_day_keeps_the_months_already_sent(office: Office) -> None:
    """The plan is re-imported with "trước ngày 25 hằng tháng" (due the 24th): January–April,
    reported under the old rule (the 19th), stay sent on their days; May stays owed."""
    n = office.number
    for month in (1, 2, 3, 4):
        office.ask(date(2026, month, 18), f"/done {n} {month:02d}/2026")
    moved = PLAN.replace("trước ngày 20 hằng tháng", "trước ngày 25 hằng tháng")
    now = datetime.combine(date(2026, 5, 30), time(8), VN_TZ)
    loaded = LoadedFile("ke_hoach_thang.txt", ".txt", moved.encode())
    parsed = load_document(loaded, UnitRegistry.default(), doc_date=PLAN_DATE, today=now.date())
    with db.transaction(office.sessions) as session:
        revisions.save_document(session, parsed, key="kh", source_name="", sha256="", now=now)

    report = office.report(date(2026, 5, 30))
    assert report == {
        **{date(2026, m, 24): (PartStatus.DONE_ON_TIME, date(2026, m, 18)) for m in (1, 2, 3, 4)},
        date(2026, 5, 24): (PartStatus.OVERDUE, None),
        date(2026, 6, 24): (PartStatus.IN_TERM, None),
    }
    assert office.late_in_digest(date(2026, 6, 1)) == [date(2026, 5, 24)]
    assert "kỳ hạn 24/05/2026" in office.ask(date(2026, 6, 1), f"/done {n} 05/2026")
    assert office.late_in_digest(date(2026, 6, 2)) == []
