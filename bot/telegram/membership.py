"""A Telegram group that moves (upgraded to a supergroup) or drops the bot.

Telegram gives an upgraded group a new id: a send to the old one answers
``ChatMigrated`` and the group posts a ``migrate_to_chat_id`` service message. Either
way the binding and the waiting messages move to the new id (``data.chat_moves``),
once. A bot removed from a group (``my_chat_member``: left or kicked) parks what
waits for that chat and tells the office once, saying how to bring it back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session, sessionmaker

from bot.actions.base import alert_chat
from data import chat_moves, chat_store
from data.db import transaction
from data.domain import ChannelName, ChatAddress

log = logging.getLogger(__name__)

CHANNEL = ChannelName.TELEGRAM.value


class Removal(StrEnum):
    LEFT = "left"  # the bot left, or was removed by a member (status "left")
    KICKED = "kicked"  # banned from the chat


_REMOVED_VI = {Removal.LEFT: "không còn ở trong", Removal.KICKED: "đã bị xóa và chặn khỏi"}


class ChatChanges:
    """The store's side of a chat's moves; every method is safe to call twice."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.clock = clock

    def migrated(self, old: str, new: str) -> bool:
        with transaction(self.sessions) as session:
            moved = chat_moves.move_chat(session, CHANNEL, old, new)
        if moved:
            log.info("telegram chat %s became %s: its binding and waiting messages moved", old, new)
        return moved

    async def migrated_async(self, old: str, new: str) -> bool:
        return await asyncio.to_thread(self.migrated, old, new)

    def removed(self, chat_id: str, how: Removal) -> int:
        """Park the chat's waiting messages, end its binding, tell the office once.

        Returns how many messages were parked.
        """
        address = ChatAddress(CHANNEL, chat_id)
        now = self.clock()
        with transaction(self.sessions) as session:
            dropped = chat_moves.drop_chat(session, address, f"bot {how.value} from the chat")
            if not dropped.title and not dropped.parked:
                return 0  # a chat we never served: nothing to say
            admin = chat_store.admin_chat(session)
            text = (
                f"⚠️ Bot {_REMOVED_VI[how]} nhóm Telegram {chat_id}"
                f"{f' ({dropped.title})' if dropped.title else ''}. "
                f"{dropped.parked} tin đang chờ gửi tới nhóm được giữ lại (không mất); nhóm "
                "không còn nhận nhắc việc. Để nhận lại: cấp mã mới cho đơn vị trên trang quản "
                "trị, thêm bot vào nhóm bằng liên kết (hoặc gõ /dangky <mã>), rồi gửi lại các tin "
                "đã giữ bằng: nhacviec outbox --retry <số>."
            )
            if admin is None or admin == address:
                log.error("no other office chat to tell: %s", text)
            else:
                alert_chat(session, now, admin, text, f"left-{CHANNEL}-{chat_id}")
        log.warning(
            "telegram chat %s: bot %s; %d message(s) parked", chat_id, how.value, dropped.parked
        )
        return dropped.parked

    async def removed_async(self, chat_id: str, how: Removal) -> int:
        return await asyncio.to_thread(self.removed, chat_id, how)
