from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import replace

import pytest

from data.deadlines import DeadlineKind as K
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.plan import (
    DayPlan,
    DigestItem,
    Policy,
    Reason,
    UnitWeek,
    plan_day,
    scan_window,
    simulate,
)

D = dt.date
CAL = WorkCalendar()
POLICY = Policy()
_numbers = itertools.count(1)


# --------------------------------------------------------------------------- helpers


def task(
    kind: K = K.DUE,
    *,
    due: dt.date | None = None,
    number: int | None = None,
    units: tuple[str, ...] = ("A",),
    raw: str = "",
    start: dt.date | None = None,
    rrule: str | None = None,
    anchor: dt.date | None = None,
    done_on: dt.date | None = None,
    needs_review: bool = False,
) -> TaskView:
    n = next(_numbers) if number is None else number
    return TaskView(
        number=n,
        title=f"Nhiệm vụ {n}",
        units=units,
        kind=kind,
        raw_deadline=raw,
        start=start,
        due=due,
        rrule=rrule,
        anchor=anchor,
        done_on=done_on,
        needs_review=needs_review,
    )


def run(
    tasks: Sequence[TaskView],
    today: dt.date,
    last_run: dt.date | None = None,
    policy: Policy = POLICY,
) -> DayPlan:
    """plan_day, checked to be independent of the order of the tasks."""
    plan = plan_day(tasks, today, CAL, policy, last_run)
    assert plan == plan_day(list(reversed(tasks)), today, CAL, policy, last_run)
    return plan


def item(plan: DayPlan, t: TaskView, unit: str = "A") -> DigestItem | None:
    found = [i for i in plan.digests.get(unit, []) if i.number == t.number]
    assert len(found) <= 1, f"{t.number} twice on {plan.date}"
    return found[0] if found else None


def timeline(
    plans: Sequence[DayPlan], t: TaskView, unit: str = "A", *, follow_ups: bool = False
) -> dict[dt.date, tuple[Reason, int | None]]:
    """The task's items day by day (the quarter's follow-ups only when asked: they have
    their own tests below)."""
    out: dict[dt.date, tuple[Reason, int | None]] = {}
    for plan in plans:
        found = item(plan, t, unit)
        if found is not None and (follow_ups or found.reason is not Reason.UNREPORTED):
            out[plan.date] = (found.reason, found.days)
    return out


def escalated(plans: Sequence[DayPlan], t: TaskView) -> dict[dt.date, int | None]:
    out: dict[dt.date, int | None] = {}
    for plan in plans:
        hits = [i for i in plan.escalations if i.number == t.number and i.reason is Reason.OVERDUE]
        assert len(hits) <= 1
        if hits:
            out[plan.date] = hits[0].days
    return out


def sim(tasks: Sequence[TaskView], start: dt.date, end: dt.date, **policy: object) -> list[DayPlan]:
    return simulate(tasks, start, end, CAL, Policy(**policy) if policy else POLICY)  # type: ignore[arg-type]


L, T, OV, C = Reason.LADDER, Reason.DUE_TODAY, Reason.OVERDUE, Reason.CHECKIN


# --------------------------------------------------------------------------- policy / window


def test_policy_defaults() -> None:
    assert POLICY.ladder == (14, 7, 3, 1, 0)
    assert (POLICY.escalate_after_days, POLICY.escalate_every_days) == (7, 7)
    assert POLICY.checkin_months == (3, 6, 9, 12)
    assert POLICY.checkin_day == 25
    assert POLICY.weekly_summary_weekday == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"ladder": (7, -1)},
        {"escalate_every_days": 0},
        {"checkin_months": (13,)},
        {"checkin_day": 0},
        {"weekly_summary_weekday": 7},
    ],
)
def test_policy_rejects_nonsense(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Policy(**bad)  # type: ignore[arg-type]


def test_window_friday_covers_the_weekend() -> None:
    window = scan_window(D(2026, 4, 10), CAL, POLICY)
    assert window.since == D(2026, 4, 9)
    # Reminder days Fri 10, Sat 11, Sun 12 go out on Friday; nearest step wins.
    assert window.ladder_targets[D(2026, 4, 11)] == 0
    assert window.ladder_targets[D(2026, 4, 12)] == 0
    assert window.ladder_targets[D(2026, 4, 13)] == 1
    assert window.ladder_targets[D(2026, 4, 15)] == 3
    assert window.ladder_targets[D(2026, 4, 24)] == 14
    assert D(2026, 4, 10) not in window.ladder_targets  # due today is not a ladder step
    assert D(2026, 4, 16) not in window.ladder_targets


def test_non_working_day_has_no_plan() -> None:
    tasks = [task(due=D(2026, 4, 4)), task(due=D(2026, 4, 1)), task(K.ONGOING)]
    plan = run(tasks, D(2026, 4, 4))  # Saturday, and the due date of the first task
    assert plan == DayPlan(D(2026, 4, 4), False, {}, [], None, [])
    assert not scan_window(D(2026, 2, 18), CAL, POLICY).working_day  # Tết


# --------------------------------------------------------------------------- ladder


def test_ladder_on_working_days() -> None:
    t = task(due=D(2026, 4, 23))  # Thursday
    plans = sim([t], D(2026, 4, 1), D(2026, 4, 23))
    assert timeline(plans, t) == {
        D(2026, 4, 9): (L, 14),
        D(2026, 4, 16): (L, 7),
        D(2026, 4, 20): (L, 3),
        D(2026, 4, 22): (L, 1),
        D(2026, 4, 23): (T, 0),
    }


def test_weekend_step_moves_to_friday_and_two_steps_make_one_item() -> None:
    t = task(due=D(2026, 4, 13))  # Monday: the 1-step is Sunday 12/04, the 3-step Friday 10/04
    plans = sim([t], D(2026, 3, 25), D(2026, 4, 13))
    assert timeline(plans, t) == {
        D(2026, 3, 30): (L, 14),
        D(2026, 4, 6): (L, 7),
        D(2026, 4, 10): (L, 3),  # one item for steps 3 and 1
        D(2026, 4, 13): (T, 0),
    }
    friday = run([t], D(2026, 4, 10))
    assert friday.digests == {"A": [item(friday, t)]}


def test_tet_2026_step_on_18_02_goes_out_friday_13_02() -> None:
    t = task(due=D(2026, 3, 4))  # 14 days before is Wednesday 18/02, in Tết
    plans = sim([t], D(2026, 2, 1), D(2026, 3, 4))
    assert timeline(plans, t) == {
        D(2026, 2, 13): (L, 19),
        D(2026, 2, 25): (L, 7),
        D(2026, 2, 27): (L, 5),  # 3-step on Sunday 01/03
        D(2026, 3, 3): (L, 1),
        D(2026, 3, 4): (T, 0),
    }


def test_due_in_tet_reminded_before_then_overdue_after() -> None:
    t = task(due=D(2026, 2, 18))
    plans = sim([t], D(2026, 2, 1), D(2026, 2, 24))
    assert timeline(plans, t) == {
        D(2026, 2, 4): (L, 14),
        D(2026, 2, 11): (L, 7),
        D(2026, 2, 13): (L, 5),  # steps 3, 1 and 0 all fall in Tết: one ladder item
        D(2026, 2, 23): (OV, 5),  # first working day after the due date
        D(2026, 2, 24): (OV, 6),
    }


def test_make_up_saturday_2026_carries_reminders() -> None:
    t = task(due=D(2026, 8, 29))  # a Saturday
    plans = sim([t], D(2026, 8, 10), D(2026, 9, 4))
    assert timeline(plans, t) == {
        D(2026, 8, 14): (L, 15),
        D(2026, 8, 22): (L, 7),  # Saturday 22/08 is a working day
        D(2026, 8, 26): (L, 3),
        D(2026, 8, 28): (L, 1),  # steps 1 and 0 (Saturday 29/08)
        D(2026, 9, 3): (OV, 5),  # 31/08 (swapped day off), 01/09 and 02/09 are off
        D(2026, 9, 4): (OV, 6),
    }
    saturday = next(p for p in plans if p.date == D(2026, 8, 22))
    assert saturday.working_day


# --------------------------------------------------------------------------- overdue / escalation


def test_overdue_every_working_day_until_done() -> None:
    t = task(due=D(2026, 4, 3), done_on=D(2026, 4, 9))
    plans = sim([t], D(2026, 4, 3), D(2026, 4, 20))
    assert timeline(plans, t) == {
        D(2026, 4, 3): (T, 0),
        D(2026, 4, 6): (OV, 3),
        D(2026, 4, 7): (OV, 4),
        D(2026, 4, 8): (OV, 5),
    }


def test_escalation_at_7_days_then_weekly_exactly_once() -> None:
    t = task(due=D(2026, 4, 3))  # Friday
    plans = sim([t], D(2026, 4, 1), D(2026, 5, 20))
    assert escalated(plans, t) == {
        D(2026, 4, 10): 7,
        D(2026, 4, 17): 14,
        D(2026, 4, 24): 21,
        D(2026, 5, 4): 31,  # 01/05 is a holiday: the next working day
        D(2026, 5, 8): 35,
        D(2026, 5, 15): 42,
    }


def test_escalation_thresholds_on_weekends_and_holidays_move_forward() -> None:
    t = task(due=D(2026, 4, 4))  # Saturday: every threshold is a Saturday
    plans = sim([t], D(2026, 4, 1), D(2026, 5, 11))
    assert escalated(plans, t) == {
        D(2026, 4, 13): 9,
        D(2026, 4, 20): 16,
        D(2026, 4, 28): 24,  # Monday 27/04 is off
        D(2026, 5, 4): 30,
        D(2026, 5, 11): 37,
    }


def test_daily_escalation_reports_a_weekend_once() -> None:
    t = task(due=D(2026, 4, 1))
    plans = sim([t], D(2026, 4, 1), D(2026, 4, 14), escalate_every_days=1)
    assert escalated(plans, t) == {
        D(2026, 4, 8): 7,
        D(2026, 4, 9): 8,
        D(2026, 4, 10): 9,
        D(2026, 4, 13): 12,  # thresholds of Sat, Sun and Mon: one report
        D(2026, 4, 14): 13,
    }


def test_task_of_two_units_reaches_both_digests_and_escalates_once() -> None:
    t = task(due=D(2026, 4, 3), units=("A", "B"))
    plan = run([t], D(2026, 4, 10))
    assert item(plan, t, "A") == item(plan, t, "B")
    found = item(plan, t, "A")
    assert found is not None
    assert found.units == ("A", "B")
    assert plan.escalations == [found]


def test_digest_order_most_urgent_first() -> None:
    today = D(2026, 4, 10)
    tasks = [
        task(K.ONGOING, number=1),
        task(due=D(2026, 4, 13), number=2),
        task(due=today, number=3),
        task(due=D(2026, 4, 8), number=4),
        task(due=D(2026, 4, 1), number=5),
    ]
    plan = run(tasks, today, last_run=D(2026, 3, 24))  # folds in the 25/03 check-in
    assert [(i.number, i.reason) for i in plan.digests["A"]] == [
        (5, OV),
        (4, OV),
        (3, T),
        (2, L),
        (1, C),
    ]


# --------------------------------------------------------------------------- check-ins


ONGOING_CHECKINS = [
    D(2026, 3, 25),  # Wednesday
    D(2026, 6, 25),
    D(2026, 9, 25),
    D(2026, 12, 25),
    D(2027, 3, 25),
    D(2027, 6, 25),
    D(2027, 9, 24),  # 25/09/2027 is a Saturday
    D(2027, 12, 24),  # 25/12/2027 is a Saturday
    D(2028, 3, 24),  # Saturday
    D(2028, 6, 23),  # Sunday
]


def test_ongoing_checkins_each_quarter() -> None:
    t = task(K.ONGOING, raw="Thường xuyên")
    plans = sim([t], D(2026, 1, 1), D(2028, 6, 30))
    assert timeline(plans, t) == dict.fromkeys(ONGOING_CHECKINS, (C, None))


def test_ongoing_stops_when_done() -> None:
    t = task(K.ONGOING, done_on=D(2026, 7, 1))
    plans = sim([t], D(2026, 1, 1), D(2026, 12, 31))
    assert list(timeline(plans, t)) == [D(2026, 3, 25), D(2026, 6, 25)]


def test_from_task_checkins_start_with_it() -> None:
    t = task(K.FROM, start=D(2026, 6, 1), raw="Từ tháng 6/2026")
    plans = sim([t], D(2026, 1, 1), D(2026, 12, 31))
    assert list(timeline(plans, t)) == [D(2026, 6, 25), D(2026, 9, 25), D(2026, 12, 25)]


def test_term_checkins_then_final_ladder_then_overdue() -> None:
    t = task(K.TERM, start=D(2026, 1, 1), due=D(2027, 12, 31), raw="Năm 2026 - 2027")
    plans = sim([t], D(2026, 1, 1), D(2028, 1, 5))
    expected: dict[dt.date, tuple[Reason, int | None]] = dict.fromkeys(
        ONGOING_CHECKINS[:7], (C, None)
    )
    expected |= {
        D(2027, 12, 17): (L, 14),
        D(2027, 12, 24): (L, 7),  # also a check-in day: one item, the ladder
        D(2027, 12, 28): (L, 3),
        D(2027, 12, 30): (L, 1),
        D(2027, 12, 31): (T, 0),
        D(2028, 1, 4): (OV, 4),  # 01/01/2028 is a Saturday: Monday 03/01 is off
        D(2028, 1, 5): (OV, 5),
    }
    assert timeline(plans, t) == expected
    checkin = item(next(p for p in plans if p.date == D(2026, 3, 25)), t)
    assert checkin is not None
    assert checkin.due == D(2027, 12, 31)


def test_term_not_checked_in_before_it_starts() -> None:
    t = task(K.TERM, start=D(2027, 1, 1), due=D(2030, 12, 31))
    plans = sim([t], D(2026, 1, 1), D(2027, 6, 30))
    assert list(timeline(plans, t)) == [D(2027, 3, 25), D(2027, 6, 25)]


def test_due_then_ongoing_is_dated_until_done_then_checked_in() -> None:
    t = task(K.DUE_THEN_ONGOING, due=D(2026, 6, 30), done_on=D(2026, 7, 10))
    plans = sim([t], D(2026, 6, 1), D(2026, 12, 31))
    assert timeline(plans, t) == {
        D(2026, 6, 16): (L, 14),
        D(2026, 6, 23): (L, 7),
        D(2026, 6, 26): (L, 4),  # 3-step on Saturday 27/06
        D(2026, 6, 29): (L, 1),
        D(2026, 6, 30): (T, 0),
        D(2026, 7, 1): (OV, 1),
        D(2026, 7, 2): (OV, 2),
        D(2026, 7, 3): (OV, 3),
        D(2026, 7, 6): (OV, 6),
        D(2026, 7, 7): (OV, 7),
        D(2026, 7, 8): (OV, 8),
        D(2026, 7, 9): (OV, 9),
        D(2026, 9, 25): (C, None),  # no check-in on 25/06: it was still a dated task
        D(2026, 12, 25): (C, None),
    }


# --------------------------------------------------------------------------- never to a unit


def test_waiting_done_and_review_never_reach_a_unit() -> None:
    today = D(2026, 4, 10)
    waiting = task(K.WAITING, due=today, raw="Theo chỉ đạo của Tỉnh ủy")
    done = task(K.DONE, due=today, raw="Đã ban hành")
    review = task(due=D(2026, 4, 1), needs_review=True)
    unreadable = task(K.UNREADABLE, raw="Năm 2026-203")
    no_unit = task(due=today, units=())
    no_due = task(K.DUE, raw="???")
    bad_rule = task(K.RECURRING, rrule="FREQ=SOMETIMES", anchor=D(2026, 1, 1))
    closed_review = task(needs_review=True, done_on=D(2026, 4, 1))
    tasks = [waiting, done, review, unreadable, no_unit, no_due, bad_rule, closed_review]
    plan = run(tasks, today, last_run=D(2026, 3, 1))
    assert plan.working_day
    assert plan.digests == {}
    assert plan.escalations == []
    assert plan.review == sorted(
        [review, unreadable, no_unit, no_due, bad_rule], key=lambda t: t.number
    )


def test_done_stops_everything() -> None:
    t = task(due=D(2026, 4, 23), done_on=D(2026, 4, 16))
    plans = sim([t], D(2026, 4, 1), D(2026, 5, 31))
    assert timeline(plans, t) == {D(2026, 4, 9): (L, 14)}  # done on the day of the 7-step


# --------------------------------------------------------------------------- recurring


MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=20"


def test_recurring_monthly_ladder_then_overdue_from_latest_occurrence() -> None:
    t = task(K.RECURRING, rrule=MONTHLY, anchor=D(2026, 1, 5), done_on=D(2026, 3, 20))
    plans = sim([t], D(2026, 3, 21), D(2026, 5, 22))
    got = timeline(plans, t)
    assert {d: v for d, v in got.items() if d <= D(2026, 4, 22)} == {
        D(2026, 4, 6): (L, 14),
        D(2026, 4, 13): (L, 7),
        D(2026, 4, 17): (L, 3),  # steps 3 and 1 (Sunday 19/04)
        D(2026, 4, 20): (T, 0),
        D(2026, 4, 21): (OV, 1),
        D(2026, 4, 22): (OV, 2),
    }
    # Never more late than the latest occurrence: 20/05 is due today, then 1 day late.
    assert got[D(2026, 5, 19)] == (OV, 29)
    assert got[D(2026, 5, 20)] == (T, 0)
    assert got[D(2026, 5, 21)] == (OV, 1)
    assert got[D(2026, 5, 22)] == (OV, 2)
    due_dates = {i.due for p in plans for i in p.digests.get("A", [])}
    assert due_dates == {D(2026, 4, 20), D(2026, 5, 20)}


def test_recurring_done_early_closes_the_coming_occurrence() -> None:
    early = task(K.RECURRING, rrule=MONTHLY, anchor=D(2026, 1, 5), done_on=D(2026, 4, 15))
    late = task(K.RECURRING, rrule=MONTHLY, anchor=D(2026, 1, 5), done_on=D(2026, 4, 22))
    plans = sim([early, late], D(2026, 4, 15), D(2026, 5, 6))
    assert timeline(plans, early) == {D(2026, 5, 6): (L, 14)}
    assert timeline(plans, late) == {
        D(2026, 4, 15): (OV, 26),  # March's occurrence, not yet marked done
        D(2026, 4, 16): (OV, 27),
        D(2026, 4, 17): (OV, 28),
        D(2026, 4, 20): (T, 0),
        D(2026, 4, 21): (OV, 1),
        D(2026, 5, 6): (L, 14),  # done late on 22/04 does not close May's
    }


def test_recurring_steps_not_shorter_than_the_period_are_dropped() -> None:
    weekly = task(K.RECURRING, rrule="FREQ=WEEKLY;BYDAY=FR", anchor=D(2026, 1, 2))
    weekly = TaskView(**{**weekly.__dict__, "done_on": D(2026, 4, 3)})
    plans = sim([weekly], D(2026, 4, 3), D(2026, 4, 10))
    # 14- and 7-steps of 10/04 would fall on 27/03 and 03/04: dropped (period 7).
    assert timeline(plans, weekly) == {
        D(2026, 4, 7): (L, 3),
        D(2026, 4, 9): (L, 1),
        D(2026, 4, 10): (T, 0),
    }
    monthly = task(K.RECURRING, rrule=MONTHLY, anchor=D(2026, 1, 5), done_on=D(2026, 3, 20))
    dated = task(due=D(2026, 5, 20))
    friday = run([monthly, dated], D(2026, 4, 3), policy=Policy(ladder=(45, 14, 7, 3, 1, 0)))
    assert item(friday, dated) is not None  # 45 days before 20/05 is Sunday 05/04
    assert item(friday, monthly) is None  # a 45-day step on a monthly report: dropped


def test_recurring_occurrence_on_a_weekend_moves_back() -> None:
    t = task(
        K.RECURRING,
        rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
        anchor=D(2026, 4, 1),
        done_on=D(2026, 4, 29),  # 30/04 is a holiday: April's report sent the day before
    )
    plans = sim([t], D(2026, 5, 25), D(2026, 6, 2))  # 31/05/2026 is a Sunday
    assert timeline(plans, t) == {
        D(2026, 5, 28): (L, 3),
        D(2026, 5, 29): (L, 2),  # steps 1 and 0
        D(2026, 6, 1): (OV, 1),
        D(2026, 6, 2): (OV, 2),
    }


# --------------------------------------------------------------------------- catch-up


def test_catch_up_after_three_days_down_folds_missed_steps_once() -> None:
    monday, friday = D(2026, 4, 6), D(2026, 4, 10)  # down Tuesday to Thursday
    a = task(due=D(2026, 4, 21))  # 14-step on Tuesday 07/04
    b = task(due=D(2026, 4, 15))  # 7-step Wednesday 08/04, 3-step on Sunday -> Friday
    c = task(due=friday)
    d = task(due=D(2026, 4, 9))  # due while down
    e = task(due=D(2026, 4, 16))  # 7-step on Thursday 09/04
    f = task(due=D(2026, 4, 30))  # 14-step on 16/04: not yet
    g = task(due=D(2026, 3, 31))  # 7 days late on Tuesday 07/04
    tasks = [a, b, c, d, e, f, g]

    plan = run(tasks, friday, last_run=monday)
    got = {i.number: (i.reason, i.days) for i in plan.digests["A"]}
    assert got == {
        a.number: (L, 11),
        b.number: (L, 5),
        c.number: (T, 0),
        d.number: (OV, 1),
        e.number: (L, 6),
        g.number: (OV, 10),
    }
    assert [i.number for i in plan.escalations] == [g.number]

    normal = run(tasks, friday)  # the same morning when nothing was missed
    assert {i.number for i in normal.digests["A"]} == {b.number, c.number, d.number, g.number}
    assert normal.escalations == []
    assert run(tasks, friday, last_run=D(2026, 4, 9)) == normal

    # The next run does not repeat what was folded in: only e's own 3-step is new.
    next_monday = run(tasks, D(2026, 4, 13), last_run=friday)
    assert {i.number for i in next_monday.digests["A"]} == {c.number, d.number, e.number, g.number}


def test_catch_up_after_a_weekend_run_keeps_saturday_thresholds() -> None:
    # A run on Saturday 04/04 sent nothing; Monday and Tuesday were missed.
    t = task(due=D(2026, 3, 28))  # 7 days late on Saturday 04/04: reported Monday 06/04
    assert [i.days for i in run([t], D(2026, 4, 6)).escalations] == [9]
    assert [i.days for i in run([t], D(2026, 4, 8), last_run=D(2026, 4, 4)).escalations] == [11]
    assert run([t], D(2026, 4, 7), last_run=D(2026, 4, 6)).escalations == []


def test_catch_up_folds_a_missed_checkin_and_weekly_summary() -> None:
    t = task(K.ONGOING)
    assert item(run([t], D(2026, 3, 27)), t) is None
    caught = item(run([t], D(2026, 3, 27), last_run=D(2026, 3, 24)), t)
    assert caught is not None
    assert caught.reason is C
    assert run([t], D(2026, 4, 7)).weekly is None
    assert run([t], D(2026, 4, 7), last_run=D(2026, 4, 3)).weekly is not None


# --------------------------------------------------------------------------- weekly summary


def test_weekly_summary_counts_per_unit() -> None:
    monday = D(2026, 4, 6)
    review = task(due=D(2026, 4, 1), units=("B",), needs_review=True)
    tasks = [
        task(due=D(2026, 4, 8)),
        task(due=D(2026, 4, 1)),
        task(due=D(2026, 4, 2), done_on=D(2026, 3, 31)),
        task(due=D(2026, 3, 1), done_on=D(2026, 3, 20)),
        task(K.WAITING, units=("B",)),
        review,
        task(due=D(2026, 4, 12), units=("A", "B")),
        task(due=D(2026, 4, 13)),
        task(
            K.RECURRING, rrule=MONTHLY, anchor=D(2026, 1, 5), done_on=D(2026, 3, 20), units=("C",)
        ),
        task(
            K.RECURRING,
            rrule="FREQ=MONTHLY;BYMONTHDAY=10",
            anchor=D(2026, 1, 5),
            done_on=D(2026, 3, 10),
            units=("C",),
        ),
    ]
    plan = run(tasks, monday)
    assert plan.weekly is not None
    assert (plan.weekly.week_start, plan.weekly.week_end) == (monday, D(2026, 4, 12))
    assert plan.weekly.units == {
        "A": UnitWeek(done=1, due_this_week=2, overdue=1),
        "B": UnitWeek(due_this_week=1, waiting=1, needs_review=1),
        "C": UnitWeek(due_this_week=1),
    }
    assert plan.weekly.total == UnitWeek(
        done=1, due_this_week=3, overdue=1, waiting=1, needs_review=1
    )  # the task of A and B counted once
    assert plan.weekly.review == [review] == plan.review


def test_weekly_summary_on_first_working_day_of_the_week() -> None:
    plans = sim([task(K.ONGOING)], D(2026, 4, 1), D(2026, 9, 30))
    days = [p.date for p in plans if p.weekly is not None]
    assert D(2026, 4, 6) in days
    assert D(2026, 4, 28) in days  # Monday 27/04 is off
    assert D(2026, 9, 3) in days  # 31/08, 01/09, 02/09 are off
    by_week: dict[tuple[int, int], list[dt.date]] = {}
    for day in days:
        by_week.setdefault(day.isocalendar()[:2], []).append(day)
    for week_days in by_week.values():
        assert len(week_days) == 1
        monday = week_days[0] - dt.timedelta(days=week_days[0].weekday())
        assert week_days[0] == CAL.next_working_day_on_or_after(monday)
    assert len(by_week) == len(
        {(d.isocalendar()[:2]) for d in CAL.working_days(D(2026, 4, 6), D(2026, 9, 30))}
    )


# --------------------------------------------------------------------------- one year


def synthetic_plan() -> list[TaskView]:
    tasks: list[TaskView] = []
    due = D(2026, 4, 3)
    for i in itertools.count():
        if due > D(2027, 3, 31):
            break
        done_on = None
        if i % 3 == 1:
            done_on = due - dt.timedelta(days=2 + i % 5)  # done early
        elif i % 3 == 2:
            done_on = due + dt.timedelta(days=3 + 2 * (i % 7))  # done late
        units = ("A", "B") if i % 4 == 0 else ("A",)
        tasks.append(task(due=due, done_on=done_on, units=units, number=1000 + i))
        due += dt.timedelta(days=4)
    tasks += [
        task(K.ONGOING, number=1, raw="Thường xuyên"),
        task(K.WAITING, number=2, due=D(2026, 6, 1)),
        task(K.DONE, number=3, due=D(2026, 6, 1), raw="Đã ban hành"),
        task(number=4, due=D(2026, 6, 1), needs_review=True),
        task(K.UNREADABLE, number=5, raw="Năm 2026-203"),
    ]
    return tasks


def test_one_year_simulation() -> None:
    start, end = D(2026, 4, 1), D(2027, 3, 31)
    tasks = synthetic_plan()
    plans = simulate(tasks, start, end, CAL, POLICY)
    assert [p.date for p in plans] == [start + dt.timedelta(days=i) for i in range(365)]
    for plan in plans:
        assert plan == plan_day(tasks, plan.date, CAL, POLICY)
        assert plan.working_day == CAL.is_working_day(plan.date)
        if not plan.working_day:
            assert (plan.digests, plan.escalations, plan.weekly) == ({}, [], None)
        else:
            assert [t.number for t in plan.review] == [4, 5]
        units_seen = {i.number for items in plan.digests.values() for i in items}
        assert not units_seen & {2, 3, 4, 5}

    for t in tasks:
        if t.kind is not K.DUE or t.needs_review:
            continue
        assert t.due is not None
        due, done_on = t.due, t.done_on or D(9999, 12, 31)
        in_range = range(
            start.toordinal(), min(end, done_on - dt.timedelta(days=1)).toordinal() + 1
        )

        def open_on(d: dt.date, r: range = in_range) -> bool:
            return d.toordinal() in r

        for unit in t.units:
            got = timeline(plans, t, unit)
            ladder = {d: v for d, v in got.items() if v[0] in (L, T)}
            steps = {
                CAL.previous_working_day_on_or_before(due - dt.timedelta(days=n))
                for n in POLICY.ladder
            }
            assert set(ladder) == {d for d in steps if open_on(d)}, t
            for d, (reason, days) in ladder.items():
                assert days == (due - d).days
                assert (reason is T) == (d == due)
            overdue = {d: v[1] for d, v in got.items() if v[0] is OV}
            assert overdue == {
                d: (d - due).days
                for d in CAL.working_days(due + dt.timedelta(days=1), end)
                if open_on(d)
            }
            assert all(d < done_on for d in got)  # nothing after done
        thresholds = {
            CAL.next_working_day_on_or_after(due + dt.timedelta(days=k)) for k in range(7, 400, 7)
        }
        assert set(escalated(plans, t)) == {d for d in thresholds if open_on(d)}

    ongoing = tasks[-5]
    assert timeline(plans, ongoing) == dict.fromkeys(
        [D(2026, 6, 25), D(2026, 9, 25), D(2026, 12, 25), D(2027, 3, 25)], (C, None)
    )


# --------------------------------------------------------------------------- equivalence


def random_tasks(rnd: random.Random, n: int) -> list[TaskView]:
    kinds = [K.DUE] * 8 + [K.TERM, K.ONGOING, K.FROM, K.DUE_THEN_ONGOING, K.WAITING, K.DONE]
    kinds += [K.RECURRING, K.UNREADABLE]
    rules = [MONTHLY, "FREQ=WEEKLY;BYDAY=MO", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1"]
    base = D(2026, 1, 1)
    out: list[TaskView] = []
    for i in range(n):
        kind = rnd.choice(kinds)
        due = base + dt.timedelta(days=rnd.randrange(400))
        done_on = due + dt.timedelta(days=rnd.randrange(-20, 30)) if rnd.random() < 0.5 else None
        out.append(
            task(
                kind,
                number=i,
                due=due if kind not in (K.ONGOING, K.FROM, K.RECURRING) else None,
                units=rnd.choice([("A",), ("B",), ("A", "B"), ("C",)]),
                start=base + dt.timedelta(days=rnd.randrange(300)) if rnd.random() < 0.3 else None,
                rrule=rnd.choice(rules) if kind is K.RECURRING else None,
                anchor=base + dt.timedelta(days=rnd.randrange(60)),
                done_on=done_on,
                needs_review=rnd.random() < 0.03,
            )
        )
    return out


def test_simulation_equals_a_fresh_plan_each_day_on_random_tasks() -> None:
    """simulate shares one memo of the rules over the run: no day leaks into another."""
    rnd = random.Random(20260406)
    tasks = random_tasks(rnd, 600)
    start, end = D(2026, 3, 20), D(2026, 7, 10)
    plans = simulate(tasks, start, end, CAL, POLICY)
    assert sum(len(items) for p in plans for items in p.digests.values()) > 1000
    for plan in plans:
        last_run = plan.date - dt.timedelta(days=1) if plan.date > start else None
        assert plan == plan_day(tasks, plan.date, CAL, POLICY, last_run), plan.date
    days = [D(2026, 1, 1) + dt.timedelta(days=rnd.randrange(450)) for _ in range(20)]
    for today in days:  # catch-up after a gap gives the same plan in any task order
        last_run = today - dt.timedelta(days=rnd.randrange(1, 20))
        full = plan_day(tasks, today, CAL, POLICY, last_run)
        assert full == plan_day(tasks[::-1], today, CAL, POLICY, last_run), today


# --------------------------------------------------------------------------- the quarter's cycle


def test_a_part_reported_on_this_quarter_is_left_out_the_others_reminded_then_escalated() -> None:
    """Check-in 25/06/2026; #2 answers it on 26/06. The follow-up (02/07) and the supervising
    chat (09/07) skip the parts reported on this quarter; a part never reported on hears
    once more, then is listed like an overdue item."""
    quiet = task(K.ONGOING, number=1, raw="Thường xuyên")
    answers = replace(quiet, number=2)
    early = replace(quiet, number=3, last_update=D(2026, 4, 10))  # this quarter already
    stale = replace(quiet, number=4, last_update=D(2026, 3, 20))  # last quarter only

    def day(on: dt.date) -> DayPlan:
        updated = replace(answers, last_update=D(2026, 6, 26)) if on > D(2026, 6, 26) else answers
        return plan_day([quiet, updated, early, stale], on, CAL, POLICY, on - dt.timedelta(1))

    checkin = {i.number: i.reason for i in day(D(2026, 6, 25)).digests["A"]}
    assert checkin == {1: C, 2: C, 4: C}  # #3 was reported on this quarter: not asked again
    followup = {i.number: i.reason for i in day(D(2026, 7, 2)).digests["A"]}
    assert followup == {1: Reason.UNREPORTED, 4: Reason.UNREPORTED}
    supervising = {i.number: i.reason for i in day(D(2026, 7, 9)).escalations}
    assert supervising == {1: Reason.UNREPORTED, 4: Reason.UNREPORTED}
    quiet_days = [D(2026, 7, d) for d in (3, 6, 7, 8, 10, 13)]
    assert all("A" not in day(d).digests for d in quiet_days)  # once more, then the office


def test_an_overdue_term_never_reported_on_is_escalated_once() -> None:
    """On the quarter's escalation day a term overdue for weeks is one line for the
    supervising chat (overdue), not two (overdue and unreported)."""
    term = TaskView(1, "x", ("a",), K.TERM, "", start=dt.date(2026, 1, 1), due=dt.date(2026, 7, 3))
    day = dt.date(2026, 10, 9)
    plan = plan_day([term], day, CAL, POLICY, day - dt.timedelta(days=1))
    assert [(i.number, i.reason) for i in plan.escalations] == [(1, Reason.OVERDUE)]
