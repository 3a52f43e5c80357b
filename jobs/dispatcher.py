"""Sending the outbox: read due rows, take each as its send starts, record, retry, park.

Database work runs in a worker thread (``asyncio.to_thread``) so the event loop
that serves the chat never blocks on it. A row is taken (``outbox.take``) only when
its send starts, so a crash or a store cut leaves the rows not yet started free at
once. Each part of a long message is recorded as soon as it is sent (the last one
together with the row's end); when the store is busy or away then (SQLite held by
another writer, PostgreSQL cut) the recording is retried, never the sending. A
crash resends at most the parts that were in flight: one (``run_once``, one row at
a time), or one per row a drain was sending (at most ``concurrency``, never two in
one chat).

Speed: a drain goes on while rows are due, a few rows at once, so the platform's
rate limiter (Telegram: 30 messages/s, 20/min per group, kept by the limiter the
application installs) sets the pace, not our round trips, and one chat waiting for
its group's slot never holds up the others. A 429 pauses the channel for its
``retry_after`` (at least ``MIN_PAUSE``): no row starts a send until it ends (the
requests already waiting in the platform's limiter are its to hold back:
bot/telegram/pacing.py refuses them locally).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from data import chat_store, outbox
from data.clock import local_date, month_of
from data.db import transaction
from data.domain import ChatAddress, MessageKind
from data.leases import new_worker_id
from data.models import OutboxMessage
from jobs import quota
from jobs.channels import (
    Button,
    Channel,
    PermanentError,
    RateLimitError,
    split_message,
)
from jobs.quota import Quota

log = logging.getLogger(__name__)
T = TypeVar("T")

MIN_PAUSE = 1.0  # seconds: a 429 saying "retry after 0" still pauses the channel this long
# A part that went out is recorded however long the store takes, within the row's lease.
RECORD_FOR = outbox.LEASE - timedelta(seconds=60)
RECORD_FIRST_DELAY = 0.2  # seconds, doubling
RECORD_MAX_DELAY = 5.0

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


def no_buttons(_row: OutboxMessage) -> tuple[Button, ...]:
    return ()


class _ChannelPaused(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"paused until {until.isoformat()}")
        self.until = until


class _OverQuota(Exception):
    """The month's cap has no room for a message: its reservation is rolled back."""


class _FailureLog:
    """A background drain that failed (the store went away): said once at ERROR while
    it keeps failing (the dispatch job wakes a drain every few seconds), then once when
    a drain succeeds again."""

    def __init__(self) -> None:
        self.failing = False

    def __call__(self, task: asyncio.Task[DispatchReport]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None and not self.failing:
            log.error("dispatch stopped: %s: %s", type(exc).__name__, exc)
        elif exc is not None:
            log.debug("dispatch still stopped: %s: %s", type(exc).__name__, exc)
        elif self.failing:
            log.warning("dispatch resumed")
        self.failing = exc is not None


class Dispatcher:
    """Sends the outbox through the channels this process runs.

    ``drain`` sends until nothing is due: it claims batches one after another and
    sends them at the pace the channel allows (the platform's rate limiter: python-
    telegram-bot's for Telegram), a few rows at once (``concurrency``; one chat's
    rows one after another, in order) so the limiter, not our own round trips, sets
    the speed. One drain runs per dispatcher: asking again while it runs makes it
    look once more before it stops (``wake``), so rows queued meanwhile go out in
    the same run. A 429 pauses that channel: the drain sleeps until the pause ends
    (or it is woken) and goes on. Rows whose retry lies in the future are left to a
    later drain (the dispatch job asks every few seconds).
    """

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
        concurrency: int = 4,  # rows a drain sends at once (a channel with a quota: one)
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,  # tests pass a fake clock's
        on_round: Callable[[DispatchReport], None] | None = None,  # a drain ended well
    ) -> None:
        self.sessions = sessions
        self.channels = dict(channels)
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.admin_chat = admin_chat
        self.buttons = buttons
        self.worker = worker or new_worker_id()
        self.quotas = dict(quotas or {})
        self.concurrency = max(1, concurrency)
        self.sleep = sleep
        self._log_failure = _FailureLog()
        self.on_round = on_round
        # A 429 tells the whole bot to wait: nothing more goes out on that channel until then.
        self._paused_until: dict[str, datetime] = {}
        self._slots = {  # rows of one channel being handled at once
            name: asyncio.Semaphore(1 if name in self.quotas else self.concurrency)
            for name in self.channels
        }
        self._chat_locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._drain_task: asyncio.Task[DispatchReport] | None = None
        self._woken = asyncio.Event()
        self._sending: set[int] = set()  # rows this dispatcher took and is delivering
        self._unsure = False  # a store error: a take's commit may have landed unanswered

    def _db(self, work: Callable[[Session], T]) -> T:
        with transaction(self.sessions) as session:
            return work(session)

    # -- entry points --------------------------------------------------------------------

    async def run_once(self, limit: int = 50, *, width: int = 1) -> DispatchReport:
        """Send one batch of what is due now (up to ``limit`` rows), ``width`` rows at once.

        ``nhacviec dispatch`` sends one row at a time: a crash resends at most one part.
        """
        report = DispatchReport()
        await self._pump(report, limit, once=True, width=max(1, width))
        return report

    async def drain(self, batch: int = 50) -> DispatchReport:
        """Send everything due now, batch after batch; returns when nothing is left.

        If a drain is already running, it is told to look again and this waits for it.
        """
        task = self._drain_task
        if task is None or task.done():
            task = self._drain_task = asyncio.create_task(self._drain(batch))
            task.add_done_callback(self._log_failure)
        else:
            self._woken.set()
        return await asyncio.shield(task)

    def wake(self, batch: int = 50) -> None:
        """Start a drain in the background, or make the running one look again; no waiting."""
        task = self._drain_task
        if task is None or task.done():
            self._drain_task = asyncio.create_task(self._drain(batch))
            self._drain_task.add_done_callback(self._log_failure)
        else:
            self._woken.set()

    # -- the drain -----------------------------------------------------------------------

    async def _drain(self, batch: int) -> DispatchReport:
        report = DispatchReport()
        while True:
            self._woken.clear()
            await self._pump(report, batch, once=False, width=self.concurrency)
            if self._woken.is_set():
                continue  # rows came while we sent: look again
            pause = self._pause_left()
            if pause is None:
                if self.on_round is not None:
                    self.on_round(report)
                return report
            await self._nap(pause)  # a 429's pause, unless woken sooner

    def _pause_left(self) -> float | None:
        """Seconds until the first channel pause ends (None: no channel is paused)."""
        now = self.clock()
        left = [(until - now).total_seconds() for until in self._paused_until.values()]
        waiting = [s for s in left if s > 0]
        return min(waiting) if waiting else None

    async def _nap(self, seconds: float) -> None:
        nap = asyncio.ensure_future(self.sleep(seconds))
        woken = asyncio.ensure_future(self._woken.wait())
        try:
            await asyncio.wait({nap, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            nap.cancel()
            woken.cancel()

    async def _due(self, limit: int) -> list[outbox.DueRow]:
        now = self.clock()
        ready = [c for c in self.channels if self._paused_until.get(c, now) <= now]
        if not ready:
            return []
        return await asyncio.to_thread(self._db, lambda s: outbox.due(s, now, ready, limit))

    async def _pump(self, report: DispatchReport, batch: int, *, once: bool, width: int) -> None:
        """Read what is due and send it until nothing is (``once``: a single read),
        ``width`` rows at once.

        A row is taken only as its send starts (``outbox.take``): rows waiting here are
        not the store's "sending", so a crash or a store error leaves them free for any
        dispatcher at once. The next batch is read while the last rows of this one are
        still going out, so the channel never waits for us. A store error stops the
        reading; rows already being sent finish, the error is raised once they have.
        """
        if self._unsure:
            keep = set(self._sending)
            freed = await asyncio.to_thread(
                self._db, lambda s: outbox.release_sending(s, self.worker, keep)
            )
            self._unsure = False
            if freed:
                log.info("outbox: %d row(s) taken during a store error are free again", freed)
        queue: asyncio.Queue[outbox.DueRow] = asyncio.Queue(maxsize=batch)
        failed: list[BaseException] = []
        here: set[int] = set()  # rows queued or being sent by this pump
        workers = [
            asyncio.create_task(self._work(queue, report, failed, here)) for _ in range(width)
        ]
        try:
            while not failed:
                limit = batch + len(here)
                try:
                    rows = await self._due(limit)
                except Exception as exc:
                    failed.append(exc)
                    break
                for row in rows:
                    if row.id not in here:
                        here.add(row.id)
                        await queue.put(row)
                if once or len(rows) < limit:
                    break
            await queue.join()
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        if failed:
            self._unsure = True
            raise failed[0]

    async def _work(
        self,
        queue: asyncio.Queue[outbox.DueRow],
        report: DispatchReport,
        failed: list[BaseException],
        here: set[int],
    ) -> None:
        while True:
            due = await queue.get()
            try:
                if not failed:  # after a store error, rows not taken stay free for anyone
                    key = (due.channel, due.chat_id)
                    lock = self._chat_locks.get(key)
                    if lock is None:
                        lock = self._chat_locks[key] = asyncio.Lock()
                    async with lock, self._slots[due.channel]:
                        await self._deliver(due, report)
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # the store failed (or the process is going down)
                log.error("outbox %s: sending stops: %s: %s", due.id, type(exc).__name__, exc)
                failed.append(exc)
            finally:
                here.discard(due.id)
                queue.task_done()

    def _paused(self, channel: str) -> datetime | None:
        until = self._paused_until.get(channel)
        return until if until is not None and until > self.clock() else None

    async def _deliver(self, due: outbox.DueRow, report: DispatchReport) -> None:
        # Taken now, as its send starts: while it waited in the queue (a busy chat, the
        # pacing) another dispatcher may have sent it; then it is left alone.
        now = self.clock()
        row = await asyncio.to_thread(
            self._db, lambda s: outbox.take(s, due.id, self.worker, now, [due.channel])
        )
        if row is None:
            log.debug("outbox %s: taken or sent elsewhere meanwhile", due.id)
            return
        self._sending.add(row.id)
        try:
            await self._send_row(row, report)
        finally:
            self._sending.discard(row.id)

    async def _send_row(self, row: OutboxMessage, report: DispatchReport) -> None:
        if (paused := self._paused(row.channel)) is not None:
            await self._retry(row, "channel paused after a 429", paused, False)
            report.retried.append(row.id)
            return
        channel = self.channels[row.channel]
        parts = split_message(row.text, channel.max_length)
        buttons = self.buttons(row)
        if row.parts_sent >= len(parts):  # every part recorded before (or a blank text)
            await asyncio.to_thread(
                self._db, lambda s: outbox.finish(s, row.id, self.worker, self.clock())
            )
            report.sent.append(row.id)
            return
        reserved_at = self.clock()  # the month the parts are reserved in (and given back to)
        if not await self._within_quota(row, len(parts) - row.parts_sent, reserved_at):
            report.retried.append(row.id)
            return
        unsent = len(parts) - row.parts_sent  # reserved against a quota, not yet sent
        try:
            for index in range(row.parts_sent, len(parts)):
                last = index == len(parts) - 1
                if (paused := self._paused(row.channel)) is not None:  # a 429 meanwhile
                    raise _ChannelPaused(paused)
                text = parts[index]
                message_id = await channel.send(row.chat_id, text, buttons if last else ())
                unsent -= 1
                await self._record_part(row, message_id, finished=last)
        except _ChannelPaused as exc:
            await self._refund(row, unsent, reserved_at)
            await self._retry(row, "channel paused after a 429", exc.until, False)
            report.retried.append(row.id)
            return
        except RateLimitError as exc:
            log.warning("outbox %s: %s", row.key, exc)
            await self._refund(row, unsent, reserved_at)
            until = self.clock() + timedelta(seconds=max(exc.retry_after, MIN_PAUSE))
            self._paused_until[row.channel] = max(until, self._paused_until.get(row.channel, until))
            await self._retry(row, str(exc), until, False)
            report.retried.append(row.id)
            return
        except PermanentError as exc:
            await self._refund(row, unsent, reserved_at)
            await self._park(row, str(exc), report)
            return
        except Exception as exc:  # network errors, 5xx, anything from a channel: retry,
            if isinstance(exc, SQLAlchemyError):  # then park
                raise  # the store, not the channel: stop sending
            # the part in flight may have gone out: it stays counted, the rest is given back
            await self._refund(row, unsent - 1, reserved_at)
            await self._failed(row, f"{type(exc).__name__}: {exc}", report)
            return
        log.info("outbox %s: sent in %d part(s)", row.key, len(parts))
        report.sent.append(row.id)

    async def _failed(self, row: OutboxMessage, error: str, report: DispatchReport) -> None:
        if row.attempts + 1 >= self.retry.max_attempts:
            await self._park(row, error, report)
            return
        log.warning("outbox %s: attempt %d failed: %s", row.key, row.attempts + 1, error)
        await self._retry(row, error, self.clock() + self.retry.delay(row.attempts + 1), True)
        report.retried.append(row.id)

    async def _record_part(self, row: OutboxMessage, message_id: str, *, finished: bool) -> None:
        """One part went out: recorded at once (with the row finished after its last part).

        The part is out: only its recording is retried when the store is busy or away
        (SQLite held by another writer, PostgreSQL cut), never the sending, for as long
        as the row's lease lasts (``RECORD_FOR``); a message is never sent twice because
        the store refused to note it. Past that the error stops this drain.
        """
        at = self.clock()
        counted = row.channel not in self.quotas  # a quota's parts were counted when reserved

        def work(session: Session) -> None:
            outbox.record_part(session, row.id, self.worker, message_id, at)
            if counted:
                outbox.record_sent(session, row.channel, at)
            if finished:
                outbox.finish(session, row.id, self.worker, at)

        delay, waited = RECORD_FIRST_DELAY, 0.0
        while True:
            try:
                await asyncio.to_thread(self._db, work)
                break
            except OperationalError as exc:
                if waited >= RECORD_FOR.total_seconds():
                    raise
                log.warning(
                    "outbox %s: part sent, recording it failed (%s); again in %.1fs",
                    row.key,
                    type(exc).__name__,
                    delay,
                )
                await self.sleep(delay)
                waited += delay
                delay = min(delay * 2, RECORD_MAX_DELAY)
        if waited:
            log.info("outbox %s: part recorded after %.1fs of store trouble", row.key, waited)

    async def _within_quota(self, row: OutboxMessage, parts: int, now: datetime) -> bool:
        """Reserve ``parts`` of the month's cap before sending them: the increment's row
        lock orders every dispatcher on the store (two bots on one database stop at the
        cap together). False (the row kept for next month, the office told once) when
        there is no room. A part that may have gone out stays counted."""
        limit = self.quotas.get(row.channel)
        if limit is None or parts <= 0:
            return True

        def reserve(session: Session) -> int:
            after = outbox.record_sent(session, row.channel, now, parts)
            if not limit.allows(after - parts, parts):
                raise _OverQuota  # rolled back: nothing reserved
            return after

        try:
            after = await asyncio.to_thread(self._db, reserve)
        except _OverQuota:
            pass
        else:
            if limit.crossed_warning(after - parts, after):
                await self._alert(
                    f"⚠️ {row.channel}: đã gửi {after}/{limit.monthly} tin trong tháng "
                    f"{month_of(now)}. Gần hết hạn mức của gói; khi hết, tin nhắc sẽ được giữ "
                    "lại đến đầu tháng sau (không mất).",
                    f"quota-warn-{row.channel}-{month_of(now)}",
                )
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

    def enqueue_alert(
        self, session: Session, text: str, key: str, avoid: ChatAddress | None = None
    ) -> bool:
        """Queue one message to the office's chat in ``session``, at most once per key.

        False when there is no office chat to tell (then only the log says it).
        """
        admin = self._admin(session)
        if admin is None or admin == avoid:
            log.error("no reachable admin chat to tell: %s", text)
            return False
        now = self.clock()
        message = outbox.Outgoing(
            admin.channel, admin.chat_id, MessageKind.ALERT, local_date(now), text, key_suffix=key
        )
        outbox.enqueue(session, [message], now)
        return True

    async def _refund(self, row: OutboxMessage, parts: int, reserved_at: datetime) -> None:
        """Give back, to the month they were reserved in, the parts the platform refused
        (429, a permanent error) or never saw: they are reserved again when retried."""
        if parts > 0 and row.channel in self.quotas:
            await asyncio.to_thread(
                self._db, lambda s: outbox.record_sent(s, row.channel, reserved_at, -parts)
            )

    async def _alert(self, text: str, key: str) -> None:
        """One message to the office's chat, at most once per key."""
        await asyncio.to_thread(self._db, lambda s: self.enqueue_alert(s, text, key))

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
            self.enqueue_alert(
                session, text, str(row.id), avoid=ChatAddress(row.channel, row.chat_id)
            )

        await asyncio.to_thread(self._db, work)
        report.parked.append(row.id)
