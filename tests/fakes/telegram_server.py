"""A fake Telegram Bot API that keeps Telegram's flood rules, in process or over real HTTP.

``sendMessage`` is answered the way Telegram does when a bot floods it: HTTP 429
with ``retry_after`` whenever more than ``per_second`` messages arrive within any
second overall, or more than ``group_max`` within ``group_period`` in one group. Each
such answer that the bot's own pacing caused is counted (``provoked``); faults can
be scripted for the next sends (``"429"``: a flood answer Telegram chose to give,
``"drop"``: the connection reset). Every delivery is recorded with the fake's clock
(``time.monotonic``), so a test asserts pacing from the recorded arrivals.

Two ways in, the same behaviour behind both: ``transport()`` for an ``ExtBot`` in
process (``HTTPXRequest(httpx_kwargs={"transport": fake.transport()})``), or
``async with FakeBotApi() as fake:`` listening on 127.0.0.1 with ``fake.base_url``
as ``TELEGRAM_BASE_URL`` for a real ``nhacviec run`` in a subprocess. ``getMe``,
``getUpdates`` (idle: an empty answer after a short wait), ``setMyCommands``,
``deleteWebhook`` and anything else a starting bot calls answer ``ok``. A group can be
marked upgraded (``migrated``: old id → new id, answered as Telegram does, 400 with
``parameters.migrate_to_chat_id``) or the bot kicked from it (``kicked``: 403).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

import httpx

from tests.fakes.http_server import HttpServer, Json, Reply

BOT_USER: Json = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Nhắc việc",
    "username": "NhacViecBot",
}


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    text: str
    at: float  # the fake's clock when it arrived


@dataclass
class FakeBotApi:
    per_second: int = 30  # Telegram: 30 messages a second overall
    group_max: int = 20  # and 20 a minute in one group
    group_period: float = 60.0
    faults: deque[str] = field(default_factory=deque)  # "429" | "drop", for the next sends
    idle_updates: float = 0.5  # an idle getUpdates answers [] after this long (or its timeout)
    clock: Callable[[], float] = time.monotonic
    delivered: list[Delivery] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    provoked: int = 0  # 429s the bot's pacing caused (must stay 0)
    injected: int = 0  # 429s from ``faults``
    ignored_retry_after: int = 0  # sends that came while a 429's retry_after still ran
    blocked_until: float = 0.0
    # a group upgraded to a supergroup: sends to the old id answer ``migrate_to_chat_id``
    migrated: dict[int, int] = field(default_factory=dict)
    kicked: set[int] = field(default_factory=set)  # sends answer 403 "bot was kicked"
    refused: list[tuple[int, str]] = field(default_factory=list)  # (chat, description)
    # updates for getUpdates, handed out once, only of the kinds the bot asked for
    # (``allowed_updates``, as Telegram does): e.g. ``my_chat_member`` (bot removed)
    updates: deque[Json] = field(default_factory=deque)
    withheld: list[Json] = field(default_factory=list)  # of a kind the bot did not ask for
    # files a user sent (file id → bytes): ``getFile`` answers their path, the download
    # (in process, ``transport()``) their bytes; ``file_faults`` ("drop") for the next fetches
    files: dict[str, bytes] = field(default_factory=dict)
    file_faults: deque[str] = field(default_factory=deque)
    downloads: int = 0
    _overall: deque[float] = field(default_factory=deque)
    _groups: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def __post_init__(self) -> None:
        self._http = HttpServer(self._handle)

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """What ``TELEGRAM_BASE_URL`` takes (python-telegram-bot appends the token)."""
        return f"{self._http.url}/bot"

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
        """An httpx transport answering in process (the URL's host is never resolved)."""

        async def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path.startswith("/file/bot"):
                return self._download(request)
            method = request.url.path.rsplit("/", 1)[-1]
            params = parse_params(request.headers.get("content-type", ""), await request.aread())
            if method == "sendMessage" and self.faults and self.faults[0] == "drop":
                self.faults.popleft()
                raise httpx.ConnectError("connection reset by fake server", request=request)
            status, payload = await self.answer(method, params)
            return httpx.Response(status, json=payload, request=request)

        return httpx.MockTransport(answer)

    async def _handle(self, verb: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        method = target.split("?", 1)[0].rsplit("/", 1)[-1]
        params = parse_params(headers.get("content-type", ""), body)
        if method == "sendMessage" and self.faults and self.faults[0] == "drop":
            self.faults.popleft()
            raise ConnectionResetError("dropped by the fake server")  # closes the connection
        status, payload = await self.answer(method, params)
        return status, payload, {}

    # ------------------------------------------------------------------ the Bot API

    async def answer(self, method: str, params: Json) -> tuple[int, Json]:
        self.calls[method] += 1
        if method == "getMe":
            return ok(BOT_USER)
        if method == "getUpdates":
            if not self.updates:
                timeout = float(params.get("timeout") or 0)
                await asyncio.sleep(min(timeout, self.idle_updates))
            allowed = params.get("allowed_updates")
            kinds = json.loads(allowed) if isinstance(allowed, str) else allowed
            handed: list[Json] = []
            while self.updates:
                update = self.updates.popleft()
                kind = next(k for k in update if k != "update_id")
                (handed if not kinds or kind in kinds else self.withheld).append(update)
            return ok(handed)
        if method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self.files:
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
            size = len(self.files[file_id])
            path = f"documents/{file_id}"
            return ok(
                {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_size": size,
                    "file_path": path,
                }
            )
        if method != "sendMessage":
            return ok(True)
        return self._send(params)

    def _send(self, params: Json) -> tuple[int, Json]:
        now = self.clock()
        if now < self.blocked_until:
            self.ignored_retry_after += 1
        if self.faults and self.faults[0] == "429":
            self.faults.popleft()
            self.injected += 1
            self.blocked_until = now + 1
            return flood(1)
        chat = int(params["chat_id"])
        if chat in self.migrated:
            self.refused.append((chat, "migrated"))
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": self.migrated[chat]},
            }
        if chat in self.kicked:
            self.refused.append((chat, "kicked"))
            return 403, {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was kicked from the supergroup chat",
            }
        for window, limit, period in (
            (self._overall, self.per_second, 1.0),
            (self._groups[chat], self.group_max, self.group_period),
        ):
            while window and now - window[0] >= period:
                window.popleft()
            if len(window) >= limit:
                self.provoked += 1
                return flood(1)
        self._overall.append(now)
        self._groups[chat].append(now)
        self.delivered.append(Delivery(chat, str(params["text"]), now))
        return ok(
            {
                "message_id": len(self.delivered),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "group" if chat < 0 else "private", "title": "Nhóm"},
                "from": BOT_USER,
                "text": params["text"],
            }
        )

    def _download(self, request: httpx.Request) -> httpx.Response:
        """``<base_file_url><token>/documents/<file id>``: the bytes, or a dropped connection."""
        if self.file_faults and self.file_faults[0] == "drop":
            self.file_faults.popleft()
            raise httpx.ConnectError("connection reset by fake server", request=request)
        self.downloads += 1
        content = self.files.get(request.url.path.rsplit("/", 1)[-1])
        if content is None:
            return httpx.Response(404, request=request)
        return httpx.Response(200, content=content, request=request)

    # ------------------------------------------------------------------ what arrived

    def texts_to(self, chat_id: int) -> list[str]:
        return [d.text for d in self.delivered if d.chat_id == chat_id]

    def busiest(self, period: float = 1.0) -> int:
        """The most deliveries that arrived within any ``period`` seconds."""
        stamps = [d.at for d in self.delivered]
        most, first = 0, 0
        for last, at in enumerate(stamps):
            while at - stamps[first] >= period:
                first += 1
            most = max(most, last - first + 1)
        return most

    def rate(self) -> float:
        """Deliveries per second from the first arrival to the last."""
        if len(self.delivered) < 2:
            return 0.0
        span = self.delivered[-1].at - self.delivered[0].at
        return (len(self.delivered) - 1) / span if span > 0 else float("inf")


def parse_params(content_type: str, body: bytes) -> Json:
    """python-telegram-bot posts form fields (JSON values as strings); accept JSON too."""
    if not body:
        return {}
    if "json" in content_type:
        data: Any = json.loads(body)
        return dict(data)
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def ok(result: Any) -> tuple[int, Json]:
    return 200, {"ok": True, "result": result}


def flood(seconds: int) -> tuple[int, Json]:
    return 429, {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds},
    }
