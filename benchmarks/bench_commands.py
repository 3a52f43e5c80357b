"""Chat command latency at scale: a unit's group and the office's, on PostgreSQL.

    python benchmarks/bench_commands.py [--tasks 100000] [--units 1000] [--db postgresql|sqlite]

The store is filled like ``bench_scan`` (synthetic tasks, one owner part each, due
dates 2021–2030, past ones 99.9 % done), 30 units' groups and the office's group are
registered, and ``ChatService.handle`` answers each command as a chat would ask it
(one transaction each, warm database). Reported per command: p50 / p95 / max over
the runs, and the longest answer (Telegram's limit is 4,096 characters). Baseline,
in the same run: what /quahan and /tiendo did for the office before (every task read
into memory: ``scan_views.task_views`` + ``Due.overdue``; the year's ``load_report``).
Goals: a unit's commands ≤ 200 ms p95, the office's ≤ 1 s at 200k tasks / 5,000 units.
``--keep`` leaves the store in place, ``--reuse NAME`` measures it again.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scan  # noqa: E402

from bot.access import Sender  # noqa: E402
from bot.service import ChatService  # noqa: E402
from data import chat_store, db, unit_store  # noqa: E402
from data import store as tasks  # noqa: E402
from data.domain import ChatAddress, ChatRole  # noqa: E402
from jobs.due import Due  # noqa: E402
from jobs.office_report import load_report  # noqa: E402

TODAY = date(2026, 6, 16)
NOW = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
UNIT_COMMANDS = ("/homnay", "/tuannay", "/thangnay", "/quahan", "/tiendo")
OFFICE_COMMANDS = ("/tuannay", "/thangnay", "/quahan", "/tiendo")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--db", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--runs", type=int, default=30, help="unit command calls (random units)")
    parser.add_argument("--office-runs", type=int, default=10)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the store built (name printed)")
    parser.add_argument("--reuse", default=None, help="a store kept before (its --tasks/--units)")
    args = parser.parse_args()
    rng = random.Random(3)
    t0 = time.perf_counter()
    name = args.reuse
    try:
        with bench_scan.store(args.db, args.reuse) as (engine, name):
            if args.reuse:
                engine.dispose()
                bench_scan.upgrade(args.db, name)
            else:
                db.migrate(engine)
                rows = bench_scan.synthetic_rows(args.tasks, args.units)
                bench_scan.fill(engine, rows, args.units)
            sessions = db.session_factory(engine)
            with db.transaction(sessions) as session:
                units = unit_store.list_units(session)
                chosen = rng.sample(units, 30)
                for unit in chosen:
                    address = ChatAddress("telegram", f"g-{unit.code}")
                    chat_store.bind_chat(session, address, ChatRole.UNIT, unit, NOW)
                chat_store.bind_chat(
                    session, ChatAddress("telegram", "office"), ChatRole.ADMIN, None, NOW
                )
            print(
                f"{args.tasks:,} tasks over {args.units:,} units on {args.db} "
                f"(built in {time.perf_counter() - t0:.0f}s); today {TODAY}"
            )
            service = ChatService(sessions, lambda: NOW)

            def ask(chat: str, command: str) -> tuple[float, int]:
                sender = Sender("telegram", chat, "1", "Lan")
                started = time.perf_counter()
                reply = service.handle(sender, command)
                elapsed = time.perf_counter() - started
                assert reply is not None
                return elapsed, len(reply.text)

            ask("office", "/quahan")  # warm caches (holidays, rules)
            print(
                f"{'chat':>7} {'command':>10} {'p50':>8} {'p95':>8} {'max':>8} "
                f"{'longest answer':>15}"
            )
            for label, commands, runs in (
                ("unit", UNIT_COMMANDS, args.runs),
                ("office", OFFICE_COMMANDS, args.office_runs),
            ):
                for command in commands:
                    times, sizes = [], []
                    for _ in range(runs):
                        chat = f"g-{rng.choice(chosen).code}" if label == "unit" else "office"
                        elapsed, size = ask(chat, command)
                        times.append(elapsed)
                        sizes.append(size)
                    print(
                        f"{label:>7} {command:>10} {statistics.median(times) * 1000:>6.0f}ms "
                        f"{pct(times, 0.95) * 1000:>6.0f}ms {max(times) * 1000:>6.0f}ms "
                        f"{max(sizes):>10,} chars",
                        flush=True,
                    )
            if not args.no_baseline:
                due = Due(service.calendar, service.policy)
                with sessions() as session:
                    started = time.perf_counter()
                    late = due.overdue(tasks.task_views(session), TODAY)
                    before = time.perf_counter() - started
                print(
                    f"baseline: office /quahan as before (every task in memory): "
                    f"{before * 1000:.0f}ms ({len(late)} late parts)",
                    flush=True,
                )
                if args.tasks <= 20_000:
                    with sessions() as session:
                        started = time.perf_counter()
                        load_report(session, due, date(2026, 1, 1), date(2026, 12, 31), TODAY)
                        before = time.perf_counter() - started
                    print(f"baseline: office /tiendo as before (load_report): {before:.1f}s")
                else:
                    print("baseline: office /tiendo as before: not rerun (the issue: 288–294 s)")
    finally:  # a failed run leaves no store behind unless asked to keep it
        if name and (args.keep or args.reuse):
            print(f"(store kept: --reuse {name})")
        elif name:
            bench_scan.drop(args.db, name)


if __name__ == "__main__":
    main()
