"""Dates a speaker gives without a calendar date (``data.deadlines.spoken`` and the "next
period" shape): each read as a clerk would, or flagged, never silently guessed."""

from __future__ import annotations

from datetime import date

import holidays

from data.deadlines import DeadlineKind, parse_deadline
from data.deadlines.spoken import TET

STORY = date(2026, 10, 5)


def test_the_tet_table_is_the_lunar_calendars() -> None:
    for year, first_day in TET.items():
        names = holidays.VN(years=year)
        assert names.get(first_day) == "Lunar New Year", year


def test_before_tet_is_the_eve_of_the_next_tet() -> None:
    read = parse_deadline("Đề nghị hoàn thành trước Tết Nguyên đán", STORY)
    assert (read.kind, read.due) == (DeadlineKind.DUE, date(2027, 2, 5))
    assert "06/02/2027" in (read.note or "")
    # said on the eve itself, the next Tết is a year later
    assert parse_deadline("trước Tết", date(2027, 2, 6)).due == date(2028, 1, 25)
    assert parse_deadline("trước Tết Nguyên đán năm 2028", STORY).due == date(2028, 1, 25)


def test_the_same_shapes_that_are_not_before_tet() -> None:
    # after Tết, or before, during and after it (what a story reports): no date read
    assert not parse_deadline("sau Tết Nguyên đán", STORY).kind.is_dated
    assert not parse_deadline("trước, trong và sau Tết", STORY).kind.is_dated
    assert parse_deadline("trước ngày 10/02/2027", STORY).due == date(2027, 2, 9)


def test_the_period_after_the_storys_own() -> None:
    assert parse_deadline("trong quý tới", STORY).due == date(2027, 3, 31)
    assert parse_deadline("trong tháng tới", date(2026, 12, 20)).due == date(2027, 1, 31)
    assert parse_deadline("năm tới", STORY).due == date(2027, 12, 31)
    # the story's own period, and a named quarter, stay as they were
    assert parse_deadline("trong quý này", STORY).due == date(2026, 12, 31)
    assert parse_deadline("Quý I/2027", STORY).due == date(2027, 3, 31)
    assert parse_deadline("tháng 11", STORY).due == date(2026, 11, 30)


def test_a_season_or_a_day_without_month_is_flagged() -> None:
    season = parse_deadline("xong trước mùa mưa bão", STORY)
    assert season.kind is DeadlineKind.UNREADABLE and "mùa" in (season.note or "")
    day = parse_deadline("trước ngày 15", STORY)
    assert day.kind is DeadlineKind.UNREADABLE and day.suggestion == "trước ngày 15/10/2026"
    past = parse_deadline("chậm nhất ngày 3", STORY)
    assert past.suggestion == "chậm nhất ngày 03/11/2026"
    # a day with its month, and a monthly day, are read as before
    assert parse_deadline("trước ngày 15/11", STORY).due == date(2026, 11, 14)
    assert parse_deadline("trước ngày 15 hằng tháng", STORY).kind is DeadlineKind.RECURRING


def test_a_week_said_without_its_day_is_flagged_with_its_friday() -> None:
    this_week = parse_deadline("trong tuần này", STORY)  # Monday 05/10/2026
    assert this_week.kind is DeadlineKind.UNREADABLE and this_week.suggestion == "ngày 09/10/2026"
    assert parse_deadline("ngay trong tuần tới", STORY).suggestion == "ngày 16/10/2026"
    # a week counted in days, and a weekly duty, are read as before
    assert parse_deadline("trong vòng 7 ngày kể từ ngày ký", STORY).due == date(2026, 10, 12)
    assert parse_deadline("thứ Sáu hằng tuần", STORY).kind is DeadlineKind.RECURRING
