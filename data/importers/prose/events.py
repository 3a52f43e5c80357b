"""When a duty's time is written elsewhere in the text: events, holidays, schedules, narration.

A plan may date its campaign in a section of its own ("II. THỜI GIAN: Chiến dịch triển khai
từ ngày 15/4 đến ngày 15/5/2024") and then say only "Sở Y tế chủ trì tổ chức chiến dịch"; a
notice gives the holiday ("được nghỉ lễ … từ … đến hết …") and asks for duties "trong dịp nghỉ
lễ". Those sentences are no one's task: their spans are kept by the event's name and date the
duties that carry the event out. A day already past that opens a sentence ("Ngày 30/5/2025,
X tổ chức phiên họp …") tells what happened. Pure functions, given the sentence's owner and
dated marks by the reader.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from data.deadlines import Deadline, DeadlineKind
from data.importers.interpret import ParsedItem
from data.importers.prose.dates import DateReading, _Mark
from data.importers.prose.owner import OwnerReading
from data.text import fold

# "II. THỜI GIAN, PHẠM VI", "Thời gian thực hiện": a section that says when
TIME_SECTION = re.compile(r"^thoi gian(?: thuc hien| trien khai| to chuc)?(?:,| va |\s*$|\s*:)")
# "Chiến dịch triển khai từ ngày …", "Đợt kiểm tra diễn ra …": the event a time section dates
_EVENT_SUBJECT = re.compile(
    r"^(?P<name>[^,;:()]{3,40}?) (?:se |duoc )?(?:trien khai|dien ra|to chuc|thuc hien|bat dau)\b"
)
# "Thời gian nhận phiếu đăng ký dự tuyển: …": the time of something, not a duty's deadline
_SCHEDULE = re.compile(
    r"^thoi gian (?!(?:thuc hien|hoan thanh|bao cao|to chuc|trien khai|gui|nop|trinh)\b)"
    r"(?P<name>[^:;.]{3,60}?)\s*:\s*"
)
# "… được nghỉ lễ 05 ngày, từ … đến hết …", "nghỉ Tết Nguyên đán từ …"
_HOLIDAY = re.compile(r"\bnghi (le|tet)\b")
# "Ngày 30/5/2025" alone before the subject: when something happened (or is to happen)
# ("Chiều 20/11/2026, …" as well: a time of day before the date)
_PAST_DAY = re.compile(
    r"^(?:(?:sang|chieu|toi|trua) (?:ngay )?|ngay )"
    r"(\d{1,2}) ?[/.-] ?(\d{1,2})(?: ?[/.-] ?(\d{2,4}))?"
    # "Chiều 31/10/2025, tại Nhà văn hóa xã,": the day, then where it happened
    r"(?:,? tai [^,;:.]{3,80})?$"
)

Event = tuple[str, Deadline]


# "- Thời gian: Tập huấn 1 ngày, thứ Năm, ngày 04/12/2025": a label, then the event and its day
_LABELLED_EVENT = re.compile(
    # "- Thời gian: Hội nghị tập huấn: 1 buổi, từ 10 giờ, thứ Ba, ngày 09/12/2025"
    r"^(?:[-+] )?thoi gian\s*:\s*(?P<name>[a-z ]{3,40}?)(?=,| \d| (?:vao|ngay)\b|\s*:)"
)
# "Chuẩn bị phòng họp trực tuyến …", "chuẩn bị máy tính xách tay …": getting the event ready
_PREPARES = re.compile(r"^(?:chu dong )?chuan bi\b")


# "- Kỷ niệm 79 năm Quốc khánh (2/9/1945 - 2/9/2024) treo cờ Tổ quốc từ ngày 31/8/2024 đến hết
# ngày 05/9/2024." under "Thời gian trang trí, tuyên truyền:": the work the span is for
_SPAN_OF_WORK = re.compile(
    r"^(?:[-+] )?(?:[^;:]{0,120}?\) )?(?P<name>[a-z ]{3,40}?) tu (?:(?:sang|chieu|toi) )?ngay \d"
)


def section_event(plain: str, marks: list[_Mark]) -> Event | None:
    """ "Chiến dịch triển khai từ ngày 15/4/2024 đến ngày 15/5/2024 …" in a time section (the
    sentence names no owner): the event's name and span."""
    subject = (
        _EVENT_SUBJECT.match(fold(plain))
        or _LABELLED_EVENT.match(fold(plain))
        or _SPAN_OF_WORK.match(fold(plain))
    )
    dated = [m for m in marks if m.deadline.kind.is_dated]
    if subject is None or not dated:
        return None
    when = dated[-1].deadline
    note = (
        f"Thời hạn theo thời gian của «{plain[: len(subject.group('name'))]}» ghi ở mục "
        f"thời gian của văn bản («{when.raw}»)."
    )
    return subject.group("name"), replace(when, note=note)


def mentions_holiday(plain: str) -> bool:
    """Whether the sentence speaks of a holiday at all (a cheap test before reading it)."""
    return _HOLIDAY.search(fold(plain)) is not None


def holiday(plain: str, marks: list[_Mark]) -> Event | None:
    """ "Cán bộ, công chức … được nghỉ lễ 05 ngày, từ … đến hết …" (no owner): the holiday's
    span, for the duties "trong dịp nghỉ lễ"."""
    found = _HOLIDAY.search(fold(plain))
    spans = [m for m in marks if m.deadline.kind is DeadlineKind.TERM]
    if found is None or not spans:
        return None
    when = spans[-1].deadline
    note = f"Thời hạn là ngày cuối của kỳ nghỉ ghi trong văn bản («{when.raw}»)."
    return f"nghi {found.group(1)}", replace(when, note=note)


def schedule_at(body: str) -> int:
    """Where "Thời gian nhận phiếu đăng ký dự tuyển: " ends (0 if the paragraph is no such
    line): what follows is when something is open (for candidates, the public)."""
    found = _SCHEDULE.match(fold(body))
    return found.end() if found else 0


def schedule(body: str, marks: list[_Mark]) -> Event | None:
    """The schedule line's name and span (its words before the colon name it)."""
    found = _SCHEDULE.match(fold(body))
    dated = [m for m in marks if m.deadline.kind.is_dated]
    if found is None or not dated:
        return None
    return found.group("name"), dated[-1].deadline


def event_for(events: dict[str, Deadline], text: str) -> Deadline | None:
    """The span of an event a duty carries out ("tổ chức chiến dịch", "theo đúng thời gian
    của chiến dịch", "trong dịp nghỉ lễ"), or None. With one event dated (a training, a
    conference), the preparations ("chuẩn bị phòng họp …") are due by its day."""
    key = fold(text)
    if len(events) == 1 and _PREPARES.match(key):
        return next(iter(events.values()))
    for full, when in events.items():
        # "Hội nghị tập huấn: 1 buổi, …" then "phối hợp tổ chức tập huấn": the event by its work
        name = re.sub(r"^(?:hoi nghi|buoi|lop|khoa) (?=\S+ \S)", "", full)
        shape = (
            rf"^(?:(?:chu tri|phoi hop),? )?(?:to chuc|trien khai|thuc hien) "
            rf"(?:cac hoat dong (?:cua )?)?{re.escape(name)}\b"
            rf"|\bthoi gian (?:cua )?{re.escape(name)}\b"
            rf"|\b(?:trong|suot) (?:dip |nhung ngay |thoi gian )?{re.escape(name)}\b"
        )
        if re.search(shape, key):
            return when
    return None


# "Trong 9 tháng năm 2019, …", "9 tháng đầu năm 2017, …": the months of a year from January
_PAST_MONTHS = re.compile(r"^(?:trong )?(\d{1,2}) thang (?:dau )?(?:nam )?(\d{4})\b")


# "Đến ngày 12/3/2020 trên địa bàn xã … đang …", "Tính đến nay, …": the state as of a day
_AS_OF = re.compile(
    r"^(?:tinh )?den (?:nay\b|thoi diem nay\b"
    r"|ngay (\d{1,2}) ?[/.-] ?(\d{1,2})(?: ?[/.-] ?(\d{2,4}))?)"
)


def status_as_of(folded: str, doc_date: date) -> int:
    """ "Đến ngày 12/3/2020 trên địa bàn xã Liên Sơn đang thực hiện cách ly …" written that day:
    how things stand as of a day not after the document's (the length of that opening; 0 when
    the sentence opens otherwise)."""
    found = _AS_OF.match(folded)
    if found is None:
        return 0
    if found.group(1) is None:
        return found.end()
    year = int(found.group(3)) if found.group(3) else doc_date.year
    year += 2000 if year < 100 else 0
    try:
        past = date(year, int(found.group(2)), int(found.group(1))) <= doc_date
    except ValueError:
        return 0
    return found.end() if past else 0


def told(adverbial: str, doc_date: date) -> bool:
    """ "Ngày 30/5/2025, …": a day already past at the document's date opens what happened,
    not what is to be done; so do the first months of a year already over ("Trong 9 tháng năm
    2019, …" told in October 2019)."""
    months = _PAST_MONTHS.match(fold(adverbial).strip(" ,"))
    if months is not None and 1 <= int(months.group(1)) <= 12:
        return (int(months.group(2)), int(months.group(1))) < (doc_date.year, doc_date.month)
    day = _PAST_DAY.match(fold(adverbial).strip(" ,"))
    if day is None:
        return False
    year = int(day.group(3)) if day.group(3) else doc_date.year
    year += 2000 if year < 100 else 0
    try:
        return date(year, int(day.group(2)), int(day.group(1))) <= doc_date
    except ValueError:
        return False


class EventReading(OwnerReading, DateReading):
    """The spans the text gives events, holidays and schedules, kept for the duties that name
    them; a line that only gives such a span is no one's task."""

    events: dict[str, Deadline]
    items: list[ParsedItem]

    def _kept(self, found: Event | None) -> bool:
        """Keeps an event's span by its name; whether there was one."""
        if found is not None:
            self.events[found[0]] = found[1]
        return found is not None

    def _event(self, plain: str) -> bool:
        """Records the span a "Thời gian" section gives an event; whether the paragraph was
        only that ("- Tháng 5/2026: Các chi bộ tổ chức …" names an owner: a duty)."""
        if self._owner(re.sub(r"^[-+•–]\s*", "", plain))[0].named:  # "- Các thôn treo cờ …"
            return False
        return self._kept(section_event(plain, self._marks(plain) or self._bare_days(plain)))

    def _holiday(self, plain: str) -> bool:
        """ "Cán bộ … được nghỉ lễ 05 ngày, từ … đến hết …": the holiday's span; no task."""
        if not mentions_holiday(plain) or self._owner(plain)[0].named:
            return False
        return self._kept(holiday(plain, self._marks(plain)))

    def _schedule(self, body: str) -> bool:
        """ "1. Thời gian nhận phiếu đăng ký dự tuyển: từ … đến hết …": when something is open,
        no one's task; its span is kept."""
        at = schedule_at(body)
        if not at or self._owner(body[at:])[0].named:
            return False
        found = schedule(body, self._marks(body))
        if found is not None:
            self.events.setdefault(found[0], found[1])
        return found is not None

    def _date_events(self) -> None:
        """ "chủ trì tổ chức chiến dịch" with no date of its own: the campaign's span."""
        for item in self.items:
            found = None if item.deadline.kind.is_dated else event_for(self.events, item.title)
            if found is not None and item.deadline.kind is not DeadlineKind.RECURRING:
                item.review_note = item.review_note.replace(item.deadline.note or "\0", "")
                item.deadline = found
                item.review_note = f"{item.review_note} {found.note}".strip()
