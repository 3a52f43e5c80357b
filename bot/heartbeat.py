"""Pinging an outside monitor (healthchecks.io's convention) so silence gets noticed.

With ``NHACVIEC_HEALTHCHECK_URL`` set, the bot GETs it after each successful morning
scan and after each successful dispatch round (at most once a ``min_gap``: a round
runs every few seconds); the monitor raises the alarm when the pings stop. A ping
never blocks the event loop's work (a background task with a short timeout) and a
failed ping is logged, never raised.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded with the first ping, not with every command that opens the store
    import httpx

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(
        self,
        url: str | None,
        *,
        min_gap: float = 60.0,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.strip() if url else None
        self.min_gap = min_gap
        self.timeout = timeout
        self.transport = transport
        self.monotonic = monotonic
        self._last: float | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.failed = 0

    def beat(self, *, force: bool = False) -> None:
        """Ping in the background (``force``: even within ``min_gap``, e.g. after a scan)."""
        if self.url is None:
            return
        now = self.monotonic()
        if not force and self._last is not None and now - self._last < self.min_gap:
            return
        self._last = now
        task = asyncio.get_running_loop().create_task(self._ping(self.url))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ping(self, url: str) -> None:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.get(url)
                response.raise_for_status()
            self.sent += 1
        except Exception as exc:
            self.failed += 1
            log.warning("health ping failed: %s", type(exc).__name__)

    async def settled(self) -> None:
        """Wait for pings in flight (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
