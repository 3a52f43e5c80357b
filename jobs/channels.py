"""The one small interface every sending goes through.

Telegram, Zalo, the console and the tests' fake implement ``Channel``; the
dispatcher only knows this module. Errors say what to do next: wait
(``RateLimitError``), try again later (``TransientError``) or stop (``PermanentError``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Protocol, TextIO


@dataclass(frozen=True)
class Button:
    """A one-tap action under a message ("✅ Xong #57"); platforms without buttons ignore it."""

    label: str
    data: str


class ChannelError(Exception):
    """Base of what a channel may raise; the message never contains a secret."""


class TransientError(ChannelError):
    """Network trouble or a 5xx: the same message may be tried again later."""


class RateLimitError(TransientError):
    def __init__(self, retry_after: float, message: str = "rate limited") -> None:
        super().__init__(f"{message} (retry after {retry_after:g}s)")
        self.retry_after = retry_after


class PermanentError(ChannelError):
    """The chat is gone, the bot was removed, the text is refused: retrying will not help."""


class Channel(Protocol):
    name: str
    max_length: int

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        """Send one message of at most ``max_length`` characters; return its platform id."""
        ...


def split_message(text: str, limit: int = 4096) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line ends (a too long line: at a word)."""
    if not text.strip():
        return []
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single line longer than a message
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]


@dataclass
class ConsoleChannel:
    """Prints messages: the demo and a bot run without any token."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    name: str = "console"
    max_length: int = 4096
    _counter: int = 0

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        self._counter += 1
        rule = "─" * 60
        tail = ("\n" + "  ".join(f"[{b.label}]" for b in buttons)) if buttons else ""
        self.stream.write(f"\n{rule}\n→ {chat_id}\n{rule}\n{text}{tail}\n")
        self.stream.flush()
        return f"console-{self._counter}"
