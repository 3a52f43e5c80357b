"""The scan reads only the rows that can give a morning an item, and plans the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import db, parts, store
from data.models import Task
from jobs.calendar import WorkCalendar
from jobs.plan import Policy, plan_day, scan_window
from tests.conftest import parse_sample

CALENDAR, POLICY = WorkCalendar(), Policy()


def test_filtered_rows_give_the_same_plan_every_day(sessions: sessionmaker[Session]) -> None:
    with db.transaction(sessions) as session:
        store.save_document(
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
        everything = store.task_views(session)
        while day <= date(2027, 3, 31):
            window = scan_window(day, CALENDAR, POLICY, day - timedelta(days=1))
            if window.working_day and not window.weekly:
                subset = store.task_views(
                    session,
                    today=day,
                    due_dates=window.ladder_targets.keys(),
                    checkin=bool(window.checkin_days),
                )
                full = plan_day(everything, day, CALENDAR, POLICY, day - timedelta(days=1))
                part = plan_day(subset, day, CALENDAR, POLICY, day - timedelta(days=1))
                assert part == full, day
                compared += 1
                smaller += len(subset) < len(everything)
            day += timedelta(days=7 if compared > 40 else 1)
    assert compared > 40
    assert smaller == compared  # it really read fewer rows
