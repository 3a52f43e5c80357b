"""The scope stage: where a paragraph stands in the document's outline.

Headings open sections ("I. QUÝ I", "2. Sở Khoa học và Công nghệ", "Mục đích, yêu cầu"); a
heading or an intro that is only a body's name opens that body's scope, and the items below it
are its duties until a heading or an item of the same level or above closes it. A heading that
is only a time ("Quý II", "Đợt 1: Trong tháng 12/2025") dates the undated items below it; a
section of aims holds no task; inside "Thời gian …" the lines say when, not who.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from data.deadlines import DeadlineKind, parse_deadline
from data.importers.prose.events import TIME_SECTION
from data.importers.prose.not_tasks import aims_heading
from data.importers.prose.owner import _VERB_AT, _Owner
from data.importers.prose.segment import _MARKER, _TERMINAL, _level, _Para, _plain
from data.text import fold

# "I. QUÝ I", "Tháng 3/2024": a heading that is only a time, dating the undated items below
_TIME_HEADING = re.compile(
    r"^(?:quy (?:[ivx]+|[1-4])|thang \d{1,2}|(?:6|sau) thang (?:dau|cuoi) nam)"
    r"(?: ?[/.-] ?\d{4}| nam \d{4})?$"
)


# "2. Về nhiệm vụ trọng tâm từ nay đến tháng 6/2027": a section's time frame, from now to its end
_UNTIL = re.compile(
    r"\btừ nay (?:đến|tới)(?: hết)? (?P<when>(?:tháng \d{1,2} ?/ ?\d{4}|năm \d{4}"
    r"|ngày \d{1,2}/\d{1,2}/\d{4}))$",
    re.IGNORECASE,
)


def time_heading(body: str) -> str:
    """ "II. QUÝ II" → "trong Quý II", "Về nhiệm vụ từ nay đến tháng 6/2027" → "đến hết tháng
    6/2027": the words that date the undated items below it."""
    bare = body.strip(" .:")
    until = _UNTIL.search(bare)
    if until:
        return f"đến hết {until['when']}"
    if not _TIME_HEADING.match(fold(body).strip(" .:")):
        return ""
    return f"trong {bare[:1].lower()}{bare[1:]}"


# "Đợt 1: Trong tháng 12/2025", "Giai đoạn 2 - Từ ngày 01/3 đến ngày 30/4/2027": a wave of work
# and its time
_WAVE_HEADING = re.compile(
    r"^(?:Đợt|ĐỢT|Giai đoạn|GIAI ĐOẠN|Bước|BƯỚC) (?:\d{1,2}|[IVX]{1,4})\s*[:.–-]\s*"
    r"(?P<when>\S.{3,80})$"
)


def wave_time(body: str, doc_date: date, dated: Callable[[str], bool]) -> str:
    """ "Đợt 1: Trong tháng 12/2025", "Giai đoạn 2: Từ tháng 01 đến ngày bầu cử 15/3/2026":
    the time of a wave of work, as the words that date each item below it ("" when the
    heading holds no date: "Đợt 3: Sau ngày bầu cử …" starts then and has no end)."""
    match = _WAVE_HEADING.match(body.strip(" .:"))
    if match is None:
        return ""
    when = match["when"]
    if dated(when[:1].lower() + when[1:]):
        return when[:1].lower() + when[1:]
    found = parse_deadline(when, doc_date)
    if found.kind is DeadlineKind.TERM and found.start and found.due:
        return f"từ ngày {found.start:%d/%m/%Y} đến ngày {found.due:%d/%m/%Y}"
    if found.kind is DeadlineKind.DUE and found.due:
        return f"chậm nhất ngày {found.due:%d/%m/%Y}"
    return ""


def is_heading(plain: str, marker: re.Match[str] | None) -> bool:
    """A line with no sentence end, all capitals or numbered (not dashed; "(1)" only when it is
    short, "(3) Thời gian, địa điểm"): a heading."""
    bare = plain.rstrip(" *")
    if not bare or bare[-1] in _TERMINAL:
        return False
    if marker and marker.group("bullet"):
        return False
    letters = [c for c in bare if c.isalpha()]
    if letters and bare == bare.upper() and len(letters) > 3:
        return True
    if marker is not None and (
        marker.group("roman") or marker.group("letter") or marker.group("article")
    ):
        return True
    # "(3) Thời gian, địa điểm", "(5) Tổ chức triển khai": a short bracketed-number line that
    # names a part, not work ("(1) Rà soát các văn bản"), heads a section as "3." does
    return marker is not None and (not marker.group("paren") or _part_label(bare[marker.end() :]))


# "Tổ chức thực hiện", "Tổ chức triển khai": the part's name, though it opens with a verb
_CARRYING_OUT = re.compile(r"^to chuc (?:thuc hien|trien khai)$")


def _part_label(body: str) -> bool:
    """ "Thời gian, địa điểm", "Thành phần học viên và hình thức tập huấn": a part's name (a
    few words, no verb of work first)."""
    words = body.strip(" *")
    if not words or len(words.split()) > 8:
        return False
    return _CARRYING_OUT.match(fold(words)) is not None or not _VERB_AT.match(
        words[:1].lower() + words[1:]
    )


def bare_duty_item(
    marker: re.Match[str] | None,
    level: float | None,
    paras: Sequence[_Para],
    index: int,
    opens_work: bool = False,
) -> bool:
    """ "d) Hằng năm thông báo định kỳ giá gạo …" with its full stop lost, then "2. Sở Tài
    chính": a lettered item with nothing under it is a duty, not a heading. So is a numbered
    item that opens with its work (``opens_work``) and is followed at once by the next item of
    its list ("2. Tuyên truyền, vận động nhân dân … (có nội dung kèm theo)" then "3. Báo cáo
    …"): a heading has something under it."""
    if marker is None or level is None or marker.group("bullet"):
        return False
    following = paras[index + 1].text if index + 1 < len(paras) else "\t"
    if not marker.group("sub"):
        after = _MARKER.match(_plain(following)) if following != "\t" else None
        return (
            opens_work
            and after is not None
            and not after.group("bullet")
            and not after.group("sub")
            and _level(after) == level
        )
    if following == "\t":
        return True
    after = _MARKER.match(_plain(following))
    return after is not None and not after.group("bullet") and _level(after) <= level


# A paragraph that opens like this goes on with the body named just above it.
_CONNECTIVE = re.compile(r"^(?:dong thoi|ngoai ra|ben canh do|mat khac)\b")


def goes_on(folded: str) -> bool:
    """ "Đồng thời kiểm tra, đôn đốc …": a paragraph that goes on with the body named above."""
    return bool(_CONNECTIVE.match(folded))


# "Đồng thời, cắm biển cảnh báo …" after a dated duty: one more duty of the same body
# ("Trên cơ sở đó, có văn bản phúc đáp …", "Sau đó, báo cáo …": the next step of the same body)
_CONNECTIVE_STEP = re.compile(
    r"^(?:dong thoi|ngoai ra|ben canh do|tren co so do|sau do),?\s+(?=\w)"
)


def connective_step(folded: str) -> int:
    """ "Đồng thời, cắm biển cảnh báo …" → the length of "Đồng thời, " (0 with no connective):
    after a dated duty, one more duty of the same body."""
    found = _CONNECTIVE_STEP.match(folded)
    return found.end() if found else 0


@dataclass
class Scope:
    """An owner the items below a heading or an intro inherit, until a heading or an item of
    the same level or above closes it."""

    level: float
    owner: _Owner
    period: str = ""  # "Trong 6 tháng cuối năm 2022, …": the intro's time frame
    directive: bool = False  # "… yêu cầu các cấp ủy … các nhiệm vụ sau:": each item a duty
    spoken: bool = False  # a rendering's speaker leads the items ("đồng chí … yêu cầu … sau:")
    # "3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:": the addressee answers for the items, a body
    # an item names ("- Đảng uỷ Bộ Nội vụ chủ trì …") does that work and is shown beside it
    leads_bodies: bool = False
    # "(1) Cơ bản thống nhất chủ trương về Đề án …, cụ thể như sau:": the items say what is
    # agreed; only a body of the Party or the State named with its work has a task there
    agreed: bool = False


@dataclass
class Heading:
    """A heading above the paragraph read: its level and its line (the task's section)."""

    level: float
    label: str


@dataclass
class Outline:
    """The headings above the paragraph read, the owner scopes open, the section of aims being
    passed over (``skip_level``), the "Thời gian" section (``time_level``) and the time a
    heading gives the items below it (``frame``)."""

    headings: list[Heading] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    skip_level: float | None = None
    time_level: float | None = None  # inside "Thời gian, phạm vi": when, not who
    frame: tuple[float, str] | None = None  # a heading that is only a time ("I. QUÝ I")

    def open_heading(
        self, level: float | None, plain: str, body: str, wave: str, named: _Owner | None
    ) -> None:
        """A heading closes the sections and scopes at its level and below and opens its own:
        a time frame (``wave``: "Đợt 1: Trong tháng 12/2025"), aims, or a body (``named``)."""
        hl = level if level is not None else (self.headings[-1].level + 1 if self.headings else 1)
        while self.headings and self.headings[-1].level >= hl:
            self.headings.pop()
        self.headings.append(Heading(hl, plain))
        self.scopes = [s for s in self.scopes if s.level < hl]
        if self.skip_level is not None and hl <= self.skip_level:
            self.skip_level = None
        if self.time_level is not None and hl <= self.time_level:
            self.time_level = None
        if TIME_SECTION.match(fold(body)):
            self.time_level = hl
        if self.frame is not None and hl <= self.frame[0]:
            self.frame = None
        when = time_heading(body)
        if when:  # "II. QUÝ II": the items below are due then
            self.frame = (hl, when)
        if wave:  # "2.1. Đợt 1: Trong tháng 12/2025": the items below are due then
            self.frame = (hl, wave)
        if aims_heading(fold(body)):
            self.skip_level = hl
        if named is not None:  # "2. Sở Khoa học và Công nghệ", "c) Bộ Y tế"
            # "4. Các doanh nghiệp viễn thông" over dashed duties: a kind of body the plan
            # directs, each duty below its task (the office names who)
            self.scopes.append(Scope(hl, named, directive=named.broad))

    def open_intro(
        self,
        level: float,
        owner: _Owner,
        period: str,
        directive: bool,
        *,
        spoken: bool = False,
        when: str = "",
        leads_bodies: bool = False,
        agreed: bool = False,
    ) -> None:
        """An intro ("Giao Sở Tài chính:", "… thực hiện tốt các nhiệm vụ sau:") opens a scope for
        the items below: its owner (the one above when it names none), its time frame (or the
        one above), whether it directs everyone. A rendering's speaker who leads the items
        (``spoken``: "Kết luận hội nghị, đồng chí Bí thư … nhấn mạnh một số công việc trọng
        tâm cần thực hiện trong tháng 9 năm 2020, cụ thể như sau:") directs them, and the time
        the lead names (``when``) dates each of them as a time heading does."""
        above = self.scopes[-1] if self.scopes else None
        inherited = above.owner if above and not owner.named and not owner.broad else owner
        period = period or (above.period if above else "")
        leads_bodies = leads_bodies and inherited.named
        agreed = agreed or bool(above and above.agreed)
        self.scopes.append(
            Scope(level, inherited, period, directive or spoken, spoken, leads_bodies, agreed)
        )
        if spoken and when:
            self.frame = (level, when)

    def close_scopes(self, level: float) -> None:
        """An item closes the scopes its own level or a deeper one opened."""
        self.scopes = [s for s in self.scopes if s.level < level]

    def item_level(self, level: float | None) -> float:
        """An item's level; an unnumbered paragraph stands half a level below its heading."""
        if level is not None:
            return level
        return self.headings[-1].level + 0.5 if self.headings else 0.5

    def section(self) -> tuple[str, ...]:
        return tuple(h.label for h in self.headings)
