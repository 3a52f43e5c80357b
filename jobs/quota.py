"""Counting what each channel sends per month, and holding back before a plan's cap.

Zalo's free plan allows 3,000 outgoing messages a month. A message that would go
over the cap is not dropped: it stays in the outbox until the next month, and the
office is told once; it is warned once when the month's usage passes the warning
share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.clock import VN_TZ
from data.db import insert_ignoring_conflict
from data.models import ChannelUsage


def month_of(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%Y-%m")


def next_month_start(moment: datetime) -> datetime:
    local = moment.astimezone(VN_TZ).date()
    first = date(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return datetime.combine(first, time(0, 5), VN_TZ)


def used(session: Session, channel: str, moment: datetime) -> int:
    value = session.scalar(
        select(ChannelUsage.sent).where(
            ChannelUsage.channel == channel, ChannelUsage.month == month_of(moment)
        )
    )
    return int(value or 0)


def record_sent(session: Session, channel: str, moment: datetime, count: int = 1) -> int:
    """Add ``count`` to this month's usage (atomic increment); returns the new total."""
    month = month_of(moment)
    insert_ignoring_conflict(
        session, ChannelUsage, {"channel": channel, "month": month, "sent": 0}, ["channel", "month"]
    )
    session.execute(
        update(ChannelUsage)
        .where(ChannelUsage.channel == channel, ChannelUsage.month == month)
        .values(sent=ChannelUsage.sent + count)
    )
    return used(session, channel, moment)


@dataclass(frozen=True)
class Quota:
    monthly: int  # the plan's cap
    warn_at: float = 0.8  # share of the cap that triggers the office's warning

    def allows(self, already: int, parts: int) -> bool:
        return already + parts <= self.monthly

    def crossed_warning(self, before: int, after: int) -> bool:
        line = int(self.monthly * self.warn_at)
        return before < line <= after
