"""Zalo as a ``jobs.channels.Channel``: the dispatcher sends through it like any other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.zalo.client import MAX_TEXT_LENGTH, ZaloClient
from jobs.channels import Button, Channel


class ZaloChannel:
    """Plain text only: Zalo bots have no buttons, so ``buttons`` are dropped.

    Nothing is lost: every digest already says in words how to answer
    ("/done 57"), because Zalo and members without buttons read the same text.
    """

    name: str = "zalo"
    max_length: int = MAX_TEXT_LENGTH

    def __init__(self, client: ZaloClient) -> None:
        self.client = client

    def __repr__(self) -> str:
        return f"ZaloChannel({self.client!r})"

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        """Send one part (the dispatcher splits at ``max_length``); return Zalo's message id."""
        sent = await self.client.send_message(chat_id, text)
        return sent.message_id


if TYPE_CHECKING:  # mypy proves ZaloChannel satisfies the protocol
    _conforms: type[Channel] = ZaloChannel
