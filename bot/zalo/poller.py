"""Receiving Zalo updates: a long-poll loop, or a webhook body checked and parsed.

Zalo's getUpdates returns one update per call, may hand back updates already
consumed, and wants about a second between polls; so the loop paces itself,
remembers recent message ids, and backs off on errors. Polling and a webhook
cannot run together (delete the webhook before polling).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, TypeVar

from bot.zalo.client import DEFAULT_POLL_TIMEOUT, ZaloClient, ZaloUpdate
from jobs.channels import PermanentError, RateLimitError, TransientError

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Bot-Api-Secret-Token"

T = TypeVar("T")
Handler = Callable[[ZaloUpdate], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class RecentIds:
    """The last ``size`` message ids seen: bounded memory for deduplication."""

    def __init__(self, size: int = 2048) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids

    def add(self, message_id: str) -> bool:
        """Remember ``message_id``; False when it was already there (a replay)."""
        if message_id in self._ids:
            self._ids.move_to_end(message_id)
            return False
        self._ids[message_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class _Stopped:
    """What an interrupted wait returns when ``stop()`` was called."""


_STOPPED: Final = _Stopped()


class ZaloPoller:
    """Calls ``handle`` once per new update until ``stop()``.

    An update's id is remembered before it is handled: a handler that fails is
    logged, not called again for a replay (a command must not act twice).
    Backoff doubles from ``backoff_initial`` to ``backoff_max`` on transient errors,
    honours ``retry_after`` on 429, and on a permanent error (bad token, a webhook
    still set) waits ``backoff_max`` and logs it at ERROR: the bot keeps serving
    the other platform instead of crashing.
    """

    def __init__(
        self,
        client: ZaloClient,
        handle: Handler,
        *,
        min_interval: float = 1.0,
        poll_timeout: int = DEFAULT_POLL_TIMEOUT,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        remember: int = 2048,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.handle = handle
        self.min_interval = min_interval
        self.poll_timeout = poll_timeout
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.seen = RecentIds(remember)
        self._sleep = sleep
        self._clock = clock
        self._backoff = 0.0
        self._stopping = False
        self._inflight: asyncio.Future[Any] | None = None
        self.polls = 0  # getUpdates calls made, for health checks and tests
        self.handled = 0  # updates passed to ``handle``

    def stop(self) -> None:
        """Ask the loop to end; an ongoing long poll or wait is cut short."""
        self._stopping = True
        if self._inflight is not None and not self._inflight.done():
            self._inflight.cancel()

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def run(self) -> None:
        """Poll until ``stop()`` (even one called before); cancelling the task also ends it."""
        while not self._stopping:
            started = self._clock()
            await self.poll_once()
            if self._stopping:
                break
            delay = self._backoff or self.min_interval - (self._clock() - started)
            if delay > 0:
                await self._interruptible(self._sleep(delay))

    async def poll_once(self) -> ZaloUpdate | None:
        """One getUpdates and, for a new update, one ``handle``; errors set the backoff."""
        self.polls += 1
        try:
            update = await self._interruptible(self.client.get_updates(self.poll_timeout))
        except RateLimitError as exc:
            self._backoff = max(exc.retry_after, self._next_backoff())
            log.warning("Zalo polling rate limited; waiting %.1fs", self._backoff)
            return None
        except TransientError as exc:
            self._backoff = self._next_backoff()
            log.warning("Zalo polling failed (%s); retrying in %.1fs", exc, self._backoff)
            return None
        except PermanentError as exc:
            self._backoff = self.backoff_max
            log.error("Zalo polling refused (%s); retrying in %.0fs", exc, self._backoff)
            return None
        except Exception:  # a bug must not silence the Zalo bot for good: log, back off
            self._backoff = self._next_backoff()
            log.exception("Zalo polling broke; retrying in %.1fs", self._backoff)
            return None
        self._backoff = 0.0
        if update is None or isinstance(update, _Stopped):
            return None
        message_id = update.message.message_id if update.message else ""
        if message_id and not self.seen.add(message_id):
            log.debug("Zalo update %s seen before; skipped", message_id)
            return None
        self.handled += 1
        try:
            await self.handle(update)
        except Exception:
            log.exception("Zalo update %s: the handler failed", message_id or "(no id)")
        return update

    def _next_backoff(self) -> float:
        if not self._backoff:
            return self.backoff_initial
        return min(self._backoff * 2, self.backoff_max)

    async def _interruptible(self, awaitable: Awaitable[T]) -> T | _Stopped:
        """Await, unless ``stop()`` cancels it first (then return ``_STOPPED``)."""
        future: asyncio.Future[T] = asyncio.ensure_future(awaitable)
        self._inflight = future
        try:
            return await future
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self._stopping and future.cancelled() and not (current and current.cancelling()):
                return _STOPPED
            raise
        finally:
            self._inflight = None


class WebhookRejected(Exception):
    """A webhook request not to be processed; ``status`` is the HTTP answer to give."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def parse_webhook(body: bytes, headers: Mapping[str, str], secret: str) -> ZaloUpdate:
    """Check the secret header in constant time, then read the update, bare or in ``result``."""
    check_secret(headers, secret)
    return parse_update(body)


def check_secret(headers: Mapping[str, str], secret: str) -> None:
    """Refuse (``WebhookRejected``) unless the secret header matches, compared in constant
    time; done before the body is read.

    An empty configured ``secret`` refuses everything: a webhook without a secret
    would let anyone post commands as any member.
    """
    given = _header(headers, SECRET_HEADER)
    if not secret:
        raise WebhookRejected("no webhook secret is configured", 403)
    if given is None:
        raise WebhookRejected("missing secret header", 401)
    if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
        raise WebhookRejected("wrong secret", 401)


def parse_update(body: bytes) -> ZaloUpdate:
    """The update of a webhook body, bare or wrapped in ``result``."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise WebhookRejected("body is not JSON", 400) from None
    if (
        isinstance(data, Mapping)
        and isinstance(data.get("result"), Mapping)
        and "message" not in data
        and "event_name" not in data
    ):
        data = data["result"]
    try:
        return ZaloUpdate.from_dict(data)
    except ValueError as exc:
        raise WebhookRejected(f"not an update: {exc}", 400) from None
