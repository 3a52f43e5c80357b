"""The composition root: settings → store, service, channels, jobs, handlers.

Everything that runs is built and registered here, once: the chat handlers, the
morning scan, the dispatcher. ``python -m bot`` and ``nhacviec run`` land here.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
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

from bot.demo import run_demo
from bot.logs import configure_logging
from bot.runtime import Runtime
from bot.settings import Settings, ZaloMode
from bot.telegram.channel import TelegramChannel
from bot.telegram.handlers import TelegramHandlers, menu
from bot.zalo.runner import ZaloBot
from data.clock import VN_TZ
from jobs.channels import Channel
from jobs.morning import JobSpec, install, job_specs

log = logging.getLogger(__name__)


def make_zalo(runtime: Runtime) -> ZaloBot | None:
    """The Zalo bot when ZALO_BOT_TOKEN is set (polling, or the webhook when configured)."""
    settings = runtime.settings
    token = settings.zalo_token
    if token is None:
        return None
    webhook = None
    if settings.zalo_mode is ZaloMode.WEBHOOK:
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
    await app.bot.set_my_commands(menu(runtime.service().commands))
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
    token = settings.telegram_token
    if token is None and settings.zalo_token is None:
        configure_logging("WARNING", [])  # the demo's own output is the point
        return run_demo(settings, today or datetime.now(VN_TZ).date())
    configure_logging(settings.log_level, settings.secrets)
    runtime = Runtime.open(settings)
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
        runtime.close()
