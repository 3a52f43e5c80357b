"""Serving the console: inside the bot's event loop, in a thread (the demo), or alone.

The socket is bound before uvicorn starts, so a busy port is one logged line and
the bot goes on; uvicorn's own signal capture is off, so SIGTERM is the bot's to
handle (it stops the console with everything else).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import socket
import threading
from collections.abc import Callable, Generator, Sequence
from typing import Any, TextIO

import uvicorn
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from bot.runtime import Runtime

log = logging.getLogger(__name__)

DEFAULT_LISTEN = "127.0.0.1:8080"


class ConsoleServer(uvicorn.Server):
    """uvicorn without its signal handlers: the process that hosts it owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def parse_listen(listen: str) -> tuple[str, int]:
    """ "HOST:PORT" (or ":PORT", or "[::1]:PORT") → (host, port)."""
    host, sep, port = listen.strip().rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"địa chỉ phải có dạng HOST:CỔNG, ví dụ 127.0.0.1:8080 («{listen}»)")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def bind(listen: str) -> socket.socket:
    """The listening socket, bound now (raises OSError when the port is taken).

    Its connections send at once (TCP_NODELAY, inherited from the listening socket:
    asyncio does not set it on a socket it is handed): else on a kept-alive connection
    a response's second write waits for the browser's delayed ACK, 40 ms a page."""
    host, port = parse_listen(listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def address_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class Console:
    """The console's web server for one runtime: ``await start()`` / ``await stop()``."""

    def __init__(
        self,
        runtime: Runtime | None,
        listen: str,
        *,
        bot_username: Callable[[], str | None] | None = None,
        proxy_headers: bool = True,
        app: ASGIApp | None = None,
        routes: Sequence[BaseRoute] = (),
    ) -> None:
        """The console of ``runtime`` (or any other ASGI ``app``) on ``listen``; ``routes``
        are served beside the console's pages (Zalo's webhook)."""
        from bot.web.app import create_app

        self.listen = listen
        if app is None:
            assert runtime is not None
            app = create_app(runtime, bot_username=bot_username, routes=routes)
        self.app = app
        self.proxy_headers = proxy_headers
        self.server: ConsoleServer | None = None
        self.task: asyncio.Task[None] | None = None
        self.address: str | None = None
        self.error: str | None = None

    def _server(self) -> ConsoleServer:
        config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_config=None,
            access_log=False,
            proxy_headers=self.proxy_headers,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        return ConsoleServer(config)

    async def start(self) -> bool:
        """Bind and serve; False (and the reason logged) when the address is unusable."""
        try:
            sock = bind(self.listen)
        except (OSError, ValueError) as exc:
            self.error = f"Không mở được bảng điều khiển web tại {self.listen}: {exc}"
            log.error("%s; bot vẫn chạy tiếp", self.error)
            return False
        self.address = address_of(sock)
        self.server = self._server()
        self.task = asyncio.create_task(self._serve(sock), name="console")
        while not self.server.started and not self.task.done():  # noqa: ASYNC110 (no event)
            await asyncio.sleep(0.01)
        if self.task.done():
            self.error = "bảng điều khiển web dừng ngay khi khởi động"
            log.error(self.error)
            return False
        log.info("Bảng điều khiển web: %s", self.address)
        from bot.web.core import Web

        web = getattr(getattr(self.app, "state", None), "web", None)
        if isinstance(web, Web):
            await asyncio.to_thread(web.compile_templates)
            from bot.web.views import keep_dashboard_counted

            web.figures.start(lambda: keep_dashboard_counted(web))
        # What is alive now lives as long as the process (modules, the app, the runtime):
        # out of the collector's way, a full collection no longer walks it every time a
        # page makes thousands of objects (a fifth of a cold dashboard's CPU before).
        gc.freeze()
        return True

    async def _serve(self, sock: socket.socket) -> None:
        assert self.server is not None
        try:
            await self.server.serve(sockets=[sock])
        except (Exception, SystemExit):  # never takes the bot down with it
            log.exception("the console stopped")
        finally:
            sock.close()
            web = getattr(getattr(self.app, "state", None), "web", None)
            if web is not None:  # the figures' warmer stops with the pages it served
                await asyncio.to_thread(web.figures.stop)

    async def stop(self) -> None:
        if self.server is None or self.task is None:
            return
        self.server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self.task), timeout=10)
        except TimeoutError:
            self.server.force_exit = True
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task


class ConsoleThread:
    """The console on its own event loop in a daemon thread (the demo's chat loop keeps
    the main thread)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self.ok = False

    def start(self, timeout: float = 10.0) -> bool:
        self._thread = threading.Thread(target=self._run, name="console", daemon=True)
        self._thread.start()
        self._started.wait(timeout)
        return self.ok

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self.ok = loop.run_until_complete(self.console.start())
            self._started.set()
            if self.ok and self.console.task is not None:
                loop.run_until_complete(self.console.task)
        finally:
            self._started.set()
            loop.close()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(_request_exit(self.console), loop)
        thread.join(timeout=10)


async def _request_exit(console: Console) -> None:
    if console.server is not None:
        console.server.should_exit = True


def serve_forever(runtime: Runtime, listen: str, **kwargs: Any) -> int:
    """``nhacviec web``: the console alone until SIGINT/SIGTERM; exit code 1 when the
    address cannot be used."""
    import signal

    async def main() -> int:
        console = Console(runtime, listen, **kwargs)
        if not await console.start():
            return 1
        print(f"Bảng điều khiển web: {console.address}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        assert console.task is not None
        waiting = asyncio.ensure_future(stop.wait())
        await asyncio.wait([waiting, console.task], return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        await console.stop()
        return 0

    return asyncio.run(main())


DEMO_LOGIN = "vanphong"


def demo_console(runtime: Runtime, listen: str | None, out: TextIO) -> ConsoleThread:
    """The demo's console: an office user with a fresh password, served in a thread;
    the address and the login printed (or why it could not start)."""
    import secrets

    from bot.web.auth import hash_password
    from data import db, users
    from data.users import UserRole

    password = secrets.token_urlsafe(9)
    with db.transaction(runtime.sessions) as session:
        users.add_user(
            session, DEMO_LOGIN, hash_password(password), UserRole.OFFICE, runtime.clock()
        )
    thread = ConsoleThread(Console(runtime, listen or DEFAULT_LISTEN))
    if thread.start():
        out.write(
            f"\nBảng điều khiển web của văn phòng: {thread.console.address}\n"
            f"  Tên đăng nhập: {DEMO_LOGIN}   Mật khẩu: {password}\n"
            f"  (chỉ trong lúc chạy thử; dữ liệu mất khi thoát)\n"
        )
    else:
        out.write(f"\n{thread.console.error}\n")
    return thread
