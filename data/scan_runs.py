"""Which mornings were scanned: catch-up and folding missed days read it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.db import insert_ignoring_conflict
from data.models import ScanRun


def last_scan_before(session: Session, today: date) -> date | None:
    return session.scalar(select(func.max(ScanRun.day)).where(ScanRun.day < today))


def has_scanned(session: Session, day: date) -> bool:
    return session.get(ScanRun, day) is not None


def remember_scan(session: Session, day: date, now: datetime, messages: int) -> None:
    """Record the day's scan once (two workers at once: the first wins, nothing fails)."""
    insert_ignoring_conflict(
        session, ScanRun, {"day": day, "ran_at": now, "messages": messages}, ["day"]
    )
