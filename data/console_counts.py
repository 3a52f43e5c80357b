"""What the console's dashboard lists beside the counts, bounded by what a person reads.

The counts themselves are ``data.store.status_counts`` (the office's /tiendo); here
the longest-overdue one-off owner parts, read from the partial index of open parts
(migration 0012) and capped.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from data.domain import LIVE_STATUSES, ItemKind, PartTally
from data.models import (
    Assignment,
    AuditEntry,
    Chat,
    Document,
    Task,
    TaskEvent,
    Unit,
)
from data.store import as_of
from data.unit_store import registry_mark_columns


@dataclass(frozen=True)
class LatePart:
    number: int
    title: str
    confidential: bool
    unit: str  # code
    due: date


def overdue_parts(
    session: Session, start: date, end: date, as_of_day: date, limit: int
) -> list[LatePart]:
    """The ``limit`` one-off owner parts due in ``[start, end]`` before ``as_of_day``
    and not done by then, longest overdue first (then by task number)."""
    a = Assignment
    last = min(end, as_of_day - timedelta(days=1))
    if last < start:
        return []
    tomorrow = as_of(as_of_day + timedelta(days=1))
    columns = (a.task_id, a.unit_id, a.part_due, a.task_number)
    dated = (a.tally == PartTally.DATED, a.part_due.between(start, last))
    late = union_all(
        select(*columns).where(a.done_at.is_(None), a.tally.is_not(None), *dated),
        select(*columns).where(a.tally.is_not(None), a.done_at >= tomorrow, *dated),
    ).subquery()
    top = (
        select(late.c.task_id, late.c.unit_id, late.c.part_due)
        .order_by(late.c.part_due, late.c.task_number, late.c.unit_id)
        .limit(limit)
        .subquery()
    )
    rows = session.execute(
        select(
            Task.number,
            Task.title,
            Task.confidential | Document.confidential,
            Unit.code,
            top.c.part_due,
        )
        .join(Task, Task.id == top.c.task_id)
        .join(Document, Document.id == Task.document_id)
        .join(Unit, Unit.id == top.c.unit_id)
        .order_by(top.c.part_due, Task.number, Unit.code)
    ).all()
    return [LatePart(n, t, bool(c), code, due) for n, t, c, code, due in rows]


def unit_names_by_id(session: Session, ids: Collection[int | None]) -> dict[int, str]:
    """Unit id → name for these units only (a task's history names a few of thousands)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    found: dict[int, str] = {}
    for unit_id, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))):
        found[unit_id] = name
    return found


def history_mark(session: Session) -> int:
    """The newest history event's id (the primary key's index: one step): it moves with
    every change to a task or a part, so counts made under the same mark still hold."""
    return int(session.scalar(select(func.max(TaskEvent.id))) or 0)


def store_mark(session: Session) -> tuple[int, ...]:
    """What the office's figures depend on, in one statement of index steps: the newest
    history event (``history_mark``: every change to a task or a part) and the units'
    registry (``unit_store.registry_mark``: a unit added or named again)."""
    row = session.execute(
        select(select(func.max(TaskEvent.id)).scalar_subquery(), *registry_mark_columns())
    ).one()
    return tuple(int(value or 0) for value in row)


def audit_mark(session: Session) -> int:
    """The newest audit entry: every office action, a rejected proposal's deletion too
    (which leaves no history: its task is gone)."""
    return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def ownerless_tasks(session: Session) -> int:
    """Live tasks no unit leads: nobody is reminded of them, no status counts them (the
    partial index of ``has_owner``, migration 0011)."""
    found = session.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.has_owner == False, Task.status.in_(LIVE_STATUSES))  # noqa: E712
        .where(Task.item_kind == ItemKind.TASK)
    )
    return int(found or 0)


@dataclass(frozen=True)
class Coverage:
    """What the dashboard's "still missing" box needs to know of chats and documents."""

    chats: int  # bound chats, the office's too
    units_with_chat: int
    documents: int


def coverage(session: Session) -> Coverage:
    """Counted by the database: a province binds a chat to each of thousands of units,
    and the dashboard only says how many units have none."""
    chats, units = session.execute(
        select(func.count(Chat.id), func.count(func.distinct(Chat.unit_id)))
    ).one()
    documents = session.scalar(select(func.count(Document.id)))
    return Coverage(int(chats or 0), int(units or 0), int(documents or 0))
