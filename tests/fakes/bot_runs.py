"""Real ``nhacviec run`` processes against the fake Bot API, and the faults done to them.

Used by ``tests/test_two_runs.py`` and ``benchmarks/bench_faults.py``: a store (a
PostgreSQL schema of the test database, optionally reached through ``TcpProxy``, or a
SQLite file) is filled with ``count`` outbox messages of unique texts to Telegram
groups; processes are started, killed (``SIGKILL``) and the store cut or held; what
the fake received is then compared with what was queued: lost and doubled messages.

Everything that touches the store from here runs in a thread: the fake and the proxy
live on the caller's event loop.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from data import db, outbox
from data.clock import local_date
from data.domain import MessageKind
from tests.fakes.telegram_server import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:FAULTS-token-never-logged-anywhere-x"
POSTGRES_URL = os.environ.get(
    "NHACVIEC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class Store:
    """One store for a run: ``url`` for the processes (maybe through a proxy)."""

    backend: str
    folder: Path
    url: str = ""
    direct: Engine | None = None
    schema: str = ""
    _admin: Engine | None = None

    @classmethod
    def make(cls, backend: str, folder: Path, proxy_port: int | None = None) -> Store:
        found = cls(backend, folder)
        if backend == "sqlite":
            found.url = f"sqlite:///{folder / 'store.sqlite3'}"
            found.direct = db.make_engine(found.url)
        else:
            found.schema = f"t_{uuid.uuid4().hex[:12]}"
            found._admin = db.make_engine(POSTGRES_URL)
            with found._admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{found.schema}"'))
            options = {"options": f"-csearch_path={found.schema}"}
            base = make_url(POSTGRES_URL).update_query_dict(options)
            found.direct = db.make_engine(base.render_as_string(hide_password=False))
            if proxy_port is not None:
                base = base.set(host="127.0.0.1", port=proxy_port)
            found.url = base.render_as_string(hide_password=False)
        db.migrate(found.direct)
        return found

    def drop(self) -> None:
        if self.direct is not None:
            self.direct.dispose()
        if self._admin is not None:
            with self._admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            self._admin.dispose()

    def seed(self, count: int, chats: int) -> list[str]:
        """``count`` alerts over ``chats`` Telegram groups, due now; their texts."""
        assert self.direct is not None
        now = datetime.now(UTC)
        texts = [f"tin {i:05d}" for i in range(count)]
        messages = [
            outbox.Outgoing(
                "telegram",
                str(-1000 - i % chats),
                MessageKind.ALERT,
                local_date(now),
                body,
                key_suffix=f"f{i}",
            )
            for i, body in enumerate(texts)
        ]
        with db.transaction(db.session_factory(self.direct)) as session:
            outbox.enqueue(session, messages, now)
        return texts

    def left(self) -> dict[str, int]:
        """Outbox rows by status."""
        assert self.direct is not None
        with self.direct.connect() as conn:
            rows = conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))
            return {str(status): int(n) for status, n in rows}


class SqliteWriter:
    """Another writer on a SQLite store: holds its write lock for ``hold`` seconds every
    ``every`` seconds (an import, a console edit), until stopped."""

    def __init__(self, path: Path, hold: float, every: float) -> None:
        self.path, self.hold, self.every = path, hold, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.held = 0

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        while not self._stop.wait(self.every - self.hold):
            conn.execute("BEGIN IMMEDIATE")
            self.held += 1
            self._stop.wait(self.hold)
            conn.execute("COMMIT")
        conn.close()

    def hold_for(self, seconds: float) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


@dataclass
class Run:
    """One ``nhacviec run`` process, its output in a file."""

    process: asyncio.subprocess.Process
    log: Path

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start_run(store: Store, fake: FakeBotApi, folder: Path, name: str) -> Run:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NHACVIEC_", "TELEGRAM_", "ZALO_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=fake.base_url,
        NHACVIEC_DATABASE_URL=store.url,
        NHACVIEC_DATA_DIR=str(folder / name),
        NHACVIEC_DISPATCH_EVERY_SECONDS="1",
        NHACVIEC_SCAN_TIME="23:59:59",  # no morning scan during the run: only the seeded rows
        NHACVIEC_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    log = folder / f"{name}.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=folder,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log.open("w"),
        stderr=asyncio.subprocess.STDOUT,
    )
    return Run(process, log)


@dataclass
class Outcome:
    queued: int
    delivered: int
    lost: int
    doubled: int
    busiest_second: int
    timeline: dict[str, float] = field(default_factory=dict)


def outcome(fake: FakeBotApi, texts: list[str], **timeline: float) -> Outcome:
    copies = Counter(d.text for d in fake.delivered)
    return Outcome(
        queued=len(texts),
        delivered=len(fake.delivered),
        lost=sum(1 for t in texts if copies[t] == 0),
        doubled=sum(n - 1 for n in copies.values() if n > 1),
        busiest_second=fake.busiest(1.0),
        timeline=timeline,
    )


async def until(check: Callable[[], bool], timeout: float, step: float = 0.1) -> float:
    """Wait for ``check``; the seconds it took (raises TimeoutError)."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise TimeoutError
        await asyncio.sleep(step)
    return time.monotonic() - started


def all_delivered(fake: FakeBotApi, texts: list[str]) -> Callable[[], bool]:
    wanted = set(texts)
    return lambda: wanted <= {d.text for d in fake.delivered}
