"""The composition root: settings → store, service, channels, jobs, handlers.

Everything that runs is built and registered here, once: the chat handlers, the
morning scan, the dispatcher. ``python -m bot`` and ``nhacviec run`` land here.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.access import DoneBy
from bot.service import ChatService, done_buttons
from bot.settings import Settings
from bot.telegram.channel import TelegramChannel
from bot.telegram.handlers import COMMANDS, TelegramHandlers
from bot.zalo.runner import ZaloBot
from data import db, store
from data.clock import VN_TZ
from data.models import OutboxMessage
from jobs.calendar import WorkCalendar
from jobs.channels import Button, Channel
from jobs.dispatcher import Dispatcher
from jobs.morning import JobSpec, Morning, install, job_specs
from jobs.quota import Quota

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def digest_buttons(row: OutboxMessage) -> tuple[Button, ...]:
    """A "✅ Xong #57" button for each task of a digest (platforms without buttons ignore them)."""
    return done_buttons(row.tasks) if row.kind == "digest" else ()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    calendar: WorkCalendar
    clock: Callable[[], datetime] = utc_now  # the demo replays a chosen morning

    @classmethod
    def start(cls, settings: Settings, engine: Engine | None = None) -> Runtime:
        engine = engine or db.make_engine(settings.effective_database_url)
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            store.ensure_default_units(session)
        return cls(settings, engine, sessions, WorkCalendar())

    def service(self) -> ChatService:
        return ChatService(
            self.sessions,
            self.clock,
            calendar=self.calendar,
            policy=self.settings.policy,
            done_by=DoneBy(self.settings.done_by),
        )

    def morning(self, channels: dict[str, Channel]) -> Morning:
        quotas = {"zalo": Quota(self.settings.zalo_monthly_quota)} if "zalo" in channels else {}
        dispatcher = Dispatcher(
            self.sessions,
            channels,
            clock=self.clock,
            buttons=digest_buttons,
            quotas=quotas,
        )
        return Morning(
            self.sessions,
            self.calendar,
            self.settings.policy,
            dispatcher,
            self.clock,
            self.settings.scan_time,
        )


def make_zalo(runtime: Runtime) -> ZaloBot | None:
    """The Zalo bot when ZALO_BOT_TOKEN is set (polling, or the webhook when configured)."""
    settings = runtime.settings
    token = settings.zalo_token
    if token is None:
        return None
    webhook = None
    if settings.zalo_mode == "webhook":
        secret = settings.zalo_webhook_secret
        if not settings.zalo_webhook_url or secret is None:
            raise ValueError(
                "NHACVIEC_ZALO_MODE=webhook needs NHACVIEC_ZALO_WEBHOOK_URL and _SECRET"
            )
        host, _, port = settings.zalo_webhook_listen.rpartition(":")
        webhook = (
            settings.zalo_webhook_url,
            secret.get_secret_value(),
            host or "0.0.0.0",
            int(port),
            settings.zalo_webhook_path,
        )
    return ZaloBot(
        token,
        settings.zalo_base_url,
        runtime.service(),
        runtime.clock,
        mode=settings.zalo_mode,
        webhook=webhook,
    )


def telegram_rate_limiter(
    per_second: int = 30, per_group: int = 20, group_period: float = 60.0
) -> AIORateLimiter:
    """Telegram's limits (30 messages/s overall, 20/min per group) kept by design.

    AIORateLimiter is a leaky bucket: a bucket of N lets N through at once and N more
    within the period, i.e. up to 2N in a sliding window. A bucket of one that leaks
    every period/(N-1) never lets more than N through in any window. A RetryAfter is
    not retried here: the dispatcher reschedules that outbox row.
    """
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1.0 / (per_second - 1),
        group_max_rate=1,
        group_time_period=group_period / (per_group - 1),
        max_retries=0,
    )


def build_telegram(
    runtime: Runtime,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: Any = "default",
    zalo: ZaloBot | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Telegram application with every handler and job registered (and Zalo beside it)."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(token).base_url(runtime.settings.telegram_base_url)
    )
    if rate_limiter == "default":
        rate_limiter = telegram_rate_limiter()
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)

    app = builder.post_init(start_jobs).post_shutdown(stop_zalo).build()
    handlers = TelegramHandlers(runtime.service())
    app.add_handler(MessageHandler(filters.COMMAND, handlers.on_command))
    app.add_handler(CallbackQueryHandler(handlers.on_button))
    app.add_error_handler(handlers.on_error)
    app.bot_data["runtime"] = runtime
    app.bot_data["zalo"] = zalo
    return app


async def start_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Runs once the bot is up: command menu, the morning jobs, and today's catch-up."""
    runtime: Runtime = app.bot_data["runtime"]
    zalo: ZaloBot | None = app.bot_data.get("zalo")
    await app.bot.set_my_commands(COMMANDS)
    channels: dict[str, Channel] = {"telegram": TelegramChannel(app.bot)}
    if zalo is not None:
        await zalo.start()
        channels["zalo"] = zalo.channel
    morning = runtime.morning(channels)
    if app.job_queue is not None:
        every = timedelta(seconds=runtime.settings.dispatch_every_seconds)
        install_on_job_queue(app.job_queue, job_specs(morning, every))
    app.bot_data["morning"] = morning
    await morning.catch_up()


def install_on_job_queue(job_queue: JobQueue[Any], specs: list[JobSpec]) -> None:
    """The same jobs through python-telegram-bot's JobQueue (its APScheduler underneath)."""
    for spec in specs:
        for old in job_queue.get_jobs_by_name(spec.id):
            old.schedule_removal()

        async def callback(
            _context: object, func: Callable[[], Awaitable[object]] = spec.func
        ) -> None:
            await func()

        job_queue.run_custom(
            callback,
            job_kwargs={"trigger": spec.trigger, **spec.options},
            name=spec.id,
        )


async def stop_zalo(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    zalo: ZaloBot | None = app.bot_data.get("zalo")
    if zalo is not None:
        await zalo.stop()


async def run_zalo_only(runtime: Runtime, zalo: ZaloBot) -> None:
    """Zalo without Telegram: our own event loop and APScheduler, until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    scheduler = AsyncIOScheduler(timezone=VN_TZ)
    await zalo.start()
    morning = runtime.morning({"zalo": zalo.channel})
    install(scheduler, morning, timedelta(seconds=runtime.settings.dispatch_every_seconds))
    scheduler.start()
    try:
        await morning.catch_up()
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await zalo.stop()


def run(settings: Settings, today: date | None = None) -> int:
    """The main job: the Telegram bot when a token is set, else the console demo."""
    from bot.logs import configure_logging

    token = settings.telegram_token
    if token is None and settings.zalo_token is None:
        from bot.demo import run_demo

        configure_logging("WARNING", [])  # the demo's own output is the point
        return run_demo(settings, today or datetime.now(VN_TZ).date())
    configure_logging(settings.log_level, settings.secrets)
    runtime = Runtime.start(settings)
    zalo = make_zalo(runtime)
    try:
        if token is None:
            assert zalo is not None
            log.info("nhacviec: Zalo bot starting")
            asyncio.run(run_zalo_only(runtime, zalo))
            return 0
        app = build_telegram(runtime, token, zalo=zalo)
        log.info("nhacviec: Telegram bot starting (long polling)%s", " + Zalo" if zalo else "")
        app.run_polling(allowed_updates=["message", "callback_query"])
        return 0
    finally:
        runtime.engine.dispose()
