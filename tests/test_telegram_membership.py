"""A group that moves (upgraded to a supergroup) and then drops the bot, against a fake
Bot API that answers as Telegram does (400 ``migrate_to_chat_id``; 403 "bot was kicked").

The real application (bot.app.build_telegram: handlers, ChatService) and the real morning
(outbox, dispatcher, TelegramChannel) run; the fake records every delivery. The binding
follows the group to its new id, the digest arrives there once; a ``my_chat_member``
update (kicked) parks what still waits for it and tells the office once. Nothing is lost
(every row is sent or parked, to be retried) and nothing is repeated.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from telegram import Update
from telegram.request import HTTPXRequest

from bot.app import ALLOWED_UPDATES, build_telegram
from bot.runtime import Runtime
from bot.telegram.channel import TelegramChannel
from bot.telegram.handlers import set_menus
from bot.telegram.membership import ChatChanges
from data import chat_store, db, outbox
from data.clock import VN_TZ, local_date
from data.domain import ChatAddress, ChatRole, MessageKind, OutboxStatus
from data.models import OutboxMessage, Unit
from tests.conftest import sample_runtime
from tests.fakes.telegram_app import TOKEN, polling
from tests.fakes.telegram_server import BOT_USER, FakeBotApi

OLD, NEW, OFFICE = -4001, -1004001, -9001
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)


def _bind(runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        chat_store.bind_chat(
            session, ChatAddress("telegram", str(OLD)), ChatRole.UNIT, unit, TUESDAY
        )
        chat_store.bind_chat(
            session, ChatAddress("telegram", str(OFFICE)), ChatRole.ADMIN, None, TUESDAY
        )


def _update(update_id: int, **fields: Any) -> dict[str, Any]:
    return {"update_id": update_id, **fields}


def _group(chat_id: int, kind: str = "supergroup") -> dict[str, Any]:
    return {"id": chat_id, "type": kind, "title": "Chi bộ Hành chính"}


def _kicked(update_id: int, chat_id: int) -> dict[str, Any]:
    member = {"id": BOT_USER["id"], "is_bot": True, "first_name": "Nhắc việc"}
    return _update(
        update_id,
        my_chat_member={
            "chat": _group(chat_id),
            "from": {"id": 77, "is_bot": False, "first_name": "Trưởng nhóm"},
            "date": int(TUESDAY.timestamp()),
            "old_chat_member": {"status": "member", "user": member},
            "new_chat_member": {"status": "kicked", "user": member, "until_date": 0},
        },
    )


def _rows(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _chat_of(runtime: Runtime, chat_id: int) -> ChatRole | None:
    with runtime.sessions() as session:
        chat = chat_store.find_chat(session, ChatAddress("telegram", str(chat_id)))
        return chat.role if chat is not None else None


async def test_a_group_upgraded_then_the_bot_kicked(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, TUESDAY)
    _bind(runtime)
    fake = FakeBotApi(migrated={OLD: NEW}, idle_updates=0.05)
    async with polling(runtime, fake) as app:
        changes = ChatChanges(runtime.sessions, runtime.clock)
        morning = runtime.morning({"telegram": TelegramChannel(app.bot, changes.migrated_async)})

        # the morning's digest goes to the old id: Telegram says "migrated"; it is followed
        await morning.scan()
        digests = [t for t in fake.texts_to(NEW) if "Nhắc việc sáng" in t]
        assert len(digests) == 1
        assert fake.texts_to(OLD) == []
        assert fake.refused == [(OLD, "migrated")]
        assert _chat_of(runtime, NEW) is ChatRole.UNIT
        assert _chat_of(runtime, OLD) is None
        assert all(r.chat_id != str(OLD) for r in _rows(runtime))

        # a notice waits for the group when the bot is kicked from it
        with db.transaction(runtime.sessions) as session:
            notice = outbox.Outgoing(
                "telegram", str(NEW), MessageKind.ALERT, local_date(TUESDAY), "Tin chờ gửi"
            )
            outbox.enqueue(session, [notice], TUESDAY)
        fake.kicked.add(NEW)
        # Telegram tells the bot through getUpdates (twice: a replay): the office hears once
        fake.updates.extend([_kicked(1, NEW), _kicked(2, NEW)])
        async with asyncio.timeout(10):
            while _chat_of(runtime, NEW) is not None or fake.updates:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)  # the replay handled too
        assert fake.withheld == []  # my_chat_member is among the kinds the bot asks for
        await morning.dispatcher.drain()

        rows = _rows(runtime)
        waiting = [r for r in rows if r.text == "Tin chờ gửi"]
        assert [r.status for r in waiting] == [OutboxStatus.PARKED]  # kept, not lost
        assert _chat_of(runtime, NEW) is None  # no reminder is queued for it any more
        told = [t for t in fake.texts_to(OFFICE) if "bị xóa và chặn khỏi nhóm Telegram" in t]
        assert len(told) == 1
        assert str(NEW) in told[0] and "Chi bộ Hành chính" in told[0]
        assert "nhacviec outbox --retry" in told[0]
        assert fake.texts_to(NEW) == digests  # nothing sent there after the kick
        assert all(r.status in (OutboxStatus.SENT, OutboxStatus.PARKED) for r in rows)
        repeated = Counter((d.chat_id, d.text) for d in fake.delivered)
        assert max(repeated.values()) == 1
    runtime.engine.dispose()


async def test_the_migration_service_message_moves_the_binding(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, TUESDAY)
    _bind(runtime)
    fake = FakeBotApi()
    request = HTTPXRequest(httpx_kwargs={"transport": fake.transport()})
    app = build_telegram(runtime, TOKEN, request=request, rate_limiter=None)
    await app.initialize()
    try:
        said = {
            "message_id": 5,
            "date": int(TUESDAY.timestamp()),
            "chat": _group(OLD, "group"),
            "migrate_to_chat_id": NEW,
        }
        await app.process_update(Update.de_json(_update(1, message=said), app.bot))
        assert _chat_of(runtime, NEW) is ChatRole.UNIT
        assert _chat_of(runtime, OLD) is None
        # the new supergroup's "migrate_from" message changes nothing more
        echo = {**said, "chat": _group(NEW), "migrate_from_chat_id": OLD}
        del echo["migrate_to_chat_id"]
        await app.process_update(Update.de_json(_update(2, message=echo), app.bot))
        assert _chat_of(runtime, NEW) is ChatRole.UNIT
    finally:
        await app.shutdown()
        runtime.engine.dispose()


async def test_menus_per_scope(tmp_path: Path) -> None:
    """Unit commands in groups and private chats; the office's commands in its own chat."""
    runtime = sample_runtime(tmp_path, TUESDAY)
    _bind(runtime)
    fake = FakeBotApi()
    calls: list[dict[str, Any]] = []
    answer = fake.answer

    async def recording(method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "setMyCommands":
            calls.append(params)
        return await answer(method, params)

    fake.answer = recording  # type: ignore[method-assign]
    request = HTTPXRequest(httpx_kwargs={"transport": fake.transport()})
    app = build_telegram(runtime, TOKEN, request=request, rate_limiter=None)
    await app.initialize()
    try:
        await set_menus(app.bot, runtime.service())
    finally:
        await app.shutdown()
        runtime.engine.dispose()
    menus = {json.loads(c["scope"])["type"]: json.loads(c["commands"]) for c in calls}
    scopes = [json.loads(c["scope"]) for c in calls]
    assert {"type": "chat", "chat_id": OFFICE} in scopes
    group = {c["command"] for c in menus["all_group_chats"]}
    office = {c["command"] for c in menus["chat"]}
    assert "done" in group and "duyet" not in group and "baocao" not in group
    assert {"done", "duyet", "baocao", "xacnhan"} <= office
    assert "my_chat_member" in ALLOWED_UPDATES
