"""The command table: every chat command once, with all that is said about it.

The parser (which words are commands), /help, Telegram's command menu, the
service's dispatch, who may use a command and whether the adapter must ask the
platform for the sender's member status are all read from one ``CommandTable``.
A command that is not in the table is not advertised or answered anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from data.text import fold

H = TypeVar("H", bound=Callable[..., object])


class Access(StrEnum):
    """Where a command may be used."""

    ANYONE = "anyone"  # any chat, registered or not (/start, /help, /dangky)
    REGISTERED = "registered"  # a unit's group, the office or the supervising chat
    OFFICE = "office"  # the office's chat (or an office admin anywhere)


@dataclass(frozen=True)
class CommandSpec(Generic[H]):
    name: str  # ASCII, what is typed after the slash
    usage: str  # "/done <số> [ghi chú]"
    summary: str  # one line: the platform's command menu
    handler: H
    aliases: tuple[str, ...] = ()  # other words people type ("xong", "hoanthanh")
    access: Access = Access.REGISTERED
    needs_member_status: bool = False  # the adapter asks whether the sender is a group admin
    in_menu: bool = True  # listed in the platform's command menu


def _key(word: str) -> str:
    return fold(word).replace("_", "").replace("-", "").replace(" ", "")


class CommandTable(Generic[H]):
    def __init__(self, specs: Iterable[CommandSpec[H]], header: str = "") -> None:
        self.specs = tuple(specs)
        self.header = header
        self._by_word: dict[str, CommandSpec[H]] = {}
        for spec in self.specs:
            for word in (spec.name, *spec.aliases):
                key = _key(word)
                if key in self._by_word:
                    raise ValueError(f"command word {word!r} is used twice")
                self._by_word[key] = spec

    def __iter__(self) -> Iterator[CommandSpec[H]]:
        return iter(self.specs)

    def canonical(self, word: str) -> str | None:
        """The command a typed word means (diacritics, case, aliases folded), or None."""
        spec = self._by_word.get(_key(word))
        return spec.name if spec else None

    def get(self, name: str) -> CommandSpec[H] | None:
        spec = self._by_word.get(_key(name))
        return spec if spec is not None and spec.name == name else None

    def with_command(self, spec: CommandSpec[H]) -> CommandTable[H]:
        return CommandTable((*self.specs, spec), self.header)

    def help_text(self) -> str:
        lines = [self.header, "", "Các lệnh:"] if self.header else ["Các lệnh:"]
        for spec in self.specs:
            also = f" (hoặc {', '.join('/' + a for a in spec.aliases)})" if spec.aliases else ""
            lines.append(f"{spec.usage}{also} — {spec.summary}")
        return "\n".join(lines)

    def menu(self) -> list[tuple[str, str]]:
        """(command, description) pairs for a platform's command menu."""
        return [(spec.name, spec.summary) for spec in self.specs if spec.in_menu]
