"""The office console's people: logins, roles, sessions.

A console user has a login, an argon2 hash of the password (never the password),
a role (``office``: may do everything; ``viewer``: reads everything but confidential
titles and changes nothing) and a session version: a new password bumps it, and a
new user's starts at random, so no cookie signed before (for a removed user whose id
comes back, or the same login removed and added again) works.

The console's cookie is signed with a secret kept in the store (``session_secret``),
so every process serving the console (the bot's, ``nhacviec web``) shares it.
Hashing is the caller's (``bot.web.auth``): this module stores text.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from data.models import Base, _enum


class UserRole(StrEnum):
    OFFICE = "office"  # văn phòng: may do everything
    VIEWER = "viewer"  # Ủy ban Kiểm tra, leaders: read only, no confidential titles


class ConsoleUser(Base):
    """A person who signs in to the office console."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole, 10), default=UserRole.VIEWER)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class ConsoleSecret(Base):
    """The key the console's cookies are signed with (one row)."""

    __tablename__ = "console_secret"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()


def normal_login(login: str) -> str:
    return login.strip().lower()


# -- users -------------------------------------------------------------------------------


def find_user(session: Session, login: str) -> ConsoleUser | None:
    return session.scalar(select(ConsoleUser).where(ConsoleUser.login == normal_login(login)))


def get_user(session: Session, user_id: int) -> ConsoleUser | None:
    return session.get(ConsoleUser, user_id)


def list_users(session: Session) -> list[ConsoleUser]:
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.login)))


def add_user(
    session: Session, login: str, password_hash: str, role: UserRole, now: datetime
) -> ConsoleUser | None:
    """A new user; None when the login is taken."""
    if find_user(session, login) is not None:
        return None
    user = ConsoleUser(
        login=normal_login(login),
        password_hash=password_hash,
        role=role,
        # at random: an id SQLite hands out again (a removed user's) must not revive
        # the cookies signed for that user
        session_version=secrets.randbits(31) or 1,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, login: str, password_hash: str, now: datetime) -> bool:
    """A new password; every session signed before ends (the version moves on)."""
    user = find_user(session, login)
    if user is None:
        return False
    user.password_hash = password_hash
    user.session_version += 1
    user.updated_at = now
    return True


def end_sessions(session: Session, user_id: int, version: int, now: datetime) -> bool:
    """Sign out: the version moves on, so every cookie signed for it (a copy too) ends.

    Only when ``version`` is the current one: an old cookie cannot sign anyone out.
    """
    user = session.get(ConsoleUser, user_id)
    if user is None or user.session_version != version:
        return False
    user.session_version = user.session_version % (2**31 - 1) + 1
    user.updated_at = now
    return True


def rehash(user: ConsoleUser, password_hash: str, now: datetime) -> None:
    """The same password under newer hashing parameters (sessions stay valid)."""
    user.password_hash, user.updated_at = password_hash, now


def remove_user(session: Session, login: str) -> bool:
    user = find_user(session, login)
    if user is None:
        return False
    session.delete(user)
    session.flush()
    return True


def session_secret(session: Session, now: datetime) -> str:
    """The cookie-signing secret, created the first time it is asked for."""
    row = session.scalar(select(ConsoleSecret).order_by(ConsoleSecret.id))
    if row is None:
        row = ConsoleSecret(secret=secrets.token_urlsafe(48), created_at=now)
        session.add(row)
        session.flush()
    return row.secret
