"""What was already processed, kept in the store so a restart does not do it twice.

Zalo may hand an update out again (after a restart, or simply on a later poll), and
an update's id is the only thing that tells; a command must act once. Each update
is marked here, by (channel, key), *before* it is handled: at most once, even across
restarts and several workers (the insert is ``ON CONFLICT DO NOTHING``).

The same table keeps once-a-day markers ("a stranger in this chat was answered
today") under keys that say so (``once_a_day``). Rows are pruned after ``KEEP``:
Zalo hands updates out again within minutes, never weeks later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from data.db import insert_ignoring_conflict
from data.models import Base

KEEP: Final = timedelta(days=14)


class ProcessedUpdate(Base):
    """One update (or once-a-day marker) already processed on a channel."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # the platform's update id
    processed_at: Mapped[datetime] = mapped_column(index=True)


def mark_processed(session: Session, channel: str, key: str, now: datetime) -> bool:
    """Mark ``key`` processed; True the first time, False when it already was (a replay)."""
    values = {"channel": channel, "key": key[:200], "processed_at": now}
    return insert_ignoring_conflict(session, ProcessedUpdate, values, ["channel", "key"])


def once_a_day(session: Session, channel: str, what: str, day: date, now: datetime) -> bool:
    """True the first time ``what`` happens on ``day`` (a marker, pruned like updates)."""
    return mark_processed(session, channel, f"once:{day.isoformat()}:{what}", now)


def prune(session: Session, now: datetime, keep: timedelta = KEEP) -> int:
    """Forget what was processed before ``now - keep``; returns how many rows went."""
    result = session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - keep)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
