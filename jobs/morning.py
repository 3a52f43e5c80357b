"""The jobs of one running process, and their APScheduler 3.x wiring.

Nothing here keeps state between runs: the schedule is rebuilt from settings at
every start, the day's scan is recorded in the store (``scan_runs``), and a process
that starts after the scan time runs today's scan at once (catch-up), with the
days it missed folded into that one digest by the plan.

Nothing lost, nobody stalled:

* **A scan that fails is tried again** (the store down, SQLite locked): after 5 s,
  then twice as long each time up to every 5 minutes (``ScanRetry``), until it
  succeeds that day; the day's digests then go out, once (outbox keys). When the
  day ends first, the next morning's scan folds the missed day in. If it has not
  succeeded 2 hours after it was due (``ScanRetry.alert_after``, counted from the
  scan time, or from the first attempt when that was later, e.g. a catch-up), the
  office's chat is told (an outbox alert, once a day; while the store is down the
  alert cannot be written, so each later failure tries again); a scan that succeeds
  after that deadline tells the office it ran late.
* **A scan never goes back in time for sending**: when a later day was already
  scanned (the server's clock was set back), an earlier day's scan queues nothing,
  logs it and tells the office once that day (``MorningScan.superseded_by``).
* **Sending is not a tick**: after a scan queued its messages the dispatcher drains
  the outbox at the platform's pace (``Dispatcher.drain``); the dispatch job only
  wakes a drain (rows whose retry came due, rows other processes queued) and never
  waits for it, so a long drain never makes the scheduler skip a run.
* **Start-up stays short**: the catch-up makes one attempt and sends the first
  batch before returning; the retries of a failed scan and the rest of the sending
  go on in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from data.clock import VN_TZ, local_date
from data.db import transaction
from data.scan_runs import has_scanned, last_scan
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher
from jobs.plan import Policy
from jobs.scan import ScanResult, run_scan

log = logging.getLogger(__name__)

SCAN_JOB = "morning-scan"
DISPATCH_JOB = "dispatch-outbox"
CATCH_UP_BATCH = 50  # rows the catch-up sends before the bot starts answering


@dataclass(frozen=True)
class ScanRetry:
    """How a morning scan that failed is tried again, and when the office is told."""

    first_delay: timedelta = timedelta(seconds=5)
    factor: float = 2.0
    max_delay: timedelta = timedelta(minutes=5)
    alert_after: timedelta = timedelta(hours=2)  # after the scan time (or the first attempt)

    def delay(self, failures: int) -> timedelta:
        seconds = self.first_delay.total_seconds() * self.factor ** max(failures - 1, 0)
        return min(timedelta(seconds=seconds), self.max_delay)


@dataclass(frozen=True)
class MorningScan(ScanResult):
    """A scan as the morning job ran it: the scan's result and how it went."""

    attempts: int = 1
    superseded_by: date | None = None  # a later day was scanned already: nothing queued
    late: bool = False  # it succeeded only after the alert deadline (the office was told)


def _with(result: ScanResult, **extra: Any) -> MorningScan:
    values = {f.name: getattr(result, f.name) for f in fields(ScanResult)}
    return MorningScan(**values, **extra)


@dataclass
class Morning:
    sessions: sessionmaker[Session]
    calendar: WorkCalendar
    policy: Policy
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    scan_time: time = time(7, 30)
    retry: ScanRetry = ScanRetry()
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests pass a fake clock's
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)
    _background: set[asyncio.Task[Any]] = field(default_factory=set, init=False, repr=False)

    # -- the scan ----------------------------------------------------------------------

    async def scan(self) -> MorningScan | None:
        """Today's scan, tried until it succeeds today; then what it queued is sent.

        None: the day ended before the scan could run (the next morning folds it in).
        """
        async with self._lock:
            scanned = await self._scan_until_done()
        if scanned is not None:  # its messages, or the office's alert that it sent none
            await self._send_all()
        return scanned

    async def _scan_until_done(self) -> MorningScan | None:
        started = self.clock()
        day = local_date(started)
        due = datetime.combine(day, self.scan_time, VN_TZ)
        deadline = max(due, started) + self.retry.alert_after
        failures, told = 0, False
        while True:
            now = self.clock()
            try:
                return await asyncio.to_thread(self._scan_day, day, now, failures, deadline)
            except Exception as exc:
                failures += 1
                error = f"{type(exc).__name__}: {exc}"
                if now >= deadline and not told:
                    told = await self._tell(
                        day, self._failing_text(day, failures, error), "failing"
                    )
                wait = self.retry.delay(failures)
                if local_date(now + wait) != day:
                    log.error(
                        "scan %s: gave up at the day's end after %d attempt(s): %s",
                        day,
                        failures,
                        error,
                    )
                    return None
                log.warning(
                    "scan %s: attempt %d failed (%s); again in %gs",
                    day,
                    failures,
                    error,
                    wait.total_seconds(),
                )
                await self.sleep(wait.total_seconds())

    def _scan_day(self, day: date, now: datetime, failures: int, deadline: datetime) -> MorningScan:
        """One attempt, one transaction: the clock-jump rule, the scan, a late note."""
        with transaction(self.sessions) as session:
            latest = last_scan(session)
            if latest is not None and latest > day:
                result = run_scan(session, day, now, self.calendar, self.policy, dry_run=True)
                log.error(
                    "scan %s: %s was scanned already (the clock went back?): nothing queued",
                    day,
                    latest,
                )
                text = (
                    f"⚠️ Đồng hồ máy chủ đang là ngày {day:%d/%m/%Y} nhưng ngày "
                    f"{latest:%d/%m/%Y} đã được quét: không gửi tin nhắc của ngày cũ. "
                    "Kiểm tra đồng hồ của máy chủ."
                )
                self.dispatcher.enqueue_alert(session, text, f"clock-{day.isoformat()}")
                return _with(result, attempts=failures + 1, superseded_by=latest)
            result = run_scan(session, day, now, self.calendar, self.policy)
            late = failures > 0 and now >= deadline
            if late:
                text = (
                    f"ℹ️ Quét việc buổi sáng ngày {day:%d/%m/%Y} đã chạy được lúc "
                    f"{now.astimezone(VN_TZ):%H:%M}, sau {failures + 1} lần thử: tin nhắc "
                    "sáng nay được gửi muộn."
                )
                self.dispatcher.enqueue_alert(session, text, f"scan-late-{day.isoformat()}")
        log.info(
            "scan %s: %d queued, %d already queued (attempt %d)",
            day,
            len(result.queued),
            len(result.already_queued),
            failures + 1,
        )
        return _with(result, attempts=failures + 1, late=late)

    def _failing_text(self, day: date, failures: int, error: str) -> str:
        return (
            f"⚠️ Quét việc buổi sáng ngày {day:%d/%m/%Y} (lúc {self.scan_time:%H:%M}) chưa "
            f"chạy được sau {failures} lần thử.\nLỗi: {error[:300]}\nBot vẫn tiếp tục thử; "
            "tin nhắc sáng nay sẽ được gửi ngay khi quét được."
        )

    async def _tell(self, day: date, text: str, what: str) -> bool:
        """Best effort: the office's chat hears about it (False while the store is down)."""

        def work() -> bool:
            with transaction(self.sessions) as session:
                key = f"scan-{what}-{day.isoformat()}"
                return self.dispatcher.enqueue_alert(session, text, key)

        try:
            return await asyncio.to_thread(work)
        except Exception as exc:
            log.error("scan %s: cannot tell the office (%s): %s", day, exc, text)
            return False

    async def _send_all(self) -> None:
        # a store error while sending is the dispatcher's (logged there; the next run resumes)
        with contextlib.suppress(Exception):
            await self.dispatcher.drain()

    # -- start-up and the dispatch job -------------------------------------------------

    def _missed(self, day: date) -> bool:
        with self.sessions() as session:
            return not has_scanned(session, day)

    async def catch_up(self) -> MorningScan | None:
        """At start: if today's scan time has passed without a scan, scan now.

        One attempt and the first batch of sending are awaited; a failed attempt is
        retried in the background (``scan``), and the rest of the sending drains in
        the background, so the bot starts answering at once.
        """
        now = self.clock()
        if now.astimezone(VN_TZ).time() < self.scan_time:
            return None
        day = local_date(now)
        try:
            if not await asyncio.to_thread(self._missed, day):
                return None
            log.info("catching up on today's scan")
            async with self._lock:
                scanned = await asyncio.to_thread(self._scan_day, day, now, 0, now)
        except Exception as exc:
            log.warning("catch-up scan %s failed (%s): retrying in the background", day, exc)
            self._in_background(self.scan())
            return None
        with contextlib.suppress(Exception):  # logged by the dispatcher; the job resumes
            width = self.dispatcher.concurrency
            report = await self.dispatcher.run_once(CATCH_UP_BATCH, width=width)
            taken = len(report.sent) + len(report.retried) + len(report.parked)
            if taken >= CATCH_UP_BATCH or report.retried:
                self.dispatcher.wake()  # the rest, in the background
        return scanned

    async def dispatch(self) -> None:
        """The dispatch job: wake the drain (it runs in the background; never waited on)."""
        self.dispatcher.wake()

    async def settled(self) -> None:
        """Wait for what the catch-up left running (a scan being retried); for shutdown, tests."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    def _in_background(self, work: Coroutine[Any, Any, object]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def morning_trigger(at: time) -> CronTrigger:
    """Every day at the scan time in Vietnam; the plan itself skips non-working days."""
    return CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=VN_TZ)


@dataclass(frozen=True)
class JobSpec:
    id: str
    name: str
    func: Callable[[], Awaitable[object]]
    trigger: BaseTrigger
    options: dict[str, object]


def job_specs(morning: Morning, dispatch_every: timedelta) -> list[JobSpec]:
    """The process's jobs, rebuilt from settings at every start (nothing kept in memory)."""
    return [
        JobSpec(
            SCAN_JOB,
            "Quét việc buổi sáng",
            morning.scan,
            morning_trigger(morning.scan_time),
            {"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
        ),
        JobSpec(
            DISPATCH_JOB,
            "Gửi hàng đợi",
            morning.dispatch,
            IntervalTrigger(seconds=dispatch_every.total_seconds(), timezone=VN_TZ),
            {"coalesce": True, "max_instances": 1},
        ),
    ]


def install(scheduler: BaseScheduler, morning: Morning, dispatch_every: timedelta) -> None:
    """Register the jobs on a plain APScheduler 3.x scheduler (idempotent: ids replace)."""
    for spec in job_specs(morning, dispatch_every):
        scheduler.add_job(
            spec.func,
            spec.trigger,
            id=spec.id,
            name=spec.name,
            replace_existing=True,
            **spec.options,
        )
