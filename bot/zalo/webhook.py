"""Zalo's webhook, served by the console's Starlette app under uvicorn.

The endpoint faces the internet, so it does the cheap checks first and holds little:

* the secret header is compared in constant time *before* a byte of the body is
  read: a stranger is refused at once and never ties up the endpoint;
* the body is capped (``max_body``; a declared larger Content-Length is refused
  unread) and must arrive within ``body_timeout`` seconds;
* one address holds at most ``per_address`` requests at once: more are refused with
  429 at once, so slow posts from one client (issue 24, defect 9) cannot starve the
  platform's real posts.

A valid update is answered 200 at once and handled in the background (Zalo does
not wait for our answer to the member); a replay of a recent message id is answered
200 and dropped. Refusals are logged once per kind every ten minutes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any, Final

from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bot.limits import SlidingWindow
from bot.zalo.client import ZaloUpdate
from bot.zalo.poller import RecentIds, WebhookRejected, check_secret, parse_update

log = logging.getLogger(__name__)

MAX_BODY: Final = 64 * 1024  # a Zalo update is a few hundred bytes
BODY_TIMEOUT: Final = 10.0  # seconds for the whole body to arrive
PER_ADDRESS: Final = 32  # requests in flight from one address (a burst of real posts fits)

Deliver = Callable[[ZaloUpdate], Coroutine[Any, Any, None]]


class _TooLarge(Exception):
    pass


class ZaloWebhookEndpoint:
    """The ASGI endpoint of one Zalo bot's webhook (mounted with ``route``)."""

    def __init__(
        self,
        secret: str,
        deliver: Deliver,
        *,
        clock: Callable[[], datetime],
        max_body: int = MAX_BODY,
        body_timeout: float = BODY_TIMEOUT,
        per_address: int = PER_ADDRESS,
    ) -> None:
        self.secret = secret
        self.deliver = deliver
        self.clock = clock
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.per_address = per_address
        self.recent = RecentIds()
        self.in_flight: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # by reason, for health and tests
        self._tasks: set[asyncio.Task[None]] = set()
        self._said = SlidingWindow(1, timedelta(minutes=10))  # a refusal kind, logged rarely

    def route(self, path: str) -> Route:
        return Route(path, self, methods=["POST"])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        address = client[0] if client else ""
        if self.in_flight[address] >= self.per_address:
            await self._refuse(
                WebhookRejected("too many requests from one address", 429), scope, receive, send
            )
            return
        self.in_flight[address] += 1
        try:
            status = await self._handle(scope, receive)
        except WebhookRejected as exc:
            await self._refuse(exc, scope, receive, send)
            return
        finally:
            self.in_flight[address] -= 1
            if not self.in_flight[address]:
                del self.in_flight[address]
        await JSONResponse({"ok": True}, status)(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive) -> int:
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope.get("headers", [])
        }
        check_secret(headers, self.secret)  # before the body: strangers cost nothing
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise WebhookRejected("body too large", 413)
        try:
            body = await asyncio.wait_for(self._body(receive), self.body_timeout)
        except TimeoutError:
            raise WebhookRejected("body too slow", 408) from None
        except _TooLarge:
            raise WebhookRejected("body too large", 413) from None
        update = parse_update(body)
        message_id = update.message.message_id if update.message else ""
        if message_id and not self.recent.add(message_id):
            return 200  # a replay: handled already
        task = asyncio.create_task(self.deliver(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return 200

    async def _body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise WebhookRejected("client went away", 400)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _refuse(
        self, exc: WebhookRejected, scope: Scope, receive: Receive, send: Send
    ) -> None:
        self.refused[exc.reason] += 1
        if self._said.check(exc.reason, self.clock()) is None:
            total = sum(self.refused.values())
            log.warning("zalo webhook refused: %s (%d refused so far)", exc.reason, total)
        response = JSONResponse({"ok": False, "description": "refused"}, exc.status)
        response.headers["connection"] = "close"  # the body may be unread: do not keep it open
        await response(scope, receive, send)

    async def drain(self, timeout: float = 10.0) -> None:
        """Let the updates being handled finish (on stop)."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=timeout)
