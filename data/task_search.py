"""The console's task list: filters and search in SQL, one page at a time.

A page is the next ``limit`` tasks by number after the last one shown (keyset
paging: the same cost on page 1 and page 4,000), read with their parts; the count
stops at ``COUNT_CAP`` (past it the page says "more than"). Text is matched on
``Task.search_key`` (title and owner cell, folded: ``data.models.search_key``)
through migration 0015's index: PostgreSQL's trigram index answers ``LIKE '%…%'``,
SQLite's FTS5 trigram table a phrase of three characters or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import Session, selectinload

from data.deadlines import DeadlineKind
from data.domain import AssignmentRole, ItemKind, PartTally, TaskStatus
from data.models import Assignment, Document, Task
from data.text import fold

PAGE = 50
COUNT_CAP = 10_000


@dataclass(frozen=True)
class TaskFilter:
    """What the task list is asked for; ``None``/empty: no condition."""

    unit_id: int | None = None
    kind: DeadlineKind | None = None
    status: TaskStatus | None = None
    document_id: int | None = None
    needs_review: bool | None = None
    late_on: date | None = None  # an owner part open and due before this day
    # with ``late_on``: the recurring tasks with a missed occurrence, by number (the
    # caller asks ``jobs.due.Due.late``: an occurrence's state is not a column)
    late_recurring: tuple[int, ...] = ()
    query: str = ""  # as typed: a number ("#57", "57") or words
    hide_confidential: bool = False  # a viewer: confidential titles are not searched


def _like(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_match(session: Session, folded: str) -> Any:
    if session.get_bind().dialect.name == "sqlite" and len(folded) >= 3:
        phrase = '"' + folded.replace('"', '""') + '"'
        match = text("tasks_fts MATCH :q").bindparams(q=phrase)
        return Task.id.in_(select(text("rowid")).select_from(text("tasks_fts")).where(match))
    return Task.search_key.like(_like(folded), escape="\\")


def _conditions(session: Session, wanted: TaskFilter) -> list[Any]:
    found: list[Any] = [Task.item_kind == ItemKind.TASK]
    if wanted.unit_id is not None:
        found.append(
            exists().where(Assignment.task_id == Task.id, Assignment.unit_id == wanted.unit_id)
        )
    if wanted.kind is not None:
        found.append(Task.deadline_kind == wanted.kind)
    if wanted.status is not None:
        found.append(Task.status == wanted.status)
    if wanted.document_id is not None:
        found.append(Task.document_id == wanted.document_id)
    if wanted.needs_review is not None:
        found.append(Task.needs_review == wanted.needs_review)
    if wanted.late_on is not None:  # the partial index on open parts (migration 0012)
        a = Assignment
        one_off = exists().where(
            a.task_id == Task.id,
            a.done_at.is_(None),
            a.tally == PartTally.DATED,
            a.part_due < wanted.late_on,
            a.role == AssignmentRole.OWNER,
        )
        late: Any = one_off
        if wanted.late_recurring:
            late = one_off | Task.number.in_(list(wanted.late_recurring))
        found.append(late)
    query = wanted.query.strip().lstrip("#").strip()
    if query:
        folded = fold(query)
        matched = _text_match(session, folded)
        if wanted.hide_confidential:
            secret = select(Document.id).where(Document.confidential == True)  # noqa: E712
            matched = matched & (Task.confidential == False) & Task.document_id.not_in(secret)  # noqa: E712
        if query.isdigit():
            matched = matched | (Task.number == int(query))
        found.append(matched)
    return found


# A page's parts with their units and progress updates (a row's days late reads the
# part's latest update): three statements a page, not one more per task.
_PARTS = selectinload(Task.assignments)
_PART_UNITS = _PARTS.selectinload(Assignment.unit)
_PART_UPDATES = _PARTS.selectinload(Assignment.updates)


def task_page(
    session: Session, wanted: TaskFilter, after: int | None = None, limit: int = PAGE
) -> tuple[list[Task], int | None]:
    """The next ``limit`` tasks by number after ``after``, with their parts and units;
    and the number to continue after (``None``: this was the last page)."""
    query = select(Task).where(*_conditions(session, wanted))
    if after is not None:
        query = query.where(Task.number > after)
    rows = list(
        session.scalars(
            query.options(_PART_UNITS, _PART_UPDATES, selectinload(Task.document))
            .order_by(Task.number)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].number if more and rows else None)


def count_tasks(session: Session, wanted: TaskFilter, cap: int = COUNT_CAP) -> int:
    """How many tasks match, counted up to ``cap`` (``cap + 1``: more than that)."""
    capped = select(Task.id).where(*_conditions(session, wanted)).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(capped)) or 0)
