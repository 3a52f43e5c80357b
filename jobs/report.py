"""The office's picture: every owner part in a period, in the four official statuses.

The one definition, asked by ``/tiendo``, the weekly summary, the .xlsx report and
the console alike. For a period ``[start, end]`` and an ``as_of`` day, each owner
part whose due date falls in the period (each occurrence of a recurring task is
one) is:

* **hoàn thành đúng hạn** (``done_on_time``): done on or before its due date;
* **hoàn thành quá hạn** (``done_late``): done after it;
* **chưa hoàn thành – còn trong hạn** (``in_term``): not done as of ``as_of``, due ≥ as_of;
* **chưa hoàn thành – đã quá hạn** (``overdue``): not done, due < as_of.

Ongoing ("thường xuyên", "từ …"), waiting ("theo chỉ đạo …") and needs-review parts
have no due date in any period: they are counted apart (``no_deadline``, ``waiting``,
``review``). An extended part counts against its extended date, and is counted in
``extended``. On-time rate = on time / (on time + late + overdue); ``None`` when
nothing was due. The total counts each task (occurrence) once: done when every
owner is done (on time when the last one was), else in term or overdue.

Each occurrence of a recurring part is dated by its own report (``TaskView.closed``):
one reported late is late, an earlier one never reported stays overdue. Reports made
before occurrences were named (the part's completions: every day it was reported
done and not reopened since) keep their old reading, each closing every occurrence
up to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from data.deadlines import DeadlineKind
from data.taskview import TaskView
from data.vocabulary import PART_STATUS
from jobs.due import Due, is_for_review


class PartStatus(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_TERM = "in_term"
    OVERDUE = "overdue"
    NO_DEADLINE = "no_deadline"  # ongoing, from a date on: reported on, never late
    WAITING = "waiting"  # no date until the office sets one
    REVIEW = "review"  # the office must fix its deadline or owner first


STATUS_LABELS: Mapping[PartStatus, str] = {status: PART_STATUS[status] for status in PartStatus}
DATED_STATUSES = (
    PartStatus.DONE_ON_TIME,
    PartStatus.DONE_LATE,
    PartStatus.IN_TERM,
    PartStatus.OVERDUE,
)
_UNDATED = {
    DeadlineKind.ONGOING: PartStatus.NO_DEADLINE,
    DeadlineKind.FROM: PartStatus.NO_DEADLINE,
    DeadlineKind.WAITING: PartStatus.WAITING,
}


@dataclass(frozen=True)
class ReportItem:
    """One owner part (one occurrence of it) as the report counts it."""

    view: TaskView
    status: PartStatus
    due: dt.date | None
    done_on: dt.date | None

    @property
    def unit(self) -> str:
        return self.view.units[0] if self.view.units else ""

    @property
    def days_late(self) -> int | None:
        """Days past the due date: at completion, or as of the report while open."""
        if self.due is None:
            return None
        if self.status is PartStatus.DONE_LATE and self.done_on is not None:
            return (self.done_on - self.due).days
        return None

    def days_late_as_of(self, as_of: dt.date) -> int | None:
        if self.status is PartStatus.OVERDUE and self.due is not None:
            return (as_of - self.due).days
        return self.days_late


@dataclass
class Counts:
    """The four statuses and the ones counted apart, for a unit or for the whole."""

    by_status: Counter[PartStatus] = field(default_factory=Counter)
    extended: int = 0
    awaiting: int = 0  # reported done, waiting for the office's confirmation (not done yet)
    long_tasks: int = 0  # parts of terms and ongoing tasks: reported on each quarter
    reported_this_quarter: int = 0  # of those, with a progress update since the quarter began

    def add(self, item: ReportItem) -> None:
        self.by_status[item.status] += 1
        if item.view.extended and item.status in DATED_STATUSES:
            self.extended += 1

    def __getitem__(self, status: PartStatus) -> int:
        return self.by_status[status]

    @property
    def due_total(self) -> int:
        return sum(self.by_status[s] for s in DATED_STATUSES)

    @property
    def on_time_rate(self) -> float | None:
        s = self.by_status
        judged = s[PartStatus.DONE_ON_TIME] + s[PartStatus.DONE_LATE] + s[PartStatus.OVERDUE]
        return None if judged == 0 else s[PartStatus.DONE_ON_TIME] / judged


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    as_of: dt.date
    items: tuple[ReportItem, ...]
    units: Mapping[str, Counts]  # unit code -> counts, in the order given
    total: Counts


def _done_on(
    due: Due,
    view: TaskView,
    completions: Sequence[dt.date],
    occurrence: dt.date,
    as_of: dt.date,
    as_done_on: Callable[[dt.date], TaskView] | None = None,
    reports: Mapping[dt.date, dt.date] | None = None,
) -> dt.date | None:
    """The first completion (on or before ``as_of``) that closed this occurrence.

    ``as_done_on(day)``: the view as a report made on ``day`` before occurrences were
    named left it; ``reports``: its occurrences' own reports (both made once per part by
    ``classify``, not once per occurrence)."""
    if view.kind is not DeadlineKind.RECURRING:
        done = view.done_on
        return done if done is not None and done <= as_of else None
    own = due.reported_on(view, occurrence, as_of, reports)  # its own report
    as_done_on = as_done_on or _legacy_views(view)
    for day in completions or ((view.done_on,) if view.done_on else ()):
        if day > as_of or (own is not None and day >= own):
            break
        if due.is_closed(as_done_on(day), occurrence, day):
            return day
    return own


def _legacy_views(view: TaskView) -> Callable[[dt.date], TaskView]:
    """The view as each old report (made before occurrences were named) left it, by day."""
    legacy = replace(view, closed=())
    made: dict[dt.date, TaskView] = {}

    def as_done_on(day: dt.date) -> TaskView:
        found = made.get(day)
        if found is None:
            found = made[day] = replace(legacy, done_on=day)
        return found

    return as_done_on


def _dated(status_done: dt.date | None, occurrence: dt.date, as_of: dt.date) -> PartStatus:
    if status_done is not None:
        return PartStatus.DONE_ON_TIME if status_done <= occurrence else PartStatus.DONE_LATE
    return PartStatus.IN_TERM if occurrence >= as_of else PartStatus.OVERDUE


def classify(
    due: Due,
    view: TaskView,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    completions: Sequence[dt.date] = (),
) -> list[ReportItem]:
    """The report items of one owner part in ``[start, end]`` as of ``as_of``."""
    waiting = view.awaiting_occurrence
    if waiting is not None:  # a recurring part: that occurrence is not done until confirmed
        kept = tuple(c for c in view.closed if c.occurrence != waiting)
        view = replace(view, closed=kept, awaiting_occurrence=None, awaiting_confirmation=False)
    elif view.awaiting_confirmation:  # not done until the office confirms it
        view = replace(view, done_on=None, awaiting_confirmation=False)
        completions = ()
    if is_for_review(view):
        done = view.done_on is not None and view.done_on <= as_of
        return [] if done else [ReportItem(view, PartStatus.REVIEW, view.due, None)]
    undated = _UNDATED.get(view.kind)
    if undated is not None:
        return [ReportItem(view, undated, None, None)]
    items = []
    recurring = view.kind is DeadlineKind.RECURRING
    as_done_on = _legacy_views(view) if recurring else None
    reports = due.reports(view) if recurring else None
    for occurrence in due.occurrences(view, start, end):
        done_on = _done_on(due, view, completions, occurrence, as_of, as_done_on, reports)
        items.append(ReportItem(view, _dated(done_on, occurrence, as_of), occurrence, done_on))
    return items


def build_report(
    due: Due,
    views: Iterable[TaskView],
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    *,
    units: Sequence[str] = (),
    completions: Mapping[tuple[int, str], Sequence[dt.date]] | None = None,
) -> Report:
    """Every owner part's items, the counts per unit (``units`` first, in order) and the total.

    ``completions``: (task number, unit code) → the days the part was reported done.
    """
    completions = completions or {}
    items: list[ReportItem] = []
    per_unit: dict[str, Counts] = {code: Counts() for code in units}
    total_parts = Counts()
    quarter = reporting_since(as_of)
    for view in views:
        unit = view.units[0] if view.units else ""
        items.extend(
            classify(due, view, start, end, as_of, completions.get((view.number, unit), ()))
        )
        counts = per_unit.setdefault(unit, Counts())
        for target in (counts, total_parts):
            target.awaiting += view.awaiting_confirmation
            if view.kind.has_checkins and not is_for_review(view):
                target.long_tasks += 1
                target.reported_this_quarter += bool(
                    view.last_update and view.last_update >= quarter
                )
    items.sort(key=report_order)
    tally = Tally(as_of, per_unit)
    for item in items:
        tally.add(item)
    total = tally.close()
    total.awaiting, total.long_tasks = total_parts.awaiting, total_parts.long_tasks
    total.reported_this_quarter = total_parts.reported_this_quarter
    return Report(start, end, as_of, tuple(items), per_unit, total)


def report_order(item: ReportItem) -> tuple[dt.date, int, str]:
    """The report's order: by due date (the undated last), task, unit."""
    return (item.due or dt.date.max, item.view.number, item.unit)


class Tally:
    """The counts of items given one at a time in ``report_order``: each unit's, and the
    whole's with each task (occurrence) once (``_total`` of each run of one task's items
    due the same day: in that order they are side by side). ``build_report`` counts
    with it; so does the streamed report, which never holds its items."""

    def __init__(self, as_of: dt.date, units: dict[str, Counts] | None = None) -> None:
        self.as_of = as_of
        self.units: dict[str, Counts] = {} if units is None else units
        self.total = Counts()
        self._run: list[ReportItem] = []

    def add(self, item: ReportItem) -> None:
        unit = item.unit
        counts = self.units.get(unit)
        if counts is None:  # not ``setdefault``: no empty ``Counts`` made per item
            counts = self.units[unit] = Counts()
        counts.add(item)
        run = self._run
        if run and (run[0].view.number != item.view.number or run[0].due != item.due):
            self._count_run()
        self._run.append(item)

    def close(self) -> Counts:
        """The whole's counts, once every item was added."""
        self._count_run()
        return self.total

    def _count_run(self) -> None:
        run = self._run
        if len(run) == 1:  # one owner's part is its task's: ``_total``'s own first rule
            self.total.add(run[0])
        elif run:
            found = _total(run, self.as_of)
            self.total.by_status.update(found.by_status)
            self.total.extended += found.extended
        self._run = []  # a new list: ``add`` appends to the current one


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def reporting_since(
    today: dt.date, checkin_months: Sequence[int] = (3, 6, 9, 12), checkin_day: int = 25
) -> dt.date:
    """Updates count from the start of the quarter of the latest check-in on or before
    ``today`` (the 25th of March, June, September, December): on 3 July, the June
    check-in's answers (since 1 April) still count until the September one asks again."""
    for year in (today.year, today.year - 1):
        for month in sorted(checkin_months, reverse=True):
            day = min(checkin_day, calendar.monthrange(year, month)[1])
            if dt.date(year, month, day) <= today:
                return quarter_start(dt.date(year, month, day))
    return quarter_start(today)


def _total(items: Sequence[ReportItem], as_of: dt.date) -> Counts:
    """Each task (occurrence) once: done when every owner is, on time when the last was."""
    groups: defaultdict[tuple[int, dt.date | None, PartStatus | None], list[ReportItem]]
    groups = defaultdict(list)
    for item in items:
        dated = item.status in DATED_STATUSES
        groups[(item.view.number, item.due, None if dated else item.status)].append(item)
    total = Counts()
    for (_number, occurrence, undated), parts in groups.items():
        if undated is not None or occurrence is None or len(parts) == 1:
            total.add(parts[0])  # one owner's part is its task's (its status made alike)
            continue
        done = [p.done_on for p in parts]
        last = max(d for d in done if d is not None) if all(done) else None
        status = _dated(last, occurrence, as_of)
        total.add(replace(parts[0], status=status, done_on=last))
        if any(p.view.extended for p in parts) and not parts[0].view.extended:
            total.extended += 1
    return total
