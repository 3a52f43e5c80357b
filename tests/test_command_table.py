"""The command list exists once: /help, Telegram's menu, the parser and dispatch read it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.access import Context, Sender
from bot.commands.parsing import Command, parse_command
from bot.commands.table import Access
from bot.service import COMMANDS, ChatService, Command_, Commands, Reply
from bot.telegram.handlers import menu
from data import chat_store, db, unit_store
from data.domain import ChatRole

NOW = datetime(2026, 6, 16, 1, 0, tzinfo=UTC)


def _hello(service: ChatService, session: Session, context: Context, command: Command) -> Reply:
    return Reply(f"Xin chào {context.unit.name if context.unit else 'bạn'}: {command.args}")


def _with_hello() -> Commands:
    return COMMANDS.with_command(Command_("xinchao", "/xinchao [lời]", "Chào bot", _hello))


def _registered_member(sessions: sessionmaker[Session]) -> Sender:
    sender = Sender("telegram", "g-1", "u1", "Lan")
    with db.transaction(sessions) as session:
        unit = unit_store.find_unit(session, "hcqt")
        chat_store.bind_chat(session, sender.address, ChatRole.UNIT, unit, NOW)
    return sender


def test_a_command_added_to_the_table_is_parsed_helped_listed_and_answered(
    sessions: sessionmaker[Session],
) -> None:
    table = _with_hello()
    assert parse_command("/xinchào@NhacViecBot bạn", table, ["NhacViecBot"]) == Command(
        "xinchao", "bạn", "/xinchào@NhacViecBot bạn"
    )
    assert ("xinchao", "Chào bot") in [(c.command, c.description) for c in menu(table)]
    service = ChatService(sessions, lambda: NOW, commands=table)
    member = _registered_member(sessions)
    help_reply = service.handle(member, "/help")
    assert help_reply is not None
    assert "/xinchao [lời] — Chào bot" in help_reply.text
    reply = service.handle(member, "/xinchao mọi người")
    assert reply is not None
    assert reply.text == "Xin chào Chi bộ Hành chính – Quản trị: mọi người"


def test_a_command_not_in_the_table_is_neither_advertised_nor_answered(
    sessions: sessionmaker[Session],
) -> None:
    service = ChatService(sessions, lambda: NOW)
    member = _registered_member(sessions)
    help_reply = service.handle(member, "/help")
    assert help_reply is not None
    assert "/xinchao" not in help_reply.text
    assert "xinchao" not in [c.command for c in menu(COMMANDS)]
    reply = service.handle(member, "/xinchao")
    assert reply is not None
    assert reply.text == "Không có lệnh /xinchao. Gõ /help để xem các lệnh."


def test_every_command_is_in_help_and_every_menu_entry_is_a_command() -> None:
    text = COMMANDS.help_text()
    for spec in COMMANDS:
        assert spec.usage in text
    assert {c.command for c in menu(COMMANDS)} <= {spec.name for spec in COMMANDS}


def test_office_only_commands_are_refused_in_a_unit_group(sessions: sessionmaker[Session]) -> None:
    table = COMMANDS.with_command(
        Command_("chivanphong", "/chivanphong", "Chỉ văn phòng", _hello, access=Access.OFFICE)
    )
    service = ChatService(sessions, lambda: NOW, commands=table)
    reply = service.handle(_registered_member(sessions), "/chivanphong")
    assert reply is not None
    assert reply.text == "Lệnh /chivanphong chỉ dùng trong nhóm của văn phòng."
