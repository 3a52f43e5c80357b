"""The morning scan: plan the day, turn it into messages, put them in the outbox.

``compose_messages`` is pure (plan + who listens → messages); ``run_scan`` is the
job: one session, read tasks and chats, plan, enqueue, remember the day. Running
it twice, or in two processes at once, queues each message once (outbox keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from data import chat_store, parts, scan_runs, scan_views, sql_counts, unit_store
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole, MessageKind
from data.outbox import Outgoing, enqueue
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.compose import (
    WEEKLY_NUMBERS,
    WEEKLY_UNITS,
    render_digest,
    render_escalation,
    render_weekly,
)
from jobs.plan import (
    DayPlan,
    DigestItem,
    Policy,
    UnitWeek,
    WeekTally,
    plan_day,
    scan_window,
    week_range,
)
from jobs.report import reporting_since


@dataclass(frozen=True)
class Audience:
    """Who listens: each unit's chats (Telegram, Zalo, both), the admin and supervising chats."""

    unit_names: Mapping[str, str]
    unit_chats: Mapping[str, Sequence[ChatAddress]] = field(default_factory=dict)
    admin: ChatAddress | None = None
    supervisor: ChatAddress | None = None  # Ủy ban Kiểm tra / office; the admin chat if unset


@dataclass(frozen=True)
class PlannedMessage:
    kind: MessageKind
    unit: str | None
    destination: ChatAddress | None  # None: nobody bound yet (shown, not queued)
    items: tuple[DigestItem, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "chat": str(self.destination) if self.destination else None,
            "kind": self.kind,
            "items": [
                {
                    "task": item.number,
                    "reason": item.reason.value,
                    "due": item.due.isoformat() if item.due else None,
                    "days": item.days,
                }
                for item in self.items
            ],
            "text": self.text,
        }


def compose_messages(plan: DayPlan, audience: Audience) -> list[PlannedMessage]:
    messages: list[PlannedMessage] = []
    for unit, items in plan.digests.items():
        if not items:
            continue
        text = render_digest(audience.unit_names.get(unit, unit), items, plan.date)
        destinations: Sequence[ChatAddress | None] = audience.unit_chats.get(unit) or [None]
        for destination in destinations:
            messages.append(
                PlannedMessage(MessageKind.DIGEST, unit, destination, tuple(items), text)
            )
    supervisor = audience.supervisor or audience.admin
    if plan.escalations:
        text = render_escalation(plan.escalations, audience.unit_names, plan.date)
        escalated = tuple(plan.escalations)
        messages.append(PlannedMessage(MessageKind.ESCALATION, None, supervisor, escalated, text))
    if plan.weekly is not None:
        text = render_weekly(plan.weekly, audience.unit_names, plan.date)
        messages.append(PlannedMessage(MessageKind.WEEKLY, None, audience.admin, (), text))
    return messages


def load_audience(session: Session) -> Audience:
    unit_chats: dict[str, list[ChatAddress]] = {}
    admin = supervisor = None
    for chat in chat_store.bound_chats(session):
        destination = chat.address
        if chat.role is ChatRole.UNIT and chat.unit_code is not None:
            unit_chats.setdefault(chat.unit_code, []).append(destination)
        elif chat.role is ChatRole.ADMIN and admin is None:
            admin = destination
        elif chat.role is ChatRole.SUPERVISOR and supervisor is None:
            supervisor = destination
    return Audience(unit_store.unit_names(session), unit_chats, admin, supervisor)


@dataclass(frozen=True)
class ScanResult:
    plan: DayPlan
    messages: list[PlannedMessage]
    queued: list[str]  # outbox keys added now
    already_queued: list[str]  # keys a previous scan (or another worker) had added


def run_scan(
    session: Session,
    today: date,
    now: datetime,
    calendar: WorkCalendar,
    policy: Policy,
    *,
    dry_run: bool = False,
) -> ScanResult:
    """Plan ``today`` from the store and queue its messages (unless ``dry_run``)."""
    last_run = scan_runs.last_scan_before(session, today)
    window = scan_window(today, calendar, policy, last_run)
    views: list[TaskView] = []
    counted = None
    if window.working_day:  # only the rows that can give this morning an item
        views = scan_views.task_views(
            session,
            today=today,
            due_dates=window.ladder_targets.keys(),
            checkin=window.reads_long_tasks,
            owing=window.owing_bounds,
        )
        if window.weekly:  # the summary's counts of every other part, made in SQL
            counted = week_tally(session, today)
    plan = plan_day(views, today, calendar, policy, last_run, counted=counted)
    if plan.weekly is not None:  # the office hears who owes a progress report
        start = reporting_since(today, policy.checkin_months, policy.checkin_day)
        since = datetime.combine(start, time(), VN_TZ)  # numbers only for the units listed
        owed = parts.unreported_parts(session, since, shown=WEEKLY_NUMBERS, units=WEEKLY_UNITS)
        weekly = replace(plan.weekly, unreported=owed)
        plan = replace(plan, weekly=weekly)
    messages = compose_messages(plan, load_audience(session))
    if dry_run:
        return ScanResult(plan, messages, [], [])
    outgoing = [
        Outgoing(
            m.destination.channel,
            m.destination.chat_id,
            m.kind,
            today,
            m.text,
            tuple(i.number for i in m.items if m.kind is MessageKind.DIGEST),
        )
        for m in messages
        if m.destination is not None
    ]
    result = enqueue(session, outgoing, now)
    if plan.working_day:
        scan_runs.remember_scan(session, today, now, len(outgoing))
    return ScanResult(plan, messages, result.added, result.existing)


# -- counts made by the store (GROUP BY unit and status), the rest in Python -----------


def week_tally(session: Session, today: date) -> WeekTally:
    """The weekly summary's counts of every one-off part with an owner, from SQL.

    ``plan_day(candidate rows, counted=…)`` adds the recurring and ownerless parts.
    """
    done_since, _, week_end = week_range(today)
    rows = sql_counts.week_counts(session, today, done_since, week_end)
    units = {code: UnitWeek(**row) for code, row in rows.units.items()}
    return WeekTally(units, UnitWeek(**rows.total))
