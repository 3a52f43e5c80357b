"""Recurrences: the frequency words ("hằng quý", "định kỳ 6 tháng", "thứ Sáu hằng tuần") and
the phrases that say when in the period ("trước ngày 20 hằng tháng", "hằng năm (trước ngày
15/11)") as an RRULE."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from data.deadlines.kinds import _join, _monthday_rule, _Problem
from data.deadlines.vocabulary import _ROMAN, _UNIT_WORD

# --- recurrences ----------------------------------------------------------------------
#
# The frequency words ("hằng quý", "định kỳ 6 tháng") give a rule by themselves; the
# table ``_RECURRENCES`` reads the phrases that also say when in the period ("trước
# ngày 20 hằng tháng", "mỗi năm hai lần") and wins over a bare frequency.

_ONCE = r"(?: (?:mot|1) lan| ?/ ?lan)"
# "(ít nhất) một ngày trong tháng", "một buổi mỗi tuần": once in each period (never "trong
# tháng 5", a month named)
_ONE_IN = r"(?:it nhat )?(?:mot|01|1) (?:ngay|lan|buoi) (?:trong|moi|mot) "
_R_FREQ = re.compile(
    r"(?<!ngan )\b(?:"
    r"(?P<week>(?:hang|moi|cac|dinh ky hang) tuan|tuan" + _ONCE + "|" + _ONE_IN + r"tuan"
    r"|(?:hang|moi|cac)"
    r" (?:ngay )?(?:thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat))"
    r"|(?P<day>(?:hang|moi) ngay)"
    r"|(?P<half>(?:dinh ky|hang|moi) (?:6|sau) thang|(?:6|sau) thang" + _ONCE + r"|(?:dinh ky"
    r"|hang|moi) nua nam|nua nam" + _ONCE + ")"
    r"|(?P<quarter>(?:hang|moi|dinh ky hang) quy|dinh ky (?:theo )?quy|(?:dinh ky|hang|moi)"
    r" (?:3|ba) thang|(?:3|ba) thang" + _ONCE + "|quy" + _ONCE + "|" + _ONE_IN + r"quy(?! ?\w)"
    ")"
    r"|(?P<year>(?:hang|moi|dinh ky hang) nam(?! ?\d)|dinh ky (?:theo )?nam|dinh ky"
    r" (?:12 thang|1 nam)|nam" + _ONCE + ")"
    r"|(?P<nmonth>(?:dinh ky|moi) (?P<n>\d{1,2}) thang|(?P<n2>\d{1,2}) thang" + _ONCE + ")"
    r"|(?P<month>(?:hang|moi|dinh ky hang) thang|dinh ky (?:theo )?thang|thang"
    + _ONCE
    + "|"
    + _ONE_IN
    + r"thang(?! ?\d)"
    + ")"
    r")\b"
)
# a cheap pre-check
_RECUR_HINT = re.compile(r"\b(?:hang|moi|cac|dinh ky|so ket|thang tiep theo)\b|\blan\b")
_FREQ_RULE = {
    "week": "FREQ=WEEKLY;BYDAY=FR",
    "month": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "quarter": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    "half": "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1",
    "year": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
}
_FREQ_ORDER = ("week", "month", "nmonth", "quarter", "half", "year")
_FREQ_LABEL = {
    "week": "hằng tuần",
    "month": "hằng tháng",
    "nmonth": "định kỳ nhiều tháng",
    "quarter": "hằng quý",
    "half": "6 tháng",
    "year": "hằng năm",
}
_WEEKDAY = re.compile(
    r"\b(?P<wpre>truoc |cham nhat )?(?:(?:vao|sang|chieu|ngay|cac) )*"
    r"(?:thu (?P<wd>hai|ba|tu|nam|sau|bay|[2-7])|(?P<cn>chu nhat))\b"
)
_WEEKDAY_CODE = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAME = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class _Recur(NamedTuple):
    rule: str | None  # None: "hằng ngày", read as ongoing
    note: str | None
    spans: list[tuple[int, int]]


_RuleFn = Callable[[re.Match[str]], "tuple[str, str | None] | _Problem"]


@dataclass(frozen=True)
class RecurrenceShape:
    name: str
    pattern: re.Pattern[str]
    rule: _RuleFn


def _day_before(pre: str | None, day: int) -> int:
    return day - 1 if pre == "truoc" else day


def _yearday_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    day, month = int(m.group("d")), int(m.group("m"))
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        return _Problem(f"Ngày {day}/{month} không có thật.")
    day = _day_before(m.group("pre"), day)
    if day == 0:
        month, day = (month - 2) % 12 + 1, 31
    if day >= calendar.monthrange(2001, month)[1]:
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", None


def _yearmonth_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return _Problem(f"Không có tháng {month}.")
    if m.group("pre") == "truoc":
        month = (month - 2) % 12 + 1
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None


def _yearquarter_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    q = _ROMAN.get(m.group("q")) or int(m.group("q"))
    month = 3 * q
    if m.group("pre") == "truoc":
        return f"FREQ=YEARLY;BYMONTH={(month - 4) % 12 + 1};BYMONTHDAY=-1", None
    return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None


def _quarterday_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    day = int(m.group("n"))
    if not 1 <= day <= 31:
        return _Problem(f"Không có ngày {day} trong tháng.")
    day = _day_before(m.group("pre"), day)
    which = m.group("which")
    months = [3, 6, 9, 12] if which != "dau" else [1, 4, 7, 10]
    note = None
    if which is None:
        note = f"«Ngày {m.group('n')} hằng quý» hiểu là trong tháng cuối của mỗi quý."
    if day == 0:
        months, rule = [(k - 2) % 12 + 1 for k in months], "BYMONTHDAY=-1"
    else:
        rule = _monthday_rule(day)
    by_month = ",".join(str(k) for k in sorted(months))
    if "BYSETPOS" in rule:
        return f"FREQ=MONTHLY;BYMONTH={by_month};{rule}", note
    return f"FREQ=YEARLY;BYMONTH={by_month};{rule}", note


def _monthday_rule_of(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    day = int(m.group("n"))
    if not 1 <= day <= 31:
        return _Problem(f"Không có ngày {day} trong tháng.")
    day = _day_before(m.group("pre"), day)
    return "FREQ=MONTHLY;" + (_monthday_rule(day) if day else "BYMONTHDAY=-1"), None


_COUNT_WORD = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6, "muoi hai": 12}


def _count_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    """ "mỗi năm hai lần": the period split evenly, a due date at the end of each part."""
    tok = m.group("ck") or m.group("ck2")
    k = _COUNT_WORD.get(tok) or int(tok)
    per = m.group("cp") or m.group("cp2")
    months = {"nam": 12, "quy": 3, "thang": 1}[per]
    if k == 1:
        return {"nam": _FREQ_RULE["year"], "quy": _FREQ_RULE["quarter"]}.get(
            per, _FREQ_RULE["month"]
        ), None
    if per == "thang" and k == 2:
        return "FREQ=MONTHLY;BYMONTHDAY=15,-1", "Hai lần mỗi tháng: giữa tháng và cuối tháng."
    if months % k:
        return _Problem(f"«{k} lần» không chia đều được một {_UNIT_WORD[per]}; cần ghi rõ các mốc.")
    step = months // k
    by_month = ",".join(str(x) for x in range(step, 13, step))
    return f"FREQ=YEARLY;BYMONTH={by_month};BYMONTHDAY=-1", None


def _half_rule(_m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    return _FREQ_RULE["half"], None


_PRE = r"(?:(?P<pre>truoc|cham nhat|khong qua|khong muon hon|han chot|vao|trong) )?(?:(?:la|vao) )?"
_COUNT = r"(?:\d{1,2}|mot|hai|ba|bon|sau|muoi hai)"
_RECURRENCES: tuple[RecurrenceShape, ...] = (
    RecurrenceShape(  # "trước ngày 10 tháng 1 hằng năm", "ngày 15/12 hằng năm"
        "yearday",
        re.compile(
            _PRE + r"ngay (?P<d>\d{1,2}) ?(?:/|-|\.| thang ) ?(?P<m>\d{1,2}) (?:cua )?"
            r"(?:hang|moi|cac) nam\b"
        ),
        _yearday_rule,
    ),
    RecurrenceShape(  # "định kỳ hằng năm (trước ngày 15/11)", "hằng năm, chậm nhất ngày 20/12"
        "yearday_after",
        re.compile(
            r"\b(?:hang|moi|cac) nam ?[,(]? ?" + _PRE + r"ngay (?P<d>\d{1,2}) ?(?:/|-|\.| thang )"
            r" ?(?P<m>\d{1,2})(?! ?(?:/|-|\.|nam) ?\d)"
        ),
        _yearday_rule,
    ),
    RecurrenceShape(  # "trong tháng 12 hằng năm"
        "yearmonth",
        re.compile(_PRE + r"thang (?P<m>\d{1,2}) (?:cua )?(?:hang|moi|cac) nam\b"),
        _yearmonth_rule,
    ),
    RecurrenceShape(  # "Quý IV hằng năm"
        "yearquarter",
        re.compile(_PRE + r"quy ?(?P<q>iv|iii|ii|i|[1-4]) (?:cua )?(?:hang|moi|cac) nam\b"),
        _yearquarter_rule,
    ),
    RecurrenceShape(  # "trước ngày 25 tháng cuối hằng quý"
        "quarterday",
        re.compile(
            _PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?(?:thang (?P<which>cuoi|dau) )?(?:cua )?"
            r"(?:hang|moi|cac) quy\b"
        ),
        _quarterday_rule,
    ),
    RecurrenceShape(  # "định kỳ trước ngày 20 của tháng cuối quý": every quarter's last month
        # (alone, "trước ngày 20 của tháng cuối quý" stays this quarter's, with a note)
        "quarterday_periodic",
        re.compile(
            r"(?:(?<=dinh ky )|(?<=dinh ky, ))" + _PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?thang "
            r"(?P<which>cuoi|dau) (?:cua )?quy\b"
        ),
        _quarterday_rule,
    ),
    RecurrenceShape(  # "trước ngày 20 hằng tháng"
        "monthday",
        re.compile(_PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?(?:hang|moi|cac) thang\b"),
        _monthday_rule_of,
    ),
    RecurrenceShape(  # "định kỳ trước ngày 02 của tháng tiếp theo": last month's report
        "monthday_next",
        re.compile(_PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?thang (?:tiep theo|ke tiep|sau)\b"),
        _monthday_rule_of,
    ),
    RecurrenceShape(  # "hằng tháng, trước ngày 25"
        "monthday_after",
        re.compile(
            r"\b(?:hang|moi|cac) thang ?,? " + _PRE + r"ngay (?P<n>\d{1,2})(?! ?[/.-]? ?\d)"
            r"(?! thang)\b"
        ),
        _monthday_rule_of,
    ),
    RecurrenceShape(  # "mỗi năm hai lần", "2 lần/năm", "một năm 4 lần"
        "count",
        re.compile(
            r"\b(?:(?:moi|mot|1) (?P<cp>nam|quy|thang),? (?P<ck>" + _COUNT + r") lan"
            r"|(?P<ck2>" + _COUNT + r") lan ?(?:/|(?:trong )?(?:moi|mot|1)|tren) ?"
            r"(?P<cp2>nam|quy|thang))\b"
        ),
        _count_rule,
    ),
    RecurrenceShape(  # "vào dịp sơ kết 6 tháng và tổng kết năm"
        "half_reviews",
        re.compile(
            r"\bso ket (?:6 thang|sau thang|giua nam|nua nam)(?: dau nam)? ?,? (?:va )?"
            r"tong ket (?:cuoi |ca |hang )?nam\b"
        ),
        _half_rule,
    ),
)


def _weekly(masked: str, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """ "thứ Sáu hằng tuần", "thứ Hai và thứ Năm hằng tuần"; Friday when no day is named."""
    days: list[int] = []
    for m in _WEEKDAY.finditer(masked):
        spans.append((m.start(), m.end()))
        tok = m.group("wd")
        day = _WEEKDAY_CODE[tok] if tok in _WEEKDAY_CODE else int(tok) - 2 if tok else 6
        if m.group("wpre") == "truoc ":
            day = (day - 1) % 7
        if day not in days:
            days.append(day)
    if not days:
        return _FREQ_RULE["week"], "Hằng tuần: hạn vào thứ Sáu mỗi tuần."
    days.sort()
    names = ", ".join(_WEEKDAY_NAME[d] for d in days)
    return "FREQ=WEEKLY;BYDAY=" + ",".join(_BYDAY[d] for d in days), f"Hằng tuần: hạn vào {names}."


def _recurring(masked: str) -> _Recur | _Problem | None:
    """ "trước ngày 20 hằng tháng", "hằng quý", "định kỳ 6 tháng" as an RRULE."""
    if not _RECUR_HINT.search(masked):
        return None
    freq = list(_R_FREQ.finditer(masked))
    spans = [(m.start(), m.end()) for m in freq]
    for shape in _RECURRENCES:
        specific = shape.pattern.search(masked)
        if specific is not None:
            spans.append((specific.start(), specific.end()))
            read = shape.rule(specific)
            if isinstance(read, _Problem):
                return read
            return _Recur(read[0], read[1], spans)
    if not freq:
        return None
    kinds: list[str] = []
    n = 0
    for m in freq:
        for name in (*_FREQ_ORDER, "day"):
            if m.group(name) and name not in kinds:
                kinds.append(name)
                if name == "nmonth":
                    n = int(m.group("n") or m.group("n2"))
    periodic = [k for k in _FREQ_ORDER if k in kinds]
    if not periodic:
        return _Recur(None, "Việc làm hằng ngày: theo dõi như việc thường xuyên.", spans)
    finest = periodic[0]
    note: str | None = None
    if len(periodic) > 1:
        names = ", ".join(_FREQ_LABEL[k] for k in periodic)
        note = f"Có nhiều chu kỳ ({names}); nhắc theo chu kỳ ngắn nhất."
    if finest == "week":
        rule, week_note = _weekly(masked, spans)
        return _Recur(rule, _join(note, week_note), spans)
    if finest != "nmonth":
        return _Recur(_FREQ_RULE[finest], note, spans)
    by_n = {1: "month", 3: "quarter", 6: "half", 12: "year"}
    if n in by_n:
        return _Recur(_FREQ_RULE[by_n[n]], note, spans)
    if n in (2, 4):
        months = ",".join(str(k) for k in range(n, 13, n))
        return _Recur(f"FREQ=YEARLY;BYMONTH={months};BYMONTHDAY=-1", note, spans)
    if 1 <= n <= 24:
        extra = f"Định kỳ {n} tháng, tính từ tháng của văn bản."
        return _Recur(f"FREQ=MONTHLY;INTERVAL={n};BYMONTHDAY=-1", extra, spans)
    return _Problem(f"Chu kỳ {n} tháng không hợp lý; cần ghi rõ chu kỳ.")
