"""The office's numbers counted by the database: the Monday summary's slots and the
four statuses of a period (``/tiendo``, the report, the console), per unit and in all;
and the database's plan of the morning's reads (``explain_candidates``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Date,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement, Executable

from data.deadlines import DeadlineKind
from data.domain import AssignmentRole, ItemKind, PartTally, TaskStatus
from data.models import Assignment, Task, Unit, UTCDateTime
from data.scan_views import candidate_queries, no_owner
from data.store import as_of

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
    """The Vietnamese calendar day of a stored UTC moment (UTC+7, no daylight saving
    since 1975): a fixed offset on both stores, which PostgreSQL shifts far faster than
    it looks a zone up by name, row by row."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(literal_column("INTERVAL '7 hours'"), moment), Date)
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
        no_owner(),
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


_DATED_STATUSES = ("done_on_time", "done_late", "in_term", "overdue")
_STATUSES = ("review", "no_deadline", "waiting", *_DATED_STATUSES)


def shared_tasks() -> Any:
    """The tasks with several owner parts (a second owner is at position 1 or more), from
    their own partial index (``ix_assignments_shared``). A task whose other owners are not
    counted (not live) is grouped as its one counted part: the same status."""
    a = Assignment
    return select(a.task_id).where(a.position >= 1, a.role == AssignmentRole.OWNER)


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
    # each kind of part its own status (a branch of the union reads one kind only)
    by_tally: dict[PartTally, Any] = {
        PartTally.REVIEW: case((~done, "review"), else_=None),
        PartTally.UNDATED: literal_column("'no_deadline'"),
        PartTally.WAITING: literal_column("'waiting'"),
        PartTally.DATED: case(
            (done & (done_day <= a.part_due), "done_on_time"),
            (done, "done_late"),
            (a.part_due >= as_of_day, "in_term"),
            else_="overdue",
        ),
    }
    in_period = a.part_due.between(start, end)
    any_kind = case(
        *(
            (a.tally == tally, status)
            for tally, status in by_tally.items()
            if tally is not PartTally.DATED
        ),
        ((a.tally == PartTally.DATED) & in_period, by_tally[PartTally.DATED]),
        else_=None,
    )

    def columns(status: Any) -> tuple[Any, ...]:
        return (
            a.unit_id.label("unit_id"),
            a.task_id.label("task"),
            a.part_due.label("due"),
            status.label("status"),
            case((a.extended_to.is_not(None), 1), else_=0).label("extended"),
            case((done, done_day)).label("done_day"),
        )

    counted = a.tally.is_not(None)  # the partial index's own term

    if unit_id is not None:
        parts: Any = select(*columns(any_kind)).where(counted, a.unit_id == unit_id)
    else:  # one index range per kind of part the report counts
        parts = union_all(
            select(*columns(by_tally[PartTally.DATED])).where(
                counted, a.tally == PartTally.DATED, in_period
            ),
            *(
                select(*columns(by_tally[tally])).where(counted, a.tally == tally)
                for tally in (PartTally.REVIEW, PartTally.WAITING, PartTally.UNDATED)
            ),
        )
    shared = select(*columns(any_kind)).where(  # the few parts of shared tasks, by task
        counted,
        a.task_id.in_(shared_tasks().scalar_subquery()),
        *(() if unit_id is None else (a.unit_id == unit_id,)),
    )
    found = SlotCounts()
    _count_statuses(session, found, parts.subquery("parts"), shared.cte("shared_parts"), as_of_day)
    return found


def _count_statuses(
    session: Session, found: SlotCounts, parts: Any, shared: Any, as_of_day: date
) -> None:
    """``status_counts`` over ``parts`` (parts with their status) and ``shared`` (those
    of tasks with several owners), added to ``found``, in one statement of three
    answers, each rows of the seven statuses' counts: one per unit; one for the shared
    tasks' parts; one for those tasks themselves (each task and due date once). The
    total is the units' sum with the shared parts replaced by their tasks: a task with
    one owner part is that part, so only the few shared tasks are grouped, not every
    part. The parts are read straight from the table (no common table written out)."""

    # PostgreSQL groups by (unit, status) first, a plan it runs in parallel; SQLite
    # (one thread) sums each status in one pass
    grouped_first = session.get_bind().dialect.name == "postgresql"

    def widen(kind: str, rows: Any, status: Any, n: Any, x: Any, unit: Any = None) -> Any:
        """A row of the seven statuses' counts (and the extended dated parts), per unit."""
        found = (
            select(
                literal_column(f"'{kind}'").label("part"),
                (literal_column("NULL") if unit is None else unit).label("unit_id"),
                *(func.sum(case((status == name, n), else_=0)).label(name) for name in _STATUSES),
                func.sum(case((status.in_(_DATED_STATUSES), x), else_=0)).label("x"),
            )
            .select_from(rows)
            .where(status.is_not(None))
        )
        return found if unit is None else found.group_by(unit)

    def tally(kind: str, rows: Any, status: Any, extended: Any, unit: Any = None) -> Any:
        if not grouped_first:
            return widen(kind, rows, status, literal_column("1"), extended, unit)
        by = (status,) if unit is None else (unit, status)
        grouped = (
            select(*by, func.count().label("n"), func.sum(extended).label("x"))
            .select_from(rows)
            .where(status.is_not(None))
            .group_by(*by)
            .subquery()
        )
        c = grouped.c
        unit_of = None if unit is None else c[unit.name]
        return widen(kind, grouped, c[status.name], c.n, c.x, unit_of)

    p = parts.c
    per_unit_id = tally("unit", parts, p.status, p.extended, unit=p.unit_id).subquery()
    u = per_unit_id.c
    per_unit = select(u.part, Unit.code, *(u[name] for name in _STATUSES), u.x).join(
        Unit, Unit.id == u.unit_id
    )
    s = shared.c
    shared_parts = tally("shared_part", shared, s.status, s.extended)
    # the shared tasks: one row per (task, due date) for dated parts, per (task, status) else
    group_kind = case((s.status.in_(_DATED_STATUSES), "dated"), else_=s.status)
    group_due = case((s.status.in_(["no_deadline", "waiting"]), None), else_=s.due)
    groups = (
        select(
            group_kind.label("kind"),
            group_due.label("due"),
            func.count().label("n"),
            func.count(s.done_day).label("n_done"),
            func.max(s.done_day).label("last"),
            func.max(s.extended).label("extended"),
        )
        .where(s.status.is_not(None))
        .group_by(s.task, group_kind, group_due)
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
    shared_whole = tally("shared_task", groups, total_status.label("status"), g.extended)
    statement = union_all(per_unit, shared_parts, shared_whole)
    for part, code, *numbers, extended_n in session.execute(statement).all():
        sign = -1 if part == "shared_part" else 1  # a shared task's parts become the task
        x = int(extended_n or 0)
        found.total_extended += sign * x
        if part == "unit":
            row = found.units.setdefault(code, {})
            found.extended[code] = found.extended.get(code, 0) + x
        for name, number in zip(_STATUSES, numbers, strict=True):
            n = int(number or 0)
            if not n:
                continue
            if part == "unit":
                row[name] = row.get(name, 0) + n
            found.total[name] = found.total.get(name, 0) + sign * n
    for name in [k for k, v in found.total.items() if v == 0]:
        del found.total[name]


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
    queries = candidate_queries(today, due_dates, True, None, None)
    queries["week_parts"] = select(_week_parts()).params(
        today=today,
        week_end=week_end or today + timedelta(days=6),
        tomorrow=as_of(today + timedelta(days=1)),
        done_from=as_of(today - timedelta(days=7)),
    )
    return {name: explain(session, query) for name, query in queries.items()}


def explain(session: Session, query: Any) -> str:
    """The database's plan of a query, a line per step (tests, benchmarks)."""
    rows = session.execute(_Explain(query)).all()
    return "\n".join(str(row[-1]) for row in rows)
