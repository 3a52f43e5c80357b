"""The table of shapes: one entry per class of date mention ("Quý II/2026", "14-16/10/2026",
"các năm 2026, 2027", "30 ngày kể từ …"), its pattern, period and label; then reading one
mention, joining neighbours ("từ tháng 9 đến tháng 11/2026") and choosing the deadline."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from data.deadlines.kinds import (
    DeadlineKind,
    _add_months,
    _add_workdays,
    _Cand,
    _dmy,
    _join,
    _month_end,
    _Problem,
)
from data.deadlines.vocabulary import (
    _BORROW_GAP,
    _DIGITS,
    _FUTURE_YEARS,
    _MAX_SPAN,
    _MOD_CATEGORY,
    _MODS,
    _PAST_YEARS,
    _ROMAN,
    _ROMAN_OUT,
    _TERM_YEARS,
    _UNIT_WORD,
    _WORD_NUMBER,
)
from data.deadlines.years import _check_date, _end_year_choice, _read_year, _year_fixes

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


def _mid_month_label(_m: re.Match[str] | None, first: date, _last: date) -> str:
    return f"giữa tháng {first.month}/{first.year}"


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


def _month_span_period(m: re.Match[str], year: int, doc: date) -> tuple[date, date] | _Problem:
    first = _month_period("sa")(m, year, doc)
    last = _month_period("sb")(m, year, doc)
    if isinstance(first, _Problem):
        return first
    if isinstance(last, _Problem):
        return last
    if first[0] >= last[0]:
        return _Problem(
            f"Khoảng tháng bị ngược: tháng {first[0].month} không trước tháng {last[0].month}."
        )
    return first[0], last[1]


def _half_month_period(m: re.Match[str], year: int, doc: date) -> tuple[date, date] | _Problem:
    month = _month_period("hm")(m, year, doc)
    if isinstance(month, _Problem):
        return month
    if m.group("hmw") == "dau":
        return month[0], month[0].replace(day=15)
    return month[0].replace(day=16), month[1]


def _mid_month_period(m: re.Match[str], year: int, doc: date) -> tuple[date, date] | _Problem:
    month = _month_period("gm")(m, year, doc)
    if isinstance(month, _Problem):
        return month
    mid = month[0].replace(day=15)
    return mid, mid


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


def _next_period(m: re.Match[str], _year: int, doc: date) -> tuple[date, date] | _Problem:
    """ "trong quý tới", "tháng sau", "năm tới": the period after the document's own."""
    unit = m.group("nunit")
    if unit == "nam":
        return date(doc.year + 1, 1, 1), date(doc.year + 1, 12, 31)
    if unit == "thang":
        first = _month_end(doc.year, doc.month) + timedelta(days=1)
        return first, _month_end(first.year, first.month)
    q = (doc.month + 2) // 3
    year, q = (doc.year + 1, 1) if q == 4 else (doc.year, q + 1)
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _next_label(m: re.Match[str] | None, first: date, last: date) -> str:
    unit = m.group("nunit") if m else "nam"
    if unit == "thang":
        return _month_label(m, first, last)
    return _quarter_label(m, first, last) if unit == "quy" else _year_label(m, first, last)


def _keep_this(m: re.Match[str], ctx: _Ctx) -> bool:
    return ctx.mod is not None or m.group("tnay") is not None


_MONTH_SEP = r"(?: ?/ ?| thang )"
_YEAR_SEP = r"(?: ?/ ?|(?: ,)? nam )"

SHAPES: tuple[Shape, ...] = (
    Shape(
        "dayspan",  # "14-16/10/2026", "trong hai ngày 14 và 15/10", "ngày 14 đến 16/10"
        r"(?P<dayspan>(?:(?:hai|ba|bon|cac|\d) ngay |ngay )?(?<![\d/.])(?P<xa>\d{1,2})"
        # "từ ngày 12 đến 14-12-2024": the month and year may follow with "-" or "." too
        r" ?(?:-|den|toi|va|,) ?(?:ngay )?(?P<xb>\d{1,2})(?: ?[/.-] ?| thang )(?P<xm>\d{1,2})(?!\d)"
        r"(?:(?: ?[/.-] ?|(?: ,)? nam )(?P<xy>\d{2,5}))?(?![\d/]))",
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
        # "2.6 - 12.6.2015": "12" that opens the next date is no year of this one
        r"(?: ?[/.-] ?(?P<dy>\d{2,5})(?![/.]\d))?(?![\d/])"
        # "trong 3-5 ngày", "2-3 tuần": a count, no date ("15/7 năm 2026" still is one)
        r"(?! ?(?:ngay|tuan)\b(?! \d)| ?(?:thang|nam)\b(?! ?\d)))",
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
        # "3-5 ngày": the longer count
        r"(?<![\d/.])(?:\d{1,3} ?(?:-|den) ?)?(?P<rn>\d{1,3}) (?P<ru>ngay|tuan|thang|nam)"
        r"(?P<rwd> lam viec)?(?![\d/])"
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
        "mspan",  # "từ tháng 4 - 6", "tháng 7 đến tháng 12-2019": months in a row, a term
        r"(?P<mspan>thang ?(?P<sa>\d{1,2}) ?(?:-|–|den) ?(?:thang )?(?P<sb>\d{1,2})(?!\d)"
        + _year_tail("sy")
        + ")",
        _month_span_period,
        _span_label,
        year=("sy",),
        span=True,
        keep=_keep_period,
    ),
    Shape(
        "halfmonth",  # "nửa cuối tháng 2/2020": the 16th to the month's end; "nửa đầu": to the 15th
        r"(?P<halfmonth>nua (?P<hmw>dau|cuoi) thang ?(?P<hm>\d{1,2})(?!\d)"
        + _year_tail("hmy")
        + ")",
        _half_month_period,
        _span_label,
        year=("hmy",),
        keep=_keep_period,
    ),
    Shape(
        "midmonth",  # "giữa tháng 8/2026": the 15th, the day a clerk writes for mid-month
        r"(?P<midmonth>giua thang ?(?P<gm>\d{1,2})(?!\d)" + _year_tail("gy") + ")",
        _mid_month_period,
        _mid_month_label,
        year=("gy",),
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
        "next",  # "trong quý tới", "tháng sau", "năm tới"
        r"(?P<next>(?P<nunit>nam|thang|quy) (?:toi|sau|ke tiep)(?= ?$| ?[,;.)]))",
        _next_period,
        _next_label,
        keep=_keep_period,
        yearless="Không ghi năm: {word} sau ngày văn bản {doc}.",
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
    # "giữa" before "tháng N" is the mid-month shape's own word, not the vague modifier
    # "phấn đấu trong năm 2027": "đấu" folds to the vague "dau" and is no modifier there
    r"(?<![a-z0-9])(?:(?!giua thang ?\d)(?<!phan )"
    r"(?P<mod>" + _MODS + r")(?: ?:)? (?:(?:la|vao|trong) )?)?"
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
        unit = m.group("tunit") if shape.name == "this" else m.group("nunit")
        word = _UNIT_WORD.get(unit or "") if shape.name in ("this", "next") else None
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

    if shape.name == "midmonth":
        mid = f"«Giữa tháng» đọc là ngày 15 ({label()})."
        note = f"{note} {mid}" if note else mid
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
