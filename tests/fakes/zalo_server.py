"""A fake Zalo Bot API over real HTTP on 127.0.0.1, for end-to-end tests.

It behaves the way real bots observe the service (see ``bot/zalo/client.py``):
``POST /bot<TOKEN>/<method>`` with JSON; ``getUpdates`` hands out ONE update per
call and ends an idle poll with HTTP 408 "Request timeout" (after ``idle_wait``
seconds, short for tests); consumed updates can be handed out again (``replays``,
``replay()``); ids are strings, dates epoch milliseconds; a text over 2000
characters and an unknown chat are refused with ``ok: false`` under HTTP 200; a
group accepts the bot's messages only after the bot has seen a message from it
(a group message reaches the bot only when it is @mentioned); faults (403, 500…)
can be injected; every sent message is recorded. As the platform documents: getMe
has ``account_name`` and no display name; the plan's monthly quota spent answers
429 "quota exceeded" (``monthly_quota``); 403 is a server error (``fail_next``).

Two ways in, the same behaviour behind both: ``transport()`` answers in process
(``ZaloClient(server.token, any_url, transport=server.transport())``, no socket),
or ``async with FakeZaloServer() as server: ZaloClient(server.token,
server.base_url)`` listens on 127.0.0.1 for what needs real HTTP (timeouts, the
end-to-end runs); ``post_webhook`` and ``WebhookReceiver`` cover the webhook side.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote

import httpx

from bot.zalo.poller import SECRET_HEADER
from tests.fakes.http_server import HttpServer, Json, Reply

FAKE_TOKEN = "1459232241454765289:FakeTokenAbcDefGhiJklMnoPqrStuVwxYz0123"
MAX_TEXT = 2000
MOCK_BASE_URL = "https://bot-api.zalo.test"  # for transport(): the host is never resolved


def now_ms() -> int:
    return int(time.time() * 1000)


def new_id() -> str:
    """Zalo ids look like "16f6366b3f02645a3d15": 20 hex digits, as strings."""
    return uuid.uuid4().hex[:20]


def make_update(
    text: str,
    *,
    chat_id: str = "user-1",
    chat_type: str = "PRIVATE",
    from_id: str | None = None,
    display_name: str = "Nguyễn Văn An",
    use_first_name: bool = False,
    message_id: str | None = None,
    date_ms: int | None = None,
    event_name: str | None = "message.text.received",
    is_bot: bool = False,
) -> Json:
    """An update as Zalo sends it (``use_first_name``: the docs' sample spelling)."""
    sender: Json = {"id": from_id or chat_id, "is_bot": is_bot}
    sender["first_name" if use_first_name else "display_name"] = display_name
    update: Json = {
        "message": {
            "message_id": message_id or new_id(),
            "date": now_ms() if date_ms is None else date_ms,
            "text": text,
            "chat": {"id": chat_id, "chat_type": chat_type},
            "from": sender,
        }
    }
    if event_name is not None:
        update["event_name"] = event_name
    return update


@dataclass
class Chat:
    id: str
    chat_type: str  # "PRIVATE" or "GROUP"
    seen: bool = False  # the bot has seen a message from it (groups: needed to post)


@dataclass(frozen=True)
class Call:
    """One request received, with or without a valid token."""

    method: str
    payload: Json
    token_ok: bool


@dataclass(frozen=True)
class Sent:
    method: str
    chat_id: str
    text: str
    message_id: str
    payload: Json


@dataclass
class Fault:
    """An injected failure for the next call of ``method`` (None: any method)."""

    method: str | None
    error_code: int
    http_status: int
    description: str
    retry_after: float | None = None


def refusal(error_code: int, description: str, http_status: int = 200) -> Reply:
    return http_status, {"ok": False, "error_code": error_code, "description": description}, {}


@dataclass
class FakeZaloServer:
    token: str = FAKE_TOKEN
    idle_wait: float = 0.2  # seconds an idle getUpdates waits before its 408
    replays: int = 0  # how many more times each consumed update is handed out again
    monthly_quota: int | None = None  # the plan's sent messages a month; then 429
    require_https_webhook: bool = False  # the real service requires HTTPS; tests post to http
    bot_id: str = "1459232241454765289"
    account_name: str = "bot.NhacViec"
    can_join_groups: bool = True
    calls: list[Call] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    delivered: list[Json] = field(default_factory=list)  # updates handed out, replays too
    chats: dict[str, Chat] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    webhook_url: str = ""
    webhook_secret: str = ""
    # photos members sent (id → bytes), served at ``<MOCK_BASE_URL>/images/<id>`` by
    # ``transport()``; ``image_faults`` ("drop", "500") for the next downloads
    images: dict[str, bytes] = field(default_factory=dict)
    image_faults: deque[str] = field(default_factory=deque)
    downloads: int = 0

    def __post_init__(self) -> None:
        self._http = HttpServer(self._handle)
        self._queue: deque[Json] = deque()
        self._deliveries: dict[str, int] = {}
        self._arrived = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return self._http.url

    async def start(self) -> None:
        await self._http.start()

    async def stop(self) -> None:
        await self._http.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def transport(self) -> httpx.MockTransport:
        """An httpx transport that hands each request to this fake, in process.

        ``start`` is not needed; the host of the URL is ignored, only the path counts.
        """

        async def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path.startswith("/images/"):
                return self._image(request)
            headers = {name.lower(): value for name, value in request.headers.items()}
            target = request.url.raw_path.decode("ascii")
            status, payload, extra = await self._handle(
                request.method, target, headers, await request.aread()
            )
            return httpx.Response(status, json=payload, headers=extra, request=request)

        return httpx.MockTransport(answer)

    # --------------------------------------------------------- arranging a test

    def add_private(self, chat_id: str) -> Chat:
        """A user who has written to the bot (private chats are known once they write)."""
        chat = self.chats.setdefault(chat_id, Chat(chat_id, "PRIVATE"))
        chat.seen = True
        return chat

    def add_group(self, chat_id: str, *, seen: bool = False) -> Chat:
        """A group the bot was added to; it may post there only once ``seen``."""
        chat = self.chats.setdefault(chat_id, Chat(chat_id, "GROUP"))
        chat.seen = chat.seen or seen
        return chat

    def incoming(
        self,
        text: str,
        *,
        chat_id: str = "user-1",
        group: bool = False,
        mentioned: bool = True,
        **update_fields: Any,
    ) -> Json | None:
        """A member writes; returns the queued update, or None when the bot cannot see it.

        A group message reaches the bot only when it is @mentioned (or a reply to it);
        seeing one is what lets the bot post in that group.
        """
        chat_type = "GROUP" if group else "PRIVATE"
        if group and not mentioned:
            self.chats.setdefault(chat_id, Chat(chat_id, chat_type))
            return None
        chat = self.chats.setdefault(chat_id, Chat(chat_id, chat_type))
        chat.seen = True
        update = make_update(text, chat_id=chat_id, chat_type=chat_type, **update_fields)
        self._queue.append(update)
        self._arrived.set()
        return update

    def incoming_image(
        self,
        caption: str,
        content: bytes,
        *,
        chat_id: str = "user-1",
        group: bool = False,
        **update_fields: Any,
    ) -> Json:
        """A member sends a photo with a caption ("message.image.received"): the update
        carries its address (``photo_url``) and caption, the bytes are served by
        ``transport()``. Zalo's Bot API has no documents: only images arrive."""
        image_id = new_id()
        self.images[image_id] = content
        update = self.incoming(
            "", chat_id=chat_id, group=group, event_name="message.image.received", **update_fields
        )
        assert update is not None
        message = update["message"]
        del message["text"]
        message["photo_url"] = f"{MOCK_BASE_URL}/images/{image_id}"
        message["caption"] = caption
        return update

    def _image(self, request: httpx.Request) -> httpx.Response:
        if self.image_faults:
            fault = self.image_faults.popleft()
            if fault == "drop":
                raise httpx.ConnectError("connection reset by fake server", request=request)
            return httpx.Response(int(fault), request=request)
        self.downloads += 1
        content = self.images.get(request.url.path.rsplit("/", 1)[-1])
        if content is None:
            return httpx.Response(404, request=request)
        return httpx.Response(200, content=content, request=request)

    def replay(self, update: Json | None = None) -> None:
        """Hand out an already consumed update again (default: the last one)."""
        chosen = update if update is not None else self.delivered[-1]
        self._queue.append(chosen)
        self._arrived.set()

    def fail_next(
        self,
        method: str | None = None,
        *,
        error_code: int = 500,
        http_status: int | None = None,
        description: str | None = None,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` fail; ``http_status=200`` for ok:false."""
        status = error_code if http_status is None else http_status
        text = description or HTTPStatus(error_code).phrase
        for _ in range(times):
            self.faults.append(Fault(method, error_code, status, text, retry_after))

    @property
    def pending(self) -> int:
        """Updates waiting for a getUpdates."""
        return len(self._queue)

    def texts_to(self, chat_id: str) -> list[str]:
        return [s.text for s in self.sent if s.chat_id == chat_id]

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # ------------------------------------------------------------------- serving

    async def _handle(self, verb: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", target.split("?", 1)[0])
        if match is None:
            return refusal(404, "Not Found", 404)
        token, method = unquote(match[1]), match[2]
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            payload = None
        token_ok = token == self.token
        self.calls.append(Call(method, payload if isinstance(payload, dict) else {}, token_ok))
        if not token_ok:
            return refusal(401, "Unauthorized", 401)
        if verb != "POST":
            return refusal(405, "Method Not Allowed", 405)
        if not isinstance(payload, dict):
            return refusal(400, "Bad Request: body must be a JSON object", 400)
        fault = self._take_fault(method)
        if fault is not None:
            extra = {} if fault.retry_after is None else {"Retry-After": f"{fault.retry_after:g}"}
            status, answer, _ = refusal(fault.error_code, fault.description, fault.http_status)
            return status, answer, extra
        # "sendMessage" is served by _api_send_message
        handler = getattr(self, "_api_" + re.sub(r"([A-Z])", r"_\1", method).lower(), None)
        if handler is None or not method.isalnum():
            return refusal(404, f"Method {method} not found", 404)
        result: Reply = await handler(payload)
        return result

    def _take_fault(self, method: str) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if fault.method in (None, method):
                return self.faults.pop(index)
        return None

    @staticmethod
    def _ok(result: Any) -> Reply:
        return 200, {"ok": True, "result": result}, {}

    async def _api_get_me(self, payload: Json) -> Reply:
        """As documented: id, account_name, account_type, can_join_groups (no display name)."""
        return self._ok(
            {
                "id": self.bot_id,
                "account_name": self.account_name,
                "account_type": "BASIC",
                "can_join_groups": self.can_join_groups,
            }
        )

    async def _api_get_updates(self, payload: Json) -> Reply:
        if self.webhook_url:
            return refusal(409, "Conflict: webhook is active, getUpdates is not available")
        try:
            wanted = float(payload.get("timeout", 30))
        except (TypeError, ValueError):
            return refusal(400, "Bad Request: timeout must be a number")
        if not self._queue:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), min(self.idle_wait, wanted))
        if not self._queue:
            return refusal(408, "Request timeout", 408)
        update = self._queue.popleft()
        self.delivered.append(update)
        message_id = str(update.get("message", {}).get("message_id", ""))
        count = self._deliveries.get(message_id, 0) + 1
        self._deliveries[message_id] = count
        if count <= self.replays:
            self._queue.append(update)
        return self._ok(update)

    async def _api_set_webhook(self, payload: Json) -> Reply:
        url, secret = payload.get("url"), payload.get("secret_token")
        if not isinstance(url, str) or not url:
            return refusal(400, "Bad Request: url is required")
        if self.require_https_webhook and not url.startswith("https://"):
            return refusal(400, "Bad Request: url must be HTTPS")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return refusal(400, "Bad Request: secret_token must be 8 to 256 characters")
        self.webhook_url, self.webhook_secret = url, secret
        return self._ok({"url": url, "updated_at": now_ms()})

    async def _api_get_webhook_info(self, payload: Json) -> Reply:
        return self._ok({"url": self.webhook_url, "updated_at": now_ms()})

    async def _api_delete_webhook(self, payload: Json) -> Reply:
        self.webhook_url = self.webhook_secret = ""
        return self._ok({"url": "", "updated_at": now_ms()})

    def _refuse_target(self, chat_id: object) -> Reply | None:
        if not isinstance(chat_id, str) or not chat_id:
            return refusal(400, "Bad Request: chat_id is required")
        chat = self.chats.get(chat_id)
        if chat is None:
            return refusal(400, "Chat not found")
        if chat.chat_type == "GROUP" and not chat.seen:
            return refusal(403, "Forbidden: the bot has not received a message from this group")
        if self.monthly_quota is not None and len(self.sent) >= self.monthly_quota:
            return refusal(429, "quota exceeded", 429)
        return None

    def _record(self, method: str, payload: Json, text: str) -> Reply:
        message_id = new_id()
        self.sent.append(Sent(method, str(payload["chat_id"]), text, message_id, payload))
        return self._ok({"message_id": message_id, "date": now_ms()})

    async def _api_send_message(self, payload: Json) -> Reply:
        text = payload.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            return refusal(400, f"Bad Request: text must be 1 to {MAX_TEXT} characters")
        refused = self._refuse_target(payload.get("chat_id"))
        return refused or self._record("sendMessage", payload, text)

    async def _api_send_photo(self, payload: Json) -> Reply:
        photo = payload.get("photo")
        if not isinstance(photo, str) or not photo:
            return refusal(400, "Bad Request: photo is required")
        refused = self._refuse_target(payload.get("chat_id"))
        return refused or self._record("sendPhoto", payload, str(payload.get("caption", "")))

    async def _api_send_sticker(self, payload: Json) -> Reply:
        sticker = payload.get("sticker")
        if not isinstance(sticker, str) or not sticker:
            return refusal(400, "Bad Request: sticker is required")
        refused = self._refuse_target(payload.get("chat_id"))
        return refused or self._record("sendSticker", payload, "")

    async def _api_send_chat_action(self, payload: Json) -> Reply:
        chat_id = payload.get("chat_id")
        if not isinstance(chat_id, str) or chat_id not in self.chats:
            return refusal(400, "Chat not found")
        if payload.get("action") not in ("typing", "upload_photo"):
            return refusal(400, "Bad Request: unknown action")
        return 200, {"ok": True}, {}

    # ---------------------------------------------------------------- webhooks

    async def post_webhook(self, update: Json, *, wrapped: bool = False) -> httpx.Response:
        """Deliver ``update`` the way Zalo would, to the webhook set by ``setWebhook``."""
        assert self.webhook_url, "no webhook is set"
        return await post_webhook(self.webhook_url, update, self.webhook_secret, wrapped=wrapped)


async def post_webhook(
    url: str,
    update: Json,
    secret: str | None,
    *,
    wrapped: bool = False,
    header: str = SECRET_HEADER,
    timeout: float = 5.0,
) -> httpx.Response:
    """POST an update (bare, or wrapped in ``result``) with the secret header; None: no header."""
    body: Json = {"ok": True, "result": update} if wrapped else update
    headers = {} if secret is None else {header: secret}
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as http:
        return await http.post(url, json=body, headers=headers)


WebhookResponder = Callable[[bytes, Mapping[str, str]], Awaitable[tuple[int, Json]]]


class WebhookReceiver:
    """Our side of a webhook for tests: an HTTP endpoint answering with ``respond``."""

    def __init__(self, respond: WebhookResponder) -> None:
        self.respond = respond
        self.received: list[tuple[dict[str, str], bytes]] = []
        self._http = HttpServer(self._handle)

    @property
    def url(self) -> str:
        return f"{self._http.url}/zalo/webhook"

    async def _handle(self, verb: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        self.received.append((headers, body))
        if verb != "POST" or target != "/zalo/webhook":
            return 404, {"ok": False}, {}
        status, answer = await self.respond(body, headers)
        return status, answer, {}

    async def __aenter__(self) -> Self:
        await self._http.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._http.stop()
