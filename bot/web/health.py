"""``GET /healthz``: for an outside monitor (compose's healthcheck, uptime checkers).

No sign-in: it says only whether the store answers, the day of the last morning scan
and whether today's ran, and how many outbox messages wait or are parked — never a
task, a chat or a name. 200 when the store answers and today's scan is not overdue,
else 503. Today's scan is overdue on a working day once the office would have been
told (``ScanRetry.alert_after`` after the scan time) and it has not run.

The other half of watching: with ``NHACVIEC_HEALTHCHECK_URL`` set, the bot pings it
after each successful scan and dispatch round (``bot.heartbeat``), so a monitor
notices silence even when nothing can answer ``/healthz``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from data import health
from data.clock import VN_TZ, local_date
from jobs.calendar import WorkCalendar
from jobs.morning import ScanRetry


class ScanOutcome(StrEnum):
    DONE = "done"  # today's scan ran
    NOT_YET = "not_yet"  # before the scan time (or within the retry window)
    DAY_OFF = "day_off"  # no scan on a day off
    OVERDUE = "overdue"  # a working day, long past the scan time, no scan: 503


def scan_outcome(
    last_day: Any, now: datetime, scan_time: time, calendar: WorkCalendar
) -> ScanOutcome:
    today = local_date(now)
    if last_day is not None and last_day >= today:
        return ScanOutcome.DONE
    if not calendar.is_working_day(today):
        return ScanOutcome.DAY_OFF
    due = datetime.combine(today, scan_time, VN_TZ) + ScanRetry().alert_after
    return ScanOutcome.OVERDUE if now >= due else ScanOutcome.NOT_YET


async def healthz(request: Request) -> JSONResponse:
    runtime = request.app.state.web.runtime
    now = runtime.clock()

    def read() -> health.StoreHealth:
        with runtime.sessions() as session:
            return health.read(session)

    try:
        found = await asyncio.wait_for(asyncio.to_thread(read), timeout=5)
    except Exception as exc:  # unreachable, or too slow to count as up
        down = {"status": "fail", "database": "unreachable", "error": type(exc).__name__}
        return JSONResponse(down, status_code=503, headers={"Cache-Control": "no-store"})
    outcome = scan_outcome(found.last_scan_day, now, runtime.settings.scan_time, runtime.calendar)
    ok = outcome is not ScanOutcome.OVERDUE
    body: dict[str, Any] = {
        "status": "ok" if ok else "fail",
        "database": "ok",
        "scan": {
            "last_day": found.last_scan_day.isoformat() if found.last_scan_day else None,
            "ran_at": found.last_scan_at.isoformat() if found.last_scan_at else None,
            "today": outcome.value,
        },
        "outbox": {"waiting": found.waiting, "parked": found.parked},
    }
    return JSONResponse(body, status_code=200 if ok else 503, headers={"Cache-Control": "no-store"})
