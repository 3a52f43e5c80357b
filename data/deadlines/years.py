"""Year repair: a year token read near the document's year, a one-digit typo's fix
("Năm 2206" → 2026), a truncated range's end ("2026-203"), and impossible dates."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import NamedTuple

from data.deadlines.kinds import _dmy, _Problem
from data.deadlines.vocabulary import _FUTURE_YEARS, _PAST_YEARS, _TYPO_WINDOW


def _year_fixes(tok: str) -> set[int]:
    """Years one typo away from ``tok``: a wrong, swapped, missing or extra digit."""
    out: set[int] = set()
    if len(tok) == 4:
        for i in range(4):
            for digit in "0123456789":
                out.add(int(tok[:i] + digit + tok[i + 1 :]))
        for i in range(3):
            out.add(int(tok[:i] + tok[i + 1] + tok[i] + tok[i + 2 :]))
    elif len(tok) == 5:
        out.update(int(tok[:i] + tok[i + 1 :]) for i in range(5))
    elif len(tok) == 3:
        out.update(int(tok + digit) for digit in "0123456789")
    return {y for y in out if 1000 <= y <= 9999}


def _near_doc_year(tok: str, doc_year: int) -> int | None:
    fixes = [y for y in _year_fixes(tok) if abs(y - doc_year) <= _TYPO_WINDOW]
    if not fixes:
        return None
    return min(fixes, key=lambda y: (abs(y - doc_year), y < doc_year))


def _end_year_choice(candidates: set[int], first: int, span: int) -> int | None:
    """The one plausible end year: within ``span`` years, a term end (…0, …5) first."""
    fits = sorted(y for y in candidates if first < y <= first + span)
    if len(fits) == 1:
        return fits[0]
    term_ends = [y for y in fits if y % 5 == 0]
    return term_ends[0] if len(term_ends) == 1 else None


class _Year(NamedTuple):
    value: int | None
    note: str | None
    problem: _Problem | None


def _read_year(tok: str, pos: int, doc: date) -> _Year:
    """A year token checked against the document's date; typos become problems."""
    if len(tok) == 2:
        year = 2000 + int(tok)
        return _Year(year, f"Năm ghi tắt «{tok}», hiểu là {year}.", None)
    if len(tok) != 4 or not doc.year - _PAST_YEARS <= int(tok) <= doc.year + _FUTURE_YEARS:
        fix = _near_doc_year(tok, doc.year)
        if len(tok) == 4:
            note = f"Năm {tok} không hợp lý với văn bản ngày {_dmy(doc)}, có thể gõ nhầm" + (
                f" (có lẽ là {fix})." if fix else "."
            )
        else:
            note = f"Năm «{tok}» không phải số có 4 chữ số" + (
                f" (có lẽ là {fix})." if fix else "."
            )
        return _Year(None, note, _Problem(note, (pos, pos + len(tok), str(fix)) if fix else None))
    return _Year(int(tok), None, None)


def _check_date(
    day: int, month: int, year: int, m: re.Match[str], gd: str, gm: str
) -> date | _Problem:
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day)
    if month > 12 and 1 <= day <= 12 and month <= calendar.monthrange(year, day)[1]:
        note = f"Không có tháng {month}; có lẽ ngày và tháng bị đảo ({month}/{day}/{year})."
        return _Problem(note, (m.start(gd), m.end(gm), f"{month:02d}/{day:02d}"))
    if not 1 <= month <= 12:
        return _Problem(f"Không có tháng {month} (chỉ có tháng 1 đến tháng 12).")
    last = calendar.monthrange(year, month)[1]
    note = f"Ngày {day}/{month}/{year} không có thật: tháng {month}/{year} chỉ có {last} ngày."
    if day > last:
        return _Problem(note, (m.start(gd), m.end(gd), f"{last:02d}"))
    return _Problem(note)
