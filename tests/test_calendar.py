from __future__ import annotations

import datetime as dt

import holidays
import pytest

from jobs.calendar import WorkCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_plain_week_and_weekend(cal: WorkCalendar) -> None:
    assert cal.is_working_day(D(2026, 4, 3))  # Friday
    assert not cal.is_working_day(D(2026, 4, 4))  # Saturday
    assert not cal.is_working_day(D(2026, 4, 5))  # Sunday
    assert cal.is_working_day(D(2026, 4, 6))  # Monday


@pytest.mark.parametrize("day", [16, 17, 18, 19, 20])
def test_tet_2026_is_off(cal: WorkCalendar, day: int) -> None:
    assert not cal.is_working_day(D(2026, 2, day))


def test_tet_2026_shifts_back_to_friday_before(cal: WorkCalendar) -> None:
    assert cal.previous_working_day_on_or_before(D(2026, 2, 18)) == D(2026, 2, 13)
    assert cal.next_working_day_on_or_after(D(2026, 2, 14)) == D(2026, 2, 23)
    assert cal.working_days(D(2026, 2, 9), D(2026, 2, 23)) == [
        D(2026, 2, 9),
        D(2026, 2, 10),
        D(2026, 2, 11),
        D(2026, 2, 12),
        D(2026, 2, 13),
        D(2026, 2, 23),
    ]


def test_2026_make_up_working_saturday(cal: WorkCalendar) -> None:
    assert cal.is_working_day(D(2026, 8, 22))  # Saturday worked in exchange…
    assert not cal.is_working_day(D(2026, 8, 31))  # …for Monday 31/08 off
    assert not cal.is_working_day(D(2026, 9, 1))
    assert not cal.is_working_day(D(2026, 9, 2))
    assert cal.previous_working_day_on_or_before(D(2026, 8, 23)) == D(2026, 8, 22)
    assert cal.previous_working_day_on_or_before(D(2026, 9, 2)) == D(2026, 8, 28)
    assert cal.next_working_day_on_or_after(D(2026, 8, 29)) == D(2026, 9, 3)


def test_make_up_days_of_other_years_do_not_leak(cal: WorkCalendar) -> None:
    # holidays keeps 2014-12-27 and 2019-01-05 in every year's weekend_workdays.
    assert cal.is_working_day(D(2019, 1, 5))
    assert not cal.is_working_day(D(2026, 1, 3))  # a plain Saturday


def test_other_public_holidays_2026(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(D(2026, 1, 1))
    assert not cal.is_working_day(D(2026, 4, 27))  # Hùng Kings, observed (26/04 is Sunday)
    assert not cal.is_working_day(D(2026, 4, 30))
    assert not cal.is_working_day(D(2026, 5, 1))
    assert cal.is_working_day(D(2026, 4, 29))


def test_year_boundary(cal: WorkCalendar) -> None:
    assert cal.previous_working_day_on_or_before(D(2027, 1, 1)) == D(2026, 12, 31)
    assert cal.next_working_day_on_or_after(D(2027, 1, 1)) == D(2027, 1, 4)


def test_on_or_before_and_after_keep_a_working_day(cal: WorkCalendar) -> None:
    day = D(2026, 4, 8)
    assert cal.previous_working_day_on_or_before(day) == day
    assert cal.next_working_day_on_or_after(day) == day


def test_working_days_empty_and_inclusive(cal: WorkCalendar) -> None:
    assert cal.working_days(D(2026, 4, 4), D(2026, 4, 5)) == []
    assert cal.working_days(D(2026, 4, 6), D(2026, 4, 6)) == [D(2026, 4, 6)]
    assert cal.working_days(D(2026, 4, 7), D(2026, 4, 6)) == []


def test_agrees_with_the_holidays_package_over_two_years(cal: WorkCalendar) -> None:
    table = holidays.country_holidays("VN", years=[2026, 2027])
    day = D(2026, 1, 1)
    while day <= D(2027, 12, 31):
        assert cal.is_working_day(day) == table.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_office_overrides() -> None:
    cal = WorkCalendar(extra_holidays=[D(2026, 4, 8)], extra_working_days=[D(2026, 4, 4)])
    assert not cal.is_working_day(D(2026, 4, 8))
    assert cal.is_working_day(D(2026, 4, 4))
    assert cal.previous_working_day_on_or_before(D(2026, 4, 8)) == D(2026, 4, 7)


def test_holiday_tables_built_once_per_year_and_answers_memoized(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    cal = WorkCalendar()
    for _ in range(3):
        cal.working_days(D(2026, 1, 1), D(2026, 12, 31))
        cal.previous_working_day_on_or_before(D(2026, 2, 18))
    assert calls == [2026]
    cal.is_working_day(D(2025, 12, 31))
    assert calls == [2026, 2025]
