"""Reading what members type into a command, the same way on Telegram and Zalo.

People type on phones: a Vietnamese keyboard adds diacritics (``/tuầnnày``), some
input methods produce full-width characters (``／done　５７``), Telegram appends
``@BotName`` in groups and Zalo puts an ``@mention`` of the bot before or after the
text. Everything here folds that away, so the handlers see one canonical ASCII
command name and its arguments, whatever the platform and the keyboard.

Decisions the product text leaves open:

* A ``/word`` that is addressed to us but is no command we know is returned as
  ``Command("unknown:<word>")`` (never ``None``), so the handler can answer
  "Lệnh không rõ…" and list the commands; ``None`` means "not a command for us"
  (plain chat text, or ``/cmd@OtherBot``) and must be ignored silently.
* Only the token right after the slash is the command: ``/hôm nay`` is
  ``unknown:hom`` with the argument ``nay``, not ``homnay``.
* ``/done57`` (no space) is read as ``/done 57`` for known commands.
* Task numbers: ``57``, ``#57``, ``số 57``, ``57,58 59``, ``57; 58``, ``57 và 58``.
  A range (``57-59``), a sign, zero, letters glued to digits or more than
  ``MAX_TASK_NUMBER`` are reported in ``errors`` rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from typing import Final, Protocol

from data.text import fold

UNKNOWN_PREFIX: Final = "unknown:"
MAX_TASK_NUMBER: Final = 999_999  # task numbers are short; a longer run of digits is a typo

# Characters phones and Zalo mentions slip into text that are invisible to the user.
_INVISIBLE: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NAME_RE: Final = re.compile(r"[a-z][a-z0-9_-]*")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]+")
_TRAILING_PUNCT: Final = ":,.;!?"
_TOKEN_RE: Final = re.compile(r"[^\s,;、]+")  # numbers may be separated by spaces, , ; 、
_DIGITS_RE: Final = re.compile(r"[0-9]+")
_NUMBERISH_RE: Final = re.compile(r"[+\-–]?[0-9]\w*|[0-9]+[\-–][0-9]+")
_MONTH_RE: Final = re.compile(r"(\d{1,2})/(\d{4})(?=\s|$)")  # "05/2026": a month
_NUMBER_WORDS: Final = frozenset({"so", "nv"})  # "số 57", "nv 57" (nhiệm vụ)
_JOIN_WORDS: Final = frozenset({"va", "&", "and"})  # "57 và 58"


@dataclass(frozen=True)
class Command:
    """A command addressed to us: ``name`` is canonical ASCII ("done", "unknown:abc")."""

    name: str
    args: str
    raw: str

    @property
    def is_unknown(self) -> bool:
        return self.name.startswith(UNKNOWN_PREFIX)

    @property
    def typed(self) -> str:
        """The folded word the user typed, for an answer like "Lệnh /abc không rõ"."""
        return self.name.removeprefix(UNKNOWN_PREFIX)


@dataclass(frozen=True)
class NumbersResult:
    """Task numbers read from the start of the arguments, then the free text after them."""

    numbers: tuple[int, ...]
    note: str
    errors: tuple[str, ...]


def normalize(text: str) -> str:
    """NFKC (full-width letters, digits, spaces and slash become ASCII) minus invisible marks."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


class CommandWords(Protocol):
    """What the parser needs of the command table: which command a typed word means."""

    def canonical(self, word: str) -> str | None: ...


def parse_command(
    text: str, commands: CommandWords, bot_names: Collection[str] = ()
) -> Command | None:
    """Read a chat message as a command (of ``commands``) to us; None when it is not one.

    ``bot_names`` are our Telegram username(s) and Zalo display name(s), with or
    without "@"; when given, ``/cmd@Other`` is refused and @mentions of us are
    removed wherever they are. Pass them: Zalo display names may contain spaces,
    which only a known name lets us recognise as one mention.
    """
    if not text:
        return None
    names = _folded_names(bot_names)
    tokens = _drop_mentions(normalize(text).split(), names)
    start = 0
    while start < len(tokens) and tokens[start].startswith("@"):
        start += 1  # other leading mentions ("@An /done 57") do not hide the command
    if start >= len(tokens) or not tokens[start].startswith("/"):
        return None
    word, rest = tokens[start][1:], tokens[start + 1 :]
    if not word:  # "/ done 57": a space typed after the slash
        if not rest:
            return None
        word, rest = rest[0], rest[1:]
    word, _, target = word.partition("@")
    target = target.rstrip(_TRAILING_PUNCT)
    if target and names and fold(target) not in {"".join(name) for name in names}:
        return None  # Telegram: "/done@OtherBot" is for another bot in the group
    word = word.rstrip(_TRAILING_PUNCT)
    folded = fold(word)
    name = commands.canonical(folded) if _NAME_RE.fullmatch(folded) else None
    if name is not None:
        return Command(name=name, args=" ".join(rest), raw=text)
    glued = _LETTERS_RE.match(word)  # "/done57", "/xong#57"
    if glued and word[glued.end() :][:1] in set("#0123456789"):
        glued_name = commands.canonical(glued.group())
        if glued_name is not None:
            args = " ".join([word[glued.end() :], *rest])
            return Command(name=glued_name, args=args, raw=text)
    if _NAME_RE.fullmatch(folded):
        return Command(name=f"{UNKNOWN_PREFIX}{folded}", args=" ".join(rest), raw=text)
    return None  # "/home/user", "/123", "/:)": not a command


def _folded_names(bot_names: Collection[str]) -> list[tuple[str, ...]]:
    """Each name as folded words, longest first, so "@Nhắc Việc" wins over "@Nhắc"."""
    names = {tuple(fold(n).lstrip("@").split()) for n in bot_names}
    return sorted((n for n in names if n), key=len, reverse=True)


def _drop_mentions(tokens: list[str], names: list[tuple[str, ...]]) -> list[str]:
    """Tokens without any "@<one of our names>" (a name may span several tokens)."""
    if not names:
        return tokens
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].startswith("@"):
            skip = _mention_length(tokens, i, names)
            if skip:
                i += skip
                continue
        kept.append(tokens[i])
        i += 1
    return kept


def _mention_length(tokens: list[str], i: int, names: list[tuple[str, ...]]) -> int:
    for name in names:
        window = tokens[i : i + len(name)]
        if len(window) < len(name):
            continue
        words = [fold(w) for w in window]
        words[0] = words[0][1:]
        words[-1] = words[-1].rstrip(_TRAILING_PUNCT)
        if tuple(words) == name:
            return len(name)
    return 0


class _Kind(Enum):
    NUMBER = "number"
    ERROR = "error"
    FILLER = "filler"
    JOIN = "join"
    TEXT = "text"


def _classify(token: str) -> tuple[_Kind, int]:
    core = token.strip("()[]").rstrip(".:!?").lstrip("#")
    folded = fold(core)
    if len(folded) > 2 and folded[:2] in _NUMBER_WORDS and folded[2].isdigit():
        core = core[2:]  # "số57"
        folded = folded[2:]
    if not core or folded in _NUMBER_WORDS:
        return _Kind.FILLER, 0
    if folded in _JOIN_WORDS:
        return _Kind.JOIN, 0
    if _DIGITS_RE.fullmatch(core):
        value = int(core)
        return (_Kind.NUMBER, value) if 1 <= value <= MAX_TASK_NUMBER else (_Kind.ERROR, 0)
    if _NUMBERISH_RE.fullmatch(core):
        return _Kind.ERROR, 0
    return _Kind.TEXT, 0


def parse_task_numbers(args: str, *, limit: int | None = None) -> NumbersResult:
    """Task numbers at the start of ``args``; the rest (from the first word) is the note.

    ``limit`` stops after that many number-like tokens: ``/giahan 57 30-6 lý do``
    wants one number and keeps "30-6 lý do" as the rest.
    """
    text = normalize(args)
    tokens = list(_TOKEN_RE.finditer(text))
    numbers: list[int] = []
    errors: list[str] = []
    note_start = len(text)
    i = 0
    while i < len(tokens):
        taken = len(numbers) + len(errors)
        if limit is not None and taken >= limit:
            note_start = tokens[i].start()
            break
        kind, value = _classify(tokens[i].group())
        nxt = _classify(tokens[i + 1].group())[0] if i + 1 < len(tokens) else _Kind.TEXT
        if kind is _Kind.NUMBER:
            if value not in numbers:
                numbers.append(value)
        elif kind is _Kind.ERROR:
            errors.append(tokens[i].group())
        elif (kind is _Kind.FILLER or (kind is _Kind.JOIN and taken)) and nxt in (
            _Kind.NUMBER,
            _Kind.ERROR,
        ):
            pass  # "số 57", "57 và 58", "# 57"
        else:
            note_start = tokens[i].start()
            break
        i += 1
    note = text[note_start:].strip().lstrip("-–—:").strip()
    return NumbersResult(numbers=tuple(numbers), note=note, errors=tuple(errors))


@dataclass(frozen=True)
class MonthResult:
    """A month at the start of a note ("/done 9 05/2026 đã gửi"): the occurrence of a
    recurring task in that month; ``bad``: a month-like token that is no month."""

    month: tuple[int, int] | None  # (year, month)
    rest: str
    bad: str = ""


def split_month(note: str) -> MonthResult:
    found = _MONTH_RE.match(note)
    if found is None:
        return MonthResult(None, note)
    rest = note[found.end() :].strip()
    month, year = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return MonthResult(None, rest, found.group())
    return MonthResult((year, month), rest)
