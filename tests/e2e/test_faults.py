"""The real ``nhacviec run`` with PostgreSQL gone across the scan time: nothing lost.

The bot runs as a subprocess (``python -m bot``, what ``nhacviec run`` runs) with its
store reached through a TCP proxy on 127.0.0.1 that the test closes and opens, and
``TELEGRAM_BASE_URL`` at a fake Bot API that keeps Telegram's flood limits (the
emulator cannot serve an unmodified bot: see README.md). The scan time is set a few
seconds ahead; the store goes away before it and comes back a little after it. Every
unit's digest must still go out that day, once, and the log must say the scan failed
and was tried again rather than that it ran.

Today's date is the real one (the bot reads the clock): on a day off in Vietnam no
digest is due, so there is nothing to lose and the test is skipped with that reason.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime
from bot.settings import Settings
from data import chat_store, db, revisions, unit_store
from data.clock import VN_TZ, local_date
from data.domain import ChatAddress, ChatRole, OutboxStatus
from data.models import OutboxMessage
from jobs.calendar import WorkCalendar
from jobs.channels import split_message
from jobs.scan import run_scan
from tests.conftest import POSTGRES_URL, parse_sample
from tests.fakes.pg_proxy import TcpProxy
from tests.fakes.telegram_server import FakeBotApi

from .emulator import PROJECT_ROOT

TOKEN = "123456:FAULTS-token-never-logged-anywhere-x"
ADMIN_CHAT = -1000
UNTIL_SCAN = 20.0  # seconds from now to the scan time: the bot is up and polling by then
OUTAGE_AFTER_SCAN = 8.0  # the store comes back this long after the scan time


@dataclass
class Store:
    schema: str
    engine: Engine
    sessions: sessionmaker[Session]

    def url(self, port: int) -> str:
        base = POSTGRES_URL.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
        return f"{base}?options=-csearch_path%3D{self.schema}"


@pytest.fixture
def pg_store() -> Iterator[Store]:
    """A fresh schema in the ``test`` database, migrated, with the sample office."""
    schema = f"faults_{uuid.uuid4().hex[:10]}"
    admin = db.make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        runtime = Runtime.open(Settings(database_url="postgresql://unused"), engine=engine)
        yield Store(schema, engine, runtime.sessions)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def office(sessions: sessionmaker[Session], now: datetime) -> None:
    """The sample plan; each unit a Telegram group (numeric ids), and the office's chat."""
    with db.transaction(sessions) as session:
        unit_store.ensure_default_units(session)
        revisions.save_document(
            session, parse_sample(), key="kh", source_name="", sha256="", now=now
        )
        for i, unit in enumerate(unit_store.list_units(session)):
            address = ChatAddress("telegram", str(-1001 - i))
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
        admin = ChatAddress("telegram", str(ADMIN_CHAT))
        chat_store.bind_chat(session, admin, ChatRole.ADMIN, None, now)


def planned(sessions: sessionmaker[Session], now: datetime) -> list[tuple[int, str]]:
    """(chat, text) of every message part today's scan sends: a dry run, before the bot."""
    settings = Settings()
    with db.transaction(sessions) as session:
        result = run_scan(
            session, local_date(now), now, WorkCalendar(), settings.policy, dry_run=True
        )
    return sorted(
        (int(m.destination.chat_id), part)
        for m in result.messages
        if m.destination is not None
        for part in split_message(m.text, 4096)
    )


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    host, _, port = POSTGRES_URL.rsplit("@", 1)[1].split("/", 1)[0].partition(":")
    tcp = TcpProxy(host, int(port or 5432))
    await tcp.open()
    try:
        yield tcp
    finally:
        await tcp.close()


async def until(what: str, check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.1)


def log_text(log: IO[bytes]) -> str:
    log.flush()
    return Path(log.name).read_text(encoding="utf-8", errors="replace")


async def test_postgres_down_across_the_scan_time_every_digest_still_goes_out_once(
    pg_store: Store, proxy: TcpProxy, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    local = now.astimezone(VN_TZ)
    if not WorkCalendar().is_working_day(local.date()):
        pytest.skip(f"{local:%A %d/%m/%Y} is a day off in Vietnam: no digest is due today")
    if local.time() > clock_time(23, 58):
        pytest.skip("too close to midnight in Vietnam for a scan a few seconds ahead")
    office(pg_store.sessions, now)
    expected = planned(pg_store.sessions, now)
    assert len(expected) > 3
    scan_at = (local + timedelta(seconds=UNTIL_SCAN)).replace(microsecond=0)

    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "NHACVIEC_DATABASE_URL": pg_store.url(proxy.port),
        "NHACVIEC_SCAN_TIME": f"{scan_at:%H:%M:%S}",
        "NHACVIEC_LOG_LEVEL": "INFO",
    }
    for name in ("ZALO_BOT_TOKEN", "NHACVIEC_ZALO_BOT_TOKEN", "NHACVIEC_DATA_DIR"):
        env.pop(name, None)
    with open(tmp_path / "bot.log", "w+b") as log:  # noqa: ASYNC230 - a local file
        async with FakeBotApi() as telegram:
            env["TELEGRAM_BASE_URL"] = telegram.base_url
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
            )
            try:
                await until("the bot to poll", lambda: telegram.calls["getUpdates"] > 0, 18.0)
                assert datetime.now(VN_TZ) < scan_at, "the bot started too slowly for the test"
                await proxy.close()  # PostgreSQL goes away before the scan time

                back_at = scan_at + timedelta(seconds=OUTAGE_AFTER_SCAN)
                await asyncio.sleep((back_at - datetime.now(VN_TZ)).total_seconds())
                assert telegram.delivered == []  # nothing could be scanned
                assert "attempt 1 failed" in log_text(log)
                await proxy.open()  # back on the same port

                await until("every digest", lambda: len(telegram.delivered) >= len(expected), 30.0)
                await asyncio.sleep(3.0)  # anything doubled would come now
            finally:
                if bot.returncode is None:
                    bot.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(bot.wait(), 15.0)
                except TimeoutError:
                    bot.kill()
                    await bot.wait()
        output = log_text(log)

    assert sorted((d.chat_id, d.text) for d in telegram.delivered) == expected, output[-3000:]
    assert telegram.provoked == 0
    # the log tells the truth: the scan failed, was tried again, and ran
    assert re.search(r"scan \S+: attempt 1 failed \(.*?\); again in 5s", output, re.S), output[
        -3000:
    ]
    assert re.search(r"scan \S+: \d+ queued, 0 already queued \(attempt [2-9]\)", output)
    with pg_store.sessions() as session:
        statuses = set(session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT}
