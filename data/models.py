"""The task store (SQLAlchemy 2). Alembic migrations in ``data/migrations`` create it.

Dates users think in (due dates) are plain ``Date``; moments (imported, marked
done) are timezone-aware ``DateTime(timezone=True)`` in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from data.deadlines import DeadlineKind
from data.domain import (
    LIVE_STATUSES,
    AssignmentRole,
    ChatRole,
    ExtensionStatus,
    ItemKind,
    MessageKind,
    OutboxStatus,
    PartTally,
    TaskAction,
    TaskStatus,
)
from data.text import fold

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum(kind: type[StrEnum], length: int) -> Enum:
    """A StrEnum stored as its value in a VARCHAR (no native type, no CHECK): plain text."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: UTCDateTime}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_chi_bo: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitAlias.id"
    )


class UnitAlias(Base):
    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), unique=True)  # data.text.unit_key(alias)
    unit: Mapped[Unit] = relationship(back_populates="aliases")


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name a clerk gives with ``--key`` (default: the file's stem, made unique); the
    # same key is a revision. Without a key, a document is known by itself: its number,
    # its title and date, its content (``data.revisions.save_document``).
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    title_key: Mapped[str] = mapped_column(String(300), default="", index=True)  # fold(title)
    number: Mapped[str] = mapped_column(String(100), default="")  # "45-KH/ĐU", when read
    revisions: Mapped[int] = mapped_column(Integer, default=1)  # imports of this document
    doc_date: Mapped[date] = mapped_column(Date)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column()
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # titles never to chats
    tasks: Mapped[list[Task]] = relationship(back_populates="document")


class Task(Base):
    """A task (nhiệm vụ) or a target (chỉ tiêu) from a document's appendix."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("document_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # what users type: /done 57
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    source_key: Mapped[str] = mapped_column(String(400))  # appendix|section refs|TT|occurrence
    item_kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind, 10), default=ItemKind.TASK)
    appendix: Mapped[str] = mapped_column(String(40), default="")
    section: Mapped[str] = mapped_column(Text, default="")  # headings joined by " › "
    ref: Mapped[str] = mapped_column(String(20), default="")  # TT as written
    origin: Mapped[str] = mapped_column(String(100), default="")  # row in the source file
    title: Mapped[str] = mapped_column(Text)
    unit_text: Mapped[str] = mapped_column(Text, default="")  # owner cell as written
    value: Mapped[str | None] = mapped_column(Text, nullable=True)  # a target's value
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # extra columns, kept

    deadline_raw: Mapped[str] = mapped_column(Text, default="")  # never thrown away
    deadline_kind: Mapped[DeadlineKind] = mapped_column(_enum(DeadlineKind, 20), index=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    rrule: Mapped[str | None] = mapped_column(String(200), nullable=True)
    deadline_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    deadline_suggestion: Mapped[str | None] = mapped_column(Text, nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # or its document's
    source_text: Mapped[str] = mapped_column(Text, default="")  # prose proposals: the sentence
    # What the plan says the task delivers ("Sản phẩm"/"Kết quả": a Kế hoạch, a Báo cáo):
    # shown beside the task; with confirmation on, a /done without it asks for the file
    # once (migration 0020).
    product: Mapped[str] = mapped_column(Text, default="")
    # Kept by ``set_parts``: the scan's "no owner, for the office" read goes through a
    # partial index instead of a NOT EXISTS per open task (migration 0011).
    has_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    # The clerk's word on the deadline (``tasks date``, "Đặt hạn") or the owners: a
    # re-import of the document keeps it, and its review says so (migration 0017).
    deadline_fixed_by_office: Mapped[bool] = mapped_column(Boolean, default=False)
    owners_fixed_by_office: Mapped[bool] = mapped_column(Boolean, default=False)
    # Title and owner cell folded (``search_key``, refreshed at every flush): the console's
    # accent-insensitive search goes through an index of it (migration 0015).
    search_key: Mapped[str] = mapped_column(Text, default="")

    status: Mapped[TaskStatus] = mapped_column(
        _enum(TaskStatus, 12), default=TaskStatus.OPEN, index=True
    )
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    document: Mapped[Document] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="task",
        cascade="all, delete-orphan",
        order_by=lambda: [Assignment.role.desc(), Assignment.position],
    )
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskEvent.id"
    )

    def set_parts(self, parts: list[Assignment]) -> None:
        """The task's parts (owners and cooperating units): the one way they change."""
        self.assignments = parts
        self.has_owner = any(a.role is AssignmentRole.OWNER for a in parts)

    @property
    def owners(self) -> list[Assignment]:
        """The owner parts, lead first: each reports its own completion."""
        return [a for a in self.assignments if a.role is AssignmentRole.OWNER]

    @property
    def cooperating(self) -> list[Assignment]:
        return [a for a in self.assignments if a.role is AssignmentRole.COOPERATING]

    @property
    def unit_codes(self) -> tuple[str, ...]:
        """Owner unit codes, lead first."""
        return tuple(a.unit.code for a in self.owners)

    @property
    def is_confidential(self) -> bool:
        return self.confidential or self.document.confidential

    def part_for(self, unit_id: int) -> Assignment | None:
        return next((a for a in self.owners if a.unit_id == unit_id), None)


class Assignment(Base):
    """A unit's part in a task: its role, its own completion and its own (extended) due date."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(
        _enum(AssignmentRole, 12), default=AssignmentRole.OWNER
    )
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 = lead
    extended_to: Mapped[date | None] = mapped_column(Date, nullable=True)  # approved new due
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    done_chat: Mapped[str] = mapped_column(String(120), default="")
    done_note: Mapped[str] = mapped_column(Text, default="")
    # With the office's confirmation on: the unit's report, waiting to be confirmed.
    reported_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reported_by: Mapped[str] = mapped_column(String(200), default="")
    reported_chat: Mapped[str] = mapped_column(String(120), default="")
    reported_note: Mapped[str] = mapped_column(Text, default="")
    # A recurring part's report names its occurrence (the rest of the part may be done).
    reported_occurrence: Mapped[date | None] = mapped_column(Date, nullable=True)
    # When the unit was asked for its product's file (a /done without one): asked once.
    file_asked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # Facts of the task kept on the part (``part_facts``, refreshed at every flush): the
    # Monday counts and the "no progress report" list read one index of this table
    # instead of joining tens of thousands of tasks (migration 0012).
    tally: Mapped[PartTally | None] = mapped_column(_enum(PartTally, 10), nullable=True)
    part_due: Mapped[date | None] = mapped_column(Date, nullable=True)  # extended_to or task's
    reports_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    task_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="ProgressUpdate.id"
    )
    files: Mapped[list[PartFile]] = relationship(  # a dropped part leaves its files on the task
        back_populates="assignment", passive_deletes=True, order_by="PartFile.id"
    )

    @property
    def awaiting_confirmation(self) -> bool:
        if self.reported_at is None:
            return False
        return self.done_at is None or self.reported_occurrence is not None

    def due_date(self) -> date | None:
        """The part's due date: an approved extension, else the task's."""
        return self.extended_to or self.task.due_date


class ProgressUpdate(Base):
    """A unit's word on a long task: "/capnhat 57 40% đã trình dự thảo lần 1"."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column()
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(200), default="")
    chat: Mapped[str] = mapped_column(String(120), default="")
    assignment: Mapped[Assignment] = relationship(back_populates="updates")


class PartFile(Base):
    """A file a unit sent with its part (the product: a Kế hoạch, a Báo cáo …).

    The bytes live under ``<data_dir>/files/<sha256>``: one copy per content, kept when
    the task is removed; the row says whose part, what it was called, who sent it.
    """

    __tablename__ = "part_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The task and unit it was sent for: a file outlives its part (the office names other
    # owners, a re-import drops the unit) and stays on the task until the office purges it.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL"), nullable=True
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL"), index=True, nullable=True
    )
    name: Mapped[str] = mapped_column(String(255))  # sanitised
    content_type: Mapped[str] = mapped_column(String(100))  # read from the bytes
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    by: Mapped[str] = mapped_column(String(200), default="")
    chat: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column()
    assignment: Mapped[Assignment | None] = relationship(back_populates="files")
    task: Mapped[Task] = relationship()
    unit: Mapped[Unit | None] = relationship()


class AnswerTasks(Base):
    """The tasks an answer of the bot was about (``/chitiet 57``, the request for a file),
    by the platform's message id: a file sent as a reply to it goes to that task's part
    without reading the answer's words (the outbox keeps its own messages' tasks)."""

    __tablename__ = "answer_tasks"
    __table_args__ = (Index("ix_answer_tasks_message", "channel", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100))
    message_id: Mapped[str] = mapped_column(String(40))
    tasks: Mapped[list[int]] = mapped_column(JSON, default=list)  # task numbers
    at: Mapped[datetime] = mapped_column(index=True)


class ExtensionRequest(Base):
    """A unit's /giahan: a short code the office approves or refuses."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    requested_to: Mapped[date] = mapped_column(Date)
    previous_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ExtensionStatus] = mapped_column(
        _enum(ExtensionStatus, 10), default=ExtensionStatus.PENDING, index=True
    )
    requested_by: Mapped[str] = mapped_column(String(200), default="")
    requested_chat: Mapped[str] = mapped_column(String(120), default="")
    requested_at: Mapped[datetime] = mapped_column()
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    assignment: Mapped[Assignment] = relationship()


class TaskEvent(Base):
    """Status history and audit: who did what, when, from where."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # whose part, if one
    at: Mapped[datetime] = mapped_column()
    action: Mapped[TaskAction] = mapped_column(_enum(TaskAction, 30))
    actor: Mapped[str] = mapped_column(String(200), default="")
    chat: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    # A recurring part's /done or /mo names the occurrence (its due date) it closes or
    # opens again; the replay of these events is the part's set of closed occurrences
    # (``data.occurrences``). NULL on every other event, and on reports made before.
    occurrence: Mapped[date | None] = mapped_column(Date, nullable=True)
    task: Mapped[Task] = relationship(back_populates="events")


class Chat(Base):
    """A group or private chat on a platform, bound to a unit or to an office role."""

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100))
    role: Mapped[ChatRole] = mapped_column(_enum(ChatRole, 20), default=ChatRole.UNIT)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column()
    unit: Mapped[Unit | None] = relationship()


class OutboxMessage(Base):
    """A message to send, written before any sending; the key makes it happen once."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # channel:chat:day:kind
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind, 20))
    day: Mapped[date] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    tasks: Mapped[list[int]] = mapped_column(JSON, default=list)  # numbers, for buttons
    # (label, payload) pairs written by the verb that asked (an office request)
    buttons: Mapped[list[list[str]] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus, 10), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column()
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    message_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_error: Mapped[str] = mapped_column(Text, default="")
    locked_by: Mapped[str] = mapped_column(String(100), default="")
    locked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ScanRun(Base):
    """One row per day the morning scan ran: catch-up and folding read it."""

    __tablename__ = "scan_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ran_at: Mapped[datetime] = mapped_column()
    messages: Mapped[int] = mapped_column(Integer, default=0)


class RegistrationCode(Base):
    """A one-time code the admin hands a chi bộ: `/dangky <code>` binds that group."""

    __tablename__ = "registration_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256: codes are secrets
    role: Mapped[ChatRole] = mapped_column(_enum(ChatRole, 20), default=ChatRole.UNIT)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    used_by: Mapped[str] = mapped_column(String(120), default="")  # channel:chat
    unit: Mapped[Unit | None] = relationship()


class Admin(Base):
    """A person the office trusts everywhere (by platform user id)."""

    __tablename__ = "admins"
    __table_args__ = (UniqueConstraint("channel", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column()


class AuditEntry(Base):
    """Every change, from any chat or the command line: who, when, where, what."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(20), default="")
    chat_id: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[str] = mapped_column(String(100), default="")
    user_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class ChannelUsage(Base):
    """Messages sent per channel per month: Zalo's free plan counts them (3,000/month)."""

    __tablename__ = "channel_usage"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM, Vietnam time
    sent: Mapped[int] = mapped_column(Integer, default=0)


# -- facts of a task kept on its parts ---------------------------------------------------

_K = DeadlineKind
_LONG_KINDS = (_K.TERM, _K.ONGOING, _K.FROM)
_UNDATED_KINDS = (_K.ONGOING, _K.FROM)
_DUE_REQUIRED = (_K.DUE, _K.DUE_THEN_ONGOING)  # without a due date: for review
# The task's columns the facts depend on: a change to any refreshes its parts.
_FACT_FIELDS = ("number", "item_kind", "status", "deadline_kind", "due_date", "needs_review")


def part_facts(task: Task, part: Assignment) -> dict[str, Any]:
    """What ``Assignment`` keeps of its task: its tally (the SQL twin of
    ``jobs.due.is_for_review`` and of the kinds the weekly summary and the report count
    apart), its due date, whether it owes progress reports (long and open, or ongoing
    after its due part), the task's number."""
    # Members, not the plain strings a caller may have set before the flush.
    kind = DeadlineKind(_given(task, "deadline_kind"))
    status, needs_review = TaskStatus(_given(task, "status")), bool(_given(task, "needs_review"))
    is_task = ItemKind(_given(task, "item_kind")) is ItemKind.TASK
    owner = AssignmentRole(_given(part, "role")) is AssignmentRole.OWNER
    due = part.extended_to or task.due_date
    tally: PartTally | None = None
    if owner and is_task and status in LIVE_STATUSES and kind is not _K.RECURRING:
        if needs_review or kind is _K.UNREADABLE or (kind in _DUE_REQUIRED and due is None):
            tally = PartTally.REVIEW
        elif kind is _K.WAITING:
            tally = PartTally.WAITING
        elif kind in _UNDATED_KINDS:
            tally = PartTally.UNDATED
        elif kind.is_dated and due is not None:
            tally = PartTally.DATED
        else:
            tally = PartTally.OTHER
    reports = (
        owner
        and is_task
        and not needs_review
        and (
            (kind in _LONG_KINDS and status is TaskStatus.OPEN)
            or (kind is _K.DUE_THEN_ONGOING and status is TaskStatus.DONE)
        )
    )
    return {
        "tally": tally,
        "part_due": due,
        "reports_progress": reports,
        "task_number": task.number,
    }


def _given(row: Base, name: str) -> Any:
    """A column's value, or the default an INSERT would give it (unset before a flush)."""
    value = getattr(row, name)
    default = row.__table__.c[name].default
    if value is None and default is not None and default.is_scalar:
        return default.arg
    return value


def _refresh_part(task: Task | None, part: Assignment) -> None:
    if task is None:
        return
    for name, value in part_facts(task, part).items():
        if getattr(part, name) != value:
            setattr(part, name, value)


_SEARCH_FIELDS = ("title", "unit_text")


def search_key(title: str | None, unit_text: str | None) -> str:
    """What the console's search matches: the title and the owner cell as written, folded."""
    return f"{fold(title or '')} | {fold(unit_text or '')}"


@event.listens_for(Session, "before_flush")
def _keep_part_facts(session: Session, _context: Any, _instances: Any) -> None:
    """Every write through the ORM refreshes the facts its parts keep: one choke point,
    so no import, revision, extension, completion or status change can leave them stale
    (bulk inserts outside the ORM set them themselves)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Assignment):  # a part given only its task's id finds it too
            task = obj.task or (session.get(Task, obj.task_id) if obj.task_id else None)
            _refresh_part(task, obj)
        elif isinstance(obj, Task):
            state = inspect(obj)
            if state.pending or any(
                state.attrs[name].history.has_changes() for name in _SEARCH_FIELDS
            ):
                key = search_key(obj.title, obj.unit_text)
                if obj.search_key != key:
                    obj.search_key = key
            if state.pending or any(
                state.attrs[name].history.has_changes() for name in _FACT_FIELDS
            ):
                for part in obj.assignments:
                    _refresh_part(obj, part)
