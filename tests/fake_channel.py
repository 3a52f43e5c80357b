"""A Channel for tests: records what was sent, fails on demand."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from jobs.channels import Button


@dataclass
class Sent:
    chat_id: str
    text: str
    buttons: tuple[Button, ...]
    message_id: str


@dataclass
class FakeChannel:
    name: str = "fake"
    max_length: int = 4096
    delay: float = 0.0  # seconds per send, to let concurrent workers interleave
    failures: list[Exception] = field(default_factory=list)  # raised by the next sends, in order
    sent: list[Sent] = field(default_factory=list)

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            raise self.failures.pop(0)
        message_id = f"{self.name}-{len(self.sent) + 1}"
        self.sent.append(Sent(chat_id, text, buttons, message_id))
        return message_id

    def to(self, chat_id: str) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]
