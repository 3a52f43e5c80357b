"""Which occurrences of a task are due when, and whether one is closed.

The one reading of a task's dates and state: the morning plan, the chat commands
(/homnay, /tuannay, /thangnay, /quahan, /tiendo) and the weekly summary all ask
``Due`` and nothing else, so the digest and the chat can never disagree.

* **Occurrences** — a dated task (``due``, ``term``, ``due_then_ongoing``) has one:
  its due date. A recurring task has its rule's (DTSTART = ``anchor``, else
  ``start``). Other kinds (ongoing, from, waiting, done, unreadable) have none.
* **Closed** — for a dated task, ``done_on <= today`` closes its occurrence. A
  recurring part's occurrences are closed one by one: each /done names one
  (``TaskView.closed``: the occurrence and the day it was reported, closed from that
  day on). A bare /done means ``current_occurrence``: the coming one once its ladder
  has started (a report sent early silences its own reminders), else the latest past
  one; ``/done 9 05/2026`` means ``occurrence_in`` that month. Reports made before
  occurrences were named keep their reading: ``done_on = d`` closes every occurrence
  on or before d, and also the next one if its first reminder had already gone out.
* **Ladder steps of an occurrence** — the policy's steps, minus those not shorter
  than its period (the gap to the previous occurrence, else to the next; 0 is
  always kept), so a monthly report never hears "14 days left" about next month's.
* **Review tasks** (``is_for_review``: needs review, unreadable, no owner unit, a
  dated kind without a due date, a recurring one without a readable rule) are
  never due or late for a unit: only the office's review list shows them.
* **Overdue** — an open past occurrence; only the latest open one before today counts
  (days late are counted from it): a forgotten monthly report is one late item, and
  one reported late does not hide an earlier month still unreported.
* **A rule changed under its reports** — a re-import may move a recurring task's day
  ("trước ngày 20" → "trước ngày 25 hằng tháng"). A report names the occurrence of the
  rule it was made under; one that is not an occurrence of the current rule counts for
  the current rule's nearest occurrence (``reports``), so months already sent stay sent.

No clock: ``today`` is always passed in. Answers about a rule are memoized per
``Due`` object, so build one per (calendar, policy) and ask it many times.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from dateutil.rrule import rrule, rruleset, rrulestr

from data.deadlines import DeadlineKind
from data.taskview import TaskView
from jobs.calendar import WorkCalendar

_K = DeadlineKind
DATED = frozenset(k for k in DeadlineKind if k.is_dated)
_NEVER = 1 << 30  # the period of a single occurrence: no step is dropped
_CACHE_LIMIT = 1 << 16

_Rule = rrule | rruleset
_RuleKey = tuple[str, dt.date]
_V = TypeVar("_V")


@functools.lru_cache(maxsize=4096)
def _parse_rule(text: str, start: dt.date) -> _Rule | None:
    try:
        return rrulestr(text, dtstart=_midnight(start), cache=True)
    except (ValueError, TypeError, IndexError):
        return None


def _rule_key(task: TaskView) -> _RuleKey | None:
    start = task.anchor or task.start
    if task.rrule is None or start is None:
        return None
    return task.rrule, start


def _midnight(d: dt.date) -> dt.datetime:
    # rrule counts calendar days: a naive midnight is the day, not a moment in time
    return dt.datetime(d.year, d.month, d.day)  # noqa: DTZ001


def _as_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def is_for_review(task: TaskView) -> bool:
    """Whether only the office sees the task (never guessed into a unit's list)."""
    kind = task.kind
    if task.needs_review or kind is _K.UNREADABLE or not task.units:
        return True
    if kind is _K.DUE or kind is _K.DUE_THEN_ONGOING:
        return task.due is None
    if kind is _K.RECURRING:
        key = _rule_key(task)
        return key is None or _parse_rule(*key) is None
    return False


class LadderPolicy(Protocol):
    """What ``Due`` reads of the rules (``jobs.plan.Policy`` is one)."""

    @property
    def ladder(self) -> tuple[int, ...]: ...  # calendar days before a due date


@dataclass(frozen=True, slots=True)
class DueItem:
    """One occurrence of a task: its due date, and days late as of the day asked about."""

    task: TaskView
    due: dt.date
    days_late: int = 0


@dataclass(frozen=True, slots=True)
class Around:
    """A recurring task's occurrences near a day."""

    past: dt.date | None  # the latest occurrence before the day
    on: dt.date | None  # the day itself, when it is an occurrence
    upcoming: tuple[dt.date, ...]  # the next two after the day


class Due:
    """Due dates and their state under one working calendar and one policy."""

    def __init__(self, calendar: WorkCalendar, policy: LadderPolicy) -> None:
        self.calendar = calendar
        self.policy = policy
        self._steps = tuple(sorted(set(policy.ladder)))
        self._around: dict[tuple[_RuleKey, dt.date], Around] = {}
        self._period: dict[tuple[_RuleKey, dt.date], int] = {}
        self._closed: dict[tuple[_RuleKey, dt.date], dt.date] = {}
        self._moved: dict[tuple[_RuleKey, dt.date], dt.date] = {}

    # -- one task ----------------------------------------------------------------

    def occurrences(self, task: TaskView, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The task's due dates in ``[start, end]``, whether closed or not."""
        if task.kind is _K.RECURRING:
            rule = self._rule(task)
            if rule is None:
                return ()
            found = rule.between(_midnight(start), _midnight(end), inc=True)
            return tuple(d.date() for d in found)
        if task.kind in DATED and task.due is not None and start <= task.due <= end:
            return (task.due,)
        return ()

    def is_done(self, task: TaskView, today: dt.date) -> bool:
        """Whether the task is marked done as of ``today`` (a recurring one: its last report)."""
        return task.done_on is not None and task.done_on <= today

    def closed_through(self, task: TaskView, today: dt.date) -> dt.date | None:
        """The last day whose occurrences are closed as of ``today``; None if none is."""
        done_on = task.done_on
        if done_on is None or done_on > today:
            return None
        key = _rule_key(task) if task.kind is _K.RECURRING else None
        if key is None:
            return dt.date.max
        closed = self._closed.get((key, done_on))
        if closed is None:
            closed = self._closed_by(task, done_on)
            _remember(self._closed, (key, done_on), closed)
        return closed

    def is_closed(self, task: TaskView, occurrence: dt.date, today: dt.date) -> bool:
        """Whether this occurrence of the task is done, as of ``today``."""
        if task.kind is _K.RECURRING and self.reported_on(task, occurrence, today) is not None:
            return True
        done_on = task.done_on
        if done_on is None or done_on > today:
            return False
        if task.kind is not _K.RECURRING:
            return True
        closed = self.closed_through(task, today)
        return closed is not None and occurrence <= closed

    def reported_on(
        self,
        task: TaskView,
        occurrence: dt.date,
        today: dt.date,
        reports: Mapping[dt.date, dt.date] | None = None,
    ) -> dt.date | None:
        """The day this occurrence of a recurring part was reported done by its own
        report (on or before ``today``); None if it was not (see ``closed_through``).
        ``reports``: the part's ``reports(task)``, made once by a caller asking of many
        occurrences (a report over years asks of each month)."""
        on = (self.reports(task) if reports is None else reports).get(occurrence)
        return on if on is not None and on <= today else None

    def reports(self, task: TaskView) -> Mapping[dt.date, dt.date]:
        """A recurring part's reported occurrences (of its current rule) → the day each
        was reported. A report named under an earlier rule counts for the current rule's
        nearest occurrence (the later one on a tie); two reports of one occurrence: the
        first day."""
        if not task.closed:
            return {}
        key = _rule_key(task)
        rule = self._rule(task)
        found: dict[dt.date, dt.date] = {}
        for closed in task.closed:
            occurrence = closed.occurrence
            if key is not None and rule is not None:
                occurrence = self._on_rule(key, rule, occurrence)
            earlier = found.get(occurrence)
            found[occurrence] = closed.on if earlier is None else min(earlier, closed.on)
        return found

    def _on_rule(self, key: _RuleKey, rule: _Rule, day: dt.date) -> dt.date:
        """``day`` if the rule has it, else the rule's occurrence nearest to it."""
        moved = self._moved.get((key, day))
        if moved is None:
            at = _midnight(day)
            after = _as_date(rule.after(at, inc=True))
            if after == day:
                moved = day
            else:
                before = _as_date(rule.before(at, inc=False))
                near = [d for d in (before, after) if d is not None]
                moved = min(near, key=lambda d: (abs((d - day).days), -d.toordinal()), default=day)
            _remember(self._moved, (key, day), moved)
        return moved

    def current_occurrence(self, task: TaskView, today: dt.date) -> dt.date | None:
        """The occurrence a bare /done on ``today`` reports: the next one on or after
        today once its ladder has started, else the latest past one (else the next);
        None when the task is not recurring or its rule cannot be read."""
        if task.kind is not _K.RECURRING or self._rule(task) is None:
            return None
        near = self.around(task, today)
        coming = near.on or (near.upcoming[0] if near.upcoming else None)
        if coming is not None:
            first = self.first_reminder(task, coming)
            if coming == today or (first is not None and first <= today):
                return coming
        return near.past or coming

    def occurrence_in(self, task: TaskView, year: int, month: int) -> dt.date | None:
        """The occurrence in that month (``/done 9 05/2026``): the first not yet reported
        when there are several, else the first; None if the month has none."""
        if task.kind is not _K.RECURRING or not 1 <= month <= 12:
            return None
        first = dt.date(year, month, 1)
        found = self.occurrences(task, first, month_end(first))
        reported = self.reports(task)
        return next((d for d in found if d not in reported), found[0] if found else None)

    def late(self, task: TaskView, today: dt.date) -> DueItem | None:
        """The task's one overdue occurrence as of ``today`` (the latest open past one)."""
        if is_for_review(task):
            return None
        if task.kind is _K.RECURRING:
            past = self._latest_open_before(task, today)
        elif task.kind in DATED and task.due is not None and task.due < today:
            past = task.due
        else:
            past = None
        if past is None or self.is_closed(task, past, today):
            return None
        return DueItem(task, past, (today - past).days)

    def ladder_steps(self, task: TaskView, occurrence: dt.date) -> tuple[int, ...]:
        """The policy's ladder steps (ascending) that apply to this occurrence."""
        if task.kind is not _K.RECURRING:
            return self._steps
        period = self.period(task, occurrence)
        return tuple(s for s in self._steps if s == 0 or s < period)

    def period(self, task: TaskView, occurrence: dt.date) -> int:
        """Days from the previous occurrence (else to the next); huge for a single one."""
        key = _rule_key(task)
        rule = self._rule(task)
        if key is None or rule is None:
            return _NEVER
        found = self._period.get((key, occurrence))
        if found is None:
            at = _midnight(occurrence)
            before = _as_date(rule.before(at, inc=False))
            after = _as_date(rule.after(at, inc=False))
            if before is not None:
                found = (occurrence - before).days
            elif after is not None:
                found = (after - occurrence).days
            else:
                found = _NEVER
            _remember(self._period, (key, occurrence), found)
        return found

    def first_reminder(self, task: TaskView, occurrence: dt.date) -> dt.date | None:
        """The working day the occurrence's ladder starts; None when it has no step."""
        steps = self.ladder_steps(task, occurrence)
        if not steps:
            return None
        day = occurrence - dt.timedelta(days=steps[-1])
        return self.calendar.previous_working_day_on_or_before(day)

    def around(self, task: TaskView, day: dt.date) -> Around:
        """A recurring task's occurrences near ``day`` (memoized per rule and day)."""
        key = _rule_key(task)
        rule = self._rule(task)
        if key is None or rule is None:
            return Around(None, None, ())
        found = self._around.get((key, day))
        if found is None:
            at = _midnight(day)
            past = _as_date(rule.before(at, inc=False))
            first = _as_date(rule.after(at, inc=True))
            on = first if first == day else None
            nxt = _as_date(rule.after(at, inc=False)) if on is not None else first
            upcoming: list[dt.date] = []
            while nxt is not None and len(upcoming) < 2:
                upcoming.append(nxt)
                nxt = _as_date(rule.after(_midnight(nxt), inc=False))
            found = Around(past, on, tuple(upcoming))
            _remember(self._around, (key, day), found)
        return found

    # -- many tasks ----------------------------------------------------------------

    def due_between(
        self, tasks: Iterable[TaskView], start: dt.date, end: dt.date, today: dt.date
    ) -> list[DueItem]:
        """Open occurrences due in ``[start, end]`` as of ``today``, soonest first."""
        items: list[DueItem] = []
        for task in tasks:
            if is_for_review(task):
                continue
            for occurrence in self.occurrences(task, start, end):
                if not self.is_closed(task, occurrence, today):
                    late = max((today - occurrence).days, 0)
                    items.append(DueItem(task, occurrence, late))
        return sorted(items, key=lambda i: (i.due, i.task.number))

    def overdue(self, tasks: Iterable[TaskView], today: dt.date) -> list[DueItem]:
        """Each task's open late occurrence as of ``today``, latest first."""
        items = [item for task in tasks if (item := self.late(task, today)) is not None]
        return sorted(items, key=lambda i: (-i.days_late, i.task.number))

    # -- internals -----------------------------------------------------------------

    def _rule(self, task: TaskView) -> _Rule | None:
        key = _rule_key(task)
        return None if key is None else _parse_rule(*key)

    def _latest_open_before(self, task: TaskView, today: dt.date) -> dt.date | None:
        """The latest occurrence before ``today`` not closed; each step back passes one
        reported on its own, so the walk is as long as the part's reports."""
        past = self.around(task, today).past
        rule = self._rule(task)
        if rule is None or not task.closed:
            return past
        while past is not None and self.reported_on(task, past, today) is not None:
            past = _as_date(rule.before(_midnight(past), inc=False))
        return past

    def _closed_by(self, task: TaskView, done_on: dt.date) -> dt.date:
        rule = self._rule(task)
        if rule is None:
            return done_on
        nxt = _as_date(rule.after(_midnight(done_on), inc=False))
        if nxt is None:
            return done_on
        first = self.first_reminder(task, nxt)
        return nxt if first is not None and done_on >= first else done_on


def _remember(
    cache: dict[tuple[_RuleKey, dt.date], _V], key: tuple[_RuleKey, dt.date], value: _V
) -> None:
    if len(cache) >= _CACHE_LIMIT:  # a long-lived Due stays bounded
        cache.clear()
    cache[key] = value


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week of ``today``."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_end(today: dt.date) -> dt.date:
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
