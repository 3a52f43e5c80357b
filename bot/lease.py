"""One active bot process per bot token: the process lease, held, renewed, taken over.

``nhacviec run`` first takes the lease named by its tokens (``lease_name``); a second
process on the same store stands by, trying every ``every`` seconds, and takes over
when the holder stops renewing (``ttl`` after its last renewal: a killed process is
replaced within ``ttl + every``, well under a minute). Taking over a dead holder's
lease frees the outbox rows it left in flight at once (``outbox.release_sending``).
A holder that finds the lease taken by another (it was cut from the store longer
than ``ttl``) stops, so two processes never send at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from data import leases, outbox
from data.db import transaction

log = logging.getLogger(__name__)

TTL = timedelta(seconds=20)
EVERY = 5.0  # seconds between renewals, and between a standby's tries


def lease_name(*tokens: str | None) -> str:
    """The lease of these tokens (a hash: the store never holds a token)."""
    digest = hashlib.sha256("\n".join(t or "" for t in tokens).encode()).hexdigest()
    return f"bot:{digest[:32]}"


class ProcessLease:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        name: str,
        holder: str,
        clock: Callable[[], datetime],
        *,
        ttl: timedelta = TTL,
        every: float = EVERY,
    ) -> None:
        self.sessions, self.name, self.holder, self.clock = sessions, name, holder, clock
        self.ttl, self.every = ttl, every
        self.held = False
        self.lost = False
        self.standing_by = False

    def _try(self) -> leases.Acquired | None:
        with transaction(self.sessions) as session:
            got = leases.acquire(session, self.name, self.holder, self.clock(), self.ttl)
            if got is not None and got.previous:
                freed = outbox.release_sending(session, got.previous)
                log.warning(
                    "took the bot over from %s (it stopped renewing); %d message(s) it had in "
                    "flight are queued again",
                    got.previous,
                    freed,
                )
            return got

    async def wait(self, stop: asyncio.Event) -> bool:
        """Until the lease is ours (True) or ``stop`` is set (False)."""
        told = False
        while not stop.is_set():
            try:
                if await asyncio.to_thread(self._try) is not None:
                    self.held, self.standing_by = True, False
                    if told:
                        log.warning("standby over: this process now runs the bot")
                    return True
            except Exception as exc:
                log.warning("lease %s: store unreachable (%s); trying again", self.name, exc)
            if not told:
                self.standing_by = told = True
                log.warning(
                    "another nhacviec process runs this bot on this store: standing by "
                    "(taking over within %ds if it stops)",
                    int(self.ttl.total_seconds() + self.every),
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.every)
        return False

    async def keep(self) -> None:
        """Renew until cancelled; returns (``lost``) when another process took it."""
        while True:
            await asyncio.sleep(self.every)
            try:
                got = await asyncio.to_thread(self._try)
            except Exception as exc:  # the store is away: renew when it is back
                log.warning("lease %s: not renewed (%s)", self.name, exc)
                continue
            if got is None:
                self.held, self.lost = False, True
                log.error("lease %s: another process took the bot over; stopping", self.name)
                return

    async def release(self) -> None:
        if not self.held:
            return

        def work() -> None:
            with transaction(self.sessions) as session:
                leases.release(session, self.name, self.holder)

        try:
            await asyncio.to_thread(work)
        except Exception as exc:  # the standby takes over after the ttl instead
            log.warning("lease %s: not released (%s)", self.name, exc)
        self.held = False
