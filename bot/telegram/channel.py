"""Telegram behind the one Channel interface the dispatcher knows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from jobs.channels import Button, PermanentError, RateLimitError, TransientError

MAX_LENGTH = 4096

Migrated = Callable[[str, str], Awaitable[object]]  # (old chat id, new chat id)


async def _unmoved(old: str, new: str) -> None:
    return None


def keyboard(buttons: tuple[Button, ...], per_row: int = 3) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.data) for b in buttons[i : i + per_row]]
        for i in range(0, len(buttons), per_row)
    ]
    return InlineKeyboardMarkup(rows)


class TelegramChannel:
    """Sends through a PTB ``Bot`` (the application's, paced by ``TelegramPacing``)."""

    name = "telegram"
    max_length = MAX_LENGTH

    def __init__(self, bot: Bot, on_migrated: Migrated = _unmoved) -> None:
        self.bot = bot
        self.on_migrated = on_migrated  # moves the binding and the waiting messages

    async def send(self, chat_id: str, text: str, buttons: tuple[Button, ...] = ()) -> str:
        """Send once; a group upgraded to a supergroup is followed to its new id (once:
        Telegram delivered nothing to the old one)."""
        try:
            return await self._send(chat_id, text, buttons)
        except ChatMigrated as exc:
            new = str(exc.new_chat_id)
            await self.on_migrated(chat_id, new)
        try:
            return await self._send(new, text, buttons)
        except ChatMigrated as exc:  # moved twice at once: not followed further
            raise PermanentError(f"Telegram chat moved again to {exc.new_chat_id}") from None

    async def _send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
        try:
            message = await self.bot.send_message(
                chat_id=int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id,
                text=text,
                reply_markup=keyboard(buttons),
            )
        except ChatMigrated:
            raise
        except RetryAfter as exc:
            delay = exc.retry_after
            seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
            raise RateLimitError(float(seconds), "Telegram flood control") from None
        except (Forbidden, BadRequest) as exc:
            raise PermanentError(f"Telegram refused: {exc.message}") from None
        except NetworkError as exc:  # includes TimedOut
            raise TransientError(f"Telegram network error: {exc.message}") from None
        except TelegramError as exc:
            raise TransientError(f"Telegram error: {exc.message}") from None
        return str(message.message_id)
