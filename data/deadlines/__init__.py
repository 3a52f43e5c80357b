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

The package, in reading order: ``kinds`` (what a reading is), ``vocabulary`` (the words),
``years`` (year repair), ``shapes`` (the mentions), ``recurrence`` (periodic duties),
``spoken`` (a speaker's dates with no calendar date: "trước Tết", a season, a day without its
month) and ``reading`` (``parse_deadline``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from data.deadlines.kinds import Deadline, DeadlineKind

if TYPE_CHECKING:
    from data.deadlines.reading import parse_deadline

__all__ = ["Deadline", "DeadlineKind", "parse_deadline"]


def __getattr__(name: str) -> Any:
    """``parse_deadline`` loaded on first use: what only reads the store (the report, the
    console's pages) needs the kinds, not the reader's patterns (~40 ms of compiling)."""
    if name == "parse_deadline":
        from data.deadlines.reading import parse_deadline

        return parse_deadline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
