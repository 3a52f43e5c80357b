"""What the daily scan needs to know about a task, detached from the database.

The store turns rows into these; the plan function works on them only, so it stays
a pure function of (tasks, today, calendar, policy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from data.deadlines import DeadlineKind


@dataclass(frozen=True, order=True)
class ClosedOccurrence:
    """One occurrence of a recurring part reported done: its due date, the day reported."""

    occurrence: date
    on: date


@dataclass(frozen=True)
class TaskView:
    number: int  # what users type: /done 57
    title: str
    units: tuple[str, ...]  # the owner unit whose part this is; () for a task without owners
    kind: DeadlineKind
    raw_deadline: str  # the deadline as written in the document
    start: date | None = None
    due: date | None = None
    rrule: str | None = None  # RFC 5545 RRULE without DTSTART (recurring tasks)
    anchor: date | None = None  # the document's date: DTSTART of a recurrence
    done_on: date | None = None  # None while open; recurring: a report made before
    # occurrences were named (it closes every occurrence up to it, see ``jobs.due``)
    needs_review: bool = False  # unreadable deadline or unknown unit: admin only
    confidential: bool = False  # the title never goes to a chat (see ``chat_title``)
    extended: bool = False  # the part's due date is an approved extension
    awaiting_confirmation: bool = False  # reported done (done_on), the office not yet confirmed
    last_update: date | None = None  # the part's latest progress update (/capnhat)
    closed: tuple[ClosedOccurrence, ...] = ()  # recurring: occurrences reported, in order
    # recurring, confirmation on: the occurrence of the report waiting (also in ``closed``:
    # its reminders stop; the report counts it done once the office confirms)
    awaiting_occurrence: date | None = None

    @property
    def chat_title(self) -> str:
        """The title as a chat may show it."""
        return shown_to(Reader.CHAT, self.confidential, self.title)


CONFIDENTIAL_TITLE = "(nội dung mật)"


class Reader(StrEnum):
    """Who reads the words written about a task or a document."""

    OFFICE = "office"  # the office, in its console: reads everything
    VIEWER = "viewer"  # a console user who reads only (Ủy ban Kiểm tra, leaders)
    CHAT = "chat"  # any chat, the office's own too: a message leaves the office's tools


def may_read(reader: Reader, confidential: bool) -> bool:
    """The confidential rule, the one place it is decided: the words of a confidential
    task or document (its title, its document's title and file, progress notes,
    reasons, history details) are read by the office in its console, nobody else.
    What is shown instead is ``CONFIDENTIAL_TITLE`` with the number, unit and dates."""
    return not confidential or reader is Reader.OFFICE


def shown_to(reader: Reader, confidential: bool, text: str) -> str:
    """``text`` when ``reader`` may read it, else "(nội dung mật)"; empty stays empty."""
    return text if not text or may_read(reader, confidential) else CONFIDENTIAL_TITLE


@dataclass(frozen=True)
class Owed:
    """A unit's long tasks with no progress report this quarter: how many, and the
    first task numbers (as many as the message or page shows)."""

    count: int
    numbers: tuple[int, ...]
