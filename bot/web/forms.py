"""What a form field holds, read for a person: a date, and why it is not one.

A page that refuses a field renders itself again with the typed values and, next to
the field, a red ``role="alert"`` box saying what is wrong ("Ngày 31/02/2026 không
có"), not a green notice that loses what was typed. The day's grammar is the one of
``data.day_text``, the chat's and the command line's.
"""

from __future__ import annotations

import datetime as dt

from data.day_text import DayError, parse_day


def read_date(text: str) -> tuple[dt.date | None, str]:
    """(the date, "") or (None, why not); an empty field is (None, "")."""
    if not text.strip():
        return None, ""
    try:
        return parse_day(text), ""
    except DayError as problem:
        return None, f"{problem}."
