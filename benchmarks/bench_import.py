"""Import and deadline-reader throughput, each with a baseline measured in the same run.

    python benchmarks/bench_import.py [--file PLAN] [--repeat N] [--deadlines-only]
    python benchmarks/bench_import.py --plan-rows 10000 [--stores sqlite,postgresql]

Baselines: for the import, merely splitting the file into lines and cells (the
least any reader must do); for the deadline reader, folding each phrase to its
matching key (``data.text.fold``, one ``str.translate``). A second, slower
baseline folds with the general Unicode route (NFC, NFD, drop the marks,
casefold: what ``fold`` did before it became a translate table), so readings of
this benchmark taken before and after that change stay comparable. Ratios to
the baselines travel between machines better than seconds do; on a busy machine
compare the ratios, not the phrases per second.

``--plan-rows N``: saving a plan of N rows (the sample's rows repeated, each a new
task) on each store, against a bare bulk insert of the very rows that save wrote
(its tasks, parts and history events, read back and inserted with one Core
executemany per table in a fresh document, the new ids read back with one SELECT),
in the same run; then re-importing it unchanged.
Each timing runs in a transaction rolled back afterwards, so every round meets the
same table (the commit is left out of both sides). PostgreSQL: a throwaway schema
in ``NHACVIEC_TEST_POSTGRES_URL`` (default: the tests' database).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from data import db, revisions, unit_store
from data.deadlines import parse_deadline
from data.importers import load_document, read_file
from data.importers.interpret import ParsedDocument
from data.models import Assignment, Document, Task, TaskEvent
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
    parser.add_argument("--plan-rows", type=int, default=0, help="save a plan this big vs bulk")
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()

    loaded = read_file(args.file)
    registry = UnitRegistry.default()
    parsed = load_document(loaded, registry, doc_date=DOC_DATE, today=DOC_DATE)
    print(f"file: {args.file.name} — {len(parsed.tasks)} tasks, {len(parsed.targets)} targets")
    if args.plan_rows:
        big = big_plan(parsed, args.plan_rows)
        for kind in args.stores.split(","):
            bench_big_save(kind, big, args.repeat)
        return

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


def big_plan(parsed: ParsedDocument, rows: int) -> ParsedDocument:
    """The sample's rows repeated to ``rows``, each copy its own row (key and title)."""
    items = []
    for index in range(rows):
        item = parsed.items[index % len(parsed.items)]
        copy = index // len(parsed.items)
        items.append(
            dataclasses.replace(
                item, source_key=f"{copy}|{item.source_key}", title=f"{item.title} ({copy})"
            )
        )
    return dataclasses.replace(parsed, items=items, proposals=[])


@contextmanager
def bench_engine(kind: str) -> Iterator[Engine]:
    """A migrated, empty store with the sample office's units."""
    with tempfile.TemporaryDirectory() as folder:
        if kind == "sqlite":
            engine = db.make_engine(f"sqlite:///{folder}/bench.sqlite3")
            schema = ""
        else:
            url = os.environ.get(
                "NHACVIEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
            )
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = db.make_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine = db.make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        try:
            db.migrate(engine)
            with db.transaction(db.session_factory(engine)) as session:
                unit_store.ensure_default_units(session)
            yield engine
        finally:
            engine.dispose()
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _rows(session: Session, model: Any, where: Any) -> list[dict[str, Any]]:
    """The rows as stored, without their ids (an insert gives new ones)."""
    columns = [c for c in model.__table__.c if c.key != "id"]
    return [dict(r._mapping) for r in session.execute(select(*columns).where(where))]


def _timed(sessions: sessionmaker[Session], work: Callable[[Session], object]) -> float:
    """``work`` in a transaction rolled back afterwards (the table as it was)."""
    with sessions() as session:
        start = time.perf_counter()
        work(session)
        session.flush()
        elapsed = time.perf_counter() - start
        session.rollback()
    return elapsed


def bench_big_save(kind: str, parsed: ParsedDocument, repeat: int) -> None:
    """Saving a big plan vs a bare bulk insert of the same rows, on one store."""
    repeat = min(repeat, 3)
    with bench_engine(kind) as engine:
        sessions = db.session_factory(engine)
        now = datetime.now(UTC)

        def save(session: Session) -> None:
            revisions.save_document(
                session, parsed, key="bench", source_name="b", sha256="", now=now
            )

        # the rows a save writes, read back once: the baseline inserts exactly these
        with db.transaction(sessions) as session:
            save(session)
            document_id = session.scalar(select(Document.id).where(Document.key == "bench"))
            tasks = _rows(session, Task, Task.document_id == document_id)
            ids = list(
                session.scalars(
                    select(Task.id).where(Task.document_id == document_id).order_by(Task.number)
                )
            )
            tasks.sort(key=lambda r: r["number"])
            index_of = {task_id: i for i, task_id in enumerate(ids)}
            parts = _rows(session, Assignment, Assignment.task_id.in_(ids))
            events = _rows(session, TaskEvent, TaskEvent.task_id.in_(ids))
            top = session.scalar(select(func.max(Task.number))) or 0
            session.execute(delete(TaskEvent).where(TaskEvent.task_id.in_(ids)))
            session.execute(delete(Assignment).where(Assignment.task_id.in_(ids)))
            session.execute(delete(Task).where(Task.document_id == document_id))
            session.execute(delete(Document).where(Document.id == document_id))

        def bulk(session: Session) -> None:
            document = Document(key="bulk", doc_date=DOC_DATE, imported_at=now)
            session.add(document)
            session.flush()
            session.execute(
                insert(_table(Task)),
                [r | {"document_id": document.id, "number": r["number"] + top} for r in tasks],
            )
            new_ids = list(  # the new ids, in the rows' order (their numbers')
                session.scalars(
                    select(Task.id).where(Task.document_id == document.id).order_by(Task.number)
                )
            )
            session.execute(
                insert(_table(Assignment)),
                [r | {"task_id": new_ids[index_of[r["task_id"]]]} for r in parts],
            )
            session.execute(
                insert(_table(TaskEvent)),
                [r | {"task_id": new_ids[index_of[r["task_id"]]]} for r in events],
            )

        baseline = min(_timed(sessions, bulk) for _ in range(repeat))
        saved = min(_timed(sessions, save) for _ in range(repeat))
        with db.transaction(sessions) as session:
            save(session)
        again = min(_timed(sessions, save) for _ in range(repeat))
    print(
        f"{kind}: {len(tasks)} tasks, {len(parts)} parts, {len(events)} events\n"
        f"  bulk insert of the same rows (baseline): {baseline * 1000:8.0f} ms\n"
        f"  save_document, new plan:                 {saved * 1000:8.0f} ms"
        f"  ({saved / baseline:.1f}x)\n"
        f"  re-import, no change:                    {again * 1000:8.0f} ms"
        f"  ({again / baseline:.1f}x)"
    )


if __name__ == "__main__":
    main()
