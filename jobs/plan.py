"""The plan for one morning: which unit hears about which task, and why.

A pure function of (tasks, today, calendar, policy, last_run): no database, no
clock, no I/O, so the scheduler, the tests and ``simulate`` all run the same code.

Rules (see PRODUCT.md, "Reminders"):

* **Ladder** — for a due date D and each step N of ``Policy.ladder`` the reminder
  day is D - N calendar days, moved back to the working day on or before it. Two
  steps landing on the same day give one item (the nearest step). The 0-step on a
  working D is ``due_today``; on a non-working D it moves back and is a ``ladder``
  item with the days still left. ``DigestItem.days`` is always counted from today.
* **Overdue** — every working day after D until done; days late in calendar days.
* **Escalation** — an overdue item reaches the supervising chat when it is
  ``escalate_after_days`` late, then every ``escalate_every_days``. Threshold T
  (D + 7, D + 14, …) is reported on the first working day on or after T: a working
  day reports the thresholds that fell since the previous working day, so each is
  reported exactly once (two thresholds inside one long holiday give one report).
* **Check-ins** — terms, ongoing tasks, "from" tasks (once started) and
  due-then-ongoing tasks (once their dated part is done) get one item on the last
  working day on or before the 25th of March, June, September and December.
* **One item per task per day**: overdue > due today > ladder > check-in.
* **Never in a unit digest**: waiting, done, unreadable, ``needs_review``, tasks
  without an owner unit or with an inconsistent reading (a dated kind without a due
  date, a recurring one without a readable rule). Those not yet done are listed in
  ``DayPlan.review`` for the admin.
* **Done** (``Due.is_closed``): ``done_on <= today`` ends every item, check-ins included — except
  due-then-ongoing (its check-ins start then) and recurring tasks (below).
* **Recurring** — the rule's occurrences (DTSTART = ``anchor``, else ``start``) are
  due dates in turn. The next ones get the ladder, minus the steps not shorter
  than the period (the gap to the previous occurrence; 0 is always kept), so a
  monthly report never hears "14 days left" about next month's while this month's
  is due. Only the latest open past occurrence can be overdue (days late count
  from it): a forgotten monthly report is one overdue item, not twelve, and a month
  reported late does not hide an earlier one still unreported. Each /done closes
  one occurrence (``TaskView.closed``; a bare /done: ``Due.current_occurrence``, the
  coming one once its ladder has started, else the latest past one). A report made
  before occurrences were named (``done_on = d``) closes every occurrence on or
  before d, and also the next one if its first reminder had already gone out.
* **Catch-up** — ``last_run`` earlier than the previous working day means the bot
  was down: the reminder days in (last_run, today) are folded into today's plan
  (ladder steps, check-ins, escalation thresholds, the weekly summary), each once.
  A ``last_run`` on or after the previous working day changes nothing; sending
  each item once per day is the sender's job (a send log), not the plan's.
* **Weekly summary** — on the first working day on or after
  ``Policy.weekly_summary_weekday`` within the same ISO week (Tuesday when Monday is
  a holiday); a week with no such day has none, the next week's covers it.

Which occurrences a task has, whether one is closed by ``done_on``, which ladder
steps apply to it and what is late all come from ``jobs.due.Due``: the chat
commands ask the same object, so the digest and /homnay … /quahan agree.

Cost: ``scan_window`` does O(len(ladder) x days in the window) calendar lookups
once per call. ``plan_day`` is then one pass with O(1) work per task and no
calendar lookup per task (a dict lookup of the due date in the day's ladder
targets, a few comparisons; a recurring rule is evaluated once per rule per day,
memoized in ``Due``). The morning job hands it only the rows that can give the
day an item (``scan_views.task_views(today=…)``), so its cost follows the items, not
the table. The weekly summary's counts of one-off parts come from the store
(``sql_counts.week_counts``: GROUP BY unit over open parts and recent completions, as a
``WeekTally``); the plan adds the recurring and ownerless parts it is handed, so a
Monday costs what a Tuesday does. ``plan_day`` without a tally counts every task
it is given (``simulate``, tests): the same definitions, checked equal in
tests/test_scan_query.py.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from data.deadlines import DeadlineKind
from data.taskview import Owed, TaskView
from jobs.calendar import WorkCalendar
from jobs.due import DATED, Due, is_for_review
from jobs.report import quarter_start

_ONE_DAY = dt.timedelta(days=1)
_WEEK = dt.timedelta(days=7)
# Catch-up looks back at most this far: a bot down for longer than a year has
# nothing sensible left to fold in beyond what is overdue.
_MAX_CATCHUP = dt.timedelta(days=366)

_K = DeadlineKind
_CHECKIN = frozenset(k for k in DeadlineKind if k.has_checkins)


class Reason(StrEnum):
    LADDER = "ladder"  # a ladder step N > 0 days before the due date
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    CHECKIN = "checkin"  # quarterly review of a term / ongoing task
    UNREPORTED = "unreported"  # no progress update after this quarter's check-in


_RANK = {
    Reason.OVERDUE: 0,
    Reason.DUE_TODAY: 1,
    Reason.LADDER: 2,
    Reason.UNREPORTED: 3,
    Reason.CHECKIN: 4,
}


@dataclass(frozen=True)
class Policy:
    ladder: tuple[int, ...] = (14, 7, 3, 1, 0)  # calendar days before the due date
    escalate_after_days: int = 7
    escalate_every_days: int = 7
    checkin_months: tuple[int, ...] = (3, 6, 9, 12)
    checkin_day: int = 25  # clamped to the month's last day
    # A part with no progress update since its quarter began: reminded again this many
    # days after the check-in, and listed to the supervising chat this many days after.
    checkin_followup_days: int = 7
    checkin_escalate_days: int = 14
    weekly_summary_weekday: int = 0  # Monday

    def __post_init__(self) -> None:
        if any(step < 0 for step in self.ladder):
            raise ValueError("ladder steps are days before the due date: >= 0")
        if self.escalate_after_days < 1 or self.escalate_every_days < 1:
            raise ValueError("escalation delays must be >= 1 day")
        if any(not 1 <= m <= 12 for m in self.checkin_months):
            raise ValueError("check-in months are 1..12")
        if not 1 <= self.checkin_day <= 31:
            raise ValueError("check-in day is 1..31")
        if not 0 < self.checkin_followup_days < self.checkin_escalate_days:
            raise ValueError("check-in follow-up comes after the check-in, escalation after it")
        if not 0 <= self.weekly_summary_weekday <= 6:
            raise ValueError("weekday is 0 (Monday) .. 6 (Sunday)")


@dataclass(frozen=True)
class DigestItem:
    number: int
    title: str
    reason: Reason
    due: dt.date | None  # the occurrence for recurring tasks; a term's end for check-ins
    days: int | None  # days left (ladder, 0 for due today), days late (overdue), None
    raw_deadline: str
    units: tuple[str, ...]
    kind: DeadlineKind | None = None


@dataclass(frozen=True)
class UnitWeek:
    done: int = 0  # done_on from the previous week's Monday up to today
    due_this_week: int = 0  # open, due from today to Sunday
    overdue: int = 0
    waiting: int = 0
    needs_review: int = 0


@dataclass(frozen=True)
class WeeklySummary:
    week_start: dt.date  # Monday
    week_end: dt.date  # Sunday
    units: dict[str, UnitWeek]
    review: list[TaskView]
    total: UnitWeek = field(default_factory=UnitWeek)  # each task counted once
    # unit -> long tasks with no progress update since the latest check-in's quarter
    unreported: Mapping[str, Owed] = field(default_factory=dict)


@dataclass(frozen=True)
class DayPlan:
    date: dt.date
    working_day: bool
    digests: dict[str, list[DigestItem]]  # unit code -> items, most urgent first
    escalations: list[DigestItem]
    weekly: WeeklySummary | None
    review: list[TaskView]


@dataclass(frozen=True)
class ScanWindow:
    """What one day's scan is about, computed once per call.

    Events (reminder days, thresholds) whose day is in ``(since, today]`` belong to
    today. A store may use it to fetch only the rows that can yield an item: due
    date in ``ladder_targets``, today or past; recurring; and, when
    ``checkin_days`` is not empty, terms and ongoing tasks.
    """

    today: dt.date
    working_day: bool
    since: dt.date
    ladder_targets: Mapping[dt.date, int]  # due date (> today) -> nearest step sent today
    checkin_days: tuple[dt.date, ...]
    weekly: bool
    escalate_after_days: int
    escalate_every_days: int
    # The quarter's check-in day whose follow-up / escalation falls in the window, if any.
    followup_of: dt.date | None = None
    escalation_of: dt.date | None = None

    @property
    def reads_long_tasks(self) -> bool:
        """Whether today's plan needs the terms and ongoing tasks (check-in and after)."""
        return (
            bool(self.checkin_days)
            or self.followup_of is not None
            or (self.escalation_of is not None)
        )

    @property
    def owing_bounds(self) -> tuple[dt.date, dt.date] | None:
        """What a long task's part needs to give today a check-in or "unreported" item,
        for the store to pre-filter its read (``item_for`` and ``unreported`` decide):
        (started on or before this day, no progress update from this day on). None when
        today reads no long task. The latest of the days concerned and of their
        quarters' starts: a part started after every one of them, or reported on in
        every one of their quarters, gets no such item."""
        days = [*self.checkin_days, *(d for d in (self.followup_of, self.escalation_of) if d)]
        if not days:
            return None
        return max(days), max(quarter_start(d) for d in days)

    def escalates(self, days_late: int) -> bool:
        """Whether an escalation threshold fell in the window for this lateness."""
        after, every = self.escalate_after_days, self.escalate_every_days
        if days_late < after:
            return False
        lowest = days_late - (self.today - self.since).days + 1  # lateness on since + 1
        if lowest <= after:
            return True
        k = -(-(lowest - after) // every)
        return after + k * every <= days_late


def scan_window(
    today: dt.date, calendar: WorkCalendar, policy: Policy, last_run: dt.date | None = None
) -> ScanWindow:
    if not calendar.is_working_day(today):
        return ScanWindow(
            today=today,
            working_day=False,
            since=today,
            ladder_targets={},
            checkin_days=(),
            weekly=False,
            escalate_after_days=policy.escalate_after_days,
            escalate_every_days=policy.escalate_every_days,
        )
    since = calendar.previous_working_day_on_or_before(today - _ONE_DAY)
    if last_run is not None and last_run < since:
        # A run on a non-working day sent nothing: its events were still pending.
        last_sent = calendar.previous_working_day_on_or_before(last_run)
        since = max(last_sent, today - _MAX_CATCHUP)
    # A reminder day x is sent on prev_working(x); that lies in (since, today]
    # exactly when first <= x < following.
    first = calendar.next_working_day_on_or_after(since + _ONE_DAY)
    following = calendar.next_working_day_on_or_after(today + _ONE_DAY)
    targets: dict[dt.date, int] = {}
    for step in sorted(set(policy.ladder)):  # nearest step first: it wins
        x = max(first, today + _ONE_DAY - dt.timedelta(days=step))  # due must be > today
        while x < following:
            targets.setdefault(x + dt.timedelta(days=step), step)
            x += _ONE_DAY
    checkins: list[dt.date] = []
    followup_of = escalation_of = None
    for year in range(since.year - 1, today.year + 1):
        for month in policy.checkin_months:
            day = min(policy.checkin_day, _gregorian.monthrange(year, month)[1])
            sent = calendar.previous_working_day_on_or_before(dt.date(year, month, day))
            if since < sent <= today:
                checkins.append(sent)
            for after, kind in (
                (policy.checkin_followup_days, "followup"),
                (policy.checkin_escalate_days, "escalation"),
            ):
                later = calendar.next_working_day_on_or_after(sent + dt.timedelta(days=after))
                if since < later <= today:
                    if kind == "followup":
                        followup_of = sent
                    else:
                        escalation_of = sent
    monday = today - dt.timedelta(days=today.weekday())
    weekly = False
    for week in (monday, monday - _WEEK):
        summary_day = _weekly_day(week, calendar, policy)
        weekly = weekly or (summary_day is not None and since < summary_day <= today)
    return ScanWindow(
        today=today,
        working_day=True,
        since=since,
        ladder_targets=targets,
        checkin_days=tuple(sorted(set(checkins))),
        weekly=weekly,
        escalate_after_days=policy.escalate_after_days,
        escalate_every_days=policy.escalate_every_days,
        followup_of=followup_of,
        escalation_of=escalation_of,
    )


def reported_since(t: TaskView, checkin: dt.date) -> bool:
    """Whether the part has a progress update in the quarter of that check-in."""
    return t.last_update is not None and t.last_update >= quarter_start(checkin)


def _weekly_day(monday: dt.date, calendar: WorkCalendar, policy: Policy) -> dt.date | None:
    target = monday + dt.timedelta(days=policy.weekly_summary_weekday)
    day = calendar.next_working_day_on_or_after(target)
    return day if day <= monday + dt.timedelta(days=6) else None


# --------------------------------------------------------------------------- the day


class _Day:
    """Everything about today that does not depend on the task, computed once."""

    def __init__(self, window: ScanWindow, due: Due) -> None:
        self.window = window
        self.today = window.today
        self.targets = window.ladder_targets
        self.checkin_day = window.checkin_days[-1] if window.checkin_days else None
        self.due = due

    def item_for(self, t: TaskView) -> DigestItem | None:
        """The one item of a (non-review) task today, if any."""
        kind = t.kind
        if kind is _K.RECURRING:
            return self._recurring_item(t)
        today, due = self.today, self.due
        occ = t.due  # a dated task's one occurrence (Due.occurrences)
        if occ is not None and kind in DATED and not due.is_closed(t, occ, today):
            if occ < today:
                return _item(t, Reason.OVERDUE, occ, (today - occ).days)
            if occ == today:
                return _item(t, Reason.DUE_TODAY, occ, 0)
            if occ in self.targets:
                return _item(t, Reason.LADDER, occ, (occ - today).days)
        if kind not in _CHECKIN:
            return None
        done = due.is_done(t, today)
        if not (done if kind is _K.DUE_THEN_ONGOING else not done):
            return None
        end = t.due if kind is _K.TERM else None
        checkin = self.checkin_day
        if checkin is not None and (t.start is None or t.start <= checkin):
            # asked once a quarter; a part already reported on this quarter is left out
            if not reported_since(t, checkin):
                return _item(t, Reason.CHECKIN, end, None)
            return None
        followup = self.window.followup_of
        if (
            followup is not None
            and (t.start is None or t.start <= followup)
            and not reported_since(t, followup)
        ):
            return _item(t, Reason.UNREPORTED, end, (today - followup).days)
        return None

    def unreported(self, t: TaskView) -> DigestItem | None:
        """Past the quarter's escalation day, a long task its unit never reported on."""
        checkin = self.window.escalation_of
        if checkin is None or t.kind not in _CHECKIN or (t.start and t.start > checkin):
            return None
        done = self.due.is_done(t, self.today)
        if (done if t.kind is _K.DUE_THEN_ONGOING else not done) and not reported_since(t, checkin):
            end = t.due if t.kind is _K.TERM else None
            return _item(t, Reason.UNREPORTED, end, (self.today - checkin).days)
        return None

    def _recurring_item(self, t: TaskView) -> DigestItem | None:
        today, due = self.today, self.due
        near = due.around(t, today)
        if near.on is not None and not due.is_closed(t, near.on, today):
            return _item(t, Reason.DUE_TODAY, near.on, 0)
        late = due.late(t, today)
        if late is not None:
            return _item(t, Reason.OVERDUE, late.due, late.days_late)
        for occ in near.upcoming:
            step = self.targets.get(occ)
            if (
                step is not None
                and not due.is_closed(t, occ, today)
                and step in due.ladder_steps(t, occ)
            ):
                return _item(t, Reason.LADDER, occ, (occ - today).days)
        return None


def _item(t: TaskView, reason: Reason, due: dt.date | None, days: int | None) -> DigestItem:
    # A chat never sees a confidential title: the item carries what a chat may show.
    return DigestItem(t.number, t.chat_title, reason, due, days, t.raw_deadline, t.units, t.kind)


def urgency_key(item: DigestItem) -> tuple[int, int, int]:
    """Most urgent first: overdue (latest first), due today, ladder (nearest), check-in."""
    days = item.days or 0
    return _RANK[item.reason], -days if item.reason is Reason.OVERDUE else days, item.number


class _Collector:
    """Accumulates the day's items per unit, escalations and the review list."""

    def __init__(self, day: _Day) -> None:
        self.day = day
        self.digests: defaultdict[str, list[DigestItem]] = defaultdict(list)
        self.escalations: list[DigestItem] = []
        self.review: list[TaskView] = []
        self._reviewed: set[int] = set()

    def add(self, t: TaskView) -> None:
        item = self.day.item_for(t)
        escalated = (
            item is not None
            and item.reason is Reason.OVERDUE
            and item.days is not None
            and self.day.window.escalates(item.days)
        )
        unreported = None if escalated else self.day.unreported(t)  # one line a part: an
        if unreported is not None:  # overdue term escalated says more than "unreported"
            self.escalations.append(unreported)
        if item is None:
            return
        units = item.units if len(item.units) == 1 else dict.fromkeys(item.units)
        for unit in units:
            self.digests[unit].append(item)
        if escalated:
            self.escalations.append(item)

    def add_review(self, t: TaskView) -> None:
        # One line per task for the office, however many owner parts it has.
        if not self.day.due.is_done(t, self.day.today) and t.number not in self._reviewed:
            self._reviewed.add(t.number)
            self.review.append(t)

    def plan(self, weekly: _WeekCounter | None) -> DayPlan:
        digests = {unit: sorted(items, key=urgency_key) for unit, items in self.digests.items()}
        self.escalations.sort(key=urgency_key)
        self.review.sort(key=lambda t: t.number)
        summary = weekly.summary(self.review) if weekly is not None else None
        return DayPlan(self.day.today, True, digests, self.escalations, summary, self.review)


def week_range(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(done counted since, Monday, Sunday) of the weekly summary sent on ``today``."""
    week_start = today - dt.timedelta(days=today.weekday())
    return week_start - _WEEK, week_start, week_start + dt.timedelta(days=6)


@dataclass(frozen=True)
class WeekTally:
    """Weekly counts made elsewhere (the store, in SQL) for the one-off parts with an owner.

    ``plan_day(..., counted=tally)`` adds to them only what the store leaves to Python:
    recurring parts and tasks without an owner (``counted_elsewhere`` is False).
    """

    units: Mapping[str, UnitWeek]
    total: UnitWeek


def counted_elsewhere(t: TaskView) -> bool:
    """Whether a ``WeekTally`` already holds this part (a one-off part with an owner)."""
    return t.kind is not _K.RECURRING and bool(t.units)


class _WeekCounter:
    """Per-unit counts for the weekly summary (one more pass, once a week).

    The total counts each task once per slot (a task of two units due this week is
    one task due this week). With a ``WeekTally`` it starts from it and counts only
    the parts the tally leaves out.
    """

    def __init__(self, day: _Day, counted: WeekTally | None = None) -> None:
        self.day = day
        self.done_since, self.week_start, self.week_end = week_range(day.today)
        # unit -> [done, due_this_week, overdue, waiting, needs_review]
        self.counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        self.tasks: list[set[int]] = [set() for _ in range(5)]  # task numbers per slot
        self.base = [0, 0, 0, 0, 0]
        self.counted = counted is not None
        if counted is not None:
            for unit, week in counted.units.items():
                self.counts[unit] = list(_slots(week))
            self.base = list(_slots(counted.total))

    def add(self, t: TaskView, review: bool) -> None:
        if self.counted and counted_elsewhere(t):
            return
        today, due = self.day.today, self.day.due
        reported = (t.done_on, *(c.on for c in t.closed))  # a recurring part: each report
        slots: list[int] = []
        if any(d is not None and self.done_since <= d <= today for d in reported):
            slots.append(0)
        if review:
            if not due.is_done(t, today):
                slots.append(4)
        elif t.kind is _K.WAITING:
            if not due.is_done(t, today):
                slots.append(3)
        else:
            if due.late(t, today) is not None:
                slots.append(2)
            if due.due_between((t,), today, self.week_end, today):
                slots.append(1)
        for slot in slots:
            self.tasks[slot].add(t.number)
            for unit in dict.fromkeys(t.units):
                self.counts[unit][slot] += 1

    def summary(self, review: list[TaskView]) -> WeeklySummary:
        units = {unit: UnitWeek(*row) for unit, row in sorted(self.counts.items()) if any(row)}
        total = UnitWeek(*(b + len(s) for b, s in zip(self.base, self.tasks, strict=True)))
        return WeeklySummary(self.week_start, self.week_end, units, review, total)


def _slots(week: UnitWeek) -> tuple[int, int, int, int, int]:
    return week.done, week.due_this_week, week.overdue, week.waiting, week.needs_review


# --------------------------------------------------------------------------- API


def plan_day(
    tasks: Iterable[TaskView],
    today: dt.date,
    calendar: WorkCalendar,
    policy: Policy,
    last_run: dt.date | None = None,
    *,
    counted: WeekTally | None = None,
) -> DayPlan:
    """The day's plan in one pass over ``tasks`` (O(1) per task, no calendar lookups).

    On a weekly-summary day the summary counts ``tasks``; with ``counted`` (the
    store's counts of every one-off part with an owner) ``tasks`` need only be the
    morning's candidate rows: the summary adds their recurring and ownerless parts.
    """
    window = scan_window(today, calendar, policy, last_run)
    return _plan(tasks, window, Due(calendar, policy), counted)


def _plan(
    tasks: Iterable[TaskView], window: ScanWindow, due: Due, counted: WeekTally | None = None
) -> DayPlan:
    if not window.working_day:
        return DayPlan(window.today, False, {}, [], None, [])
    day = _Day(window, due)
    collector = _Collector(day)
    weekly = _WeekCounter(day, counted) if window.weekly else None
    add, add_review = collector.add, collector.add_review
    for t in tasks:
        review = is_for_review(t)
        if review:
            add_review(t)
        else:
            add(t)
        if weekly is not None:
            weekly.add(t, review)
    return collector.plan(weekly)


def simulate(
    tasks: Iterable[TaskView],
    start: dt.date,
    end: dt.date,
    calendar: WorkCalendar,
    policy: Policy,
) -> list[DayPlan]:
    """Every day of ``[start, end]``, as if each morning's plan had been sent.

    Nothing is marked done by the simulation: ``done_on`` dates in the tasks take
    effect on their day, so a plan can be replayed with its real history.
    """
    tasks = list(tasks)
    due = Due(calendar, policy)  # one memo of the rules for the whole run
    plans: list[DayPlan] = []
    last_run: dt.date | None = None
    day = start
    while day <= end:
        plans.append(_plan(tasks, scan_window(day, calendar, policy, last_run), due))
        last_run = day
        day += _ONE_DAY
    return plans
