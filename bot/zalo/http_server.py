"""A minimal HTTP/1.1 server on asyncio streams (keep-alive, Content-Length, JSON).

Enough for Zalo's webhook (one POST route) without pulling a web framework into a
bot that otherwise only makes outgoing calls; the test fakes reuse it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

KEEP_ALIVE_IDLE = 30.0  # a connection with no request for this long is closed
MAX_BODY = 1024 * 1024  # a Zalo update is a few hundred bytes

Json = dict[str, Any]
Reply = tuple[int, Json, dict[str, str]]
RequestHandler = Callable[[str, str, dict[str, str], bytes], Awaitable[Reply]]


class HttpServer:
    """A minimal HTTP/1.1 server on asyncio streams: keep-alive, Content-Length, JSON."""

    def __init__(self, handler: RequestHandler, host: str = "127.0.0.1", port: int = 0) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

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

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while await self._one_request(reader, writer):
                pass
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            pass
        except (TimeoutError, asyncio.LimitOverrunError, ValueError):
            pass  # idle keep-alive or a malformed request: drop the connection
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), timeout=1.0)

    async def _one_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), KEEP_ALIVE_IDLE)
        request_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
        verb, target, _version = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        body = await asyncio.wait_for(reader.readexactly(length), 10.0) if length else b""
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
