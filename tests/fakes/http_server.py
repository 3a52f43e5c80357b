"""A minimal HTTP/1.1 server on asyncio streams (keep-alive, Content-Length, JSON), for
the test fakes (the Bot APIs they play). The bot's own Zalo webhook is served by the
console's Starlette app under uvicorn (``bot/zalo/webhook.py``), not by this.

It is on the internet, so it holds no more than ``max_connections`` at once: at the
cap, the connection idle the longest is closed to admit the new one, and when every
connection is busy the new one is closed at once. A connection with no request for
``idle_timeout`` seconds is closed. Overload and broken clients are logged once per
episode, never a line (or a traceback) per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

log = logging.getLogger(__name__)

KEEP_ALIVE_IDLE = 10.0  # a connection with no request for this long is closed
MAX_CONNECTIONS = 100  # Zalo posts one update at a time; a hundred is plenty
MAX_BODY = 1024 * 1024  # a Zalo update is a few hundred bytes
BODY_TIMEOUT = 10.0

Json = dict[str, Any]
Reply = tuple[int, Json, dict[str, str]]
RequestHandler = Callable[[str, str, dict[str, str], bytes], Awaitable[Reply]]


class HttpServer:
    """A minimal HTTP/1.1 server on asyncio streams: keep-alive, Content-Length, JSON."""

    def __init__(
        self,
        handler: RequestHandler,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = KEEP_ALIVE_IDLE,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.handler = handler
        self.host = host
        self.port = port
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle: dict[asyncio.Task[None], asyncio.StreamWriter] = {}  # oldest idle first
        self._overloaded = False
        self.refused = 0  # connections closed at once because every slot was busy
        self.evicted = 0  # idle connections closed to admit a new one
        self._problems: dict[str, int] = {}  # kind of broken request → count (logged once)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def connections(self) -> int:
        return len(self._tasks)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connection, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), timeout=5.0)
        await asyncio.wait_for(self._server.wait_closed(), timeout=5.0)
        self._server = None

    def _admit(self) -> bool:
        """Room for one more connection: free a slot from the longest idle one, if needed."""
        if len(self._tasks) < self.max_connections:
            if self._overloaded and len(self._tasks) < self.max_connections // 2:
                self._overloaded = False
                log.info(
                    "webhook server: load back to normal (%d connection(s) refused, "
                    "%d idle one(s) closed meanwhile)",
                    self.refused,
                    self.evicted,
                )
            return True
        if not self._overloaded:
            self._overloaded = True
            log.warning(
                "webhook server: %d connections open (the cap); closing idle ones and "
                "refusing new ones until the load drops (logged once)",
                self.max_connections,
            )
        if self._idle:
            oldest = next(iter(self._idle))
            writer = self._idle.pop(oldest)
            writer.transport.abort()  # its pending read fails; the task ends and frees its slot
            self.evicted += 1
            return True
        self.refused += 1
        return False

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._admit():
            writer.transport.abort()
            return
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while await self._one_request(task, reader, writer):
                pass
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            pass
        except TimeoutError:
            pass  # idle keep-alive, or a body that never came
        except (asyncio.LimitOverrunError, ValueError, UnicodeError) as exc:
            self._problem(f"malformed request ({type(exc).__name__})")
        except Exception as exc:  # one line per kind, not a traceback per client
            self._problem(f"{type(exc).__name__}: {exc}")
        finally:
            self._tasks.discard(task)
            self._idle.pop(task, None)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), timeout=1.0)

    def _problem(self, kind: str) -> None:
        count = self._problems.get(kind, 0) + 1
        self._problems[kind] = count
        if count == 1:
            log.warning("webhook server: dropped a connection: %s (logged once)", kind)

    async def _one_request(
        self, task: asyncio.Task[None], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        self._idle[task] = writer
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.idle_timeout)
        finally:
            self._idle.pop(task, None)
        request_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
        verb, target, _version = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        if length > MAX_BODY or length < 0:
            raise ValueError("request body too large")
        body = await asyncio.wait_for(reader.readexactly(length), BODY_TIMEOUT) if length else b""
        status, payload, extra = await self.handler(verb, target, headers, body)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        head_lines = [
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            "Content-Type: application/json; charset=utf-8",
            f"Content-Length: {len(data)}",
            *(f"{k}: {v}" for k, v in extra.items()),
        ]
        writer.write(("\r\n".join(head_lines) + "\r\n\r\n").encode("latin-1") + data)
        await writer.drain()
        return headers.get("connection", "").lower() != "close"
