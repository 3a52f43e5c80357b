"""The outbox: every message is a row, keyed (channel, chat, day, kind), before any sending.

Writing twice with the same key is a no-op (``INSERT … ON CONFLICT DO NOTHING``),
so scanning twice, or two workers scanning at once, queues each message once.
Claiming uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (ignored by SQLite, where the
single writer lock serialises claims) and a status change, so two dispatchers never
take the same row. A row left ``sending`` by a crashed worker is taken again after
its lease: the only way a message can go out twice is the one in flight at a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.clock import month_of
from data.db import insert_ignoring_conflict
from data.domain import MessageKind, OutboxStatus
from data.models import ChannelUsage, OutboxMessage

LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Outgoing:
    channel: str
    chat_id: str
    kind: MessageKind
    day: date
    text: str
    tasks: tuple[int, ...] = ()
    key_suffix: str = ""  # distinguishes several alerts on one day
    buttons: tuple[tuple[str, str], ...] = ()  # (label, payload) under the message

    @property
    def key(self) -> str:
        base = f"{self.channel}:{self.chat_id}:{self.day.isoformat()}:{self.kind}"
        return f"{base}:{self.key_suffix}" if self.key_suffix else base


@dataclass
class EnqueueResult:
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


_BATCH = 500  # rows per INSERT (15 columns: well under the drivers' parameter limits)


def enqueue(session: Session, messages: Iterable[Outgoing], now: datetime) -> EnqueueResult:
    """Queue each message once: one multi-row ``INSERT … ON CONFLICT (key) DO NOTHING
    RETURNING key`` per batch; the keys that come back were new, the others existed
    (written by an earlier scan, another worker, or earlier in this same call).
    """
    result = EnqueueResult()
    pending: dict[str, dict[str, object]] = {}
    order: list[tuple[str, bool]] = []  # (key, first time in this call)
    for message in messages:
        key = message.key
        first = key not in pending
        order.append((key, first))
        if first:
            pending[key] = {
                "key": key,
                "channel": message.channel,
                "chat_id": message.chat_id,
                "kind": message.kind,
                "day": message.day,
                "text": message.text,
                "tasks": list(message.tasks),
                "buttons": [list(b) for b in message.buttons] or None,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "parts_sent": 0,
                "message_ids": [],
                "last_error": "",
                "locked_by": "",
                "created_at": now,
            }
    rows = list(pending.values())
    added: set[str] = set()
    for at in range(0, len(rows), _BATCH):
        added.update(_insert_new(session, OutboxMessage, rows[at : at + _BATCH], "key"))
    for key, first_time in order:
        (result.added if first_time and key in added else result.existing).append(key)
    return result


def _insert_new(
    session: Session, model: type[Any], rows: Sequence[dict[str, object]], unique: str
) -> list[Any]:
    """One ``INSERT … VALUES (…), (…) ON CONFLICT (unique) DO NOTHING RETURNING unique``:
    the ``unique`` values of the rows that were inserted."""
    if not rows:
        return []
    table = model.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        statement = sqlite.insert(table)
    else:  # pragma: no cover - only the two supported stores
        raise NotImplementedError(f"{dialect} is not a supported store")
    statement = (
        statement.values(list(rows))
        .on_conflict_do_nothing(index_elements=[unique])
        .returning(table.c[unique])
    )
    return list(session.scalars(statement))


def claim(
    session: Session,
    worker: str,
    now: datetime,
    channels: Iterable[str],
    limit: int = 50,
) -> list[OutboxMessage]:
    """Take due rows for this worker: pending ones, and ``sending`` ones whose lease ran out.

    The candidate rows are locked (PostgreSQL: ``SKIP LOCKED`` so workers share the
    queue) and then taken with a conditional UPDATE, which is what makes a claim
    exclusive on every backend.
    """
    due = OutboxMessage.channel.in_(list(channels)) & or_(
        (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.locked_at < now - LEASE),
    )
    ids = session.scalars(
        select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), due)
        .values(status=OutboxStatus.SENDING, locked_by=worker, locked_at=now)
        .execution_options(synchronize_session=False)
    )
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.locked_by == worker)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def renew(session: Session, row_id: int, worker: str, claimed_at: datetime, now: datetime) -> bool:
    """Keep a claimed row before sending it: False when its lease ran out meanwhile and a
    claim (another worker's, or this one's again) took it since; then that claim sends
    it, never this stale copy as well."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.locked_by == worker,
            OutboxMessage.locked_at == claimed_at,
        )
        .values(locked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def record_part(session: Session, row_id: int, worker: str, message_id: str, now: datetime) -> None:
    """One part went out: remember it at once so a crash later does not resend it."""
    row = session.get(OutboxMessage, row_id, with_for_update=True)
    if row is None or row.locked_by != worker:
        return
    row.parts_sent += 1
    row.message_ids = [*row.message_ids, message_id]
    row.locked_at = now


def finish(session: Session, row_id: int, worker: str, now: datetime) -> None:
    row = session.get(OutboxMessage, row_id, with_for_update=True)
    if row is None or row.locked_by != worker:
        return
    row.status, row.sent_at, row.locked_by, row.locked_at = OutboxStatus.SENT, now, "", None
    row.last_error = ""


def retry_later(
    session: Session, row_id: int, worker: str, error: str, at: datetime, *, count: bool = True
) -> None:
    row = session.get(OutboxMessage, row_id, with_for_update=True)
    if row is None or row.locked_by != worker:
        return
    row.status, row.locked_by, row.locked_at = OutboxStatus.PENDING, "", None
    row.attempts += 1 if count else 0
    row.next_attempt_at, row.last_error = at, error[:500]


def park(session: Session, row_id: int, worker: str, error: str) -> OutboxMessage | None:
    row = session.get(OutboxMessage, row_id, with_for_update=True)
    if row is None or row.locked_by != worker:
        return None
    row.status, row.locked_by, row.locked_at = OutboxStatus.PARKED, "", None
    row.attempts += 1
    row.last_error = error[:500]
    return row


def requeue_parked(session: Session, ids: Sequence[int], now: datetime) -> int:
    """The admin's "try again" after fixing what parked them (bot re-added to the group…)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.PARKED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def listing(
    session: Session, status: OutboxStatus | None = None, limit: int = 200
) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(session.scalars(query))


# -- what each channel sent this month (Zalo's plan caps it) ---------------------------


def used(session: Session, channel: str, moment: datetime) -> int:
    value = session.scalar(
        select(ChannelUsage.sent).where(
            ChannelUsage.channel == channel, ChannelUsage.month == month_of(moment)
        )
    )
    return int(value or 0)


def record_sent(session: Session, channel: str, moment: datetime, count: int = 1) -> int:
    """Add ``count`` to this month's usage (atomic increment); returns the new total."""
    month = month_of(moment)
    insert_ignoring_conflict(
        session, ChannelUsage, {"channel": channel, "month": month, "sent": 0}, ["channel", "month"]
    )
    session.execute(
        update(ChannelUsage)
        .where(ChannelUsage.channel == channel, ChannelUsage.month == month)
        .values(sent=ChannelUsage.sent + count)
    )
    return used(session, channel, moment)


def tasks_of_message(session: Session, channel: str, chat_id: str, message_id: str) -> list[int]:
    """The task numbers of the digest a platform message belongs to (a member replied to it)."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.kind == MessageKind.DIGEST,
            OutboxMessage.status == OutboxStatus.SENT,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(60)  # about three months of mornings
    )
    for row in rows:
        if message_id in row.message_ids:
            return list(row.tasks)
    return []
