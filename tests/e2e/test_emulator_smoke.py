"""The harness itself: python-telegram-bot, unmodified, against the emulator."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import (
    BotCommand,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ChatType
from telegram.error import NetworkError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from .emulator import (
    BOT_USERNAME,
    HandlerErrors,
    TelegramEmulator,
    command_entities,
    make_application_builder,
    running_application,
    texts,
)

GROUP = -4001  # a chi bộ's group chat
USER = 2002


def build_app(
    emulator: TelegramEmulator, seen: dict[str, Any]
) -> Application[Any, Any, Any, Any, Any, Any]:
    """/start greets, /nut shows a button, the button edits its message."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.setdefault("start_chats", []).append(update.effective_message.chat)
        seen["greeting"] = await update.effective_message.reply_text("Xin chào")

    async def nut(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="ok")]])
        await update.effective_message.reply_text("Bấm nút", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        seen["query"] = query
        seen["answered"] = await query.answer("Đã ghi nhận")
        seen["edited"] = await query.edit_message_text("Đã bấm")

    app = make_application_builder(emulator).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("nut", nut))
    app.add_handler(CallbackQueryHandler(pressed, pattern="^ok$"))
    return app


async def test_start_in_group_gets_a_reply(telegram_emulator: TelegramEmulator) -> None:
    emu = telegram_emulator
    seen: dict[str, Any] = {}
    app = build_app(emu, seen)
    async with running_application(app):
        assert app.bot.username == BOT_USERNAME
        assert app.bot.id == emu.state.bot_id
        # Addressed to another bot: PTB must ignore it. Updates are handled in order, so
        # once the later commands are answered this one has been handled too.
        await emu.send_message(GROUP, "/start@SomeOtherBot", user_id=USER)
        first = await emu.send_message(GROUP, "/start", user_id=USER, chat_title="Chi bộ 1")
        await emu.send_message(GROUP, f"/start@{emu.bot_username}", user_id=USER)
        messages = await emu.wait_for_bot_messages(GROUP, 2)

    assert texts(messages) == ["Xin chào", "Xin chào"]
    assert len(await emu.bot_messages(GROUP)) == 2
    assert [c.type for c in seen["start_chats"]] == [ChatType.GROUP, ChatType.GROUP]
    assert seen["start_chats"][0].title == "Chi bộ 1"
    # The bridge turned the emulator's answer into a proper Message.
    greeting: Message = seen["greeting"]
    assert greeting.chat.id == GROUP
    assert greeting.chat.type == ChatType.GROUP
    assert greeting.from_user is not None and greeting.from_user.is_bot
    assert abs(greeting.date - datetime.now(UTC)) < timedelta(minutes=1)  # ms → s
    # In groups PTB replies quoting the command.
    reply_to = emu.state.calls_to("sendMessage")[0].params.get("reply_parameters")
    assert reply_to == {"message_id": first.message_id}


async def test_private_chat(telegram_emulator: TelegramEmulator) -> None:
    emu = telegram_emulator
    app = build_app(emu, {})
    async with running_application(app):
        await emu.send_message(USER, "/start")
        messages = await emu.wait_for_bot_messages(USER, 1)
    assert texts(messages) == ["Xin chào"]


async def test_button_press_edits_the_message(telegram_emulator: TelegramEmulator) -> None:
    emu = telegram_emulator
    seen: dict[str, Any] = {}
    app = build_app(emu, seen)
    async with running_application(app):
        await emu.send_message(GROUP, "/nut", user_id=USER)
        [prompt] = await emu.wait_for_bot_messages(GROUP, 1)
        assert prompt.text == "Bấm nút"
        assert prompt.callback_data == ["ok"]
        assert prompt.buttons[0]["text"] == "Xong"

        await emu.press_button(prompt, "ok", user_id=USER)
        [edited] = await emu.wait_until(
            GROUP, lambda ms: texts(ms) == ["Đã bấm"], what="the edited text"
        )

    assert edited.message_id == prompt.message_id
    query = seen["query"]
    assert query.from_user.id == USER
    assert query.message.message_id == prompt.message_id
    assert query.message.chat.id == GROUP
    assert query.chat_instance  # added by the bridge
    assert seen["answered"] is True  # the emulator answers null
    assert isinstance(seen["edited"], Message)  # the emulator answers null
    assert seen["edited"].text == "Đã bấm"
    answer = emu.state.calls_to("answerCallbackQuery")[0].params
    assert answer["text"] == "Đã ghi nhận"
    # Gap: Telegram drops the inline keyboard when an edit does not repeat it; the
    # emulator keeps the old one. Assert on what the bot asked for instead.
    assert "reply_markup" not in emu.state.calls_to("editMessageText")[0].params
    assert edited.callback_data == ["ok"]


async def test_unsupported_methods(telegram_emulator: TelegramEmulator) -> None:
    emu = telegram_emulator
    app = make_application_builder(emu).build()
    async with running_application(app):
        # Allow-listed: answered {"ok": true, "result": true} and recorded.
        assert await app.bot.set_my_commands([BotCommand("done", "Báo xong việc")]) is True
        assert await app.bot.delete_my_commands() is True
        assert [c.method for c in emu.state.faked_calls] == ["setMyCommands", "deleteMyCommands"]
        commands = emu.state.faked_calls[0].params["commands"]
        assert commands == [{"command": "done", "description": "Báo xong việc"}]

        # Not allow-listed: a clear error, recorded too.
        with pytest.raises(NetworkError, match="does not implement getChatAdministrators"):
            await app.bot.get_chat_administrators(GROUP)
        assert [c.method for c in emu.state.unsupported_calls] == ["getChatAdministrators"]

        # A test can fake it with a result of its own.
        owner = ChatMemberOwner(User(USER, "Bí thư", is_bot=False), is_anonymous=False)
        emu.fake_method("getChatAdministrators", [owner.to_dict()])
        admins = await app.bot.get_chat_administrators(GROUP)
        assert [a.user.id for a in admins] == [USER]


async def test_long_polling_does_not_spin(telegram_emulator: TelegramEmulator) -> None:
    """The emulator's getUpdates answers at once; the bridge must make PTB wait."""
    emu = telegram_emulator
    app = build_app(emu, {})
    async with running_application(app):
        polls_before = emu.state.emulator_polls
        cpu_before, wall_before = time.process_time(), time.monotonic()
        await asyncio.sleep(1.0)
        cpu = time.process_time() - cpu_before
        wall = time.monotonic() - wall_before
        polls = emu.state.emulator_polls - polls_before
        # Still one pending long poll from PTB; the bridge asks the emulator ~20×/s.
        assert emu.state.get_updates_calls <= 2
        assert polls <= wall / 0.05 + 2
        assert cpu < 0.5 * wall
        # And an update arriving mid-poll is delivered promptly.
        sent_at = time.monotonic()
        await emu.send_message(GROUP, "/start", user_id=USER)
        await emu.wait_for_bot_messages(GROUP, 1, timeout=2.0)
        assert time.monotonic() - sent_at < 1.0


async def test_handler_errors_fail_the_test(telegram_emulator: TelegramEmulator) -> None:
    emu = telegram_emulator
    called = asyncio.Event()

    async def broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        called.set()
        raise RuntimeError("lỗi trong handler")

    app = make_application_builder(emu).build()
    app.add_handler(CommandHandler("done", broken))

    async def run() -> None:
        async with running_application(app):
            await emu.send_message(GROUP, "/done 57", user_id=USER)
            await asyncio.wait_for(called.wait(), 5)

    with pytest.raises(HandlerErrors, match="lỗi trong handler"):
        await run()


def test_command_entities_count_utf16() -> None:
    assert command_entities("/done 57") == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert command_entities("😀 xong /done@Bot 57") == [
        {"type": "bot_command", "offset": 8, "length": 9}
    ]
    assert command_entities("a/b không phải lệnh") == []
