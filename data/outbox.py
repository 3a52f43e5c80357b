"""The outbox: every message is a row, keyed (channel, chat, day, kind), before any sending.

Writing twice with the same key is a no-op (``INSERT … ON CONFLICT DO NOTHING``),
so scanning twice, or two workers scanning at once, queues each message once.
A dispatcher takes a row (a conditional status change, so two dispatchers never
take the same row) only as it starts sending it: rows it has not started stay free.
A row left ``sending`` by a crashed worker is taken again after its lease (at once
by the dispatcher that takes over the dispatch lease, ``data/leases.py``): the only
way a message can go out twice is a part in flight at a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import JSON, Date, Text, bindparam, cast, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.clock import month_of
from data.db import insert_ignoring_conflict
from data.domain import MessageKind, OutboxStatus
from data.models import AnswerTasks, ChannelUsage, OutboxMessage

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
    if rows and session.get_bind().dialect.name == "postgresql":
        added.update(_insert_arrays(session, rows, now))
    else:
        for at in range(0, len(rows), _BATCH):
            added.update(_insert_new(session, OutboxMessage, rows[at : at + _BATCH], "key"))
    for key, first_time in order:
        (result.added if first_time and key in added else result.existing).append(key)
    return result


def _insert_new(
    session: Session, model: type[Any], rows: Sequence[dict[str, object]], unique: str
) -> list[Any]:
    """``INSERT … ON CONFLICT (unique) DO NOTHING RETURNING unique`` for ``rows`` (sent as
    multi-row VALUES by SQLAlchemy's insertmanyvalues): the ``unique`` values of the rows
    that were inserted. The statement is built once per process and its compiled form
    cached, not compiled again for every batch of 500 rows × 15 columns."""
    if not rows:
        return []
    table: Any = model.__table__
    statement = _insert_statement(table, unique, session.get_bind().dialect.name)
    return list(session.scalars(statement, list(rows)))


@cache
def _insert_statement(table: Any, unique: str, dialect: str) -> Any:
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        statement = sqlite.insert(table)
    else:  # pragma: no cover - only the two supported stores
        raise NotImplementedError(f"{dialect} is not a supported store")
    return statement.on_conflict_do_nothing(index_elements=[unique]).returning(table.c[unique])


# The columns that differ from message to message, sent as one array each; the others
# are the same for every message of a call (a new row: pending, nothing sent yet).
_VARYING = (
    ("key", Text),
    ("channel", Text),
    ("chat_id", Text),
    ("kind", Text),
    ("day", Date),
    ("text", Text),
    ("tasks", Text),  # JSON, as text: cast back below
    ("buttons", Text),
)


def _insert_arrays(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> list[str]:
    """PostgreSQL: every row in one ``INSERT … SELECT FROM unnest(arrays) ON CONFLICT (key)
    DO NOTHING RETURNING key``, one parameter per column whatever the number of messages.
    The multi-row VALUES of ``_insert_new`` (500 rows × 16 parameters a statement) made a
    statement text of ~100 kB that the driver parsed again every morning: a fifth of a
    Tuesday's scan at 1,000 units. The keys that come back were new."""
    arrays: dict[str, list[Any]] = {name: [] for name, _ in _VARYING}
    for row in rows:
        for name, _ in _VARYING:
            value = row[name]
            if name in ("tasks", "buttons"):  # as the JSON type writes them (None: null)
                value = json.dumps(value)
            elif name == "kind":
                value = str(value)
            arrays[name].append(value)
    return list(session.scalars(_array_statement(), {**arrays, "now": now}))


@cache
def _array_statement() -> Any:
    """Built once per process; its text is the same whatever the number of rows."""
    table: Any = OutboxMessage.__table__
    given = (
        func.unnest(*(bindparam(name, type_=postgresql.ARRAY(kind)) for name, kind in _VARYING))
        .table_valued(*(name for name, _ in _VARYING))
        .render_derived("given")
    )
    g = {name: given.c[name] for name, _ in _VARYING}
    moment = bindparam("now", type_=table.c.created_at.type)
    values: dict[str, Any] = {
        "key": g["key"],
        "channel": g["channel"],
        "chat_id": g["chat_id"],
        "kind": g["kind"],
        "day": g["day"],
        "text": g["text"],
        "tasks": cast(g["tasks"], JSON),
        "buttons": cast(g["buttons"], JSON),
        "status": literal(OutboxStatus.PENDING.value),
        "attempts": literal(0),
        "next_attempt_at": moment,
        "parts_sent": literal(0),
        "message_ids": cast(literal("[]"), JSON),
        "last_error": literal(""),
        "locked_by": literal(""),
        "created_at": moment,
    }
    statement = postgresql.insert(table).from_select(list(values), select(*values.values()))
    return statement.on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)


def _due(channels: Iterable[str], now: datetime) -> Any:
    """Rows a dispatcher may start: pending and due, or ``sending`` past their lease."""
    return OutboxMessage.channel.in_(list(channels)) & or_(
        (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.locked_at < now - LEASE),
    )


class DueRow(NamedTuple):
    id: int
    channel: str
    chat_id: str


def due(session: Session, now: datetime, channels: Iterable[str], limit: int = 50) -> list[DueRow]:
    """Rows due now, oldest first; nothing is taken (see ``take``).

    A dispatcher reads a batch of these and takes each row only as it starts sending
    it, so after a crash or a cut of the store the rows it had not started are free at
    once: only the rows in flight wait for their lease.
    """
    found = session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.chat_id)
        .where(_due(channels, now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return [DueRow(*row) for row in found]


def take(
    session: Session, row_id: int, worker: str, now: datetime, channels: Iterable[str]
) -> OutboxMessage | None:
    """Take one due row for ``worker`` just before sending it: a conditional UPDATE, so
    two dispatchers never both take it (None: taken by another, sent, or not due)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, _due(channels, now))
        .values(status=OutboxStatus.SENDING, locked_by=worker, locked_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .execution_options(populate_existing=True)
    ).one()


def release_sending(session: Session, worker: str, keep: Iterable[int] = ()) -> int:
    """Rows ``worker`` holds as in flight, but is not sending, go back to the queue at
    once: a dead dispatcher's (its successor holds the dispatch lease, so it is known to
    be gone), or this dispatcher's own after a store cut left a take's commit unanswered
    (``keep``: the rows it is really sending)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.locked_by == worker,
            OutboxMessage.id.not_in(list(keep)),
        )
        .values(status=OutboxStatus.PENDING, locked_by="", locked_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


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


ANSWERS_KEPT = timedelta(days=120)  # a reply to an older answer is not resolved


def remember_answer(
    session: Session,
    channel: str,
    chat_id: str,
    message_ids: Sequence[str],
    tasks: Sequence[int],
    now: datetime,
) -> None:
    """The tasks an answer sent straight to a chat was about (``/chitiet 57``, the
    request for a file), by each of its platform message ids; rows older than
    ``ANSWERS_KEPT`` go at the same time."""
    session.execute(delete(AnswerTasks).where(AnswerTasks.at < now - ANSWERS_KEPT))
    session.add_all(
        AnswerTasks(channel=channel, chat_id=chat_id, message_id=m, tasks=list(tasks), at=now)
        for m in message_ids
    )


def tasks_about(session: Session, channel: str, chat_id: str, message_id: str) -> list[int]:
    """The task numbers a message of ours in this chat was about: an answer
    (``remember_answer``) or any sent outbox message (a digest, a notice); [] if unknown."""
    answer = session.scalar(
        select(AnswerTasks)
        .where(
            AnswerTasks.channel == channel,
            AnswerTasks.chat_id == chat_id,
            AnswerTasks.message_id == message_id,
        )
        .order_by(AnswerTasks.id.desc())
        .limit(1)
    )
    if answer is not None:
        return list(answer.tasks)
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.chat_id == chat_id,
            OutboxMessage.status == OutboxStatus.SENT,
        )
        .order_by(OutboxMessage.id.desc())
        .limit(200)  # a few months of a group's mornings and notices
    )
    for row in rows:
        if message_id in row.message_ids:
            return list(row.tasks)
    return []
