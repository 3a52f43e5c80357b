"""Stage 4, deadline: the dated phrases of a sentence, each read by ``parse_deadline``.

A periodic duty first ("trước ngày 25 hằng tháng", "thứ Sáu hằng tuần", "hằng năm (trước
ngày 15/11)"): read as a recurrence, its day never as a single date. Then each date phrase
("trước ngày 01/3/2026", "trong Quý I/2026", "hoàn thành năm 2028 (sau khi …)"); several in
one sentence are several steps. A document that bolds its deadlines is read by its bold marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers.prose.segment import _OFF, _ON, _aligned_fold, _plain, _plain_with_marks
from data.text import clean, fold

_PREFIX_WORDS = frozenset(
    ("vao", "truoc", "trong", "cham", "muon", "nhat", "khong", "qua", "hoan", "thanh", "xong",
     "tai", "han", "den", "het", "cuoi", "ngay")
)  # fmt: skip
# The document's own day said in words: "ngày Hội đồng nhân dân xã quyết định", "ngày Nghị
# quyết được thông qua", "ngày Quyết định này có hiệu lực"
_OWN_DAY = (
    r"(?:(?:hoi dong nhan dan|hdnd|uy ban nhan dan|ubnd)(?: \w+){0,3}? (?:quyet dinh|thong qua)"
    r"|(?:nghi quyet|quyet dinh)(?: nay)? (?:duoc )?(?:thong qua|ban hanh|co hieu luc))"
)
_DATE = (
    r"(?:ngay \d{1,2} ?[/.-] ?\d{1,2}(?: ?[/.-] ?\d{2,4})?"
    r"|ngay \d{1,2} thang \d{1,2}(?: nam \d{4})?"
    # "trong tháng 9", "trong Quý I": the year from the document's date (noted by the reader)
    # "trong tháng 5 và tháng 6/2026", "Quý II và Quý III/2026": the months together, a term
    r"|thang \d{1,2}(?:(?: va|,| den| -) (?:thang )?\d{1,2})*"
    r"(?: ?[/.-] ?\d{4}| nam \d{4}|(?![/.-]?\d))"
    r"|quy (?:[ivx]+|\d)(?:(?: va|,| den| -) (?:quy )?(?:[ivx]+|\d)\b)*"
    r"(?: ?[/.-] ?\d{4}| nam \d{4}|(?![/.-]?\w))"
    r"|(?:6|sau|hai|2) (?:thang|quy) (?:dau|cuoi) nam \d{4}|nam \d{4}"
    # "vào nửa cuối tháng 2/2020": half a month
    r"|nua (?:dau|cuoi) thang \d{1,2}(?: ?[/.-] ?\d{4}| nam \d{4}|(?![/.-]?\d))"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}-\d{1,2}-\d{4}"
    r"|\d{1,2}/\d{1,2}(?![/\d])|giai doan \d{4} ?[-–] ?\d{4}"
    # "cấp xã trước 15-7, cấp tỉnh trước ngày 15-8": a day and month with a dash right after a
    # "before" cue (never "trong 3-5 ngày", a count)
    r"|(?:(?<=truoc )|(?<=nhat )|(?<=qua ))\d{1,2}-\d{1,2}(?![-/.\d])"
    r"(?! ?(?:ngay|thang|nam|tuan|gio|h\b|%))"
    # "vào mùng 2 Tết Mậu Tý (8-2)": a lunar day, then its solar day in brackets
    r"|(?:mung|mong) \d{1,2}(?: thang (?:gieng|chap|\d{1,2}))?(?: tet)?(?: (?:nam )?\w+ \w+)?"
    r" \(\d{1,2} ?[-/.] ?\d{1,2}(?: ?[-/.] ?\d{4})?\)"
    r"|\d{1,3} ngay (?:lam viec )?ke tu ngay (?:ky|ban hanh)"
    # "30 ngày kể từ ngày Hội đồng nhân dân xã quyết định": the resolution's own day
    r"|\d{1,3} ngay (?:lam viec )?ke tu ngay " + _OWN_DAY + r")"
)
# A speaker's dates with no calendar date (``data.deadlines.spoken``): "ngay trong tháng này",
# "trong quý tới", "từ nay đến cuối năm", "trong những tháng cuối năm", "trước Tết Nguyên đán",
# "xong trước mùa mưa bão", "trước ngày 15" (the last two flagged by the reader)
_SPOKEN = (
    r"\b(?:(?:hoan thanh|xong) )?(?:ngay )?trong (?:thang|quy|nam) (?:nay|toi|sau|ke tiep)"
    r"(?! khi\b)(?![a-z0-9])"
    r"|\b(?:tu nay )?den (?:het|cuoi) (?:nam|thang|quy) nay\b"
    r"|\btu nay den (?:het|cuoi) (?:nam|thang|quy)\b(?! \d| nam \d)"
    r"|\btrong (?:nhung|hai|ba|2|3) thang cuoi nam(?: nay)?\b(?! \d| nam \d)"
    r"|\b(?:(?:hoan thanh|xong) )?(?:cham nhat )?truoc (?:dip |ky nghi )?tet"
    r"(?: nguyen dan| am lich| co truyen)?(?![a-z])"
    # (never a season with its year, "… năm 2026", nor a yearly one, "trước mùa khô hằng năm")
    r"|\b(?:(?:hoan thanh|xong) )?truoc mua (?:mua (?:bao|lu)|mua|kho|lu|bao)"
    r"(?! (?:bao|lu|nam|hang|moi)\b| \d)\b"
    r"|\b(?:truoc|cham nhat(?: la)?) ngay \d{1,2}"
    r"(?![\d/-]|\.\d| ?(?:thang|hang|moi|cua)\b|,? ?\d)"
)
# "trước 14 giờ, ngày 05/12/2017": the hour before the day
_HOUR = r"(?:\d{1,2} ?(?:gio|h)(?: ?\d{2}(?: phut)?)?,? )?"
# "báo cáo tại Kỳ họp thứ Sáu, HĐND tỉnh (dự kiến tổ chức tháng 12/2017)": a session and its month
_SESSION = (
    r"tai ky hop(?: thu \w+)?[^()]{0,40}? \(du kien (?:to chuc )?(?:vao )?"
    r"(?:thang \d{1,2} ?[/.-] ?\d{4}|cuoi nam \d{4}|nam \d{4})\)"
    r"|(?:tai|vao) ky hop(?: thuong le)? (?:giua|cuoi|dau) nam \d{4}"  # "vào kỳ họp giữa năm 2019"
)
# "giữa năm 2019", "đầu tháng 02/2015": a date a clerk would query; kept, flagged for review
_VAGUE = re.compile(r"\b(?:dau|giua) (?:thang|nam)\b|\bmua (?:mua|kho|lu|bao)\b")
_INLINE = re.compile(
    r"\b(?:(?:(?:hoan thanh|xong) )?(?:truoc|cham nhat|muon nhat|khong qua|khong muon hon"
    r"|han chot|trong vong|trong thoi han|trong|vao|den het|het"
    r"|tai ky hop(?: thu \w+| chuyen de| thuong le| bat thuong)*"  # "kỳ họp chuyên đề tháng 5"
    # "phấn đấu đến ngày 31/12/2027 giải ngân đạt 100%": the day the result is due
    r"|(?:phan dau )?den(?= ngay \d)"
    # "(thời gian: tháng 3/2025)", "Tiến độ: Quý II/2026": a label says a date follows
    r"|(?:thoi gian|tien do|thoi han)(?: (?:hoan thanh|thuc hien))?:"
    r"|(?:tai|vao) (?:hoi nghi|phien hop)(?: ban thuong vu| thuong ky)?)|hoan thanh)"
    r"(?:(?<=nhat) la)?"  # "Chậm nhất là ngày 05 tháng 02 năm 2026"
    r"(?: cuoi| dau| giua)?(?: trong)? (?:(?:sang|chieu|toi|trua|dem) )?"  # "vào tối ngày 01/9"
    + _HOUR
    + _DATE
    # "trong năm 2017 và những năm tiếp theo", "… và thực hiện thường xuyên": due, then ongoing
    + r"(?: va (?:(?:cac|nhung) nam tiep theo|(?:thuc hien |nhiem vu )?thuong xuyen)\b)?"
    + r"(?: ?\([^()]{3,80}\))?"  # "(sau khi Bộ ban hành hướng dẫn)": read with it, kept
    + r"|\b"
    + _SESSION
    # "từ ngày 12 đến 14-12-2024", "từ ngày 05/01 đến ngày 20/01/2027": a span, due its end
    # ("từ chiều ngày 18/01/2026 đến hết ngày 25/01/2026": a time of day before the first day)
    + r"|\btu (?:(?:sang|chieu|toi|trua|dem) )?(?:(?:thu \w+|chu nhat),? )?ngay \d{1,2}"
    r"(?: ?[/.-] ?\d{1,2})?(?: ?[/.-] ?\d{4})?"
    # "từ ngày 3.3 - 6.3.2015": a dash between two full days
    r"(?: den (?:het )?| ?[-–] ?(?=\d{1,2}[/.]\d{1,2}[/.]\d{4}))(?:(?:thu \w+|chu nhat),? )?"
    r"(?:ngay )?"
    + _DATE
    # "đại hội đảng bộ cơ sở hoàn thành từ tháng 4 - 6": months in a row, a term
    + r"|\btu thang \d{1,2} ?(?:-|–|den) ?(?:thang )?\d{1,2}"
    r"(?: ?[/.-] ?\d{4}| nam \d{4}|(?![/.-]?\d))"
    # "báo cáo … đầu tháng 3/2025 để …": a vague date a clerk would query, kept and flagged
    + r"|\b(?:dau|giua) thang \d{1,2} ?[/.-] ?\d{4}"
    # "hoàn thành trước mùa mưa năm 2018": a season, flagged with its year as the hint
    + r"|\b(?:hoan thanh )?(?:truoc|trong|vao) mua (?:mua|kho|lu|bao)(?: bao| lu)?(?: nam)?"
    r" \d{4}(?: ?[-–] ?\d{4})?(?! ?\((?:truoc|cham nhat|vao|ngay|trong)\b)"  # dated after it
    # "bố trí vốn từ năm 2023 đến năm 2025": a term
    + r"|\btu nam \d{4} den (?:het )?nam \d{4}"
    + r"|"
    + _SPOKEN
    # "Giao Sở … trong thời hạn 03 ngày làm việc thực hiện …": no mark to count from, so from the
    # document's own date (the reading notes it); "… kể từ khi …" stays an event's wait
    + r"|\btrong (?:vong|thoi han) \d{1,3} (?:ngay|tuan|thang)(?: lam viec)?+\b"
    r"(?! ?,? ?(?:ke tu|tinh tu|tu|sau|truoc)\b)"
)
# "phấn đấu hoàn thành dự toán thu ngân sách năm 2024": the year the target is for, due at
# its end (only the year is the date; the target stays in the title)
_GOAL_YEAR = re.compile(
    r"\bhoan thanh (?:ke hoach|du toan|chi tieu|muc tieu|nhiem vu)\b[^.;:,()]{0,50}? "
    r"(?P<year>nam \d{4})\b(?! ?[-–])"
)
# Periodic duties inside a sentence: "định kỳ trước ngày 25 hằng tháng", "thứ Sáu hằng tuần",
# "định kỳ hằng năm (trước ngày 15/11)", "từ ngày 1 đến ngày 5 hằng tháng", "hằng quý".
_RECUR_INLINE = re.compile(
    r"\b(?:dinh ky )?(?:(?:tu|truoc|cham nhat|vao|trong|den) )?"
    r"(?:ngay \d{1,2}(?: ?[/.-] ?\d{1,2})? (?:den (?:ngay )?\d{1,2} )?(?:cua )?"
    r"|(?:(?:sang|chieu) )?thu (?:hai|ba|tu|nam|sau|bay) |chu nhat )?"
    r"(?:hang|moi) (?:tuan|thang|quy|nam)\b"
    r"(?: ?\(? ?,? ?(?:truoc|cham nhat|vao) ngay \d{1,2}(?: ?[/.-] ?\d{1,2})?\)?)?"
    r"|\bdinh ky (?:0?6|sau|0?3|ba) thang(?:,? (?:va )?(?:1|01|mot) nam)?\b"
    r"(?: ?\((?:truoc|cham nhat|vao) ngay [^()]{3,30}\))?"
    # "định kỳ ít nhất một ngày trong tháng": once in each month
    r"|\b(?:dinh ky )?(?:it nhat )?(?:mot|01|1) (?:ngay|lan|buoi) (?:trong|moi) (?:tuan|thang|quy)"
    r"(?! ?\d)\b"
    # "Định kỳ trước ngày 20 của tháng cuối quý, tổng hợp …": every quarter
    r"|\bdinh ky,? (?:(?:truoc|cham nhat|vao) )?ngay \d{1,2} (?:cua )?thang (?:cuoi|dau)"
    r" (?:cua )?quy\b"
    # "định kỳ trước ngày 02 của tháng tiếp theo": monthly, last month's report
    r"|\b(?:dinh ky )?(?:(?:truoc|cham nhat|vao) )?ngay \d{1,2} (?:cua )?"
    r"thang (?:tiep theo|ke tiep)\b"
)
# "trước ngày 15/12" with no year, for a bare "hằng năm" earlier in the clause
_DAY_NO_YEAR = re.compile(
    r"\b(?:truoc|cham nhat|vao) ngay \d{1,2} ?/ ?\d{1,2}(?! ?[/.-]? ?\d)(?! ?nam)"
)
_PERIODIC_VERB = re.compile(
    r"\b(?:bao cao|so ket|tong ket|kiem tra|hop|giao ban|danh gia|cap nhat|gui|nop|tong hop"
    r"|xay dung (?:ke hoach|chuong trinh))\b"
)
# "báo cáo kết quả tại Kỳ họp thường kỳ của Hội đồng nhân dân tỉnh", "tại các Kỳ họp HĐND":
# at every regular session, a periodic duty whose days the office sets (never one session's)
_EACH_SESSION = re.compile(
    r"\btai (?:(?:cac|moi) ky hop(?: thuong ky| thuong le)?|ky hop (?:thuong ky|thuong le))"
    r"(?: (?:cua )?(?:hoi dong nhan dan|hdnd)(?: (?:tinh|huyen|xa|thanh pho|quan|phuong))?)?\b"
    r"(?! ?(?:giua|cuoi|dau|thu|nam|thang|chuyen de|bat thuong|\(|\d))"
)
_SESSION_NOTE = "Việc định kỳ tại mỗi kỳ họp thường lệ: văn phòng nhập lịch kỳ họp."
# "báo cáo tình hình sau mỗi đợt": after each wave of the work, periodic, the days unsaid
_EACH_WAVE = re.compile(r"\bsau (?:moi|tung) (?:dot|cuoc|lan)\b(?: (?:kiem tra|giam sat))?")
_WAVE_NOTE = "Việc định kỳ sau mỗi đợt: văn phòng nhập ngày theo lịch các đợt."


# "…; định kỳ tổ chức sơ kết, tổng kết …, báo cáo …", "… và định kỳ báo cáo UBND tỉnh": a
# periodic step whose period is unsaid, flagged for the office to choose it (never "ongoing")
_UNSAID_PERIOD = re.compile(
    r"(?:;|\bva) (?P<word>dinh ky)(?! (?:hang|moi|\d|sau|ba|hai|mot|truoc|vao|tu)\b)"
    r"(?= (?:\w+ ){0,2}(?:bao cao|so ket|tong ket|danh gia)\b)"
)
NO_PERIOD_NOTE = (
    "Việc định kỳ nhưng văn bản không ghi chu kỳ (hằng tháng, hằng quý…): văn phòng cần chọn"
    " chu kỳ."
)


def period_unsaid(deadline: Deadline) -> bool:
    """Whether ``deadline`` is a periodic duty whose period the text does not say (flagged)."""
    return deadline.kind is DeadlineKind.UNREADABLE and deadline.note == NO_PERIOD_NOTE


def at_each_session(deadline: Deadline) -> bool:
    """Whether ``deadline`` is "at every regular session" (a periodic duty, flagged)."""
    return deadline.kind is DeadlineKind.UNREADABLE and deadline.note == _SESSION_NOTE


# A full day with no cue before it, in a line that is about a time ("Thời gian … ngày 23/3/2026")
_BARE_DAY = re.compile(r"\bngay \d{1,2} ?/ ?\d{1,2} ?/ ?\d{4}\b")
_DATED = frozenset(
    {DeadlineKind.DUE, DeadlineKind.TERM, DeadlineKind.DUE_THEN_ONGOING, DeadlineKind.FROM}
)
# A bracket after a date that says how to deliver, not when ("(đồng thời gửi file qua hộp thư
# …)", "(kèm theo danh sách)", "(theo mẫu gửi kèm)"): left out of the phrase the date is read from
_ASIDE = re.compile(
    r" ?\((?:dong thoi|kem theo|gui (?:kem|ban|file|qua)|qua (?:hop thu|email|thu)"
    r"|theo mau|ban mem|file"
    # "(theo quy định tại Mục 5, Phần VI Hướng dẫn 13/HD-MTTQ-BTT)": the rule, not the time
    r"|theo (?:quy dinh|huong dan|ke hoach|cong van|thong tri|nghi quyet|quyet dinh))\b[^()]*\)$"
)
# (never "kinh phí chi thường xuyên": a recurrent expenditure, not an ongoing duty)
_ONGOING_WORDS = re.compile(r"\b(?:(?<!chi )thuong xuyen|lien tuc|dinh ky)\b")


@dataclass
class _Mark:
    start: int  # span in the plain sentence, the modifier words included
    end: int
    deadline: Deadline


def _is_future(deadline: Deadline, doc_date: date) -> bool:
    when = deadline.due or deadline.start
    return deadline.kind in _DATED and when is not None and when >= doc_date


def _remap(marks: list[_Mark], marked: str, plain: str) -> list[_Mark]:
    """Spans of the mark-free text of ``marked`` to spans of ``plain`` (``clean``ed)."""
    bare = marked.replace(_ON, "").replace(_OFF, "")
    if bare == plain:
        return marks
    out = []
    for mark in marks:
        fragment = bare[mark.start : mark.end].strip()
        found = plain.find(fragment)
        if found >= 0:
            out.append(_Mark(found, found + len(fragment), mark.deadline))
    return out


def _dates_a_trigger(key: str, at: int) -> bool:
    """ "ngay sau khi … được thông qua vào Kỳ họp thứ Sáu (dự kiến tháng 12/2017)": the date
    is when the awaited event may happen, not the task's deadline (an expected date, "(dự kiến
    …)", in the same clause as the "sau khi")."""
    expected = re.search(r"\(du kien [^()]*$", key[:at]) is not None  # "(dự kiến tổ chức vào …"
    before = re.sub(r"\([^()]*", "", re.sub(r"\([^()]*\)", "", key[:at]))
    trigger = before.rfind("sau khi ")
    between = before[trigger:] if trigger >= 0 else ""
    return trigger >= 0 and expected and ";" not in between


def action_steps(action: str, marks: list[_Mark], shift: int) -> list[_Mark]:
    """A sentence's dated phrases (``marks``) as the dates of its action's steps (``shift``: the
    characters before the action); a time that opens the sentence dates the step before ";" or,
    with no date after it, the whole action."""
    steps = [_Mark(m.start - shift, m.end - shift, m.deadline) for m in marks]
    opening = [m for m in steps if m.start < 0]
    steps = [m for m in steps if m.start >= 0]
    semi = action.find(";")
    if opening and steps and 0 < semi < steps[0].start:
        # "Hằng năm, X tổ chức đánh giá …; sơ kết giữa nhiệm kỳ vào năm 2028": the
        # opening time dates the step before ";", the later date the one after
        steps.insert(0, _Mark(semi, semi, opening[-1].deadline))
    if not steps:  # "Định kỳ từ ngày 1 đến ngày 5 hằng tháng, các đơn vị … cập nhật"
        steps = [_Mark(len(action), len(action), marks[-1].deadline)]
    return steps


class DateReading:
    """The deadline stage of ``ProseReader``."""

    doc_date: date
    bold_deadlines: bool
    programme_year: int | None

    def _without_year(self, phrase: str, deadline: Deadline) -> Deadline:
        """ "trong tháng 4", "trước ngày 15/01": a date with no year takes the programme's year
        ("Chương trình … năm 2018" signed in December 2017), else the document's; one already
        months past at the document's date is flagged (perhaps next year), never silently read;
        one just past is a deadline the text reports, as before."""
        if not deadline.kind.is_dated or re.search(r"\d{4}", phrase):
            return deadline
        year = self.programme_year
        if year is not None and year != self.doc_date.year:
            read = parse_deadline(phrase, date(year, 1, 1))
            if read.kind.is_dated:
                note = f"Không ghi năm; lấy năm {year} theo tên văn bản."
                return replace(read, note=note)
        when = deadline.due or deadline.start
        if _is_future(deadline, self.doc_date) or when is None:
            return deadline
        if (self.doc_date - when).days <= 60:
            return deadline  # "đã yêu cầu báo cáo trước ngày 22/9" in late September: past
        note = (
            f"«{phrase}» không ghi năm và đã qua so với ngày văn bản"
            f" ({self.doc_date:%d/%m/%Y}); cần ghi rõ năm."
        )
        shown = f"{when:%d/%m}/{self.doc_date.year + 1}"
        return Deadline(DeadlineKind.UNREADABLE, raw=phrase, note=note, suggestion=shown)

    def _bold_marks(self, sentence: str) -> list[_Mark]:
        plain_marks: list[_Mark] = []
        offset = 0
        plain_parts: list[str] = []
        for match in re.finditer(rf"{_ON}([^{_OFF}]*){_OFF}?", sentence):
            before = sentence[offset : match.start()].replace(_ON, "").replace(_OFF, "")
            plain_parts.append(before)
            start = len("".join(plain_parts))
            inner = match.group(1)
            plain_parts.append(inner)
            end = start + len(inner)
            offset = match.end()
            plain_marks.append(_Mark(start, end, Deadline(DeadlineKind.UNREADABLE, inner)))
        whole = "".join(plain_parts) + sentence[offset:].replace(_ON, "").replace(_OFF, "")
        out: list[_Mark] = []
        for mark in plain_marks:
            words = whole[: mark.start].split(" ")
            taken: list[str] = []
            while words and len(taken) < 4:
                word = words[-1]
                if word and fold(word) in _PREFIX_WORDS:
                    taken.insert(0, word)
                    words.pop()
                elif not word:
                    words.pop()
                else:
                    break
            prefix = " ".join(taken)
            phrase = clean(f"{prefix} {whole[mark.start : mark.end]}")
            deadline = parse_deadline(phrase, self.doc_date)
            if not _is_future(deadline, self.doc_date):
                continue
            start = mark.start - (len(prefix) + 1 if prefix else 0)
            out.append(_Mark(max(start, 0), mark.end, deadline))
        return out

    def _marks(self, sentence: str) -> list[_Mark]:
        """The dated phrases of a sentence, as spans of its plain text."""
        plain = _plain(sentence)
        if self.bold_deadlines:
            marks = self._bold_marks(_plain_with_marks(sentence))
            return _remap(marks, _plain_with_marks(sentence), plain)
        key = _aligned_fold(plain)
        out = []
        # A periodic duty first ("trước ngày 25 hằng tháng", "hằng năm (trước ngày 15/11)"):
        # its day is never read as a single date.
        for match in _RECUR_INLINE.finditer(key):
            bare = not re.search(r"dinh ky|ngay|thu|chu nhat", match.group())
            before = key[max(0, match.start() - 30) : match.start()]
            after = key[match.end() : match.end() + 25]  # "Hàng năm xây dựng kế hoạch chi tiết"
            opening = not before.strip() or before.rstrip().endswith(":")
            periodic = bool(_PERIODIC_VERB.search(before)) or (
                opening and bool(_PERIODIC_VERB.match(after.lstrip(" ,")))
            )
            # "Hằng năm, Ban Thường vụ Đảng ủy xã tổ chức đánh giá …": a frequency that opens
            # the sentence before its subject
            periodic = periodic or (opening and after.startswith(", "))
            # "… bố trí kinh phí thực hiện hằng năm;" / "… hằng năm.": the frequency closes the
            # step (never "vào nghị quyết hằng năm của cấp ủy", which names the resolution)
            # ("trong dự toán ngân sách hằng năm." names the yearly budget, not a frequency)
            names = re.search(r"(?:du toan|ngan sach|nghi quyet)(?: \w+)? $", before)
            periodic = periodic or (bool(re.match(r"\s*(?:[;.]|$)", after)) and not names)
            # "xây dựng kế hoạch … hằng năm, trình … trước ngày 15/12": the plan of each year,
            # due on a day-month with no year, is a yearly duty on that day
            # ("Định kỳ hằng năm, tổng hợp …, báo cáo … trước ngày 15/12" the same)
            dayless = not re.search(r"ngay|thu|chu nhat", match.group())
            day = _DAY_NO_YEAR.search(key, match.end()) if dayless else None
            if day and ";" not in key[match.end() : day.start()]:
                each = re.search(r"(?:hang|moi) (?:tuan|thang|quy|nam)", match.group())
                at = match.start() + (each.start() if each else 0)
                said = f"{plain[day.start() : day.end()]} {plain[at : match.end()]}"
                yearly = parse_deadline(said, self.doc_date)
                if yearly.kind is DeadlineKind.RECURRING:
                    out.append(_Mark(day.start(), day.end(), yearly))
                    continue
            if bare and (not periodic or re.search(r"\d nam va $", before)):
                continue  # "kế hoạch … 5 năm và hằng năm": which plan, not when
            phrase = plain[match.start() : match.end()]
            deadline = parse_deadline(phrase, self.doc_date)
            if deadline.kind is DeadlineKind.RECURRING:
                out.append(_Mark(match.start(), match.end(), deadline))
        for match in _UNSAID_PERIOD.finditer(key):
            if not any(m.start < match.end() and match.start() < m.end for m in out):
                at, end = match.start("word"), match.end("word")
                unsaid = Deadline(DeadlineKind.UNREADABLE, raw=plain[at:end], note=NO_PERIOD_NOTE)
                out.append(_Mark(at, end, unsaid))
        for pattern, note in ((_EACH_SESSION, _SESSION_NOTE), (_EACH_WAVE, _WAVE_NOTE)):
            for match in pattern.finditer(key):
                if not any(m.start < match.end() and match.start() < m.end for m in out):
                    phrase = plain[match.start() : match.end()]
                    repeated = Deadline(DeadlineKind.UNREADABLE, raw=phrase, note=note)
                    out.append(_Mark(match.start(), match.end(), repeated))
        for match in _INLINE.finditer(key):
            if any(m.start < match.end() and match.start() < m.end for m in out):
                continue
            end = match.end()
            aside = _ASIDE.search(key[match.start() : end])
            if aside:  # "… ngày 20/6/2025 (đồng thời gửi file qua …)": how, not when
                end = match.start() + aside.start()
            phrase = plain[match.start() : end]
            said = re.sub(r"^phấn đấu\s+", "", phrase, flags=re.IGNORECASE)
            own = re.search(r"ke tu ngay " + _OWN_DAY, key[match.start() : end])
            if own:  # "kể từ ngày Hội đồng nhân dân xã quyết định": counted from this text
                said = f"{plain[match.start() : match.start() + own.start()]}kể từ ngày ký"
            deadline = self._without_year(phrase, parse_deadline(said, self.doc_date))
            if deadline.kind.is_dated and _dates_a_trigger(key, match.start()):
                note = (
                    f"Việc làm sau một sự kiện (dự kiến «{phrase}»): văn phòng nhập thời hạn "
                    "khi sự kiện diễn ra."
                )
                deadline = Deadline(DeadlineKind.WAITING, raw=phrase, note=note)
                out.append(_Mark(match.start(), end, deadline))
                continue
            unsure = deadline.kind is DeadlineKind.UNREADABLE
            flagged = unsure and bool(deadline.suggestion)
            flagged = flagged and (phrase.endswith(")") or not re.search(r"\d{4}", phrase))
            vague = unsure and bool(_VAGUE.search(key[match.start() : match.end()]))
            if _is_future(deadline, self.doc_date) or flagged or vague:
                out.append(_Mark(match.start(), end, deadline))  # flagged: for review
        for match in _GOAL_YEAR.finditer(key):
            at, end = match.start("year"), match.end("year")
            if any(m.start < end and at < m.end for m in out):
                continue
            deadline = parse_deadline(plain[at:end], self.doc_date)
            if _is_future(deadline, self.doc_date):
                out.append(_Mark(at, end, deadline))
        return sorted(out, key=lambda m: m.start)

    def _bare_days(self, plain: str) -> list[_Mark]:
        """The full days a line names with no cue before them ("Tập huấn 1 ngày, thứ Năm, ngày
        04/12/2025"): for a line that only says when an event is held."""
        key = _aligned_fold(plain)
        out = []
        for match in _BARE_DAY.finditer(key):
            day = parse_deadline(plain[match.start() : match.end()], self.doc_date)
            if day.kind is DeadlineKind.DUE:
                out.append(_Mark(match.start(), match.end(), day))
        return out

    def _closing_marks(self, sentence: str) -> list[_Mark]:
        """The dates of a closing line: its dated phrases, or, for "Thời gian: tháng 5/2026."
        and "Tiến độ: Quý II/2026", the words after the label read whole (no "trong", "trước"
        needed: the label says a date follows)."""
        marks = self._marks(sentence)
        plain = _plain(sentence)
        bare = _BARE_DAY.search(_aligned_fold(plain)) if not marks else None
        before = _aligned_fold(plain)[: bare.start()] if bare else ""
        if bare is not None and (
            not re.search(r"\b(?:cham nhat|gui|nop|hoan thanh|han)\b", before)
            or re.search(r"\bso \d|\d/\d{4}/|/[a-z]{2,}", before)  # "Thông tư số 29/2024/TT-BTC"
        ):
            bare = None  # a document's own date, not when the work is due
        if bare is not None:
            # "Thời gian chậm nhất gửi báo cáo về Ban Thường trực … ngày 23/3/2026.": the line
            # is about a time; the one full day it names is when the work is due
            day = parse_deadline(f"chậm nhất {plain[bare.start() : bare.end()]}", self.doc_date)
            if day.kind is DeadlineKind.DUE:
                return [_Mark(bare.start(), bare.end(), day)]
        colon = plain.find(":")
        phrase = plain[colon + 1 :].strip(" .;") if 0 <= colon <= 40 else ""
        if not phrase or len(phrase) > 60:
            return marks
        # the words after the label read whole: "năm 2026 và các năm tiếp theo" is due, then
        # ongoing, where the inline reading would stop at "năm 2026"
        deadline = self._without_year(phrase, parse_deadline(phrase, self.doc_date))
        if deadline.kind in _DATED or deadline.kind is DeadlineKind.RECURRING:
            start = plain.index(phrase, colon)
            return [_Mark(start, start + len(phrase), deadline)]
        return marks

    def _period(self, adverbial: str) -> str:
        """ "Trong 6 tháng cuối năm 2022, …": the time frame an intro gives the items below (not
        the day of the session the issuer concludes at: "Tại phiên họp ngày 28/11/2025, sau khi
        nghe Báo cáo … tháng 11/2025 (…), Bộ Chính trị … kết luận như sau:")."""
        folded = fold(adverbial) if adverbial else ""
        start = _after_session(folded)
        match = _INLINE.search(folded, start) if folded else None
        return adverbial[match.start() : match.end()] if match else ""


# "Tại phiên họp ngày …", "sau khi nghe Báo cáo …": a clause that tells when the issuer met
_MET_AT = re.compile(
    r"\s*(?:(?:tai|trong) (?:phien hop|phien lam viec|hoi nghi|cuoc hop|buoi lam viec|ky hop)\b"
    r"|sau khi (?:nghe|xem xet)\b)"
)


def _after_session(folded: str) -> int:
    """Where the folded lead goes on after its opening session clauses (0 when it has none; its
    length when nothing follows them)."""
    at = 0
    while _MET_AT.match(folded, at):
        depth, comma = 0, -1
        for i in range(at, len(folded)):
            ch = folded[i]
            depth += ch == "("
            depth -= ch == ")" and depth > 0
            if ch == "," and depth == 0 and i > at:
                comma = i
                break
        if comma < 0:
            return len(folded)
        at = comma + 1
    return at
