"""The one bootstrap: settings → engine (migrated) → sessions, calendar, clock.

The bot, the demo and every command of the command line start from ``Runtime.open``;
the chat service and the morning jobs are built from it, so all of them read the
same store with the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.heartbeat import Heartbeat
from bot.settings import Settings
from data import db, unit_store
from data.domain import ChannelName, MessageKind
from data.leases import new_worker_id
from data.units import UnitRegistry
from jobs.calendar import WorkCalendar
from jobs.channels import Button, Channel
from jobs.quota import Quota

if TYPE_CHECKING:  # the verbs' and the morning's modules load when asked for, not at start
    from bot.actions.completion import Rules
    from bot.service import ChatService
    from data.models import OutboxMessage
    from jobs.dispatcher import Dispatcher
    from jobs.morning import Morning


def utc_now() -> datetime:
    """The clock, read here at the edge and passed in everywhere else."""
    return datetime.now(UTC)


def message_buttons(row: OutboxMessage) -> tuple[Button, ...]:
    """Buttons under an outbox message (platforms without buttons ignore them): a "✅ Xong
    #57" for each task of a digest; those the verb stored with an office request."""
    if row.kind is MessageKind.DIGEST:
        from bot.actions.buttons import done_buttons

        return done_buttons(row.tasks)
    return tuple(Button(label, data) for label, data in row.buttons or ())


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    calendar: WorkCalendar
    clock: Callable[[], datetime] = utc_now  # the demo and tests pin a chosen moment
    # this process, as the dispatcher's rows and the dispatch lease name it
    worker: str = field(default_factory=new_worker_id)
    heartbeat: Heartbeat = field(default_factory=lambda: Heartbeat(None))

    def __post_init__(self) -> None:
        if self.heartbeat.url is None and self.settings.healthcheck_url is not None:
            self.heartbeat = Heartbeat(self.settings.healthcheck_url.get_secret_value())

    @classmethod
    def open(cls, settings: Settings, engine: Engine | None = None) -> Runtime:
        """Connect and migrate the schema to the newest revision.

        A fresh store has no units: an office creates its own (``import --add-units``,
        ``units add``); the demo seeds the sample office's.
        """
        engine = engine or db.make_engine(settings.effective_database_url)
        db.migrate(engine)
        return cls(settings, engine, db.session_factory(engine), WorkCalendar())

    def close(self) -> None:
        self.engine.dispose()

    @property
    def rules(self) -> Rules:
        """The office's settings every verb obeys, on every surface."""
        from bot.actions.completion import Rules

        return Rules(self.settings.confirm_done, self.settings.done_by)

    def service(self) -> ChatService:
        from bot.service import ChatService

        return ChatService(
            self.sessions,
            self.clock,
            calendar=self.calendar,
            policy=self.settings.policy,
            done_by=self.settings.done_by,
            confirm_done=self.settings.confirm_done,
            files_dir=self.settings.data_dir,
        )

    def dispatcher(self, channels: Mapping[str, Channel]) -> Dispatcher:
        from jobs.dispatcher import Dispatcher  # what only reads the store never loads it

        quotas = {}
        if ChannelName.ZALO in channels:
            quotas[ChannelName.ZALO.value] = Quota(self.settings.zalo_monthly_quota)
        return Dispatcher(
            self.sessions,
            channels,
            clock=self.clock,
            buttons=message_buttons,
            quotas=quotas,
            worker=self.worker,
            on_round=lambda _report: self.heartbeat.beat(),
        )

    def morning(self, channels: Mapping[str, Channel]) -> Morning:
        from jobs.morning import Morning

        return Morning(
            self.sessions,
            self.calendar,
            self.settings.policy,
            self.dispatcher(channels),
            self.clock,
            self.settings.scan_time,
        )


def read_only_registry(settings: Settings) -> UnitRegistry:
    """The unit registry without creating or migrating anything (for ``import --dry-run``)."""
    url = settings.effective_database_url
    if not db.store_exists(url):
        return UnitRegistry([])
    engine = db.make_engine(url)
    try:
        if not db.has_table(engine, "units"):
            return UnitRegistry([])
        with db.session_factory(engine)() as session:
            return unit_store.load_registry(session)
    finally:
        engine.dispose()


class LazyRuntime:
    """The command line's handle: the runtime is opened on first use, so commands that
    need no store (``nhacviec deadline``) never create one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runtime: Runtime | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = Runtime.open(self.settings)
        return self._runtime

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.runtime.sessions

    @property
    def rules(self) -> Rules:
        return self.runtime.rules

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
