"""Who acts, what came of it, and the three things every verb does besides its change:
find the live tasks it names, write the audit log, tell other chats through the outbox.

A verb never knows its surface: the chat, the console and the command line each build
an ``Actor`` and render the ``Outcome``. Refusals carry a ``Refusal`` code so a caller
decides by the code, never by the words.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from data import chat_store, outbox, store
from data.clock import local_date
from data.domain import ChatAddress, ChatRole, MessageKind
from data.models import Assignment, Task, Unit
from data.parts import Change
from jobs.channels import Button


class Surface(StrEnum):
    CHAT = "chat"
    CONSOLE = "console"
    CLI = "cli"


@dataclass(frozen=True)
class Actor:
    """Who acts, where, when; for the office or for one unit (a unit's group)."""

    name: str  # the history's words: "Lan (telegram:42)", "cli", "web:vanphong"
    where: str  # the chat ("telegram:-100…"), "web", or "" from the command line
    at: datetime
    surface: Surface
    office: bool  # acts for the office: every unit's part
    unit: Unit | None = None  # a unit's group: its own part only
    chat_admin: bool = False  # an administrator of the group (``DoneBy.ADMINS``)
    audit_as: chat_store.Actor = field(default_factory=chat_store.Actor)

    def change(self, note: str = "") -> Change:
        return Change(self.at, self.name, self.where, note)

    def on(self, at: datetime) -> Actor:
        """The same actor at another moment (a completion the office backdates)."""
        return replace(self, at=at)

    @classmethod
    def cli(cls, at: datetime) -> Actor:
        return cls("cli", "", at, Surface.CLI, True, audit_as=chat_store.Actor(user_name="cli"))

    @classmethod
    def console(cls, user_id: int, login: str, at: datetime) -> Actor:
        name = f"web:{login}"
        who = chat_store.Actor(channel="web", user_id=str(user_id), user_name=name)
        return cls(name, "web", at, Surface.CONSOLE, True, audit_as=who)


class Refusal(StrEnum):
    """Why nothing changed: callers branch on these, never on the text."""

    NO_TASK = "no_task"
    NOT_ALLOWED = "not_allowed"
    NOT_OWNER = "not_owner"
    UNKNOWN_UNIT = "unknown_unit"
    AMBIGUOUS_UNIT = "ambiguous_unit"
    UNCHANGED = "unchanged"
    WAITING_CONFIRMATION = "waiting_confirmation"
    NO_DATE = "no_date"
    NOT_LATER = "not_later"
    IN_THE_PAST = "in_the_past"
    REASON_REQUIRED = "reason_required"
    NO_OWNER = "no_owner"
    NO_REQUEST = "no_request"
    DECIDED = "decided"
    ALREADY_ASKED = "already_asked"
    NOTHING_WAITING = "nothing_waiting"
    BAD_OCCURRENCE = "bad_occurrence"
    UNREADABLE = "unreadable"
    BAD_FILE = "bad_file"  # a file refused: size, type read from the bytes, name


class Effect(StrEnum):
    """What a verb did to a task or part."""

    DONE = "done"
    REPORTED = "reported"  # confirmation on: waits for the office
    REOPENED = "reopened"
    RETURNED = "returned"
    CONFIRMED = "confirmed"
    EXTENDED = "extended"
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    PROGRESS = "progress"
    DATED = "dated"
    OWNERS = "owners"
    CONFIDENTIAL = "confidential"
    ACCEPTED = "accepted"
    EDITED = "edited"
    REJECTED = "rejected"
    REGISTERED = "registered"
    FILED = "filed"  # a file kept with a unit's part
    FILE_WANTED = "file_wanted"  # a report without the product's file: asked for it once
    PURGED = "purged"  # a removed task's files deleted by the office


@dataclass(frozen=True)
class Problem:
    reason: Refusal
    text: str  # Vietnamese, for any surface
    number: int | None = None


@dataclass(frozen=True)
class Changed:
    effect: Effect
    text: str  # Vietnamese, for any surface: "#57 hoàn thành: Chi bộ A"
    number: int | None = None
    task: Task | None = None
    units: tuple[str, ...] = ()  # unit names whose part changed
    occurrence: date | None = None  # a recurring task: the one occurrence changed


@dataclass
class Outcome:
    changes: list[Changed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    told: int = 0  # chats told through the outbox

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def refuse(self, reason: Refusal, text: str, number: int | None = None) -> Outcome:
        self.problems.append(Problem(reason, text, number))
        return self

    def add(
        self,
        effect: Effect,
        text: str,
        task: Task | None = None,
        units: Sequence[str] = (),
        occurrence: date | None = None,
    ) -> None:
        number = task.number if task is not None else None
        self.changes.append(Changed(effect, text, number, task, tuple(units), occurrence))

    def lines(self) -> list[str]:
        return [c.text for c in self.changes] + [p.text for p in self.problems]

    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def live_tasks(session: Session, numbers: Collection[int]) -> dict[int, Task]:
    """The tasks named, locked for the change, that units work on (not removed or proposed)."""
    found = store.tasks_for_update(session, list(numbers))
    return {n: t for n, t in found.items() if t.status.is_live}


def own_part(
    session: Session, actor: Actor, number: int, out: Outcome, where: str
) -> tuple[Task, Assignment] | None:
    """The acting unit's own part of task ``number``, locked for a change; else None with
    the refusal in ``out`` (``where``: what the unit does only in its group)."""
    if actor.unit is None or actor.office:
        out.refuse(Refusal.NOT_ALLOWED, where, number)
        return None
    task = live_tasks(session, [number]).get(number)
    if task is None:
        text = f"Không có nhiệm vụ #{number}. Xem số trong /tuannay."
        out.refuse(Refusal.NO_TASK, text, number)
        return None
    part = task.part_for(actor.unit.id)
    if part is None:
        text = f"#{number} không phải việc chủ trì của {actor.unit.name}."
        out.refuse(Refusal.NOT_OWNER, text, number)
        return None
    return task, part


def each_found(
    found: dict[int, Task], numbers: Sequence[int], out: Outcome, missing: str = ""
) -> Iterator[tuple[int, Task]]:
    """The tasks named, in the order typed; each one not found is refused once."""
    for number in numbers:
        task = found.get(number)
        if task is None:
            text = missing.format(number=number) if missing else f"Không có nhiệm vụ #{number}."
            out.refuse(Refusal.NO_TASK, text, number)
        else:
            yield number, task


def audit(session: Session, actor: Actor, action: str, detail: str) -> None:
    """The one way an action reaches the audit log."""
    chat_store.audit(session, actor.audit_as, actor.at, action, detail)


def tell(
    session: Session,
    actor: Actor,
    to: Sequence[ChatAddress],
    kind: MessageKind,
    text: str,
    key: str,
    buttons: Sequence[Button] = (),
    tasks: Sequence[int] = (),
) -> int:
    """A message to other chats through the outbox (sent once, paced, retried); ``tasks``:
    the numbers it is about (a file sent in reply to it goes to that task's part)."""
    day = local_date(actor.at)
    pairs = tuple((b.label, b.data) for b in buttons)
    about = tuple(tasks)
    messages = [
        outbox.Outgoing(a.channel, a.chat_id, kind, day, text, about, key_suffix=key, buttons=pairs)
        for a in to
    ]
    outbox.enqueue(session, messages, actor.at)
    return len(messages)


def tell_unit(
    session: Session, actor: Actor, unit_id: int, text: str, key: str, task: int | None = None
) -> int:
    """A notice to a unit's chats, about ``task`` when it concerns one."""
    to = chat_store.unit_chats(session, unit_id)
    about = () if task is None else (task,)
    return tell(session, actor, to, MessageKind.NOTICE, text, key, tasks=about)


def tell_office(
    session: Session, actor: Actor, text: str, key: str, buttons: Sequence[Button] = ()
) -> int:
    """A request to the office's chat (with its ✅/❌ buttons)."""
    office = chat_store.admin_chat(session)
    if office is None:
        return 0
    return tell(session, actor, [office], MessageKind.REQUEST, text, key, buttons)


def alert_chat(session: Session, at: datetime, to: ChatAddress, text: str, key: str) -> None:
    """An alert to one office chat (once per key and day)."""
    message = outbox.Outgoing(
        to.channel, to.chat_id, MessageKind.ALERT, local_date(at), text, key_suffix=key
    )
    outbox.enqueue(session, [message], at)


def alert_office(session: Session, at: datetime, text: str, key: str, failing: str) -> bool:
    """A problem the office must hear of (a platform failing): to an admin chat on
    another platform than ``failing`` when there is one; once per key and day."""
    admins = [
        ChatAddress(c.channel, c.chat_id)
        for c in chat_store.list_chats(session)
        if c.role is ChatRole.ADMIN
    ]
    if not admins:
        return False
    alert_chat(session, at, next((a for a in admins if a.channel != failing), admins[0]), text, key)
    return True
