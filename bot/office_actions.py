"""What the office does on a unit's behalf, from the command line or the console.

Each action takes a session and a ``Change`` (who, when, why), changes the store
through ``data.parts``, writes the audit log, and returns Vietnamese lines saying
what happened to each task — the same words wherever the office works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from bot.texts import chat_title
from data import chat_store, outbox, parts, store
from data.chat_store import Actor
from data.clock import local_date
from data.deadlines import DeadlineKind
from data.domain import MessageKind, TaskStatus
from data.models import Assignment, Task, Unit
from data.parts import Change
from jobs.calendar import WorkCalendar
from jobs.compose import format_date
from jobs.due import Due
from jobs.plan import Policy

_LIVE = (TaskStatus.OPEN, TaskStatus.DONE)


@dataclass
class ActionResult:
    done: list[str] = field(default_factory=list)  # what changed
    problems: list[str] = field(default_factory=list)  # what did not, and why

    @property
    def ok(self) -> bool:
        return not self.problems


def _audit(session: Session, change: Change, action: str, detail: str) -> None:
    chat_store.audit(session, Actor(user_name=change.actor), change.at, action, detail)


def _parts(task: Task, unit: Unit | None) -> list[Assignment] | str:
    if unit is None:
        return task.owners
    part = task.part_for(unit.id)
    if part is None:
        return f"#{task.number}: {unit.name} không phải đơn vị chủ trì."
    return [part]


def mark(
    session: Session,
    numbers: Sequence[int],
    unit: Unit | None,
    change: Change,
    *,
    done: bool,
    occurrence: date | None = None,
    due: Due | None = None,
) -> ActionResult:
    """Mark parts done (all owners' when ``unit`` is None) or open them again.

    A recurring task: one occurrence — ``occurrence``, else for done the current one as
    of ``change.at`` (``Due.current_occurrence``; ``due``: the office's calendar and
    policy), for reopening the latest closed."""
    result = ActionResult()
    tasks = store.tasks_for_update(session, numbers)
    for number in numbers:
        task = tasks.get(number)
        if task is None or task.status not in _LIVE:
            result.problems.append(f"Không có nhiệm vụ #{number}.")
            continue
        chosen = _parts(task, unit)
        if isinstance(chosen, str):
            result.problems.append(chosen)
            continue
        which = occurrence
        if which is None and done and chosen and task.deadline_kind is DeadlineKind.RECURRING:
            due = due or Due(WorkCalendar(), Policy())
            which = due.current_occurrence(store.task_view(task, chosen[0]), local_date(change.at))
        changed = [
            p.unit.name
            for p in chosen
            if parts.mark_part(task, p, change, done=done, occurrence=which)
        ]
        if not task.owners and parts.mark_task(task, change, done=done):
            changed = ["(nhiệm vụ chưa có đơn vị)"]
        if not changed:
            state = "đã hoàn thành" if done else "đang mở"
            result.problems.append(f"#{number} {state} từ trước, không đổi.")
            continue
        verb = "hoàn thành" if done else "mở lại"
        if which is not None:
            verb += f" kỳ hạn {format_date(which)}"
        result.done.append(f"#{number} {verb}: {', '.join(changed)}")
        _audit(session, change, "done" if done else "reopened", f"#{number} ({', '.join(changed)})")
    return result


def extend(
    session: Session, number: int, to: date, unit: Unit | None, change: Change
) -> ActionResult:
    """The office's own extension: the chosen part(s) get a new due date."""
    result = ActionResult()
    task = store.tasks_for_update(session, [number]).get(number)
    if task is None or task.status not in _LIVE:
        result.problems.append(f"Không có nhiệm vụ #{number}.")
        return result
    chosen = _parts(task, unit)
    if isinstance(chosen, str):
        result.problems.append(chosen)
        return result
    if not chosen:
        result.problems.append(f"#{number} chưa có đơn vị chủ trì để gia hạn.")
        return result
    for part in chosen:
        old = parts.extend_part(task, part, to, change)
        was = format_date(old) if old else "không có hạn"
        result.done.append(f"#{number} {part.unit.name}: hạn {was} → {format_date(to)}")
    _audit(session, change, "extended", f"#{number} đến {to.isoformat()}: {change.note}")
    return result


def set_confidential(
    session: Session, numbers: Sequence[int], confidential: bool, change: Change
) -> ActionResult:
    result = ActionResult()
    tasks = store.tasks_for_update(session, numbers)
    for number in numbers:
        task = tasks.get(number)
        if task is None:
            result.problems.append(f"Không có nhiệm vụ #{number}.")
            continue
        if parts.set_confidential(task, confidential, change):
            word = "mật" if confidential else "không mật"
            result.done.append(f"#{number}: {word}")
            _audit(session, change, "confidential", f"#{number} {word}")
        else:
            result.problems.append(f"#{number} không đổi.")
    return result


def settle_report(
    session: Session, task: Task, part: Assignment, change: Change, *, confirm: bool
) -> int:
    """Confirm a unit's reported completion (done as of the day it reported) or return it
    (``change.note`` is the reason; the part is open again with its old deadline), and tell
    the unit's chats through the outbox. Returns how many chats were told."""
    number = task.number
    if confirm:
        sent = part.reported_at  # the day it counts from (a recurring part: its occurrence's)
        parts.confirm_part(task, part, change)
        day = format_date(local_date(sent or part.done_at or change.at))
        told = (
            f"✅ Văn phòng đã xác nhận hoàn thành #{number} {chat_title(task, 70)} "
            f"(tính ngày {day})."
        )
    else:
        parts.return_part(task, part, change)
        told = (
            f"↩️ Văn phòng trả lại #{number} {chat_title(task, 70)}: {change.note}\n"
            "Việc được mở lại với thời hạn cũ."
        )
    key = f"cf-{number}-{part.unit.code}-{change.at:%Y%m%d%H%M%S}"
    chats = chat_store.unit_chats(session, part.unit_id)
    messages = [
        outbox.Outgoing(
            a.channel, a.chat_id, MessageKind.NOTICE, local_date(change.at), told, key_suffix=key
        )
        for a in chats
    ]
    outbox.enqueue(session, messages, change.at)
    return len(messages)
