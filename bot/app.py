"""The composition root: settings → store, service, channels, jobs, handlers.

Everything that runs is built and registered here, once: the chat handlers, the
morning scan, the dispatcher. ``python -m bot`` and ``nhacviec run`` land here.

``serve`` runs each configured platform on its own: Telegram and Zalo each start,
fail and retry with ``bot.limits.Backoff`` (5 s doubling to 5 minutes) without
stopping the other, and the office is told once through the outbox (an alert to an
admin chat, on the other platform when it has one there). The morning jobs run on
our own APScheduler, so reminders for one platform go out while the other is down.
A rejected token is not retried: the process ends with one Vietnamese line
(``bot.logs.explain_fatal``) and exit code 1 (a rejected Zalo token beside a
working Telegram only switches Zalo off).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from starlette.applications import Starlette
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.actions.base import alert_office
from bot.demo import run_demo
from bot.lease import ProcessLease, lease_name
from bot.limits import Backoff
from bot.logs import configure_logging, explain_fatal
from bot.runtime import Runtime
from bot.settings import Settings, ZaloMode
from bot.telegram.channel import TelegramChannel
from bot.telegram.handlers import PerChatUpdates, TelegramHandlers, set_menus
from bot.telegram.membership import ChatChanges
from bot.telegram.pacing import TelegramPacing
from bot.web.server import Console
from bot.zalo.runner import Alert, ZaloBot
from data.clock import VN_TZ
from data.db import transaction
from jobs.channels import Channel
from jobs.morning import SCAN_JOB, install

log = logging.getLogger(__name__)

# my_chat_member: the bot added to or removed from a chat (not sent unless asked for)
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
AnyApp = Application[Any, Any, Any, Any, Any, Any]


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
        webhook = (settings.zalo_webhook_url, secret.get_secret_value())
    return ZaloBot(
        token,
        settings.zalo_base_url,
        runtime.service(),
        runtime.clock,
        mode=settings.zalo_mode,
        webhook=webhook,
        monthly_quota=settings.zalo_monthly_quota,
        alert=office_alert(runtime, "zalo"),
        bot_name=settings.zalo_bot_name,
        stranger_replies=settings.zalo_stranger_replies,
    )


def telegram_rate_limiter(
    per_second: int = 30, per_group: int = 20, group_period: float = 60.0
) -> TelegramPacing:
    """Telegram's limits (30 messages/s overall, 20/min per group) kept by design, at
    their full speed: slots on a fixed grid (``bot/telegram/pacing.py``), so a late
    wake-up of the event loop costs no throughput and a stall never becomes a burst.
    Only methods that post into a chat are paced. A RetryAfter is not retried here: the
    dispatcher reschedules that outbox row."""
    return TelegramPacing(per_second, per_group, group_period)


def build_telegram(
    runtime: Runtime,
    token: str,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: Any = "default",
) -> AnyApp:
    """The Telegram application with every handler registered; updates of different
    chats are handled concurrently, each chat's in order (``PerChatUpdates``)."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(token)
        .base_url(runtime.settings.telegram_base_url)
        .base_file_url(runtime.settings.telegram_base_file_url)
        .concurrent_updates(PerChatUpdates())
        .job_queue(None)  # the jobs run on serve's own scheduler, Telegram up or not
    )
    if rate_limiter == "default":
        rate_limiter = telegram_rate_limiter()
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)

    app = builder.build()
    handlers = TelegramHandlers(runtime.service())
    app.add_handler(MessageHandler(filters.COMMAND, handlers.on_command))
    # a member answering a check-in digest in words: a progress update
    app.add_handler(
        MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, handlers.on_reply)
    )
    # a document or photo whose caption is /done 57 or /capnhat 57 …: the unit's product
    app.add_handler(
        MessageHandler(
            (filters.Document.ALL | filters.PHOTO) & filters.CaptionRegex(r"^\s*/"),
            handlers.on_file,
        )
    )
    # a document or photo without a command, replying to our message about one task
    app.add_handler(
        MessageHandler(
            (filters.Document.ALL | filters.PHOTO)
            & filters.REPLY
            & ~filters.CaptionRegex(r"^\s*/"),
            handlers.on_file_reply,
        )
    )
    app.add_handler(CallbackQueryHandler(handlers.on_button))
    # a group upgraded to a supergroup, the bot removed from a chat: the binding follows
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.on_migration))
    app.add_handler(ChatMemberHandler(handlers.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(handlers.on_error)
    return app


# -- telling the office ------------------------------------------------------------------


def office_alert(runtime: Runtime, failing: str) -> Alert:
    """An outbox alert to an admin chat, preferably on a platform other than ``failing``;
    once per key and day (the outbox key)."""

    def enqueue(text: str, key: str) -> None:
        with transaction(runtime.sessions) as session:
            if not alert_office(session, runtime.clock(), text, key, failing):
                log.error("no admin chat registered to tell: %s", text)

    async def alert(text: str, key: str) -> None:
        await asyncio.to_thread(enqueue, text, key)

    return alert


# -- Telegram, started and retried on its own ----------------------------------------------


class TelegramRunner:
    """Initialize and long-poll one Telegram application, retrying until Telegram answers.

    Once polling, python-telegram-bot rides out network errors by itself. A rejected
    token (``InvalidToken``) is raised, never retried.
    """

    def __init__(
        self,
        app: AnyApp,
        runtime: Runtime,
        *,
        backoff: Backoff | None = None,
        alert: Alert | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.backoff = backoff or Backoff()
        self.alert = alert or office_alert(runtime, "telegram")
        self.sleep = sleep
        self.failures = 0
        self.attempted = asyncio.Event()
        self.connected = asyncio.Event()

    async def run(self) -> None:
        delays = self.backoff.delays()
        while True:
            try:
                await self._start()
            except InvalidToken:
                self.attempted.set()
                raise
            except TelegramError as exc:
                self.failures += 1
                self.attempted.set()
                delay = next(delays)
                log.error("Telegram chưa kết nối được (%s); thử lại sau %.0f giây", exc, delay)
                await self._stop_partial()
                if self.failures == 1:
                    await self._tell(exc)
                await self.sleep(delay)
                continue
            break
        if self.failures:
            log.info("Telegram connected after %d failed attempt(s)", self.failures)
        self.connected.set()
        self.attempted.set()
        try:
            await set_menus(self.app.bot, self.runtime.service())
        except Exception as exc:  # the menu is a convenience (Telegram or the store may be
            log.warning("Telegram command menus not all set: %s", exc)  # down): never stop

    async def _start(self) -> None:
        app = self.app
        await app.initialize()
        assert app.updater is not None
        if not app.updater.running:
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        if not app.running:
            await app.start()

    async def _stop_partial(self) -> None:
        with contextlib.suppress(Exception):
            if self.app.updater is not None and self.app.updater.running:
                await self.app.updater.stop()

    async def _tell(self, exc: Exception) -> None:
        try:
            await self.alert(
                f"⚠️ Telegram chưa kết nối được khi khởi động ({exc}). Các nền tảng khác vẫn "
                "chạy; nhacviec tự thử lại và gửi các tin nhắc còn giữ khi Telegram trở lại.",
                "telegram-start",
            )
        except Exception:
            log.exception("could not queue the office's alert")

    async def stop(self) -> None:
        app = self.app
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


# -- the running process -----------------------------------------------------------------


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def serve(
    runtime: Runtime,
    *,
    app: AnyApp | None = None,
    zalo: ZaloBot | None = None,
    stop: asyncio.Event | None = None,
    backoff: Backoff | None = None,
    first_attempt_timeout: float = 60.0,
    ready: asyncio.Event | None = None,
    console: Console | None = None,
    lease: ProcessLease | None = None,
) -> None:
    """Run every configured platform and the jobs until ``stop`` (default: SIGINT/SIGTERM).

    ``ready`` is set once each platform made its first attempt and today's catch-up ran.
    ``console``: the office's web console, served in this loop and stopped with the rest
    (a busy port is logged; the bot goes on without it).
    ``lease``: the bot runs only while this process holds it; until then it stands by
    (the console answers meanwhile), and it returns when another process took it over
    (``lease.lost``).

    Raises what must end the process: a rejected Telegram token, or a rejected Zalo
    token when Zalo is the only platform.
    """
    if app is None and zalo is None:
        raise ValueError("nothing to serve: no Telegram application and no Zalo bot")
    stop = stop or _stop_on_signals()
    channels: dict[str, Channel] = {}
    if zalo is not None:
        zalo.alert = office_alert(runtime, "zalo")
        if backoff is not None:
            zalo.backoff = backoff
        channels["zalo"] = zalo.channel
    telegram = None
    if app is not None:
        telegram = TelegramRunner(app, runtime, backoff=backoff)
        changes = ChatChanges(runtime.sessions, runtime.clock)
        channels["telegram"] = TelegramChannel(app.bot, changes.migrated_async)
    morning = runtime.morning(channels)
    scheduler = AsyncIOScheduler(timezone=VN_TZ)
    install(scheduler, morning, timedelta(seconds=runtime.settings.dispatch_every_seconds))
    scheduler.add_listener(_beat_after_scan(runtime), EVENT_JOB_EXECUTED)
    tasks: dict[asyncio.Task[Any], str] = {}
    stopping = asyncio.ensure_future(stop.wait())
    keeping: asyncio.Task[None] | None = None
    try:
        if console is not None:
            await console.start()
        if lease is not None:
            if not await lease.wait(stop):
                return
            keeping = asyncio.create_task(lease.keep(), name="lease")
        if telegram is not None:
            tasks[asyncio.create_task(telegram.run(), name="telegram")] = "telegram"
        if zalo is not None:
            await zalo.start(wait=False)
            assert zalo.task is not None
            tasks[zalo.task] = "zalo"
        # the first attempt of each platform (done or failed), then today's catch-up
        firsts = {asyncio.ensure_future(e.wait()) for e in _attempted(telegram, zalo)}
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(first_attempt_timeout):
                while firsts and not _failed(tasks):
                    running = [t for t in tasks if not t.done()]
                    done, _ = await asyncio.wait(
                        [*firsts, *running], return_when=asyncio.FIRST_COMPLETED
                    )
                    firsts -= done
        for first in firsts:
            first.cancel()
        _reap(tasks, zalo, only_zalo=telegram is None)
        scheduler.start()
        try:
            if await morning.catch_up() is not None:
                runtime.heartbeat.beat(force=True)
        except Exception:  # the store hiccuped: the scheduled scan will still run
            log.exception("today's catch-up failed")
        if ready is not None:
            ready.set()
        watched = [stopping] if keeping is None else [stopping, keeping]
        while not stop.is_set() and not (lease is not None and lease.lost):
            await asyncio.wait([*watched, *tasks], return_when=asyncio.FIRST_COMPLETED)
            _reap(tasks, zalo, only_zalo=telegram is None)
    finally:
        stopping.cancel()
        if keeping is not None:
            keeping.cancel()
        if console is not None:
            await console.stop()
        if scheduler.running:
            scheduler.shutdown(wait=False)
        for task in tasks:
            if task.get_name() == "telegram" and not task.done():
                task.cancel()
        if telegram is not None:
            with contextlib.suppress(Exception):
                await telegram.stop()
            with contextlib.suppress(Exception):
                await telegram.app.bot.shutdown()  # a start that failed half-way
        if zalo is not None:
            await zalo.stop()
        if lease is not None:
            await lease.release()


def _beat_after_scan(runtime: Runtime) -> Callable[[JobExecutionEvent], None]:
    """The outside monitor hears of each morning scan that ran (None: the day ended first)."""

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == SCAN_JOB and event.retval is not None:
            runtime.heartbeat.beat(force=True)

    return listener


def _failed(tasks: dict[asyncio.Task[Any], str]) -> bool:
    return any(t.done() and not t.cancelled() and t.exception() for t in tasks)


def _attempted(telegram: TelegramRunner | None, zalo: ZaloBot | None) -> list[asyncio.Event]:
    return [r.attempted for r in (telegram, zalo) if r is not None]


def _reap(tasks: dict[asyncio.Task[Any], str], zalo: ZaloBot | None, only_zalo: bool) -> None:
    """Forget finished tasks (Telegram started, Zalo's webhook up); raise what must end
    the process; a platform that broke beside another is logged."""
    for task, name in list(tasks.items()):
        if not task.done():
            continue
        del tasks[task]
        if task.cancelled():
            continue
        error = task.exception()
        if name == "zalo" and zalo is not None and zalo.fatal_error is not None:
            error = error or zalo.fatal_error
        if error is None:
            continue
        if name == "telegram" or only_zalo:
            raise error
        log.error("Zalo stopped: %s; Telegram goes on", error)


def run(settings: Settings, today: date | None = None) -> int:
    """The main job: the bots whose tokens are set, else the console demo.

    Exit code 1, with one Vietnamese line on stderr, when a token is rejected.
    """
    token = settings.telegram_token
    if token is None and settings.zalo_token is None:
        if settings.container and not _on_a_terminal():
            _fatal_line(NO_TOKEN)  # never the demo in a restart loop
            return 2
        configure_logging("WARNING", [])  # the demo's own output is the point
        return run_demo(settings, today or datetime.now(VN_TZ).date())
    configure_logging(settings.log_level, settings.secrets)
    runtime = Runtime.open(settings)
    try:
        zalo = make_zalo(runtime)
        app = build_telegram(runtime, token) if token is not None else None
        log.info(
            "nhacviec: starting %s",
            " + ".join(n for n, on in (("Telegram", app), ("Zalo", zalo)) if on is not None),
        )
        console = web_server(runtime, zalo, bot_username(app))
        lease = ProcessLease(
            runtime.sessions, lease_name(token, settings.zalo_token), runtime.worker, runtime.clock
        )
        asyncio.run(serve(runtime, app=app, zalo=zalo, console=console, lease=lease))
        if lease.lost:
            _fatal_line(
                "Một tiến trình nhacviec khác đã nhận chạy bot này (tiến trình này mất kết nối "
                "cơ sở dữ liệu quá lâu); tiến trình này dừng để không gửi trùng. / Another "
                "process took this bot over; stopping so nothing is sent twice."
            )
            return 75
        return 0
    except Exception as exc:
        line = explain_fatal(exc)
        if line is None:
            raise
        _fatal_line(line)
        return 1
    finally:
        runtime.close()


def web_server(
    runtime: Runtime, zalo: ZaloBot | None, username: Callable[[], str | None]
) -> Console | None:
    """The console (NHACVIEC_WEB_LISTEN) with Zalo's webhook route when in webhook mode;
    without a console, the webhook alone on NHACVIEC_ZALO_WEBHOOK_LISTEN (the console's
    pages are never opened to the internet by the webhook)."""
    settings = runtime.settings
    routes = []
    if zalo is not None and zalo.webhook is not None:
        routes.append(zalo.webhook.route(settings.zalo_webhook_path))
    if settings.web_listen:
        return Console(runtime, settings.web_listen, bot_username=username, routes=routes)
    if routes:
        return Console(None, settings.zalo_webhook_listen, app=Starlette(routes=routes))
    return None


NO_TOKEN = (
    "Chưa có token của bot: đặt TELEGRAM_BOT_TOKEN (hoặc TELEGRAM_BOT_TOKEN_FILE) và/hoặc "
    "ZALO_BOT_TOKEN trong .env rồi khởi động lại. (Bản chạy thử chỉ dành cho cửa sổ dòng "
    "lệnh: docker compose run -it bot run.) / No bot token configured: set "
    "TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN; the demo runs only on a terminal."
)


def _on_a_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def bot_username(app: AnyApp | None) -> Callable[[], str | None]:
    """The Telegram bot's @name once it is known (the console's t.me links)."""

    def name() -> str | None:
        try:
            return app.bot.username if app is not None else None
        except RuntimeError:  # not initialized yet
            return None

    return name


def _fatal_line(line: str) -> None:
    if sys.stderr is not None:
        print(line, file=sys.stderr, flush=True)
