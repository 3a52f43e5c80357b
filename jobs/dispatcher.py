"""Sending the outbox: claim due rows, send through a channel, record, retry, park.

Database work runs in a worker thread (``asyncio.to_thread``) so the event loop
that serves the chat never blocks on it. Each part of a long message is recorded
as soon as it is sent, so a crash resends at most the part that was in flight.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from data import chat_store, outbox
from data.clock import local_date, month_of
from data.db import transaction
from data.domain import ChatAddress, MessageKind
from data.models import OutboxMessage
from jobs import quota
from jobs.channels import Button, Channel, PermanentError, RateLimitError, split_message
from jobs.quota import Quota

log = logging.getLogger(__name__)
T = TypeVar("T")

ButtonFactory = Callable[[OutboxMessage], tuple[Button, ...]]


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 8  # then the row is parked and the admin told

    def delay(self, attempts: int) -> timedelta:
        seconds = self.first_delay.total_seconds() * self.factor ** max(attempts - 1, 0)
        return min(timedelta(seconds=seconds), self.max_delay)


@dataclass
class DispatchReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    parked: list[int] = field(default_factory=list)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def no_buttons(_row: OutboxMessage) -> tuple[Button, ...]:
    return ()


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        channels: Mapping[str, Channel],
        *,
        clock: Callable[[], datetime],
        retry: RetryPolicy | None = None,
        admin_chat: ChatAddress | None = None,  # told about parked rows (else the registered)
        buttons: ButtonFactory = no_buttons,
        worker: str | None = None,
        quotas: Mapping[str, Quota] | None = None,
    ) -> None:
        self.sessions = sessions
        self.channels = dict(channels)
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.admin_chat = admin_chat
        self.buttons = buttons
        self.worker = worker or new_worker_id()
        self.quotas = dict(quotas or {})
        # A 429 tells the whole bot to wait: nothing more goes out on that channel until then.
        self._paused_until: dict[str, datetime] = {}

    def _db(self, work: Callable[[Session], T]) -> T:
        with transaction(self.sessions) as session:
            return work(session)

    async def run_once(self, limit: int = 50) -> DispatchReport:
        """Send what is due now; returns what happened to each claimed row."""
        report = DispatchReport()
        now = self.clock()

        ready = [c for c in self.channels if self._paused_until.get(c, now) <= now]

        def take(session: Session) -> list[OutboxMessage]:
            return outbox.claim(session, self.worker, now, ready, limit)

        rows = await asyncio.to_thread(self._db, take)
        for row in rows:
            paused = self._paused_until.get(row.channel)
            if paused is not None and paused > self.clock():
                await self._retry(row, "channel paused after a 429", paused, False)
                continue
            await self._send(row, report)
        return report

    async def _send(self, row: OutboxMessage, report: DispatchReport) -> None:
        channel = self.channels[row.channel]
        parts = split_message(row.text, channel.max_length)
        buttons = self.buttons(row)
        if not await self._within_quota(row, len(parts) - row.parts_sent):
            report.retried.append(row.id)
            return
        try:
            for index in range(row.parts_sent, len(parts)):
                last = index == len(parts) - 1
                message_id = await channel.send(row.chat_id, parts[index], buttons if last else ())
                await self._record_part(row, message_id)
        except RateLimitError as exc:
            log.warning("outbox %s: %s", row.key, exc)
            until = self.clock() + timedelta(seconds=exc.retry_after)
            self._paused_until[row.channel] = until
            await self._retry(row, str(exc), until, False)
            report.retried.append(row.id)
            return
        except PermanentError as exc:
            await self._park(row, str(exc), report)
            return
        except Exception as exc:  # network errors, 5xx, anything unexpected: retry, then park
            error = f"{type(exc).__name__}: {exc}"
            if row.attempts + 1 >= self.retry.max_attempts:
                await self._park(row, error, report)
                return
            log.warning("outbox %s: attempt %d failed: %s", row.key, row.attempts + 1, error)
            await self._retry(row, error, self.clock() + self.retry.delay(row.attempts + 1), True)
            report.retried.append(row.id)
            return
        done_at = self.clock()
        await asyncio.to_thread(self._db, lambda s: outbox.finish(s, row.id, self.worker, done_at))
        log.info("outbox %s: sent in %d part(s)", row.key, len(parts))
        report.sent.append(row.id)

    async def _record_part(self, row: OutboxMessage, message_id: str) -> None:
        at = self.clock()

        def work(session: Session) -> tuple[int, int]:
            outbox.record_part(session, row.id, self.worker, message_id, at)
            after = outbox.record_sent(session, row.channel, at)
            return after - 1, after

        before, after = await asyncio.to_thread(self._db, work)
        limit = self.quotas.get(row.channel)
        if limit is not None and limit.crossed_warning(before, after):
            await self._alert(
                f"⚠️ {row.channel}: đã gửi {after}/{limit.monthly} tin trong tháng "
                f"{month_of(at)}. Gần hết hạn mức của gói; khi hết, tin nhắc sẽ được giữ "
                "lại đến đầu tháng sau (không mất).",
                f"quota-warn-{row.channel}-{month_of(at)}",
            )

    async def _within_quota(self, row: OutboxMessage, parts: int) -> bool:
        """False (and the row kept for next month, the office told once) when over the cap."""
        limit = self.quotas.get(row.channel)
        if limit is None:
            return True
        now = self.clock()
        already = await asyncio.to_thread(self._db, lambda s: outbox.used(s, row.channel, now))
        if limit.allows(already, parts):
            return True
        until = quota.next_month_start(now)
        log.error("outbox %s: %s monthly quota reached; held until %s", row.key, row.channel, until)
        await self._retry(row, f"{row.channel} monthly quota reached", until, False)
        await self._alert(
            f"⛔ {row.channel}: đã dùng hết {limit.monthly} tin của tháng {month_of(now)}. "
            f"Các tin nhắc còn lại được giữ trong hàng đợi và sẽ gửi từ "
            f"{until.astimezone(until.tzinfo):%d/%m/%Y}; có thể nâng gói hoặc gắn thêm nhóm "
            "Telegram cho đơn vị.",
            f"quota-full-{row.channel}-{month_of(now)}",
        )
        return False

    def _admin(self, session: Session) -> ChatAddress | None:
        """The office's chat: as configured, else as registered now (it may come later)."""
        return self.admin_chat or chat_store.admin_chat(session)

    def _enqueue_alert(
        self, session: Session, text: str, key: str, avoid: ChatAddress | None = None
    ) -> None:
        admin = self._admin(session)
        if admin is None or admin == avoid:
            log.error("no reachable admin chat to tell: %s", text)
            return
        now = self.clock()
        message = outbox.Outgoing(
            admin.channel, admin.chat_id, MessageKind.ALERT, local_date(now), text, key_suffix=key
        )
        outbox.enqueue(session, [message], now)

    async def _alert(self, text: str, key: str) -> None:
        """One message to the office's chat, at most once per key."""
        await asyncio.to_thread(self._db, lambda s: self._enqueue_alert(s, text, key))

    async def _retry(self, row: OutboxMessage, error: str, at: datetime, count: bool) -> None:
        await asyncio.to_thread(
            self._db,
            lambda s: outbox.retry_later(s, row.id, self.worker, error, at, count=count),
        )

    async def _park(self, row: OutboxMessage, error: str, report: DispatchReport) -> None:
        log.error("outbox %s: parked after %d attempt(s): %s", row.key, row.attempts + 1, error)

        def work(session: Session) -> None:
            parked = outbox.park(session, row.id, self.worker, error)
            if parked is None:
                return
            text = (
                f"⚠️ Không gửi được tin «{row.kind}» ngày {row.day:%d/%m/%Y} tới {row.channel} "
                f"{row.chat_id} sau {parked.attempts} lần thử.\nLý do: {error[:300]}\n"
                f"Tin vẫn được giữ; sau khi khắc phục, dùng: nhacviec outbox --retry {row.id}"
            )
            # an unreachable admin chat is not told about itself: the log is all we have
            self._enqueue_alert(
                session, text, str(row.id), avoid=ChatAddress(row.channel, row.chat_id)
            )

        await asyncio.to_thread(self._db, work)
        report.parked.append(row.id)
