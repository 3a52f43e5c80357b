"""The words of the domain, once: statuses, roles and kinds as enums.

They are ``StrEnum``s so they compare equal to the strings stored in the database
and printed in JSON; code uses the members, never the bare strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TaskStatus(StrEnum):
    """Where a task stands in the store (not its lateness: that is computed for a day)."""

    OPEN = "open"
    DONE = "done"  # every owner has reported its part done
    REMOVED = "removed"  # no longer in the latest revision of its document
    PROPOSED = "proposed"  # read from prose: waits for the office to accept it

    @property
    def is_live(self) -> bool:
        """A task the units work on (open or done): not removed, not a proposal."""
        return self in LIVE_STATUSES


LIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.DONE)  # for SQL: ``Task.status.in_(…)``


class AssignmentRole(StrEnum):
    """A unit's part in a task."""

    OWNER = "owner"  # đơn vị chủ trì / tham mưu: reminded, reports done
    COOPERATING = "cooperating"  # đơn vị phối hợp: shown, never blocks


class PartTally(StrEnum):
    """What an owner part of a live one-off task counts as in the weekly summary while
    it is open: kept on the part (``data.models.part_facts``) so the Monday counts read
    one index of ``assignments``. Cooperating parts, targets, recurring and removed or
    proposed tasks have none: the summary does not count them there."""

    DATED = "dated"  # has its due date: due this week, or overdue
    WAITING = "waiting"  # waits for the office's direction
    REVIEW = "review"  # for the office to review (``jobs.due.is_for_review``)
    UNDATED = "undated"  # ongoing, or from a date on: no deadline to be late against
    OTHER = "other"  # counted when done, no open slot (a term without a date, done)


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ItemKind(StrEnum):
    """A row of a plan: a task to do, or a target (chỉ tiêu) to reach."""

    TASK = "task"
    TARGET = "target"


class ChatRole(StrEnum):
    """What a registered chat is for."""

    UNIT = "unit"  # a unit's group: sees and marks its own tasks
    ADMIN = "admin"  # the office: sees and may do everything
    SUPERVISOR = "supervisor"  # Ủy ban Kiểm tra: receives escalations, sees everything


class ChannelName(StrEnum):
    """The platforms nhacviec speaks; a channel is any adapter, so the store keeps text."""

    TELEGRAM = "telegram"
    ZALO = "zalo"
    CONSOLE = "console"  # the demo and runs without any token


@dataclass(frozen=True, order=True)
class ChatAddress:
    """One chat on one platform: where a message goes or a command came from."""

    channel: str
    chat_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.chat_id}"


class MessageKind(StrEnum):
    """What an outbox row is; with the chat and the day it makes the row's key."""

    DIGEST = "digest"  # a unit's morning
    ESCALATION = "escalation"  # overdue items to the supervising chat
    WEEKLY = "weekly"  # the office's Monday summary
    ALERT = "alert"  # the office told about a problem (parked message, quota)
    NOTICE = "notice"  # a unit told an outcome (extension approved or refused)
    REQUEST = "request"  # the office asked to decide (an extension), with buttons


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher, under a lease
    SENT = "sent"
    PARKED = "parked"  # kept failing: waits for the office's retry


class TaskAction(StrEnum):
    """Entries of a task's history."""

    IMPORTED = "imported"
    UPDATED = "updated"
    DONE = "done"
    REOPENED = "reopened"
    REMOVED = "removed"
    EXTENDED = "extended"  # a part's due date moved (approved request or the office)
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_REFUSED = "extension_refused"
    CONFIDENTIAL = "confidential"  # marked or unmarked confidential
    ACCEPTED = "accepted"  # a proposal (from prose) became a task
    PROGRESS = "progress"  # a unit's progress update on a long task
    REPORTED = "reported"  # a unit reported its part done: waits for the office
    CONFIRMED = "confirmed"  # the office confirmed a reported completion
    RETURNED = "returned"  # the office returned it: the part is open again
    FILED = "filed"  # a unit sent a file (the product) with its part
