"""A button's payload, typed: what a tap asks for, encoded once and decoded once.

Telegram carries at most 64 bytes of callback data; the wire format stays the one
messages already in chats carry ("done:57", "ext-ok:K7P2Q", "cf-ok:57:hcqt"). A payload
that does not decode (foreign, forged, too long, a number no task could have) is None.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from jobs.channels import Button

MAX_NUMBER = 10_000_000  # a task number; anything longer was not sent by us
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


class ButtonVerb(StrEnum):
    DONE = "done"
    APPROVE = "ext-ok"
    REFUSE = "ext-no"
    CONFIRM = "cf-ok"
    RETURN = "cf-no"


@dataclass(frozen=True)
class ButtonAction:
    verb: ButtonVerb
    number: int = 0  # the task (done, confirm, return)
    code: str = ""  # the extension request's code, or the unit's code (confirm, return)

    def encode(self) -> str:
        if self.verb is ButtonVerb.DONE:
            return f"{self.verb}:{self.number}"
        if self.verb in (ButtonVerb.APPROVE, ButtonVerb.REFUSE):
            return f"{self.verb}:{self.code}"
        return f"{self.verb}:{self.number}:{self.code}"

    @classmethod
    def decode(cls, data: str) -> ButtonAction | None:
        head, _, rest = data.partition(":")
        try:
            verb = ButtonVerb(head)
        except ValueError:
            return None
        if verb in (ButtonVerb.APPROVE, ButtonVerb.REFUSE):
            return cls(verb, code=rest) if _CODE.match(rest) else None
        number_text, _, code = rest.partition(":")
        if not number_text.isdigit() or len(number_text) > 8:
            return None
        number = int(number_text)
        if not 0 < number < MAX_NUMBER:
            return None
        if verb is ButtonVerb.DONE:
            return cls(verb, number) if not code else None
        return cls(verb, number, code) if _CODE.match(code) else None


def done_buttons(numbers: Collection[int], limit: int = 12) -> tuple[Button, ...]:
    return tuple(
        Button(f"✅ Xong #{n}", ButtonAction(ButtonVerb.DONE, n).encode())
        for n in list(numbers)[:limit]
    )


def confirmation_buttons(number: int, unit: str) -> tuple[Button, ...]:
    """Under a unit's reported completion in the office's chat (confirmation on)."""
    return (
        Button("✅ Xác nhận", ButtonAction(ButtonVerb.CONFIRM, number, unit).encode()),
        Button("↩️ Trả lại", ButtonAction(ButtonVerb.RETURN, number, unit).encode()),
    )


def decision_buttons(code: str) -> tuple[Button, ...]:
    """Under an extension request in the office's chat."""
    return (
        Button("✅ Duyệt", ButtonAction(ButtonVerb.APPROVE, code=code).encode()),
        Button("❌ Từ chối", ButtonAction(ButtonVerb.REFUSE, code=code).encode()),
    )
