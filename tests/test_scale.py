"""At scale: the outbox is written in batches and still queues each key exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data import db
from data.domain import MessageKind
from data.models import OutboxMessage
from data.outbox import Outgoing, enqueue

NOW = datetime(2026, 6, 16, 0, 30, tzinfo=UTC)
DAY = date(2026, 6, 16)


def _messages(n: int, prefix: str = "g") -> list[Outgoing]:
    return [
        Outgoing("telegram", f"{prefix}{i}", MessageKind.DIGEST, DAY, f"tin {i}", (i, i + 1))
        for i in range(n)
    ]


def test_batched_enqueue_keeps_exactly_once_keys(sessions: sessionmaker[Session]) -> None:
    first = _messages(1200)  # three batches
    with db.transaction(sessions) as session:
        result = enqueue(session, [*first, first[5], first[700]], NOW)  # two repeated in the call
    keys = [m.key for m in first]
    assert result.added == keys
    assert result.existing == [first[5].key, first[700].key]

    again = [*_messages(1300)]  # 1,200 queued already, 100 new
    with db.transaction(sessions) as session:
        result = enqueue(session, again, NOW)
    assert result.existing == keys
    assert result.added == [m.key for m in again[1200:]]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1300
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == keys[42]))
        assert row is not None
        assert (row.text, row.tasks, row.kind) == ("tin 42", [42, 43], MessageKind.DIGEST)


def test_two_scans_at_once_queue_each_key_once(sessions: sessionmaker[Session]) -> None:
    messages = _messages(900)
    added: list[list[str]] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            with db.transaction(sessions) as session:
                added.append(enqueue(session, messages, NOW).added)
        except BaseException as exc:  # SQLite's single writer may make one wait
            errors.append(exc)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(k for keys in added for k in keys) == sorted(m.key for m in messages)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 900
