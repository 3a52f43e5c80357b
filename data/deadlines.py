"""Reading Vietnamese deadline phrases ("Quý II/2026", "trước ngày 01/3/2026", …).

A pure function of (phrase, document date). It never guesses silently: what it
cannot read comes back as ``unreadable`` with a reason, and a suggestion where
one is plausible.

How it reads, in order: a status ("Đã ban hành"), a recurrence ("hằng quý"),
then every date-like mention found by one scanner regex over the folded key
(each mention with its modifier: "trước", "chậm nhất", "từ", …), then the words
that make a phrase ongoing or waiting for a trigger. Sentences may hold several
mentions; the ones marked as deadlines outrank bare dates (document references
like "Nghị quyết số 08-NQ/TU, ngày 20/5/2021" are masked first).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from data.text import clean


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

# --- folding --------------------------------------------------------------------------
# data.text.fold is the reference key; this private twin gives the same key for
# deadline phrases with one str.translate instead of a per-character Python loop,
# which matters when hundreds of thousands of phrases are read.


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in range(0xC0, 0x2000):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base.lower()
    for cp in range(0x300, 0x370):  # combining marks of decomposed input
        table[cp] = None
    for ch in "đĐ":
        table[ord(ch)] = "d"
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
        table[ord(ch)] = "-"
    table[0xA0] = " "
    return table


_FOLD = _fold_table()
_TAGS = re.compile(r"</?\s*[a-zA-Z][^>]*>")
_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    """Lower-case, accent-free, one dash, single spaces: what the regexes read."""
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "**" in text:
        text = text.replace("**", " ")
    return " ".join(text.translate(_FOLD).lower().split())


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
_YEAR_TAIL = r"(?: ?[/.,-]? ?(?:nam )?(?P<{0}>\d{{3,5}})(?![\d/]))?"

_BODIES = (
    r"(?P<vdate>(?:ngay )?(?<![\d/.])(?P<vd>\d{1,2}) thang (?P<vm>\d{1,2})(?!\d)"
    r"(?:(?: ?,)? nam (?P<vy>\d{2,5})| ?/ ?(?P<vy2>\d{2,5}))?(?![\d/]))",
    r"(?P<date>(?P<dngay>ngay )?(?<![\d/.])(?P<dd>\d{1,2}) ?[/.-] ?(?P<dm>\d{1,2})"
    r"(?: ?[/.-] ?(?P<dy>\d{2,5}))?(?![\d/]))",
    r"(?P<iso>(?<![\d/.])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d/-]))",
    r"(?P<range>(?:(?P<rp>nam|cac nam|giai doan|ca giai doan|nhiem ky|thoi ky) )?"
    r"(?<![\d/.])(?P<ra>\d{4}) ?(?:-|den(?: het)?(?: nam)?|toi(?: nam)?) ?(?P<rb>\d{1,5})"
    r"(?![\d/]))",
    r"(?P<half>(?:(?<![\d/.])(?P<hn>\d{1,2}|sau|ba|chin) thang|nua) (?P<hw>dau|cuoi) nam"
    + _YEAR_TAIL.format("hy")
    + ")",
    r"(?P<rel>(?:(?P<rin>trong|sau) (?:(?:vong|thoi han|thoi gian|han|khoang|toi da) )?)?"
    r"(?<![\d/.])(?P<rn>\d{1,3}) (?P<ru>ngay|tuan|thang|nam)(?P<rwd> lam viec)?(?![\d/])"
    r"(?: ?,? (?P<ranchor>ke tu khi|ke tu|tinh tu|tu khi|tu|sau khi|sau) "
    r"(?P<rref>[a-z]+(?: [a-z]+){0,2}))?)",
    r"(?P<quarter>quy ?(?P<q>iv|v|i{1,3}|\d)(?![a-z0-9])" + _YEAR_TAIL.format("qy") + ")",
    r"(?P<month>thang ?(?P<mo>\d{1,2})(?!\d)" + _YEAR_TAIL.format("my") + ")",
    r"(?P<mbare>(?<![\d/.])(?P<mb>\d{1,2}) ?/ ?(?P<mby>\d{4})(?![\d/]))",
    r"(?P<year>nam (?P<y>\d{3,5})(?![\d/]))",
    r"(?P<ybare>(?<![\d/.-])(?P<yy>\d{4})(?![\d/.-]))",
    r"(?P<this>(?P<tunit>nam|thang|quy)(?P<tnay> nay)?(?= ?$| ?[,;.)]))",
)
_SCAN = re.compile(
    r"(?<![a-z0-9])(?:(?P<mod>" + _MODS + r")(?: ?:)? (?:(?:la|vao|trong) )?)?"
    r"(?:" + "|".join(_BODIES) + ")"
)
_SCAN_HINT = re.compile(r"\d|nam|thang|quy")  # every _SCAN body needs one of these
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
_WAITING = re.compile(
    r"\b(?:theo (?:su )?(?:chi dao|huong dan|yeu cau|ke hoach|lo trinh|quy dinh|thong bao"
    r"|tien do|phan cong|chu truong|de nghi|van ban|lich|ket luan|nghi quyet)"
    r"|(?:ngay )?sau khi|(?:ke )?tu khi|ngay khi|khi (?:co|duoc|nhan|ban hanh|trung uong"
    r"|tinh uy|cap tren|phat sinh|can|nao)|cho (?:chi dao|huong dan|y kien|van ban)"
    r"|phat sinh)\b"
)
_ONGOING = re.compile(
    r"\b(?:thuong xuyen|lien tuc|lau dai|(?:cac|nhung) nam tiep theo|nam tiep theo|tro di)\b"
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

# --- recurrences ----------------------------------------------------------------------

_PRE = r"(?:(?P<pre>truoc|cham nhat|khong qua|khong muon hon|han chot|vao|trong) )?(?:(?:la|vao) )?"
_R_MONTHDAY = re.compile(_PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?(?:hang|moi|cac) thang\b")
_R_QUARTERDAY = re.compile(
    _PRE + r"ngay (?P<n>\d{1,2}) (?:cua )?(?:thang (?P<which>cuoi|dau) )?(?:cua )?"
    r"(?:hang|moi|cac) quy\b"
)
_R_YEARDAY = re.compile(
    _PRE + r"ngay (?P<d>\d{1,2}) ?(?:/|-|\.| thang ) ?(?P<m>\d{1,2}) (?:cua )?(?:hang|moi) nam\b"
)
_R_YEARMONTH = re.compile(_PRE + r"thang (?P<m>\d{1,2}) (?:cua )?(?:hang|moi) nam\b")
_R_YEARQUARTER = re.compile(_PRE + r"quy ?(?P<q>iv|iii|ii|i|[1-4]) (?:cua )?(?:hang|moi) nam\b")
_ONCE = r"(?: (?:mot|1) lan| ?/ ?lan)"
_R_FREQ = re.compile(
    r"(?<!ngan )\b(?:"
    r"(?P<week>(?:hang|moi|dinh ky hang) tuan|tuan" + _ONCE + ")"
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
_RECUR_HINT = re.compile(r"\b(?:hang|moi|cac|dinh ky)\b|\blan\b")  # cheap pre-check
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
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_ROMAN_OUT = ("", "I", "II", "III", "IV")
_WORD_NUMBER = {"sau": 6, "ba": 3, "chin": 9}


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
    while days > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            days -= 1
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


def _label(shape: str, first: date, last: date) -> str:
    if shape in ("date", "vdate", "iso"):
        return f"ngày {_dmy(first)}"
    if shape in ("month", "mbare"):
        return f"tháng {first.month}/{first.year}"
    if shape == "quarter":
        return f"Quý {_ROMAN_OUT[(first.month + 2) // 3]}/{first.year}"
    if shape == "half":
        return f"{last.month - first.month + 1} tháng năm {first.year}"
    return f"năm {first.year}"


# --- the scanner ----------------------------------------------------------------------


_SHAPE_GROUPS = {
    "vdate": ("vd", "vm", "vy"),
    "date": ("dd", "dm", "dy"),
    "iso": ("id", "im", "iy"),
    "quarter": ("q", "", "qy"),
    "month": ("mo", "", "my"),
    "mbare": ("mb", "", "mby"),
    "half": ("hn", "", "hy"),
    "year": ("", "", "y"),
    "ybare": ("", "", "yy"),
    "range": ("", "", "ra"),
}
_FAMILY = {"mbare": "month", "vdate": "date", "iso": "date", "ybare": "year"}
_UNIT_WORD = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng", "nam": "năm", "quy": "quý"}


def _year_group(m: re.Match[str], shape: str) -> str | None:
    """The name of the group holding the match's written year, if it has one."""
    group = _SHAPE_GROUPS.get(shape, ("", "", ""))[2]
    if group and m.group(group) is not None:
        return group
    if shape == "vdate" and m.group("vy2") is not None:
        return "vy2"
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
) -> _Cand:
    first, last = period if period else (None, None)
    return _Cand(
        m.start(), m.end(), rank, mod, shape, kind, start, due, first, last, note, None, delta
    )


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


def _relative(m: re.Match[str], doc: date, mod_word: str | None) -> _Cand | None:
    """ "trong vòng 30 ngày kể từ ngày ký": counted from the document's date."""
    anchor = m.group("ranchor") or ""
    if not (m.group("rin") or mod_word or anchor):
        return None  # "5 năm liền": a duration, not a deadline
    n, unit = int(m.group("rn")), m.group("ru")
    delta = (n, unit, m.group("rwd") is not None)
    words = (m.group("rref") or "").split()
    if words[:1] == ["ngay"]:
        words = words[1:]
    notes: list[str] = []
    if delta[2]:
        notes.append("Tính theo ngày làm việc (thứ Hai đến thứ Sáu), chưa trừ ngày lễ.")
    amount = f"{n} {_UNIT_WORD[unit]}{' làm việc' if delta[2] else ''}"
    if "khi" in anchor or words[:1] in (["khi"], ["co"], ["duoc"]):
        note = f"Hạn {amount} tính từ một sự việc chưa có ngày; nhập ngày khi sự việc xảy ra."
        return _cand(m, 2, "in", "rel", DeadlineKind.WAITING, note=note)
    if anchor and not words:
        # "kể từ ngày 01/3/2026": the date follows; _combine counts from it.
        return _cand(m, 2, "in", "rel_open", DeadlineKind.DUE, due=_shift(doc, delta), delta=delta)
    if not anchor:
        notes.append(f"Không ghi mốc tính; tạm tính từ ngày văn bản {_dmy(doc)}.")
    elif "nhan" in words:
        notes.append(f"Không biết ngày nhận văn bản; tạm tính từ ngày văn bản {_dmy(doc)}.")
    elif not ({"ky", "ban", "hanh", "van"} & set(words)):
        note = f"Hạn {amount} tính từ một mốc không có ngày; cần nhập ngày của mốc đó."
        return _cand(m, 2, "in", "rel", DeadlineKind.WAITING, note=note)
    due = _shift(doc, delta)
    if due.year > doc.year + _FUTURE_YEARS:
        return _bad(m, "in", "rel", _Problem(f"Thời hạn {amount} dài bất thường; cần kiểm tra."))
    return _cand(
        m,
        2,
        "in",
        "rel",
        DeadlineKind.DUE,
        due=due,
        period=(doc, due),
        note=" ".join(notes) or None,
    )


def _year_range(m: re.Match[str], doc: date, mod: str | None) -> _Cand:
    """ "Năm 2026 - 2030", "giai đoạn 2026-2030"; a truncated or reversed one is flagged."""
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
        if mod == "before":
            return _cand(m, rank, mod, "range", DeadlineKind.DUE, due=first - timedelta(days=1))
        if a == b:
            note = f"Khoảng năm chỉ có một năm ({a}); hạn là cuối năm {a}."
            return _cand(
                m, rank, mod, "year", DeadlineKind.DUE, due=last, period=(first, last), note=note
            )
        return _cand(
            m, rank, mod, "range", DeadlineKind.TERM, start=first, due=last, period=(first, last)
        )
    if choice is not None:
        return _bad(
            m,
            mod,
            "range",
            _Problem(f"{note}; có lẽ là {a} - {choice}.", (*span, f"{a} - {choice}")),
        )
    return _bad(m, mod, "range", _Problem(f"{note}; cần ghi rõ năm kết thúc."))


def _candidate(m: re.Match[str], doc: date, borrowed: int | None, single: bool) -> _Cand | None:
    """One scanner match read as a deadline, a problem, or nothing (None)."""
    shape = m.lastgroup or ""
    mod_word = m.group("mod")
    mod = _MOD_CATEGORY[mod_word] if mod_word else None
    if shape == "rel":
        return _relative(m, doc, mod_word)
    if shape == "range":
        return _year_range(m, doc, mod)
    notes: list[str] = []
    year_group = _year_group(m, shape)
    year = borrowed
    if year_group is not None:
        read = _read_year(m.group(year_group), m.start(year_group), doc)
        if read.problem:
            return _bad(m, mod, shape, read.problem)
        year = read.value
        if read.note:
            notes.append(read.note)
    has_ngay = shape == "vdate" and m.group("vdate").startswith("ngay")
    has_ngay = has_ngay or (shape == "date" and m.group("dngay") is not None)
    if year is None:
        if shape in ("date", "vdate") and not (mod or has_ngay):
            return None  # "1.1", "Phụ lục 1-4"
        if shape in ("quarter", "month", "half") and not (mod or single):
            return None  # "quỹ 2" in a sentence
        if shape == "this" and not (mod or m.group("tnay")):
            return None
        if shape == "this":
            word = _UNIT_WORD[m.group("tunit")]
            notes.append(f"Không ghi rõ {word} nào; lấy theo ngày văn bản {_dmy(doc)}.")
        else:
            notes.append(f"Không ghi năm; lấy năm {doc.year} theo ngày văn bản.")
        year = doc.year
    elif shape == "ybare" and not (mod or single):
        return None
    first: date
    last: date
    if shape in ("vdate", "date", "iso"):
        gd, gm, _ = _SHAPE_GROUPS[shape]
        checked = _check_date(int(m.group(gd)), int(m.group(gm)), year, m, gd, gm)
        if isinstance(checked, _Problem):
            return _bad(m, mod, shape, checked)
        first = last = checked
    elif shape == "quarter":
        tok = m.group("q")
        q = _ROMAN.get(tok) or int(tok)
        if not 1 <= q <= 4:
            problem = _Problem(f"Không có Quý {tok.upper()} (chỉ có Quý I đến Quý IV).")
            return _bad(m, mod, shape, problem)
        first, last = date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    elif shape in ("month", "mbare"):
        month = int(m.group("mo" if shape == "month" else "mb"))
        if not 1 <= month <= 12:
            problem = _Problem(f"Không có tháng {month} (chỉ có tháng 1 đến tháng 12).")
            return _bad(m, mod, shape, problem)
        first, last = date(year, month, 1), _month_end(year, month)
    elif shape == "half":
        tok = m.group("hn")
        n = 6 if tok is None else _WORD_NUMBER.get(tok) or int(tok)
        if not 1 <= n <= 11:
            return _bad(m, mod, shape, _Problem(f"«{n} tháng» không phải một phần của năm."))
        if m.group("hw") == "dau":
            first, last = date(year, 1, 1), _month_end(year, n)
        else:
            first, last = date(year, 13 - n, 1), date(year, 12, 31)
    elif shape == "this":
        unit = m.group("tunit")
        if unit == "nam":
            first, last, shape = date(year, 1, 1), date(year, 12, 31), "year"
        elif unit == "thang":
            first, last, shape = doc.replace(day=1), _month_end(doc.year, doc.month), "month"
        else:
            q = (doc.month + 2) // 3
            first, last, shape = date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter"
    else:  # "year", "ybare"
        first, last = date(year, 1, 1), date(year, 12, 31)

    note = " ".join(notes) or None
    if mod == "vague":
        word = "Đầu" if mod_word == "dau" else "Giữa"
        problem = _Problem(
            f"«{word} {_label(shape, first, last)}» không chỉ rõ hạn cuối; "
            "cần ghi rõ ngày (ví dụ «trước ngày …»)."
        )
        return _bad(m, mod, shape, problem)
    if mod == "after":
        nxt = _dmy(last + timedelta(days=1))
        problem = _Problem(
            f"«Sau {_label(shape, first, last)}» không cho biết hạn cuối; nếu việc bắt đầu "
            f"sau mốc này thì ghi «Từ ngày {nxt}».",
            (-1, -1, f"Từ ngày {nxt}") if single else None,
        )
        return _bad(m, mod, shape, problem)
    full = (year_group is not None or borrowed is not None) and shape not in ("year", "ybare")
    rank = 2 if mod else (1 if full or has_ngay else 0)
    period = (first, last)
    if mod == "from":
        return _cand(m, rank, mod, shape, DeadlineKind.FROM, start=first, period=period, note=note)
    due = first - timedelta(days=1) if mod == "before" else last
    return _cand(m, rank, mod, shape, DeadlineKind.DUE, due=due, period=period, note=note)


def _scan(masked: str, doc: date) -> list[_Cand]:
    """Every date-like mention, left to right; a yearless one borrows its neighbour's year."""
    if not _SCAN_HINT.search(masked):
        return []
    matches = list(_SCAN.finditer(masked))
    if not matches:
        return []
    groups = [_year_group(m, m.lastgroup or "") for m in matches]
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


def _combine(cands: list[_Cand], masked: str, doc: date) -> list[_Cand]:
    """ "từ tháng 3 đến tháng 6/2026" is one term; "30 ngày kể từ ngày X" counts from X."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        d = cands[i + 1] if i + 1 < len(cands) else None
        gap = masked[c.end : d.pos].strip(" ,") if d else ""
        if d is not None and c.delta is not None and d.first is not None and not gap:
            due = _shift(d.first, c.delta)
            out.append(c._replace(end=d.end, due=due, last=due, shape="rel", delta=None))
            i += 2
            continue
        if c.delta is not None:
            guess = f"Không rõ mốc tính; tạm tính từ ngày văn bản {_dmy(doc)}."
            out.append(c._replace(shape="rel", delta=None, note=guess))
            i += 1
            continue
        joined = (
            d is not None
            and c.problem is None
            and d.problem is None
            and c.first is not None
            and d.due is not None
            and c.shape not in ("range", "rel")
            and (
                (c.mod == "from" and (d.mod in ("to", "by") or gap == "-"))
                or (c.mod in (None, "in") and d.mod == "to" and not gap)
                or (c.mod is None and d.mod is None and gap == "-" and _same(c.shape, d.shape))
            )
        )
        if joined and d is not None and c.first is not None and d.due is not None:
            if c.first > d.due:
                why = f"Khoảng thời gian bị ngược: bắt đầu {_dmy(c.first)} sau hạn {_dmy(d.due)}."
                out.append(
                    c._replace(end=d.end, kind=DeadlineKind.UNREADABLE, problem=_Problem(why))
                )
            else:
                note = _join(c.note, d.note)
                out.append(
                    c._replace(
                        end=d.end,
                        rank=2,
                        shape="range",
                        kind=DeadlineKind.TERM,
                        start=c.first,
                        due=d.due,
                        last=d.due,
                        note=note,
                    )
                )
            i += 2
            continue
        out.append(c)
        i += 1
    return out


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


# --- recurrences ----------------------------------------------------------------------


class _Recur(NamedTuple):
    rule: str | None  # None: "hằng ngày", read as ongoing
    note: str | None
    spans: list[tuple[int, int]]


def _day_before(pre: str | None, day: int) -> int:
    return day - 1 if pre == "truoc" else day


def _recurring(masked: str) -> _Recur | _Problem | None:
    """ "trước ngày 20 hằng tháng", "hằng quý", "định kỳ 6 tháng" as an RRULE."""
    if not _RECUR_HINT.search(masked):
        return None
    freq = list(_R_FREQ.finditer(masked))
    specific = None
    for pattern in (_R_YEARDAY, _R_YEARMONTH, _R_YEARQUARTER, _R_QUARTERDAY, _R_MONTHDAY):
        specific = pattern.search(masked)
        if specific:
            break
    if specific is None and not freq:
        return None
    spans = [(m.start(), m.end()) for m in freq]
    note: str | None = None
    if specific is not None:
        spans.append((specific.start(), specific.end()))
        read = _specific_rule(specific)
        if isinstance(read, _Problem):
            return read
        return _Recur(read[0], read[1], spans)
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
    if len(periodic) > 1:
        names = ", ".join(_FREQ_LABEL[k] for k in periodic)
        note = f"Có nhiều chu kỳ ({names}); nhắc theo chu kỳ ngắn nhất."
    if finest == "week":
        note = " ".join(x for x in (note, "Hằng tuần: hạn vào thứ Sáu mỗi tuần.") if x)
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


def _specific_rule(m: re.Match[str]) -> tuple[str, str | None] | _Problem:
    pre = m.group("pre")
    groups = m.groupdict()
    if "q" in groups:  # quarter of every year
        q = _ROMAN.get(m.group("q")) or int(m.group("q"))
        month = 3 * q
        if pre == "truoc":
            return f"FREQ=YEARLY;BYMONTH={(month - 4) % 12 + 1};BYMONTHDAY=-1", None
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None
    if "d" in groups:  # a day of every year
        day, month = int(m.group("d")), int(m.group("m"))
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
            return _Problem(f"Ngày {day}/{month} không có thật.")
        day = _day_before(pre, day)
        if day == 0:
            month, day = (month - 2) % 12 + 1, 31
        if day >= calendar.monthrange(2001, month)[1]:
            return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}", None
    if "m" in groups:  # a month of every year
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return _Problem(f"Không có tháng {month}.")
        if pre == "truoc":
            month = (month - 2) % 12 + 1
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1", None
    day = int(m.group("n"))
    if not 1 <= day <= 31:
        return _Problem(f"Không có ngày {day} trong tháng.")
    day = _day_before(pre, day)
    if "which" not in groups:  # a day of every month
        return "FREQ=MONTHLY;" + (_monthday_rule(day) if day else "BYMONTHDAY=-1"), None
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


def parse_deadline(phrase: str, doc_date: date) -> Deadline:
    """Read one deadline phrase as the office clerk would, relative to the document's date."""
    try:
        return _parse(phrase.strip(), doc_date)
    except (ValueError, OverflowError):  # a date past year 9999 or before year 1
        note = "Thời hạn rơi ra ngoài lịch (trước năm 1 hoặc sau năm 9999); cần kiểm tra."
        return _unreadable(phrase.strip(), note)


def _parse(raw: str, doc_date: date) -> Deadline:
    key = _key(raw)
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
