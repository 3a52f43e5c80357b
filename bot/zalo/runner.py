"""Zalo in the running bot: updates in (polling or webhook) → ChatService → replies out.

Commands from Zalo reach the same ``ChatService`` as Telegram's; replies are split
at 2,000 characters on line boundaries. The bot's name (the office's setting
``NHACVIEC_ZALO_BOT_NAME``: getMe has no display name) is passed to the parser so that
"@Bot Nhắc Việc /done 57" and "/done 57 @Bot Nhắc Việc" both read as /done 57. In
webhook mode, the endpoint (``bot.zalo.webhook``) is a route of the console's app.

What keeps Zalo honest (numbers in ``bot.limits``):

* an update is marked processed in the store (``data.processed_updates``) before
  it is handled, so one handed out again, even after a restart, does nothing;
* the monthly cap belongs to the reminders first: a reply is counted before it is
  sent and only while the month stays under ``reply_cap`` (the office is told once
  a day when replies stop); a failed send gives its count back;
* a chat that is not registered gets at most one answer a day, and all of them
  together at most ``stranger_replies`` a month (their own share, never the units');
* ``ZaloBot.start`` never fails: connecting retries in the background with
  ``Backoff`` (the office told once), so Zalo being down never stops Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum

from bot.access import Sender, load_context
from bot.commands.parsing import parse_command
from bot.limits import Backoff, reply_cap
from bot.logs import explain_fatal
from bot.service import FILE_CAPTION, FILE_COMMANDS, SORRY, ChatService, Reply
from bot.zalo.channel import ZaloChannel
from bot.zalo.client import (
    FileTooLarge,
    PrivateAddress,
    QuotaExceeded,
    ZaloApiError,
    ZaloClient,
    ZaloMessage,
    ZaloUpdate,
)
from bot.zalo.poller import ZaloPoller
from bot.zalo.quota import Alert, ZaloQuotaGate, no_alert
from bot.zalo.webhook import ZaloWebhookEndpoint
from data import outbox, part_files, processed_updates
from data.clock import local_date, month_of
from data.db import transaction
from data.domain import ChannelName
from jobs.channels import ChannelError, RateLimitError, TransientError, split_message

log = logging.getLogger(__name__)

MAX_LENGTH = 2000
DEFAULT_MONTHLY_QUOTA = 3000
PRUNE_EVERY = 3600.0  # seconds between two prunings of the processed updates

__all__ = ["Alert", "ZaloBot", "ZaloIntake", "no_alert"]


class Admission(StrEnum):
    OK = "ok"
    STRANGER_TODAY = "stranger-today"  # this unregistered chat was answered today
    STRANGERS_FULL = "strangers-full"  # unregistered chats spent their month's share
    FULL = "full"  # the month's replies are spent (the rest is for reminders)


STRANGERS = f"{ChannelName.ZALO}:strangers"  # the usage counter of strangers' answers
DEFAULT_STRANGER_REPLIES = 100


class _OverBudget(Exception):
    """Raised inside the admission transaction so the count is rolled back."""

    def __init__(self, admission: Admission) -> None:
        super().__init__(admission.value)
        self.admission = admission


class ZaloIntake:
    """One update → one answer (if it is a command for us, and the quota allows)."""

    def __init__(
        self,
        service: ChatService,
        client: ZaloClient,
        clock: Callable[[], datetime],
        bot_names: tuple[str, ...] = (),
        *,
        monthly_quota: int = DEFAULT_MONTHLY_QUOTA,
        alert: Alert = no_alert,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        gate: ZaloQuotaGate | None = None,
        stranger_replies: int = DEFAULT_STRANGER_REPLIES,
    ) -> None:
        self.service = service
        self.client = client
        self.clock = clock
        self.bot_names = bot_names
        self.monthly_quota = monthly_quota
        self.alert = alert
        self.gate = gate or ZaloQuotaGate(service.sessions, clock, alert)
        self._sleep = sleep
        self._pruned_at = float("-inf")
        self._told_full: set[str] = set()  # months whose "replies stopped" was logged
        self._told_strangers: set[str] = set()  # months whose strangers' share ran out
        self.stranger_replies = stranger_replies

    @property
    def reply_cap(self) -> int:
        return reply_cap(self.monthly_quota)

    async def handle(self, update: ZaloUpdate) -> None:
        message = update.message
        if message is None or message.sender_is_bot:
            return
        if not message.text:
            if message.photo_url and message.caption:
                await self._image(message, message.photo_url, message.caption)
            return
        if message.message_id and not await asyncio.to_thread(self._first_time, message.message_id):
            log.info("zalo update %s was processed before; skipped", message.message_id)
            return
        sender = self._sender(message)
        try:
            reply, registered = await asyncio.to_thread(self._handle, sender, message.text)
        except Exception:  # the store is down, a bug: the member still hears something
            log.exception("zalo update %s failed", message.message_id)
            await self._answer(message.chat_id, [SORRY], stranger=False)
            return
        if reply is None:
            return
        # Zalo has no documents: a report comes as its short text and where to get the file.
        text = reply.attachment.fallback if reply.attachment is not None else reply.text
        await self._answer(
            message.chat_id, split_message(text, MAX_LENGTH), stranger=not registered
        )

    async def _image(self, message: ZaloMessage, url: str, caption: str) -> None:
        """An image captioned ``/done 57`` (or ``/capnhat 57 …``): fetched with retries,
        then kept on the unit's part and the caption run, as a Telegram document is."""
        command = parse_command(caption, self.service.commands, self.bot_names)
        if command is None:
            return  # a photo with words for the members: not ours
        if message.message_id and not await asyncio.to_thread(self._first_time, message.message_id):
            log.info("zalo update %s was processed before; skipped", message.message_id)
            return
        sender = self._sender(message)
        try:
            reply: Reply | None
            registered = await asyncio.to_thread(self._registered, sender)
            if not registered:  # a stranger: answered as its caption would be, nothing fetched
                reply, registered = await asyncio.to_thread(self._handle, sender, caption)
            elif command.name not in FILE_COMMANDS:  # nothing to keep it for: not fetched
                reply = Reply(FILE_CAPTION)
            else:
                fetched = await self._fetch(url)
                if isinstance(fetched, str):
                    reply = Reply(fetched)
                else:
                    reply, registered = await asyncio.to_thread(
                        self._handle_file, sender, caption, fetched
                    )
        except Exception:  # the store is down, a bug: the member still hears something
            log.exception("zalo image %s failed", message.message_id)
            await self._answer(message.chat_id, [SORRY], stranger=False)
            return
        if reply is not None:
            parts = split_message(reply.text, MAX_LENGTH)
            await self._answer(message.chat_id, parts, stranger=not registered)

    async def _fetch(self, url: str, attempts: int = 3) -> bytes | str:
        """The photo's bytes, retried on network trouble (1, 2 s); else why not."""
        for attempt in range(attempts):
            try:
                return await self.client.download(url, max_bytes=part_files.MAX_FILE_BYTES)
            except FileTooLarge as big:
                return (
                    f"Không nhận tệp: tệp quá lớn (trên {big.size / part_files.MIB:.1f} MB); "
                    "giới hạn là 20 MB."
                )
            except PrivateAddress as inside:
                log.warning("zalo photo refused: %s", inside)
                return "Không nhận tệp: địa chỉ ảnh không phải địa chỉ công khai của Zalo."
            except TransientError as exc:
                log.warning("zalo photo not fetched (%s), attempt %d", exc, attempt + 1)
                if attempt + 1 < attempts:
                    await self._sleep(2.0**attempt)
            except ChannelError as exc:
                log.warning("zalo photo refused: %s", exc)
                break
        return "Chưa tải được ảnh từ Zalo. Vui lòng gửi lại sau ít phút."

    @staticmethod
    def _sender(message: ZaloMessage) -> Sender:
        return Sender(
            channel=ChannelName.ZALO,
            chat_id=message.chat_id,
            user_id=message.sender_id,
            user_name=message.sender_name or "Thành viên",
            is_group=message.is_group,
        )

    # -- the store, in worker threads ---------------------------------------------------

    def _registered(self, sender: Sender) -> bool:
        with self.service.sessions() as session:
            return load_context(session, sender).registered

    def _handle_file(
        self, sender: Sender, caption: str, content: bytes
    ) -> tuple[Reply | None, bool]:
        reply = self.service.handle_file(sender, caption, "", content, self.bot_names)
        with self.service.sessions() as session:
            return reply, load_context(session, sender).registered

    def _first_time(self, message_id: str) -> bool:
        now = self.clock()
        with transaction(self.service.sessions) as session:
            first = processed_updates.mark_processed(session, ChannelName.ZALO, message_id, now)
            if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
                self._pruned_at = time.monotonic()
                processed_updates.prune(session, now)
        return first

    def _handle(self, sender: Sender, text: str) -> tuple[Reply | None, bool]:
        reply = self.service.handle(sender, text, self.bot_names)
        if reply is None:
            return None, True
        with self.service.sessions() as session:  # after the command: /dangky may have bound it
            return reply, load_context(session, sender).registered

    def _admit(self, chat_id: str, parts: int, stranger: bool) -> Admission:
        """Count ``parts`` replies now if allowed (a stranger's in its own share too)."""
        now = self.clock()
        try:
            with transaction(self.service.sessions) as session:
                if stranger and not processed_updates.once_a_day(
                    session, ChannelName.ZALO, f"stranger:{chat_id}", local_date(now), now
                ):
                    return Admission.STRANGER_TODAY
                # strangers share their own small budget: never the units' replies
                if stranger and outbox.record_sent(session, STRANGERS, now, parts) > (
                    self.stranger_replies
                ):
                    raise _OverBudget(Admission.STRANGERS_FULL)
                # the row lock of this increment orders concurrent replies: none goes past
                if outbox.record_sent(session, ChannelName.ZALO, now, parts) > self.reply_cap:
                    raise _OverBudget(Admission.FULL)
        except _OverBudget as over:  # rolled back: nothing counted, no marker kept
            return over.admission
        return Admission.OK

    def _refund(self, parts: int, stranger: bool) -> None:
        now = self.clock()
        with transaction(self.service.sessions) as session:
            outbox.record_sent(session, ChannelName.ZALO, now, -parts)
            if stranger:
                outbox.record_sent(session, STRANGERS, now, -parts)

    # -- sending -------------------------------------------------------------------------

    async def _answer(self, chat_id: str, parts: list[str], *, stranger: bool) -> None:
        if not parts:
            return
        admitted = await asyncio.to_thread(self._admit, chat_id, len(parts), stranger)
        if admitted is Admission.STRANGER_TODAY:
            log.info("zalo chat %s is not registered and was answered today; silent", chat_id)
            return
        if admitted is Admission.STRANGERS_FULL:
            month = month_of(self.clock())
            if month not in self._told_strangers:
                self._told_strangers.add(month)
                log.warning(
                    "zalo: unregistered chats used their %d answers for %s; they get no more",
                    self.stranger_replies,
                    month,
                )
            return
        if admitted is Admission.FULL:
            await self._replies_stopped()
            return
        for index, part in enumerate(parts):
            if not await self._send(chat_id, part):
                await asyncio.to_thread(self._refund, len(parts) - index, stranger)
                return

    async def _replies_stopped(self) -> None:
        now = self.clock()
        month = month_of(now)
        if month not in self._told_full:
            self._told_full.add(month)
            log.error(
                "zalo: replies stopped for %s at %d of %d messages (the rest is for reminders)",
                month,
                self.reply_cap,
                self.monthly_quota,
            )
        await self.alert(
            f"⚠️ Zalo: tháng {month} đã dùng {self.reply_cap}/{self.monthly_quota} tin cho trả "
            "lời lệnh. Bot tạm ngừng trả lời lệnh trên Zalo để dành phần còn lại cho tin nhắc "
            "việc; các lệnh vẫn dùng được trên Telegram.",
            f"zalo-replies-full-{month}",
        )

    async def _send(self, chat_id: str, text: str) -> bool:
        if await self.gate.paused():
            log.warning("zalo reply to %s not sent: Zalo is paused (quota spent)", chat_id)
            return False
        for attempt in range(3):
            try:
                await self.client.send_message(chat_id, text)
            except QuotaExceeded:
                await self.gate.exceeded()
                log.error("zalo reply to %s not sent: quota exceeded", chat_id)
                return False
            except RateLimitError as exc:
                await self._sleep(min(exc.retry_after, 30))
                continue
            except ChannelError as exc:
                if attempt == 2 or isinstance(exc, ZaloApiError):
                    log.error("zalo reply to %s failed: %s", chat_id, exc)
                    return False
                await self._sleep(2**attempt)
                continue
            return True
        log.error("zalo reply to %s not sent: still rate limited", chat_id)
        return False


class ZaloBot:
    """Client, channel and intake of one Zalo bot; ``start``/``stop`` its receiving side.

    ``start`` returns at once: connecting (getMe, then the webhook or polling) runs in
    the background and retries with ``backoff`` until Zalo answers; the office is
    told once. A rejected token is not retried: ``fatal`` says why (one Vietnamese line).
    """

    def __init__(
        self,
        token: str,
        base_url: str,
        service: ChatService,
        clock: Callable[[], datetime],
        *,
        mode: str = "polling",
        webhook: tuple[str, str] | None = None,  # the public URL, the secret
        poll_interval: float = 1.0,
        monthly_quota: int = DEFAULT_MONTHLY_QUOTA,
        alert: Alert = no_alert,
        backoff: Backoff | None = None,
        bot_name: str = "",
        stranger_replies: int = DEFAULT_STRANGER_REPLIES,
    ) -> None:
        self.client = ZaloClient(token, base_url)
        self.gate = ZaloQuotaGate(service.sessions, clock, alert)
        self.channel = ZaloChannel(self.client, self.gate)
        self.intake = ZaloIntake(
            service,
            self.client,
            clock,
            monthly_quota=monthly_quota,
            alert=alert,
            gate=self.gate,
            stranger_replies=stranger_replies,
        )
        self.bot_name = bot_name.strip()
        self.mode = mode
        self.webhook_settings = webhook
        self.poll_interval = poll_interval
        self.backoff = backoff or Backoff()
        self.poller: ZaloPoller | None = None
        self.webhook: ZaloWebhookEndpoint | None = None  # served by the console's app
        if mode == "webhook" and webhook is not None:
            self.webhook = ZaloWebhookEndpoint(webhook[1], self.intake.handle, clock=clock)
        self.connected = asyncio.Event()  # set once Zalo answered and receiving began
        self.attempted = asyncio.Event()  # set after the first attempt, whatever its outcome
        self.failures = 0
        self.fatal: str | None = None  # a rejected token: why Zalo stays off
        self.fatal_error: Exception | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def alert(self) -> Alert:
        return self.intake.alert

    @alert.setter
    def alert(self, alert: Alert) -> None:
        self.intake.alert = alert
        self.gate.alert = alert

    async def start(self, *, wait: bool = True) -> None:
        """Try to connect once (``wait``), then keep trying in the background.

        Idempotent; never raises for Zalo's state: a failure is logged, the office
        told, and the next attempt scheduled.
        """
        if self.mode == "webhook" and self.webhook_settings is None:
            raise ValueError("webhook mode needs NHACVIEC_ZALO_WEBHOOK_URL and _SECRET")
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name="zalo")
        if wait:
            waiter = asyncio.ensure_future(self.attempted.wait())
            try:
                await asyncio.wait({waiter, self.task}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()

    async def _run(self) -> None:
        delays = self.backoff.delays()
        while True:
            try:
                await self._connect()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.failures += 1
                self.attempted.set()
                fatal = explain_fatal(exc)
                if fatal is not None:
                    self.fatal, self.fatal_error = fatal, exc
                    log.error("%s Zalo tạm ngừng; Telegram (nếu có) vẫn chạy.", fatal)
                    await self._tell(f"⛔ {fatal}", "zalo-token")
                    return
                delay = next(delays)
                log.error("Zalo chưa kết nối được (%s); thử lại sau %.0f giây", exc, delay)
                if self.failures == 1:
                    await self._tell(
                        f"⚠️ Zalo chưa kết nối được khi khởi động ({exc}). Các nền tảng khác "
                        "vẫn chạy; nhacviec tự thử lại và gửi các tin nhắc còn giữ khi Zalo "
                        "trở lại.",
                        "zalo-start",
                    )
                await asyncio.sleep(delay)
                continue
            break
        if self.failures:
            log.info("Zalo connected after %d failed attempt(s)", self.failures)
        self.connected.set()
        self.attempted.set()
        if self.poller is not None:
            await self.poller.run()

    async def _tell(self, text: str, key: str) -> None:
        try:
            await self.intake.alert(text, key)
        except Exception:  # telling the office must not stop the retrying
            log.exception("could not queue the office's alert")

    async def _connect(self) -> None:
        me = await self.client.get_me()
        # what members type after "@": the name the office gave the bot (getMe has none)
        self.intake.bot_names = tuple(n for n in (self.bot_name, me.account_name) if n)
        if me.can_join_groups:
            log.info("zalo: bot %s may join groups (can_join_groups)", me.account_name or me.id)
        else:
            log.error(
                "zalo: bot %s cannot join groups (getMe: can_join_groups=false): unit groups "
                "will not receive reminders; allow it in Zalo Bot Creator",
                me.account_name or me.id,
            )
        if not self.bot_name:
            log.warning(
                "zalo: NHACVIEC_ZALO_BOT_NAME is not set: '@<bot name> /done 57' in a group "
                "is not recognised; set it to the bot's name as shown in Zalo"
            )
        if self.mode == "webhook":
            assert self.webhook_settings is not None
            url, secret = self.webhook_settings
            await self.client.set_webhook(url, secret)
            log.info("zalo: webhook mode (%s, served by the console's web server)", url)
            return
        await self.client.delete_webhook()  # polling and a webhook cannot run together
        self.poller = ZaloPoller(self.client, self.intake.handle, min_interval=self.poll_interval)
        log.info("zalo: long polling")

    async def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self.task is not None:
            if not self.connected.is_set() or self.poller is None:
                self.task.cancel()
            await asyncio.wait({self.task}, timeout=10)
            if not self.task.done():
                self.task.cancel()
        if self.webhook is not None:
            await self.webhook.drain()
        await self.client.aclose()
