"""Import and deadline-reader throughput, each with a baseline measured in the same run.

    python benchmarks/bench_import.py [--file PLAN] [--repeat N] [--deadlines-only]

Baselines: for the import, merely splitting the file into lines and cells (the
least any reader must do); for the deadline reader, folding each phrase to its
matching key (``data.text.fold``, one ``str.translate``). A second, slower
baseline folds with the general Unicode route (NFC, NFD, drop the marks,
casefold: what ``fold`` did before it became a translate table), so readings of
this benchmark taken before and after that change stay comparable. Ratios to
the baselines travel between machines better than seconds do; on a busy machine
compare the ratios, not the phrases per second.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from data import db, revisions, unit_store
from data.deadlines import parse_deadline
from data.importers import load_document, read_file
from data.importers.interpret import ParsedDocument
from data.text import clean, fold, strip_accents
from data.units import UnitRegistry

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"
DOC_DATE = date(2026, 4, 1)
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)


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
    parser.add_argument(
        "--deadlines-only", action="store_true", help="skip the SQLite save timings"
    )
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

    if not args.deadlines_only:
        bench_store(parsed, args.repeat)
    bench_deadlines([i.deadline.raw for i in parsed.items] * 200, args.repeat)


def _general_fold(text: str) -> str:
    """The general Unicode route of folding (``fold`` before its translate table)."""
    return " ".join(strip_accents(clean(text)).translate(_DASHES).casefold().split())


def bench_deadlines(phrases: list[str], repeat: int) -> None:
    fold_time = best_of(repeat, lambda: [fold(p) for p in phrases])
    general_time = best_of(repeat, lambda: [_general_fold(p) for p in phrases])
    read_time = best_of(repeat, lambda: [parse_deadline(p, DOC_DATE) for p in phrases])
    print(f"deadline phrases: {len(phrases)} per round")
    print(f"fold (baseline):   {len(phrases) / fold_time:10,.0f} phrases/s")
    print(f"general fold:      {len(phrases) / general_time:10,.0f} phrases/s")
    print(
        f"parse_deadline:    {len(phrases) / read_time:10,.0f} phrases/s  "
        f"({read_time / fold_time:.1f}x fold's time, "
        f"{read_time / general_time:.1f}x the general fold's)"
    )


def bench_store(parsed: ParsedDocument, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            unit_store.ensure_default_units(session)

        def save() -> None:
            with db.transaction(sessions) as session:
                revisions.save_document(
                    session, parsed, key="bench", source_name="b", sha256="", now=datetime.now(UTC)
                )

        first = best_of(1, save)
        again = best_of(repeat, save)
        engine.dispose()
    print(f"first save to SQLite:         {first * 1000:8.2f} ms")
    print(f"re-import (no change):        {again * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
