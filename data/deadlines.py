"""Reading Vietnamese deadline phrases ("Quý II/2026", "trước ngày 01/3/2026", …).

A pure function of (phrase, document date). It never guesses silently: what it
cannot read comes back as ``unreadable`` with a reason, and a suggestion where
one is plausible.

How it reads, in order: a status ("Đã ban hành"), a recurrence (the table
``_RECURRENCES`` plus the frequencies of ``_R_FREQ``: "hằng quý", "thứ Sáu hằng
tuần"), then every date-like mention found by one scanner regex over the folded
key. The scanner is built from ``SHAPES``: one entry per class of mention
("Quý II/2026", "14-16/10/2026", "các năm 2026, 2027", "30 ngày kể từ …"), each
with its pattern, how it becomes a period, and its label. A modifier word before
a mention ("trước", "chậm nhất", "từ", "sau", …) decides how the period becomes a
reading: due its last day, due the day before it starts, starting then, starting
the day after it. Neighbouring mentions join ("từ tháng 9 đến tháng 11/2026",
"Quý III và Quý IV/2026" are one term). Sentences may hold several mentions; the
ones marked as deadlines outrank bare dates (document references like "Nghị quyết
số 08-NQ/TU, ngày 20/5/2021" are masked first). Last come the words that make a
phrase ongoing or waiting for a trigger.

Counting from an event: "N ngày kể từ ngày ký / ban hành (kế hoạch, văn bản này)"
is counted from the document's date; any other event ("kể từ ngày nhận đơn",
"trước ngày khai mạc Đại hội", "sau khi Đề án được phê duyệt") has no date yet, so
the task waits until the office enters it.

Words the reader does not understand: a *deadline cell* ("Quý II/2026 (nếu đủ
điều kiện)") must consist of its mentions plus understood words; an unknown word
flags the phrase for review with the reading as the suggestion. Understood are
the reader's own vocabulary (modifiers, period nouns, the status, ongoing,
waiting, horizon and recurrence phrases it recognises) and the fillers of
``_FILLERS`` (hoàn thành, thực hiện, trình, báo cáo, xong, …). A phrase whose
first mention comes after at least ``_PROSE_LEAD`` words, one of them unknown,
is a *sentence* that names its task first ("trình Ban Thường vụ trong tháng
02/2026"): there the mention is read and the task's own words are not judged.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from data.text import clean, fold


class DeadlineKind(StrEnum):
    DUE = "due"
    TERM = "term"
    ONGOING = "ongoing"
    FROM = "from"
    DUE_THEN_ONGOING = "due_then_ongoing"
    WAITING = "waiting"
    RECURRING = "recurring"
    DONE = "done"
    UNREADABLE = "unreadable"

    @property
    def is_dated(self) -> bool:
        """Has a due date that can be late: due, term, due then ongoing."""
        return self in _DATED_KINDS

    @property
    def has_checkins(self) -> bool:
        """Gets periodic check-ins while it runs: term, ongoing, from, due then ongoing."""
        return self in _CHECKIN_KINDS


_DATED_KINDS = frozenset({DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.DUE_THEN_ONGOING})
_CHECKIN_KINDS = frozenset(
    {DeadlineKind.TERM, DeadlineKind.ONGOING, DeadlineKind.FROM, DeadlineKind.DUE_THEN_ONGOING}
)


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    raw: str
    start: date | None = None
    due: date | None = None
    rrule: str | None = None
    note: str | None = None
    suggestion: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "rrule": self.rrule,
            "raw": self.raw,
            "note": self.note,
        }


# --- plausibility windows -------------------------------------------------------------

_PAST_YEARS = 10  # a deadline this many years before the document is still believable
_FUTURE_YEARS = 30  # "tầm nhìn đến năm 2050" in a 2022 document
_TYPO_WINDOW = 5  # a one-digit fix must land this close to the document's year
_TERM_YEARS = 5  # one Party term (nhiệm kỳ): the plausible length of a truncated range
_MAX_SPAN = 30  # a longer "Năm A - B" range is a typo
_UNIT_WORDS = 12  # a unit name is short; a longer text starting with one is a sentence
_BORROW_GAP = 20  # "tháng 3 - 6/2026": a yearless mention borrows the year this close by
_PROSE_LEAD = 3  # this many words before the first mention make the phrase a sentence

_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[a-z0-9%]+")

# --- vocabulary -----------------------------------------------------------------------

_MOD_CATEGORY = {
    "truoc": "before",
    "cham nhat": "by",
    "muon nhat": "by",
    "khong qua": "by",
    "khong muon hon": "by",
    "khong cham hon": "by",
    "han chot": "by",
    "han cuoi": "by",
    "thoi han": "by",
    "han": "by",
    "den het": "to",
    "den cuoi": "to",
    "toi het": "to",
    "den": "to",
    "toi": "to",
    "trong suot": "in",
    "trong": "in",
    "vao": "in",
    "cuoi": "in",
    "het": "in",
    "hoan thanh": "in",
    "xong": "in",
    "bat dau tu": "from",
    "bat dau": "from",
    "ke tu": "from",
    "tinh tu": "from",
    "tu": "from",
    "dau": "vague",
    "giua": "vague",
    "sau": "after",
}
_MODS = "|".join(sorted(_MOD_CATEGORY, key=len, reverse=True))

# Understood words besides the mentions and recognised phrases (see the module doc).
_FILLER_TEXT = (
    "hoan thanh thuc hien trinh bao cao xong trong vong vao ngay la va cua cac nay"
    " thoi gian han tien do nam thang quy tuan truoc cham nhat den toi het cuoi tu ke"
    " tinh bat dau trien khai to chuc ban hanh gui nop duoc lan dot ket thuc tham muu"
    " lam viec"
)
_FILLERS = frozenset(f"{' '.join(_MOD_CATEGORY)} {_FILLER_TEXT}".split())
_WORD_NUMBER = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10, "muoi hai": 12,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_ROMAN_OUT = ("", "I", "II", "III", "IV")
_UNIT_WORD = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "nam": "năm", "quy": "quý"}
# --- small helpers --------------------------------------------------------------------


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    day = min(d.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _add_workdays(d: date, days: int) -> date:
    step = timedelta(days=1 if days >= 0 else -1)
    left = abs(days)
    while left > 0:
        d += step
        if d.weekday() < 5:
            left -= 1
    return d


def _monthday_rule(day: int) -> str:
    """BYMONTHDAY for "ngày N": days past 28 clamp to the month's last day."""
    if day >= 31:
        return "BYMONTHDAY=-1"
    if day >= 29:
        return "BYMONTHDAY=" + ",".join(str(n) for n in range(28, day + 1)) + ";BYSETPOS=-1"
    return f"BYMONTHDAY={day}"


class _Problem(NamedTuple):
    note: str
    fix: tuple[int, int, str] | None = None  # span of the folded key and its replacement


class _Cand(NamedTuple):
    pos: int
    end: int
    rank: int  # 2 marked as a deadline, 1 a full date or period, 0 a bare mention
    mod: str | None  # category from _MOD_CATEGORY
    shape: str
    kind: DeadlineKind
    start: date | None
    due: date | None
    first: date | None  # the period mentioned, for "từ … đến …"
    last: date | None
    note: str | None
    problem: _Problem | None
    delta: tuple[int, str, bool] | None  # "30 ngày kể từ ngày …": counted from the next date
    label: Callable[[], str] | None = None  # the period as a clerk would write it


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


# --- the table of shapes --------------------------------------------------------------
#
# One entry per class of date-like mention. ``pattern`` is one alternative of the
# scanner (its named groups are unique across the table; the group named after the
# shape is the whole mention). ``period`` turns a match and its year into the days
# it covers, or a problem; ``label`` names that period for notes and suggestions.
# ``span`` shapes name a stretch of time (read as a term); the others a point or a
# period whose end is the deadline. ``keep`` drops mentions that are not deadlines
# ("Phụ lục 1-4", "quỹ 2" in a sentence); ``read`` replaces the generic reading for
# shapes that count (relative) or check their own years (year ranges).


class _Ctx(NamedTuple):
    """What a shape's reader knows besides its match."""

    doc: date
    mod: str | None  # category from _MOD_CATEGORY
    mod_word: str | None
    single: bool  # the only mention of the phrase
    has_year: bool  # a year was written (or borrowed from a neighbour)


_PeriodFn = Callable[[re.Match[str], int, date], "tuple[date, date] | _Problem"]
_LabelFn = Callable[[re.Match[str] | None, date, date], str]
_KeepFn = Callable[[re.Match[str], _Ctx], bool]
_ReadFn = Callable[[re.Match[str], _Ctx], "_Cand | None"]


@dataclass(frozen=True)
class Shape:
    name: str
    pattern: str
    period: _PeriodFn | None
    label: _LabelFn
    year: tuple[str, ...] = ()  # groups that may hold the written year
    family: str = ""  # "tháng 3 - 6/2026": shapes of one family pair up
    span: bool = False
    keep: _KeepFn | None = None
    read: _ReadFn | None = None
    yearless: str = "Không ghi năm; lấy năm {year} theo ngày văn bản."


def _year_tail(group: str) -> str:
    return r"(?: ?[/.,-]? ?(?:nam ?)?(?P<" + group + r">\d{3,5})(?![\d/]))?"


def _day_label(_m: re.Match[str] | None, first: date, _last: date) -> str:
    return f"ngày {_dmy(first)}"


def _span_label(_m: re.Match[str] | None, first: date, last: date) -> str:
    return f"từ ngày {_dmy(first)} đến ngày {_dmy(last)}"


def _month_label(_m: re.Match[str] | None, first: date, _last: date) -> str:
    return f"tháng {first.month}/{first.year}"


def _quarter_label(_m: re.Match[str] | None, first: date, _last: date) -> str:
    return f"Quý {_ROMAN_OUT[(first.month + 2) // 3]}/{first.year}"


def _half_label(_m: re.Match[str] | None, first: date, last: date) -> str:
    n = last.month - first.month + 1
    return f"{n} tháng {'đầu' if first.month == 1 else 'cuối'} năm {first.year}"


def _year_label(_m: re.Match[str] | None, first: date, _last: date) -> str:
    return f"năm {first.year}"


def _years_label(_m: re.Match[str] | None, first: date, last: date) -> str:
    return f"năm {first.year} - {last.year}"


def _this_label(m: re.Match[str] | None, first: date, last: date) -> str:
    unit = m.group("tunit") if m else "nam"
    if unit == "thang":
        return _month_label(m, first, last)
    return _quarter_label(m, first, last) if unit == "quy" else _year_label(m, first, last)


def _date_period(gd: str, gm: str) -> _PeriodFn:
    def period(m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
        checked = _check_date(int(m.group(gd)), int(m.group(gm)), year, m, gd, gm)
        return checked if isinstance(checked, _Problem) else (checked, checked)

    return period


def _dayspan_period(m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
    first = _check_date(int(m.group("xa")), int(m.group("xm")), year, m, "xa", "xm")
    last = _check_date(int(m.group("xb")), int(m.group("xm")), year, m, "xb", "xm")
    if isinstance(first, _Problem):
        return first
    if isinstance(last, _Problem):
        return last
    if first >= last:
        return _Problem(f"Khoảng ngày bị ngược: ngày {first.day} không trước ngày {last.day}.")
    return first, last


def _quarter_period(m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
    tok = m.group("q")
    q = _ROMAN.get(tok) or int(tok)
    if not 1 <= q <= 4:
        return _Problem(f"Không có Quý {tok.upper()} (chỉ có Quý I đến Quý IV).")
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _month_period(group: str) -> _PeriodFn:
    def period(m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
        month = int(m.group(group))
        if not 1 <= month <= 12:
            return _Problem(f"Không có tháng {month} (chỉ có tháng 1 đến tháng 12).")
        return date(year, month, 1), _month_end(year, month)

    return period


def _half_period(m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
    tok = m.group("hn")
    n = 6 if tok is None else _WORD_NUMBER.get(tok) or int(tok)
    if not 1 <= n <= 11:
        return _Problem(f"«{n} tháng» không phải một phần của năm.")
    if m.group("hw") == "dau":
        return date(year, 1, 1), _month_end(year, n)
    return date(year, 13 - n, 1), date(year, 12, 31)


def _year_period(_m: re.Match[str], year: int, _doc: date) -> tuple[date, date] | _Problem:
    return date(year, 1, 1), date(year, 12, 31)


def _this_period(m: re.Match[str], year: int, doc: date) -> tuple[date, date] | _Problem:
    unit = m.group("tunit")
    if unit == "nam":
        return date(year, 1, 1), date(year, 12, 31)
    if unit == "thang":
        return doc.replace(day=1), _month_end(doc.year, doc.month)
    q = (doc.month + 2) // 3
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _keep_date(m: re.Match[str], ctx: _Ctx) -> bool:
    """ "1.1", "Phụ lục 1-4": a yearless pair of numbers is a date only when marked."""
    return ctx.has_year or ctx.mod is not None or "ngay" in m.group(0)


def _keep_period(_m: re.Match[str], ctx: _Ctx) -> bool:
    """ "quỹ 2" in a sentence: a yearless period only when marked or alone."""
    return ctx.has_year or ctx.mod is not None or ctx.single


def _keep_alone(_m: re.Match[str], ctx: _Ctx) -> bool:
    """ "2026" inside a sentence is a number unless marked or alone."""
    return ctx.mod is not None or ctx.single


def _keep_this(m: re.Match[str], ctx: _Ctx) -> bool:
    return ctx.mod is not None or m.group("tnay") is not None


_MONTH_SEP = r"(?: ?/ ?| thang )"
_YEAR_SEP = r"(?: ?/ ?|(?: ,)? nam )"

SHAPES: tuple[Shape, ...] = (
    Shape(
        "dayspan",  # "14-16/10/2026", "trong hai ngày 14 và 15/10", "ngày 14 đến 16/10"
        r"(?P<dayspan>(?:(?:hai|ba|bon|cac|\d) ngay |ngay )?(?<![\d/.])(?P<xa>\d{1,2})"
        r" ?(?:-|den|toi|va|,) ?(?:ngay )?(?P<xb>\d{1,2})" + _MONTH_SEP + r"(?P<xm>\d{1,2})(?!\d)"
        r"(?:" + _YEAR_SEP + r"(?P<xy>\d{2,5}))?(?![\d/]))",
        _dayspan_period,
        _span_label,
        year=("xy",),
        family="date",
        span=True,
        keep=_keep_date,
    ),
    Shape(
        "vdate",  # "ngày 15 tháng 6 năm 2026"
        r"(?P<vdate>(?:ngay )?(?<![\d/.])(?P<vd>\d{1,2}) thang (?P<vm>\d{1,2})(?!\d)"
        r"(?:(?: ?,)? nam (?P<vy>\d{2,5})| ?/ ?(?P<vy2>\d{2,5}))?(?![\d/]))",
        _date_period("vd", "vm"),
        _day_label,
        year=("vy", "vy2"),
        family="date",
        keep=_keep_date,
    ),
    Shape(
        "date",  # "23/02/2026", "ngày 20/12"
        r"(?P<date>(?:ngay ?)?(?<![\d/.])(?P<dd>\d{1,2}) ?[/.-] ?(?P<dm>\d{1,2})"
        r"(?: ?[/.-] ?(?P<dy>\d{2,5}))?(?![\d/]))",
        _date_period("dd", "dm"),
        _day_label,
        year=("dy",),
        family="date",
        keep=_keep_date,
    ),
    Shape(
        "iso",  # "2026-06-15"
        r"(?P<iso>(?<![\d/.])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d/-]))",
        _date_period("id", "im"),
        _day_label,
        year=("iy",),
        family="date",
    ),
    Shape(
        "years",  # "trong các năm 2026, 2027", "năm 2026 và năm 2027"
        r"(?P<years>(?:(?:cac|nhung|hai|ba) )?nam ?(?<![\d/.])(?P<ys>\d{4})"
        r"(?P<ysn>(?: ?(?:,|va|;) ?(?:nam )?\d{4}(?![\d/]))+))",
        None,
        _years_label,
        family="year",
        span=True,
        read=lambda m, ctx: _years_list(m, ctx),
    ),
    Shape(
        "range",  # "Năm 2026 - 2030", "giai đoạn 2026-2030"
        r"(?P<range>(?:(?P<rp>nam|cac nam|giai doan|ca giai doan|nhiem ky|thoi ky) )?"
        r"(?<![\d/.])(?P<ra>\d{4}) ?(?:-|den(?: het)?(?: nam)?|toi(?: nam)?) ?(?P<rb>\d{1,5})"
        r"(?![\d/]))",
        None,
        _years_label,
        span=True,
        read=lambda m, ctx: _year_range(m, ctx),
    ),
    Shape(
        "half",  # "6 tháng đầu năm 2026", "nửa cuối năm"
        r"(?P<half>(?:(?<![\d/.])(?P<hn>\d{1,2}|sau|ba|chin) thang|nua) (?P<hw>dau|cuoi) nam"
        + _year_tail("hy")
        + ")",
        _half_period,
        _half_label,
        year=("hy",),
        keep=_keep_period,
    ),
    Shape(
        "rel",  # "trong vòng 30 ngày kể từ ngày ký", "20 ngày trước ngày khai mạc"
        r"(?P<rel>(?:(?P<rin>trong|sau) (?:(?:vong|thoi han|thoi gian|han|khoang|toi da) )?)?"
        r"(?<![\d/.])(?P<rn>\d{1,3}) (?P<ru>ngay|tuan|thang|nam)(?P<rwd> lam viec)?(?![\d/])"
        r"(?: ?,? (?P<ranchor>ke tu khi|ke tu|tinh tu|tu khi|tu|sau khi|sau|truoc khi|truoc)"
        r"(?![a-z])"
        r"(?P<rref>(?: (?!\d)[a-z]+){0,8}))?)",
        None,
        _day_label,
        read=lambda m, ctx: _relative(m, ctx),
    ),
    Shape(
        "quarter",  # "Quý II/2026", "quý 3 năm 2026", "Quý II2026"
        r"(?P<quarter>quy ?(?P<q>(?:iv|v|i{1,3})(?![a-z])|\d(?![a-z0-9]))" + _year_tail("qy") + ")",
        _quarter_period,
        _quarter_label,
        year=("qy",),
        keep=_keep_period,
    ),
    Shape(
        "month",  # "Tháng 3/2026", "trong tháng 02/2026"
        r"(?P<month>thang ?(?P<mo>\d{1,2})(?!\d)" + _year_tail("my") + ")",
        _month_period("mo"),
        _month_label,
        year=("my",),
        keep=_keep_period,
    ),
    Shape(
        "mbare",  # "6/2026"
        r"(?P<mbare>(?<![\d/.])(?P<mb>\d{1,2}) ?/ ?(?P<mby>\d{4})(?![\d/]))",
        _month_period("mb"),
        _month_label,
        year=("mby",),
        family="month",
    ),
    Shape(
        "year",  # "Năm 2026"
        r"(?P<year>nam ?(?P<y>\d{3,5})(?![\d/]))",
        _year_period,
        _year_label,
        year=("y",),
    ),
    Shape(
        "ybare",  # "2026" alone
        r"(?P<ybare>(?<![\d/.-])(?P<yy>\d{4})(?![\d/.-]))",
        _year_period,
        _year_label,
        year=("yy",),
        family="year",
        keep=_keep_alone,
    ),
    Shape(
        "this",  # "trong năm", "tháng này"
        r"(?P<this>(?P<tunit>nam|thang|quy)(?P<tnay> nay)?(?= ?$| ?[,;.)]))",
        _this_period,
        _this_label,
        keep=_keep_this,
        yearless="Không ghi rõ {word} nào; lấy theo ngày văn bản {doc}.",
    ),
)
_SHAPE = {s.name: s for s in SHAPES}
_SCAN = re.compile(
    r"(?<![a-z0-9])(?:(?P<mod>" + _MODS + r")(?: ?:)? (?:(?:la|vao|trong) )?)?"
    r"(?:" + "|".join(s.pattern for s in SHAPES) + ")"
)
_SCAN_HINT = re.compile(r"\d|nam|thang|quy")  # every shape needs one of these


# --- reading one mention --------------------------------------------------------------


def _year_group(m: re.Match[str], shape: Shape) -> str | None:
    """The name of the group holding the match's written year, if it has one."""
    for group in shape.year:
        if m.group(group) is not None:
            return group
    return None


def _plausible_year(tok: str | None, doc: date) -> int | None:
    if tok is None or len(tok) != 4:
        return None
    year = int(tok)
    return year if doc.year - _PAST_YEARS <= year <= doc.year + _FUTURE_YEARS else None


def _cand(
    m: re.Match[str],
    rank: int,
    mod: str | None,
    shape: str,
    kind: DeadlineKind,
    *,
    start: date | None = None,
    due: date | None = None,
    period: tuple[date, date] | None = None,
    note: str | None = None,
    delta: tuple[int, str, bool] | None = None,
    label: Callable[[], str] | None = None,
) -> _Cand:
    first, last = period if period else (None, None)
    return _Cand(
        m.start(), m.end(), rank, mod, shape, kind, start, due, first, last, note, None, delta,
        label,
    )  # fmt: skip


def _bad(m: re.Match[str], mod: str | None, shape: str, problem: _Problem) -> _Cand:
    rank = 2 if mod else 1
    return _Cand(
        m.start(), m.end(), rank, mod, shape, DeadlineKind.UNREADABLE,
        None, None, None, None, None, problem, None,
    )  # fmt: skip


def _shift(d: date, delta: tuple[int, str, bool]) -> date:
    n, unit, workdays = delta
    if unit == "ngay":
        return _add_workdays(d, n) if workdays else d + timedelta(days=n)
    if unit == "tuan":
        return d + timedelta(weeks=n)
    return _add_months(d, n if unit == "thang" else 12 * n)


# "kể từ ngày ký", "kể từ ngày ban hành Kế hoạch này", "kể từ ngày văn bản này được ký":
# the signing or issuing of this very document.
_THIS_DOCUMENT = re.compile(
    r"(?:ngay )?(?:(?:ky|ky ban hanh|ban hanh)(?: (?:ke hoach|van ban|quyet dinh|chi thi"
    r"|chuong trinh|thong bao|cong van|nghi quyet) nay)?"
    r"|(?:ke hoach|van ban|quyet dinh|chi thi|chuong trinh|thong bao|cong van|nghi quyet)"
    r" nay (?:duoc )?(?:ky|ban hanh))"
)


def _relative(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "trong vòng 30 ngày kể từ ngày ký": counted from the document; from another event:
    waiting for that event's date."""
    anchor = m.group("ranchor") or ""
    if not (m.group("rin") or ctx.mod_word or anchor):
        return None  # "5 năm liền": a duration, not a deadline
    n, unit = int(m.group("rn")), m.group("ru")
    before = anchor.startswith("truoc")
    delta = (-n if before else n, unit, m.group("rwd") is not None)
    ref = (m.group("rref") or "").strip()
    notes: list[str] = []
    if delta[2]:
        notes.append("Tính theo ngày làm việc (thứ Hai đến thứ Sáu), chưa trừ ngày lễ.")
    amount = f"{n} {_UNIT_WORD[unit]}{' làm việc' if delta[2] else ''}"
    if anchor and ref in ("", "ngay"):
        # "kể từ ngày 01/3/2026", "trước ngày 20/10/2026": the date follows; _combine counts.
        return _cand(
            m, 2, "in", "rel_open", DeadlineKind.DUE, due=_shift(ctx.doc, delta), delta=delta
        )
    if anchor and (before or "khi" in anchor or not _THIS_DOCUMENT.fullmatch(ref)):
        event = f"{'trước' if before else 'tính từ'} một sự việc chưa có ngày"
        note = f"Hạn {amount} {event}; nhập ngày khi biết ngày của sự việc đó."
        return _cand(m, 2, "in", "rel", DeadlineKind.WAITING, note=note)
    if not anchor:
        notes.append(f"Không ghi mốc tính; tạm tính từ ngày văn bản {_dmy(ctx.doc)}.")
    due = _shift(ctx.doc, delta)
    if due.year > ctx.doc.year + _FUTURE_YEARS:
        return _bad(m, "in", "rel", _Problem(f"Thời hạn {amount} dài bất thường; cần kiểm tra."))
    return _cand(
        m, 2, "in", "rel", DeadlineKind.DUE, due=due, period=(ctx.doc, due),
        note=" ".join(notes) or None,
    )  # fmt: skip


def _years_list(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    """ "trong các năm 2026, 2027": a term from the first year to the last."""
    years: list[int] = []
    for tok in _DIGITS.finditer(m.group("years")):
        read = _read_year(tok.group(), tok.start(), ctx.doc)
        if read.problem or read.value is None:
            return _bad(m, ctx.mod, "years", read.problem or _Problem("Năm không đọc được."))
        years.append(read.value)
    if years != sorted(years) or len(set(years)) != len(years):
        note = f"Các năm không theo thứ tự ({', '.join(map(str, years))}); cần kiểm tra."
        return _bad(m, ctx.mod, "years", _Problem(note))
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    return _reading(m, ctx, _SHAPE["years"], (first, last), 2 if ctx.mod else 1, None)


def _year_range(m: re.Match[str], ctx: _Ctx) -> _Cand:
    """ "Năm 2026 - 2030", "giai đoạn 2026-2030"; a truncated or reversed one is flagged."""
    doc, mod = ctx.doc, ctx.mod
    ra, rb = m.group("ra"), m.group("rb")
    head = _read_year(ra, m.start("ra"), doc)
    if head.problem or head.value is None:
        return _bad(m, mod, "range", head.problem or _Problem("Năm bắt đầu không đọc được."))
    a = head.value
    span = (m.start("ra"), m.end("rb"))
    choice: int | None = None
    if len(rb) < 4:
        k = 4 - len(rb)
        options = set(range(int(rb) * 10**k, (int(rb) + 1) * 10**k))
        options.add(int(ra[:k] + rb))
        choice = _end_year_choice(options, a, _TERM_YEARS)
        note = f"Năm kết thúc «{rb}» bị thiếu chữ số nên không biết giai đoạn kết thúc năm nào"
    elif len(rb) > 4 or int(rb) - a > _MAX_SPAN:
        choice = _end_year_choice(_year_fixes(rb), a, 2 * _TERM_YEARS)
        note = f"Năm kết thúc {rb} không hợp lý với năm bắt đầu {a}, có thể gõ nhầm"
    elif int(rb) < a:
        b = int(rb)
        note = f"Khoảng năm bị ngược: năm bắt đầu {a} lại sau năm kết thúc {b}."
        fix = (*span, f"{b} - {a}") if _plausible_year(rb, doc) else None
        return _bad(m, mod, "range", _Problem(note, fix))
    else:
        b = int(rb)
        rank = 2 if mod else 1  # "giai đoạn 2026-2030" in a sentence names a programme
        first, last = date(a, 1, 1), date(b, 12, 31)
        if a == b:
            note = f"Khoảng năm chỉ có một năm ({a}); hạn là cuối năm {a}."
            return _reading(m, ctx, _SHAPE["year"], (first, last), rank, note)
        return _reading(m, ctx, _SHAPE["range"], (first, last), rank, None)
    if choice is not None:
        fix = (*span, f"{a} - {choice}")
        return _bad(m, mod, "range", _Problem(f"{note}; có lẽ là {a} - {choice}.", fix))
    return _bad(m, mod, "range", _Problem(f"{note}; cần ghi rõ năm kết thúc."))


def _candidate(m: re.Match[str], doc: date, borrowed: int | None, single: bool) -> _Cand | None:
    """One scanner match read as a deadline, a problem, or nothing (None)."""
    shape = _SHAPE[m.lastgroup or ""]
    mod_word = m.group("mod")
    mod = _MOD_CATEGORY[mod_word] if mod_word else None
    year_group = _year_group(m, shape)
    ctx = _Ctx(doc, mod, mod_word, single, year_group is not None or borrowed is not None)
    if shape.read is not None:
        return shape.read(m, ctx)
    if shape.keep is not None and not shape.keep(m, ctx):
        return None
    notes: list[str] = []
    year = borrowed
    if year_group is not None:
        read = _read_year(m.group(year_group), m.start(year_group), doc)
        if read.problem:
            return _bad(m, mod, shape.name, read.problem)
        year = read.value
        if read.note:
            notes.append(read.note)
    if year is None:
        year = doc.year
        word = _UNIT_WORD.get(m.group("tunit") or "") if shape.name == "this" else None
        notes.append(shape.yearless.format(year=year, word=word, doc=_dmy(doc)))
    assert shape.period is not None
    period = shape.period(m, year, doc)
    if isinstance(period, _Problem):
        return _bad(m, mod, shape.name, period)
    full = ctx.has_year and shape.name not in ("year", "ybare")
    has_ngay = shape.family == "date" and "ngay" in m.group(shape.name)
    rank = 2 if mod else (1 if full or has_ngay else 0)
    return _reading(m, ctx, shape, period, rank, " ".join(notes) or None)


def _reading(
    m: re.Match[str],
    ctx: _Ctx,
    shape: Shape,
    period: tuple[date, date],
    rank: int,
    note: str | None,
) -> _Cand:
    """A period and its modifier as a reading: due its end, before it, from it, after it."""
    first, last = period
    mod = ctx.mod

    def label() -> str:
        return shape.label(m, first, last)

    if mod == "vague":
        word = "Đầu" if ctx.mod_word == "dau" else "Giữa"
        problem = _Problem(
            f"«{word} {label()}» không chỉ rõ hạn cuối; cần ghi rõ ngày (ví dụ «trước ngày …»)."
        )
        return _bad(m, mod, shape.name, problem)
    if mod == "after":  # "Sau ngày 15/3/2026": starts the next day
        start = last + timedelta(days=1)
        return _cand(m, rank, mod, shape.name, DeadlineKind.FROM, start=start,
                     period=(start, start), note=note, label=label)  # fmt: skip
    if mod == "from" and not shape.span:
        return _cand(m, rank, mod, shape.name, DeadlineKind.FROM, start=first, period=period,
                     note=note, label=label)  # fmt: skip
    if mod == "before":
        return _cand(m, rank, mod, shape.name, DeadlineKind.DUE, due=first - timedelta(days=1),
                     period=period, note=note, label=label)  # fmt: skip
    if shape.span:
        return _cand(m, rank, mod, shape.name, DeadlineKind.TERM, start=first, due=last,
                     period=period, note=note, label=label)  # fmt: skip
    return _cand(
        m, rank, mod, shape.name, DeadlineKind.DUE, due=last, period=period, note=note, label=label
    )


# --- reading the mentions of a phrase ---------------------------------------------------


def _scan(masked: str, doc: date) -> list[_Cand]:
    """Every date-like mention, left to right; a yearless one borrows its neighbour's year."""
    if not _SCAN_HINT.search(masked):
        return []
    matches = list(_SCAN.finditer(masked))
    if not matches:
        return []
    groups = [_year_group(m, _SHAPE[m.lastgroup or ""]) for m in matches]
    years = [
        _plausible_year(m.group(g) if g else None, doc)
        for m, g in zip(matches, groups, strict=True)
    ]
    out: list[_Cand] = []
    for i, m in enumerate(matches):
        borrowed = None
        if groups[i] is None:
            for j in range(i + 1, len(matches)):
                if matches[j].start() - matches[j - 1].end() > _BORROW_GAP:
                    break
                if years[j] is not None:
                    borrowed = years[j]
                    break
        cand = _candidate(m, doc, borrowed, len(matches) == 1)
        if cand is not None:
            out.append(cand)
    return _combine(out, masked, doc)


_LIST_GAPS = frozenset({"va", ",", "-", "den", "toi", "va den", ";"})


def _joins(c: _Cand, d: _Cand, gap: str) -> str | None:
    """How two neighbouring mentions make one stretch of time: "range", "list" or None."""
    if c.problem is not None or d.problem is not None or c.first is None or d.due is None:
        return None
    if c.shape in ("range", "rel", "years", "dayspan") or c.kind is DeadlineKind.UNREADABLE:
        return None
    if c.mod == "from" and (d.mod in ("to", "by") or gap == "-"):
        return "range"
    if c.mod in (None, "in") and d.mod == "to" and not gap:
        return "range"
    if c.mod in (None, "in") and d.mod is None and gap in _LIST_GAPS and _same(c.shape, d.shape):
        return "list"  # "Quý III và Quý IV/2026", "tháng 9, tháng 10 năm 2026"
    return None


def _combine(cands: list[_Cand], masked: str, doc: date) -> list[_Cand]:
    """ "từ tháng 3 đến tháng 6/2026" is one term; "30 ngày kể từ ngày X" counts from X."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        d = cands[i + 1] if i + 1 < len(cands) else None
        gap = masked[c.end : d.pos].strip(" ,") if d else ""
        if d is not None and masked[c.end : d.pos].strip() == ",":
            gap = ","
        if d is not None and c.delta is not None and d.first is not None and not gap:
            anchor = d.first if c.delta[0] >= 0 else d.last or d.first
            due = _shift(anchor, c.delta)
            out.append(c._replace(end=d.end, due=due, last=due, shape="rel", delta=None))
            i += 2
            continue
        if c.delta is not None:
            guess = f"Không rõ mốc tính; tạm tính từ ngày văn bản {_dmy(doc)}."
            out.append(c._replace(shape="rel", delta=None, note=guess))
            i += 1
            continue
        how = _joins(c, d, gap) if d is not None else None
        if how is None or d is None or c.first is None or d.due is None:
            out.append(c)
            i += 1
            continue
        last = d.last or d.due
        if c.first > d.due:
            why = f"Khoảng thời gian bị ngược: bắt đầu {_dmy(c.first)} sau hạn {_dmy(d.due)}."
            joined = c._replace(end=d.end, kind=DeadlineKind.UNREADABLE, problem=_Problem(why))
        else:
            joined = c._replace(
                end=d.end,
                rank=2 if how == "range" else max(c.rank, d.rank, 1),
                shape="range" if how == "range" else d.shape,
                kind=DeadlineKind.TERM,
                start=c.first,
                due=d.due if how == "range" else last,
                last=last,
                note=_join(c.note, d.note),
            )
        if how == "list":  # a third item may follow: "Quý II, Quý III và Quý IV/2026"
            cands[i + 1] = joined
            i += 1
            continue
        out.append(joined)
        i += 2
    return out


_FAMILY = {s.name: s.family or s.name for s in SHAPES}


def _same(a: str, b: str) -> bool:
    """ "tháng 3 - 6/2026": a month and a bare month/year are the same kind of period."""
    return _FAMILY.get(a, a) == _FAMILY.get(b, b)


def _choose(cands: list[_Cand]) -> tuple[_Cand | None, str | None]:
    """The deadline of a phrase: marked mentions outrank bare ones; ties take the earliest."""
    valid = [c for c in cands if c.problem is None]
    top = max((c.rank for c in valid), default=-1)
    for c in cands:
        if c.problem is not None and c.rank >= top:
            return c, None
    if len(cands) == 1:
        return cands[0], None
    best = [c for c in valid if c.rank == top]
    if not best:
        return None, None
    if len({(c.kind, c.start, c.due) for c in best}) == 1:
        return best[0], None
    chosen = min(best, key=lambda c: c.due or c.start or date.max)
    when = chosen.due or chosen.start
    note = (
        f"Có nhiều mốc thời gian; lấy mốc sớm nhất ({_dmy(when)}), cần kiểm tra lại."
        if when
        else "Có nhiều mốc thời gian; cần kiểm tra lại."
    )
    return chosen, note


# --- phrase-level classes ---------------------------------------------------------------

# "Kế hoạch số 147-KH/TU ngày 14/12/2021", "ngày 10/02/2022 của Bộ Chính trị": the
# date of a cited document, never a deadline.
_REFERENCE = re.compile(
    r"\bso \d+[\w./-]*(?: ?,)? ?(?:ngay )?\d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{2,5}"
    r"|\bngay \d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{2,5}(?= ?,? cua\b)"
)
# "tầm nhìn đến năm 2045", "định hướng đến năm 2035": a horizon, not a deadline; read
# only when the phrase has nothing else.
_HORIZON = re.compile(r"\b(?:tam nhin|dinh huong)(?: (?:den|toi))?(?: nam)? \d{4}")
_DONE = re.compile(
    r"(?:da|da duoc|da co) (?:tham muu )?(?:ban hanh|hoan thanh|thuc hien|trien khai|to chuc"
    r"|trinh|phe duyet|xong|ky|thong qua|xay dung|gui|bao cao|cong bo|ket thuc|nop|ke hoach"
    r"|van ban|quyet dinh)\b|(?:da )?xong\.?$|da hoan tat\b"
)
_IN_PROGRESS = re.compile(r"dang (?:thuc hien|trien khai|to chuc|xay dung)\b")
# Counted from an event that has no date yet: "sau khi Đề án được phê duyệt", "kể từ
# ngày nhận đơn", "trước ngày khai mạc Đại hội", "theo chỉ đạo của Tỉnh ủy".
_WAITING = re.compile(
    r"\b(?:theo (?:su )?(?:chi dao|huong dan|yeu cau|ke hoach|lo trinh|quy dinh|thong bao"
    r"|tien do|phan cong|chu truong|de nghi|van ban|lich|ket luan|nghi quyet)"
    r"|(?:ngay )?sau khi|(?:ke )?tu khi|truoc khi|ngay khi|khi (?:co|duoc|nhan|ban hanh"
    r"|trung uong|tinh uy|cap tren|phat sinh|can|nao)|cho (?:chi dao|huong dan|y kien|van ban)"
    r"|(?:truoc|sau|ke tu|tinh tu|cham nhat|den|toi) (?:ngay|dip|thoi diem) (?!\d)[a-z]+"
    r"|(?:truoc|sau) (?:dai hoi|ky hop|hoi nghi)"
    r"|phat sinh)\b"
)
_ONGOING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|lau dai|(?:cac|nhung) nam tiep theo|nam tiep theo|tro di"
    r"|(?:trong |xuyen )?suot qua trinh|(?:trong|xuyen suot|gan voi) qua trinh)\b"
)
_UNIT = re.compile(
    r"(?:cac )?(?:chi bo|dang uy|dang bo|uy ban|ubnd|ubkt|hdnd|van phong|huyen uy|tinh uy"
    r"|thanh uy|cap uy|ban (?!hanh\b)|so |phong |cong doan|doan thanh nien|mat tran"
    r"|hoi dong|bo )"
)
_HEADER = re.compile(
    r"(?:thoi gian|thoi han|tien do|han)(?: (?:trinh|hoan thanh|thuc hien|bat dau|ket thuc))?"
    r"|don vi(?: (?:tham muu|chu tri|thuc hien|phoi hop))?|nhiem vu|noi dung|tt|stt|ghi chu"
)
_PERIODIC_ONLY = re.compile(r"\bdinh ky\b")
_CLAUSE_END = re.compile(r"[,;.)]|$")

# --- recurrences ----------------------------------------------------------------------
#
# The frequency words ("hằng quý", "định kỳ 6 tháng") give a rule by themselves; the
# table ``_RECURRENCES`` reads the phrases that also say when in the period ("trước
# ngày 20 hằng tháng", "mỗi năm hai lần") and wins over a bare frequency.

_ONCE = r"(?: (?:mot|1) lan| ?/ ?lan)"
_R_FREQ = re.compile(
    r"(?<!ngan )\b(?:"
    r"(?P<week>(?:hang|moi|cac|dinh ky hang) tuan|tuan" + _ONCE + r"|(?:hang|moi|cac)"
    r" (?:ngay )?(?:thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat))"
    r"|(?P<day>(?:hang|moi) ngay)"
    r"|(?P<half>(?:dinh ky|hang|moi) (?:6|sau) thang|(?:6|sau) thang" + _ONCE + r"|(?:dinh ky"
    r"|hang|moi) nua nam|nua nam" + _ONCE + ")"
    r"|(?P<quarter>(?:hang|moi|dinh ky hang) quy|dinh ky (?:theo )?quy|(?:dinh ky|hang|moi)"
    r" (?:3|ba) thang|(?:3|ba) thang" + _ONCE + "|quy" + _ONCE + ")"
    r"|(?P<year>(?:hang|moi|dinh ky hang) nam(?! ?\d)|dinh ky (?:theo )?nam|dinh ky"
    r" (?:12 thang|1 nam)|nam" + _ONCE + ")"
    r"|(?P<nmonth>(?:dinh ky|moi) (?P<n>\d{1,2}) thang|(?P<n2>\d{1,2}) thang" + _ONCE + ")"
    r"|(?P<month>(?:hang|moi|dinh ky hang) thang|dinh ky (?:theo )?thang|thang" + _ONCE + ")"
    r")\b"
)
_RECUR_HINT = re.compile(r"\b(?:hang|moi|cac|dinh ky|so ket)\b|\blan\b")  # cheap pre-check
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
    months = [3, 6, 9, 12] if m.group("which") != "dau" else [1, 4, 7, 10]
    note = None
    if m.group("which") is None:
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
    RecurrenceShape(  # "trước ngày 20 hằng tháng"
        "monthday",
        re.compile(_PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?(?:hang|moi|cac) thang\b"),
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


# --- the reading ----------------------------------------------------------------------


def _shown(raw: str) -> str:
    text = clean(raw)
    return text if len(text) <= 80 else text[:79] + "…"


def _apply_fix(raw: str, key: str, fix: tuple[int, int, str] | None) -> str | None:
    """The phrase as written, with the digits of ``fix`` replaced: the suggestion."""
    if fix is None:
        return None
    start, end, replacement = fix
    if start < 0:
        return replacement
    display = clean(raw)
    in_key = list(_DIGITS.finditer(key))
    in_display = list(_DIGITS.finditer(display))
    if [t.group() for t in in_key] != [t.group() for t in in_display]:
        return None
    inside = [i for i, t in enumerate(in_key) if t.start() >= start and t.end() <= end]
    if not inside:
        return None
    i, j = inside[0], inside[-1]
    return display[: in_display[i].start()] + replacement + display[in_display[j].end() :]


def _unreadable(raw: str, note: str, suggestion: str | None = None) -> Deadline:
    return Deadline(DeadlineKind.UNREADABLE, raw, note=note, suggestion=suggestion)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _join(*notes: str | None) -> str | None:
    return " ".join(n for n in notes if n) or None


def _suggestion(best: _Cand) -> str:
    """The reading written as a phrase the reader understands on its own."""
    if best.kind is DeadlineKind.TERM and best.start and best.due:
        if best.shape in ("range", "years"):
            text = f"năm {best.start.year} - {best.due.year}"
        else:
            text = f"từ ngày {_dmy(best.start)} đến ngày {_dmy(best.due)}"
    elif best.kind is DeadlineKind.FROM and best.start:
        text = f"từ ngày {_dmy(best.start)}"
    elif best.label and best.due == best.last and best.mod not in ("before", "after"):
        text = best.label()
    else:
        text = f"ngày {_dmy(best.due or best.start or date.min)}"
    return text[0].upper() + text[1:]


def _unknown_words(raw: str, masked: str, best: _Cand, cands: list[_Cand]) -> list[str]:
    """Words of a deadline cell the reader does not understand (empty for a sentence)."""
    if len(cands) == 1 and not (masked[: best.pos] + masked[best.end :]).strip(" .,;:()-"):
        return []  # the phrase is its one mention
    spans = [(c.pos, c.end) for c in cands]
    if all(w in _FILLERS for w in _WORDS.findall(_blank(masked, spans))):
        return []  # the common case: nothing but mentions and fillers
    for pattern in (_ONGOING, _HORIZON):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(masked))
    for m in _WAITING.finditer(masked):  # "theo chỉ đạo của Tỉnh ủy": the whole clause
        end = _CLAUSE_END.search(masked, m.end())
        spans.append((m.start(), end.start() if end else len(masked)))
    rest = _blank(masked, spans)
    first = min(c.pos for c in cands) if cands else best.pos
    lead = _WORDS.findall(rest[:first])
    if len(lead) >= _PROSE_LEAD and any(w not in _FILLERS for w in lead):
        return []  # a sentence naming its task before its deadline
    unknown = {w for w in _WORDS.findall(rest) if w not in _FILLERS}
    if not unknown:
        return []
    runs: list[list[str]] = [[]]  # consecutive unknown words, as written
    for word in clean(raw).split():
        if set(_WORDS.findall(fold(word))) & unknown:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    shown = [" ".join(run).strip(".,;:()[]«»\"' ") for run in runs if run]
    return shown or sorted(unknown)


_HOUR_BEFORE = r"\btrước\s+(?=\d{1,2} ?(?:giờ|h)(?: ?\d{2})?(?: ?phút)?,?\s*ngày\b)"
# Words around a phrase that name no date: rewritten away before reading, kept in the note.
_REWRITES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    # "Đợt 2: Từ ngày 01/3 …": the batch's number is no date
    (re.compile(r"^\s*((?:Đợt|đợt|ĐỢT|Giai đoạn|giai đoạn|Lần|lần) (?:\d{1,2}|[IVX]{1,4})\s*:)\s*"),
     "", "{0}"),
    # "đến 17 giờ 00, ngày 20/01/2027": the hour of the last day
    # "trước 17 giờ ngày 15/3": by that hour of that day, not the day before
    (re.compile(_HOUR_BEFORE, re.IGNORECASE), "chậm nhất ", ""),
    (re.compile(r"\b(\d{1,2} ?(?:giờ|h)(?: ?\d{2}(?: ?phút)?)?),?\s*(?=ngày\b)", re.IGNORECASE),
     "", "hạn lúc {0}"),
    # "trong hai quý đầu năm 2027": the first two quarters
    (re.compile(r"\b(?:hai|2) quý đầu (năm \d{4})", re.IGNORECASE), r"Quý I và Quý II \1", ""),
    (re.compile(r"\b(?:hai|2) quý cuối (năm \d{4})", re.IGNORECASE), r"Quý III và Quý IV \1", ""),
    # "Năm 2027 và nhiệm vụ thường xuyên": due, then ongoing
    (re.compile(r"\b(và|, ?)\s*(?:là )?nhiệm vụ thường xuyên", re.IGNORECASE),
     r"\1 thường xuyên", ""),
)  # fmt: skip
_PAREN = re.compile(r"\(([^()]{3,})\)")


def _rewrite(phrase: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    for pattern, replacement, note in _REWRITES:
        matches = list(pattern.finditer(phrase))
        if not matches:
            continue
        last = matches[-1]  # "từ 8 giờ ngày … đến 17 giờ ngày …": the deadline's hour
        if note:
            notes.append(note.format(last.group(1).strip(" :") if last.groups() else ""))
        phrase = pattern.sub(replacement, phrase)
    return clean(phrase), notes


def parse_deadline(phrase: str, doc_date: date) -> Deadline:
    """Read one deadline phrase as the office clerk would, relative to the document's date."""
    raw = phrase.strip()
    text, notes = _rewrite(raw)
    try:
        read = _parse(text, doc_date)
    except (ValueError, OverflowError):  # a date past year 9999 or before year 1
        why = "Thời hạn rơi ra ngoài lịch (trước năm 1 hoặc sau năm 9999); cần kiểm tra."
        return _unreadable(raw, why)
    if read.kind.is_dated:
        # "Năm 2027 (sau khi Bộ ban hành hướng dẫn)": read, and the words in brackets kept
        notes += [f"Văn bản ghi kèm: «{m.group(1).strip()}»." for m in _PAREN.finditer(raw)]
    if text == raw and not notes:
        return read
    shown = [n if n.endswith(".") else f"{n[:1].upper()}{n[1:]}." for n in notes]
    return replace(read, raw=raw, note=_join(read.note, *shown))


def _parse(raw: str, doc_date: date) -> Deadline:
    key = fold(raw)
    if not key.strip(" .,;:-*_/"):
        return _unreadable(raw, "Ô thời hạn để trống nên không có gì để nhắc; cần nhập thời hạn.")
    if _HEADER.fullmatch(key):
        return _unreadable(raw, f"«{_shown(raw)}» là tiêu đề cột, không phải thời hạn.")
    if _DONE.match(key):
        return Deadline(DeadlineKind.DONE, raw)
    masked = key
    if "so " in key or "cua" in key:
        masked = _REFERENCE.sub(lambda m: " " * len(m.group()), key)
    recur = _recurring(masked)
    if isinstance(recur, _Problem):
        return _unreadable(raw, recur.note)
    if recur is not None:
        masked = _blank(masked, recur.spans)
    cands = _scan(masked, doc_date)
    if "tam nhin" in masked or "dinh huong" in masked:
        horizonless = _scan(_HORIZON.sub(lambda m: " " * len(m.group()), masked), doc_date)
        cands = horizonless or cands
    best, several = _choose(cands)
    if best is not None and best.problem is not None:
        return _unreadable(raw, best.problem.note, _apply_fix(raw, key, best.problem.fix))
    if recur is not None and recur.rule is not None:
        start = until = None
        if best is not None and best.kind is DeadlineKind.TERM:
            start, until = best.start, best.due
        elif best is not None and best.kind is DeadlineKind.FROM:
            start = best.start
        elif best is not None and best.shape in ("year", "half", "quarter", "month"):
            # "Năm 2027 và hằng năm" starts then; whether it also ends then is unsaid.
            start = best.first
        rule = recur.rule + (f";UNTIL={until:%Y%m%d}" if until else "")
        return Deadline(DeadlineKind.RECURRING, raw, start=start, rrule=rule, note=recur.note)
    ongoing = _ONGOING.search(masked) is not None
    if best is not None:
        if best.kind in (DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.FROM):
            unknown = _unknown_words(raw, masked, best, cands)
            if unknown:
                hint = _suggestion(best)
                why = (
                    f"Thời hạn có chữ chưa hiểu được («{'», «'.join(unknown)}»): có thể là "
                    f"«{hint}» nhưng những chữ đó có thể làm đổi thời hạn; cần kiểm tra."
                )
                return _unreadable(raw, why, hint)
        note = _join(best.note, several)
        if ongoing and best.kind in (DeadlineKind.DUE, DeadlineKind.TERM):
            return Deadline(
                DeadlineKind.DUE_THEN_ONGOING, raw, start=best.start, due=best.due, note=note
            )
        return Deadline(best.kind, raw, start=best.start, due=best.due, note=note)
    if ongoing:
        return Deadline(DeadlineKind.ONGOING, raw)
    if recur is not None:  # "hằng ngày"
        return Deadline(DeadlineKind.ONGOING, raw, note=recur.note)
    if _IN_PROGRESS.match(key):
        note = "Đang thực hiện: theo dõi như việc thường xuyên."
        return Deadline(DeadlineKind.ONGOING, raw, note=note)
    if _WAITING.search(masked):
        return Deadline(DeadlineKind.WAITING, raw)
    if _PERIODIC_ONLY.search(masked):
        note = "Ghi «định kỳ» nhưng không nói chu kỳ (hằng tháng, hằng quý, hằng năm…); cần ghi rõ."
        return _unreadable(raw, note)
    if _UNIT.match(key) and key.count(" ") < _UNIT_WORDS:
        note = (
            f"Ô thời hạn ghi tên đơn vị «{_shown(raw)}» chứ không phải thời hạn "
            "(có thể bị lệch cột); cần nhập lại thời hạn."
        )
        return _unreadable(raw, note)
    note = f"Không nhận ra thời hạn trong «{_shown(raw)}»; cần ghi rõ ngày, tháng, quý hoặc năm."
    return _unreadable(raw, note)
