"""What the morning scan and the chat commands read: the candidate tasks of a day,
as ``TaskView``, each through the index that serves it (``data.sql_counts.explain_candidates``
shows the plans), and the recurring and ownerless parts the SQL counts leave to Python."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, selectinload

from data import checkin_views, occurrences
from data.clock import local_date
from data.deadlines import DeadlineKind
from data.domain import LIVE_STATUSES, AssignmentRole, ItemKind, TaskStatus
from data.models import Assignment, Document, ProgressUpdate, Task, Unit
from data.store import WITH_PARTS, as_of, part_view, part_view_columns, part_views
from data.taskview import TaskView

_K = DeadlineKind


_CHECKIN_KINDS = [k for k in DeadlineKind if k.has_checkins]
_DATED_KINDS = [k for k in DeadlineKind if k.is_dated]


def task_views(
    session: Session,
    *,
    today: date | None = None,
    due_dates: Collection[date] = (),
    checkin: bool = False,
    through: date | None = None,
    unit_id: int | None = None,
    owing: tuple[date, date] | None = None,
) -> list[TaskView]:
    """Live tasks (not targets, not removed, not proposed), one view per owner part.

    Without ``today``: every one. With it, only those that can give that morning an
    item, so the scan's cost follows what is due rather than the table: open dated
    parts due by ``through`` (default ``today``: overdue) or on one of ``due_dates``
    (today's ladder targets), every recurring task, the check-in kinds on a check-in
    day, and what the office must review. Each of those is its own indexed query
    (an OR of them defeats every index; see migration 0008); their task ids are
    united here. ``unit_id``: that unit's parts only (its chat's commands). ``owing``:
    with ``checkin``, only the long parts started by the first date and without a
    progress update since the second (``checkin_views.owing_views``).
    """
    live = Task.item_kind == ItemKind.TASK
    if today is None:
        ids = select(Task.id).where(live, Task.status.in_(LIVE_STATUSES))
        if unit_id is not None:
            ids = ids.where(Task.id.in_(_unit_task_ids(unit_id)))
        return _views_of(session, ids, unit_id)
    queries = candidate_queries(today, due_dates, checkin, through, unit_id)
    reads_owing = queries.pop("checkin", None) is not None  # rows: data.checkin_views
    found: set[int] = set()
    for query in queries.values():
        found.update(session.scalars(query))
    views = _views_by_ids(session, found, unit_id)
    if reads_owing:
        owed = checkin_views.owing_views(session, unit_id, owing)
        views += [view for task, view in owed if task not in found]
        views.sort(key=lambda v: v.number)  # stable: a task's parts keep their order
    return views


def candidate_queries(
    today: date,
    due_dates: Collection[date],
    checkin: bool,
    through: date | None,
    unit_id: int | None,
) -> dict[str, Any]:
    """``task_views``' indexed queries by name (each returns task ids)."""
    live = Task.item_kind == ItemKind.TASK
    tomorrow = as_of(today + timedelta(days=1))
    last = max(through or today, today)
    wanted_days = [d for d in due_dates if d > last]
    in_store = Task.status.in_(LIVE_STATUSES)
    is_open = Task.status == TaskStatus.OPEN
    done_later = (Task.status == TaskStatus.DONE) & (Task.done_at >= tomorrow)
    dated = Task.deadline_kind.in_(_DATED_KINDS)
    queries: dict[str, Any] = {
        # (status, due_date): a range, then the day's ladder targets
        "open_due": _by(
            _STATUS_DUE, select(Task.id).where(live, is_open, dated, Task.due_date <= last)
        ),
        "done_later": _by(_STATUS_DONE, select(Task.id).where(live, done_later)),
        "extended": select(Assignment.task_id).where(  # partial index on extended_to
            Assignment.extended_to.is_not(None), Assignment.extended_to <= last
        ),
        "recurring": _by(
            _KIND_STATUS,
            select(Task.id).where(live, Task.deadline_kind == DeadlineKind.RECURRING, in_store),
        ),
        "needs_review": _by(
            _REVIEW,
            select(Task.id).where(live, Task.needs_review == True, is_open),  # noqa: E712
        ),
        "unreadable": _by(
            _KIND_STATUS,
            select(Task.id).where(live, Task.deadline_kind == DeadlineKind.UNREADABLE, is_open),
        ),
        "no_due": _by(
            _KIND_STATUS_DUE,
            select(Task.id).where(live, is_open, Task.due_date.is_(None), dated),
        ),
    }
    if wanted_days:
        queries["ladder"] = _by(
            _STATUS_DUE, select(Task.id).where(live, is_open, dated, Task.due_date.in_(wanted_days))
        )
        queries["ladder_extended"] = select(Assignment.task_id).where(
            Assignment.extended_to.is_not(None), Assignment.extended_to.in_(wanted_days)
        )
    if checkin:  # the parts owing progress reports (partial index, migration 0012), and
        # the due-then-ongoing tasks still open (one part done: its check-ins have begun)
        queries["checkin"] = select(Assignment.task_id).where(
            Assignment.reports_progress == True  # noqa: E712
        )
        queries["checkin_open"] = _by(
            _KIND_STATUS,
            select(Task.id).where(
                live, Task.deadline_kind == DeadlineKind.DUE_THEN_ONGOING, is_open
            ),
        )
    if unit_id is None:  # a task without an owner is the office's to review
        queries["no_owner"] = _by(_OWNERLESS, select(Task.id).where(live, is_open, no_owner()))
    else:
        mine = _unit_task_ids(unit_id)
        queries = {k: q.where(_id_column(q).in_(mine)) for k, q in queries.items()}
    return queries


# Tasks the plan and the commands read; recurring and check-in tasks matter done or not
# (a recurring task's next occurrence; due-then-ongoing: its check-ins start when done).


def _views_of(session: Session, ids: Any, unit_id: int | None = None) -> list[TaskView]:
    if ids is None:
        return []
    rows = list(
        session.scalars(
            select(Task)
            .where(Task.id.in_(ids), Task.status.in_(LIVE_STATUSES))
            .options(WITH_PARTS, selectinload(Task.document))
            .order_by(Task.number)
        )
    )
    recurring = [t.id for t in rows if t.deadline_kind is DeadlineKind.RECURRING]
    closed = occurrences.closed_by_part(session, recurring)
    return [view for task in rows for view in part_views(task, unit_id, closed)]


_CHUNK = 5000  # ids per IN list: well under the drivers' bound-parameter limits


def _views_by_ids(session: Session, ids: Collection[int], unit_id: int | None) -> list[TaskView]:
    """Views of these tasks, by number: plain rows, one per owner part (a task without
    owners: one), read in chunks, each made by ``store.part_view`` as ``store.task_view``
    makes it of the same task read as objects (tests/test_scan_query holds them equal).
    Objects cost ~0.3 ms a task, ten times a row: a third of a Tuesday at 1M tasks."""
    ordered = sorted(ids)
    views: list[TaskView] = []
    for first in range(0, len(ordered), _CHUNK):
        chunk = ordered[first : first + _CHUNK]
        statement = _rows_statement(session.get_bind().dialect.name, unit_id is not None)
        given = {"ids": chunk} if unit_id is None else {"ids": chunk, "unit_id": unit_id}
        rows = session.execute(statement, given).all()
        recurring = {row.task_id for row in rows if row.deadline_kind is _K.RECURRING}
        closed = occurrences.closed_by_part(session, recurring)
        for row in rows:
            values = tuple(row)[_FACTS:-1]
            if row.part_unit is None:  # no owner: the task's own completion
                done_at = row.task_done_at if row.status is TaskStatus.DONE else None
                views.append(part_view((*values[:8], done_at, *values[9:])))
                continue
            updated = row[-1]
            views.append(
                part_view(
                    values,
                    local_date(updated) if updated is not None else None,
                    row.reported_occurrence,
                    closed.get((row.task_id, row.part_unit), ()),
                )
            )
    views.sort(key=lambda v: v.number)  # stable: a task's parts keep their order
    return views


_FACTS = 5  # the columns before ``part_view_columns`` in ``_rows_statement``


@cache
def _rows_statement(dialect: str, one_unit: bool) -> Any:
    """Each live task among ``:ids`` with each owner part (outer join: a task without
    owners gives one row), the part's latest progress update last; by number and the
    parts' order. Built once per process (the ids and a chat's unit bound at each read)."""
    a, t = Assignment, Task
    last_update = (
        select(func.max(ProgressUpdate.at))
        .where(ProgressUpdate.assignment_id == a.id)
        .scalar_subquery()
    )
    owner = (a.task_id == t.id) & (a.role == AssignmentRole.OWNER)
    if one_unit:
        owner = owner & (a.unit_id == bindparam("unit_id", type_=Integer))
    ids: Any = (  # PostgreSQL: one array parameter (``= ANY``), not one per id
        t.id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer)))
        if dialect == "postgresql"
        else t.id.in_(bindparam("ids", expanding=True))
    )
    query = (
        select(
            t.id.label("task_id"),
            t.status,
            t.done_at.label("task_done_at"),
            a.unit_id.label("part_unit"),
            a.reported_occurrence,
            *part_view_columns(),
            last_update,
        )
        .select_from(t)
        .join(Document, Document.id == t.document_id)
        .outerjoin(a, owner)
        .outerjoin(Unit, Unit.id == a.unit_id)
        .where(ids, t.status.in_(LIVE_STATUSES))
        .order_by(t.number, a.position, a.id)
    )
    return query.where(a.unit_id.is_not(None)) if one_unit else query


# Indexes of migrations 0001/0008 each candidate read goes through (named for the
# reader; the planners find them: EXPLAIN in tests/test_scan_query and the benchmark).
_STATUS_DUE = "status, due_date"
_STATUS_DONE = "status, done_at"
_KIND_STATUS = "deadline_kind, status"  # the first two columns of the next
_KIND_STATUS_DUE = "deadline_kind, status, due_date"
_REVIEW = "needs_review"
_OWNERLESS = "status where not has_owner"


def _by(index: str, query: Any) -> Any:
    """``query``, read through the index on ``index`` (the columns, named for the reader)."""
    return query


def no_owner() -> Any:
    """No owner part (``Task.has_owner``, kept by ``Task.set_parts``): the partial index
    of migration 0011 holds just these rows, so the read does not grow with the table."""
    return Task.has_owner == False  # noqa: E712


def _unit_task_ids(unit_id: int) -> Any:
    """The tasks where a unit owns a part (index on assignments (unit_id, task_id))."""
    return select(Assignment.task_id).where(
        Assignment.unit_id == unit_id, Assignment.role == AssignmentRole.OWNER
    )


def _id_column(query: Any) -> Any:
    return query.selected_columns[0]


def recurring_and_ownerless_views(
    session: Session, unit_id: int | None = None, as_of_day: date | None = None
) -> tuple[list[TaskView], list[int]]:
    """What the SQL counts leave to Python: recurring parts, and tasks without an owner
    (with ``as_of_day``: only those not done by then, the only ones a report counts).

    The views and the tasks' ids. With ``unit_id``: that unit's recurring parts only.
    """
    live = (Task.item_kind == ItemKind.TASK) & Task.status.in_(LIVE_STATUSES)
    recurring = select(Task.id).where(live, Task.deadline_kind == _K.RECURRING)
    ownerless = select(Task.id).where(live, no_owner())
    if as_of_day is not None:
        later = as_of(as_of_day + timedelta(days=1))
        ownerless = ownerless.where(
            (Task.status == TaskStatus.OPEN)
            | ((Task.status == TaskStatus.DONE) & (Task.done_at >= later))
        )
    wanted: Any = (
        recurring.where(Task.id.in_(_unit_task_ids(unit_id)))
        if unit_id is not None
        else recurring.union(ownerless)
    )
    ids = list(session.scalars(wanted))
    return _views_by_ids(session, ids, unit_id), ids
