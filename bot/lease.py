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
import os
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


def gone_here(holder: str, me: str) -> bool:
    """A holder known dead without waiting for its lease: it ran on this host (worker ids
    are ``host:pid:random``) and its process is gone, or its pid is ours (a container
    restarted: the bot is pid 1 again)."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    my_host, _, my_rest = me.partition(":")
    if host != my_host or not pid.isdigit() or holder == me:
        return False
    if pid == my_rest.partition(":")[0]:
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, not ours to signal
        return False
    return False


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
            now = self.clock()
            got = leases.acquire(session, self.name, self.holder, now, self.ttl)
            if got is None:
                holder = leases.holder_of(session, self.name, now)
                if holder is not None and gone_here(holder, self.holder):
                    got = leases.take_from(session, self.name, holder, self.holder, now, self.ttl)
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
                got = await asyncio.to_thread(self._try)
            except Exception as exc:
                log.warning("lease %s: store unreachable (%s); trying again", self.name, exc)
            else:
                if got is not None:
                    self.held, self.standing_by = True, False
                    if told:
                        log.warning("standby over: this process now runs the bot")
                    return True
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
