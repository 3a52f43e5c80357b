"""The check-in morning's long tasks: only the parts that owe a progress report, in SQL.

Four mornings a quarter (the check-in, its follow-up and escalation days) the scan
reads the long tasks (terms, ongoing, "from", due-then-ongoing). Reading every such
task with its parts as ORM objects, done or not, made the check-in day at 1M tasks
46–50 s. Here the parts that owe a report (``Assignment.reports_progress``, kept by
``data.models.part_facts``: long and open, or due-then-ongoing and done) come from
their partial index (migration 0012) as plain rows, each made into the same
``TaskView`` ``data.store.task_view`` makes of a part. The morning reads only those
started by the day and not reported on in its quarter (``ScanWindow.owing_bounds``: a
pre-filter, ``jobs.plan`` decides): at 1M tasks 33k of 68k parts, 1.1–1.6 s for the
whole check-in morning. The due-then-ongoing tasks still open (a part done, another
not) and the tasks done after the day come from the scan's other reads.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, func, select
from sqlalchemy.orm import Session

from data.clock import local_date
from data.models import Assignment, Document, ProgressUpdate, Task, Unit, UTCDateTime
from data.store import as_of, part_view, part_view_columns
from data.taskview import TaskView


@cache
def _statement(one_unit: bool, bounded: bool) -> Any:
    """Built once per process (the unit and the bounds bound at each run)."""
    a, t = Assignment, Task
    last_update = (
        select(func.max(ProgressUpdate.at))
        .where(ProgressUpdate.assignment_id == a.id)
        .scalar_subquery()
    )
    query = (
        select(a.task_id, *part_view_columns(), last_update)
        .select_from(a)
        .join(t, t.id == a.task_id)
        .join(Document, Document.id == t.document_id)
        .join(Unit, Unit.id == a.unit_id)
        .where(a.reports_progress == True)  # noqa: E712 (the partial index's own term)
        .order_by(t.number, a.position, a.id)
    )
    if one_unit:
        query = query.where(a.unit_id == bindparam("unit_id", type_=Integer))
    if bounded:  # a pre-filter: jobs.plan decides on what is read
        reported = select(ProgressUpdate.id).where(
            ProgressUpdate.assignment_id == a.id,
            ProgressUpdate.at >= bindparam("reported_from", type_=UTCDateTime),
        )
        query = query.where(
            t.start_date.is_(None) | (t.start_date <= bindparam("started_by", type_=Date)),
            ~reported.exists(),
        )
    return query


def owing_views(
    session: Session, unit_id: int | None = None, owing: tuple[date, date] | None = None
) -> list[tuple[int, TaskView]]:
    """(task id, view) of each part owing progress reports (one unit's when given), by
    task number and the parts' order. ``owing`` (``ScanWindow.owing_bounds``): only
    the parts started by its first date and without a progress update from its second
    on (a Vietnamese day), the only ones the morning's check-in items can come from."""
    bounds: dict[str, Any] = {}
    if unit_id is not None:
        bounds["unit_id"] = unit_id
    if owing is not None:
        bounds["started_by"], bounds["reported_from"] = owing[0], as_of(owing[1])
    statement = _statement(unit_id is not None, owing is not None)
    found = []
    for row in session.execute(statement, bounds):
        task_id, values, updated = row[0], row[1:-1], row[-1]
        view = part_view(values, local_date(updated) if updated else None)
        found.append((task_id, view))
    return found
