"""The morning digest and the chat commands agree, every working day of a year.

A compact plan is imported into the store; units mark tasks done (and reopen them)
with /done and /mo on given days, the service's clock pinned to that day. Each
working day, for every unit's group, the digest (``run_scan``) and the answers to
/homnay, /tuannay and /quahan (``ChatService.handle``) must tell the same story:

* an overdue digest item is in /quahan, same due date, same days late — and
  /quahan lists nothing the digest is silent about;
* /homnay lists exactly the digest's items due today;
* a ladder item due by Sunday is in /tuannay;
* nothing done shows anywhere (a monthly report done early included);
* a task without an owner unit is on the office's review list, never in /quahan.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from bot.service import ChatService
from data import db, revisions
from data.clock import VN_TZ
from data.deadlines import DeadlineKind as K
from data.models import Chat, Task, Unit
from data.taskview import ClosedOccurrence, TaskView
from jobs.calendar import WorkCalendar
from jobs.compose import format_date
from jobs.due import Due, DueItem, week_bounds
from jobs.plan import DayPlan, Policy, Reason, simulate
from jobs.scan import run_scan
from tests.conftest import parse_sample

START, END = date(2026, 4, 1), date(2027, 3, 31)
CALENDAR, POLICY = WorkCalendar(), Policy()
UNITS = ("hcqt", "thnc")
HCQT = "Chi bộ Hành chính – Quản trị"
THNC = "Chi bộ Tổng hợp – Nội chính"

# title -> (unit cell, deadline as written); doc date 01/04/2026 is the recurrences' start
PLAN = {
    "Báo cáo tháng": (HCQT, "trước ngày 25 hằng tháng"),  # 24th of each month
    "Báo cáo quý": (THNC, "hằng quý"),  # last day of each quarter
    "Báo cáo sơ kết": (f"{HCQT}, {THNC}", "trước ngày 15/6/2026"),  # 14/06, a Sunday
    "Đề án kiện toàn": (HCQT, "Quý II/2026"),  # never done
    "Báo cáo tổng kết": (THNC, "chậm nhất ngày 10/12/2026"),
    "Nghị quyết chuyển đổi số": (THNC, "Tháng 6/2026"),
    "Kế hoạch giai đoạn": (HCQT, "Năm 2026 - 2027"),
    "Tuyên truyền": (THNC, "Thường xuyên"),
    "Đề án theo chỉ đạo": (HCQT, "Khi có chỉ đạo, hướng dẫn"),
    "Việc chưa có đơn vị": ("Tổ công tác đặc biệt", "trước ngày 15/5/2026"),
}

# day -> [(unit chat, command, title[, month])]: done early, late, on the day, reopened.
# A recurring task's /done closes one occurrence (the coming one once its ladder has
# started, else the latest past one; a month names another), /mo the latest closed.
MARKS: dict[date, list[tuple[str, ...]]] = {
    date(2026, 5, 15): [
        ("hcqt", "done", "Báo cáo tháng"),  # early: closes 24/05 (its ladder has started)
        ("hcqt", "done", "Báo cáo tháng", "04/2026"),  # and April's, late
    ],
    # Two owners: each reports its own part; the other's stays late.
    date(2026, 6, 19): [("thnc", "done", "Báo cáo sơ kết")],  # 5 days late
    date(2026, 6, 25): [("thnc", "mo", "Báo cáo sơ kết")],  # reopened: late again
    date(2026, 6, 30): [("thnc", "done", "Nghị quyết chuyển đổi số")],  # on the day
    date(2026, 7, 2): [("hcqt", "done", "Báo cáo sơ kết"), ("thnc", "done", "Báo cáo sơ kết")],
    date(2026, 7, 3): [("hcqt", "done", "Báo cáo tháng")],  # June's, late
    date(2026, 7, 24): [("hcqt", "done", "Báo cáo tháng")],  # July's, on the day
    date(2026, 7, 27): [("hcqt", "mo", "Báo cáo tháng")],  # July's again: late
    date(2026, 7, 28): [("hcqt", "done", "Báo cáo tháng")],  # July's, late
    date(2026, 9, 28): [("thnc", "done", "Báo cáo quý")],  # early: closes 30/09
    date(2026, 12, 1): [("thnc", "done", "Báo cáo tổng kết")],
    date(2027, 1, 15): [("thnc", "done", "Báo cáo quý")],  # December's, late
}

LATE = re.compile(r"#(\d+) .*\(quá hạn (\d+) ngày; hạn (\d\d/\d\d/\d{4})\)")
DUE = re.compile(r"#(\d+) .*\(hạn (\d\d/\d\d/\d{4})")


def plan_text() -> bytes:
    rows = "\n".join(
        f"{i}\t{title}.\t{unit}\t{deadline}"
        for i, (title, (unit, deadline)) in enumerate(PLAN.items(), start=1)
    )
    return (
        "ĐẢNG ỦY\n*Lai Châu, ngày 01 tháng 4 năm 2026*\n\n## KẾ HOẠCH\n\nthử\n\n"
        "**PHỤ LỤC 3****Danh mục nhiệm vụ cụ thể năm 2026**\n\n-----\n\n"
        f"TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian\n{rows}\n"
    ).encode()


@dataclass
class Office:
    sessions: sessionmaker[Session]
    service: ChatService
    numbers: dict[str, int]  # title -> task number
    clock: list[datetime]

    def at(self, day: date) -> None:
        self.clock[0] = datetime.combine(day, time(8, 0), VN_TZ)

    def ask(self, chat: str, text: str) -> str:
        reply = self.service.handle(Sender("telegram", f"g-{chat}", "u1", "Lan"), text)
        assert reply is not None, text
        return reply.text

    def digest(self, day: date) -> DayPlan:
        with db.transaction(self.sessions) as session:
            now = datetime.combine(day, time(7, 30), VN_TZ)
            return run_scan(session, day, now, CALENDAR, POLICY, dry_run=True).plan


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    now = datetime.combine(START, time(8, 0), VN_TZ)
    with db.transaction(sessions) as session:
        parsed = parse_sample(plan_text(), "ke_hoach_nho.txt")
        revisions.save_document(session, parsed, key="nho", source_name="", sha256="", now=now)
        tasks = {t.title.rstrip("."): t for t in session.scalars(select(Task))}
        assert set(tasks) == set(PLAN)
        # The office cleared the review flag without naming a unit: still nobody's task.
        orphan = tasks["Việc chưa có đơn vị"]
        assert orphan.needs_review and not orphan.owners
        orphan.needs_review = False
        for code in UNITS:
            unit = session.scalar(select(Unit).where(Unit.code == code))
            session.add(Chat(channel="telegram", chat_id=f"g-{code}", unit=unit, created_at=now))
        session.add(Chat(channel="telegram", chat_id="g-vp", role="admin", created_at=now))
        numbers = {title: t.number for title, t in tasks.items()}
    clock = [now]
    service = ChatService(sessions, lambda: clock[0], calendar=CALENDAR, policy=POLICY)
    return Office(sessions, service, numbers, clock)


def working_days() -> Iterator[date]:
    yield from CALENDAR.working_days(START, END)


def late_lines(text: str) -> dict[int, tuple[int, str]]:
    return {int(n): (int(days), due) for n, days, due in LATE.findall(text)}


def due_lines(text: str) -> set[tuple[int, str]]:
    head, _, _ = text.partition("\nNgoài ra")
    return {(int(n), due) for n, due in DUE.findall(head)}


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_digest_and_commands_agree_every_working_day(office: Office) -> None:
    n = office.numbers
    done: set[tuple[str, int]] = set()  # (unit, task) parts marked done, not reopened
    recurring = {n["Báo cáo tháng"], n["Báo cáo quý"]}
    monthly = n["Báo cáo tháng"]
    compared = {"late": 0, "today": 0, "ladder": 0}
    monthly_seen: dict[date, set[str]] = {}  # the monthly report in hcqt's answers
    for day in working_days():
        office.at(day)
        for chat, command, title, *month in MARKS.pop(day, []):
            answer = office.ask(chat, " ".join([f"/{command}", str(n[title]), *month]))
            assert answer.startswith("✅" if command == "done" else "↩️"), answer
            (done.add if command == "done" else done.discard)((chat, n[title]))
        plan = office.digest(day)
        assert plan.working_day
        sunday = week_bounds(day)[1]
        everyone_late: dict[int, tuple[int, str]] = {}
        for unit in UNITS:
            items = plan.digests.get(unit, [])
            quahan = late_lines(office.ask(unit, "/quahan"))
            homnay = due_lines(office.ask(unit, "/homnay"))
            tuannay = due_lines(office.ask(unit, "/tuannay"))
            everyone_late |= quahan
            for item in items:
                assert item.due is not None or item.reason in (Reason.CHECKIN, Reason.UNREPORTED)
                if item.reason is Reason.OVERDUE:
                    assert item.due is not None and item.days is not None
                    assert quahan.get(item.number) == (item.days, format_date(item.due)), day
                    compared["late"] += 1
                elif item.due is not None and item.due <= sunday:
                    assert (item.number, format_date(item.due)) in tuannay, (day, unit, item)
                    compared["ladder"] += 1
            today = {(i.number, format_date(day)) for i in items if i.reason is Reason.DUE_TODAY}
            assert homnay == today, (day, unit)
            compared["today"] += len(today)
            spoken = {i.number for i in items if i.reason in (Reason.OVERDUE, Reason.DUE_TODAY)}
            assert set(quahan) <= spoken, (day, unit)  # nothing late the digest is silent on
            listed = {i.number for i in items} | set(quahan) | {x for x, _ in homnay | tuannay}
            own_done = {number for who, number in done if who == unit}
            assert not listed & (own_done - recurring), (day, unit)
            if unit == "hcqt":
                monthly_seen[day] = {due for x, due in homnay | tuannay if x == monthly}
                monthly_seen[day] |= {
                    format_date(i.due) for i in items if i.number == monthly and i.due
                }
                if monthly in quahan:
                    monthly_seen[day].add(quahan[monthly][1])
        # The office sees every unit's late items, and the unowned task only for review.
        assert late_lines(office.ask("vp", "/quahan")) == everyone_late, day
        assert n["Việc chưa có đơn vị"] in {t.number for t in plan.review}
    assert not MARKS  # every mark fell on a working day
    assert compared["late"] > 300 and compared["today"] > 5 and compared["ladder"] > 20, compared

    # The monthly report done on 15/05 closed May's (24/05): neither the digest nor
    # /tuannay, /quahan mention it again before June's ladder starts (Wednesday 10/06).
    quiet = [d for d in monthly_seen if date(2026, 5, 15) <= d < date(2026, 6, 10)]
    assert quiet and all(not monthly_seen[d] for d in quiet)
    assert monthly_seen[date(2026, 5, 14)] == {"24/04/2026"}  # April's was overdue
    assert monthly_seen[date(2026, 6, 10)] == {"24/06/2026"}
    # Done late on 03/07 closes June's only: July's ladder still runs.
    assert monthly_seen[date(2026, 7, 10)] == {"24/07/2026"}
    # July's reopened on 27/07 is late (nothing earlier is owed), then sent on 28/07.
    assert monthly_seen[date(2026, 7, 27)] == {"24/07/2026"}
    assert monthly_seen[date(2026, 7, 28)] == set()


def random_tasks(rnd: random.Random, count: int) -> list[TaskView]:
    kinds = [K.DUE] * 6 + [K.TERM, K.DUE_THEN_ONGOING, K.ONGOING, K.WAITING, K.UNREADABLE]
    kinds += [K.RECURRING] * 4
    rules = ["FREQ=MONTHLY;BYMONTHDAY=24", "FREQ=WEEKLY;BYDAY=FR", "FREQ=MONTHLY;BYMONTHDAY=-1"]
    rules += ["FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"]
    tasks = []
    for number in range(count):
        kind = rnd.choice(kinds)
        due = START + timedelta(days=rnd.randrange(300))
        dated = kind in (K.DUE, K.TERM, K.DUE_THEN_ONGOING)
        done = due + timedelta(days=rnd.randrange(-30, 30)) if rnd.random() < 0.6 else None
        tasks.append(
            TaskView(
                number=number,
                title=f"Nhiệm vụ {number}",
                units=rnd.choice([("A",), ("B",), ("A", "B"), ()]),
                kind=kind,
                raw_deadline="",
                due=due if dated and rnd.random() > 0.05 else None,
                rrule=rnd.choice(rules) if kind is K.RECURRING else None,
                anchor=START if kind is K.RECURRING else None,
                done_on=done,
                needs_review=rnd.random() < 0.05,
            )
        )
        if kind is K.RECURRING:  # some occurrences reported one by one (own seed)
            tasks[-1] = _reported_one_by_one(tasks[-1], random.Random(number))
    return tasks


def _reported_one_by_one(task: TaskView, rnd: random.Random) -> TaskView:
    occurrences = Due(CALENDAR, POLICY).occurrences(task, START, END)
    chosen = [o for o in occurrences if rnd.random() < 0.4]
    closed = [ClosedOccurrence(o, o + timedelta(days=rnd.randrange(-10, 40))) for o in chosen]
    done_on = task.done_on if rnd.random() < 0.3 else None  # a report from before, or none
    return replace(task, closed=tuple(sorted(closed)), done_on=done_on)


def test_due_answers_what_the_plan_sends_on_random_tasks() -> None:
    """The same agreement at the plan's level, over many more kinds of history."""
    tasks = random_tasks(random.Random(25), 400)
    due = Due(CALENDAR, POLICY)
    plans = [p for p in simulate(tasks, START, END, CALENDAR, POLICY) if p.working_day]
    checked = 0
    for plan in plans:
        today = plan.date
        items = [i for unit_items in plan.digests.values() for i in unit_items]
        late = {(i.task.number, i.due, i.days_late) for i in due.overdue(tasks, today)}
        sent_late = {(i.number, i.due, i.days) for i in items if i.reason is Reason.OVERDUE}
        spoken = {i.number for i in items if i.reason in (Reason.OVERDUE, Reason.DUE_TODAY)}
        assert sent_late <= late and {x for x, _, _ in late} <= spoken, today
        due_today = {(i.task.number, i.due) for i in due.due_between(tasks, today, today, today)}
        assert due_today == {(i.number, i.due) for i in items if i.reason is Reason.DUE_TODAY}
        soon = today + timedelta(days=max(POLICY.ladder) + 7)
        week = {(i.task.number, i.due) for i in due.due_between(tasks, today, soon, today)}
        ladder = {(i.number, i.due) for i in items if i.reason is Reason.LADDER}
        assert ladder <= week, today
        for t in tasks:
            if t.number in {i.number for i in items} and t.kind is not K.RECURRING:
                assert not due.is_done(t, today) or t.kind is K.DUE_THEN_ONGOING
        checked += len(items)
    assert checked > 2000


# --------------------------------------------------------------------------- Due itself


def view(kind: K = K.DUE, **fields: object) -> TaskView:
    values: dict[str, object] = {"number": 1, "title": "Việc", "units": ("A",), "kind": kind}
    values |= {"raw_deadline": "", **fields}
    return TaskView(**values)  # type: ignore[arg-type]


MONTHLY_24 = {"rrule": "FREQ=MONTHLY;BYMONTHDAY=24", "anchor": START}


def test_due_recurring_done_early_closes_the_coming_occurrence_only() -> None:
    due = Due(CALENDAR, POLICY)
    early = view(K.RECURRING, **MONTHLY_24, done_on=date(2026, 5, 15))
    assert due.occurrences(early, date(2026, 5, 1), date(2026, 6, 30)) == (
        date(2026, 5, 24),
        date(2026, 6, 24),
    )
    # 24/05's first reminder (14 days before, a Sunday) went out Friday 08/05.
    assert due.first_reminder(early, date(2026, 5, 24)) == date(2026, 5, 8)
    assert due.is_closed(early, date(2026, 5, 24), date(2026, 5, 20))
    assert not due.is_closed(early, date(2026, 6, 24), date(2026, 6, 25))
    assert not due.is_closed(early, date(2026, 5, 24), date(2026, 5, 14))  # not done yet then
    assert due.due_between([early], date(2026, 5, 18), date(2026, 5, 24), date(2026, 5, 20)) == []
    assert [i.due for i in due.overdue([early], date(2026, 6, 26))] == [date(2026, 6, 24)]
    # Done before 24/05's ladder began: only what is on or before the day is closed.
    before = view(K.RECURRING, **MONTHLY_24, done_on=date(2026, 5, 4))
    assert not due.is_closed(before, date(2026, 5, 24), date(2026, 5, 20))
    assert [i.due for i in due.due_between([before], START, END, date(2026, 5, 20))][:1] == [
        date(2026, 5, 24)
    ]


def test_due_overdue_counts_from_the_latest_occurrence_and_weekly_steps_are_short() -> None:
    due = Due(CALENDAR, POLICY)
    never = view(K.RECURRING, **MONTHLY_24)
    assert due.overdue([never], date(2026, 7, 1)) == [DueItem(never, date(2026, 6, 24), 7)]
    weekly = view(K.RECURRING, rrule="FREQ=WEEKLY;BYDAY=FR", anchor=START)
    assert due.ladder_steps(weekly, date(2026, 4, 10)) == (0, 1, 3)
    assert due.ladder_steps(never, date(2026, 5, 24)) == (0, 1, 3, 7, 14)
    dated = view(due=date(2026, 6, 14), done_on=date(2026, 6, 19))
    assert [i.days_late for i in due.overdue([dated], date(2026, 6, 18))] == [4]
    assert due.overdue([dated], date(2026, 6, 19)) == []
    assert due.due_between([dated], date(2026, 6, 8), date(2026, 6, 14), date(2026, 6, 10)) == [
        DueItem(dated, date(2026, 6, 14))
    ]


@pytest.mark.parametrize(
    "task",
    [
        view(units=(), due=date(2026, 5, 14)),  # no owner unit
        view(needs_review=True, due=date(2026, 5, 14)),
        view(K.DUE),  # a dated kind without a date
        view(K.RECURRING, rrule="FREQ=SOMETIMES", anchor=START),
        view(K.UNREADABLE, due=date(2026, 5, 14)),
    ],
)
def test_due_review_tasks_are_never_due_or_late(task: TaskView) -> None:
    due = Due(CALENDAR, POLICY)
    assert due.due_between([task], START, END, date(2026, 5, 14)) == []
    assert due.overdue([task], date(2026, 12, 31)) == []
    assert due.late(task, date(2026, 12, 31)) is None
