"""When a platform moves or drops a chat: its binding and its waiting messages follow.

A Telegram group upgraded to a supergroup gets a new id (``migrate_to_chat_id``): the
binding and the messages still waiting move to it, so nothing waits on a dead id. A
bot removed from a group (``my_chat_member``: left or kicked) can send nothing there:
the waiting messages are parked (kept, retried by the office) and the binding ends,
so no new reminder is queued for a chat that cannot receive it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from data.domain import ChatAddress, OutboxStatus
from data.models import Chat, OutboxMessage


@dataclass(frozen=True)
class Dropped:
    """What ending a chat's binding found: who it was, and what was parked."""

    title: str  # the unit's name or the chat's role, "" when the chat was not bound
    parked: int


def move_chat(session: Session, channel: str, old: str, new: str) -> bool:
    """Bind ``new`` as ``old`` was and move ``old``'s messages to it (waiting and sent).

    Idempotent (the migration is announced in both chats, and by a failed send): True
    only when something moved. A binding already at ``new`` is kept.
    """
    if old == new:
        return False
    moved = False
    chat = session.scalar(select(Chat).where(Chat.channel == channel, Chat.chat_id == old))
    if chat is not None:
        taken = session.scalar(select(Chat.id).where(Chat.channel == channel, Chat.chat_id == new))
        if taken is None:
            chat.chat_id = new
        else:
            session.delete(chat)
        moved = True
    # every row, sent ones too: a member answering an old digest in the new chat is read
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.chat_id == old)
        .values(chat_id=new)
    )
    session.flush()
    return moved or bool(result.rowcount)  # type: ignore[attr-defined]


def drop_chat(session: Session, address: ChatAddress, reason: str) -> Dropped:
    """Park the chat's waiting messages and end its binding (the bot is out of it)."""
    chat = session.scalar(
        select(Chat).where(Chat.channel == address.channel, Chat.chat_id == address.chat_id)
    )
    title = ""
    if chat is not None:
        title = chat.unit.name if chat.unit is not None else str(chat.role)
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == address.channel,
            OutboxMessage.chat_id == address.chat_id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.PARKED, last_error=reason[:500])
    )
    if chat is not None:
        session.execute(delete(Chat).where(Chat.id == chat.id))
    session.flush()
    return Dropped(title, int(result.rowcount))  # type: ignore[attr-defined]
