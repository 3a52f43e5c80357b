"""A clock a test moves: ``clock()`` is now, ``await clock.sleep(s)`` moves it on at once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class FakeClock:
    now: datetime
    slept: list[float] = field(default_factory=list)  # every sleep asked for, in order

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would
