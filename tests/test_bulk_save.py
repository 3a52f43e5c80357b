"""New tasks of an import go in by bulk insert: the rows equal what the ORM wrote.

The ORM path (a ``Task`` per row, its parts by ``set_parts``, its event appended, the
before-flush hook filling ``search_key`` and the parts' facts) is kept here as the
reference; ``save_document`` must write the same tasks, parts and events.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import db, revisions
from data.domain import AssignmentRole, ItemKind, TaskAction, TaskStatus
from data.importers import read_file
from data.importers.interpret import ParsedDocument, ParsedItem
from data.models import Assignment, Document, Task, TaskEvent, Unit, part_facts, search_key
from data.store import as_of
from tests.conftest import SAMPLE_PLAN, parse_sample

NOW = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
NOTICE = SAMPLE_PLAN.with_name("thong_bao_mau.txt")


def _plan() -> ParsedDocument:
    """The sample plan and the sample notice's proposals, some rows with cooperating
    units (the sample has none) and one with an owner-less row."""
    parsed = parse_sample()
    notice = parse_sample(read_file(NOTICE).content, NOTICE.name)
    items = list(parsed.items)
    for index in (0, 3, 7):
        items[index] = dataclasses.replace(items[index], cooperating=("ubkt", "thnc"))
    items[5] = dataclasses.replace(items[5], units=())
    assert any(i.status == TaskStatus.DONE for i in items) and notice.proposals
    return dataclasses.replace(parsed, items=items, proposals=notice.proposals)


def _orm_save(session: Session, parsed: ParsedDocument, key: str) -> None:
    """The ORM path as it was before the bulk insert: one object per row."""
    revisions.lock_numbers(session)
    units = {u.code: u for u in session.scalars(select(Unit))}
    document = Document(key=key, doc_date=parsed.doc_date, imported_at=NOW, revisions=1)
    session.add(document)
    session.flush()
    number = revisions.next_task_number(session)

    def add(item: ParsedItem, status: TaskStatus, detail: str, **more: Any) -> None:
        nonlocal number
        done_at = as_of(parsed.doc_date) if status is TaskStatus.DONE else None
        task = Task(
            number=number,
            document=document,
            source_key=item.source_key,
            status=status,
            created_at=NOW,
            updated_at=NOW,
            done_at=done_at,
            **revisions._fields(item),
            **more,
        )
        number += 1
        session.add(task)
        revisions._set_parts(task, item, units)
        for part in task.owners:
            part.done_at = done_at
        task.events.append(
            TaskEvent(at=NOW, action=TaskAction.IMPORTED, actor="import", detail=detail)
        )

    for item in sorted(parsed.items, key=lambda i: i.kind != ItemKind.TASK):
        add(item, TaskStatus(item.status), key)
    for item in parsed.proposals:
        add(
            item,
            TaskStatus.PROPOSED,
            "đề xuất từ văn bản",
            source_text=item.source_text or item.title,
        )
    session.flush()


def _stored(session: Session, key: str) -> tuple[list[Any], list[Any], list[Any]]:
    """The document's tasks, parts and events, without ids (parts and events by number)."""
    document_id = session.scalar(select(Document.id).where(Document.key == key))
    tasks = [c for c in Task.__table__.c if c.key not in ("id", "document_id")]
    parts = [c for c in Assignment.__table__.c if c.key not in ("id", "task_id")]
    events = [c for c in TaskEvent.__table__.c if c.key not in ("id", "task_id")]
    mine = Task.document_id == document_id
    return (
        [tuple(r) for r in session.execute(select(*tasks).where(mine).order_by(Task.number))],
        sorted(
            (tuple(r) for r in session.execute(select(*parts).join(Task).where(mine))),
            key=repr,
        ),
        sorted(
            (tuple(r) for r in session.execute(select(*events).join(Task).where(mine))),
            key=repr,
        ),
    )


def test_bulk_saved_rows_equal_the_orm_path(sessions: sessionmaker[Session]) -> None:
    parsed = _plan()
    with sessions() as session:
        _orm_save(session, parsed, "kh")
        expected = _stored(session, "kh")
        session.rollback()
    with db.transaction(sessions) as session:
        outcome = revisions.save_document(
            session, parsed, key="kh", source_name="kh.txt", sha256="", now=NOW
        )
    with sessions() as session:
        tasks, parts, events = _stored(session, "kh")
    assert len(tasks) == len(parsed.items) + len(parsed.proposals) == len(events)
    assert len(outcome.created) + len(outcome.proposed) == len(tasks)
    assert any(part[1] is AssignmentRole.COOPERATING for part in parts)
    assert (tasks, parts, events) == expected


def test_new_rows_of_a_revision_keep_search_keys_and_part_facts(
    sessions: sessionmaker[Session],
) -> None:
    """Rows added by a revision: each fact as the ORM's hook would compute it."""
    parsed = _plan()
    with db.transaction(sessions) as session:
        revisions.save_document(session, parsed, key="kh", source_name="kh.txt", sha256="", now=NOW)
    extra = [
        dataclasses.replace(item, source_key=f"new|{item.source_key}", title=f"{item.title} mới")
        for item in parsed.items[:6]
    ]
    revised = dataclasses.replace(parsed, items=[*parsed.items, *extra])
    with db.transaction(sessions) as session:
        outcome = revisions.save_document(
            session, revised, key="kh", source_name="kh.txt", sha256="", now=NOW
        )
    assert len(outcome.created) == len(extra)
    with sessions() as session:
        new = session.scalars(select(Task).where(Task.number.in_(outcome.created))).all()
        assert len(new) == len(extra)
        for task in new:
            assert task.search_key == search_key(task.title, task.unit_text)
            assert task.has_owner == bool(task.owners)
            assert [e.action for e in task.events] == [TaskAction.IMPORTED]
            for part in task.assignments:
                facts = part_facts(task, part)
                assert {name: getattr(part, name) for name in facts} == facts
        assert sum(bool(t.cooperating) for t in new) >= 1
        assert outcome.places.keys() >= set(outcome.created)
