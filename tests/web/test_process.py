"""The bot and the console in one process (``nhacviec run`` with NHACVIEC_WEB_LISTEN).

A real child process against a minimal fake Telegram Bot API: the console answers
beside the bot; SIGTERM stops both and the process exits 0; a console port already
taken is one logged line and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.web.server import Console, ConsoleThread

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-console"
BOT = {"id": 123456, "is_bot": True, "first_name": "Nhắc việc", "username": "NhacViecBot"}


class FakeTelegram:
    """Every Bot API method answers ok; getUpdates waits a little and says nothing."""

    def __init__(self) -> None:
        self.calls: list[str] = []

        async def method(request: Request) -> JSONResponse:
            name = request.path_params["method"]
            self.calls.append(name)
            if name == "getUpdates":
                await asyncio.sleep(0.2)
                return JSONResponse({"ok": True, "result": []})
            return JSONResponse({"ok": True, "result": BOT if name == "getMe" else True})

        app = Starlette(routes=[Route("/bot{token}/{method}", method, methods=["GET", "POST"])])
        self.thread = ConsoleThread(Console(None, "127.0.0.1:0", app=app, proxy_headers=False))

    def __enter__(self) -> FakeTelegram:
        assert self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.thread.stop()

    @property
    def base_url(self) -> str:
        return f"{self.thread.console.address}/bot"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def start_bot(tmp_path: Path, telegram: FakeTelegram, listen: str) -> subprocess.Popen[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NHACVIEC_", "TELEGRAM_", "ZALO_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=telegram.base_url,
        NHACVIEC_DATA_DIR=str(tmp_path / "var"),
        NHACVIEC_WEB_LISTEN=listen,
        NHACVIEC_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(check: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"the bot did not stop on SIGTERM:\n{output}") from None
    return output


def test_bot_and_console_run_together_and_stop_on_sigterm(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    port = free_port()
    process = start_bot(tmp_path, telegram, f"127.0.0.1:{port}")
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/login") or process.poll() is not None)
        assert process.poll() is None
        wait_for(lambda: "getUpdates" in telegram.calls)  # the bot polls beside it
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert not answers(f"http://127.0.0.1:{port}/login")  # the console is gone too
    assert "Traceback" not in output, output


def test_a_busy_console_port_is_reported_and_the_bot_keeps_running(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        process = start_bot(tmp_path, telegram, f"127.0.0.1:{port}")
        try:
            wait_for(lambda: telegram.calls.count("getUpdates") >= 2 or process.poll() is not None)
            assert process.poll() is None  # still running
        finally:
            output = stop(process)
    assert process.returncode == 0, output
    assert f"Không mở được bảng điều khiển web tại 127.0.0.1:{port}" in output


def test_the_demo_serves_the_console_with_a_demo_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import re
    from datetime import date

    from bot.demo import run_demo
    from bot.settings import Settings

    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    seen: list[int] = []

    class Typist(io.StringIO):
        """The person at the demo: opens the console, then leaves the chat."""

        def readline(self, size: int | None = -1) -> str:
            address = re.search(r"http://127\.0\.0\.1:\d+", out.getvalue())
            assert address, out.getvalue()[-500:]
            seen.append(httpx.get(address.group(0) + "/login").status_code)
            return ""

    settings = Settings(telegram_bot_token=None, zalo_bot_token=None, web_listen="127.0.0.1:0")
    codes: list[int] = []
    # in a thread of its own: the browser tests' Playwright keeps a loop on this one
    worker = threading.Thread(
        target=lambda: codes.append(run_demo(settings, date(2026, 6, 16), Typist(), out))
    )
    worker.start()
    worker.join(timeout=120)
    assert codes == [0], out.getvalue()[-1000:]
    assert seen == [200]
    assert "Tên đăng nhập: vanphong" in out.getvalue()


def test_the_console_compiles_every_template_when_it_starts(tmp_path: Path) -> None:
    """A page's first visitor does not wait for its template to compile: the console
    compiles them all once it listens."""
    from bot.web.core import TEMPLATES, Web
    from tests.conftest import sample_runtime
    from tests.web.conftest import NOW

    runtime = sample_runtime(tmp_path, NOW)
    server = ConsoleThread(Console(runtime, "127.0.0.1:0", bot_username=lambda: None))
    try:
        assert server.start(), server.console.error
        web = server.console.app.state.web  # type: ignore[attr-defined]
        assert isinstance(web, Web)
        compiled = {name for _, name in web.env.cache} if web.env.cache else set()
        pages = {p.name for p in TEMPLATES.glob("*.html")}
        assert pages and pages <= compiled
    finally:
        server.stop()
        runtime.close()


def test_the_console_counts_the_default_dashboard_before_anyone_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once it listens, the console's warmer counts the day's default dashboard; when
    the console stops, so does the warmer."""
    from bot.web import views
    from jobs.office_report import report_counts as real
    from tests.conftest import sample_runtime
    from tests.web.conftest import NOW

    counted = threading.Event()

    def counting(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        counted.set()
        return found

    monkeypatch.setattr(views, "report_counts", counting)
    runtime = sample_runtime(tmp_path, NOW)
    server = ConsoleThread(Console(runtime, "127.0.0.1:0", bot_username=lambda: None))
    try:
        assert server.start(), server.console.error
        assert counted.wait(10)  # nobody asked a page
    finally:
        server.stop()
        runtime.close()
    names = {thread.name for thread in threading.enumerate()}
    assert "console-figures" not in names


def test_the_console_answers_a_kept_alive_connection_at_once() -> None:
    """A browser keeps its connection: each answer is sent at once (TCP_NODELAY on every
    accepted connection), not held until the browser's delayed ACK (40 ms a page)."""
    from bot.web.server import bind

    listening = bind("127.0.0.1:0")
    try:
        with socket.create_connection(listening.getsockname()[:2]):
            accepted, _ = listening.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        listening.close()
