"""The morning scan at 10k, 100k and 1M tasks over 1,000 units, on a real store.

    python benchmarks/bench_scan.py [--db postgresql|sqlite] [--sizes 10000,100000,1000000]
                                    [--baseline-sizes 10000,100000] [--padded 10000,100000,1000000]
                                    [--keep] [--reuse 1000000=bench_ab12cd34,…]

For each size a fresh store (PostgreSQL: its own schema in the test database) is
filled with synthetic tasks (due dates 2021–2030, past ones 99.9 % done, 10 % terms,
5 % ongoing, 5 % waiting, a few recurring; one owner part each), then each
measurement runs in its own process (clean peak memory) on a warm database:

* ``tuesday`` — the bot's real ``run_scan`` (not a dry run: every unit's chat and the
  office's bound, the previous working day's scan recorded, the messages composed and
  inserted into the outbox, all rolled back after each run) on an ordinary Tuesday;
* ``monday`` — ``run_scan`` on the Monday before: the same candidate reads plus the
  weekly counts in SQL (``sql_counts.week_counts``);
* ``checkin`` — ``run_scan`` on the quarter's check-in day (25/06): the long tasks'
  parts owing a progress report too;
* ``select`` — every task with its part read with one SELECT (plain rows), the floor
  a morning reading the whole table could reach; ``driver``: the same join as the
  driver's bare tuples (no SQLAlchemy rows, no type conversion), a lower floor still;
* ``baseline`` (the same run, smaller sizes) — what the Monday did before: every
  task read into memory (``scan_views.task_views(session)``) and counted by ``plan_day``.

Ratios: Monday / Tuesday in time and in peak RSS (goal ≤ 1.5 and ≤ 1.3), check-in day /
one SELECT (goal ≤ 0.5) and / the driver's SELECT, baseline / Monday. ``--padded``: 25
open items in a table padded with old done tasks: the Tuesday scan must not grow with
the table. RSS is the process's peak (the interpreter and imports included, ~60–80 MB).

Building 1M tasks takes 15–40 minutes: ``--keep`` leaves each built store in place
(its name is printed) and ``--reuse SIZE=NAME`` measures such a store again (brought
to the current migration first) instead of building one; ``--padded`` stores are
named ``pSIZE=NAME``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data import db, scan_views  # noqa: E402
from data.deadlines import DeadlineKind as K  # noqa: E402
from data.models import Assignment, Document, Task, Unit, part_facts, search_key  # noqa: E402

TUESDAY = date(2026, 6, 16)  # an ordinary Tuesday
MONDAY = date(2026, 6, 15)
CHECKIN = date(2026, 6, 25)  # the quarter's check-in day (a Thursday)
DAYS = {"tuesday": TUESDAY, "monday": MONDAY, "checkin": CHECKIN}
PREVIOUS = {TUESDAY: MONDAY, MONDAY: date(2026, 6, 12), CHECKIN: date(2026, 6, 24)}
POSTGRES = os.environ.get(
    "NHACVIEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 6, 16, 0, 30, tzinfo=UTC)
CHUNK = 20_000
RUNS = 15  # timed runs per measurement (the best is kept)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)


def _row(number: int, kind: K, due: date | None, done: date | None, **more: Any) -> dict[str, Any]:
    """One task row with one owner part (``has_owner``), as ``fill`` inserts it."""
    return {
        "id": number,
        "number": number,
        "document_id": 1,
        "source_key": str(number),
        "title": f"Nhiệm vụ {number}",
        "search_key": search_key(f"Nhiệm vụ {number}", ""),
        "deadline_kind": kind,
        "due_date": due,
        "status": "done" if done else "open",
        "done_at": _at(done) if done else None,
        "created_at": NOW,
        "updated_at": NOW,
        "extra": {},
        "has_owner": True,
        **more,
    }


def synthetic_rows(n: int, units: int, seed: int = 7) -> Iterator[tuple[dict[str, Any], int]]:
    """(task row, unit index) for ``n`` tasks."""
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    for number in range(1, n + 1):
        roll = rng.random()
        due: date | None = start + timedelta(days=rng.randrange(3652))
        rrule = None
        if roll < 0.80:
            kind = K.DUE
        elif roll < 0.90:
            kind = K.TERM
        elif roll < 0.95:
            kind = K.ONGOING
        elif roll < 0.9995:
            kind = K.WAITING
        else:
            kind = K.RECURRING
            rrule = "FREQ=MONTHLY;BYMONTHDAY=20"
        assert due is not None
        done = (
            due + timedelta(days=rng.randrange(-20, 5))
            if due < TUESDAY and rng.random() < 0.999 and kind is not K.RECURRING
            else None
        )
        if done is not None and done > TUESDAY:
            done = None
        yield (
            _row(
                number,
                kind,
                due if kind in (K.DUE, K.TERM) else None,
                done,
                start_date=due - timedelta(days=365) if kind is K.TERM else None,
                rrule=rrule,
            ),
            number % units,
        )


def _part(row: dict[str, Any], unit_id: int) -> dict[str, Any]:
    """The task's one owner part, with the facts the ORM would keep on it (``part_facts``)."""
    part = {"task_id": row["id"], "unit_id": unit_id, "done_at": row["done_at"]}
    return part | part_facts(Task(**row), Assignment(**part))


def padded_rows(n: int, units: int) -> Iterator[tuple[dict[str, Any], int]]:
    """25 open items due around the Tuesday; the rest done years ago."""
    for number in range(1, n + 1):
        if number <= 25:
            due = TUESDAY + timedelta(days=(number % 8) - 3)
            done = None
        else:
            due = date(2021, 1, 1) + timedelta(days=number % 1500)
            done = due
        yield _row(number, K.DUE, due, done), number % units


def fill(engine: Engine, rows: Iterator[tuple[dict[str, Any], int]], units: int) -> None:
    sessions = db.session_factory(engine)
    with db.transaction(sessions) as session:
        session.execute(
            insert(Unit),
            [{"id": i + 1, "code": f"u{i:04d}", "name": f"Chi bộ {i}"} for i in range(units)],
        )
        session.execute(
            insert(Document),
            [{"id": 1, "key": "bench", "doc_date": date(2021, 1, 1), "imported_at": NOW}],
        )
    batch: list[tuple[dict[str, Any], int]] = []

    def flush() -> None:
        with db.transaction(sessions) as session:
            session.execute(insert(Task), [r for r, _ in batch])
            session.execute(insert(Assignment), [_part(r, u + 1) for r, u in batch])
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("tasks", "assignments", "units"):
                auto.execute(text(f"VACUUM ANALYZE {table}"))
        else:
            conn.execute(text("ANALYZE"))
            conn.commit()


@contextmanager
def store(kind: str, name: str | None = None) -> Iterator[tuple[Engine, str]]:
    """A fresh (or, with ``name``, an existing) store: (engine, its name)."""
    if kind == "sqlite":
        path = name or f"/tmp/bench_scan_{uuid.uuid4().hex[:8]}.sqlite3"
        engine = db.make_engine(f"sqlite:///{path}")
        yield engine, path
        engine.dispose()
        return
    schema = name or f"bench_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(POSTGRES)
    if name is None:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(POSTGRES, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine, schema
    finally:
        engine.dispose()
        admin.dispose()


def drop(kind: str, name: str) -> None:
    if kind == "sqlite":
        Path(name).unlink(missing_ok=True)
        return
    admin = db.make_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


def build(kind: str, n: int, padded: bool) -> str:
    with store(kind) as (engine, name):
        db.migrate(engine)
        rows = padded_rows(n, 1000) if padded else synthetic_rows(n, 1000)
        fill(engine, rows, 1000)
        bind_chats(engine)
    return name


def bind_chats(engine: Engine) -> None:
    """A chat for every unit and the office's (once): the real scan composes for them."""
    from data import chat_store
    from data.domain import ChatAddress, ChatRole
    from data.models import Chat

    sessions = db.session_factory(engine)
    with db.transaction(sessions) as session:
        if session.query(Chat).first() is not None:
            return
        for unit in session.query(Unit).order_by(Unit.id):
            address = ChatAddress("telegram", f"g-{unit.code}")
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, NOW)
        office = ChatAddress("telegram", "office")
        chat_store.bind_chat(session, office, ChatRole.ADMIN, None, NOW)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def upgrade(kind: str, name: str) -> None:
    """A kept store brought to the current schema (and its statistics refreshed)."""
    with store(kind, name) as (engine, _):
        db.migrate(engine)
        bind_chats(engine)
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                auto = conn.execution_options(isolation_level="AUTOCOMMIT")
                for table in ("tasks", "assignments", "units"):
                    auto.execute(text(f"VACUUM ANALYZE {table}"))


def measure(kind: str, name: str, what: str) -> dict[str, Any]:
    """One measurement in this (fresh) process: best of 15 runs (check-in: 5; baseline
    and one SELECT: 1), peak RSS: this machine's timings vary by a third from run to run
    (garbage collection, a shared host), and the fastest run is the one that measures
    the code."""
    from data import scan_runs
    from data.models import Assignment
    from jobs.calendar import WorkCalendar
    from jobs.plan import Policy, plan_day
    from jobs.scan import run_scan

    calendar, policy = WorkCalendar(), Policy()
    calendar.is_working_day(TUESDAY)  # the holiday table, outside the timing
    runs = {"baseline": 1, "select": 1, "driver": 1, "checkin": 5}.get(what, RUNS)
    with store(kind, name) as (engine, _):
        sessions = db.session_factory(engine)
        best, found = float("inf"), {}
        for _ in range(runs):
            with sessions() as session:
                queued = -1
                if what in DAYS:  # the day before was scanned: no catching up
                    day = DAYS[what]
                    now = datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)
                    scan_runs.remember_scan(session, PREVIOUS[day], now, 0)
                    session.flush()
                t0 = time.perf_counter()
                if what == "baseline":  # the Monday before: every task in memory
                    views = scan_views.task_views(session)
                    plan = plan_day(views, MONDAY, calendar, policy, MONDAY - timedelta(days=3))
                    rows = len(views)
                elif what == "select":  # every row, one SELECT, no objects
                    every = session.execute(
                        select(Task.__table__, Assignment.__table__).join_from(
                            Task, Assignment, Assignment.task_id == Task.id
                        )
                    ).all()
                    rows, plan = len(every), None
                    del every
                elif what == "driver":  # the same rows as the driver's bare tuples
                    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
                    cursor.execute(
                        "SELECT * FROM tasks JOIN assignments ON assignments.task_id = tasks.id"
                    )
                    tuples = cursor.fetchall()
                    rows, plan = len(tuples), None
                    del tuples
                else:
                    result = run_scan(session, day, now, calendar, policy)
                    plan, rows, queued = result.plan, -1, len(result.queued)
                best = min(best, time.perf_counter() - t0)
                session.rollback()  # the store as it was: the next run scans the same day
            found = {
                "items": sum(len(v) for v in plan.digests.values()) if plan else 0,
                "weekly_units": len(plan.weekly.units) if plan and plan.weekly else 0,
                "weekly_total": plan.weekly.total.__dict__ if plan and plan.weekly else None,
                "rows": rows,
                "queued": queued,
            }
    return {"what": what, "seconds": best, "rss_mb": rss_mb(), **found}


def explain(kind: str, name: str) -> dict[str, str]:
    from data import sql_counts as tasks

    with store(kind, name) as (engine, _), db.session_factory(engine)() as session:
        plans = tasks.explain_candidates(session, TUESDAY, [TUESDAY + timedelta(days=14)])
    return {k: v.splitlines()[0] for k, v in plans.items()}


def child(*args: str, optional: bool = False) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        if optional:  # the old full read may not survive a big table: say so, go on
            print(f"    ({' '.join(args[:1] + args[3:])} failed: exit {done.returncode})")
            return None
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--baseline-sizes", default="10000,100000")
    parser.add_argument("--padded", default="10000,100000,1000000")
    parser.add_argument("--explain", action="store_true", help="print each read's plan")
    parser.add_argument("--keep", action="store_true", help="keep the stores built")
    parser.add_argument("--reuse", default="", help="SIZE=NAME,pSIZE=NAME: stores kept before")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        op, kind, *rest = args.child
        if op == "build":
            print(json.dumps(build(kind, int(rest[0]), rest[1] == "padded")))
        elif op == "measure":
            print(json.dumps(measure(kind, rest[0], rest[1])))
        elif op == "explain":
            print(json.dumps(explain(kind, rest[0])))
        elif op == "upgrade":
            upgrade(kind, rest[0])
            print("null")
        elif op == "drop":
            drop(kind, rest[0])
            print("null")
        return
    kind = args.db
    reuse = dict(pair.split("=", 1) for pair in args.reuse.split(",") if pair)

    def built(size: int, padded: bool) -> str:
        name = reuse.get(f"{'p' if padded else ''}{size}")
        if name is not None:
            child("upgrade", kind, name)
            return name
        name = child("build", kind, str(size), "padded" if padded else "synthetic")
        if args.keep:
            print(f"    (kept: {'p' if padded else ''}{size}={name})", flush=True)
        return name

    def done_with(size: int, padded: bool, name: str) -> None:
        if not args.keep and f"{'p' if padded else ''}{size}" not in reuse:
            child("drop", kind, name)

    baseline_sizes = {int(s) for s in args.baseline_sizes.split(",") if s}
    print(
        f"run_scan (real, rolled back) on {kind}: Tuesday {TUESDAY}, Monday {MONDAY} (weekly "
        f"summary), check-in day {CHECKIN}; one SELECT of every row"
    )
    print(
        f"{'tasks':>9} {'build':>7} {'Tue':>8} {'Mon':>8} {'Mon/Tue':>7} {'RSS Tue':>8} "
        f"{'RSS Mon':>8} {'RSS M/T':>7} {'items':>6} {'queued':>6} {'check-in':>9} "
        f"{'SELECT':>8} {'ck/SEL':>6} {'RSS ck':>7} {'RSS SEL':>8} {'driver':>8} {'ck/drv':>6} "
        f"{'baseline Mon':>13} {'RSS base':>9} {'base/Mon':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",") if s):
        t0 = time.perf_counter()
        name = built(size, padded=False)
        build_seconds = time.perf_counter() - t0
        try:
            tue = child("measure", kind, name, "tuesday")
            mon = child("measure", kind, name, "monday")
            checkin = child("measure", kind, name, "checkin")
            every = child("measure", kind, name, "select")
            driver = child("measure", kind, name, "driver")
            base = (
                child("measure", kind, name, "baseline", optional=True)
                if size in baseline_sizes
                else None
            )
            if args.explain:
                for read, plan in child("explain", kind, name).items():
                    print(f"    {read:>16}: {plan}")
        finally:
            done_with(size, False, name)
        if base is not None:
            assert base["weekly_total"] == mon["weekly_total"], (base, mon)  # same summary
        b = (
            f"{base['seconds'] * 1000:>11.0f}ms {base['rss_mb']:>7.0f}MB "
            f"{base['seconds'] / mon['seconds']:>8.1f}"
            if base
            else f"{'—':>13} {'—':>9} {'—':>8}"
        )
        print(
            f"{size:>9,} {build_seconds:>6.0f}s {tue['seconds'] * 1000:>6.0f}ms "
            f"{mon['seconds'] * 1000:>6.0f}ms {mon['seconds'] / tue['seconds']:>7.2f} "
            f"{tue['rss_mb']:>6.0f}MB {mon['rss_mb']:>6.0f}MB "
            f"{mon['rss_mb'] / tue['rss_mb']:>7.2f} {tue['items']:>6} {tue['queued']:>6} "
            f"{checkin['seconds'] * 1000:>7.0f}ms {every['seconds'] * 1000:>6.0f}ms "
            f"{checkin['seconds'] / every['seconds']:>6.2f} {checkin['rss_mb']:>5.0f}MB "
            f"{every['rss_mb']:>6.0f}MB {driver['seconds'] * 1000:>6.0f}ms "
            f"{checkin['seconds'] / driver['seconds']:>6.2f} {b}",
            flush=True,
        )
    if args.padded:
        print(f"\n25 open items, the table padded with old done tasks ({kind}): Tuesday and Monday")
        print(f"{'tasks':>9} {'Tue':>8} {'Mon':>8} {'items':>6} {'RSS Mon':>8}")
        for size in (int(s) for s in args.padded.split(",") if s):
            name = built(size, padded=True)
            try:
                tue = child("measure", kind, name, "tuesday")
                mon = child("measure", kind, name, "monday")
                if args.explain:
                    for read, plan in child("explain", kind, name).items():
                        print(f"    {read:>16}: {plan}")
            finally:
                done_with(size, True, name)
            print(
                f"{size:>9,} {tue['seconds'] * 1000:>6.0f}ms {mon['seconds'] * 1000:>6.0f}ms "
                f"{tue['items']:>6} {mon['rss_mb']:>6.0f}MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
