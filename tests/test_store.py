"""The store on SQLite and PostgreSQL: imports, idempotent re-imports, queries."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data import db, parts, revisions, scan_views, store, unit_store
from data.models import Task, TaskEvent, Unit
from tests.conftest import SAMPLE_PLAN, parse_sample

NOW = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)


def _import(sessions: sessionmaker[Session], content: bytes | None = None) -> revisions.SaveOutcome:
    parsed = parse_sample(content)
    with db.transaction(sessions) as session:
        return revisions.save_document(
            session, parsed, key="kh-mau", source_name="ke_hoach_mau.txt", sha256="x", now=NOW
        )


def _snapshot(session: Session) -> dict[str, tuple[int, str, str, str]]:
    return {
        t.source_key: (t.number, t.title, t.status, t.deadline_raw)
        for t in session.scalars(select(Task))
    }


def test_default_units_are_seeded_once(sessions: sessionmaker[Session]) -> None:
    with db.transaction(sessions) as session:
        assert unit_store.ensure_default_units(session) is False
        registry = unit_store.load_registry(session)
    assert [u.code for u in registry.units] == ["hcqt", "thnc", "ktvx", "thhcc", "ubkt"]
    assert registry.lookup("Uỷ ban kiểm tra Đảng uỷ") is not None


def test_import_stores_every_task_with_owners_and_history(sessions: sessionmaker[Session]) -> None:
    outcome = _import(sessions)
    parsed = parse_sample()
    assert len(outcome.created) == len(parsed.items)
    with sessions() as session:
        tasks = store.find_tasks(session)
        targets = store.find_tasks(session, item_kind="target")
        assert len(tasks) == len(parsed.tasks)
        assert len(targets) == len(parsed.targets)
        numbers = [t.number for t in tasks + targets]
        assert len(set(numbers)) == len(numbers)
        multi = next(t for t in tasks if t.title.startswith("Số hóa hồ sơ"))
        assert multi.unit_codes == ("thhcc", "hcqt")  # lead first
        assert multi.deadline_kind == "term"
        assert multi.section.startswith("II. THAM MƯU")
        done = store.find_tasks(session, status="done")
        assert {t.deadline_raw for t in done} == {"Đã tham mưu ban hành", "Đã ban hành"}
        review = store.find_tasks(session, needs_review=True)
        assert {t.ref for t in review} == {"2.3", "1.3", "2.6"}
        assert all(t.events[0].action == "imported" for t in tasks)
        ubkt = store.find_tasks(session, unit="ubkt")
        assert {t.ref for t in ubkt} == {"3.1", "3.2", "3.3"}


def test_reimport_is_idempotent_and_keeps_done(sessions: sessionmaker[Session]) -> None:
    _import(sessions)
    with db.transaction(sessions) as session:
        task = session.scalar(select(Task).where(Task.deadline_raw == "Quý II/2026"))
        assert task is not None and task.status == "open"
        for part in task.owners:
            parts.mark_part(task, part, parts.Change(NOW, "test"), done=True)
        marked = task.number
        before = _snapshot(session)
        count_before = session.scalar(select(func.count()).select_from(Task))

    outcome = _import(sessions)
    assert outcome.created == [] and outcome.updated == [] and outcome.removed == []
    with sessions() as session:
        assert _snapshot(session) == before
        assert session.scalar(select(func.count()).select_from(Task)) == count_before
        again = session.scalar(select(Task).where(Task.number == marked))
        assert again is not None and again.status == "done"


def test_reimport_of_an_edited_plan_updates_in_place(sessions: sessionmaker[Session]) -> None:
    _import(sessions)
    with sessions() as session:
        before = _snapshot(session)
    text = SAMPLE_PLAN.read_text(encoding="utf-8")
    edited = text.replace("Năm 2026-203\n", "Năm 2026 - 2030\n").replace(
        "3.2\tGiám sát chuyên đề việc chấp hành quy chế làm việc của chi bộ.\t"
        "Uỷ ban kiểm tra Đảng ủy\t6 tháng cuối năm 2026\n",
        "",
    )
    assert edited != text
    outcome = _import(sessions, edited.encode())
    assert outcome.created == []
    assert len(outcome.updated) == 1 and len(outcome.removed) == 1
    with sessions() as session:
        fixed = session.scalar(select(Task).where(Task.number == outcome.updated[0]))
        assert fixed is not None
        assert (fixed.deadline_kind, fixed.needs_review) == ("term", False)
        assert fixed.number == before[fixed.source_key][0]
        gone = session.scalar(select(Task).where(Task.number == outcome.removed[0]))
        assert gone is not None and gone.status == "removed"
        assert [e.action for e in gone.events] == ["imported", "removed"]
        assert all(t.number != gone.number for t in scan_views.task_views(session))


def test_task_views_carry_what_the_scan_needs(sessions: sessionmaker[Session]) -> None:
    _import(sessions)
    with sessions() as session:
        views = scan_views.task_views(session)
        assert views and all(v.anchor is not None for v in views)
        monthly = next(v for v in views if v.raw_deadline == "trước ngày 20 hằng tháng")
        assert monthly.rrule and monthly.kind.value == "recurring"
        assert {v.kind.value for v in views if v.done_on} == {"done"}
        tasks = {v.number for v in views}
        assert session.scalar(select(func.count()).select_from(TaskEvent)) >= len(tasks)
        assert session.scalar(select(func.count()).select_from(Unit)) == 5


def test_aware_datetimes_come_back_aware(sessions: sessionmaker[Session]) -> None:
    _import(sessions)
    with sessions() as session:
        task = session.scalars(select(Task)).first()
        assert task is not None and task.created_at == NOW and task.created_at.tzinfo is not None
