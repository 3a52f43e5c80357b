"""Which mornings were scanned: catch-up, folding missed days and the clock-jump rule read it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.db import insert_ignoring_conflict
from data.models import ScanRun


def last_scan_before(session: Session, today: date) -> date | None:
    return session.scalar(select(func.max(ScanRun.day)).where(ScanRun.day < today))


def last_scan(session: Session) -> date | None:
    """The latest day scanned; after the clock went back this is later than today."""
    return session.scalar(select(func.max(ScanRun.day)))


def has_scanned(session: Session, day: date) -> bool:
    return session.get(ScanRun, day) is not None


def remember_scan(session: Session, day: date, now: datetime, messages: int) -> None:
    """Record the day's scan once (two workers at once: the first wins, nothing fails)."""
    insert_ignoring_conflict(
        session, ScanRun, {"day": day, "ran_at": now, "messages": messages}, ["day"]
    )
