"""Writing imports into the store and reading tasks back.

Re-importing a document updates it in place: a task is "the same" when its
document key and source key (appendix, section refs, TT, occurrence) match, so no
duplicates appear, its number never changes, and a task already done stays done.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from data.clock import VN_TZ, local_date
from data.deadlines import DeadlineKind
from data.domain import ItemKind, TaskAction, TaskStatus
from data.importers.interpret import ParsedDocument, ParsedItem
from data.models import Document, Task, TaskEvent, TaskUnit, Unit, UnitAlias
from data.taskview import TaskView
from data.text import unit_key
from data.units import DEFAULT_UNITS, UnitInfo, UnitRegistry

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
) -> SaveOutcome:
    document = session.scalar(select(Document).where(Document.key == key))
    if document is None:
        document = Document(key=key, doc_date=parsed.doc_date, imported_at=now)
        session.add(document)
    document.title, document.doc_date = parsed.title, parsed.doc_date
    document.source_name, document.sha256, document.imported_at = source_name, sha256, now
    session.flush()
    outcome = SaveOutcome(document.id)

    units = {u.code: u for u in session.scalars(select(Unit))}
    existing = {
        t.source_key: t
        for t in session.scalars(
            select(Task)
            .where(Task.document_id == document.id)
            .options(selectinload(Task.owners).selectinload(TaskUnit.unit))
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
            task = Task(
                number=next_number,
                document=document,
                source_key=item.source_key,
                status=item.status,
                created_at=now,
                updated_at=now,
                # "Đã ban hành": done by the document's date, not at the import
                done_at=as_of(parsed.doc_date) if item.status == TaskStatus.DONE else None,
                **values,
            )
            next_number += 1
            session.add(task)
            _set_owners(task, item.units, units)
            task.events.append(
                TaskEvent(at=now, action=TaskAction.IMPORTED, actor=actor, detail=key)
            )
            outcome.created.append(task.number)
            continue
        task.origin = values.pop("origin")  # rows move when lines are added above: not a change
        changed = [name for name, value in values.items() if getattr(task, name) != value]
        if task.unit_codes != item.units:
            changed.append("units")
            _set_owners(task, item.units, units)
        for name in changed:
            if name != "units":
                setattr(task, name, values[name])
        if task.status is TaskStatus.REMOVED:
            task.status = TaskStatus.OPEN
            changed.append("status")
        if item.deadline.kind is DeadlineKind.DONE and task.status is TaskStatus.OPEN:
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


def _set_owners(task: Task, codes: Sequence[str], units: dict[str, Unit]) -> None:
    task.owners = [
        TaskUnit(unit=units[code], position=i) for i, code in enumerate(codes) if code in units
    ]


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
    query = select(Task).options(selectinload(Task.owners).selectinload(TaskUnit.unit))
    if unit:
        found = find_unit(session, unit)
        query = query.join(TaskUnit).where(TaskUnit.unit_id == (found.id if found else -1))
    if kind:
        query = query.where(Task.deadline_kind == kind)
    if status:
        query = query.where(Task.status == status)
    if item_kind:
        query = query.where(Task.item_kind == item_kind)
    if needs_review is not None:
        query = query.where(Task.needs_review == needs_review)
    return list(session.scalars(query.order_by(Task.number)))


def to_view(task: Task, anchor: Any = None) -> TaskView:
    return TaskView(
        number=task.number,
        title=task.title,
        units=task.unit_codes,
        kind=task.deadline_kind,
        raw_deadline=task.deadline_raw,
        start=task.start_date,
        due=task.due_date,
        rrule=task.rrule,
        anchor=anchor,
        done_on=(
            local_date(task.done_at) if task.status is TaskStatus.DONE and task.done_at else None
        ),
        needs_review=task.needs_review,
    )


_K = DeadlineKind
_CHECKIN_KINDS = (_K.TERM, _K.ONGOING, _K.FROM, _K.DUE_THEN_ONGOING)
_DATED_KINDS = (_K.DUE, _K.TERM, _K.DUE_THEN_ONGOING)


def task_views(
    session: Session,
    *,
    today: date | None = None,
    due_dates: Collection[date] = (),
    checkin: bool = False,
) -> list[TaskView]:
    """Live tasks (not targets, not removed) as the daily scan sees them.

    Without ``today``: every one. With it, only those that can give that morning an
    item, so the scan's cost follows what is due rather than the table: open dated
    tasks due by ``today`` (overdue) or on one of ``due_dates`` (today's ladder
    targets), every recurring task, the check-in kinds on a check-in day, and what
    the office must review.
    """
    query = select(Task).where(Task.item_kind == ItemKind.TASK, Task.status != TaskStatus.REMOVED)
    if today is not None:
        open_then = (Task.status == TaskStatus.OPEN) | (
            Task.done_at >= as_of(today + timedelta(days=1))
        )
        dated = (
            open_then
            & Task.deadline_kind.in_(_DATED_KINDS)
            & ((Task.due_date <= today) | Task.due_date.in_(list(due_dates)))
        )
        wanted = [
            dated,
            Task.deadline_kind == DeadlineKind.RECURRING,
            Task.needs_review.is_(True),
            Task.deadline_kind == DeadlineKind.UNREADABLE,
            Task.deadline_kind.in_(_DATED_KINDS) & Task.due_date.is_(None),
            ~Task.owners.any(),
        ]
        if checkin:
            wanted.append(Task.deadline_kind.in_(_CHECKIN_KINDS))
        query = query.where(or_(*wanted))
    rows = session.scalars(
        query.options(
            selectinload(Task.owners).selectinload(TaskUnit.unit), selectinload(Task.document)
        ).order_by(Task.number)
    )
    return [to_view(t, t.document.doc_date) for t in rows]


_OWNERS = selectinload(Task.owners).selectinload(TaskUnit.unit)


def live_tasks(session: Session, unit_id: int | None = None) -> list[Task]:
    """Tasks (not targets, not removed) with owners and document; one unit's when given."""
    query = (
        select(Task)
        .where(Task.item_kind == ItemKind.TASK, Task.status != TaskStatus.REMOVED)
        .options(_OWNERS, selectinload(Task.document))
        .order_by(Task.number)
    )
    if unit_id is not None:
        query = query.join(TaskUnit).where(TaskUnit.unit_id == unit_id)
    return list(session.scalars(query))


def tasks_for_update(session: Session, numbers: Collection[int]) -> dict[int, Task]:
    """The tasks with these numbers, locked for a status change, by number."""
    rows = session.scalars(
        select(Task)
        .where(Task.number.in_(list(numbers)), Task.item_kind == ItemKind.TASK)
        .options(_OWNERS)
        .with_for_update()
    )
    return {t.number: t for t in rows}


def task_with_history(session: Session, number: int) -> Task | None:
    """One task with its owners, document and history (for /chitiet)."""
    return session.scalar(
        select(Task)
        .where(Task.number == number, Task.item_kind == ItemKind.TASK)
        .options(_OWNERS, selectinload(Task.events), selectinload(Task.document))
    )


def document_numbers(session: Session, document_id: int) -> dict[str, int]:
    """Source key → task number for one document (what the import review prints)."""
    rows = session.execute(
        select(Task.source_key, Task.number).where(Task.document_id == document_id)
    )
    return {row.source_key: row.number for row in rows}
