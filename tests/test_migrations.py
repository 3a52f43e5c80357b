"""Migrations carry an office's existing data forward (both stores)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Boolean, Date, DateTime, Engine, Integer, inspect, select, text
from sqlalchemy.types import JSON

from data import db
from data.domain import PartTally
from data.models import Assignment, part_facts

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _insert(conn: Any, table: str, **given: Any) -> None:
    """A row with ``given`` and a plain value in every other required column."""
    row = dict(given)
    for column in inspect(conn).get_columns(table):
        name, kind = column["name"], column["type"]
        if name in row or column["nullable"] or column.get("default") is not None:
            continue
        if column.get("autoincrement") is True or name == "id":
            continue
        if isinstance(kind, Boolean):
            row[name] = False
        elif isinstance(kind, DateTime):
            row[name] = AT
        elif isinstance(kind, Date):
            row[name] = date(2026, 1, 1)
        elif isinstance(kind, Integer):
            row[name] = 1
        elif isinstance(kind, JSON) or name == "extra":
            row[name] = "{}"
        else:
            row[name] = f"{name[:5]}{len(row)}"
    names = ", ".join(row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES (:{', :'.join(row)})"), row)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in ("documents", "tasks", "assignments", "extension_requests")
        }


@pytest.mark.parametrize("start", ["0006", "0010"])
def test_upgrades_keep_every_part_and_request_and_mark_owners(engine: Engine, start: str) -> None:
    """Rows saved at an older revision survive every later one (SQLite's batch copies
    of a table must never cascade to the rows that refer to it), and 0011 gives each
    task ``has_owner`` from its parts."""
    command.downgrade(db.alembic_config(engine), start)
    with engine.begin() as conn:
        _insert(conn, "units", id=1, code="a", name="A")
        _insert(conn, "documents", id=1, key="kh")
        for number, role in ((1, "owner"), (2, "cooperating"), (3, None)):
            _insert(
                conn,
                "tasks",
                id=number,
                number=number,
                document_id=1,
                source_key=str(number),
                item_kind="task",
                deadline_kind="ongoing",
                status="open",
                extra="{}",
            )
            if role is not None:
                _insert(conn, "assignments", id=number, task_id=number, unit_id=1, role=role)
        _insert(conn, "extension_requests", id=1, code="X1", assignment_id=1, status="pending")
    before = _counts(engine)
    db.migrate(engine)
    assert (
        _counts(engine)
        == before
        == {
            "documents": 1,
            "tasks": 3,
            "assignments": 2,
            "extension_requests": 1,
        }
    )
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT number, has_owner FROM tasks ORDER BY number")).all()
    assert {n: bool(v) for n, v in rows} == {1: True, 2: False, 3: False}
    command.downgrade(db.alembic_config(engine), "0010")  # and back: nothing cascades
    assert _counts(engine) == before
    command.downgrade(db.alembic_config(engine), "0006")  # 0010 and 0007 undone in place
    assert _counts(engine) == before


def test_0012_gives_every_saved_part_the_facts_the_orm_keeps(engine: Engine) -> None:
    """The migration's SQL reading of each part (tally, due, progress reports, number)
    equals ``part_facts`` for every mix of kind, status, item, review flag, date, role
    and extension saved before it."""
    command.downgrade(db.alembic_config(engine), "0011")
    kinds = ["due", "term", "ongoing", "from", "due_then_ongoing", "waiting"]
    kinds += ["recurring", "done", "unreadable"]
    number = 0
    with engine.begin() as conn:
        _insert(conn, "units", id=1, code="a", name="A")
        _insert(conn, "documents", id=1, key="kh")
        for kind in kinds:
            for status in ("open", "done", "removed", "proposed"):
                for item, review, due in (
                    ("task", False, date(2026, 6, 30)),
                    ("task", False, None),
                    ("task", True, date(2026, 6, 30)),
                    ("target", False, date(2026, 6, 30)),
                ):
                    for role, extended in (
                        ("owner", None),
                        ("owner", date(2026, 9, 1)),
                        ("cooperating", None),
                    ):
                        number += 1
                        _insert(
                            conn,
                            "tasks",
                            id=number,
                            number=1000 + number,
                            document_id=1,
                            source_key=str(number),
                            item_kind=item,
                            deadline_kind=kind,
                            status=status,
                            needs_review=review,
                            due_date=due,
                            extra="{}",
                        )
                        _insert(
                            conn,
                            "assignments",
                            id=number,
                            task_id=number,
                            unit_id=1,
                            role=role,
                            extended_to=extended,
                        )
    db.migrate(engine)
    seen: set[object] = set()
    with db.session_factory(engine)() as session:
        for part in session.scalars(select(Assignment)):
            expected = part_facts(part.task, part)
            assert {name: getattr(part, name) for name in expected} == expected, (
                part.task.deadline_kind,
                part.task.status,
                part.task.item_kind,
                part.task.needs_review,
                part.task.due_date,
                part.role,
                part.extended_to,
            )
            seen.add(expected["tally"])
            seen.add(expected["reports_progress"])
    assert seen == {*PartTally, None, True, False}  # every reading was exercised


def test_0018_gives_waiting_office_requests_their_buttons(engine: Engine) -> None:
    """Requests queued before buttons were stored get them once, read from the key; the
    runtime never re-reads a key."""
    command.downgrade(db.alembic_config(engine), "0012")
    keys = {
        1: "telegram:office:2026-06-16:request:cf-57-ban-tg-12-20260616010000",
        2: "telegram:office:2026-06-16:request:ext-K7P2Q",
        3: "telegram:g-a:2026-06-16:notice:ext-K7P2Q",
    }
    with engine.begin() as conn:
        for row_id, key in keys.items():
            kind = key.split(":")[3]
            _insert(conn, "outbox", id=row_id, key=key, kind=kind, status="pending", tasks="[]")
    command.upgrade(db.alembic_config(engine), "head")
    from bot.runtime import message_buttons
    from data.models import OutboxMessage

    with db.session_factory(engine)() as session:
        rows = {r.id: r for r in session.scalars(select(OutboxMessage))}
        found = {i: [b.data for b in message_buttons(r)] for i, r in rows.items()}
    assert found == {
        1: ["cf-ok:57:ban-tg", "cf-no:57:ban-tg"],
        2: ["ext-ok:K7P2Q", "ext-no:K7P2Q"],
        3: [],
    }


def test_0021_keeps_each_file_on_its_task_and_unit_past_its_part(engine: Engine) -> None:
    """Files saved before 0021 get their part's task and unit; once the part is deleted
    the file stays (its part link emptied), as the office's record needs."""
    command.downgrade(db.alembic_config(engine), "0020")
    with engine.begin() as conn:
        _insert(conn, "units", id=1, code="a", name="A")
        _insert(conn, "documents", id=1, key="k")
        _insert(conn, "tasks", id=7, document_id=1, number=7, title="t")
        _insert(conn, "assignments", id=3, task_id=7, unit_id=1, role="owner")
        _insert(conn, "part_files", id=1, assignment_id=3, sha256="ab" * 32)
    command.upgrade(db.alembic_config(engine), "head")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT task_id, unit_id, assignment_id FROM part_files"))
        assert row.one() == (7, 1, 3)
        conn.execute(text("DELETE FROM assignments WHERE id = 3"))
        row = conn.execute(text("SELECT task_id, unit_id, assignment_id FROM part_files"))
        assert row.one() == (7, 1, None)


def test_the_newest_revision_read_from_the_files_is_alembic_s_head(engine: Engine) -> None:
    """``db.migrate`` skips Alembic when the store is at ``newest_revision``: that must be
    the head Alembic itself finds, and a store one revision behind is still upgraded."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(db.alembic_config(engine)).get_current_head()
    assert db.newest_revision() == head
    command.downgrade(db.alembic_config(engine), "-1")
    db.migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
