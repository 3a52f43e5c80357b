"""Each part keeps its task's facts (``part_facts``) through every change the office,
the units and revised plans make: the Monday counts and the "no progress report" list
read them instead of joining the tasks, so a stale fact would be a wrong count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data import db, parts, unit_store
from data.deadlines import parse_deadline
from data.domain import PartTally, TaskStatus
from data.models import Assignment, part_facts
from tests.test_revisions import LAST, LATER, NOW, A, B, C, D, _plan, _save, _task

QUARTER = datetime(2026, 4, 1, tzinfo=UTC)


def _facts_agree(sessions: sessionmaker[Session]) -> dict[str, dict[str, object]]:
    """Every part's kept facts equal those read afresh from its task; the owner parts'
    facts by task title."""
    by_title: dict[str, dict[str, object]] = {}
    with sessions() as session:
        for part in session.scalars(select(Assignment)):
            expected = part_facts(part.task, part)
            kept = {name: getattr(part, name) for name in expected}
            assert kept == expected, (part.task.title, part.unit.code)
            if part.role == "owner":
                by_title[part.task.title] = kept
    return by_title


def _change(at: datetime = LATER) -> parts.Change:
    return parts.Change(at, "Văn phòng", chat="console")


def test_facts_follow_imports_revisions_and_every_office_and_unit_action(
    sessions: sessionmaker[Session],
) -> None:
    _save(sessions, _plan([A, B, C, D]), NOW)
    facts = _facts_agree(sessions)
    assert facts[A[0]]["tally"] is PartTally.DATED and facts[A[0]]["part_due"] == date(2026, 6, 30)
    assert facts[C[0]]["tally"] is PartTally.OTHER  # "Đã tham mưu ban hành": nothing open

    # a revision: A becomes ongoing (owes progress reports), B waits for a directive,
    # D's date moves, C leaves the plan
    revised = [
        (A[0], A[1], "Thường xuyên"),
        (B[0], B[1], "Theo chỉ đạo của Ban Thường vụ"),
        (D[0], D[1], "chậm nhất ngày 20/12/2026"),
    ]
    _save(sessions, _plan(revised), LATER)
    facts = _facts_agree(sessions)
    assert facts[A[0]]["tally"] is PartTally.UNDATED and facts[A[0]]["reports_progress"]
    assert facts[B[0]]["tally"] is PartTally.WAITING
    assert facts[D[0]]["part_due"] == date(2026, 12, 20)
    assert facts[C[0]]["tally"] is None  # removed: counted nowhere
    with sessions() as session:
        owed = parts.unreported_parts(session, QUARTER)
        a_number = _task(session, A[0]).number
    assert any(a_number in o.numbers for o in owed.values())

    # the office gives B its date, extends D's part, a unit reports on A and marks D
    with db.transaction(sessions) as session:
        b = _task(session, B[0])
        assert parts.set_deadline(b, parse_deadline("30/09/2026", date(2026, 1, 1)), _change())
        d = _task(session, D[0])
        parts.extend_part(d, d.owners[0], date(2027, 1, 15), _change())
        a = _task(session, A[0])
        parts.record_update(a, a.owners[0], 40, "đã có dự thảo", _change())
    facts = _facts_agree(sessions)
    assert facts[B[0]]["tally"] is PartTally.DATED and facts[B[0]]["part_due"] == date(2026, 9, 30)
    assert facts[D[0]]["part_due"] == date(2027, 1, 15)
    with sessions() as session:
        owed = parts.unreported_parts(session, QUARTER)
    assert owed and not any(a_number in o.numbers for o in owed.values())  # A reported

    with db.transaction(sessions) as session:
        d = _task(session, D[0])
        parts.mark_part(d, d.owners[0], _change(LAST), done=True)
        assert d.status is TaskStatus.DONE
    assert _facts_agree(sessions)[D[0]]["tally"] is PartTally.DATED  # a completion counts
    with db.transaction(sessions) as session:
        d = _task(session, D[0])
        parts.mark_part(d, d.owners[0], _change(LAST + timedelta(days=1)), done=False)

    # C comes back in the next revision, as it was
    _save(sessions, _plan([*revised, C]), LAST)
    assert _facts_agree(sessions)[C[0]]["tally"] is PartTally.OTHER


def test_a_proposal_counts_only_once_accepted(sessions: sessionmaker[Session]) -> None:
    _save(sessions, _plan([A, B]), NOW)
    with db.transaction(sessions) as session:
        task = _task(session, A[0])
        task.status = TaskStatus.PROPOSED
    assert _facts_agree(sessions)[A[0]]["tally"] is None
    with db.transaction(sessions) as session:
        parts.accept_proposal(_task(session, A[0]), _change())
    assert _facts_agree(sessions)[A[0]]["tally"] is PartTally.DATED


def test_a_flush_without_a_query_still_keeps_the_facts(sessions: sessionmaker[Session]) -> None:
    """Facts are refreshed at the flush itself, not by whoever reads them next."""
    _save(sessions, _plan([A]), NOW)
    with db.transaction(sessions) as session:
        task = _task(session, A[0])
        task.needs_review = True
        session.flush()
        part = task.owners[0]
        assert part.tally is PartTally.REVIEW and not part.reports_progress
    with sessions() as session:
        number = _task(session, A[0]).number
        kept = session.scalars(select(Assignment.tally).where(Assignment.task_number == number))
        assert kept.one() is PartTally.REVIEW


def test_the_unreported_list_gives_how_many_and_the_first_numbers(
    sessions: sessionmaker[Session],
) -> None:
    revised = [(A[0], A[1], "Thường xuyên"), (B[0], A[1], "Năm 2026 - 2030"), C, D]
    _save(sessions, _plan(revised), NOW)
    with sessions() as session:
        full = parts.unreported_parts(session, QUARTER, shown=1000)
        first = parts.unreported_parts(session, QUARTER, shown=1)
        unit = _task(session, A[0]).owners[0].unit
        mine = parts.unreported_parts(session, QUARTER, unit.id, shown=1)
    assert full["hcqt"].count >= 2  # A and B, at least
    assert full.keys() == first.keys()
    for code, owed in full.items():
        assert owed.count == len(owed.numbers) == first[code].count
        assert owed.numbers == tuple(sorted(owed.numbers))
        assert first[code].numbers == owed.numbers[:1]
    assert mine == {unit.code: first[unit.code]}
    with sessions() as session:  # numbers only for the unit owing the most (ties: code)
        top = parts.unreported_parts(session, QUARTER, shown=1000, units=1)
    most = min(full, key=lambda code: (-full[code].count, code))
    assert {c: o.count for c, o in top.items()} == {c: o.count for c, o in full.items()}
    assert {c: o.numbers for c, o in top.items() if o.numbers} == {most: full[most].numbers}
    assert list(top) == sorted(top)


def test_a_part_added_by_its_task_id_alone_gets_the_facts(
    sessions: sessionmaker[Session],
) -> None:
    _save(sessions, _plan([A, B]), NOW)
    with db.transaction(sessions) as session:
        task = _task(session, A[0])
        other = next(u for u in unit_store.list_units(session) if u.id != task.owners[0].unit_id)
        session.add(Assignment(task_id=task.id, unit_id=other.id))
    facts = _facts_agree(sessions)
    assert facts[A[0]]["tally"] is PartTally.DATED
