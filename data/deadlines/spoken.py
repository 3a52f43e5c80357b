"""Dates a speaker gives without a calendar date: "trước Tết Nguyên đán", "xong trước mùa mưa
bão", "trước ngày 15" with no month. A leader's direction, as a portal renders it, is dated so
more often than a plan is; each is read as a clerk would, or flagged, never silently guessed.

- "trước Tết (Nguyên đán)": the day before the next Tết (mùng 1 Tết, from the table below),
  or that year's Tết when the year is written.
- a season with no date ("trước mùa mưa bão"): flagged, the office enters the day its region's
  season starts.
- "trước ngày 15" with no month: flagged, with the next such day as the suggestion.
- "trong tuần này", "ngay trong tuần tới": flagged (which day ends an office's week is its
  own), with that week's Friday as the suggestion.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from data.deadlines.kinds import Deadline, DeadlineKind, _dmy
from data.deadlines.vocabulary import _SEASON

# Mùng 1 Tết Nguyên đán (the lunar new year's first day), by solar year; the test checks the
# table against the ``holidays`` package's Vietnamese calendar
TET = {
    2015: date(2015, 2, 19), 2016: date(2016, 2, 8), 2017: date(2017, 1, 28),
    2018: date(2018, 2, 16), 2019: date(2019, 2, 5), 2020: date(2020, 1, 25),
    2021: date(2021, 2, 12), 2022: date(2022, 2, 1), 2023: date(2023, 1, 22),
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
    2030: date(2030, 2, 2), 2031: date(2031, 1, 23), 2032: date(2032, 2, 11),
    2033: date(2033, 1, 31), 2034: date(2034, 2, 19), 2035: date(2035, 2, 8),
}  # fmt: skip

# "trước Tết", "chậm nhất trước dịp Tết Nguyên đán", "trước Tết Nguyên đán Bính Ngọ 2026"
_BEFORE_TET = re.compile(
    r"\b(?:cham nhat (?:la )?)?truoc (?:(?:dip|ky nghi|ngay) )?tet"
    r"(?: (?:nguyen dan|am lich|co truyen))?(?: [a-z]+ [a-z]+(?= (?:nam )?\d{4}))?"
    r"(?: (?:nam )?(?P<year>\d{4}))?"
    r"(?![a-z])"
)
# "trước ngày 15", "chậm nhất ngày 20" with no month after the day
_DAY_ONLY = re.compile(
    r"\b(?P<mod>truoc|cham nhat(?: la)?|han chot|khong qua) ngay (?P<day>\d{1,2})"
    r"(?![\d/.-]| ?(?:thang|[/.-] ?\d))"
)


def before_tet(raw: str, key: str, doc: date) -> Deadline | None:
    """ "trước Tết Nguyên đán": due the eve of the next Tết after ``doc`` (or the written
    year's Tết); None when the phrase says no such thing or the year is off the table."""
    match = _BEFORE_TET.search(key)
    if match is None:
        return None
    year = match.group("year")
    if year is not None:
        tet = TET.get(int(year))
    else:
        tet = next((day for day in sorted(TET.values()) if day > doc), None)
    if tet is None:
        note = "Không tra được ngày Tết Nguyên đán của năm này; cần nhập ngày."
        return Deadline(DeadlineKind.UNREADABLE, raw, note=note)
    note = f"Trước Tết Nguyên đán (mùng 1 Tết là ngày {_dmy(tet)}): hạn ngày liền trước."
    return Deadline(DeadlineKind.DUE, raw, due=tet - timedelta(days=1), note=note)


def undated_season(raw: str, key: str, shown: str) -> Deadline | None:
    """ "xong trước mùa mưa bão" with no year or day: flagged, the office enters the day."""
    season = _SEASON.search(key)
    if season is None:
        return None
    note = f"Thời hạn theo mùa («{shown}») không có ngày cụ thể; cần nhập ngày."
    return Deadline(DeadlineKind.UNREADABLE, raw, note=note)


def day_without_month(raw: str, key: str, doc: date) -> Deadline | None:
    """ "trước ngày 15" with no month: flagged, the next such day after ``doc`` suggested."""
    match = _DAY_ONLY.search(key)
    if match is None:
        return None
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    year, month = doc.year, doc.month
    for _ in range(3):  # this month if the day is still ahead, else the next one that has it
        try:
            when = date(year, month, day)
        except ValueError:
            when = None
        if when is not None and when > doc:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        return None
    said = "trước ngày" if match.group("mod") == "truoc" else "chậm nhất ngày"
    note = f"«{said} {day}» không ghi tháng; có thể là tháng {month}/{year}, cần ghi rõ."
    return Deadline(DeadlineKind.UNREADABLE, raw, note=note, suggestion=f"{said} {_dmy(when)}")


# "trong tuần này", "ngay trong tuần tới", "trong tuần sau"
_WEEK = re.compile(r"\btrong tuan (?P<which>nay|toi|sau|ke tiep)\b")


def within_week(raw: str, key: str, doc: date) -> Deadline | None:
    """ "trong tuần này" / "tuần tới": flagged, that week's Friday suggested."""
    match = _WEEK.search(key)
    if match is None:
        return None
    friday = doc + timedelta(days=(4 - doc.weekday()) % 7)
    if match.group("which") != "nay":
        friday += timedelta(days=7)
    note = (
        f"«{'tuần này' if match.group('which') == 'nay' else 'tuần tới'}» không ghi ngày;"
        f" có thể là thứ Sáu {_dmy(friday)}, cần ghi rõ."
    )
    return Deadline(DeadlineKind.UNREADABLE, raw, note=note, suggestion=f"ngày {_dmy(friday)}")
