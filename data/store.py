"""Writing imports into the store and reading tasks back.

Re-importing a document (which document, which task each row is) is data.revisions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.expression import ClauseElement, Executable

from data import checkin_views, occurrences
from data.clock import VN_TZ, local_date
from data.deadlines import DeadlineKind
from data.domain import LIVE_STATUSES, AssignmentRole, ItemKind, PartTally, TaskStatus
from data.models import Assignment, Task, Unit, UnitAlias, UTCDateTime
from data.taskview import ClosedOccurrence, TaskView
from data.text import unit_key
from data.units import DEFAULT_UNITS, UnitInfo, UnitRegistry, plan_new_units

SECTION_SEPARATOR = " › "


# -- units ---------------------------------------------------------------------


def add_unit(session: Session, info: UnitInfo) -> Unit:
    unit = Unit(code=info.code, name=info.name, is_chi_bo=info.is_chi_bo)
    session.add(unit)
    for alias in dict.fromkeys((info.name, *info.aliases)):
        add_alias(session, unit, alias)
    session.flush()
    return unit


def add_alias(session: Session, unit: Unit, alias: str) -> None:
    key = unit_key(alias)
    if session.scalar(select(UnitAlias).where(UnitAlias.key == key)) is None:
        unit.aliases.append(UnitAlias(alias=alias, key=key))


def ensure_default_units(session: Session, defaults: Iterable[UnitInfo] = DEFAULT_UNITS) -> bool:
    """Seed the sample office's units into an empty store; True when it did."""
    if session.scalar(select(func.count()).select_from(Unit)):
        return False
    for info in defaults:
        add_unit(session, info)
    return True


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.id)))


def unit_names(session: Session) -> dict[str, str]:
    """Unit code → name, in registry order (two columns, not objects: an office may have
    thousands of units and every morning and office command names them)."""
    rows = session.execute(select(Unit.code, Unit.name).order_by(Unit.id)).all()
    return {row.code: row.name for row in rows}


def find_unit(session: Session, text: str) -> Unit | None:
    """A unit by its code, its name or any alias (spelling variants folded)."""
    wanted = text.strip()
    unit = session.scalar(select(Unit).where(Unit.code == wanted))
    if unit is not None:
        return unit
    alias = session.scalar(
        select(UnitAlias)
        .where(UnitAlias.key == unit_key(wanted))
        .options(selectinload(UnitAlias.unit))
    )
    if alias is not None:
        return alias.unit
    info = load_registry(session).lookup(wanted)  # e.g. the code typed in capitals
    return session.scalar(select(Unit).where(Unit.code == info.code)) if info else None


def add_units_named(session: Session, names: Iterable[str]) -> list[UnitInfo]:
    """A new office's units, from the names its plan uses (see ``plan_new_units``)."""
    added = plan_new_units(names, load_registry(session))
    for info in added:
        add_unit(session, info)
    return added


def load_registry(session: Session) -> UnitRegistry:
    units = session.scalars(select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.id))
    return UnitRegistry(
        [UnitInfo(u.code, u.name, u.is_chi_bo, tuple(a.alias for a in u.aliases)) for u in units]
    )


# -- imports -------------------------------------------------------------------


def as_of(day: date) -> datetime:
    """The start of a day in Vietnam, as an aware moment."""
    return datetime.combine(day, time(), VN_TZ)


def sync_status(task: Task) -> None:
    """A task is done when every owner has reported its part; its done_at is the last report.

    Removed and proposed tasks keep their status; a task without owners keeps its own.
    A recurring task with owners is never done as a whole: its occurrences keep coming,
    each closed by its own report (``data.occurrences``); it stays open.
    """
    if task.status in (TaskStatus.REMOVED, TaskStatus.PROPOSED):
        return
    owners = task.owners
    if not owners:
        return
    if task.deadline_kind is DeadlineKind.RECURRING:
        task.status, task.done_at = TaskStatus.OPEN, None
        return
    finished = [a.done_at for a in owners if a.done_at is not None]
    if len(finished) == len(owners):
        task.status, task.done_at = TaskStatus.DONE, max(finished)
    else:
        task.status, task.done_at = TaskStatus.OPEN, None


# -- reading -------------------------------------------------------------------


def find_tasks(
    session: Session,
    *,
    unit: str | None = None,
    kind: DeadlineKind | None = None,
    status: TaskStatus | None = None,
    item_kind: ItemKind | None = ItemKind.TASK,
    needs_review: bool | None = None,
) -> list[Task]:
    query = select(Task).options(WITH_PARTS)
    if unit:
        found = find_unit(session, unit)
        query = query.where(Task.assignments.any(Assignment.unit_id == (found.id if found else -1)))
    if kind:
        query = query.where(Task.deadline_kind == kind)
    if status:
        query = query.where(Task.status == status)
    if item_kind:
        query = query.where(Task.item_kind == item_kind)
    if needs_review is not None:
        query = query.where(Task.needs_review == needs_review)
    return list(session.scalars(query.order_by(Task.number)))


def task_view(
    task: Task,
    part: Assignment | None = None,
    closed: tuple[ClosedOccurrence, ...] | None = None,
) -> TaskView:
    """What the plan and the commands read: one owner's part (or, without one, the task).

    ``closed``: a recurring part's closed occurrences when read in bulk (else from the
    task's events)."""
    last_update, waiting = None, None
    if part is None:
        units: tuple[str, ...] = ()
        done_at = task.done_at if task.status is TaskStatus.DONE else None
        due = task.due_date
    else:
        # A report waiting for the office's confirmation ends the unit's reminders.
        units, done_at, due = (part.unit.code,), part.done_at or part.reported_at, part.due_date()
        waiting = part.reported_occurrence if part.reported_at is not None else None
        if waiting is not None:  # a recurring part's report: that occurrence's reminders
            done_at = part.done_at
        if part.updates:
            last_update = local_date(max(u.at for u in part.updates))
        if closed is None and task.deadline_kind is DeadlineKind.RECURRING:
            closed = occurrences.as_closed(occurrences.of_part(task.events, part.unit_id))
        if waiting is not None and part.reported_at is not None:
            reported = ClosedOccurrence(waiting, local_date(part.reported_at))
            closed = tuple(sorted({*(closed or ()), reported}))
    return TaskView(
        number=task.number,
        title=task.title,
        units=units,
        kind=task.deadline_kind,
        raw_deadline=task.deadline_raw,
        start=task.start_date,
        due=due,
        rrule=task.rrule,
        anchor=task.document.doc_date,
        done_on=local_date(done_at) if done_at else None,
        needs_review=task.needs_review,
        confidential=task.is_confidential,
        extended=part is not None and part.extended_to is not None,
        awaiting_confirmation=part is not None and part.awaiting_confirmation,
        last_update=last_update,
        closed=closed or (),
        awaiting_occurrence=waiting,
    )


def part_views(
    task: Task,
    unit_id: int | None = None,
    closed: Mapping[tuple[int, int], tuple[ClosedOccurrence, ...]] | None = None,
) -> list[TaskView]:
    """One view per owner part (only ``unit_id``'s when given); a task without owners: one.

    ``closed``: (task id, unit id) → closed occurrences, read in bulk beforehand."""
    owners = task.owners
    if not owners:
        return [task_view(task)] if unit_id is None else []
    return [
        task_view(task, part, None if closed is None else closed.get((task.id, part.unit_id), ()))
        for part in owners
        if unit_id is None or part.unit_id == unit_id
    ]


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
) -> list[TaskView]:
    """Live tasks (not targets, not removed, not proposed), one view per owner part.

    Without ``today``: every one. With it, only those that can give that morning an
    item, so the scan's cost follows what is due rather than the table: open dated
    parts due by ``through`` (default ``today``: overdue) or on one of ``due_dates``
    (today's ladder targets), every recurring task, the check-in kinds on a check-in
    day, and what the office must review. Each of those is its own indexed query
    (an OR of them defeats every index; see migration 0008); their task ids are
    united here. ``unit_id``: that unit's parts only (its chat's commands).
    """
    live = Task.item_kind == ItemKind.TASK
    if today is None:
        ids = select(Task.id).where(live, Task.status.in_(_LIVE))
        if unit_id is not None:
            ids = ids.where(Task.id.in_(_unit_task_ids(unit_id)))
        return _views_of(session, ids, unit_id)
    queries = _candidate_queries(today, due_dates, checkin, through, unit_id)
    owing = queries.pop("checkin", None) is not None  # rows, not objects: data.checkin_views
    found: set[int] = set()
    for query in queries.values():
        found.update(session.scalars(query))
    views = _views_by_ids(session, found, unit_id)
    if owing:
        views += [v for task, v in checkin_views.owing_views(session, unit_id) if task not in found]
        views.sort(key=lambda v: v.number)  # stable: a task's parts keep their order
    return views


def _candidate_queries(
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
    in_store = Task.status.in_(_LIVE)
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
        queries["no_owner"] = _by(_OWNERLESS, select(Task.id).where(live, is_open, _ownerless()))
    else:
        mine = _unit_task_ids(unit_id)
        queries = {k: q.where(_id_column(q).in_(mine)) for k, q in queries.items()}
    return queries


# Tasks the plan and the commands read; recurring and check-in tasks matter done or not
# (a recurring task's next occurrence; due-then-ongoing: its check-ins start when done).
_LIVE = LIVE_STATUSES


def _views_of(session: Session, ids: Any, unit_id: int | None = None) -> list[TaskView]:
    if ids is None:
        return []
    rows = list(
        session.scalars(
            select(Task)
            .where(Task.id.in_(ids), Task.status.in_(_LIVE))
            .options(WITH_PARTS, selectinload(Task.document))
            .order_by(Task.number)
        )
    )
    recurring = [t.id for t in rows if t.deadline_kind is DeadlineKind.RECURRING]
    closed = occurrences.closed_by_part(session, recurring)
    return [view for task in rows for view in part_views(task, unit_id, closed)]


_CHUNK = 5000  # ids per IN list: well under the drivers' bound-parameter limits


def _views_by_ids(session: Session, ids: Collection[int], unit_id: int | None) -> list[TaskView]:
    """Views of these tasks, by number (read in chunks: a check-in day may find many)."""
    ordered = sorted(ids)
    views: list[TaskView] = []
    for first in range(0, len(ordered), _CHUNK):
        chunk = select(Task.id).where(_among(session, Task.id, ordered[first : first + _CHUNK]))
        views += _views_of(session, chunk, unit_id)
    views.sort(key=lambda v: v.number)  # stable: a task's parts keep their order
    return views


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


def _among(session: Session, column: Any, ids: list[int]) -> Any:
    """``column IN ids``: on PostgreSQL one array parameter (``= ANY``), not one per id."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


def _ownerless() -> Any:
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


WITH_PARTS = selectinload(Task.assignments).options(
    selectinload(Assignment.unit), selectinload(Assignment.updates)
)


def live_tasks(session: Session, unit_id: int | None = None) -> list[Task]:
    """Tasks (not targets, not removed) with owners and document; one unit's when given."""
    query = (
        select(Task)
        .where(Task.item_kind == ItemKind.TASK, Task.status.in_(_LIVE))
        .options(WITH_PARTS, selectinload(Task.document))
        .order_by(Task.number)
    )
    if unit_id is not None:
        query = query.where(Task.assignments.any(Assignment.unit_id == unit_id))
    return list(session.scalars(query))


def tasks_for_update(session: Session, numbers: Collection[int]) -> dict[int, Task]:
    """The tasks with these numbers, locked for a status change, by number."""
    rows = session.scalars(
        select(Task)
        .where(Task.number.in_(list(numbers)), Task.item_kind == ItemKind.TASK)
        .options(WITH_PARTS, selectinload(Task.document))
        .with_for_update()
    )
    return {t.number: t for t in rows}


def task_with_history(session: Session, number: int) -> Task | None:
    """One task with its owners, document and history (for /chitiet)."""
    return session.scalar(
        select(Task)
        .where(Task.number == number, Task.item_kind == ItemKind.TASK)
        .options(WITH_PARTS, selectinload(Task.events), selectinload(Task.document))
    )


def document_numbers(session: Session, document_id: int) -> dict[str, int]:
    """Source key → task number for one document (what the import review prints)."""
    rows = session.execute(
        select(Task.source_key, Task.number).where(Task.document_id == document_id)
    )
    return {row.source_key: row.number for row in rows}


# -- counting in SQL: the weekly summary and the office's progress -------------------
#
# One-off parts are counted by the database (GROUP BY unit and status) over the facts
# each part keeps of its task (``data.models.part_facts``): index ranges of
# ``assignments``, no join with the tasks. Recurring parts (few) and tasks without an
# owner are left to the caller, which counts them in Python with the same definitions
# (jobs.plan, jobs.report); tests hold the two readings equal.

WEEK_SLOTS = ("done", "due_this_week", "overdue", "waiting", "needs_review")
_K = DeadlineKind


@dataclass
class SlotCounts:
    """Counts per unit code and for the whole (each task once), by slot or status name."""

    units: dict[str, dict[str, int]] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    extended: dict[str, int] = field(default_factory=dict)  # unit code -> extended parts
    total_extended: int = 0


def _local_day(session: Session, moment: Any) -> Any:
    """The Vietnamese calendar day of a stored UTC moment (UTC+7, no daylight saving)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(VN_TZ.key, moment), Date)
    return func.date(moment, "+7 hours")


# The weekly counts' bounds, bound at each run: the statement is built (and its cache
# key made) once per process, not every Monday.
_TODAY, _WEEK_END = bindparam("today", type_=Date), bindparam("week_end", type_=Date)
_TOMORROW = bindparam("tomorrow", type_=UTCDateTime)
_DONE_FROM = bindparam("done_from", type_=UTCDateTime)


def _week_parts() -> Any:
    """(unit, task, slot) of every one-off owner part the weekly summary counts, from the
    facts each part keeps (``part_facts``), each branch an index range and no join: the
    open parts waiting or for review, the open dated parts due by the week's end (not
    the years of later ones), the recent completions and parts done after ``today``
    (still open on it)."""
    a = Assignment
    open_slot = case(
        (a.tally == PartTally.REVIEW, "needs_review"),
        (a.tally == PartTally.WAITING, "waiting"),
        ((a.tally == PartTally.DATED) & (a.part_due < _TODAY), "overdue"),
        ((a.tally == PartTally.DATED) & (a.part_due <= _WEEK_END), "due_this_week"),
        else_=None,
    )
    counted = a.tally.is_not(None)
    is_open = a.done_at.is_(None) & counted  # the partial index's own terms
    done_label: Any = literal_column("'done'")
    return union_all(  # one equality per branch: an index range (an IN list is not one
        # in PostgreSQL's parallel index scans before 17)
        select(a.unit_id, a.task_id, open_slot.label("slot")).where(
            is_open, a.tally == PartTally.REVIEW
        ),
        select(a.unit_id, a.task_id, open_slot).where(is_open, a.tally == PartTally.WAITING),
        select(a.unit_id, a.task_id, open_slot).where(
            is_open, a.tally == PartTally.DATED, a.part_due <= _WEEK_END
        ),
        select(a.unit_id, a.task_id, open_slot).where(counted, a.done_at >= _TOMORROW),
        select(a.unit_id, a.task_id, done_label).where(
            counted, a.done_at >= _DONE_FROM, a.done_at < _TOMORROW
        ),
    ).cte("week_parts")


@cache
def _week_statement() -> Any:
    """Per unit and slot; each task once per slot in the whole; and, for the whole,
    the tasks without an owner reported done in the period (no unit to count them)."""
    parts = _week_parts()
    p = parts.c
    counted = p.slot.is_not(None)
    no_unit: Any = literal_column("NULL")
    per_unit = (
        select(p.unit_id, p.slot, func.count().label("n"))
        .where(counted)
        .group_by(p.unit_id, p.slot)
        .subquery()
    )
    ownerless_done = select(no_unit, literal_column("'done'"), func.count()).where(
        Task.item_kind == ItemKind.TASK,
        Task.status == TaskStatus.DONE,
        Task.done_at >= _DONE_FROM,
        Task.done_at < _TOMORROW,
        Task.deadline_kind != _K.RECURRING,
        _ownerless(),
    )
    return union_all(
        select(Unit.code, per_unit.c.slot, per_unit.c.n).join(Unit, Unit.id == per_unit.c.unit_id),
        select(no_unit, p.slot, func.count(func.distinct(p.task_id)))
        .where(counted)
        .group_by(p.slot),
        ownerless_done,
    )


def week_counts(session: Session, today: date, done_since: date, week_end: date) -> SlotCounts:
    """The weekly summary's counts (``WEEK_SLOTS``) of one-off parts, in one statement.

    done: reported done from ``done_since`` to ``today``; due_this_week: open, due from
    ``today`` to ``week_end``; overdue: open, due before ``today``; waiting: open and
    waiting; needs_review: open and for the office to review (``jobs.plan``'s reading).
    Per unit the owner parts; the whole counts each task once per slot, and its "done"
    holds the tasks without an owner too. Recurring parts and open ownerless tasks are
    left to ``jobs.plan``.
    """
    found = SlotCounts(total=dict.fromkeys(WEEK_SLOTS, 0))
    bounds = {
        "today": today,
        "week_end": week_end,
        "tomorrow": as_of(today + timedelta(days=1)),
        "done_from": as_of(done_since),
    }
    for code, name, number in session.execute(_week_statement(), bounds).all():
        row = (
            found.total
            if code is None
            else found.units.setdefault(code, dict.fromkeys(WEEK_SLOTS, 0))
        )
        row[name] += int(number or 0)
    return found


def recurring_and_ownerless_views(
    session: Session, unit_id: int | None = None, as_of_day: date | None = None
) -> tuple[list[TaskView], list[int]]:
    """What the SQL counts leave to Python: recurring parts, and tasks without an owner
    (with ``as_of_day``: only those not done by then, the only ones a report counts).

    The views and the tasks' ids. With ``unit_id``: that unit's recurring parts only.
    """
    live = (Task.item_kind == ItemKind.TASK) & Task.status.in_(_LIVE)
    recurring = select(Task.id).where(live, Task.deadline_kind == _K.RECURRING)
    ownerless = select(Task.id).where(live, _ownerless())
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


_DATED_STATUSES = ("done_on_time", "done_late", "in_term", "overdue")


def status_counts(
    session: Session, start: date, end: date, as_of_day: date, *, unit_id: int | None = None
) -> SlotCounts:
    """``jobs.report``'s statuses of one-off owner parts, per unit and for the whole.

    A part due (its extension, else the task's date) in ``[start, end]`` is done on
    time / done late (its completion's day against the due date) when done by
    ``as_of_day``, else in term (due >= as_of_day) or overdue; ongoing and "from"
    parts are ``no_deadline``, waiting ones ``waiting``; parts for the office to review
    ``review`` while not done. The total counts each task (due date) once: done when
    every owner is, on time when the last one was. Recurring parts and tasks without
    an owner are left to the caller. Read from the facts each part keeps
    (``part_facts``), no join with the tasks: the period's dated parts and the undated
    kinds, each an index range; or one unit's parts.
    """
    a = Assignment
    tomorrow = as_of(as_of_day + timedelta(days=1))
    done = a.done_at.is_not(None) & (a.done_at < tomorrow)
    done_day = _local_day(session, a.done_at)
    in_period = (a.tally == PartTally.DATED) & a.part_due.between(start, end)
    status = case(
        ((a.tally == PartTally.REVIEW) & ~done, "review"),
        (a.tally == PartTally.UNDATED, "no_deadline"),
        (a.tally == PartTally.WAITING, "waiting"),
        (in_period & done & (done_day <= a.part_due), "done_on_time"),
        (in_period & done, "done_late"),
        (in_period & (a.part_due >= as_of_day), "in_term"),
        (in_period, "overdue"),
        else_=None,
    )
    columns = (
        a.unit_id.label("unit_id"),
        a.task_id.label("task"),
        a.part_due.label("due"),
        status.label("status"),
        case((a.extended_to.is_not(None), 1), else_=0).label("extended"),
        case((done, done_day)).label("done_day"),
    )
    counted = a.tally.is_not(None)  # the partial index's own term
    if unit_id is not None:
        parts: Any = select(*columns).where(counted, a.unit_id == unit_id)
    else:  # one index range per kind of part the report counts
        parts = union_all(
            select(*columns).where(
                counted, a.tally == PartTally.DATED, a.part_due.between(start, end)
            ),
            *(
                select(*columns).where(counted, a.tally == tally)
                for tally in (PartTally.REVIEW, PartTally.WAITING, PartTally.UNDATED)
            ),
        )
    found = SlotCounts()
    _count_statuses(session, found, parts.cte("parts"), as_of_day)
    return found


def _count_statuses(session: Session, found: SlotCounts, parts: Any, as_of_day: date) -> None:
    """``status_counts`` over ``parts`` (a common table of parts with their status,
    computed once), added to ``found``: read twice (per unit and status; per task for
    the total), the two answers united in one statement."""
    p = parts.c
    counted = p.status.is_not(None)
    dated = p.status.in_(_DATED_STATUSES)
    per_unit_id = (
        select(
            p.unit_id,
            p.status.label("status"),
            func.count().label("n"),
            func.sum(case((dated, p.extended), else_=0)).label("extended"),
        )
        .where(counted)
        .group_by(p.unit_id, p.status)
        .subquery()
    )
    u = per_unit_id.c
    per_unit = select(Unit.code, u.status, u.n, u.extended).join(Unit, Unit.id == u.unit_id)
    # the total: one row per (task, due date) for dated parts, per (task, status) otherwise
    group_kind = case((dated, "dated"), else_=p.status)
    group_due = case((p.status.in_(["no_deadline", "waiting"]), None), else_=p.due)
    groups = (
        select(
            group_kind.label("kind"),
            group_due.label("due"),
            func.count().label("n"),
            func.count(p.done_day).label("n_done"),
            func.max(p.done_day).label("last"),
            func.max(p.extended).label("extended"),
        )
        .where(counted)
        .group_by(p.task, group_kind, group_due)
        .subquery()
    )
    g = groups.c
    total_status = case(
        (g.kind != "dated", g.kind),
        ((g.n_done == g.n) & (g.last <= g.due), "done_on_time"),
        (g.n_done == g.n, "done_late"),
        (g.due >= as_of_day, "in_term"),
        else_="overdue",
    )
    whole = select(
        literal_column("NULL").label("unit"),
        total_status.label("status"),
        func.count().label("n"),
        func.sum(case((g.kind == "dated", g.extended), else_=0)).label("extended"),
    ).group_by(total_status)
    for code, name, number, extended in session.execute(union_all(per_unit, whole)).all():
        if code is None:  # the whole
            found.total[name] = found.total.get(name, 0) + int(number)
            found.total_extended += int(extended or 0)
            continue
        row = found.units.setdefault(code, {})
        row[name] = row.get(name, 0) + int(number)
        found.extended[code] = found.extended.get(code, 0) + int(extended or 0)


class _Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, statement: Any) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if compiler.dialect.name == "sqlite" else "EXPLAIN "
    return prefix + str(compiler.process(element.statement, **kw))


def explain_candidates(
    session: Session, today: date, due_dates: Collection[date], week_end: date | None = None
) -> dict[str, str]:
    """The database's plan of each candidate read of a morning (tests, benchmarks)."""
    queries = _candidate_queries(today, due_dates, True, None, None)
    queries["week_parts"] = select(_week_parts()).params(
        today=today,
        week_end=week_end or today + timedelta(days=6),
        tomorrow=as_of(today + timedelta(days=1)),
        done_from=as_of(today - timedelta(days=7)),
    )
    found = {}
    for name, query in queries.items():
        rows = session.execute(_Explain(query)).all()
        found[name] = "\n".join(str(row[-1]) for row in rows)
    return found
