"""The dispatch lease: one active bot process per bot token, across processes and hosts.

Two ``nhacviec run`` on one store would each pace its own sending, so together they
could pass Telegram's 30 messages a second, and both would long-poll the same token.
The process that holds the lease row runs the bot; another one stands by, trying
every few seconds, and takes over once the holder stops renewing (``expires_at``
passed). A lease is named by the bot's tokens (a hash, never the token itself).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from data.db import insert_ignoring_conflict
from data.models import Base, UTCDateTime


def new_worker_id() -> str:
    """This process, as the dispatcher's rows and the dispatch lease name it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DispatchLease(Base):
    """Who runs the bot of one token now, and until when unless renewed."""

    __tablename__ = "dispatch_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Acquired:
    """The lease is ours; ``previous`` held it before and is gone (its rows to free)."""

    previous: str


def acquire(
    session: Session, name: str, holder: str, now: datetime, ttl: timedelta
) -> Acquired | None:
    """Take or renew the lease: ours when free, expired, or already ours (None: another
    process holds it). Conditional UPDATE, so two processes never both win."""
    insert_ignoring_conflict(
        session,
        DispatchLease,
        {"name": name, "holder": "", "expires_at": now, "acquired_at": now},
        ["name"],
    )
    previous = session.scalar(select(DispatchLease.holder).where(DispatchLease.name == name))
    mine = DispatchLease.holder == holder
    free = (DispatchLease.holder == "") | (DispatchLease.expires_at <= now)
    values: dict[str, object] = {"holder": holder, "expires_at": now + ttl}
    if previous != holder:
        values["acquired_at"] = now
    result = session.execute(
        update(DispatchLease)
        .where(DispatchLease.name == name, mine | free)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    return Acquired(previous="" if previous in (None, holder) else str(previous))


def take_from(
    session: Session, name: str, previous: str, holder: str, now: datetime, ttl: timedelta
) -> Acquired | None:
    """Take the lease from ``previous``, known dead (still the holder: conditional)."""
    result = session.execute(
        update(DispatchLease)
        .where(DispatchLease.name == name, DispatchLease.holder == previous)
        .values(holder=holder, expires_at=now + ttl, acquired_at=now)
        .execution_options(synchronize_session=False)
    )
    return Acquired(previous) if getattr(result, "rowcount", 0) == 1 else None


def release(session: Session, name: str, holder: str) -> None:
    """A clean stop: the standby takes over at its next try instead of waiting."""
    session.execute(
        update(DispatchLease)
        .where(DispatchLease.name == name, DispatchLease.holder == holder)
        .values(holder="")
        .execution_options(synchronize_session=False)
    )


def holder_of(session: Session, name: str, now: datetime) -> str | None:
    """The live holder (None when free or expired)."""
    row = session.get(DispatchLease, name)
    if row is None or not row.holder or row.expires_at <= now:
        return None
    return row.holder
