"""`GET /healthz` and the outside monitor's ping (issue 21, operations)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from bot.heartbeat import Heartbeat
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web.app import create_app
from data import db
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher
from jobs.plan import Policy
from jobs.scan import run_scan
from tests.conftest import POSTGRES_URL, _postgres_engine, bind_every_unit, sample_runtime
from tests.fake_channel import FakeChannel
from tests.fakes.pg_proxy import TcpProxy

TUESDAY_EARLY = datetime(2026, 6, 16, 0, 0, tzinfo=UTC)  # 07:00 in Hà Nội: before the scan
TUESDAY_LATE = datetime(2026, 6, 16, 4, 0, tzinfo=UTC)  # 11:00: the scan is overdue
SUNDAY_LATE = datetime(2026, 6, 14, 4, 0, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    found = sample_runtime(tmp_path, TUESDAY_EARLY)
    yield found
    found.close()


def test_healthz_needs_no_sign_in_and_tells_the_state(runtime: Runtime) -> None:
    with TestClient(create_app(runtime)) as client:
        answer = client.get("/healthz")
        assert answer.status_code == 200
        body = answer.json()
        assert body["database"] == "ok"
        assert body["scan"] == {"last_day": None, "ran_at": None, "today": "not_yet"}
        assert body["outbox"] == {"waiting": 0, "parked": 0}

        runtime.clock = lambda: SUNDAY_LATE
        assert client.get("/healthz").json()["scan"]["today"] == "day_off"

        runtime.clock = lambda: TUESDAY_LATE  # a working day, hours past 07:30, no scan
        late = client.get("/healthz")
        assert late.status_code == 503
        assert late.json()["scan"]["today"] == "overdue"

        bind_every_unit(runtime.sessions, "telegram", TUESDAY_LATE)
        with db.transaction(runtime.sessions) as session:
            run_scan(session, TUESDAY_LATE.date(), TUESDAY_LATE, WorkCalendar(), Policy())
        done = client.get("/healthz")
        assert done.status_code == 200
        body = done.json()
        assert body["scan"]["last_day"] == "2026-06-16"
        assert body["scan"]["today"] == "done"
        assert body["outbox"]["waiting"] > 0


async def test_healthz_is_503_while_postgresql_is_away_and_200_when_back(
    tmp_path: Path,
) -> None:
    proxy = TcpProxy("127.0.0.1", make_url(POSTGRES_URL).port or 5432)
    await proxy.open()
    engines = _postgres_engine()
    direct = next(engines)
    with direct.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    url = make_url(POSTGRES_URL).set(host="127.0.0.1", port=proxy.port)
    engine = db.make_engine(
        url.render_as_string(hide_password=False),
        connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 2},
    )
    settings = Settings(data_dir=tmp_path, telegram_bot_token=None, zalo_bot_token=None)
    # the proxy lives on this loop: everything that blocks goes to a thread
    runtime = await asyncio.to_thread(Runtime.open, settings, engine)
    runtime.clock = lambda: TUESDAY_EARLY
    try:
        client = TestClient(await asyncio.to_thread(create_app, runtime))

        def status() -> int:
            return client.get("/healthz").status_code

        assert await asyncio.to_thread(status) == 200
        await proxy.close()
        assert await asyncio.to_thread(status) == 503
        await proxy.open()
        assert await asyncio.to_thread(status) == 200
    finally:
        runtime.close()
        await proxy.close()
        for _ in engines:
            pass


async def test_a_dispatch_round_pings_the_monitor_at_most_once_a_gap(tmp_path: Path) -> None:
    pings: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        pings.append(str(request.url))
        return httpx.Response(200)

    beat = Heartbeat("https://hc.example/ping/abc", transport=httpx.MockTransport(answer))
    engine = db.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    db.migrate(engine)
    bot = Dispatcher(
        db.session_factory(engine),
        {"fake": FakeChannel()},
        clock=lambda: TUESDAY_EARLY,
        on_round=lambda _report: beat.beat(),
    )
    await bot.drain()
    await bot.drain()  # within the gap: no second ping
    await beat.settled()
    assert pings == ["https://hc.example/ping/abc"]
    beat.beat(force=True)  # after a scan
    await beat.settled()
    assert len(pings) == 2
    engine.dispose()


async def test_a_failed_ping_is_logged_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    beat = Heartbeat("https://hc.example/ping/abc", transport=httpx.MockTransport(down))
    with caplog.at_level(logging.WARNING):
        beat.beat()
        await beat.settled()
    assert beat.failed == 1
    assert "health ping failed" in caplog.text
    assert "hc.example" not in caplog.text  # the URL may carry the check's secret id
