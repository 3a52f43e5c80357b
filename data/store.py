"""Tasks and each unit's part, read back from the store: one task, a list, the ones
locked for a change, and the detached ``TaskView`` every rule reads.

The units: ``data.unit_store``; re-importing a document: ``data.revisions``; the
morning's candidate tasks: ``data.scan_views``; the SQL counts: ``data.sql_counts``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session, selectinload

from data import occurrences
from data.clock import VN_TZ, local_date
from data.deadlines import DeadlineKind
from data.domain import LIVE_STATUSES, ItemKind, TaskStatus
from data.models import Assignment, Document, Task, Unit
from data.taskview import ClosedOccurrence, TaskView
from data.unit_store import find_unit

SECTION_SEPARATOR = " › "


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
    task's events). Made by ``part_view``, the one builder, from the values the plain
    rows of ``part_view_columns`` hold."""
    head = (
        task.number,
        task.title,
        task.deadline_kind,
        task.deadline_raw,
        task.start_date,
        task.due_date,
        task.rrule,
        task.document.doc_date,
    )
    if part is None:
        done_at = task.done_at if task.status is TaskStatus.DONE else None
        return part_view(
            (*head, done_at, None, task.needs_review, task.is_confidential, None, None)
        )
    last_update = local_date(max(u.at for u in part.updates)) if part.updates else None
    if closed is None and task.deadline_kind is DeadlineKind.RECURRING:
        closed = occurrences.as_closed(occurrences.of_part(task.events, part.unit_id))
    values = (
        *head,
        part.done_at,
        part.reported_at,
        task.needs_review,
        task.is_confidential,
        part.extended_to,
        part.unit.code,
    )
    return part_view(values, last_update, part.reported_occurrence, closed or ())


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


WITH_PARTS = selectinload(Task.assignments).options(
    selectinload(Assignment.unit), selectinload(Assignment.updates)
)


def live_tasks(session: Session, unit_id: int | None = None) -> list[Task]:
    """Tasks (not targets, not removed) with owners and document; one unit's when given."""
    query = (
        select(Task)
        .where(Task.item_kind == ItemKind.TASK, Task.status.in_(LIVE_STATUSES))
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


def part_view_columns() -> tuple[Any, ...]:
    """The columns a part's ``TaskView`` is made of, read as plain rows (no ORM objects):
    the statement joins ``Task``, ``Document`` and ``Unit`` to ``Assignment``. Read by
    the check-in morning and the streamed report alike (``part_view``)."""
    a, t = Assignment, Task
    return (
        t.number,
        t.title,
        t.deadline_kind,
        t.deadline_raw,
        t.start_date,
        t.due_date,
        t.rrule,
        Document.doc_date,
        a.done_at,
        a.reported_at,
        t.needs_review,
        t.confidential | Document.confidential,
        a.extended_to,
        Unit.code,
    )


def part_view(
    values: Sequence[Any],
    last_update: date | None = None,
    occurrence: date | None = None,
    closed: tuple[ClosedOccurrence, ...] = (),
) -> TaskView:
    """The view of one part from the values of ``part_view_columns``, in their order (a
    task without owners: no unit code, its own completion as ``done_at``).

    ``occurrence``: the part's ``reported_occurrence``; ``closed``: a recurring part's
    closed occurrences. A report waiting for the office's confirmation ends the unit's
    reminders: the part reads done on the report's day, or for a recurring part's report
    that occurrence reads closed."""
    (number, title, kind, raw, start, due, rrule, anchor, done_at) = values[:9]
    reported_at, review, secret, extended, code = values[9:14]
    waiting = occurrence if reported_at is not None else None
    done = done_at if waiting is not None else done_at or reported_at
    if waiting is not None:
        closed = tuple(sorted({*closed, ClosedOccurrence(waiting, local_date(reported_at))}))
    return TaskView(
        number=number,
        title=title,
        units=() if code is None else (code,),
        kind=kind,
        raw_deadline=raw,
        start=start,
        due=extended or due,
        rrule=rrule,
        anchor=anchor,
        done_on=local_date(done) if done else None,
        needs_review=review,
        confidential=bool(secret),
        extended=extended is not None,
        awaiting_confirmation=reported_at is not None and (done_at is None or waiting is not None),
        last_update=last_update,
        closed=closed,
        awaiting_occurrence=waiting,
    )
