"""The office's figures kept while the store stands still, counted again in the
background when it moves.

A province's dashboard counts 200,000 parts (a fifth of a second of the database); the
same figures serve every page asking while the store's mark (``store_mark``: its newest
history event, its units and their names) is unchanged. A figure asked in the last
``HOT_FOR`` seconds, and the default dashboard of the day, are counted again by the
console's warmer thread as soon as the mark moves: the clerk who opens the dashboard
after a unit's ``/done`` finds it counted. A page that arrives while its figure is
being counted waits for that count (never an older answer): what a page shows is
always the store as it stands.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from data.console_counts import store_mark

log = logging.getLogger(__name__)

T = TypeVar("T")
FRESH = 60.0  # seconds an answer serves pages under an unchanged mark (a change that
# writes no history event, e.g. a document made confidential, is seen after this)
HOT_FOR = 15 * 60.0  # a figure asked this recently is kept counted in the background
WARM_EVERY = 1.0  # seconds between the warmer's looks at the store's mark
KEPT = 64  # figures kept at most (periods asked once and never again are dropped)

Sessions = Callable[[], Any]  # a session factory (``Runtime.sessions``)


@dataclass
class _Entry:
    compute: Callable[[Session], Any]
    lock: threading.Lock = field(default_factory=threading.Lock)
    at: float = float("-inf")  # when counted (monotonic)
    mark: Hashable | None = None  # the store's mark it was counted under
    value: Any = None
    asked: float = 0.0  # when a page (or the warmer's default) last asked
    also: Hashable | None = None  # a page's own mark besides the store's (never warmed)


class Figures:
    """Figures by key: counted once for the pages asking at once, kept while the mark
    stands, recounted by ``refresh`` (the warmer's pass) when it moves."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        mark: Callable[[Session], Hashable] = store_mark,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._mark = mark
        self._clock = clock
        self._entries: dict[Hashable, _Entry] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def get(
        self, key: Hashable, compute: Callable[[Session], T], *, also: Hashable | None = None
    ) -> T:
        """``compute``'s answer under the store's current mark (counted now if the kept
        one is older); twenty pages asking together count once. ``also``: a mark of the
        page's own that the answer depends on too (the warmer cannot read it: such a
        figure is kept, never counted ahead)."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._make_room(now)
                entry = self._entries[key] = _Entry(compute)
            entry.compute, entry.asked, entry.also = compute, now, also
        with entry.lock, self._sessions() as session:
            mark = (self._mark(session), also)
            if entry.mark != mark or self._clock() - entry.at > FRESH:
                entry.value = compute(session)
                entry.at, entry.mark = self._clock(), mark
            value: T = entry.value
            return value

    def _make_room(self, now: float) -> None:
        if len(self._entries) < KEPT:
            return
        cold = [k for k, e in self._entries.items() if now - e.asked > HOT_FOR]
        for key in cold or sorted(self._entries, key=lambda k: self._entries[k].asked)[:1]:
            del self._entries[key]

    def refresh(self) -> int:
        """One pass of the warmer: every figure asked in the last ``HOT_FOR`` seconds
        whose mark moved (or that is about to go stale) counted again. A figure a page
        is counting at this moment is left to it. How many were counted."""
        now = self._clock()
        with self._lock:
            hot = [e for e in self._entries.values() if now - e.asked <= HOT_FOR and e.also is None]
        if not hot:
            return 0
        with self._sessions() as session:
            mark = (self._mark(session), None)
        counted = 0
        for entry in hot:
            if not self._ahead_due(entry, mark) or not entry.lock.acquire(blocking=False):
                continue  # still good, or a page is counting it now
            try:
                with self._sessions() as session:
                    mark = (self._mark(session), None)
                    if self._ahead_due(entry, mark):  # a page may have counted it meanwhile
                        entry.value = entry.compute(session)
                        entry.at, entry.mark = self._clock(), mark
                        counted += 1
            finally:
                entry.lock.release()
        return counted

    def _ahead_due(self, entry: _Entry, mark: Hashable) -> bool:
        """The warmer counts a figure again when the store moved, or a little before it
        would go stale (so that no page finds it stale)."""
        return entry.mark != mark or self._clock() - entry.at > FRESH - 2 * WARM_EVERY

    # -- the warmer thread ------------------------------------------------------------

    def start(self, keep: Callable[[], None] | None = None) -> None:
        """Count in the background: ``keep`` first (it asks the figures a clerk opens
        without asking: the day's default dashboard), then ``refresh``, every
        ``WARM_EVERY`` seconds until ``stop``."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(keep,), name="console-figures", daemon=True
        )
        self._thread.start()

    def _run(self, keep: Callable[[], None] | None) -> None:
        while not self._stop.is_set():
            try:
                if keep is not None:
                    keep()
                self.refresh()
            except Exception as exc:  # the store down: the pages count for themselves
                log.warning("counting the console's figures ahead failed: %s", type(exc).__name__)
            self._stop.wait(WARM_EVERY)

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)
