"""The report's owner parts read as a stream: the .xlsx at province scale.

``part_rows`` yields the one-off owner parts a period's report lists (its dated
parts due in the period and the undated, waiting and for-review ones: the partial
index of migration 0012), in the report's order, from a server-side cursor
(``yield_per``): the rows are read and written a batch at a time, so the memory is a
batch's, not the table's. Each batch's cooperating units, latest progress updates and
file names are read with it, for the rows the statement marks as having any. Recurring
parts and tasks without an owner (few) are the caller's
(``scan_views.recurring_and_ownerless_views``). ``part_extras`` counts what the summary
shows beside the statuses (awaiting confirmation, long tasks reported this quarter).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import case, func, null, select, union_all
from sqlalchemy.orm import Session, aliased

from data import part_files
from data.clock import local_date
from data.db import among
from data.deadlines import DeadlineKind
from data.domain import LIVE_STATUSES, AssignmentRole, ItemKind, PartTally
from data.models import Assignment, Document, PartFile, ProgressUpdate, Task, Unit
from data.parts import LastUpdate
from data.read_ahead import read_ahead
from data.store import as_of, part_view, part_view_columns
from data.taskview import TaskView

BATCH = 5000
_CHECKIN_KINDS = [k for k in DeadlineKind if k.has_checkins]


class PartRow(NamedTuple):
    """One owner part as the report reads it, with what the detail sheet shows of its task
    (a tuple: one is made per part, a frozen dataclass costs twice as much to make)."""

    view: TaskView
    unit_name: str
    cooperating: tuple[str, ...]
    update: LastUpdate | None
    files: tuple[str, ...] = ()  # the part's file names (the product sent with /done)


def _statement(start: date, end: date, dated: bool | None) -> Any:
    """One scan of the tally index, no self-join, in the report's order: ``dated``, the
    parts listed under a date (the period's, or a date for review), by it; ``False``, the
    undated, waiting and dateless for-review ones, which come after them (PostgreSQL: two
    statements, the first rows sooner, the second run while they are written); ``None``,
    all in one (SQLite: its planner reads the second alone by walking every task in
    number order). Each row with the date it is listed under and what the batch must
    look up: whether its task has cooperating units, the id of its latest progress
    update, whether it has files. Those come from one grouped read of each table joined
    by hash, so a batch's lookups ask only for the parts that have something to find
    (none for a province whose parts have no updates or files yet)."""
    a, t = Assignment, Task
    review = a.tally == PartTally.REVIEW
    in_period = (a.tally == PartTally.DATED) & a.part_due.between(start, end)
    due: Any
    order: tuple[Any, ...]
    if dated:  # the parts listed under a date, by it: due in the period, or for review
        wanted = in_period | (review & a.part_due.is_not(None))
        due, order = a.part_due, (a.part_due, t.number, Unit.code, a.id)
    elif dated is False:  # then the ones without a date, by task
        wanted = a.tally.in_([PartTally.WAITING, PartTally.UNDATED]) | (
            review & a.part_due.is_(None)
        )
        due, order = null(), (t.number, Unit.code, a.id)
    else:
        wanted = in_period | a.tally.in_([PartTally.REVIEW, PartTally.WAITING, PartTally.UNDATED])
        due = case((a.tally.in_([PartTally.DATED, PartTally.REVIEW]), a.part_due), else_=null())
        order = (case((due.is_(None), 1), else_=0), due, t.number, Unit.code, a.id)
    other = aliased(Assignment)
    helped = (
        select(other.task_id.label("task_id"))
        .where(other.role == AssignmentRole.COOPERATING)
        .group_by(other.task_id)
        .subquery()
    )
    p = ProgressUpdate
    latest = (
        select(p.assignment_id.label("part"), func.max(p.id).label("last"))
        .group_by(p.assignment_id)
        .subquery()
    )
    filed = select(PartFile.assignment_id.label("part")).group_by(PartFile.assignment_id).subquery()
    return (
        select(
            a.id,
            a.task_id,
            *part_view_columns(),
            Unit.name,
            due,
            helped.c.task_id,
            latest.c.last,
            filed.c.part,
        )
        .join(t, t.id == a.task_id)
        .join(Document, Document.id == t.document_id)
        .join(Unit, Unit.id == a.unit_id)
        .outerjoin(helped, helped.c.task_id == a.task_id)
        .outerjoin(latest, latest.c.part == a.id)
        .outerjoin(filed, filed.c.part == a.id)
        .where(wanted)
        .order_by(*order)
    )


_Batch = tuple[
    Sequence[Any], dict[int, tuple[str, ...]], dict[int, LastUpdate], dict[int, tuple[str, ...]]
]


def part_rows(
    session: Session, start: date, end: date, after: Callable[[], object] | None = None
) -> Generator[PartRow, None, None]:
    """The period's one-off owner parts, by (due date, last the undated; task; unit).

    The statement starts at once, in a thread of its own (``data.read_ahead``) that
    reads its batches and their lookups a batch ahead: the database sorts and sends the
    next while the caller classifies and writes this one. The session is the thread's
    until the rows are all read or closed (``close()`` stops and joins the thread).
    ``after``: what the thread also reads, once the first batch is out (the summary's
    other reads, while the caller writes that batch; the cursor stays open between)."""
    return _part_rows(read_ahead(_batches(session, start, end, after)))


def _part_rows(batches: Iterator[_Batch]) -> Generator[PartRow, None, None]:
    try:
        for batch, cooperating, updates, files in batches:
            for row in batch:
                part_id, task_id, name = row[0], row[1], row[16]
                update = updates.get(part_id)
                view = part_view(row[2:16], update.at if update else None)
                yield PartRow(
                    view, name, cooperating.get(task_id, ()), update, files.get(part_id, ())
                )
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()


def _batches(
    session: Session, start: date, end: date, after: Callable[[], object] | None
) -> Iterator[_Batch]:
    """Each batch of the statement's rows, with its cooperating units (by task id), its
    latest progress updates and its file names (by part id)."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    for dated in (True, False) if postgresql else (None,):
        result = session.connection().execute(  # Core rows: the ORM adds nothing to them
            _statement(start, end, dated),
            execution_options={"yield_per": BATCH, "stream_results": True},
        )
        for batch in result.partitions():
            # each lookup for the batch's rows that have something to find, ids in index order
            helped = sorted({row[1] for row in batch if row[18] is not None})
            cooperating = _cooperating(session, helped) if helped else {}
            latest = sorted(row[19] for row in batch if row[19] is not None)
            updates = _updates(session, latest) if latest else {}
            filed = sorted(row[0] for row in batch if row[20] is not None)
            files = part_files.names_of_parts(session, filed) if filed else {}
            yield batch, cooperating, updates, files
            if after is not None:  # once the first batch is out: the caller has rows to write
                after()
                after = None
    if after is not None:  # no rows at all
        after()


def _cooperating(session: Session, task_ids: list[int]) -> dict[int, tuple[str, ...]]:
    rows = session.connection().execute(
        select(Assignment.task_id, Unit.name)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(
            among(session, Assignment.task_id, task_ids),
            Assignment.role == AssignmentRole.COOPERATING,
        )
        .order_by(Assignment.task_id, Assignment.position, Assignment.id)
    )
    found: dict[int, tuple[str, ...]] = {}
    for task_id, name in rows:
        found[task_id] = (*found.get(task_id, ()), name)
    return found


def _updates(session: Session, update_ids: list[int]) -> dict[int, LastUpdate]:
    """Part id → the progress update of each id (the parts' latest, found by the statement)."""
    p = ProgressUpdate
    rows = session.connection().execute(
        select(p.assignment_id, p.at, p.percent, p.text).where(among(session, p.id, update_ids))
    )
    return {part: LastUpdate(local_date(at), percent, text) for part, at, percent, text in rows}


@dataclass
class Extras:
    awaiting: int = 0
    long_tasks: int = 0
    reported: int = 0


def part_extras(session: Session, quarter: date) -> tuple[dict[str, Extras], Extras]:
    """Per unit code and for the whole: owner parts of live tasks awaiting the office's
    confirmation; long-task parts (check-in kinds, not for review) and of those the ones
    with a progress update since ``quarter`` began (``jobs.report.build_report``'s)."""
    a, t = Assignment, Task
    # the quarter's updates read once and joined (a hash join), not probed once per part:
    # the probe's estimate (a subplan per row of 200k) also set PostgreSQL compiling the
    # statement (JIT), half its time
    reported = (
        select(ProgressUpdate.assignment_id)
        .where(ProgressUpdate.at >= as_of(quarter))
        .distinct()
        .subquery()
    )
    live_owner = (
        a.role == AssignmentRole.OWNER,
        t.item_kind == ItemKind.TASK,
        t.status.in_(LIVE_STATUSES),
    )
    # two narrow reads, each filtered before the join (the few parts awaiting a
    # confirmation; the long tasks' parts, by the tasks' kind index), not one sum of
    # cases over every live part (a join of the whole table, most of it counted 0)
    awaiting = (
        select(Unit.code, func.count(), null(), null())
        .select_from(a)
        .join(t, t.id == a.task_id)
        .join(Unit, Unit.id == a.unit_id)
        .where(*live_owner, a.done_at.is_(None), a.reported_at.is_not(None))
        .group_by(Unit.code)
    )
    long_parts = (
        select(
            Unit.code,
            null(),
            func.count(),
            func.sum(case((reported.c.assignment_id.is_not(None), 1), else_=0)),
        )
        .select_from(a)
        .join(t, t.id == a.task_id)
        .join(Unit, Unit.id == a.unit_id)
        .outerjoin(reported, reported.c.assignment_id == a.id)
        .where(*live_owner, t.deadline_kind.in_(_CHECKIN_KINDS), a.tally != PartTally.REVIEW)
        .group_by(Unit.code)
    )
    rows: Any = session.connection().execute(union_all(awaiting, long_parts))  # (code, 3 sums)
    units: dict[str, Extras] = {}
    total = Extras()
    for code, waiting, long_tasks, done in rows:
        found = units.setdefault(code, Extras())
        for into in (found, total):
            into.awaiting += int(waiting or 0)
            into.long_tasks += int(long_tasks or 0)
            into.reported += int(done or 0)
    return units, total


def facts_by_number(
    session: Session, numbers: list[int]
) -> tuple[dict[int, tuple[str, ...]], dict[tuple[int, str], LastUpdate]]:
    """For a few tasks by number: their cooperating units' names, and (number, owner unit
    code) → the part's latest progress update (the recurring and ownerless items)."""
    ids: dict[int, int] = {}
    for task_id, number in session.execute(
        select(Task.id, Task.number).where(Task.number.in_(numbers))
    ):
        ids[task_id] = number
    cooperating = {ids[k]: v for k, v in _cooperating(session, list(ids)).items()}
    p = ProgressUpdate
    found = session.execute(
        select(Assignment.task_id, Unit.code, p.at, p.percent, p.text)
        .join(Assignment, Assignment.id == p.assignment_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.task_id.in_(list(ids)))
        .order_by(p.id)
    )
    updates = {
        (ids[task], code): LastUpdate(local_date(at), percent, text)
        for task, code, at, percent, text in found
    }
    return cooperating, updates
