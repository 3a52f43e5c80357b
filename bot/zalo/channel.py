"""Zalo as a ``jobs.channels.Channel``: the dispatcher sends through it like any other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.zalo.client import MAX_TEXT_LENGTH, QuotaExceeded, ZaloClient
from bot.zalo.quota import CHECK_EVERY, ZaloQuotaGate
from jobs.channels import Button, Channel, RateLimitError


class ZaloChannel:
    """Plain text only: Zalo bots have no buttons, so ``buttons`` are dropped.

    Nothing is lost: every digest already says in words how to answer
    ("/done 57"), because Zalo and members without buttons read the same text.
    """

    name: str = "zalo"
    max_length: int = MAX_TEXT_LENGTH

    def __init__(self, client: ZaloClient, gate: ZaloQuotaGate | None = None) -> None:
        self.client = client
        self.gate = gate  # the plan's quota: paused after a 429 (None: not kept)

    def __repr__(self) -> str:
        return f"ZaloChannel({self.client!r})"

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        """Send one part (the dispatcher splits at ``max_length``); return Zalo's message id.

        While the quota is spent, refuse locally with a ``RateLimitError``: the dispatcher
        holds Zalo's rows and asks again in ``CHECK_EVERY`` seconds; Telegram goes on.
        """
        if self.gate is not None and await self.gate.paused():
            raise RateLimitError(CHECK_EVERY, "Zalo paused: the plan's monthly quota is spent")
        try:
            sent = await self.client.send_message(chat_id, text)
        except QuotaExceeded:
            if self.gate is None:
                raise
            await self.gate.exceeded()
            raise RateLimitError(CHECK_EVERY, "Zalo quota exceeded: paused") from None
        return sent.message_id


if TYPE_CHECKING:  # mypy proves ZaloChannel satisfies the protocol
    _conforms: type[Channel] = ZaloChannel
