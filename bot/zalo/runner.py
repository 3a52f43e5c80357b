"""Zalo in the running bot: updates in (polling or webhook) → ChatService → replies out.

Commands from Zalo reach the same ``ChatService`` as Telegram's; replies are split
at 2,000 characters on line boundaries and counted against the monthly quota like
the outbox's messages. The bot's display name is passed to the parser so that
"@Nhắc Việc /done 57" and "/done 57 @Nhắc Việc" both read as /done 57.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.access import Sender
from bot.service import SORRY, ChatService
from bot.zalo.channel import ZaloChannel
from bot.zalo.client import ZaloClient, ZaloUpdate
from bot.zalo.http_server import HttpServer, Json, Reply
from bot.zalo.poller import RecentIds, WebhookRejected, ZaloPoller, parse_webhook
from data import outbox
from data.db import transaction
from data.domain import ChannelName
from jobs.channels import ChannelError, RateLimitError, split_message

log = logging.getLogger(__name__)

MAX_LENGTH = 2000


class ZaloIntake:
    """One update → one answer (if it is a command for us)."""

    def __init__(
        self,
        service: ChatService,
        client: ZaloClient,
        clock: Callable[[], datetime],
        bot_names: tuple[str, ...] = (),
    ) -> None:
        self.service = service
        self.client = client
        self.clock = clock
        self.bot_names = bot_names

    async def handle(self, update: ZaloUpdate) -> None:
        message = update.message
        if message is None or not message.text or message.sender_is_bot:
            return
        sender = Sender(
            channel="zalo",
            chat_id=message.chat_id,
            user_id=message.sender_id,
            user_name=message.sender_name or "Thành viên",
            is_group=message.is_group,
        )
        try:
            reply = await asyncio.to_thread(
                self.service.handle, sender, message.text, self.bot_names
            )
        except Exception:  # the store is down, a bug: the member still hears something
            log.exception("zalo update %s failed", message.message_id)
            await self._send(message.chat_id, SORRY)
            return
        if reply is None:
            return
        for part in split_message(reply.text, MAX_LENGTH):
            await self._send(message.chat_id, part)

    async def _send(self, chat_id: str, text: str) -> None:
        for attempt in range(3):
            try:
                await self.client.send_message(chat_id, text)
            except RateLimitError as exc:
                await asyncio.sleep(min(exc.retry_after, 30))
                continue
            except ChannelError as exc:
                if attempt == 2:
                    log.error("zalo reply to %s failed: %s", chat_id, exc)
                    return
                await asyncio.sleep(2**attempt)
                continue
            await asyncio.to_thread(self._count)
            return

    def _count(self) -> None:
        with transaction(self.service.sessions) as session:
            outbox.record_sent(session, ChannelName.ZALO, self.clock())


class ZaloWebhook:
    """Our webhook endpoint: checks the secret (constant time), answers at once, handles later."""

    def __init__(self, intake: ZaloIntake, secret: str, host: str, port: int, path: str) -> None:
        self.intake = intake
        self.secret = secret
        self.path = path
        self.server = HttpServer(self._request, host, port)
        self.recent = RecentIds()
        self._tasks: set[asyncio.Task[None]] = set()

    async def _request(self, verb: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        if verb != "POST" or target.split("?", 1)[0] != self.path:
            return 404, {"ok": False, "description": "Not Found"}, {}
        try:
            update = parse_webhook(body, headers, self.secret)
        except WebhookRejected as exc:
            log.warning("zalo webhook refused: %s", exc)
            return exc.status, {"ok": False, "description": "refused"}, {}
        message_id = update.message.message_id if update.message else ""
        if message_id and not self.recent.add(message_id):
            return 200, {"ok": True}, {}  # a replay: already handled
        task = asyncio.create_task(self.intake.handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        answer: Json = {"ok": True}
        return 200, answer, {}

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        await self.server.stop()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=10)


class ZaloBot:
    """Client, channel and intake of one Zalo bot; ``start``/``stop`` its receiving side."""

    def __init__(
        self,
        token: str,
        base_url: str,
        service: ChatService,
        clock: Callable[[], datetime],
        *,
        mode: str = "polling",
        webhook: tuple[str, str, str, int, str] | None = None,  # url, secret, host, port, path
        poll_interval: float = 1.0,
    ) -> None:
        self.client = ZaloClient(token, base_url)
        self.channel = ZaloChannel(self.client)
        self.intake = ZaloIntake(service, self.client, clock)
        self.mode = mode
        self.webhook_settings = webhook
        self.poll_interval = poll_interval
        self.poller: ZaloPoller | None = None
        self.webhook: ZaloWebhook | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start receiving (idempotent: a second call while running does nothing)."""
        if self._task is not None or self.webhook is not None:
            return
        me = await self.client.get_me()
        self.intake.bot_names = tuple(n for n in (me.display_name, me.account_name) if n)
        if self.mode == "webhook":
            if self.webhook_settings is None:
                raise ValueError("webhook mode needs NHACVIEC_ZALO_WEBHOOK_URL and _SECRET")
            url, secret, host, port, path = self.webhook_settings
            self.webhook = ZaloWebhook(self.intake, secret, host, port, path)
            await self.webhook.start()
            await self.client.set_webhook(url, secret)
            log.info("zalo: webhook mode")
            return
        await self.client.delete_webhook()  # polling and a webhook cannot run together
        self.poller = ZaloPoller(self.client, self.intake.handle, min_interval=self.poll_interval)
        self._task = asyncio.create_task(self.poller.run())
        log.info("zalo: long polling")

    async def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=10)
        if self.webhook is not None:
            await self.webhook.stop()
        await self.client.aclose()
