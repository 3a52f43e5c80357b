"""The scan reads only the rows that can give a morning an item, and plans the same."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from data import db, parts, revisions, scan_views, sql_counts, store, unit_store
from data.deadlines import DeadlineKind as K
from data.domain import AssignmentRole
from data.models import Assignment, Document, Task, part_facts
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.due import Due
from jobs.office_report import report_counts
from jobs.plan import Policy, UnitWeek, plan_day, scan_window
from jobs.report import Counts, PartStatus, build_report
from jobs.scan import run_scan
from tests.conftest import parse_sample

CALENDAR, POLICY = WorkCalendar(), Policy()


def test_filtered_rows_give_the_same_plan_every_day(sessions: sessionmaker[Session]) -> None:
    with db.transaction(sessions) as session:
        revisions.save_document(
            session,
            parse_sample(),
            key="kh",
            source_name="",
            sha256="",
            now=datetime(2026, 4, 1, tzinfo=UTC),
        )
        for task in session.scalars(
            select(Task).where(
                Task.deadline_raw.in_(
                    [
                        "Quý II/2026",
                        "Năm 2026 và thực hiện thường xuyên",
                        "trước ngày 20 hằng tháng",
                    ]
                )
            )
        ):
            change = parts.Change(datetime(2026, 6, 20, tzinfo=UTC), "test")
            for part in task.owners:
                parts.mark_part(task, part, change, done=True)
    day, compared, smaller = date(2026, 4, 1), 0, 0
    with sessions() as session:
        everything = scan_views.task_views(session)
        while day <= date(2027, 3, 31):
            window = scan_window(day, CALENDAR, POLICY, day - timedelta(days=1))
            if window.working_day and not window.weekly:
                subset = scan_views.task_views(
                    session,
                    today=day,
                    due_dates=window.ladder_targets.keys(),
                    checkin=window.reads_long_tasks,
                )
                full = plan_day(everything, day, CALENDAR, POLICY, day - timedelta(days=1))
                part = plan_day(subset, day, CALENDAR, POLICY, day - timedelta(days=1))
                assert part == full, day
                compared += 1
                smaller += len(subset) < len(everything)
            day += timedelta(days=7 if compared > 40 else 1)
    assert compared > 40
    assert smaller == compared  # it really read fewer rows


# --------------------------------------------------------------------------- counts in SQL


def _varied_store(sessions: sessionmaker[Session]) -> None:
    """The sample plan with parts done on time, late, reopened, extended (seeded)."""
    rng = random.Random(11)
    with db.transaction(sessions) as session:
        revisions.save_document(
            session, parse_sample(), key="kh", source_name="", sha256="", now=START_AT
        )
        for task in session.scalars(select(Task).order_by(Task.number)):
            for part in task.owners:
                roll = rng.random()
                due = part.due_date() or date(2026, 6, 30)
                if roll < 0.2:
                    to = due + timedelta(days=rng.randrange(5, 60))
                    parts.extend_part(task, part, to, parts.Change(START_AT, "test"))
                if rng.random() < 0.6:
                    day = due + timedelta(days=rng.randrange(-30, 30))
                    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(
                        hours=rng.choice([1, 18, 23])  # 23:00 UTC is the next day in Vietnam
                    )
                    parts.mark_part(task, part, parts.Change(at, "test"), done=True)
                    if rng.random() < 0.15:
                        later = parts.Change(at + timedelta(days=3), "test")
                        parts.mark_part(task, part, later, done=False)
                        if rng.random() < 0.5:
                            again = parts.Change(at + timedelta(days=9), "test")
                            parts.mark_part(task, part, again, done=True)
        _report_occurrences(session, random.Random(12))


def _report_occurrences(session: Session, rng: random.Random) -> None:
    """Recurring parts: some occurrences reported one by one (early, late, one reopened)."""
    due = Due(CALENDAR, POLICY)
    recurring = select(Task).where(Task.deadline_kind == K.RECURRING)
    for task in session.scalars(recurring):
        for part in task.owners:
            view = store.task_view(task, part)
            for occurrence in due.occurrences(view, date(2026, 4, 1), date(2027, 3, 31)):
                if rng.random() < 0.5:
                    day = occurrence + timedelta(days=rng.randrange(-12, 40))
                    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                    change = parts.Change(at + timedelta(hours=rng.choice([1, 23])), "test")
                    parts.mark_part(task, part, change, done=True, occurrence=occurrence)
                    if rng.random() < 0.2:
                        later = parts.Change(change.at + timedelta(days=2), "test")
                        parts.mark_part(task, part, later, done=False, occurrence=occurrence)


START_AT = datetime(2026, 4, 1, tzinfo=UTC)


def test_sql_counts_equal_the_reports_counts(sessions: sessionmaker[Session]) -> None:
    """sql_counts.status_counts (+ recurring in Python) == jobs.report.build_report."""
    _varied_store(sessions)
    due = Due(CALENDAR, POLICY)
    with sessions() as session:
        views = scan_views.task_views(session)
        done = parts.completions(session)
        units = unit_store.list_units(session)
        statuses: set[PartStatus] = set()
        for start, end, as_of_day in [
            (date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 16)),
            (date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 31)),
            (date(2026, 4, 1), date(2026, 6, 30), date(2026, 5, 2)),
            (date(2027, 1, 1), date(2027, 12, 31), date(2027, 3, 1)),
        ]:
            report = build_report(due, views, start, end, as_of_day, completions=done)
            counted = report_counts(session, due, start, end, as_of_day)
            # what the database counts: the statuses and the extended parts
            expected = {code: _sql(c) for code, c in report.units.items() if +c.by_status}
            got = {code: _sql(c) for code, c in counted.units.items() if +c.by_status}
            assert got == expected, (start, end, as_of_day)
            assert _sql(counted.total) == _sql(report.total), (start, end, as_of_day)
            for unit in units:
                one = report_counts(session, due, start, end, as_of_day, unit_id=unit.id)
                assert {k: _sql(v) for k, v in one.units.items() if +v.by_status} == {
                    k: v for k, v in expected.items() if k == unit.code
                }
            statuses |= set(+report.total.by_status)
        assert report.total.extended or any(c.extended for c in report.units.values())
    assert statuses == set(PartStatus)  # every status was exercised


def test_monday_counts_in_sql_equal_the_plans_count_of_every_task(
    sessions: sessionmaker[Session],
) -> None:
    """run_scan's weekly summary (SQL + candidate rows) == plan_day over every task."""
    _varied_store(sessions)
    with sessions() as session:
        everything = scan_views.task_views(session)
        day, seen = date(2026, 4, 6), 0
        while day <= date(2027, 1, 4):
            last = day - timedelta(days=3)
            expected = plan_day(everything, day, CALENDAR, POLICY, last)
            if expected.weekly is not None:
                got = run_scan(session, day, START_AT, CALENDAR, POLICY, dry_run=True).plan
                assert got.weekly is not None, day
                # what the counts say (the scan adds what only the store knows: unreported)
                for name in ("week_start", "week_end", "units", "total", "review"):
                    assert getattr(got.weekly, name) == getattr(expected.weekly, name), (day, name)
                assert (got.digests, got.escalations, got.review) == (
                    expected.digests,
                    expected.escalations,
                    expected.review,
                ), day
                seen += 1
            day += timedelta(days=7)
    assert seen > 30


def test_weekly_total_counts_a_task_of_two_units_once() -> None:
    shared = TaskView(1, "x", ("a",), K.DUE, "", due=date(2026, 4, 8))
    views = [shared, replace(shared, units=("b",))]
    plan = plan_day(views, date(2026, 4, 6), CALENDAR, POLICY)
    assert plan.weekly is not None
    assert plan.weekly.units == {"a": UnitWeek(due_this_week=1), "b": UnitWeek(due_this_week=1)}
    assert plan.weekly.total == UnitWeek(due_this_week=1)


def test_every_candidate_query_uses_an_index_on_a_padded_table(
    sessions: sessionmaker[Session],
) -> None:
    """With the table padded by old done tasks, no candidate read scans the tasks table."""
    with db.transaction(sessions) as session:
        _pad(session, 3000)
    with sessions() as session:
        plans = sql_counts.explain_candidates(session, date(2026, 6, 16), [date(2026, 6, 30)])
    assert plans
    for name, plan in plans.items():
        lines = [line.strip().lower() for line in plan.splitlines()]
        # SQLite: SEARCH is an index range; SCAN (even of an index) reads it all, but for
        # a partial index holding just the rows wanted (the parts owing progress reports)
        scans = [line for line in lines if line.startswith(("scan tasks", "scan assignments"))]
        assert all("ix_assignments_reporting" in line for line in scans), (name, plan)
        assert not any("seq scan on" in line for line in lines), (name, plan)


def test_the_tasks_of_several_owners_are_found_by_their_own_index(
    sessions: sessionmaker[Session],
) -> None:
    """The office's counts find the tasks of several owners, and the dashboard the reports
    awaiting confirmation, without reading every part: on a table padded by old one-owner
    tasks each reads its partial index (both stores)."""
    _varied_store(sessions)
    with db.transaction(sessions) as session:
        _pad(session, 3000)
    with sessions() as session:
        query = sql_counts.shared_tasks()
        plan = sql_counts.explain(session, query).lower()
        shared = set(session.scalars(query))
    assert "ix_assignments_shared" in plan and "seq scan on" not in plan, plan
    several = {t for t, n in _owners_per_task(sessions).items() if n > 1}
    assert shared == several and several
    with sessions() as session:  # the dashboard's reports awaiting confirmation: the same
        plan = sql_counts.explain(session, parts.awaiting_query()).lower()
    assert "ix_assignments_reported" in plan and "seq scan on assignments" not in plan, plan


def _pad(session: Session, n: int) -> None:
    """``n`` tasks done years ago, each with one done owner part."""
    unit_id = unit_store.list_units(session)[0].id
    document = Document(key="pad", doc_date=date(2020, 1, 1), imported_at=START_AT)
    session.add(document)
    session.flush()
    base = (session.scalar(select(func.max(Task.number))) or 0) + 1
    old = datetime(2021, 1, 1, tzinfo=UTC)
    session.execute(
        insert(Task),
        [
            {
                "number": base + i,
                "document_id": document.id,
                "source_key": f"pad{i}",
                "title": "cũ",
                "deadline_kind": K.DUE,
                "due_date": date(2021, 1, 1) + timedelta(days=i % 700),
                "status": "done",
                "done_at": old,
                "created_at": old,
                "updated_at": old,
                "extra": {},
                "has_owner": True,
            }
            for i in range(n)
        ],
    )
    tasks = session.scalars(select(Task).where(Task.document_id == document.id)).all()
    rows = [{"task_id": t.id, "unit_id": unit_id, "done_at": old} for t in tasks]
    session.execute(  # the facts the ORM keeps on a part, given by hand to a bulk insert
        insert(Assignment),
        [r | part_facts(t, Assignment(**r)) for t, r in zip(tasks, rows, strict=True)],
    )
    if session.get_bind().dialect.name == "postgresql":  # autovacuum does it in production
        session.execute(text("ANALYZE"))


def _owners_per_task(sessions: sessionmaker[Session]) -> dict[int, int]:
    """Owner parts (not cooperating units), per task."""
    with sessions() as session:
        rows = session.execute(
            select(Assignment.task_id, func.count())
            .where(Assignment.role == AssignmentRole.OWNER)
            .group_by(Assignment.task_id)
        )
        return {task: int(n) for task, n in rows}


def _sql(counts: Counts) -> tuple[dict[PartStatus, int], int]:
    return dict(+counts.by_status), counts.extended


def test_candidate_rows_make_the_views_the_objects_make(sessions: sessionmaker[Session]) -> None:
    """The morning reads its candidates as plain rows (``store.part_view``); every view
    equals the one ``store.task_view`` makes of the same task read as objects: parts
    done, reopened, extended, reports waiting for confirmation (one a recurring
    occurrence), progress updates, confidential, a task without owners."""
    _varied_store(sessions)
    rng = random.Random(13)
    change = parts.Change(datetime(2026, 6, 20, 2, tzinfo=UTC), "test")
    long_parts = 0
    with db.transaction(sessions) as session:
        tasks = list(session.scalars(select(Task).order_by(Task.number)))
        for task in tasks:
            for part in task.owners:
                roll = rng.random()
                long = task.deadline_kind in (K.TERM, K.ONGOING, K.FROM)
                if long and part.done_at is None and part.extended_to is None:
                    # updated this quarter, around a quarter's turn in Vietnam, or never;
                    # never updated: its task started days before a check-in, or between two
                    moments = [change.at, QUARTER_TURN, QUARTER_TURN - timedelta(hours=1), None]
                    at = moments[long_parts % 4]
                    if at is not None:
                        parts.record_update(task, part, 40, "đang làm", replace(change, at=at))
                    else:
                        task.start_date = [date(2026, 6, 20), date(2026, 9, 10)][
                            long_parts // 4 % 2
                        ]
                    long_parts += 1
                elif task.deadline_kind is K.RECURRING:  # one occurrence not closed yet
                    months = (date(2026, m, 20) for m in range(6, 13))
                    any(parts.report_part(task, part, change, occurrence=d) for d in months)
                elif roll < 0.25:
                    parts.record_update(task, part, 40, "đang làm", change)
                elif roll < 0.4:
                    parts.report_part(task, part, change)
            if rng.random() < 0.1:
                parts.set_confidential(task, True, change)
        ownerless = next(t for t in tasks if t.owners and t.deadline_kind is K.DUE)
        parts.set_owners(ownerless, [], change)
    with sessions() as session:
        everything = scan_views.task_views(session)  # objects
        kinds = {
            (v.kind, bool(v.units), v.awaiting_confirmation, bool(v.closed)) for v in everything
        }
        assert {(K.RECURRING, True, True, True), (K.DUE, False, False, False)} <= kinds
        assert any(v.last_update for v in everything) and any(v.confidential for v in everything)
        day, compared, owing_days = date(2026, 4, 1), 0, 0
        while day <= date(2027, 3, 31):
            window = scan_window(day, CALENDAR, POLICY, day - timedelta(days=1))
            if window.working_day:
                rows = scan_views.task_views(
                    session,
                    today=day,
                    due_dates=window.ladder_targets.keys(),
                    checkin=window.reads_long_tasks,
                    owing=window.owing_bounds,
                )
                read = {(v.number, v.units) for v in rows}
                assert rows == [v for v in everything if (v.number, v.units) in read], day
                got = plan_day(rows, day, CALENDAR, POLICY, day - timedelta(days=1))
                full = plan_day(everything, day, CALENDAR, POLICY, day - timedelta(days=1))
                assert (got.digests, got.escalations, got.review) == (
                    full.digests,
                    full.escalations,
                    full.review,
                ), day
                compared += bool(rows)
                owing_days += window.owing_bounds is not None
            day += timedelta(days=1 if window.reads_long_tasks or day.day > 20 else 3)
        views, _ = scan_views.recurring_and_ownerless_views(session)
        numbers = {v.number for v in views}
        assert views == [v for v in everything if v.number in numbers]
        assert any(not v.units for v in views)
    assert (
        long_parts >= 8 and compared > 50 and owing_days >= 8
    )  # the check-in, follow-up, escalation days


QUARTER_TURN = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)  # 1 July, 00:30 in Vietnam
