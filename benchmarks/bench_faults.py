"""The fault runs of issue 24, repeated: real ``nhacviec run`` processes, the fake Bot API.

    python benchmarks/bench_faults.py [--count 300] [--only kill9-postgresql,…] [--json]

Each scenario queues ``--count`` messages (unique texts, 3 per group) in a fresh store,
starts ``nhacviec run`` and, once a third is delivered, does its fault:

* ``kill9-postgresql`` — kill -9 mid-dispatch, started again at once (recovery: the
  restart);
* ``kill9-sqlite-held`` — the same on SQLite while another writer takes the write lock
  for 3 s every 6 s (an import, the console);
* ``cut-postgresql`` — the database cut for 20 s (``TcpProxy``: every connection reset,
  new ones refused; recovery: the proxy open again);
* ``cut-sqlite-held`` — another writer holds SQLite's write lock for 20 s (recovery:
  the lock released).

It reports for each: seconds from recovery to the last message delivered (goal ≤ 30),
lost (goal 0), sent twice, and the busiest second at the fake (≤ 30). Sent twice: 0 for
a cut of the store; after a kill -9, a part the platform had taken when the process
died cannot be known sent (the Bot API has no idempotency key), so at most the parts in
flight at the kill (one per row being sent: ``IN_FLIGHT``) may go again; every other row
goes once. Exit code 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_runs import (  # noqa: E402
    POSTGRES_URL,
    Outcome,
    SqliteWriter,
    Store,
    all_delivered,
    outcome,
    start_run,
    until,
)
from tests.fakes.pg_proxy import TcpProxy  # noqa: E402
from tests.fakes.telegram_server import FakeBotApi  # noqa: E402

SCENARIOS = ["kill9-postgresql", "kill9-sqlite-held", "cut-postgresql", "cut-sqlite-held"]
CUT = 20.0  # seconds the store is away
GOAL = 30.0  # seconds from recovery to the last delivery
IN_FLIGHT = 4  # rows a drain sends at once (Dispatcher.concurrency)


async def scenario(name: str, count: int, folder: Path) -> Outcome:
    kind, _, backend = name.partition("-")
    backend = backend.removesuffix("-held")
    proxy = None
    if kind == "cut" and backend == "postgresql":
        proxy = TcpProxy("127.0.0.1", make_url(POSTGRES_URL).port or 5432)
        await proxy.open()
    store = await asyncio.to_thread(
        Store.make, backend, folder, proxy.port if proxy is not None else None
    )
    writer = None
    if name == "kill9-sqlite-held":
        writer = SqliteWriter(folder / "store.sqlite3", hold=3.0, every=6.0)
        writer.start()
    runs = []
    try:
        texts = await asyncio.to_thread(store.seed, count, max(1, count // 3))
        async with FakeBotApi() as fake:
            runs.append(await start_run(store, fake, folder, "first"))
            await until(lambda: len(fake.delivered) >= count // 3, 120)
            if kind == "kill9":
                runs[0].kill()
                await runs[0].process.wait()
                runs.append(await start_run(store, fake, folder, "again"))
            elif proxy is not None:
                await proxy.close()
                await asyncio.sleep(CUT)
                await proxy.open()
            else:
                held = threading.Thread(
                    target=SqliteWriter(folder / "store.sqlite3", CUT, CUT).hold_for, args=(CUT,)
                )
                held.start()
                await asyncio.to_thread(held.join)
            took = await until(all_delivered(fake, texts), 180)
            await asyncio.sleep(2)  # anything sent twice arrives by now
            found = outcome(fake, texts, after_recovery=round(took, 1))
            found.timeline["rows_left"] = sum(
                n for status, n in (await asyncio.to_thread(store.left)).items() if status != "sent"
            )
            return found
    finally:
        if writer is not None:
            writer.stop()
        for run in runs:
            await run.stop()
        if proxy is not None:
            await proxy.close()
        await asyncio.to_thread(store.drop)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, Outcome] = {}
    for name in args.only.split(","):
        with tempfile.TemporaryDirectory(prefix=f"nhacviec-{name}-") as folder:
            results[name] = await scenario(name, args.count, Path(folder))
        r = results[name]
        print(
            f"{name:<18} recovered→done {r.timeline['after_recovery']:5.1f} s  "
            f"lost {r.lost}  twice {r.doubled}  busiest second {r.busiest_second}  "
            f"rows not sent {r.timeline['rows_left']:.0f}",
            flush=True,
        )
    if args.json:
        print(json.dumps({k: asdict(v) for k, v in results.items()}, indent=2))
    missed = [
        name
        for name, r in results.items()
        if r.lost
        or r.doubled > (IN_FLIGHT if name.startswith("kill9") else 0)
        or r.busiest_second > 30
        or r.timeline["after_recovery"] > GOAL
    ]
    if missed:
        print(f"goals missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
