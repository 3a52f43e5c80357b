"""A recurring part's closed occurrences: the replay of the /done and /mo that name one.

Each DONE event of a recurring part carries the occurrence (its due date) it closes,
each REOPENED event the one it opens again (``TaskEvent.occurrence``). The history
is the state: who reported each occurrence, when and from where is on its event,
and there is no second copy to keep in step. Events without an occurrence (reports
made before occurrences were named) are not read here: they are the part's old
watermark (``Assignment.done_at``), which ``jobs.due`` still reads as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.clock import local_date
from data.domain import TaskAction
from data.models import TaskEvent
from data.taskview import ClosedOccurrence

_MARKS = (TaskAction.DONE, TaskAction.REOPENED)


def replay(events: Iterable[tuple[TaskAction, date | None, datetime]]) -> dict[date, date]:
    """Occurrence → the day it was reported, from (action, occurrence, at) in order.

    A second DONE of a closed occurrence keeps the first day (it was closed then)."""
    closed: dict[date, date] = {}
    for action, occurrence, at in events:
        if occurrence is None:
            continue
        if action is TaskAction.DONE:
            closed.setdefault(occurrence, local_date(at))
        elif action is TaskAction.REOPENED:
            closed.pop(occurrence, None)
    return closed


def as_closed(closed: dict[date, date]) -> tuple[ClosedOccurrence, ...]:
    return tuple(sorted(ClosedOccurrence(occ, on) for occ, on in closed.items()))


def of_part(events: Iterable[TaskEvent], unit_id: int) -> dict[date, date]:
    """One part's closed occurrences, from its task's events (loaded, in order)."""
    return replay(
        (e.action, e.occurrence, e.at)
        for e in events
        if e.unit_id == unit_id and e.action in _MARKS
    )


def closed_by_part(
    session: Session, task_ids: Collection[int]
) -> dict[tuple[int, int], tuple[ClosedOccurrence, ...]]:
    """(task id, unit id) → the closed occurrences, for these (recurring) tasks.

    One read of their events that name an occurrence (index on ``task_id``)."""
    if not task_ids:
        return {}
    rows = session.execute(
        select(
            TaskEvent.task_id,
            TaskEvent.unit_id,
            TaskEvent.action,
            TaskEvent.occurrence,
            TaskEvent.at,
        )
        .where(
            TaskEvent.task_id.in_(list(task_ids)),
            TaskEvent.occurrence.is_not(None),
            TaskEvent.unit_id.is_not(None),
            TaskEvent.action.in_(_MARKS),
        )
        .order_by(TaskEvent.id)
    )
    events: defaultdict[tuple[int, int], list[tuple[TaskAction, date | None, datetime]]]
    events = defaultdict(list)
    for task_id, unit_id, action, occurrence, at in rows:
        if unit_id is not None:  # filtered above; the column is nullable
            events[(task_id, unit_id)].append((action, occurrence, at))
    return {key: as_closed(replay(found)) for key, found in events.items()}
