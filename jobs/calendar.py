"""Working days in Vietnam: when a reminder may go out.

Monday–Friday minus the public holidays of the ``holidays`` package (Tết and the
substituted days off included), plus the weekend days the government declares
working days in exchange (``weekend_workdays``, e.g. Saturday 22/08/2026).

The daily scan asks about the same few dozen dates over and over, so every answer
is memoized per date and the holiday tables are built once per year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

_ONE_DAY = dt.timedelta(days=1)
# A long Tết is nine days off in a row; no real calendar comes near this bound,
# which only guards against an endless loop on a misconfigured calendar.
_MAX_GAP = 60


class WorkCalendar:
    """Which days are working days, and the nearest working day to a date.

    ``extra_holidays`` / ``extra_working_days`` let an office add its own days off
    or working days (they win over the package's table).
    """

    def __init__(
        self,
        country: str = "VN",
        *,
        extra_holidays: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
    ) -> None:
        self._country = country
        self._extra_off = frozenset(extra_holidays)
        self._extra_on = frozenset(extra_working_days)
        self._years: dict[int, tuple[frozenset[dt.date], frozenset[dt.date], frozenset[int]]] = {}
        self._working: dict[dt.date, bool] = {}
        self._prev: dict[dt.date, dt.date] = {}
        self._next: dict[dt.date, dt.date] = {}

    def _year(self, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date], frozenset[int]]:
        """(days off, weekend working days, weekend weekdays) of one year, built once."""
        cached = self._years.get(year)
        if cached is None:
            import holidays  # with the first year asked for: a report of one-off parts never asks

            table = holidays.country_holidays(self._country, years=year)
            off = frozenset(d for d in table if d.year == year)
            # ``weekend_workdays`` accumulates days of other years too: keep this year's.
            on = frozenset(d for d in table.weekend_workdays if d.year == year)
            cached = (off, on, frozenset(table.weekend))
            self._years[year] = cached
        return cached

    def is_working_day(self, d: dt.date) -> bool:
        cached = self._working.get(d)
        if cached is None:
            if d in self._extra_on:
                cached = True
            elif d in self._extra_off:
                cached = False
            else:
                off, on, weekend = self._year(d.year)
                cached = d in on if d.weekday() in weekend else d not in off
            self._working[d] = cached
        return cached

    def previous_working_day_on_or_before(self, d: dt.date) -> dt.date:
        """Where a reminder falling on ``d`` goes out: ``d`` or the working day before."""
        cached = self._prev.get(d)
        if cached is None:
            cached = self._walk(d, -_ONE_DAY)
            self._prev[d] = cached
        return cached

    def next_working_day_on_or_after(self, d: dt.date) -> dt.date:
        cached = self._next.get(d)
        if cached is None:
            cached = self._walk(d, _ONE_DAY)
            self._next[d] = cached
        return cached

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days of ``[start, end]``, both ends included, in order."""
        days: list[dt.date] = []
        d = start
        while d <= end:
            if self.is_working_day(d):
                days.append(d)
            d += _ONE_DAY
        return days

    def _walk(self, start: dt.date, step: dt.timedelta) -> dt.date:
        d = start
        for _ in range(_MAX_GAP):
            if self.is_working_day(d):
                return d
            d += step
        raise ValueError(f"no working day within {_MAX_GAP} days of {start}")
