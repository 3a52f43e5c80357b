"""What a form field holds, read for a person: a date, and why it is not one.

A page that refuses a field renders itself again with the typed values and, next to
the field, a red ``role="alert"`` box saying what is wrong ("Ngày 31/02/2026 không
có: tháng 2/2026 có 28 ngày"), not a green notice that loses what was typed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
EXAMPLE = "ví dụ 30/06/2026"


def read_date(text: str) -> tuple[dt.date | None, str]:
    """(the date, "") or (None, why not); ("", None) for an empty field is (None, "")."""
    text = text.strip()
    if not text:
        return None, ""
    found = _DAY.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    elif iso := _ISO.match(text):
        year, month, day = (int(g) for g in iso.groups())
    else:
        return None, f"«{text}» không phải một ngày: hãy viết ngày/tháng/năm, {EXAMPLE}."
    if year < 100:
        return None, f"Hãy viết năm đủ bốn chữ số («{text}»), {EXAMPLE}."
    if not 1 <= month <= 12:
        return None, f"Tháng {month} không có (một năm có 12 tháng): «{text}»."
    if year < 1900 or year > 2200:
        return None, f"Năm {year} không hợp lệ («{text}»)."
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        shown = f"{day:02d}/{month:02d}/{year}"
        return None, f"Ngày {shown} không có: tháng {month}/{year} có {last} ngày."
    return dt.date(year, month, day), ""
