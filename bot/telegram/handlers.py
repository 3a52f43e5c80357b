"""Thin python-telegram-bot handlers: Update → Sender + text → ChatService → reply.

The service's database work runs in a worker thread (``asyncio.to_thread``): the
event loop keeps serving other chats meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import BotCommand, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.access import DoneBy, Sender
from bot.commands.parsing import parse_command
from bot.service import SORRY, ChatService, Commands
from bot.telegram.channel import keyboard

log = logging.getLogger(__name__)


def menu(commands: Commands) -> list[BotCommand]:
    """Telegram's command menu (``set_my_commands``), from the command table."""
    return [BotCommand(name, description) for name, description in commands.menu()]


def _sender(update: Update, is_chat_admin: bool = False) -> Sender | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    return Sender(
        channel="telegram",
        chat_id=str(chat.id),
        user_id=str(user.id),
        user_name=user.full_name,
        is_group=chat.type in (ChatType.GROUP, ChatType.SUPERGROUP),
        is_chat_admin=is_chat_admin,
    )


async def _is_chat_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("could not read chat member status: %s", exc)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


class TelegramHandlers:
    def __init__(self, service: ChatService) -> None:
        self.service = service

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        names = bot_names(context.bot.username)
        admin = False
        if self.service.done_by is DoneBy.ADMINS:
            commands = self.service.commands
            command = parse_command(message.text, commands, names)
            spec = commands.get(command.name) if command is not None else None
            if spec is not None and spec.needs_member_status:
                admin = await _is_chat_admin(update, context)
        sender = _sender(update, admin)
        if sender is None:
            return
        reply = await asyncio.to_thread(self.service.handle, sender, message.text, names)
        if reply is not None:
            await message.reply_text(reply.text, reply_markup=keyboard(reply.buttons))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        admin = (
            await _is_chat_admin(update, context)
            if self.service.done_by is DoneBy.ADMINS
            else False
        )
        sender = _sender(update, admin)
        if sender is None or query.data is None:
            await query.answer()
            return
        result = await asyncio.to_thread(self.service.press, sender, query.data)
        await query.answer(result.answer)
        message = query.message
        if result.mark and isinstance(message, Message) and message.text:
            await query.edit_message_text(
                f"{message.text}\n{result.mark}", reply_markup=message.reply_markup
            )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            with contextlib.suppress(TelegramError):
                await update.effective_message.reply_text(SORRY)


def bot_names(username: str | None) -> tuple[str, ...]:
    return (username,) if username else ()
