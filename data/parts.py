"""Each unit's part of a task: reporting it done, reopening it, extending its due date.

A unit's ``/done`` changes its own part only; the task is done when every owner's
part is (``store.sync_status``). A recurring task's part is reported one occurrence
at a time (``mark_part(..., occurrence=)``, ``data.occurrences``) and the task stays
open. Every change leaves a line in the task's history with the unit whose part it was.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, func, literal_column, select, union_all
from sqlalchemy.orm import Session, selectinload

from data import occurrences
from data.clock import local_date
from data.deadlines import Deadline, DeadlineKind
from data.domain import AssignmentRole, ExtensionStatus, TaskAction, TaskStatus
from data.models import (
    Assignment,
    ExtensionRequest,
    PartFile,
    ProgressUpdate,
    Task,
    TaskEvent,
    Unit,
    UTCDateTime,
)
from data.store import sync_status
from data.taskview import Owed

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Change:
    """Who changes something, when, from where, and why."""

    at: datetime
    actor: str  # "Lan (telegram:42)", "cli", "web:admin"
    chat: str = ""  # "telegram:-100…", "" from the command line
    note: str = ""


def _event(
    task: Task,
    change: Change,
    action: TaskAction,
    unit: Unit | None,
    detail: str,
    occurrence: date | None = None,
) -> None:
    task.updated_at = change.at
    task.events.append(
        TaskEvent(
            at=change.at,
            action=action,
            actor=change.actor,
            chat=change.chat,
            detail=detail,
            unit_id=unit.id if unit is not None else None,
            occurrence=occurrence,
        )
    )


def mark_part(
    task: Task, part: Assignment, change: Change, *, done: bool, occurrence: date | None = None
) -> bool:
    """Report one owner's part done (or open it again); False when it already was.

    A recurring task's part closes one ``occurrence`` (its due date; the caller picks
    it, ``jobs.due.Due.current_occurrence`` for a bare /done): False when that one is
    closed already. Opening again names one too (None: the latest closed). The event
    in the history carries the occurrence; the part's ``done_at`` stays the old
    watermark (a report made before occurrences were named, or one made with no
    occurrence because the rule cannot be read): opening an occurrence it covers
    opens the part as before.
    """
    if task.deadline_kind is DeadlineKind.RECURRING and (occurrence is not None or not done):
        return _mark_occurrence(task, part, change, done=done, occurrence=occurrence)
    if done == (part.done_at is not None):
        return False
    if done:
        part.done_at, part.done_by = change.at, change.actor
        part.done_chat, part.done_note = change.chat, change.note
    else:
        _clear_done(part)
    action = TaskAction.DONE if done else TaskAction.REOPENED
    _event(task, change, action, part.unit, change.note)
    sync_status(task)
    return True


def _clear_done(part: Assignment) -> None:
    """Open again: a confirmed report is no longer one (nor waiting to be confirmed)."""
    part.done_at, part.done_by, part.done_chat, part.done_note = None, "", "", ""
    _forget_report(part)


def _is_reported(task: Task, part: Assignment, occurrence: date) -> bool:
    """Closed by its own report, or by the part's old watermark."""
    if occurrence in occurrences.of_part(task.events, part.unit_id):
        return True
    return part.done_at is not None and occurrence <= local_date(part.done_at)


def _occurrence_detail(occurrence: date, note: str) -> str:
    return f"kỳ hạn {occurrence:%d/%m/%Y}" + (f": {note}" if note else "")


def _mark_occurrence(
    task: Task, part: Assignment, change: Change, *, done: bool, occurrence: date | None
) -> bool:
    closed = occurrences.of_part(task.events, part.unit_id)
    watermark = local_date(part.done_at) if part.done_at is not None else None
    if done:
        assert occurrence is not None
        if _is_reported(task, part, occurrence):
            return False
    elif occurrence is None and closed:
        occurrence = max(closed)
    elif occurrence is None or occurrence not in closed:
        # Not closed by its own report: the old watermark may cover it (opened as before).
        if watermark is None or (occurrence is not None and occurrence > watermark):
            return False
        _clear_done(part)
        _event(task, change, TaskAction.REOPENED, part.unit, change.note)
        sync_status(task)
        return True
    action = TaskAction.DONE if done else TaskAction.REOPENED
    _event(task, change, action, part.unit, _occurrence_detail(occurrence, change.note), occurrence)
    sync_status(task)
    return True


def mark_task(task: Task, change: Change, *, done: bool) -> bool:
    """A task without owner parts (the office's own, or an unknown unit): the task itself."""
    if done == (task.status is TaskStatus.DONE):
        return False
    task.status = TaskStatus.DONE if done else TaskStatus.OPEN
    task.done_at = change.at if done else None
    _event(task, change, TaskAction.DONE if done else TaskAction.REOPENED, None, change.note)
    return True


def extend_part(task: Task, part: Assignment, to: date, change: Change) -> date | None:
    """Move a part's due date (the history keeps the old one); returns the old due date."""
    old = part.due_date()
    part.extended_to = to
    was = f"{old:%d/%m/%Y}" if old else "không có"
    reason = f": {change.note}" if change.note else ""
    _event(task, change, TaskAction.EXTENDED, part.unit, f"từ {was} đến {to:%d/%m/%Y}{reason}")
    return old


def set_confidential(task: Task, confidential: bool, change: Change) -> bool:
    if task.confidential == confidential:
        return False
    task.confidential = confidential
    _event(task, change, TaskAction.CONFIDENTIAL, None, "mật" if confidential else "bỏ mật")
    return True


def completions(
    session: Session, task_ids: Collection[int] | None = None
) -> dict[tuple[int, str], list[date]]:
    """(task number, unit code) → the days its part was reported done and not reopened since.

    A part done before parts had their own history (no unit on the event) counts its
    current completion only (the caller falls back to it). A recurring part's reports
    that name their occurrence are not here: the view carries them (``TaskView.closed``).
    """
    query = (
        select(Task.number, Unit.code, TaskEvent.action, TaskEvent.at)
        .join(TaskEvent, TaskEvent.task_id == Task.id)
        .join(Unit, Unit.id == TaskEvent.unit_id)
        .where(
            TaskEvent.action.in_([TaskAction.DONE, TaskAction.REOPENED]),
            TaskEvent.occurrence.is_(None),  # one occurrence's report: ``TaskView.closed``
        )
        .order_by(TaskEvent.id)
    )
    if task_ids is not None:
        query = query.where(Task.id.in_(list(task_ids)))
    found: defaultdict[tuple[int, str], list[date]] = defaultdict(list)
    for number, code, action, at in session.execute(query):
        days = found[(number, code)]
        if action is TaskAction.DONE:
            days.append(local_date(at))
        elif days:
            days.pop()
    return dict(found)


# -- extension requests (/giahan → /duyet or /tuchoi) ------------------------------------


def new_request_code() -> str:
    """Five characters, no look-alikes: short enough to type after /duyet."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))


def open_request(session: Session, part: Assignment) -> ExtensionRequest | None:
    return session.scalar(
        select(ExtensionRequest).where(
            ExtensionRequest.assignment_id == part.id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
    )


def request_extension(
    session: Session, task: Task, part: Assignment, to: date, change: Change
) -> ExtensionRequest:
    code = new_request_code()
    while session.scalar(select(ExtensionRequest.id).where(ExtensionRequest.code == code)):
        code = new_request_code()
    request = ExtensionRequest(
        code=code,
        assignment=part,
        requested_to=to,
        previous_due=part.due_date(),
        reason=change.note,
        requested_by=change.actor,
        requested_chat=change.chat,
        requested_at=change.at,
    )
    session.add(request)
    _event(task, change, TaskAction.EXTENSION_REQUESTED, part.unit, f"đến {to:%d/%m/%Y}")
    session.flush()
    return request


def request_for_update(session: Session, code: str) -> ExtensionRequest | None:
    return session.scalar(
        select(ExtensionRequest)
        .where(ExtensionRequest.code == code.strip().upper())
        .options(
            selectinload(ExtensionRequest.assignment).selectinload(Assignment.unit),
            selectinload(ExtensionRequest.assignment)
            .selectinload(Assignment.task)
            .selectinload(Task.document),
        )
        .with_for_update()
    )


def decide(request: ExtensionRequest, approve: bool, change: Change) -> None:
    """Approve (the part's due date moves) or refuse a pending request."""
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = (
        change.actor,
        change.at,
        change.note,
    )
    part = request.assignment
    if approve:
        extend_part(part.task, part, request.requested_to, change)
    else:
        _event(part.task, change, TaskAction.EXTENSION_REFUSED, part.unit, change.note)


def requests_of(session: Session, task: Task) -> list[ExtensionRequest]:
    part_ids = [a.id for a in task.assignments]
    if not part_ids:
        return []
    return list(
        session.scalars(
            select(ExtensionRequest)
            .where(ExtensionRequest.assignment_id.in_(part_ids))
            .order_by(ExtensionRequest.id)
        )
    )


_PENDING = ExtensionRequest.status == ExtensionStatus.PENDING


def pending_requests(
    session: Session, *, first: int = 0, limit: int | None = None
) -> list[ExtensionRequest]:
    """Extension requests waiting for the office, the oldest first; ``first``/``limit``:
    one page of them (a province's office may have hundreds)."""
    return list(
        session.scalars(
            select(ExtensionRequest)
            .where(_PENDING)
            .options(
                selectinload(ExtensionRequest.assignment).selectinload(Assignment.unit),
                selectinload(ExtensionRequest.assignment).selectinload(Assignment.task),
            )
            .order_by(ExtensionRequest.id)
            .offset(first)
            .limit(limit)
        )
    )


def count_pending_requests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ExtensionRequest).where(_PENDING)) or 0


# -- proposals read from prose (accepted by the office, or rejected) --------------------


def proposals_for_update(session: Session, numbers: Collection[int]) -> dict[int, Task]:
    rows = session.scalars(
        select(Task)
        .where(Task.number.in_(list(numbers)), Task.status == TaskStatus.PROPOSED)
        .options(selectinload(Task.assignments).selectinload(Assignment.unit))
        .with_for_update()
    )
    return {t.number: t for t in rows}


def accept_proposal(task: Task, change: Change) -> None:
    """A proposal becomes a task like any other (reminders, statuses, report).

    The office has read it: the review flag stays only for a deadline still unreadable
    (a task without an owner is the office's to finish, as for tables).
    """
    task.status = TaskStatus.OPEN
    task.needs_review = task.deadline_kind is DeadlineKind.UNREADABLE
    _event(task, change, TaskAction.ACCEPTED, None, change.note)


def reject_proposal(session: Session, task: Task) -> None:
    """A rejected proposal leaves nothing behind (the caller writes the audit entry)."""
    session.delete(task)


# -- progress on long tasks (/capnhat) and the office's confirmation ---------------------


def record_update(
    task: Task, part: Assignment, percent: int | None, text: str, change: Change
) -> ProgressUpdate:
    """A unit's progress on its part: kept with who, when and where; in the history too."""
    update = ProgressUpdate(
        at=change.at, percent=percent, text=text, by=change.actor, chat=change.chat
    )
    part.updates.append(update)
    shown = f"{percent}% — {text}" if percent is not None else text
    _event(task, change, TaskAction.PROGRESS, part.unit, shown)
    return update


def attach_file(
    task: Task,
    part: Assignment,
    name: str,
    content_type: str,
    size: int,
    sha256: str,
    change: Change,
) -> PartFile:
    """A file a unit sent with its part (its bytes already kept): in the history too."""
    kept = PartFile(
        task=task,
        unit=part.unit,
        name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        by=change.actor,
        chat=change.chat,
        at=change.at,
    )
    part.files.append(kept)
    _event(task, change, TaskAction.FILED, part.unit, f"{name} ({size:,} byte, {sha256[:12]})")
    return kept


def drop_file(session: Session, kept: PartFile) -> None:
    """A file's row deleted (the office purges a removed task's files); its bytes stay
    until no row refers to them (``part_files.sweep``)."""
    session.delete(kept)


def ask_for_file(task: Task, part: Assignment, at: datetime) -> bool:
    """A report without the product's file, on a task whose plan names a product: True
    the first time only (the unit is asked once, never again for this part)."""
    if not task.product or part.files or part.file_asked_at is not None:
        return False
    part.file_asked_at = at
    return True


def report_part(
    task: Task, part: Assignment, change: Change, *, occurrence: date | None = None
) -> bool:
    """Confirmation on: a unit's /done waits for the office ("chờ xác nhận").

    A recurring part reports one ``occurrence`` at a time (False when it is closed
    already, or another report still waits)."""
    if occurrence is not None and task.deadline_kind is DeadlineKind.RECURRING:
        if part.awaiting_confirmation or _is_reported(task, part, occurrence):
            return False
        part.reported_occurrence = occurrence
        detail = _occurrence_detail(occurrence, change.note)
    elif part.done_at is not None or part.reported_at is not None:
        return False
    else:
        detail = change.note
    part.reported_at, part.reported_by = change.at, change.actor
    part.reported_chat, part.reported_note = change.chat, change.note
    _event(task, change, TaskAction.REPORTED, part.unit, detail, occurrence)
    return True


def confirm_part(task: Task, part: Assignment, change: Change) -> bool:
    """The office confirms: the part (a recurring part: the occurrence reported) is done
    as of the day the unit reported it."""
    if not part.awaiting_confirmation or part.reported_at is None:
        return False
    occurrence = part.reported_occurrence
    if occurrence is not None:  # closed by the unit's own report, on the day it was sent
        sent = Change(part.reported_at, part.reported_by, part.reported_chat, part.reported_note)
        _event(
            task,
            sent,
            TaskAction.DONE,
            part.unit,
            _occurrence_detail(occurrence, sent.note),
            occurrence,
        )
        _forget_report(part)
    else:
        part.done_at, part.done_by = part.reported_at, part.reported_by
        part.done_chat, part.done_note = part.reported_chat, part.reported_note
    _event(task, change, TaskAction.CONFIRMED, part.unit, change.note, occurrence)
    sync_status(task)
    return True


def return_part(task: Task, part: Assignment, change: Change) -> bool:
    """The office returns a report: the part is open again with its old deadline."""
    if not part.awaiting_confirmation:
        return False
    occurrence = part.reported_occurrence
    _forget_report(part)
    _event(task, change, TaskAction.RETURNED, part.unit, change.note, occurrence)
    return True


def _forget_report(part: Assignment) -> None:
    part.reported_at, part.reported_by, part.reported_chat, part.reported_note = None, "", "", ""
    part.reported_occurrence = None


def awaiting_query() -> Any:
    """Reported parts waiting for the office, of live tasks: read from their own partial
    index, each part's task asked after it (a join would walk every live task first)."""
    live = select(Task.id).where(
        Task.id == Assignment.task_id, Task.status.in_([TaskStatus.OPEN, TaskStatus.DONE])
    )
    return select(Assignment).where(
        Assignment.reported_at.is_not(None),
        Assignment.done_at.is_(None) | Assignment.reported_occurrence.is_not(None),
        live.exists(),
    )


def awaiting_confirmation(session: Session, limit: int | None = None) -> list[Assignment]:
    """Reported parts the office has yet to confirm, of tasks still live (not removed
    from their document, not proposals), the oldest report first; ``limit``: the first
    ones only (the dashboard's list)."""
    return list(
        session.scalars(
            awaiting_query()
            .options(selectinload(Assignment.unit), selectinload(Assignment.task))
            .order_by(Assignment.reported_at)
            .limit(limit)
        )
    )


def count_awaiting_confirmation(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(awaiting_query().subquery())) or 0


@dataclass(frozen=True)
class LastUpdate:
    at: date
    percent: int | None
    text: str


def last_updates(session: Session) -> dict[tuple[int, str], LastUpdate]:
    """(task number, unit code) → the part's latest progress update."""
    rows = session.execute(
        select(
            Task.number, Unit.code, ProgressUpdate.at, ProgressUpdate.percent, ProgressUpdate.text
        )
        .join(Assignment, Assignment.task_id == Task.id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(ProgressUpdate, ProgressUpdate.assignment_id == Assignment.id)
        .order_by(ProgressUpdate.id)
    )
    found: dict[tuple[int, str], LastUpdate] = {}
    for number, code, at, percent, text in rows:
        found[(number, code)] = LastUpdate(local_date(at), percent, text)
    return found


def unreported_parts(
    session: Session,
    since: datetime,
    unit_id: int | None = None,
    shown: int = 12,
    units: int | None = None,
) -> dict[str, Owed]:
    """Unit code → its long tasks (terms, ongoing) whose part has no progress update
    since ``since`` (the quarter's start): what the office chases after the check-in.

    For every unit owing, how many; the first ``shown`` numbers for the ``units`` units
    owing the most (all when None; ties by code, the order every list shows them in).
    Units in code order. One statement over the facts the parts keep (``part_facts``):
    one partial index of ``assignments``, no join with the tasks; the quarter's updates
    read once (NOT IN), not probed once per part.
    """
    numbers: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    given = {"since": since, "shown": shown, "unit_id": unit_id, "units": units}
    bounds = {name: value for name, value in given.items() if value is not None}
    statement = _unreported_statement(unit_id is not None, units is not None)
    for code, number, owed in session.execute(statement, bounds).all():
        if owed is not None:
            counts[code] = int(owed)
        else:
            numbers.setdefault(code, []).append(number)
    return {
        code: Owed(counts[code], tuple(sorted(numbers.get(code, ())))) for code in sorted(counts)
    }


@cache
def _unreported_statement(one_unit: bool, top_units: bool) -> Any:
    """Built once per process (bounds bound at each run): (unit code, NULL, how many)
    for each unit owing, (unit code, number, NULL) for the first numbers listed."""
    a = Assignment
    reported = select(ProgressUpdate.assignment_id).where(
        ProgressUpdate.at >= bindparam("since", type_=UTCDateTime)
    )
    owing = [a.reports_progress == True, a.id.not_in(reported)]  # noqa: E712
    if one_unit:
        owing.append(a.unit_id == bindparam("unit_id", type_=Integer))
    counts = (
        select(a.unit_id, func.count().label("owed"))
        .where(*owing)
        .group_by(a.unit_id)
        .cte("owed_counts")
    )
    if top_units:  # the numbers only of the units a message has room for
        top = (
            select(counts.c.unit_id)
            .join(Unit, Unit.id == counts.c.unit_id)
            .order_by(counts.c.owed.desc(), Unit.code)
            .limit(bindparam("units", type_=Integer))
        )
        owing.append(a.unit_id.in_(top))
    rank = func.row_number().over(partition_by=a.unit_id, order_by=a.task_number)
    ranked = select(a.unit_id, a.task_number, rank.label("rank")).where(*owing).subquery()
    nothing: Any = literal_column("NULL")
    rows = union_all(
        select(counts.c.unit_id, nothing.label("task_number"), counts.c.owed),
        select(ranked.c.unit_id, ranked.c.task_number, nothing).where(
            ranked.c.rank <= bindparam("shown", type_=Integer)
        ),
    ).subquery()
    return select(Unit.code, rows.c.task_number, rows.c.owed).join(Unit, Unit.id == rows.c.unit_id)


# -- the office's console: proposals edited, a waiting task given its date ---------------


def edit_proposal(
    task: Task,
    change: Change,
    *,
    title: str | None = None,
    owner: Unit | None = None,
    deadline: Deadline | None = None,
) -> list[str]:
    """The office's reading of a proposal before it accepts it: a title, one owner (the
    lead; cooperating units stay), a deadline typed as a phrase. The sentence it was read
    from stays as it was (``source_text``); the history says what changed."""
    changed: list[str] = []
    title = (title or "").strip()
    if title and title != task.title:
        task.title = title
        changed.append("tiêu đề")
    if owner is not None and [a.unit_id for a in task.owners] != [owner.id]:
        existing = next((a for a in task.assignments if a.unit_id == owner.id), None)
        part = existing or Assignment(unit=owner)
        part.role, part.position = AssignmentRole.OWNER, 0
        others = [
            a
            for a in task.assignments
            if a.role is AssignmentRole.COOPERATING and a.unit_id != owner.id
        ]
        task.set_parts([part, *others])
        changed.append(f"đơn vị chủ trì: {owner.name}")
    if deadline is not None and (deadline.raw, deadline.kind, deadline.due) != (
        task.deadline_raw,
        task.deadline_kind,
        task.due_date,
    ):
        old = task.deadline_raw
        note = f"Văn phòng sửa thời hạn: «{deadline.raw}»"
        if old and old != deadline.raw:
            note += f" (văn bản ghi «{old}»)"
        if deadline.note:
            note += f"; {deadline.note}"
        task.deadline_raw, task.deadline_kind = deadline.raw, deadline.kind
        task.start_date, task.due_date, task.rrule = deadline.start, deadline.due, deadline.rrule
        task.deadline_note, task.deadline_suggestion = note, deadline.suggestion
        changed.append(f"thời hạn: «{deadline.raw}»")
    if changed:
        _event(task, change, TaskAction.UPDATED, None, "văn phòng sửa " + "; ".join(changed))
    return changed


def set_owners(task: Task, owners: Sequence[Unit], change: Change) -> bool:
    """The office names the owner units (lead first). A unit that stays keeps its part —
    its completion, extension and updates; a new one starts open; cooperating units that
    are not owners now stay. Naming the document's own owners makes them the office's
    word too (a re-import keeps them). False when nothing changes."""
    wanted = [u.id for u in owners]
    if [a.unit_id for a in task.owners] == wanted and task.owners_fixed_by_office:
        return False  # the same owners, already the office's word
    existing = {a.unit_id: a for a in task.assignments}
    chosen: list[Assignment] = []
    for position, unit in enumerate(owners):
        part = existing.get(unit.id) or Assignment(unit=unit)
        part.role, part.position = AssignmentRole.OWNER, position
        chosen.append(part)
    others = [
        a
        for a in task.assignments
        if a.role is AssignmentRole.COOPERATING and a.unit_id not in wanted
    ]
    task.set_parts([*chosen, *others])
    task.owners_fixed_by_office = True  # a re-import of the document keeps them
    task.needs_review = task.deadline_kind is DeadlineKind.UNREADABLE
    names = ", ".join(u.name for u in owners)
    _event(task, change, TaskAction.UPDATED, None, f"văn phòng giao đơn vị chủ trì: {names}")
    sync_status(task)
    return True


def set_deadline(task: Task, deadline: Deadline, change: Change) -> bool:
    """The office's reading of a task's deadline (a phrase read by the one reader). The
    deadline as the document wrote it stays (``deadline_raw``); the office's words are
    the note and the history. False when nothing changes."""
    current = (task.deadline_kind, task.due_date, task.start_date, task.rrule)
    wanted = (deadline.kind, deadline.due, deadline.start, deadline.rrule)
    if current == wanted:
        return False
    task.deadline_kind = deadline.kind
    task.start_date, task.due_date, task.rrule = deadline.start, deadline.due, deadline.rrule
    task.deadline_fixed_by_office = True  # a re-import of the document keeps it
    note = f"Văn phòng đặt thời hạn «{deadline.raw}»" + (
        f"; {deadline.note}" if deadline.note else ""
    )
    task.deadline_note, task.deadline_suggestion = note, None
    for part in task.owners:  # every owner follows the office's new reading
        part.extended_to = None
    task.needs_review = deadline.kind is DeadlineKind.UNREADABLE or not task.owners
    said = f"hạn {deadline.due:%d/%m/%Y}" if deadline.due else f"thời hạn «{deadline.raw}»"
    why = f": {change.note}" if change.note else ""
    _event(task, change, TaskAction.UPDATED, None, f"văn phòng đặt {said}{why}")
    return True
