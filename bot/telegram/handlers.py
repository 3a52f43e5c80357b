"""Thin python-telegram-bot handlers: Update → Sender + text → ChatService → reply.

The service's database work runs in a worker thread (``asyncio.to_thread``), and
updates of different chats are handled concurrently (``PerChatUpdates``): one
group's flood, paced at Telegram's 20 messages a minute, never delays another
group; a chat's own updates still run one after another, in order.

An answer is cut into Telegram-sized parts (4,096 characters, at line ends). Once
the service has committed, a failing send is retried and logged, never answered
with the apology: what was done stays done and the member is not told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import BaseUpdateProcessor, ContextTypes

from bot.access import DoneBy, Sender
from bot.commands.parsing import parse_command
from bot.commands.table import Access
from bot.service import FILE_CAPTION, FILE_COMMANDS, SORRY, ChatService, Commands, Reply
from bot.telegram.channel import MAX_LENGTH, keyboard
from bot.telegram.membership import ChatChanges, Removal
from data import chat_store, part_files
from data.domain import ChannelName, ChatRole
from jobs.channels import split_message

log = logging.getLogger(__name__)

OFFICE_ROLES = (ChatRole.ADMIN, ChatRole.SUPERVISOR)


def menu(commands: Commands, *, office: bool = True) -> list[BotCommand]:
    """Telegram's command menu (``set_my_commands``), from the command table; without
    ``office``, the commands a unit's group can use (no office-only ones)."""
    return [
        BotCommand(spec.name, spec.summary)
        for spec in commands.specs
        if spec.in_menu and (office or spec.access is not Access.OFFICE)
    ]


def office_chats(service: ChatService) -> list[int]:
    """The Telegram chats bound as the office's (admin or supervisor): their menu is full."""
    with service.sessions() as session:
        return [
            int(c.chat_id)
            for c in chat_store.list_chats(session)
            if c.channel == ChannelName.TELEGRAM
            and c.role in OFFICE_ROLES
            and c.chat_id.lstrip("-").isdigit()
        ]


async def set_menus(bot: Bot, service: ChatService) -> None:
    """Menus per scope: unit commands in groups and private chats, the office's in its chats."""
    unit = menu(service.commands, office=False)
    await bot.set_my_commands(unit, scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands(unit, scope=BotCommandScopeAllPrivateChats())
    full = menu(service.commands)
    for chat_id in await asyncio.to_thread(office_chats, service):
        await bot.set_my_commands(full, scope=BotCommandScopeChat(chat_id))


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
    def __init__(
        self, service: ChatService, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self.service = service
        self.sleep = sleep
        self.changes = ChatChanges(service.sessions, service.clock)

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group upgraded to a supergroup: said in the old chat (``migrate_to_chat_id``)
        and in the new one (``migrate_from_chat_id``); the first moves the binding."""
        message = update.effective_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            await self.changes.migrated_async(str(message.chat_id), str(message.migrate_to_chat_id))
        elif message.migrate_from_chat_id is not None:
            await self.changes.migrated_async(
                str(message.migrate_from_chat_id), str(message.chat_id)
            )

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot's own status in a chat changed: removed → park and tell the office."""
        change = update.my_chat_member
        if change is None:
            return
        status = change.new_chat_member.status
        how = {ChatMemberStatus.LEFT: Removal.LEFT, ChatMemberStatus.BANNED: Removal.KICKED}
        removal = how.get(status)  # type: ignore[call-overload]
        if removal is not None:
            await self.changes.removed_async(str(change.chat.id), removal)

    async def _office_menu(self, bot: Bot, sender: Sender) -> None:
        """A chat just registered as the office's gets the office's menu."""

        def is_office() -> bool:
            with self.service.sessions() as session:
                chat = chat_store.find_chat(session, sender.address)
                return chat is not None and chat.role in OFFICE_ROLES

        try:
            if sender.chat_id.lstrip("-").isdigit() and await asyncio.to_thread(is_office):
                await bot.set_my_commands(
                    menu(self.service.commands), scope=BotCommandScopeChat(int(sender.chat_id))
                )
        except Exception as exc:  # a convenience after committed work: never the apology
            log.warning("office menu not set for %s: %s", sender.where, exc)

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
        # a failure here (the store, a bug) reaches on_error: nothing was done, say sorry
        reply = await asyncio.to_thread(self.service.handle, sender, message.text, names)
        if reply is None:
            return
        # from here on the work is committed: a failing send is retried and logged only
        command = parse_command(message.text, self.service.commands, names)
        if command is not None and command.name in ("dangky", "start") and command.args:
            await self._office_menu(context.bot, sender)
        parts = split_message(reply.text, MAX_LENGTH)
        sent: list[str] = []  # the message ids: kept with the tasks the answer is about
        for index, part in enumerate(parts):
            markup = keyboard(reply.buttons) if index == len(parts) - 1 else None

            async def send(text: str = part, markup: Any = markup) -> object:
                answer = await message.reply_text(text, reply_markup=markup)
                sent.append(str(answer.message_id))
                return answer

            where = f"answer to {sender.where} (part {index + 1}/{len(parts)})"
            if not await deliver(send, where, sleep=self.sleep):
                break  # the rest would arrive out of order; the log says what was lost
        await self._remember(sender, sent, reply)
        if len(sent) < len(parts):
            return
        attachment = reply.attachment
        if attachment is not None:  # the .xlsx report: Telegram takes documents

            def send_file(file: Any = attachment) -> Awaitable[object]:
                return message.reply_document(file.content, filename=file.filename)

            await deliver(send_file, f"document to {sender.where}", sleep=self.sleep)

    async def _remember(self, sender: Sender, sent: list[str], reply: Reply) -> None:
        """Keep which tasks the answer just sent was about (after committed work: a
        failure is logged, never answered with the apology)."""
        if not reply.about or not sent:
            return
        try:
            await asyncio.to_thread(self.service.remember, sender, sent, reply)
        except Exception as exc:
            log.warning("answer to %s not remembered: %s", sender.where, exc)

    async def _answer(self, message: Message, sender: Sender, reply: Reply) -> None:
        """A short answer (a file's), remembered with the tasks it is about."""
        sent: list[str] = []

        async def send(text: str = reply.text) -> object:
            answer = await message.reply_text(text)
            sent.append(str(answer.message_id))
            return answer

        await deliver(send, f"answer to {sender.where}", sleep=self.sleep)
        await self._remember(sender, sent, reply)

    async def _fetch(self, bot: Bot, file_id: str, size: int | None) -> bytes | str:
        """The file's bytes, or why not (over the limit: never downloaded)."""
        if size is not None and size > part_files.MAX_FILE_BYTES:
            return (
                f"Không nhận tệp: tệp quá lớn ({size / part_files.MIB:.1f} MB); giới hạn là 20 MB."
            )
        content = await fetch_file(bot, file_id, sleep=self.sleep)
        if content is None:
            return "Chưa tải được tệp từ Telegram. Vui lòng gửi lại sau ít phút."
        return content

    async def on_file_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A document or photo without a command, replying to our message about one task
        of this unit (a digest, a /chitiet answer, the request for the file): kept on
        that task's part. A message about several tasks: the caption is asked for."""
        message = update.effective_message
        replied = message.reply_to_message if message is not None else None
        if message is None or replied is None:
            return
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return  # a file between members: not ours
        sender = _sender(update)
        if sender is None:
            return
        target = await asyncio.to_thread(self.service.file_target, sender, str(replied.message_id))
        if target.number is None:
            if target.reply is not None:
                await self._answer(message, sender, target.reply)
            return
        file_id, name, size = _file_of(message)
        content = await self._fetch(context.bot, file_id, size)
        if isinstance(content, str):
            await self._answer(message, sender, Reply(content))
            return
        reply = await asyncio.to_thread(
            self.service.attach_file, sender, target.number, name, content
        )
        await self._answer(message, sender, reply)

    async def on_file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A document or photo captioned ``/done 57`` (or ``/capnhat 57 …``): fetched with
        retries (never over the limit), kept on the unit's part in a worker thread, then
        the caption runs as its command."""
        message = update.effective_message
        if message is None or not message.caption:
            return
        admin = self.service.done_by is DoneBy.ADMINS and await _is_chat_admin(update, context)
        sender = _sender(update, admin)
        if sender is None:
            return
        names = bot_names(context.bot.username)
        command = parse_command(message.caption, self.service.commands, names)
        if command is None:
            return  # a caption for another bot, or plain words
        file_id, name, size = _file_of(message)
        if command.name not in FILE_COMMANDS:  # nothing to keep the file for: not fetched
            await self._answer(message, sender, Reply(FILE_CAPTION))
            return
        content = await self._fetch(context.bot, file_id, size)
        if isinstance(content, str):
            await self._answer(message, sender, Reply(content))
            return
        reply = await asyncio.to_thread(
            self.service.handle_file, sender, message.caption, name, content, names
        )
        if reply is not None:
            await self._answer(message, sender, reply)

    async def on_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text replying to one of our digests: the service reads it as a progress update."""
        message = update.effective_message
        replied = message.reply_to_message if message is not None else None
        if message is None or not message.text or replied is None:
            return
        if replied.from_user is None or replied.from_user.id != context.bot.id:
            return  # members talking to each other: not ours to read
        sender = _sender(update)
        if sender is None:
            return
        reply = await asyncio.to_thread(
            self.service.reply_to, sender, message.text, str(replied.message_id)
        )
        if reply is None:
            return

        def send(text: str = reply.text) -> Awaitable[object]:
            return message.reply_text(text)

        await deliver(send, f"answer to {sender.where}", sleep=self.sleep)

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
        # committed: from here on a failure is logged, never turned into the apology
        try:
            await query.answer(result.answer)
        except TelegramError as exc:  # a query too old to answer: the mark below still shows
            log.warning("button answer to %s not shown: %s", sender.where, exc)
        message = query.message
        if result.mark and isinstance(message, Message) and message.text:
            text, markup = f"{message.text}\n{result.mark}", message.reply_markup

            def edit() -> Awaitable[object]:
                return query.edit_message_text(text, reply_markup=markup)

            if len(text) <= MAX_LENGTH:
                await deliver(edit, f"mark on {sender.where}", sleep=self.sleep)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update failed: %s", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            with contextlib.suppress(TelegramError):
                await update.effective_message.reply_text(SORRY)


def _file_of(message: Message) -> tuple[str, str, int | None]:
    """(file id, the sender's file name, size) of a document, or of a photo's largest size."""
    if message.document is not None:
        document = message.document
        return document.file_id, document.file_name or "", document.file_size
    photo = message.photo[-1]
    return photo.file_id, "", photo.file_size


async def fetch_file(
    bot: Bot,
    file_id: str,
    *,
    attempts: int = 3,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> bytes | None:
    """The bytes of a file sent to the bot (``getFile``, then the download), retried on
    network trouble (1, 2 s); None, logged, when Telegram refuses it or it never comes."""
    for attempt in range(attempts):
        try:
            found = await bot.get_file(file_id)
            return bytes(await found.download_as_bytearray())
        except RetryAfter as exc:
            await sleep(min(_seconds(exc.retry_after), 30.0))
        except (BadRequest, Forbidden) as exc:  # "file is too big", gone: not retried
            log.warning("file %s refused by Telegram: %s", file_id, exc.message)
            return None
        except TelegramError as exc:
            log.warning("file %s not fetched (%s), attempt %d", file_id, exc.message, attempt + 1)
            if attempt + 1 < attempts:
                await sleep(2.0**attempt)
    return None


def bot_names(username: str | None) -> tuple[str, ...]:
    return (username,) if username else ()


def _seconds(delay: float | timedelta) -> float:
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


async def deliver(
    send: Callable[[], Awaitable[object]],
    what: str,
    *,
    attempts: int = 4,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    max_wait: float = 60.0,
) -> bool:
    """Send after the work is committed: retry what may pass later, log what will not.

    Flood control (``RetryAfter``) waits as told (up to ``max_wait``); network trouble
    waits 1, 2, 4 s; a refusal (``BadRequest``/``Forbidden``) is not retried. False,
    logged at ERROR, when it finally did not go.
    """
    for attempt in range(attempts):
        try:
            await send()
        except RetryAfter as exc:
            wait = _seconds(exc.retry_after)
            if wait > max_wait:
                log.error("%s not sent: flood control for %.0fs", what, wait)
                return False
            await sleep(wait)
        except (BadRequest, Forbidden) as exc:  # BadRequest first: it is a NetworkError too
            log.error("%s refused by Telegram: %s", what, exc.message)
            return False
        except TelegramError as exc:  # network trouble, a timeout, a 5xx
            if attempt + 1 < attempts:
                log.warning("%s failed (%s); retrying", what, exc.message)
                await sleep(2.0**attempt)
            else:
                log.error("%s not sent after %d attempts: %s", what, attempts, exc.message)
        else:
            return True
    return False


class PerChatUpdates(BaseUpdateProcessor):
    """Updates of different chats at once; each chat's updates one by one, in order.

    python-telegram-bot creates a task per update in arrival order; each waits here
    for its chat's lock (asyncio locks wake waiters first come, first served). The
    ``max_concurrent_updates`` bound is generous because a waiting update costs
    little and a busy chat must not take every slot from the others.
    """

    def __init__(self, max_concurrent_updates: int = 512) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: defaultdict[int, int] = defaultdict(int)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._waiting[chat.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat.id] -= 1
            if not self._waiting[chat.id]:  # no one else queued: forget the chat
                del self._waiting[chat.id]
                self._locks.pop(chat.id, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
