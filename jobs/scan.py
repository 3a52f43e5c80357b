"""The morning scan: plan the day, turn it into messages, put them in the outbox.

``compose_messages`` is pure (plan + who listens → messages); ``run_scan`` is the
job: one session, read tasks and chats, plan, enqueue, remember the day. Running
it twice, or in two processes at once, queues each message once (outbox keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from data.db import insert_ignoring_conflict
from data.models import Chat, ScanRun, Unit
from data.store import task_views
from jobs.calendar import WorkCalendar
from jobs.compose import render_digest, render_escalation, render_weekly
from jobs.outbox import Outgoing, enqueue
from jobs.plan import DayPlan, DigestItem, Policy, plan_day, scan_window


@dataclass(frozen=True)
class Destination:
    channel: str
    chat_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.chat_id}"


@dataclass(frozen=True)
class Audience:
    """Who listens: each unit's chats (Telegram, Zalo, both), the admin and supervising chats."""

    unit_names: Mapping[str, str]
    unit_chats: Mapping[str, Sequence[Destination]] = field(default_factory=dict)
    admin: Destination | None = None
    supervisor: Destination | None = None  # Ủy ban Kiểm tra / office; the admin chat if unset


@dataclass(frozen=True)
class PlannedMessage:
    kind: str  # digest | escalation | weekly
    unit: str | None
    destination: Destination | None  # None: nobody bound yet (shown, not queued)
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
        destinations: Sequence[Destination | None] = audience.unit_chats.get(unit) or [None]
        for destination in destinations:
            messages.append(PlannedMessage("digest", unit, destination, tuple(items), text))
    supervisor = audience.supervisor or audience.admin
    if plan.escalations:
        text = render_escalation(plan.escalations, audience.unit_names, plan.date)
        escalated = tuple(plan.escalations)
        messages.append(PlannedMessage("escalation", None, supervisor, escalated, text))
    if plan.weekly is not None:
        text = render_weekly(plan.weekly, audience.unit_names, plan.date)
        messages.append(PlannedMessage("weekly", None, audience.admin, (), text))
    return messages


def load_audience(session: Session) -> Audience:
    units = session.scalars(select(Unit).order_by(Unit.id)).all()
    chats = session.scalars(select(Chat).options(selectinload(Chat.unit)).order_by(Chat.id)).all()
    unit_chats: dict[str, list[Destination]] = {}
    admin = supervisor = None
    for chat in chats:
        destination = Destination(chat.channel, chat.chat_id)
        if chat.role == "unit" and chat.unit is not None:
            unit_chats.setdefault(chat.unit.code, []).append(destination)
        elif chat.role == "admin" and admin is None:
            admin = destination
        elif chat.role == "supervisor" and supervisor is None:
            supervisor = destination
    return Audience({u.code: u.name for u in units}, unit_chats, admin, supervisor)


def last_scan_before(session: Session, today: date) -> date | None:
    return session.scalar(select(func.max(ScanRun.day)).where(ScanRun.day < today))


def has_scanned(session: Session, day: date) -> bool:
    return session.get(ScanRun, day) is not None


def _remember(session: Session, day: date, now: datetime, count: int) -> None:
    insert_ignoring_conflict(
        session, ScanRun, {"day": day, "ran_at": now, "messages": count}, ["day"]
    )


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
    last_run = last_scan_before(session, today)
    window = scan_window(today, calendar, policy, last_run)
    if not window.working_day:
        views = []
    elif window.weekly:  # the weekly summary counts every task
        views = task_views(session)
    else:  # only the rows that can give this morning an item
        views = task_views(
            session,
            today=today,
            due_dates=window.ladder_targets.keys(),
            checkin=bool(window.checkin_days),
        )
    plan = plan_day(views, today, calendar, policy, last_run)
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
            tuple(i.number for i in m.items if m.kind == "digest"),
        )
        for m in messages
        if m.destination is not None
    ]
    result = enqueue(session, outgoing, now)
    if plan.working_day:
        _remember(session, today, now, len(outgoing))
    return ScanResult(plan, messages, result.added, result.existing)
