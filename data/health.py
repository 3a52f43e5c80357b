"""What ``/healthz`` reads: the store answers, the last morning scan, the outbox's backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from data.domain import OutboxStatus
from data.models import OutboxMessage, ScanRun


@dataclass(frozen=True)
class StoreHealth:
    last_scan_day: date | None
    last_scan_at: datetime | None
    waiting: int  # pending or being sent
    parked: int  # kept failing: waits for the office


def read(session: Session) -> StoreHealth:
    """One short read; raises when the store is unreachable."""
    session.execute(text("SELECT 1"))
    last = session.execute(
        select(ScanRun.day, ScanRun.ran_at).order_by(ScanRun.day.desc()).limit(1)
    ).first()
    counts = dict(
        session.execute(
            select(OutboxMessage.status, func.count())
            .where(
                OutboxMessage.status.in_(
                    [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.PARKED]
                )
            )
            .group_by(OutboxMessage.status)
        ).all()
    )
    return StoreHealth(
        last_scan_day=last[0] if last else None,
        last_scan_at=last[1] if last else None,
        waiting=int(counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)),
        parked=int(counts.get(OutboxStatus.PARKED, 0)),
    )
