"""The one grammar of a day typed by a person: chat, console and command line alike.

"30/6/2026", "30-06-2026", "30.6.26", "2026-06-30" (ISO), and with ``today`` given
"30/6" (this year, or next when already past). A wrong day says what is wrong
("Ngày 31/02/2026 không có"), never just "not dd/mm/yyyy".
"""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
EARLIEST, LATEST = 2000, 2100  # a plan's days: "31/12/9999" is a typo, not a deadline


class DayError(ValueError):
    """The Vietnamese reason a typed day cannot be read."""


def parse_day(text: str, today: date | None = None) -> date:
    """The day ``text`` names; raises ``DayError`` saying why not."""
    typed = text.strip().rstrip(".,;")
    iso = _ISO.match(typed)
    match = _DMY.match(typed)
    if iso is not None:
        year, month, day = int(iso[1]), int(iso[2]), int(iso[3])
    elif match is not None and (match[3] is not None or today is not None):
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            assert today is not None
            year = today.year
        else:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    else:
        raise DayError(f"«{typed}» không phải một ngày (dd/mm/yyyy, ví dụ 30/06/2026)")
    if not 1 <= month <= 12:
        raise DayError(f"Tháng {month} không có (ngày {typed})")
    if not EARLIEST <= year <= LATEST:
        raise DayError(f"Năm {year} nằm ngoài {EARLIEST}–{LATEST} (ngày {typed})")
    try:
        found = date(year, month, day)
    except ValueError:
        raise DayError(f"Ngày {day:02d}/{month:02d}/{year} không có") from None
    if today is not None and match is not None and match[3] is None and found < today:
        found = found.replace(year=found.year + 1)
    return found


def read_day(text: str | None, today: date | None = None) -> date | None:
    """``parse_day`` for callers that only need "a day or nothing"."""
    if not text or not text.strip():
        return None
    try:
        return parse_day(text, today)
    except DayError:
        return None
