"""What a deadline reading is: its kinds, the ``Deadline`` value, and date arithmetic."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple


class DeadlineKind(StrEnum):
    DUE = "due"
    TERM = "term"
    ONGOING = "ongoing"
    FROM = "from"
    DUE_THEN_ONGOING = "due_then_ongoing"
    WAITING = "waiting"
    RECURRING = "recurring"
    DONE = "done"
    UNREADABLE = "unreadable"

    @property
    def is_dated(self) -> bool:
        """Has a due date that can be late: due, term, due then ongoing."""
        return self in _DATED_KINDS

    @property
    def has_checkins(self) -> bool:
        """Gets periodic check-ins while it runs: term, ongoing, from, due then ongoing."""
        return self in _CHECKIN_KINDS


_DATED_KINDS = frozenset({DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.DUE_THEN_ONGOING})
_CHECKIN_KINDS = frozenset(
    {DeadlineKind.TERM, DeadlineKind.ONGOING, DeadlineKind.FROM, DeadlineKind.DUE_THEN_ONGOING}
)


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    raw: str
    start: date | None = None
    due: date | None = None
    rrule: str | None = None
    note: str | None = None
    suggestion: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "rrule": self.rrule,
            "raw": self.raw,
            "note": self.note,
        }


# --- small helpers --------------------------------------------------------------------


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _add_workdays(d: date, days: int) -> date:
    step = timedelta(days=1 if days >= 0 else -1)
    left = abs(days)
    while left > 0:
        d += step
        if d.weekday() < 5:
            left -= 1
    return d


def _monthday_rule(day: int) -> str:
    """BYMONTHDAY for "ngày N": days past 28 clamp to the month's last day."""
    if day >= 31:
        return "BYMONTHDAY=-1"
    if day >= 29:
        return "BYMONTHDAY=" + ",".join(str(n) for n in range(28, day + 1)) + ";BYSETPOS=-1"
    return f"BYMONTHDAY={day}"


class _Problem(NamedTuple):
    note: str
    fix: tuple[int, int, str] | None = None  # span of the folded key and its replacement


class _Cand(NamedTuple):
    pos: int
    end: int
    rank: int  # 2 marked as a deadline, 1 a full date or period, 0 a bare mention
    mod: str | None  # category from _MOD_CATEGORY
    shape: str
    kind: DeadlineKind
    start: date | None
    due: date | None
    first: date | None  # the period mentioned, for "từ … đến …"
    last: date | None
    note: str | None
    problem: _Problem | None
    delta: tuple[int, str, bool] | None  # "30 ngày kể từ ngày …": counted from the next date
    label: Callable[[], str] | None = None  # the period as a clerk would write it


def _join(*notes: str | None) -> str | None:
    return " ".join(n for n in notes if n) or None
