"""Chats, trusted people, registration codes and the audit log: every query about who.

The chat core and the command line ask these named functions; neither writes SQL.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from data.domain import ChatAddress, ChatRole
from data.models import Admin, AuditEntry, Chat, RegistrationCode, Unit

# Eight characters, no look-alikes (0/O, 1/I): read aloud over the phone if needed.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Actor:
    """Who did something and from where, as the audit log keeps it."""

    channel: str = ""
    chat_id: str = ""
    user_id: str = ""
    user_name: str = ""


# -- chats -------------------------------------------------------------------------------


def find_chat(session: Session, address: ChatAddress) -> Chat | None:
    return session.scalar(
        select(Chat)
        .where(Chat.channel == address.channel, Chat.chat_id == address.chat_id)
        .options(selectinload(Chat.unit))
    )


def list_chats(session: Session) -> list[Chat]:
    """Every bound chat with its unit, oldest first."""
    return list(session.scalars(select(Chat).options(selectinload(Chat.unit)).order_by(Chat.id)))


class BoundChat(NamedTuple):
    """A bound chat as the morning reads it: where it is, its role, its unit's code."""

    address: ChatAddress
    role: ChatRole
    unit_code: str | None


def bound_chats(session: Session) -> list[BoundChat]:
    """Every bound chat, oldest first, as plain rows (one statement, no objects): the
    morning's audience, read every working day over a thousand units' chats."""
    rows = session.execute(
        select(Chat.channel, Chat.chat_id, Chat.role, Unit.code)
        .outerjoin(Unit, Unit.id == Chat.unit_id)
        .order_by(Chat.id)
    )
    return [BoundChat(ChatAddress(channel, chat), role, code) for channel, chat, role, code in rows]


def admin_chat(session: Session) -> ChatAddress | None:
    """The office's chat (the first registered), if any."""
    chat = session.scalar(select(Chat).where(Chat.role == ChatRole.ADMIN).order_by(Chat.id))
    return ChatAddress(chat.channel, chat.chat_id) if chat else None


def unit_chats(session: Session, unit_id: int) -> list[ChatAddress]:
    """Every chat bound to a unit (Telegram, Zalo or both)."""
    rows = session.scalars(
        select(Chat).where(Chat.role == ChatRole.UNIT, Chat.unit_id == unit_id).order_by(Chat.id)
    )
    return [ChatAddress(c.channel, c.chat_id) for c in rows]


def bind_chat(
    session: Session,
    address: ChatAddress,
    role: ChatRole,
    unit: Unit | None,
    now: datetime,
    title: str = "",
) -> Chat:
    """Bind a chat to a unit or an office role (creating its row the first time)."""
    chat = find_chat(session, address)
    if chat is None:
        chat = Chat(channel=address.channel, chat_id=address.chat_id, created_at=now)
        session.add(chat)
    chat.role, chat.unit = role, unit
    chat.title = title or chat.title
    session.flush()
    return chat


# -- trusted people ----------------------------------------------------------------------


def is_admin_user(session: Session, channel: str, user_id: str) -> bool:
    found = session.scalar(
        select(Admin.id).where(Admin.channel == channel, Admin.user_id == user_id)
    )
    return found is not None


def add_admin(session: Session, channel: str, user_id: str, name: str, now: datetime) -> bool:
    """Trust a person everywhere; False when they already were."""
    if is_admin_user(session, channel, user_id):
        return False
    session.add(Admin(channel=channel, user_id=user_id, name=name, created_at=now))
    session.flush()
    return True


def list_admins(session: Session) -> list[Admin]:
    return list(session.scalars(select(Admin).order_by(Admin.id)))


# -- registration codes ------------------------------------------------------------------


def hash_code(code: str) -> str:
    """Codes are secrets: only their hash is stored."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def issue_code(
    session: Session, *, role: ChatRole, unit: Unit | None, now: datetime, valid: timedelta
) -> str:
    """A fresh one-time code; only its hash is stored."""
    code = new_code()
    session.add(
        RegistrationCode(
            code_hash=hash_code(code), role=role, unit=unit, created_at=now, expires_at=now + valid
        )
    )
    session.flush()
    return code


def code_for_update(session: Session, code: str) -> RegistrationCode | None:
    """The code's row, locked so two groups cannot both use it."""
    return session.scalar(
        select(RegistrationCode)
        .where(RegistrationCode.code_hash == hash_code(code))
        .options(selectinload(RegistrationCode.unit))
        .with_for_update()
    )


# -- audit -------------------------------------------------------------------------------


def audit(session: Session, actor: Actor, at: datetime, action: str, detail: str) -> None:
    """Every change, from any chat or the command line: who, when, where, what."""
    session.add(
        AuditEntry(
            at=at,
            channel=actor.channel,
            chat_id=actor.chat_id,
            user_id=actor.user_id,
            user_name=actor.user_name,
            action=action,
            detail=detail,
        )
    )


def audit_actions(session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def get_chat(session: Session, chat_id: int) -> Chat | None:
    return session.scalar(select(Chat).where(Chat.id == chat_id).options(selectinload(Chat.unit)))


def unbind_chat(session: Session, chat_id: int) -> Chat | None:
    """Forget a chat's binding (the group must register again); the removed row."""
    chat = get_chat(session, chat_id)
    if chat is None:
        return None
    session.execute(delete(Chat).where(Chat.id == chat_id))
    return chat
