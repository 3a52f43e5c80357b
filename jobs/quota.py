"""Holding back before a plan's monthly cap.

Zalo's free plan allows 3,000 outgoing messages a month. A message that would go
over the cap is not dropped: it stays in the outbox until the next month, and the
office is told once; it is warned once when the month's usage passes the warning
share. The counting itself is the store's (``data.outbox.used`` / ``record_sent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from data.clock import VN_TZ


def next_month_start(moment: datetime) -> datetime:
    local = moment.astimezone(VN_TZ).date()
    first = date(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return datetime.combine(first, time(0, 5), VN_TZ)


@dataclass(frozen=True)
class Quota:
    monthly: int  # the plan's cap
    warn_at: float = 0.8  # share of the cap that triggers the office's warning

    def allows(self, already: int, parts: int) -> bool:
        return already + parts <= self.monthly

    def crossed_warning(self, before: int, after: int) -> bool:
        line = int(self.monthly * self.warn_at)
        return before < line <= after
