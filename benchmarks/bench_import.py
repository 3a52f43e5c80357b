"""Import and deadline-reader throughput, each with a baseline measured in the same run.

    python benchmarks/bench_import.py [--file PLAN] [--repeat N]

Baselines: for the import, merely splitting the file into lines and cells (the
least any reader must do); for the deadline reader, folding each phrase to its
matching key (``data.text.fold``). Ratios to those baselines travel between
machines better than seconds do.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from data import db, store
from data.deadlines import parse_deadline
from data.importers import load_document, read_file
from data.text import fold
from data.units import UnitRegistry

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"
DOC_DATE = date(2026, 4, 1)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    loaded = read_file(args.file)
    registry = UnitRegistry.default()
    parsed = load_document(loaded, registry, doc_date=DOC_DATE, today=DOC_DATE)
    print(f"file: {args.file.name} — {len(parsed.tasks)} tasks, {len(parsed.targets)} targets")

    def split_only() -> None:
        for line in loaded.content.decode("utf-8").splitlines():
            line.split("\t")

    def parse_only() -> None:
        load_document(loaded, registry, doc_date=DOC_DATE, today=DOC_DATE)

    baseline = best_of(args.repeat, split_only)
    parse_time = best_of(args.repeat, parse_only)
    print(f"split lines/cells (baseline): {baseline * 1000:8.2f} ms")
    print(
        f"read + interpret:             {parse_time * 1000:8.2f} ms  ({parse_time / baseline:.0f}x)"
    )

    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            store.ensure_default_units(session)

        def save() -> None:
            with db.transaction(sessions) as session:
                store.save_document(
                    session, parsed, key="bench", source_name="b", sha256="", now=datetime.now(UTC)
                )

        first = best_of(1, save)
        again = best_of(args.repeat, save)
        engine.dispose()
    print(f"first save to SQLite:         {first * 1000:8.2f} ms")
    print(f"re-import (no change):        {again * 1000:8.2f} ms")

    phrases = [i.deadline.raw for i in parsed.items] * 200
    fold_time = best_of(args.repeat, lambda: [fold(p) for p in phrases])
    read_time = best_of(args.repeat, lambda: [parse_deadline(p, DOC_DATE) for p in phrases])
    print(f"deadline phrases: {len(phrases)} per round")
    print(f"fold (baseline):   {len(phrases) / fold_time:10,.0f} phrases/s")
    print(
        f"parse_deadline:    {len(phrases) / read_time:10,.0f} phrases/s  "
        f"({read_time / fold_time:.1f}x the baseline's time)"
    )


if __name__ == "__main__":
    main()
