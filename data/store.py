"""Writing imports into the store and reading tasks back.

Re-importing a document updates it in place: a task is "the same" when its
document key and source key (appendix, section refs, TT, occurrence) match, so no
duplicates appear, its number never changes, and a task already done stays done.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.clock import VN_TZ, local_date
from data.deadlines import DeadlineKind
from data.domain import AssignmentRole, ItemKind, TaskAction, TaskStatus
from data.importers.interpret import ParsedDocument, ParsedItem
from data.models import Assignment, Document, Task, TaskEvent, Unit, UnitAlias
from data.taskview import TaskView
from data.text import unit_key
from data.units import DEFAULT_UNITS, UnitInfo, UnitRegistry, derive_code, is_chi_bo_name

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
    """A new office's units, from the names its plan uses (codes derived, unique)."""
    taken = {u.code for u in list_units(session)}
    added = []
    for name in names:
        if find_unit(session, name) is not None:
            continue
        code = derive_code(name, taken)
        info = UnitInfo(code, name, is_chi_bo_name(name))
        add_unit(session, info)
        taken.add(code)
        added.append(info)
    return added


def load_registry(session: Session) -> UnitRegistry:
    units = session.scalars(select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.id))
    return UnitRegistry(
        [UnitInfo(u.code, u.name, u.is_chi_bo, tuple(a.alias for a in u.aliases)) for u in units]
    )


# -- imports -------------------------------------------------------------------


@dataclass
class SaveOutcome:
    document_id: int
    created: list[int] = field(default_factory=list)  # task numbers
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def _fields(item: ParsedItem) -> dict[str, Any]:
    d = item.deadline
    return {
        "item_kind": item.kind,
        "appendix": item.appendix,
        "section": SECTION_SEPARATOR.join(item.section),
        "ref": item.ref,
        "origin": item.origin,
        "title": item.title,
        "unit_text": item.unit_text,
        "value": item.value,
        "extra": dict(item.extra),
        "deadline_raw": d.raw,
        "deadline_kind": d.kind.value,
        "start_date": d.start,
        "due_date": d.due,
        "rrule": d.rrule,
        "deadline_note": d.note,
        "deadline_suggestion": d.suggestion,
        "needs_review": item.needs_review,
    }


def save_document(
    session: Session,
    parsed: ParsedDocument,
    *,
    key: str,
    source_name: str,
    sha256: str,
    now: datetime,
    actor: str = "import",
    confidential: bool = False,
) -> SaveOutcome:
    document = session.scalar(select(Document).where(Document.key == key))
    if document is None:
        document = Document(key=key, doc_date=parsed.doc_date, imported_at=now)
        session.add(document)
    document.title, document.doc_date = parsed.title, parsed.doc_date
    document.source_name, document.sha256, document.imported_at = source_name, sha256, now
    document.confidential = document.confidential or confidential
    session.flush()
    outcome = SaveOutcome(document.id)

    units = {u.code: u for u in session.scalars(select(Unit))}
    existing = {
        t.source_key: t
        for t in session.scalars(
            select(Task).where(Task.document_id == document.id).options(_PARTS)
        )
    }
    next_number = (session.scalar(select(func.max(Task.number))) or 0) + 1
    seen: set[str] = set()
    # Tasks take the small numbers users type; targets (chỉ tiêu) are numbered after them.
    for item in sorted(parsed.items, key=lambda i: i.kind != ItemKind.TASK):
        seen.add(item.source_key)
        values = _fields(item)
        task = existing.get(item.source_key)
        if task is None:
            # "Đã ban hành": done by the document's date, not at the import
            done_at = as_of(parsed.doc_date) if item.status == TaskStatus.DONE else None
            task = Task(
                number=next_number,
                document=document,
                source_key=item.source_key,
                status=TaskStatus(item.status),
                created_at=now,
                updated_at=now,
                done_at=done_at,
                **values,
            )
            next_number += 1
            session.add(task)
            _set_parts(task, item, units)
            for part in task.owners:
                part.done_at = done_at
            task.events.append(
                TaskEvent(at=now, action=TaskAction.IMPORTED, actor=actor, detail=key)
            )
            outcome.created.append(task.number)
            continue
        task.origin = values.pop("origin")  # rows move when lines are added above: not a change
        changed = [name for name, value in values.items() if getattr(task, name) != value]
        if _part_codes(task) != _wanted_codes(item, units):
            changed.append("units")
            _set_parts(task, item, units)
        for name in changed:
            if name != "units":
                setattr(task, name, values[name])
        if task.status is TaskStatus.REMOVED:
            task.status = TaskStatus.OPEN
            changed.append("status")
        sync_status(task)
        if item.deadline.kind is DeadlineKind.DONE and task.status is TaskStatus.OPEN:
            for part in task.owners:
                part.done_at = part.done_at or now
            task.status, task.done_at = TaskStatus.DONE, now
            task.events.append(
                TaskEvent(at=now, action=TaskAction.DONE, actor=actor, detail="văn bản ghi đã xong")
            )
        if changed:
            task.updated_at = now
            task.events.append(
                TaskEvent(at=now, action=TaskAction.UPDATED, actor=actor, detail=", ".join(changed))
            )
            outcome.updated.append(task.number)
        else:
            outcome.unchanged.append(task.number)
    for source_key, task in existing.items():
        if source_key not in seen and task.status is not TaskStatus.REMOVED:
            task.status, task.updated_at = TaskStatus.REMOVED, now
            task.events.append(
                TaskEvent(
                    at=now,
                    action=TaskAction.REMOVED,
                    actor=actor,
                    detail="không còn trong văn bản",
                )
            )
            outcome.removed.append(task.number)
    session.flush()
    return outcome


def as_of(day: date) -> datetime:
    """The start of a day in Vietnam, as an aware moment."""
    return datetime.combine(day, time(), VN_TZ)


def _wanted_codes(
    item: ParsedItem, units: dict[str, Unit]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    owners = tuple(dict.fromkeys(c for c in item.units if c in units))
    cooperating = tuple(
        dict.fromkeys(c for c in getattr(item, "cooperating", ()) if c in units and c not in owners)
    )
    return owners, cooperating


def _part_codes(task: Task) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return task.unit_codes, tuple(a.unit.code for a in task.cooperating)


def _set_parts(task: Task, item: ParsedItem, units: dict[str, Unit]) -> None:
    """Owner and cooperating parts as the document says; a part kept keeps its completion."""
    current = {a.unit.code: a for a in task.assignments}
    owners, cooperating = _wanted_codes(item, units)
    parts: list[Assignment] = []
    for role, codes in ((AssignmentRole.OWNER, owners), (AssignmentRole.COOPERATING, cooperating)):
        for position, code in enumerate(codes):
            part = current.get(code) or Assignment(unit=units[code])
            part.role, part.position = role, position
            parts.append(part)
    task.assignments = parts


def sync_status(task: Task) -> None:
    """A task is done when every owner has reported its part; its done_at is the last report.

    Removed and proposed tasks keep their status; a task without owners keeps its own.
    """
    if task.status in (TaskStatus.REMOVED, TaskStatus.PROPOSED):
        return
    owners = task.owners
    if not owners:
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
    query = select(Task).options(_PARTS)
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


def task_view(task: Task, part: Assignment | None = None) -> TaskView:
    """What the plan and the commands read: one owner's part (or, without one, the task)."""
    if part is None:
        units: tuple[str, ...] = ()
        done_at = task.done_at if task.status is TaskStatus.DONE else None
        due = task.due_date
    else:
        units, done_at, due = (part.unit.code,), part.done_at, part.due_date()
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
    )


def part_views(task: Task, unit_id: int | None = None) -> list[TaskView]:
    """One view per owner part (only ``unit_id``'s when given); a task without owners: one."""
    owners = task.owners
    if not owners:
        return [task_view(task)] if unit_id is None else []
    return [task_view(task, part) for part in owners if unit_id is None or part.unit_id == unit_id]


_CHECKIN_KINDS = [k for k in DeadlineKind if k.has_checkins]
_DATED_KINDS = [k for k in DeadlineKind if k.is_dated]


def task_views(
    session: Session,
    *,
    today: date | None = None,
    due_dates: Collection[date] = (),
    checkin: bool = False,
) -> list[TaskView]:
    """Live tasks (not targets, not removed, not proposed), one view per owner part.

    Without ``today``: every one. With it, only those that can give that morning an
    item, so the scan's cost follows what is due rather than the table: open dated
    parts due by ``today`` (overdue) or on one of ``due_dates`` (today's ladder
    targets), every recurring task, the check-in kinds on a check-in day, and what
    the office must review. Each of those is its own indexed query (an OR of them
    defeats every index); their task ids are united here.
    """
    live = Task.item_kind == ItemKind.TASK
    if today is None:
        ids = select(Task.id).where(live, Task.status.in_(_LIVE))
        return _views_of(session, ids)
    tomorrow = as_of(today + timedelta(days=1))
    open_then = (Task.status == TaskStatus.OPEN) | (
        (Task.status == TaskStatus.DONE) & (Task.done_at >= tomorrow)
    )
    wanted_days = list(due_dates)
    due_soon = (Task.due_date <= today) | Task.due_date.in_(wanted_days)
    extended_soon = (Assignment.extended_to <= today) | Assignment.extended_to.in_(wanted_days)
    in_store = Task.status.in_(_LIVE)
    queries = [
        select(Task.id).where(
            live, Task.status == TaskStatus.OPEN, Task.deadline_kind.in_(_DATED_KINDS), due_soon
        ),
        select(Task.id).where(
            live,
            Task.status == TaskStatus.DONE,
            Task.done_at >= tomorrow,
            Task.deadline_kind.in_(_DATED_KINDS),
        ),
        select(Assignment.task_id).where(Assignment.extended_to.is_not(None), extended_soon),
        select(Task.id).where(live, Task.deadline_kind == DeadlineKind.RECURRING, in_store),
        select(Task.id).where(live, Task.needs_review.is_(True), open_then),
        select(Task.id).where(live, Task.deadline_kind == DeadlineKind.UNREADABLE, open_then),
        select(Task.id).where(
            live, Task.deadline_kind.in_(_DATED_KINDS), Task.due_date.is_(None), open_then
        ),
        select(Task.id).where(live, open_then, ~Task.assignments.any()),
    ]
    if checkin:
        queries.append(
            select(Task.id).where(live, Task.deadline_kind.in_(_CHECKIN_KINDS), in_store)
        )
    found: set[int] = set()
    for query in queries:
        found.update(session.scalars(query))
    return _views_of(session, select(Task.id).where(Task.id.in_(found)) if found else None)


# Tasks the plan and the commands read; recurring and check-in tasks matter done or not
# (a recurring task's next occurrence; due-then-ongoing: its check-ins start when done).
_LIVE = (TaskStatus.OPEN, TaskStatus.DONE)


def _views_of(session: Session, ids: Any) -> list[TaskView]:
    if ids is None:
        return []
    rows = session.scalars(
        select(Task)
        .where(Task.id.in_(ids), Task.status.in_(_LIVE))
        .options(_PARTS, selectinload(Task.document))
        .order_by(Task.number)
    )
    return [view for task in rows for view in part_views(task)]


_PARTS = selectinload(Task.assignments).selectinload(Assignment.unit)


def live_tasks(session: Session, unit_id: int | None = None) -> list[Task]:
    """Tasks (not targets, not removed) with owners and document; one unit's when given."""
    query = (
        select(Task)
        .where(Task.item_kind == ItemKind.TASK, Task.status.in_(_LIVE))
        .options(_PARTS, selectinload(Task.document))
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
        .options(_PARTS, selectinload(Task.document))
        .with_for_update()
    )
    return {t.number: t for t in rows}


def task_with_history(session: Session, number: int) -> Task | None:
    """One task with its owners, document and history (for /chitiet)."""
    return session.scalar(
        select(Task)
        .where(Task.number == number, Task.item_kind == ItemKind.TASK)
        .options(_PARTS, selectinload(Task.events), selectinload(Task.document))
    )


def document_numbers(session: Session, document_id: int) -> dict[str, int]:
    """Source key → task number for one document (what the import review prints)."""
    rows = session.execute(
        select(Task.source_key, Task.number).where(Task.document_id == document_id)
    )
    return {row.source_key: row.number for row in rows}
