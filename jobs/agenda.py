"""What is due in a date range and what is late, for the chat's /homnay … /quahan.

Pure functions of task views and dates, sharing the plan's reading of a task: a
recurring task is due at each occurrence; waiting, done, unreadable and
needs-review tasks are never "due" or "late".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from dateutil.rrule import rrulestr

from data.deadlines import DeadlineKind
from data.taskview import TaskView

_DATED = frozenset({DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.DUE_THEN_ONGOING})


@dataclass(frozen=True)
class AgendaItem:
    task: TaskView
    due: dt.date
    days_late: int = 0


@lru_cache(maxsize=1024)
def _occurrences(rule: str, anchor: dt.date, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    try:
        parsed = rrulestr(rule, dtstart=dt.datetime.combine(anchor, dt.time()))
    except (ValueError, TypeError):
        return ()
    first = dt.datetime.combine(start, dt.time())
    last = dt.datetime.combine(end, dt.time())
    return tuple(d.date() for d in parsed.between(first, last, inc=True))


def _remindable(task: TaskView) -> bool:
    return not task.needs_review and task.kind in _DATED | {DeadlineKind.RECURRING}


def due_between(tasks: list[TaskView], start: dt.date, end: dt.date) -> list[AgendaItem]:
    """Open tasks with a due date (or an occurrence) in [start, end], soonest first."""
    items: list[AgendaItem] = []
    for task in tasks:
        if not _remindable(task):
            continue
        if task.kind is DeadlineKind.RECURRING:
            if task.rrule and task.anchor:
                for day in _occurrences(task.rrule, task.anchor, start, end):
                    if task.done_on is None or task.done_on < day - dt.timedelta(days=3):
                        items.append(AgendaItem(task, day))
        elif task.done_on is None and task.due and start <= task.due <= end:
            items.append(AgendaItem(task, task.due))
    return sorted(items, key=lambda i: (i.due, i.task.number))


def overdue(tasks: list[TaskView], today: dt.date) -> list[AgendaItem]:
    """Open tasks past their due date (recurring: the latest past occurrence), latest first."""
    items: list[AgendaItem] = []
    for task in tasks:
        if not _remindable(task):
            continue
        due: dt.date | None = None
        if task.kind is DeadlineKind.RECURRING:
            if task.rrule and task.anchor and task.anchor < today:
                past = _occurrences(
                    task.rrule, task.anchor, task.anchor, today - dt.timedelta(days=1)
                )
                due = past[-1] if past else None
        elif task.done_on is None:
            due = task.due
        if due is None or due >= today or (task.done_on is not None and task.done_on >= due):
            continue
        items.append(AgendaItem(task, due, (today - due).days))
    return sorted(items, key=lambda i: (-i.days_late, i.task.number))


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_end(today: dt.date) -> dt.date:
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
