"""The users' time zone. The clock itself is read only at the edges and passed in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(moment: datetime) -> date:
    """The calendar day in Vietnam at an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("aware datetime required")
    return moment.astimezone(VN_TZ).date()


def month_of(moment: datetime) -> str:
    """'YYYY-MM' of the month in Vietnam at an aware moment (monthly quotas count by it)."""
    return moment.astimezone(VN_TZ).strftime("%Y-%m")
