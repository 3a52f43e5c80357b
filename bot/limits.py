"""Limits that keep one chat, one stranger or one flood from costing everyone else.

The numbers, and why:

* **Registration attempts** (``/dangky <mã>``): at most ``5`` per chat in 10 minutes
  and ``10`` per person (platform user id) in an hour. A clerk who mistypes the code
  twice is never stopped; guessing an 8-character code (32⁸ ≈ 10¹²) at 10 an hour is
  hopeless. A refused attempt reads no code, writes no audit row (only the first
  refusal of a run is audited) and is not counted, so the lock lifts on time. Across
  all chats, at most ``120`` attempts an hour: 2,000 chats cannot make 2,000 guesses
  (an office registering its groups on day one makes a few dozen).
* **Zalo replies and the monthly cap**: reminders come first. Replies to commands may
  use the cap minus a reserve of one third (``reply_cap``: 2,000 of 3,000), so at
  least 1,000 messages a month stay for the digests (≈ 40 groups × 22 working days
  of one-part digests), whatever strangers or busy groups type. A reply is counted
  *before* it is sent (refunded if it fails), so concurrent replies never go past.
* **Strangers** (a Zalo chat that is not registered after its message was handled):
  at most one answer a day per chat (``data.processed_updates.once_a_day``), and all
  strangers together at most ``NHACVIEC_ZALO_STRANGER_REPLIES`` (100) a month, their
  own share, so unknown chats never spend the units' replies; a successful
  ``/dangky`` makes the chat registered, so its answer always goes.
* **What one message may carry** (checked at the edge, before anything is read or
  stored): a note or reason of at most ``MAX_NOTE_CHARS`` (2,000) characters — a
  progress report, not a document; at most ``MAX_TASK_NUMBERS`` (30) task numbers in
  one command, answered once (a 4,093-character ``/done 1 2 …`` gave 14 messages);
  no NUL nor text that is not valid Unicode (PostgreSQL refuses both); button data of
  at most 64 characters (Telegram's own limit), task numbers as the parser bounds them;
  an extension to at most five years ahead (``MAX_EXTENSION``).
* **A platform that cannot start** retries on its own: ``Backoff`` waits 5 s, 10 s,
  20 s, … up to 5 minutes between attempts, forever, while the other platform runs.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from bot.commands.parsing import parse_task_numbers

RESERVE_SHARE: Final = 1 / 3  # of a monthly cap, kept for reminders
MAX_NOTE_CHARS: Final = 2_000
MAX_TASK_NUMBERS: Final = 30
MAX_BUTTON_DATA: Final = 64
MAX_EXTENSION: Final = timedelta(days=5 * 365)  # a plan's term; 31/12/9999 is a typo
# room for the command's own words around a note: numbers, a percent, a date, a unit
_COMMAND_ROOM: Final = 120


def unreadable_text(text: str) -> bool:
    """A NUL or a lone surrogate: nothing a person typed, and no database takes it."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def command_refusal(args: str) -> str | None:
    """None when a command's arguments are within bounds, else the Vietnamese answer."""
    if unreadable_text(args):
        return "Tin nhắn có ký tự không đọc được (ký tự điều khiển). Hãy gõ lại lệnh."
    found = parse_task_numbers(args[:10_000])
    if len(found.numbers) + len(found.errors) > MAX_TASK_NUMBERS:
        return (
            f"Mỗi lệnh nhận tối đa {MAX_TASK_NUMBERS} số nhiệm vụ. "
            "Hãy chia thành nhiều lệnh; chưa có gì thay đổi."
        )
    if len(args) > MAX_NOTE_CHARS + _COMMAND_ROOM:
        limit = f"{MAX_NOTE_CHARS:,}".replace(",", ".")
        return (
            f"Tin nhắn quá dài: nội dung ghi kèm tối đa {limit} ký tự. "
            "Hãy tóm tắt rồi gửi lại; chưa có gì được ghi."
        )
    return None


def extension_refusal(to: date, today: date) -> str | None:
    """None when ``to`` is a deadline one may ask for, else the answer (31/12/9999 is not)."""
    latest = today + MAX_EXTENSION
    if to <= latest:
        return None
    return (
        f"Ngày {to:%d/%m/%Y} quá xa: chỉ xin gia hạn đến tối đa "
        f"{MAX_EXTENSION.days // 365} năm sau (đến {latest:%d/%m/%Y})."
    )


NOTE_FIELDS: Final = frozenset({"note", "reason"})  # what the console's forms call a note
MAX_FIELD_CHARS: Final = 20_000  # any other field: a title, a phrase, a list of choices


def form_refusal(fields: Iterable[tuple[str, object]]) -> str | None:
    """None when a console form is within bounds, else the Vietnamese answer.

    Text fields and uploaded files' names: no NUL (PostgreSQL refuses it), notes and
    reasons at most ``MAX_NOTE_CHARS``, anything else at most ``MAX_FIELD_CHARS``.
    """
    for name, value in fields:
        text = value if isinstance(value, str) else getattr(value, "filename", None)
        if not isinstance(text, str):
            continue
        if unreadable_text(text) or (text is not value and not text.isprintable()):
            return "Nội dung gửi lên (hoặc tên tệp) có ký tự không hợp lệ; hãy sửa rồi gửi lại."
        limit = MAX_NOTE_CHARS if name in NOTE_FIELDS else MAX_FIELD_CHARS
        if len(text) > limit:
            return f"Nội dung gửi lên quá dài (tối đa {limit:,} ký tự).".replace(",", ".")
    return None


def button_refused(data: str) -> bool:
    """Button data no button of ours carries (too long, unreadable)."""
    return len(data) > MAX_BUTTON_DATA or unreadable_text(data)


def reminder_reserve(monthly: int) -> int:
    """Messages of the month that replies never use (at least one)."""
    return max(1, math.ceil(monthly * RESERVE_SHARE)) if monthly > 0 else 0


def reply_cap(monthly: int) -> int:
    """How far this month's usage may go with replies to commands."""
    return max(0, monthly - reminder_reserve(monthly))


@dataclass(frozen=True)
class Refusal:
    """An attempt over a limit: when to try again, and whether it is the run's first."""

    retry_after: timedelta
    first: bool  # the first refusal since the last allowed attempt (audit/log it once)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


class SlidingWindow:
    """At most ``limit`` allowed attempts per key within any ``window`` (thread-safe).

    Refused attempts are not remembered as attempts: hammering does not extend the
    lock. Keys unused for a whole window are forgotten once many are kept.
    """

    def __init__(self, limit: int, window: timedelta, max_keys: int = 10_000) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._hits: dict[str, deque[datetime]] = {}
        self._refusing: set[str] = set()
        self._lock = threading.Lock()

    def check(self, key: str, now: datetime) -> Refusal | None:
        """None when another attempt is allowed now (and count it), else the refusal."""
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                first = key not in self._refusing
                self._refusing.add(key)
                return Refusal(hits[0] + self.window - now, first)
            self._refusing.discard(key)
            hits.append(now)
            if len(self._hits) > self.max_keys:
                self._forget(now)
            return None

    def peek(self, key: str, now: datetime) -> Refusal | None:
        """Like ``check`` without counting an attempt."""
        with self._lock:
            hits = [h for h in self._hits.get(key, ()) if h > now - self.window]
            if len(hits) >= self.limit:
                return Refusal(hits[0] + self.window - now, key not in self._refusing)
            return None

    def _forget(self, now: datetime) -> None:
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]
        for key in stale:
            del self._hits[key]
            self._refusing.discard(key)


@dataclass
class RegistrationLimits:
    """``/dangky`` attempts per chat, per person and across all chats (the module's numbers)."""

    per_chat: SlidingWindow = field(default_factory=lambda: SlidingWindow(5, timedelta(minutes=10)))
    per_sender: SlidingWindow = field(default_factory=lambda: SlidingWindow(10, timedelta(hours=1)))
    overall: SlidingWindow = field(default_factory=lambda: SlidingWindow(120, timedelta(hours=1)))

    def check(self, channel: str, chat_id: str, user_id: str, now: datetime) -> Refusal | None:
        """None when this attempt may go on (it is counted in both), else the refusal."""
        chat, person = f"{channel}:{chat_id}", f"{channel}:{user_id}"
        windows = ((self.per_chat, chat), (self.per_sender, person), (self.overall, "all"))
        for window, key in windows:
            refused = window.peek(key, now)
            if refused is not None:
                return window.check(key, now)  # marks the run as refusing
        for window, key in windows:
            window.check(key, now)
        return None


@dataclass(frozen=True)
class Backoff:
    """Seconds between attempts to start a platform: doubling, capped, never giving up."""

    first: float = 5.0
    factor: float = 2.0
    cap: float = 300.0

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield min(delay, self.cap)
            delay = min(delay * self.factor, self.cap)
