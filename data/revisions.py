"""Re-importing a document: which document it revises, and which task each row is.

The document is known by itself (its file, number, title and date, content) or by the
clerk's ``--key``; each row of the revised plan is matched to its task by content
(title, owners and deadline as written, section, then place), so no duplicates appear,
a task's number never changes, a completion never moves to another task, and a task
missing once comes back as it was. Rows that share a title and cannot be told apart
are never guessed: they are listed for the clerk (``SaveOutcome.ambiguous``).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from data.deadlines import DeadlineKind
from data.domain import AssignmentRole, ItemKind, TaskAction, TaskStatus
from data.importers.interpret import ParsedDocument, ParsedItem
from data.models import Assignment, Document, Task, TaskEvent, Unit, part_facts, search_key
from data.store import SECTION_SEPARATOR, WITH_PARTS, as_of, sync_status
from data.text import fold


class KnownBy(StrEnum):
    """Why an imported document is one already in the store (a revision of it)."""

    KEY = "key"  # the clerk's --key
    FILE = "file"  # the very same file (sha256)
    NUMBER = "number"  # its number (số hiệu), the same year
    TITLE_DATE = "title_date"  # its title and its date
    CONTENT = "content"  # most of its rows (and its title, or nearly every row)


@dataclass(frozen=True)
class Place:
    """Where a task is in its document and what it says (what the review prints)."""

    appendix: str
    ref: str
    title: str
    done: bool = False
    owners: str = ""  # as written in the document
    deadline: str = ""  # as written


@dataclass(frozen=True)
class Namesakes:
    """Tasks and rows sharing one title that neither owner, deadline nor section tells
    apart: the rows are added and the tasks removed (their completions kept), never
    guessed; the review asks the clerk to settle them."""

    title: str
    appendix: str
    tasks: tuple[int, ...]  # the stored tasks of that title (now removed)
    added: tuple[int, ...]  # the rows' new tasks


class Aspect(StrEnum):
    """What of a task the review tells the clerk about, old → new."""

    TITLE = "title"
    OWNERS = "owners"  # the owner units' names
    DEADLINE = "deadline"  # as written in the document
    PRODUCT = "product"  # the "Sản phẩm" cell: what the task delivers


@dataclass(frozen=True)
class FieldChange:
    """One aspect of a task in a revision: ``old`` → ``new`` as the document writes it.

    ``kept``: the office set it (``tasks date``, "Đặt hạn", its owners) and the import
    left it so; ``old`` is then the office's value (a deadline: its date, dd/mm/yyyy)
    and ``new`` what the document writes.
    """

    aspect: Aspect
    old: str
    new: str
    kept: bool = False

    @property
    def shown(self) -> bool:
        """Worth a line: something differs, or the office's word was kept."""
        return self.kept or self.old != self.new


@dataclass(frozen=True)
class Match:
    """A task found again in a revised plan, with what changed in it."""

    number: int
    appendix: str
    old_ref: str
    new_ref: str
    old_title: str
    new_title: str
    similarity: float  # of the folded titles (difflib); 1.0: the same title
    changes: tuple[str, ...]  # the fields that changed: "ref", "title", "units", …
    # what the clerk reads: old → new per aspect, and what the office's word kept
    fields: tuple[FieldChange, ...] = ()

    @property
    def moved(self) -> bool:
        return self.old_ref != self.new_ref

    @property
    def renamed(self) -> bool:
        return self.old_title != self.new_title


@dataclass
class SaveOutcome:
    document_id: int
    created: list[int] = field(default_factory=list)  # task numbers
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    restored: list[int] = field(default_factory=list)  # back after a revision without them
    matched: list[Match] = field(default_factory=list)  # found again, and changed
    # (removed, added): the same place in the plan, its content too different to be one task
    replaced: list[tuple[int, int]] = field(default_factory=list)
    places: dict[int, Place] = field(default_factory=dict)  # of created, removed, restored
    document_key: str = ""
    known_by: KnownBy | None = None  # None: a new document
    ambiguous: list[Namesakes] = field(default_factory=list)
    proposed: list[int] = field(default_factory=list)  # read from prose: the office decides
    # every proposal of the document by its source key, new or stored before (the review
    # prints each sentence's own number, not the new ones' in order)
    proposal_numbers: dict[str, int] = field(default_factory=dict)


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
        "product": item.product,
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


# Task identity in a revised plan: the content, then the place. Titles are compared
# folded (data.text.fold) with difflib's ratio, within one appendix.
SAME_TITLE = 0.8  # this close, in the same section: the same task (a light edit)
SAME_TITLE_ELSEWHERE = 0.9  # this close, from another section of the appendix
REWORDED = 0.5  # this close at the same place (TT), same owners, same deadline: reworded
_WORD_SHARE = 0.4  # titles sharing fewer of their words are not compared further
_IMPORT_LOCK = 0x6E68_6163  # PostgreSQL advisory lock: one import at a time


def lock_numbers(session: Session) -> None:
    """Hold the store's import lock until this transaction ends.

    Task numbers and document keys are given by one import at a time: a second
    import waits here, then reads the numbers the first one took (PostgreSQL: an
    advisory lock; SQLite: its write lock, taken now rather than at the first insert).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_IMPORT_LOCK)))
    else:
        session.execute(
            update(Document)
            .where(Document.id == -1)
            .values(key=Document.key)
            .execution_options(synchronize_session=False)
        )


def next_task_number(session: Session) -> int:
    """The first free task number; call ``lock_numbers`` first in the same transaction."""
    return (session.scalar(select(func.max(Task.number))) or 0) + 1


def save_document(
    session: Session,
    parsed: ParsedDocument,
    *,
    key: str | None = None,
    source_name: str,
    sha256: str,
    now: datetime,
    actor: str = "import",
    confidential: bool = False,
    new: bool = False,
) -> SaveOutcome:
    """Save an import: a new document, or a revision of one already in the store.

    ``key`` (the clerk's ``--key``) names the document: the same key is a revision.
    Without it the document is known by itself (``find_document``); a new one gets
    a key from the file's name, made unique. In a revision each row is matched to
    a task by content (``match_rows``): a task found again keeps its number, its
    parts and their completions; a row that matches none is a new task; a task that
    matches no row is ``removed`` (its completions kept, should it come back).
    ``new``: the clerk says this is a new document, whatever it resembles.
    """
    lock_numbers(session)
    document, known_by = (
        (None, None)
        if new and key is None
        else find_document(session, parsed, key=key, sha256=sha256)
    )
    if document is None:
        known_by = None
        document = Document(
            key=key if key is not None else _free_key(session, source_name),
            doc_date=parsed.doc_date,
            imported_at=now,
            revisions=0,
        )
        session.add(document)
    document.title, document.doc_date = parsed.title, parsed.doc_date
    document.title_key = fold(parsed.title)[:300]
    document.number = _document_number(parsed) or document.number or ""
    document.revisions = (document.revisions or 0) + 1
    document.source_name, document.sha256, document.imported_at = source_name, sha256, now
    document.confidential = document.confidential or confidential
    session.flush()
    outcome = SaveOutcome(document.id, document_key=document.key, known_by=known_by)

    units = {u.code: u for u in session.scalars(select(Unit))}
    # The rows of the document's tables; tasks read from its prose (proposed, or accepted
    # since) are the office's to keep or drop, never matched or removed here.
    tasks = list(
        session.scalars(
            select(Task)
            .where(
                Task.document_id == document.id,
                Task.status != TaskStatus.PROPOSED,
                Task.source_text == "",
            )
            .options(WITH_PARTS)
            .order_by(Task.id)
        )
    )
    # Tasks take the small numbers users type; targets (chỉ tiêu) are numbered after them.
    items = sorted(parsed.items, key=lambda i: i.kind != ItemKind.TASK)
    matches = match_rows(items, tasks)
    found = matches.found
    _rekey(
        session,
        tasks,
        {found[i][0].id: item.source_key for i, item in enumerate(items) if i in found},
    )
    next_number = next_task_number(session)
    added: dict[int, int] = {}  # item index → new task number
    fresh: list[tuple[ParsedItem, dict[str, Any]]] = []  # the new tasks' rows, in bulk
    for index, item in enumerate(items):
        values = _fields(item)
        if index not in found:
            # "Đã ban hành": done by the document's date, not at the import
            done_at = as_of(parsed.doc_date) if item.status == TaskStatus.DONE else None
            row = _new_row(item, next_number, document.id, TaskStatus(item.status), now, done_at)
            fresh.append((item, row))
            next_number += 1
            outcome.created.append(row["number"])
            added[index] = row["number"]
            if known_by is not None:
                outcome.places[row["number"]] = _row_place(row)
            continue
        task, similarity = found[index]
        old_ref, old_title, old_raw = task.ref, task.title, task.deadline_raw
        old_owners, old_product = _owner_names(task), task.product
        task.origin = values.pop("origin")  # rows move when lines are added above: not a change
        wanted = _wanted_codes(item, units)
        kept = _office_fixes(task, values, wanted, units)  # drops what the office's word keeps
        if not task.product:  # tasks saved before 0020 kept none: taken quietly, not a change
            task.product = values.pop("product")
        changed = [name for name, value in values.items() if getattr(task, name) != value]
        if _part_codes(task) != wanted and not task.owners_fixed_by_office:
            changed.append("units")
            _set_parts(task, item, units)
        for name in changed:
            if name != "units":
                setattr(task, name, values[name])
        fields = [
            *([FieldChange(Aspect.TITLE, old_title, task.title)] if "title" in changed else []),
            *(
                [FieldChange(Aspect.OWNERS, old_owners, _owner_names(task))]
                if "units" in changed
                else []
            ),
            *(
                [FieldChange(Aspect.DEADLINE, old_raw, task.deadline_raw)]
                if any(name in _DEADLINE_FIELDS for name in changed)
                and not any(k.aspect is Aspect.DEADLINE for k in kept)
                else []
            ),
            *(
                [FieldChange(Aspect.PRODUCT, old_product, task.product)]
                if "product" in changed
                else []
            ),
            *kept,
        ]
        if task.status is TaskStatus.REMOVED:
            _restore(task, now, actor)
            outcome.restored.append(task.number)
            outcome.places[task.number] = _place(task)
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
        if changed or kept:  # unchanged, kept: the office's word stood against the document's
            outcome.matched.append(
                Match(
                    task.number,
                    task.appendix,
                    old_ref,
                    task.ref,
                    old_title,
                    task.title,
                    round(similarity, 2),
                    tuple(changed),
                    tuple(fields if changed else kept),
                )
            )
    insert_tasks(session, fresh, units, now, actor, document.key)
    still = {task.id for task, _ in found.values()}
    for task in tasks:
        if task.id not in still and task.status is not TaskStatus.REMOVED:
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
            outcome.places[task.number] = _place(task)
    outcome.replaced = [
        (task.number, added[index]) for index, task in matches.replaced if index in added
    ]
    for _, alike in matches.ambiguous:
        outcome.places.update(
            {t.number: _place(t) for t in alike if t.number not in outcome.places}
        )
    outcome.ambiguous = [
        Namesakes(
            alike[0].title,
            alike[0].appendix,
            tuple(t.number for t in alike),
            tuple(added[i] for i in rows if i in added),
        )
        for rows, alike in matches.ambiguous
    ]
    outcome.proposed, outcome.proposal_numbers = _save_proposals(
        session, document, parsed, units, now, actor
    )
    session.flush()
    return outcome


def _save_proposals(
    session: Session,
    document: Document,
    parsed: ParsedDocument,
    units: dict[str, Unit],
    now: datetime,
    actor: str,
) -> tuple[list[int], dict[str, int]]:
    """Tasks read from the document's prose, stored as proposals (never sent to a chat):
    the new ones' numbers, and every proposal's number by its source key.

    A proposal already stored for this document (proposed, accepted or done since) is
    left as the office made it; one the office rejected is proposed again only if it
    comes back in a later revision (rejecting deletes it).
    """
    proposals = getattr(parsed, "proposals", ())
    if not proposals:
        return [], {}
    stored: dict[str, int] = dict(
        session.execute(
            select(Task.source_key, Task.number).where(
                Task.document_id == document.id, Task.source_text != ""
            )
        ).all()
    )
    created: list[int] = []
    fresh: list[tuple[ParsedItem, dict[str, Any]]] = []
    next_number = next_task_number(session)
    for item in proposals:
        if item.source_key in stored:
            continue
        row = _new_row(item, next_number, document.id, TaskStatus.PROPOSED, now, None)
        row["source_text"] = item.source_text or item.title
        fresh.append((item, row))
        next_number += 1
        created.append(row["number"])
        stored[item.source_key] = row["number"]
    insert_tasks(session, fresh, units, now, actor, "đề xuất từ văn bản")
    return created, stored


def _new_row(
    item: ParsedItem,
    number: int,
    document_id: int,
    status: TaskStatus,
    now: datetime,
    done_at: datetime | None,
) -> dict[str, Any]:
    """A new task's row as the ORM would write it (``insert_tasks`` adds what follows
    from its parts and its title)."""
    return {
        "number": number,
        "document_id": document_id,
        "source_key": item.source_key,
        "status": status,
        "source_text": "",
        "created_at": now,
        "updated_at": now,
        "done_at": done_at,
        **_fields(item),
    }


def insert_tasks(
    session: Session,
    fresh: list[tuple[ParsedItem, dict[str, Any]]],
    units: dict[str, Unit],
    now: datetime,
    actor: str,
    detail: str,
) -> None:
    """New tasks, their parts and their "imported" events: one INSERT per table (sent in
    batches), not the ORM's statement per row (8x a bulk insert at 10,000 rows).

    The rows carry what the ORM path gives them: ``has_owner``, the folded
    ``search_key`` and the facts each part keeps (``part_facts``), so the before-flush
    hook, which a Core insert bypasses, has nothing left to do. Numbers are given here
    (``lock_numbers`` holds them), and they find the new ids back in one SELECT.
    """
    if not fresh:
        return
    parts: list[tuple[int, dict[str, Any]]] = []  # (task number, part row)
    for item, row in fresh:
        owners, cooperating = _wanted_codes(item, units)
        row["has_owner"] = bool(owners)
        row["search_key"] = search_key(row["title"], row["unit_text"])
        task = Task(**row)  # transient: what part_facts reads
        for role, codes in (
            (AssignmentRole.OWNER, owners),
            (AssignmentRole.COOPERATING, cooperating),
        ):
            for position, code in enumerate(codes):
                part = {
                    "unit_id": units[code].id,
                    "role": role,
                    "position": position,
                    "done_at": row["done_at"] if role is AssignmentRole.OWNER else None,
                }
                parts.append((row["number"], part | part_facts(task, Assignment(**part))))
    session.execute(insert(_table(Task)), [row for _, row in fresh])
    numbers = [row["number"] for _, row in fresh]
    ids: dict[int, int] = dict(
        session.execute(
            select(Task.number, Task.id).where(Task.number.between(min(numbers), max(numbers)))
        ).all()
    )
    if parts:
        session.execute(
            insert(_table(Assignment)),
            [part | {"task_id": ids[number]} for number, part in parts],
        )
    session.execute(
        insert(_table(TaskEvent)),
        [
            {
                "task_id": ids[number],
                "at": now,
                "action": TaskAction.IMPORTED,
                "actor": actor,
                "detail": detail,
            }
            for number in numbers
        ],
    )


def find_document(
    session: Session, parsed: ParsedDocument, *, key: str | None, sha256: str = ""
) -> tuple[Document | None, KnownBy | None]:
    """The document this import revises, and why; (None, None) for a new document.

    With a key: the document of that key. Without: the same file; else the same
    number (số hiệu) in the same year; else the same title and date; else the same
    content (half its rows with the same title, or 80% of them whatever the title).
    Two numbered documents with different numbers are never the same.
    """
    if key is not None:
        found = session.scalar(select(Document).where(Document.key == key))
        return found, (KnownBy.KEY if found is not None else None)
    documents = list(session.scalars(select(Document).order_by(Document.id.desc())))
    if sha256:
        for document in documents:
            if document.sha256 == sha256:
                return document, KnownBy.FILE
    number = fold(_document_number(parsed))
    if number:
        for document in documents:
            if fold(document.number) == number and document.doc_date.year == parsed.doc_date.year:
                return document, KnownBy.NUMBER
    title = fold(parsed.title)[:300]
    if title:
        for document in documents:
            if document.title_key == title and document.doc_date == parsed.doc_date:
                return document, KnownBy.TITLE_DATE
    rows = {fold(i.title) for i in parsed.items}
    if not rows:
        return None, None
    titles: dict[int, set[str]] = {}
    for document_id, task_title in session.execute(select(Task.document_id, Task.title)):
        titles.setdefault(document_id, set()).add(fold(task_title))
    best, best_share = None, 0.0
    for document in documents:
        theirs = titles.get(document.id, set())
        if not theirs or (number and document.number and fold(document.number) != number):
            continue
        share = len(rows & theirs) / max(len(rows), len(theirs))
        enough = 0.5 if title and document.title_key == title else 0.8
        if share >= enough and share > best_share:
            best, best_share = document, share
    return best, (KnownBy.CONTENT if best is not None else None)


@dataclass
class RowMatches:
    """Which task each row of a revised plan is (``match_rows``)."""

    found: dict[int, tuple[Task, float]]  # row index → (task, likeness of the titles)
    # (row index, live task): the same place, too different to be one task
    replaced: list[tuple[int, Task]]
    # rows and tasks sharing one title that nothing tells apart (owner, deadline,
    # section): never guessed; the rows become new tasks, the tasks are removed
    ambiguous: list[tuple[list[int], list[Task]]]


def match_rows(items: list[ParsedItem], tasks: list[Task]) -> RowMatches:
    """Each row of a revised plan to the task it is (by index), with the titles' likeness.

    Within one kind (task/target) and appendix, first the same folded title: a row and
    a task are one when they alone agree on owners and deadline as written (then on
    fewer of these and the section); rows and tasks alike in all of these are paired in
    order; a title that only one row and one task have also matches at the same place
    (TT), in the same section, then anywhere. Rows sharing a
    title that nothing tells apart are left to the clerk (``ambiguous``). Then close
    titles (``SAME_TITLE`` in the section, ``SAME_TITLE_ELSEWHERE`` outside it, or
    ``REWORDED`` at the same place with the same owners and deadline), closest first.
    A live task is preferred to a removed one. ``replaced``: rows and live tasks left
    at the same place, too different to be one task (removed + added).
    """
    found: dict[int, tuple[Task, float]] = {}
    free = {t.id: t for t in sorted(tasks, key=lambda t: (t.status is TaskStatus.REMOVED, t.id))}
    titles = {t.id: fold(t.title) for t in tasks}
    wanted = [fold(i.title) for i in items]
    sections = [SECTION_SEPARATOR.join(i.section) for i in items]
    owners = [fold(i.unit_text) for i in items]
    deadlines = [fold(i.deadline.raw) for i in items]
    words = [set(w.split()) for w in wanted]
    task_words = {task_id: set(title.split()) for task_id, title in titles.items()}

    def same_group(index: int, task: Task) -> bool:
        item = items[index]
        return task.item_kind == item.kind and task.appendix == item.appendix

    def place(task: Task) -> str:
        return _original_key(task.source_key)

    def same_owner(i: int, t: Task) -> bool:
        return fold(t.unit_text) == owners[i]

    def same_deadline(i: int, t: Task) -> bool:
        return fold(t.deadline_raw) == deadlines[i]

    def same_section(i: int, t: Task) -> bool:
        return t.section == sections[i]

    def same_place(i: int, t: Task) -> bool:
        return place(t) == items[i].source_key

    # rows and tasks by (kind, appendix, folded title): one look-up, not a scan per row
    tasks_titled: dict[tuple[str, str, str], list[Task]] = defaultdict(list)
    for task in free.values():
        tasks_titled[(task.item_kind, task.appendix, titles[task.id])].append(task)
    rows_titled: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        rows_titled[(item.kind, item.appendix, wanted[index])].append(index)

    def namesakes(index: int) -> list[Task]:
        """Free tasks with the row's title: the live ones, else the removed ones."""
        item = items[index]
        alike = [t for t in tasks_titled[(item.kind, item.appendix, wanted[index])] if t.id in free]
        live = [t for t in alike if t.status is not TaskStatus.REMOVED]
        return live or alike

    def rows_alike(task: Task) -> list[int]:
        key = (task.item_kind, task.appendix, titles[task.id])
        return [i for i in rows_titled[key] if i not in found]

    # what tells rows sharing a title apart, strictest first
    telling: tuple[Callable[[int, Task], bool], ...] = (
        lambda i, t: same_owner(i, t) and same_deadline(i, t) and same_section(i, t),
        lambda i, t: same_owner(i, t) and same_deadline(i, t),
        lambda i, t: same_owner(i, t) and same_section(i, t),
        lambda i, t: same_deadline(i, t) and same_section(i, t),
        same_owner,
        same_deadline,
    )
    for rule in telling:  # a pair only when each is the other's one choice under the rule
        for index in range(len(items)):
            if index in found:
                continue
            chosen = [t for t in namesakes(index) if rule(index, t)]
            if len(chosen) == 1 and [i for i in rows_alike(chosen[0]) if rule(i, chosen[0])] == [
                index
            ]:
                found[index] = (chosen[0], 1.0)
                del free[chosen[0].id]
    for index in range(len(items)):  # alike in every way: paired in the document's order
        if index not in found:
            twins = [t for t in namesakes(index) if telling[0](index, t)]
            if twins:
                found[index] = (twins[0], 1.0)
                del free[twins[0].id]
    for rule in (same_place, same_section, lambda i, t: True):  # a title one row and task have
        for index in range(len(items)):
            if index in found:
                continue
            alike = namesakes(index)
            if len(alike) == 1 and len(rows_alike(alike[0])) == 1 and rule(index, alike[0]):
                found[index] = (alike[0], 1.0)
                del free[alike[0].id]
    ambiguous: list[tuple[list[int], list[Task]]] = []
    unsure: set[int] = set()
    for index in range(len(items)):
        if index in found or index in unsure:
            continue
        alike = namesakes(index)
        if alike:
            rows = rows_alike(alike[0])
            unsure.update(rows)
            ambiguous.append((rows, alike))
    unsure_tasks = {t.id for _, alike in ambiguous for t in alike}

    pairs: list[tuple[float, float, int, Task]] = []
    for index in range(len(items)):
        if index in found or index in unsure:
            continue
        item = items[index]
        for task in free.values():
            if not same_group(index, task) or task.id in unsure_tasks:
                continue
            at_place = place(task) == item.source_key
            ours, theirs = words[index], task_words[task.id]
            if not at_place and len(ours & theirs) < _WORD_SHARE * max(len(ours), len(theirs)):
                continue  # cheap first: few words in common, never this close
            matcher = difflib.SequenceMatcher(None, wanted[index], titles[task.id], autojunk=False)
            if matcher.real_quick_ratio() < REWORDED or matcher.quick_ratio() < REWORDED:
                continue
            ratio = matcher.ratio()
            in_section = task.section == sections[index]
            confident = (
                (in_section and ratio >= SAME_TITLE)
                or ratio >= SAME_TITLE_ELSEWHERE
                or (
                    at_place
                    and ratio >= REWORDED
                    and fold(task.unit_text) == fold(item.unit_text)
                    and fold(task.deadline_raw) == fold(item.deadline.raw)
                )
            )
            if confident:
                score = ratio + 0.02 * in_section + 0.01 * at_place
                pairs.append((score, ratio, index, task))
    pairs.sort(key=lambda p: (-p[0], p[2], p[3].status is TaskStatus.REMOVED, p[3].id))
    for _, ratio, index, task in pairs:
        if index not in found and task.id in free:
            found[index] = (task, ratio)
            del free[task.id]

    left = {
        place(t): t
        for t in free.values()
        if t.status is not TaskStatus.REMOVED and t.id not in unsure_tasks
    }
    replaced = [
        (index, left[item.source_key])
        for index, item in enumerate(items)
        if index not in found
        and item.source_key in left
        and left[item.source_key].item_kind == item.kind
        and index not in unsure
    ]
    return RowMatches(found, replaced, ambiguous)


def _original_key(source_key: str) -> str:
    """A removed task's source key without the mark ``_rekey`` gave it."""
    if source_key.startswith("~") and "|" in source_key:
        return source_key.split("|", 1)[1]
    return source_key


def _rekey(session: Session, tasks: list[Task], keys: dict[int, str]) -> None:
    """Give matched tasks their row's source key; the others a key no row has.

    Keys are unique in a document, and rows shift (a row inserted above gives every
    row below another key): every key that changes goes through a temporary one.
    """
    final = {t.id: keys.get(t.id) or f"~{t.id}|{_original_key(t.source_key)}"[:400] for t in tasks}
    moving = [t for t in tasks if t.source_key != final[t.id]]
    if not moving:
        return
    for task in moving:
        task.source_key = f"~{task.id}"
    session.flush()
    for task in moving:
        task.source_key = final[task.id]
    session.flush()


def _restore(task: Task, now: datetime, actor: str) -> None:
    """A task back in the document, as it was: its parts' completions decide its status;
    a task without owners gets back the status it had (done when it has a done time)."""
    task.status = TaskStatus.DONE if task.done_at is not None else TaskStatus.OPEN
    sync_status(task)
    task.events.append(
        TaskEvent(
            at=now,
            action=TaskAction.UPDATED,
            actor=actor,
            detail="trở lại trong văn bản, giữ kết quả đã báo",
        )
    )


# How the document's deadline is read: the office's reading stands when it set the date.
_DEADLINE_READING = ("deadline_kind", "start_date", "due_date", "rrule")
_DEADLINE_FIELDS = ("deadline_raw", *_DEADLINE_READING, "deadline_note", "deadline_suggestion")


def _owner_names(task: Task) -> str:
    return ", ".join(a.unit.name for a in task.owners)


def _office_fixes(
    task: Task,
    values: dict[str, Any],
    wanted: tuple[tuple[str, ...], tuple[str, ...]],
    units: dict[str, Unit],
) -> list[FieldChange]:
    """What the office set on ``task`` and the row would undo: taken out of ``values``
    (the deadline as written is still the document's), and told as kept."""
    kept: list[FieldChange] = []
    if task.deadline_fixed_by_office:
        differs = any(getattr(task, n) != values[n] for n in _DEADLINE_READING)
        for name in ("deadline_note", "deadline_suggestion", *_DEADLINE_READING):
            values.pop(name)
        if differs:
            office = f"{task.due_date:%d/%m/%Y}" if task.due_date else task.deadline_raw
            kept.append(FieldChange(Aspect.DEADLINE, office, values["deadline_raw"], kept=True))
    if task.owners_fixed_by_office and _part_codes(task) != wanted:
        names = ", ".join(units[code].name for code in wanted[0]) or values["unit_text"]
        kept.append(FieldChange(Aspect.OWNERS, _owner_names(task), names, kept=True))
    if task.deadline_fixed_by_office or task.owners_fixed_by_office:
        values.pop("needs_review")  # the office has looked at this task
    return kept


def _table(model: type[Task | Assignment | TaskEvent]) -> Table:
    """The model's table, for a Core insert (no ORM bookkeeping per row)."""
    return cast(Table, model.__table__)


def _row_place(row: dict[str, Any]) -> Place:
    """A new task's place, from the row ``insert_tasks`` writes."""
    return Place(
        row["appendix"],
        row["ref"],
        row["title"],
        row["done_at"] is not None,
        row["unit_text"],
        row["deadline_raw"],
    )


def _place(task: Task) -> Place:
    return Place(
        task.appendix,
        task.ref,
        task.title,
        task.done_at is not None,
        task.unit_text,
        task.deadline_raw,
    )


def _document_number(parsed: ParsedDocument) -> str:
    """The document's number (số hiệu), when the reader gives one."""
    number = getattr(parsed, "number", "")
    return number.strip()[:100] if isinstance(number, str) else ""


def _free_key(session: Session, source_name: str) -> str:
    """A new document's key: the file's stem, with -2, -3, … when that is taken."""
    stem = PurePath(source_name).stem.strip()[:190] or "van-ban"
    taken = set(
        session.scalars(select(Document.key).where(Document.key.startswith(stem, autoescape=True)))
    )
    key, suffix = stem, 2
    while key in taken:
        key, suffix = f"{stem}-{suffix}", suffix + 1
    return key


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
    task.set_parts(parts)
