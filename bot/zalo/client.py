"""A small async client of the official Zalo Bot API (``bot-api.zaloplatforms.com``).

What real bots observe, and this client is built around:

* every method is ``POST <base>/bot<TOKEN>/<method>`` with a JSON body; an answer is
  ``{"ok": true, "result": …}`` or ``{"ok": false, "error_code", "description"}``,
  sometimes with HTTP 200, so ``ok`` decides, not the status alone;
* ``getUpdates`` takes only ``timeout`` and returns ONE update; an idle poll ends
  with HTTP 408 "Request timeout", which is normal (here: ``None``);
* text is 1–2000 characters; there are no buttons, no edits, no callbacks.

Errors are the channel errors of ``jobs.channels``, as the platform documents its
codes: 429 is "quota exceeded" (the plan's messages for the month are spent) →
``QuotaExceeded`` (a ``RateLimitError``: the caller pauses Zalo, see
``bot.zalo.quota``); 403 and 5xx are server errors, like network trouble and timeouts
→ ``TransientError`` (retried with backoff by the outbox); any other refusal →
``ZaloApiError`` (a ``PermanentError``). The client never retries by itself: a retried send after a
timeout may post twice, so retrying is the outbox's decision.

The token sits in the URL path, and httpx logs request URLs: keeping log records
clean is ``bot.logs.configure_logging``'s job (the runtime tells it every secret at
start). The client installs nothing global; it keeps its own token out of the
texts it makes (exception messages go through ``bot.logs.redact`` with the token)
and ``repr(client)`` hides it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import urlsplit

import httpx

from bot.logs import REDACTED as REDACTED
from bot.logs import redact as redact
from jobs.channels import PermanentError, RateLimitError, TransientError

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://bot-api.zaloplatforms.com"
MAX_TEXT_LENGTH: Final = 2000
DEFAULT_TIMEOUT: Final = 15.0
DEFAULT_POLL_TIMEOUT: Final = 30
DEFAULT_RETRY_AFTER: Final = 5.0  # Zalo does not document how long to wait after a 429


class _Secret:
    """Holds the token so that no repr, vars() dump or debugger view prints it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return REDACTED


class ZaloApiError(PermanentError):
    """Zalo refused the call (bad chat, bot not in the group, text too long, bad token)."""

    def __init__(self, method: str, error_code: int | None, description: str) -> None:
        self.method = method
        self.error_code = error_code
        self.description = redact(description)
        code = f" (error {error_code})" if error_code is not None else ""
        super().__init__(f"Zalo {method} refused: {self.description or 'no description'}{code}")


class QuotaExceeded(RateLimitError):
    """HTTP/error 429: the plan's monthly quota is spent; waiting seconds will not help."""


class FileTooLarge(PermanentError):
    """A photo over the size the office takes: the download stopped, nothing kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(f"file over the limit ({size} bytes read)")


class PrivateAddress(PermanentError):
    """A photo address that points inside the bot's own network (loopback, private,
    link-local, a cloud's metadata address): never fetched, whatever the update says."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(f"photo address {host!r} is not a public one")


class _IdlePoll(TransientError):
    """HTTP/error 408: the long poll ended without an update."""


# ----------------------------------------------------------------------------- data


def _text(value: object) -> str:
    """Ids are strings in Zalo's answers; accept numbers too, never "None"."""
    if value is None or isinstance(value, bool):
        return ""
    return str(value)


def _when(value: object) -> datetime | None:
    """Zalo dates are epoch milliseconds; a value that small must be seconds."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if number >= 1e11:  # 1e11 s is the year 5138; 1e11 ms is 1973
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class ZaloMessage:
    """One incoming message; ``sender_name`` comes from display_name or first_name."""

    message_id: str
    chat_id: str
    chat_type: str  # "PRIVATE" or "GROUP" (upper case), "" when Zalo did not say
    sender_id: str
    sender_name: str
    sender_is_bot: bool
    date: datetime | None
    text: str | None
    # "message.image.received": the photo's address and its caption (the Bot API sends
    # no documents: a PDF, Word or Excel file never reaches a bot)
    photo_url: str | None = None
    caption: str | None = None

    @property
    def is_group(self) -> bool:
        return self.chat_type == "GROUP"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ZaloMessage:
        chat = _mapping(data.get("chat"))
        sender = _mapping(data.get("from"))
        name = next(
            (
                str(sender[key])
                for key in ("display_name", "first_name", "name")
                if isinstance(sender.get(key), str) and sender[key]
            ),
            "",
        )
        text = data.get("text")
        caption = data.get("caption")
        return cls(
            message_id=_text(data.get("message_id")),
            chat_id=_text(chat.get("id")),
            chat_type=_text(chat.get("chat_type")).upper(),
            sender_id=_text(sender.get("id")),
            sender_name=name,
            sender_is_bot=sender.get("is_bot") is True,
            date=_when(data.get("date")),
            text=text if isinstance(text, str) else None,
            photo_url=_photo_url(data),
            caption=caption if isinstance(caption, str) else None,
        )


def _photo_url(data: Mapping[str, Any]) -> str | None:
    """The image's address: ``photo_url`` (the docs' name) or ``photo`` (what clients
    observe), an http(s) URL; anything else is not a photo we can fetch."""
    for key in ("photo_url", "photo", "url"):
        value = data.get(key)
        if isinstance(value, str) and value.startswith(("https://", "http://")):
            return value
    return None


@dataclass(frozen=True)
class ZaloUpdate:
    """One event; ``event_name`` is "" when Zalo left it out (the docs' sample does)."""

    event_name: str
    message: ZaloMessage | None
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def text(self) -> str | None:
        return self.message.text if self.message else None

    @classmethod
    def from_dict(cls, data: object) -> ZaloUpdate:
        """Parse tolerantly; ``ValueError`` only when this is not an update at all."""
        if not isinstance(data, Mapping):
            raise ValueError("an update must be a JSON object")
        message = data.get("message")
        event = data.get("event_name")
        if not isinstance(message, Mapping) and not isinstance(event, str):
            raise ValueError("an update needs a message or an event_name")
        return cls(
            event_name=event if isinstance(event, str) else "",
            message=ZaloMessage.from_dict(message) if isinstance(message, Mapping) else None,
            raw=data,
        )


@dataclass(frozen=True)
class ZaloBotInfo:
    """``getMe`` as documented: no display name (the name members type after "@" is the
    office's setting, ``NHACVIEC_ZALO_BOT_NAME``)."""

    id: str
    account_name: str
    account_type: str
    can_join_groups: bool
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ZaloBotInfo:
        return cls(
            id=_text(data.get("id")),
            account_name=_text(data.get("account_name")),
            account_type=_text(data.get("account_type")),
            can_join_groups=data.get("can_join_groups") is True,
            raw=data,
        )


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    date: datetime | None


@dataclass(frozen=True)
class WebhookInfo:
    url: str  # "" when no webhook is set
    updated_at: datetime | None


# --------------------------------------------------------------------------- client


def _retry_after(response: httpx.Response, data: Mapping[str, Any], default: float) -> float:
    """Seconds to wait: the Retry-After header, then ``parameters.retry_after``."""
    candidates: list[object] = [
        response.headers.get("retry-after"),
        _mapping(data.get("parameters")).get("retry_after"),
        data.get("retry_after"),
    ]
    for value in candidates:
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if seconds >= 0:
            return seconds
    return default


class ZaloClient:
    """The documented Zalo Bot API methods; one instance per bot token.

    ``http`` lets callers share a connection pool; a client passed in is not closed
    by ``aclose``. ``transport`` (e.g. ``httpx.MockTransport``) is for the client's
    own pool: tests answer in process, without a socket. Not both.
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        default_retry_after: float = DEFAULT_RETRY_AFTER,
    ) -> None:
        if not token or any(ch.isspace() or ch == "/" for ch in token):
            raise ValueError("a Zalo bot token is non-empty, without spaces or '/'")
        if http is not None and transport is not None:
            raise ValueError("pass an httpx client or a transport, not both")
        self._token = _Secret(token)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.default_retry_after = default_retry_after
        self._owns_http = http is None
        self._http = (
            http if http is not None else httpx.AsyncClient(timeout=timeout, transport=transport)
        )

    def __repr__(self) -> str:
        return f"ZaloClient(base_url={self.base_url!r}, token={REDACTED!r})"

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def call(
        self,
        method: str,
        payload: Mapping[str, Any] | None = None,
        *,
        timeout: httpx.Timeout | float | None = None,
    ) -> Any:
        """POST one method and return its ``result``, or raise a channel error."""
        url = f"{self.base_url}/bot{self._token.reveal()}/{method}"
        try:
            response = await self._http.post(
                url, json=dict(payload or {}), timeout=timeout or self.timeout
            )
        except httpx.TimeoutException as exc:
            raise TransientError(f"Zalo {method}: timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            # from None: the httpx exception carries the request, whose URL has the token
            detail = self._redact(str(exc)) or type(exc).__name__
            raise TransientError(f"Zalo {method}: network error: {detail}") from None
        return self._result(method, response)

    def _result(self, method: str, response: httpx.Response) -> Any:
        status = response.status_code
        try:
            body: object = response.json()
        except ValueError:
            body = None
        data = _mapping(body)
        ok = data.get("ok")
        if status < 400 and (ok is True or (ok is None and "result" in data)):
            return data.get("result")
        code = data.get("error_code")
        error_code = code if isinstance(code, int) and not isinstance(code, bool) else None
        description = self._redact(str(data.get("description") or response.reason_phrase or ""))
        if status == 429 or error_code == 429:
            wait = _retry_after(response, data, self.default_retry_after)
            raise QuotaExceeded(wait, f"Zalo {method}: quota exceeded")
        if status == 408 or error_code == 408:
            raise _IdlePoll(f"Zalo {method}: request timeout")
        code = error_code or status
        if status >= 500 or code >= 500 or code == 403:  # 403 is a server error in the docs
            raise TransientError(f"Zalo {method}: server error {code}: {description}")
        if not data and status < 400:
            raise TransientError(f"Zalo {method}: unreadable answer (HTTP {status})")
        raise ZaloApiError(method, error_code or (status if status >= 400 else None), description)

    def _redact(self, text: str) -> str:
        """``text`` without this client's token (nor any secret ``bot.logs`` knows)."""
        return redact(text, [self._token.reveal()])

    # --------------------------------------------------------------- the methods

    async def get_me(self) -> ZaloBotInfo:
        return ZaloBotInfo.from_dict(_mapping(await self.call("getMe")))

    async def get_updates(self, timeout: int = DEFAULT_POLL_TIMEOUT) -> ZaloUpdate | None:
        """One long poll: the next update, or None when the poll ended idle (408).

        The read timeout exceeds the poll's so Zalo, not httpx, ends an idle poll.
        """
        limits = httpx.Timeout(self.timeout, read=timeout + self.timeout)
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=limits)
        except _IdlePoll:
            return None
        if isinstance(result, list):  # undocumented, but never drop what came
            if len(result) > 1:
                log.warning("Zalo getUpdates returned %d updates; only one is read", len(result))
            result = result[0] if result else None
        if not result:
            return None
        try:
            return ZaloUpdate.from_dict(result)
        except ValueError as exc:
            keys = sorted(result) if isinstance(result, Mapping) else type(result).__name__
            log.warning("Zalo getUpdates: ignoring an unreadable update (%s): %s", keys, exc)
            return None

    async def set_webhook(self, url: str, secret_token: str) -> WebhookInfo:
        """Zalo then POSTs updates to ``url`` with header X-Bot-Api-Secret-Token."""
        if not 8 <= len(secret_token) <= 256:
            raise ValueError("the webhook secret must be 8 to 256 characters")
        result = await self.call("setWebhook", {"url": url, "secret_token": secret_token})
        return self._webhook_info(result)

    async def get_webhook_info(self) -> WebhookInfo:
        return self._webhook_info(await self.call("getWebhookInfo"))

    async def delete_webhook(self) -> WebhookInfo:
        """Needed before polling: getUpdates does not work while a webhook is set."""
        return self._webhook_info(await self.call("deleteWebhook"))

    async def send_message(self, chat_id: str, text: str) -> SentMessage:
        """Refuses a text Zalo would refuse (1–2000 characters) without spending a call."""
        if not 1 <= len(text) <= MAX_TEXT_LENGTH:
            raise ZaloApiError(
                "sendMessage", None, f"text must be 1-{MAX_TEXT_LENGTH} characters, not {len(text)}"
            )
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return self._sent(result)

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> SentMessage:
        payload = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return self._sent(await self.call("sendPhoto", payload))

    async def send_sticker(self, chat_id: str, sticker: str) -> SentMessage:
        return self._sent(await self.call("sendSticker", {"chat_id": chat_id, "sticker": sticker}))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def download(self, url: str, *, max_bytes: int) -> bytes:
        """The bytes at ``url`` (a photo a member sent), through this client's pool; stops
        reading past ``max_bytes`` (``FileTooLarge``). Network trouble and 5xx are
        ``TransientError`` (the caller retries), a 4xx a ``ZaloApiError``."""
        if not url.startswith(("https://", "http://")):
            raise ZaloApiError("download", None, "not an http(s) address")
        await self._refuse_private(url)
        try:
            async with self._http.stream("GET", url, timeout=self.timeout) as response:
                if response.status_code >= 500:
                    raise TransientError(f"Zalo download: server error {response.status_code}")
                if response.status_code >= 400:
                    raise ZaloApiError("download", response.status_code, response.reason_phrase)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FileTooLarge(int(declared))
                chunks: list[bytes] = []
                read = 0
                async for chunk in response.aiter_bytes():
                    read += len(chunk)
                    if read > max_bytes:
                        raise FileTooLarge(read)
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException:
            raise TransientError("Zalo download: timed out") from None
        except httpx.HTTPError as exc:
            detail = self._redact(str(exc)) or type(exc).__name__
            raise TransientError(f"Zalo download: network error: {detail}") from None

    async def _refuse_private(self, url: str) -> None:
        """An update is trusted (token or webhook secret), but the address inside it is
        data: the bot only reaches the API's own host or hosts whose every address is
        public, so a forged or mistaken ``photo_url`` cannot read the bot's own network."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host and host == urlsplit(self.base_url).hostname:
            return
        try:
            found = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, parts.port or (443 if parts.scheme == "https" else 80)
                )
            except OSError:
                raise TransientError("Zalo download: the photo's host did not resolve") from None
            found = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not found or not all(address.is_global for address in found):
            raise PrivateAddress(host)

    @staticmethod
    def _sent(result: object) -> SentMessage:
        data = _mapping(result)
        return SentMessage(message_id=_text(data.get("message_id")), date=_when(data.get("date")))

    @staticmethod
    def _webhook_info(result: object) -> WebhookInfo:
        data = _mapping(result)
        return WebhookInfo(url=_text(data.get("url")), updated_at=_when(data.get("updated_at")))
