"""The jobs of one running process, and their APScheduler 3.x wiring.

Nothing here keeps state between runs: the schedule is rebuilt from settings at
every start, the day's scan is recorded in the store (``scan_runs``), and a process
that starts after the scan time runs today's scan at once (catch-up), with the
days it missed folded into that one digest by the plan.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from data.clock import VN_TZ, local_date
from data.db import transaction
from data.scan_runs import has_scanned
from jobs.calendar import WorkCalendar
from jobs.dispatcher import Dispatcher, DispatchReport
from jobs.plan import Policy
from jobs.scan import ScanResult, run_scan

log = logging.getLogger(__name__)

SCAN_JOB = "morning-scan"
DISPATCH_JOB = "dispatch-outbox"


@dataclass
class Morning:
    sessions: sessionmaker[Session]
    calendar: WorkCalendar
    policy: Policy
    dispatcher: Dispatcher
    clock: Callable[[], datetime]
    scan_time: time = time(7, 30)

    def _scan_now(self) -> ScanResult:
        now = self.clock()
        with transaction(self.sessions) as session:
            return run_scan(session, local_date(now), now, self.calendar, self.policy)

    async def scan(self) -> ScanResult:
        """Today's scan: queue each chat's messages (idempotent), then send them."""
        result = await asyncio.to_thread(self._scan_now)
        log.info(
            "scan %s: %d queued, %d already queued",
            result.plan.date,
            len(result.queued),
            len(result.already_queued),
        )
        await self.dispatch()
        return result

    def _missed_today(self) -> bool:
        now = self.clock().astimezone(VN_TZ)
        if now.time() < self.scan_time:
            return False
        with self.sessions() as session:
            return not has_scanned(session, now.date())

    async def catch_up(self) -> ScanResult | None:
        """At start: if today's scan time has passed without a scan, scan now."""
        if await asyncio.to_thread(self._missed_today):
            log.info("catching up on today's scan")
            return await self.scan()
        return None

    async def dispatch(self) -> DispatchReport:
        return await self.dispatcher.run_once()


def morning_trigger(at: time) -> CronTrigger:
    """Every day at the scan time in Vietnam; the plan itself skips non-working days."""
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=VN_TZ)


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
