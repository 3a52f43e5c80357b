"""A channel paused for the rest of a month (Zalo's plan quota spent), in the store.

Kept as a marker row of ``processed_updates`` (no table of its own): the key names the
month, ``processed_at`` is the pause's end (the next month's start), so the pruning of
old markers never lifts a pause early. Every process on the store sees it: the bot
stops sending at once, and ``nhacviec zalo resume`` (the office's word) lifts it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.processed_updates import ProcessedUpdate, mark_processed


def _key(month: str) -> str:
    return f"paused:{month}"


def pause(session: Session, channel: str, month: str, until: datetime) -> bool:
    """Pause ``channel`` for ``month`` (YYYY-MM); True when it was not paused yet."""
    return mark_processed(session, channel, _key(month), until)


def is_paused(session: Session, channel: str, month: str) -> bool:
    key = session.scalar(
        select(ProcessedUpdate.key).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.key == _key(month)
        )
    )
    return key is not None


def resume(session: Session, channel: str, month: str) -> bool:
    """Lift the pause (the office's word); True when there was one."""
    result = session.execute(
        delete(ProcessedUpdate).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.key == _key(month)
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
