"""The morning scan at 10k, 100k and 1M tasks over 1,000 units (synthetic).

    python benchmarks/bench_scan.py [--sizes 10000,100000,1000000]

Each size runs in its own process (clean peak memory). Reported per size, for one
ordinary working day: ``plan_day`` over every task (what a weekly-summary morning
and each day of ``simulate`` cost), ``plan_day`` over the morning's candidate rows
(what ``run_scan`` hands it: the rows the store reads for that day), the items,
microseconds per item on that path, and the baseline measured in the same run: one
plain pass over the task list (the least any full scan costs). ``--store-sizes``
times the real morning job on SQLite (``run_scan``) split into reading the
candidate rows and planning them, against reading every task row.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from data.deadlines import DeadlineKind
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.plan import Policy, ScanWindow, plan_day, scan_window

TODAY = date(2026, 6, 16)  # an ordinary Tuesday
UNITS = [f"u{i:04d}" for i in range(1000)]


def synthetic(n: int, seed: int = 7) -> list[TaskView]:
    """Due dates over 2021–2030; what is past is mostly done; a few terms, ongoing, waiting."""
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    tasks = []
    for number in range(1, n + 1):
        roll = rng.random()
        due = start + timedelta(days=rng.randrange(3652))
        if roll < 0.80:
            kind = DeadlineKind.DUE
        elif roll < 0.90:
            kind = DeadlineKind.TERM
        elif roll < 0.95:
            kind = DeadlineKind.ONGOING
        else:
            kind = DeadlineKind.WAITING
        done = (
            due + timedelta(days=rng.randrange(-20, 5))
            if due < TODAY and rng.random() < 0.999
            else None
        )
        tasks.append(
            TaskView(
                number=number,
                title=f"Nhiệm vụ {number}",
                units=(UNITS[number % len(UNITS)],),
                kind=kind,
                raw_deadline="",
                start=due - timedelta(days=365) if kind is DeadlineKind.TERM else None,
                due=due if kind in (DeadlineKind.DUE, DeadlineKind.TERM) else None,
                done_on=done if done and done <= TODAY else None,
            )
        )
    return tasks


def candidates(tasks: list[TaskView], window: ScanWindow) -> list[TaskView]:
    """The rows the store reads for an ordinary morning (``store.task_views(today=…)``)."""
    today, targets = window.today, window.ladder_targets
    checkin = bool(window.checkin_days)  # the synthetic tasks have no recurring/review rows
    return [
        t
        for t in tasks
        if (
            t.kind in (DeadlineKind.DUE, DeadlineKind.TERM)
            and (t.done_on is None or t.done_on > today)
            and t.due is not None
            and (t.due <= today or t.due in targets)
        )
        or (checkin and t.kind in (DeadlineKind.TERM, DeadlineKind.ONGOING))
    ]


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(n: int) -> dict[str, float]:
    tasks = synthetic(n)
    calendar, policy = WorkCalendar(), Policy()
    last_run = TODAY - timedelta(days=1)
    plan_day(tasks, TODAY - timedelta(days=7), calendar, policy)  # warm the calendar
    full = best_of(3, lambda: plan_day(tasks, TODAY, calendar, policy, last_run))
    t0 = time.perf_counter()
    rows = candidates(tasks, scan_window(TODAY, calendar, policy, last_run))
    select_s = time.perf_counter() - t0
    plan = plan_day(rows, TODAY, calendar, policy, last_run)
    assert plan == plan_day(tasks, TODAY, calendar, policy, last_run)  # same plan
    part = best_of(5, lambda: plan_day(rows, TODAY, calendar, policy, last_run))
    items = sum(len(v) for v in plan.digests.values())
    base = best_of(5, lambda: sum(1 for t in tasks if t.done_on is None))
    return {
        "tasks": n,
        "full_ms": full * 1000,
        "rows": len(rows),
        "select_ms": select_s * 1000,
        "plan_ms": part * 1000,
        "items": items,
        "us_per_item": part * 1e6 / max(items, 1),
        "baseline_ms": base * 1000,
        "full_over_baseline": full / base,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_store(n: int) -> dict[str, float]:
    """The real morning job on SQLite: reading only candidate rows vs reading every row."""
    import tempfile
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from data import db, store
    from data.models import Document, Task, TaskUnit, Unit
    from jobs.scan import run_scan

    tasks = synthetic(n)
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
        db.migrate(engine)
        sessions = db.session_factory(engine)
        now = datetime(2026, 6, 16, tzinfo=UTC)
        with db.transaction(sessions) as session:
            session.execute(
                insert(Unit), [{"id": i + 1, "code": c, "name": c} for i, c in enumerate(UNITS)]
            )
            session.execute(
                insert(Document),
                [{"id": 1, "key": "bench", "doc_date": date(2021, 1, 1), "imported_at": now}],
            )
            rows: list[dict[str, object]] = [
                {
                    "id": t.number,
                    "number": t.number,
                    "document_id": 1,
                    "source_key": str(t.number),
                    "title": t.title,
                    "deadline_kind": t.kind.value,
                    "start_date": t.start,
                    "due_date": t.due,
                    "status": "done" if t.done_on else "open",
                    "done_at": datetime(t.done_on.year, t.done_on.month, t.done_on.day, tzinfo=UTC)
                    if t.done_on
                    else None,
                    "created_at": now,
                    "updated_at": now,
                    "extra": {},
                }
                for t in tasks
            ]
            for start in range(0, n, 20000):
                session.execute(insert(Task), rows[start : start + 20000])
            session.execute(
                insert(TaskUnit),
                [{"task_id": t.number, "unit_id": t.number % len(UNITS) + 1} for t in tasks],
            )
        calendar, policy = WorkCalendar(), Policy()
        last_run = TODAY - timedelta(days=1)
        window = scan_window(TODAY, calendar, policy, last_run)
        with sessions() as session:
            t0 = time.perf_counter()
            result = run_scan(session, TODAY, now, calendar, policy, dry_run=True)
            scan = time.perf_counter() - t0
            t0 = time.perf_counter()
            views = store.task_views(  # the rows run_scan reads, read again: its two parts
                session,
                today=TODAY,
                due_dates=window.ladder_targets.keys(),
                checkin=bool(window.checkin_days),
            )
            read = time.perf_counter() - t0
            planned = best_of(5, lambda: plan_day(views, TODAY, calendar, policy, last_run))
            t0 = time.perf_counter()
            everything = store.task_views(session)
            full = time.perf_counter() - t0
        engine.dispose()
    items = sum(len(v) for v in result.plan.digests.values())
    return {
        "tasks": n,
        "scan_ms": scan * 1000,
        "read_ms": read * 1000,
        "plan_ms": planned * 1000,
        "rows_read": len(views),
        "items": items,
        "rows_read_all_ms": full * 1000,
        "scan_over_read_all": scan / full,
        "rows": len(everything),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--store-sizes", default="10000,100000", help="the job on SQLite")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-store", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    if args.one_store:
        print(json.dumps(measure_store(args.one_store)))
        return
    print("plan_day in memory: over every task (full) and over the morning's candidate rows")
    print(
        f"{'tasks':>9} {'full':>9} {'rows':>7} {'plan':>8} {'items':>7} {'µs/item':>8} "
        f"{'baseline':>9} {'full/base':>9} {'peak RSS':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(out)
        print(
            f"{r['tasks']:>9,} {r['full_ms']:>7.1f}ms {r['rows']:>7,} {r['plan_ms']:>6.1f}ms "
            f"{r['items']:>7,} {r['us_per_item']:>8.2f} {r['baseline_ms']:>7.1f}ms "
            f"{r['full_over_baseline']:>9.2f} {r['peak_rss_mb']:>7.0f}MB"
        )
    if not args.store_sizes:
        return
    print("\nthe morning job on SQLite (run_scan, dry run) vs reading every task row (baseline)")
    print(
        f"{'tasks':>9} {'scan':>9} {'= read':>8} {'rows':>6} {'+ plan':>8} {'items':>7} "
        f"{'read all':>9} {'scan/all':>9} {'peak RSS':>9}"
    )
    for size in (int(s) for s in args.store_sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one-store", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(out)
        print(
            f"{r['tasks']:>9,} {r['scan_ms']:>7.0f}ms {r['read_ms']:>6.0f}ms {r['rows_read']:>6,} "
            f"{r['plan_ms']:>6.1f}ms {r['items']:>7,} {r['rows_read_all_ms']:>7.0f}ms "
            f"{r['scan_over_read_all']:>9.3f} {r['peak_rss_mb']:>7.0f}MB"
        )


if __name__ == "__main__":
    main()
