"""End-to-end harness: python-telegram-bot against the `telegram-test-api` emulator.

Three layers, each usable on its own:

* :func:`ensure_installed` installs the pinned emulator with npm into
  ``.cache/telegram-test-api/`` (once; a file lock keeps parallel test processes from
  installing twice).
* :class:`EmulatorServer` runs the emulator's ``TelegramServer`` in a node child process
  on a free loopback port and stops it with its whole process group.
* :class:`TelegramEmulator` is one bot's view of that server (every test gets a fresh
  token, so tests never see each other's messages): a human user's client
  (:meth:`~TelegramEmulator.send_message`, :meth:`~TelegramEmulator.press_button`,
  :meth:`~TelegramEmulator.bot_messages`, ...) and the shared :class:`BridgeState`.
  :class:`EmulatorBridgeRequest` is the python-telegram-bot request class that papers
  over the emulator's gaps; :func:`make_application_builder` wires it in and
  :func:`running_application` runs an Application with long polling inside a test.

See README.md beside this file for the gaps and what the emulator cannot do.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Self

import httpx
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, ContextTypes
from telegram.request import HTTPXRequest, RequestData

EMULATOR_PACKAGE = "telegram-test-api"
EMULATOR_VERSION = "4.2.1"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = PROJECT_ROOT / ".cache" / EMULATOR_PACKAGE
SERVER_SCRIPT_NAME = "run-server.js"

INSTALL_TIMEOUT = 300.0  # seconds for `npm install` (and for waiting on another installer)
START_TIMEOUT = 15.0  # seconds until the node process answers
STOP_TIMEOUT = 5.0  # seconds to wait after SIGTERM before SIGKILL
STORE_TIMEOUT = 3600  # seconds the emulator keeps messages (its cleanup drops older ones)

#: The name and username the emulator's getMe always reports.
BOT_USERNAME = "TestNameBot"
BOT_FIRST_NAME = "Test First name"

#: Methods the emulator answers itself (everything else is HTTP 500 "not supported").
EMULATOR_METHODS = frozenset(
    {
        "getMe",
        "getUpdates",
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "deleteMessage",
        "setWebhook",
        "deleteWebhook",
    }
)

#: Unsupported methods answered ``{"ok": true, "result": true}`` by the bridge by default:
#: fire-and-forget calls a bot makes at start-up or while working, whose result it ignores.
#: Tests add more (with any result) through :meth:`BridgeState.fake_method`.
DEFAULT_FAKED_METHODS: dict[str, Any] = {
    "setMyCommands": True,
    "deleteMyCommands": True,
    "setChatMenuButton": True,
    "setMyDescription": True,
    "setMyShortDescription": True,
    "setMyName": True,
    "sendChatAction": True,
}

# Dates above this are milliseconds (10**11 s is the year 5138).
_MS_THRESHOLD = 10**11
_DATE_KEYS = frozenset({"date", "edit_date", "forward_date"})
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")

_SERVER_JS = r"""'use strict';
// Written by tests/e2e/emulator.py: runs telegram-test-api's TelegramServer.
// argv: port storeTimeoutSeconds. Prints "READY <port>" once listening, exits when
// stdin closes (the test process died), on SIGTERM/SIGINT, or if start fails.
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
const storeTimeout = Number(process.argv[3] || 3600);
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout });
let stopping = false;

function shutdown(code) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 1000).unref();
  server.stop().then(() => process.exit(code), () => process.exit(code));
}

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();

server.start().then(
  () => process.stdout.write(`READY ${port}\n`),
  (err) => {
    process.stderr.write(`START FAILED ${err && err.code} ${err}\n`);
    process.exit(3);
  },
);
"""


class EmulatorUnavailable(RuntimeError):
    """node/npm is missing, the install failed, or the emulator would not start."""


# --------------------------------------------------------------------------- install


def _marker(cache_dir: Path, version: str) -> Path:
    return cache_dir / f".installed-{version}"


def _write_if_changed(path: Path, content: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(content)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _lock(fh: IO[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise EmulatorUnavailable(
                    f"waited {timeout:.0f} s for another process installing the emulator "
                    f"(lock {fh.name})"
                ) from None
            time.sleep(0.1)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EmulatorUnavailable(
            f"`{name}` is not on PATH: the end-to-end tests need Node.js (>= 12) and npm to run "
            f"the {EMULATOR_PACKAGE} emulator"
        )
    return path


def ensure_installed(
    cache_dir: Path = CACHE_DIR, version: str = EMULATOR_VERSION, timeout: float = INSTALL_TIMEOUT
) -> Path:
    """Install ``telegram-test-api@version`` into ``cache_dir`` unless it is already there.

    Returns the path of the node script that runs the server. Raises
    :class:`EmulatorUnavailable` with the reason when node/npm is missing or npm fails.
    """
    node = _tool("node")
    npm = _tool("npm")
    cache_dir.mkdir(parents=True, exist_ok=True)
    script = cache_dir / SERVER_SCRIPT_NAME
    if (
        _marker(cache_dir, version).exists()
        and script.exists()
        and script.read_text(encoding="utf-8") == _SERVER_JS
    ):
        return script
    with open(cache_dir / ".install.lock", "a+", encoding="utf-8") as lock_fh:
        _lock(lock_fh, timeout)
        try:
            if not _marker(cache_dir, version).exists():
                _npm_install(npm, node, cache_dir, version, timeout)
            _write_if_changed(script, _SERVER_JS)
        finally:
            fcntl.flock(lock_fh.fileno(), fcntl.LOCK_UN)
    return script


def _npm_install(npm: str, node: str, cache_dir: Path, version: str, timeout: float) -> None:
    for old in cache_dir.glob(".installed-*"):
        old.unlink()
    spec = f"{EMULATOR_PACKAGE}@{version}"
    cmd = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache_dir), spec]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise EmulatorUnavailable(f"`{' '.join(cmd)}` took longer than {timeout:.0f} s") from exc
    if proc.returncode != 0:
        raise EmulatorUnavailable(
            f"`{' '.join(cmd)}` failed with exit code {proc.returncode}:\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    check = subprocess.run(
        [node, "-e", f"process.stdout.write(require('{EMULATOR_PACKAGE}/package.json').version)"],
        cwd=cache_dir,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    check_main = subprocess.run(
        [node, "-e", f"require('{EMULATOR_PACKAGE}')"],
        cwd=cache_dir,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if check.returncode or check_main.returncode or check.stdout.strip() != version:
        raise EmulatorUnavailable(
            f"{spec} was installed into {cache_dir} but node cannot load it: "
            f"{check.stdout!r} {check.stderr[-2000:]} {check_main.stderr[-2000:]}"
        )
    _marker(cache_dir, version).write_text(f"{spec}\n", encoding="utf-8")


# --------------------------------------------------------------------------- server


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmulatorServer:
    """The emulator in a node child process (its own process group) on 127.0.0.1."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
        self.proc = proc
        self.port = port
        self._log = log
        self.api_url = f"http://127.0.0.1:{port}"

    @classmethod
    def start(
        cls,
        cache_dir: Path = CACHE_DIR,
        *,
        timeout: float = START_TIMEOUT,
        store_timeout: int = STORE_TIMEOUT,
        attempts: int = 3,
    ) -> EmulatorServer:
        script = ensure_installed(cache_dir)
        node = _tool("node")
        errors: list[str] = []
        for _ in range(attempts):  # another process may grab the free port before node binds
            port = free_port()
            log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
            env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "NODE_OPTIONS"}}
            proc = subprocess.Popen(
                [node, str(script), str(port), str(store_timeout)],
                cwd=cache_dir,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                start_new_session=True,
            )
            server = cls(proc, port, log)
            try:
                server._wait_ready(timeout)
            except EmulatorUnavailable as exc:
                server.stop()
                errors.append(str(exc))
                if "EADDRINUSE" not in str(exc):
                    break
                continue
            return server
        raise EmulatorUnavailable("the emulator did not start:\n" + "\n".join(errors))

    def _stderr(self) -> str:
        with contextlib.suppress(ValueError, OSError):
            self._log.seek(0)
            return self._log.read()[-4000:].decode("utf-8", "replace")
        return ""

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        line = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while not line.endswith(b"\n"):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise EmulatorUnavailable(
                        f"no READY from the emulator within {timeout:.0f} s: {self._stderr()}"
                    )
                chunk = os.read(self.proc.stdout.fileno(), 256)
                if not chunk:
                    code = self.proc.wait(timeout=STOP_TIMEOUT)
                    raise EmulatorUnavailable(
                        f"the emulator exited with code {code}: {self._stderr()}"
                    )
                line += chunk
        if line.strip() != f"READY {self.port}".encode():
            raise EmulatorUnavailable(f"unexpected emulator output {line!r}: {self._stderr()}")
        # The server is listening; make sure it answers HTTP too.
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while True:
                try:
                    res = client.post(f"{self.api_url}/bot0:probe/getMe")
                    if res.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() >= deadline:
                    raise EmulatorUnavailable(f"the emulator does not answer on {self.api_url}")
                time.sleep(0.02)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it if it lingers; always bounded."""
        proc = self.proc
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=STOP_TIMEOUT)
        # Anything else left in the group (there should be nothing): kill it.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout is not None:
            proc.stdout.close()
        self._log.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- bridge


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call the bot made, as the bridge saw it."""

    method: str
    params: dict[str, Any]
    faked: bool = False  # answered by the bridge because the emulator does not know it
    supported: bool = True  # False: the emulator does not know it and it was not faked


def make_token(bot_id: int | None = None) -> str:
    """A token of the real shape: ``<bot id>:<35 characters>``."""
    bot_id = bot_id if bot_id is not None else 6_000_000_000 + secrets.randbelow(10**9)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return f"{bot_id}:AA" + "".join(secrets.choice(alphabet) for _ in range(33))


def chat_instance(chat_id: int) -> str:
    """A stable stand-in for Telegram's opaque ``chat_instance`` of a chat."""
    return str(int(hashlib.sha256(str(chat_id).encode()).hexdigest()[:15], 16))


def _default_chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}


def _fix_dates(obj: Any) -> Any:
    """Milliseconds to seconds in every ``date``-like field, recursively, in place."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in _DATE_KEYS and isinstance(value, int | float) and value > _MS_THRESHOLD:
                obj[key] = int(value // 1000)
            else:
                _fix_dates(value)
    elif isinstance(obj, list):
        for item in obj:
            _fix_dates(item)
    return obj


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _as_json(value: Any) -> Any:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


@dataclass
class BridgeState:
    """What the bridge knows and records; shared by the request objects and the client."""

    bot_id: int
    bot_username: str = BOT_USERNAME
    bot_first_name: str = BOT_FIRST_NAME
    faked_methods: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_FAKED_METHODS))
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[ApiCall] = field(default_factory=list)
    #: getUpdates requests PTB made / requests the bridge sent to the emulator for them.
    get_updates_calls: int = 0
    emulator_polls: int = 0

    def fake_method(self, method: str, result: Any = True) -> None:
        """Answer the unsupported ``method`` with ``{"ok": true, "result": result}``."""
        if method in EMULATOR_METHODS:
            raise ValueError(f"{method} is implemented by the emulator; nothing to fake")
        self.faked_methods[method] = result

    @property
    def faked_calls(self) -> list[ApiCall]:
        return [c for c in self.calls if c.faked]

    @property
    def unsupported_calls(self) -> list[ApiCall]:
        return [c for c in self.calls if not c.supported]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def chat(self, chat_id: int) -> dict[str, Any]:
        return dict(self.chats.get(chat_id) or _default_chat(chat_id))


class EmulatorBridgeRequest(HTTPXRequest):
    """HTTPXRequest that makes telegram-test-api's answers look like the real Bot API.

    * getMe: adds ``is_bot`` (and the other flags a bot user has); its id is the token's.
    * Message results (sendMessage, edits): rebuilt as a proper Message: dates in seconds,
      the chat's real type and title instead of ``{"type": "private", "first_name": "Bot"}``,
      a ``from`` for the bot, none of the request's echoed (JSON-string) parameters.
    * Edits answer ``null``: becomes the edited Message (or ``True`` for inline messages).
      answerCallbackQuery / deleteMessage / setWebhook answer ``null``: becomes ``True``.
    * getUpdates: dates to seconds, ``chat_instance`` added to callback queries, the
      emulator's ``botToken`` bookkeeping field removed. The emulator ignores ``timeout``
      (it answers at once), so the bridge long-polls for it: re-asks every
      ``poll_interval`` seconds until updates arrive or ``timeout`` has passed.
    * HTTP 500 "not supported": for methods in ``state.faked_methods`` the configured
      result; otherwise a clear error (PTB raises NetworkError). Every call is recorded in
      ``state.calls``.
    """

    def __init__(self, state: BridgeState, *, poll_interval: float = 0.05, **kwargs: Any) -> None:
        kwargs.setdefault("httpx_kwargs", {"trust_env": False})  # loopback: never a proxy
        super().__init__(**kwargs)
        self.state = state
        self.poll_interval = poll_interval

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}

        async def ask() -> tuple[int, bytes]:
            return await super(EmulatorBridgeRequest, self).do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )  # fmt: skip

        if api_method == "getUpdates":
            code, payload = await self._long_poll(ask, params)
        else:
            code, payload = await ask()
        return self._bridge(api_method, params, code, payload)

    async def _long_poll(self, ask: Callable[[], Any], params: dict[str, Any]) -> tuple[int, bytes]:
        self.state.get_updates_calls += 1
        wait = float(params.get("timeout") or 0)
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            self.state.emulator_polls += 1
            code, payload = await ask()
            if code != 200 or json.loads(payload).get("result"):
                return code, payload
            if asyncio.get_running_loop().time() + self.poll_interval > deadline:
                return code, payload
            await asyncio.sleep(self.poll_interval)

    def _bridge(
        self, api_method: str, params: dict[str, Any], code: int, payload: bytes
    ) -> tuple[int, bytes]:
        state = self.state
        if code == 500 and b"is not supported" in payload:
            if api_method in state.faked_methods:
                state.calls.append(ApiCall(api_method, params, faked=True))
                result = state.faked_methods[api_method]
                return 200, json.dumps({"ok": True, "result": result}).encode()
            state.calls.append(ApiCall(api_method, params, supported=False))
            description = (
                f"{EMULATOR_PACKAGE} {EMULATOR_VERSION} does not implement {api_method} and the "
                "e2e bridge does not fake it (BridgeState.fake_method); test this offline"
            )
            body = {"ok": False, "error_code": 500, "description": description}
            return 500, json.dumps(body).encode()
        state.calls.append(ApiCall(api_method, params))
        if code != 200:
            # The emulator says what went wrong in "message"; PTB reads "description".
            with contextlib.suppress(ValueError):
                body = json.loads(payload)
                if isinstance(body, dict) and "message" in body and "description" not in body:
                    body = {"ok": False, "error_code": code, "description": body["message"]}
                    return code, json.dumps(body).encode()
            return code, payload
        data = json.loads(payload)
        result = data.get("result")
        if api_method == "getMe" and isinstance(result, dict):
            state.bot_username = result.get("username", state.bot_username)
            state.bot_first_name = result.get("first_name", state.bot_first_name)
            result = {
                **result,
                **state.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        elif api_method == "getUpdates" and isinstance(result, list):
            result = [self._fix_update(u) for u in result]
        elif api_method == "sendMessage" and isinstance(result, dict):
            result = self._message(result, params)
        elif api_method in {"editMessageText", "editMessageReplyMarkup"} and result is None:
            result = True if params.get("inline_message_id") else self._edited(params)
        elif api_method in {"answerCallbackQuery", "deleteMessage", "setWebhook"}:
            result = True if result is None else result
        data["result"] = _fix_dates(result)
        return code, json.dumps(data).encode()

    def _message(self, sent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _as_int(params.get("chat_id"))
        message: dict[str, Any] = {
            "message_id": int(sent["message_id"]),
            "from": self.state.bot_user,
            "chat": self.state.chat(chat_id) if chat_id is not None else sent.get("chat"),
            "date": sent.get("date") or int(time.time()),
            "text": sent.get("text", params.get("text")),
        }
        entities = _as_json(sent.get("entities"))
        if isinstance(entities, list):
            message["entities"] = entities
        if isinstance(sent.get("reply_markup"), dict):
            message["reply_markup"] = sent["reply_markup"]
        if (thread := _as_int(params.get("message_thread_id"))) is not None:
            message["message_thread_id"] = thread
        return message

    def _edited(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _as_int(params.get("chat_id"))
        now = int(time.time())
        message: dict[str, Any] = {
            "message_id": _as_int(params.get("message_id")),
            "from": self.state.bot_user,
            "chat": self.state.chat(chat_id if chat_id is not None else 0),
            "date": now,
            "edit_date": now,
        }
        if "text" in params:
            message["text"] = params["text"]
        if isinstance(markup := _as_json(params.get("reply_markup")), dict):
            message["reply_markup"] = markup
        return message

    def _fix_update(self, update: dict[str, Any]) -> dict[str, Any]:
        for key in ("message", "edited_message", "channel_post"):
            if isinstance(update.get(key), dict):
                update[key].pop("botToken", None)
        query = update.get("callback_query")
        if isinstance(query, dict):
            query.pop("botToken", None)
            message = query.get("message")
            chat_id = message.get("chat", {}).get("id") if isinstance(message, dict) else None
            if isinstance(message, dict):
                message.pop("botToken", None)
            query.setdefault("chat_instance", chat_instance(chat_id if chat_id is not None else 0))
        return update


def bridge_requests(
    state: BridgeState, **kwargs: Any
) -> tuple[EmulatorBridgeRequest, EmulatorBridgeRequest]:
    """Two bridging request objects (PTB wants separate ones for calls and getUpdates)."""
    return EmulatorBridgeRequest(state, **kwargs), EmulatorBridgeRequest(state, **kwargs)


def make_application_builder(
    emulator: TelegramEmulator, *, rate_limiter: BaseRateLimiter[Any] | None = None
) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """An ApplicationBuilder talking to ``emulator`` through the bridge.

    Token, base URL and both request objects are set; add handlers, persistence, etc.
    as usual. No rate limiter unless one is passed.
    """
    request, updates_request = bridge_requests(emulator.state)
    builder = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .request(request)
        .get_updates_request(updates_request)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    return builder


class HandlerErrors(AssertionError):
    """Handlers or polling raised while the application ran under the harness."""


@contextlib.asynccontextmanager
async def running_application(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    poll_timeout: float = 10.0,
    raise_handler_errors: bool = True,
    step_timeout: float = 10.0,
) -> AsyncIterator[list[BaseException]]:
    """Initialize, start and long-poll ``app``; stop and shut it down on exit.

    Yields the list of errors raised in handlers or while polling; unless
    ``raise_handler_errors`` is False, they fail the test at exit. Start-up and shutdown
    are each bounded by ``step_timeout`` seconds.
    """
    errors: list[BaseException] = []

    async def record(_update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            errors.append(context.error)

    def polling_error(exc: TelegramError) -> None:
        errors.append(exc)

    app.add_error_handler(record)
    assert app.updater is not None, "build the application with an Updater"
    async with asyncio.timeout(step_timeout):
        await app.initialize()
        await app.start()
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=dt.timedelta(seconds=poll_timeout),
            error_callback=polling_error,
            allowed_updates=Update.ALL_TYPES,
        )
    try:
        yield errors
    finally:
        async with asyncio.timeout(step_timeout):
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        app.remove_error_handler(record)
    if errors and raise_handler_errors:
        raise HandlerErrors(f"{len(errors)} error(s) while the bot ran: {errors!r}") from errors[0]


# --------------------------------------------------------------------------- client


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as the emulator stores it now (edits applied)."""

    message_id: int
    chat_id: int
    text: str | None
    reply_markup: dict[str, Any] | None
    date: int  # seconds
    raw: dict[str, Any]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row, flattened."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]


@dataclass(frozen=True)
class UserMessage:
    """A message the human user sent through the emulator."""

    message_id: int
    chat_id: int
    text: str
    raw: dict[str, Any]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities as Telegram marks them (offsets in UTF-16 code units)."""
    return [
        {
            "type": "bot_command",
            "offset": _utf16_len(text[: m.start()]),
            "length": _utf16_len(m.group()),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


DEFAULT_USER_ID = 1001


class TelegramEmulator:
    """One bot on the emulator, and a human user's client for it.

    ``base_url`` and ``token`` are what python-telegram-bot needs; ``state`` is what the
    bridge records (calls, faked calls) and knows (chats the user wrote in).
    """

    def __init__(self, api_url: str, token: str | None = None, *, timeout: float = 5.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token or make_token()
        self.base_url = f"{self.api_url}/bot"
        self.base_file_url = f"{self.api_url}/file/bot"
        self.state = BridgeState(bot_id=int(self.token.split(":", 1)[0]))
        self._http = httpx.AsyncClient(base_url=self.api_url, timeout=timeout, trust_env=False)

    @property
    def bot_username(self) -> str:
        return self.state.bot_username

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _post(self, route: str, body: dict[str, Any]) -> Any:
        res = await self._http.post(route, json=body)
        if res.status_code != 200:
            raise AssertionError(f"emulator {route} answered {res.status_code}: {res.text}")
        data = res.json()
        if not data.get("ok"):
            raise AssertionError(f"emulator {route} answered {data}")
        return data.get("result")

    def _user(self, user_id: int, first_name: str | None, username: str | None) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"Người dùng {user_id}",
            "username": username or f"user{user_id}",
            "language_code": "vi",
        }

    def _remember_chat(
        self, chat_id: int, chat_type: str, title: str | None, user: dict[str, Any]
    ) -> dict[str, Any]:
        if chat_type == "private":
            chat = {
                "id": chat_id,
                "type": "private",
                "first_name": user["first_name"],
                "username": user["username"],
            }
        else:
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Chi bộ {-chat_id}"}
            if chat_id in self.state.chats and title is None:
                chat["title"] = self.state.chats[chat_id].get("title", chat["title"])
        self.state.chats[chat_id] = chat
        return chat

    async def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        chat_title: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        reply_to: BotMessage | None = None,
        entities: Sequence[dict[str, Any]] | None = None,
    ) -> UserMessage:
        """A human user writes ``text`` in a chat (commands get their entities).

        ``chat_type`` defaults to "private" for a positive ``chat_id`` (whose user is then
        the chat's id, as in Telegram) and "group" for a negative one.
        """
        chat_type = chat_type or ("private" if chat_id > 0 else "group")
        if chat_type not in {"private", "group", "supergroup"}:
            raise ValueError(f"unsupported chat type {chat_type!r}")
        if chat_type == "private":
            if user_id is not None and user_id != chat_id:
                raise ValueError("in a private chat the chat id is the user's id")
            user_id = chat_id
        user = self._user(user_id or DEFAULT_USER_ID, first_name, username)
        chat = self._remember_chat(chat_id, chat_type, chat_title, user)
        message: dict[str, Any] = {
            "botToken": self.token,
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        found = list(entities) if entities is not None else command_entities(text)
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = self._bot_message_json(reply_to)
        is_command = any(e.get("type") == "bot_command" for e in found)
        await self._post("/sendCommand" if is_command else "/sendMessage", message)
        # The emulator numbers the message but does not say so: read it back.
        for entry in reversed(await self.history()):
            sent = entry.get("message")
            if (
                isinstance(sent, dict)
                and "chat" in sent
                and sent["chat"].get("id") == chat_id
                and sent.get("text") == text
            ):
                return UserMessage(int(entry["messageId"]), chat_id, text, sent)
        raise AssertionError(f"the emulator did not store {text!r}")

    def _bot_message_json(self, message: BotMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.state.bot_user,
            "chat": self.state.chat(message.chat_id),
            "date": message.date,
        }
        if message.text is not None:
            data["text"] = message.text
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    async def press_button(
        self,
        message: BotMessage,
        callback_data: str | None = None,
        *,
        text: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str | None = None,
        username: str | None = None,
    ) -> None:
        """A human user taps an inline button (chosen by its data or its label).

        Only a button the message really has can be pressed.
        """
        if (callback_data is None) == (text is None):
            raise ValueError("give exactly one of callback_data and text")
        for button in message.buttons:
            if (callback_data is not None and button.get("callback_data") == callback_data) or (
                text is not None and button.get("text") == text
            ):
                break
        else:
            raise AssertionError(f"message {message.message_id} has no such button: {message}")
        if "callback_data" not in button:
            raise AssertionError(f"button {button} is not a callback button")
        chat = self.state.chat(message.chat_id)
        if chat["type"] == "private":
            user_id = message.chat_id
        query = {
            "botToken": self.token,
            "date": int(time.time()),
            "from": self._user(user_id, first_name, username),
            "message": self._bot_message_json(message),
            "data": button["callback_data"],
        }
        await self._post("/sendCallback", query)

    async def history(self) -> list[dict[str, Any]]:
        """The emulator's raw record of this bot's messages, both ways, oldest first."""
        result = await self._post("/getUpdatesHistory", {"token": self.token})
        return list(result or [])

    async def bot_messages(self, chat_id: int) -> list[BotMessage]:
        """What the bot has sent to ``chat_id`` so far (and not deleted), oldest first."""
        messages = []
        for entry in await self.history():
            sent = entry.get("message")
            if not isinstance(sent, dict) or "chat_id" not in sent:
                continue  # a user's message or callback
            if _as_int(sent["chat_id"]) != chat_id:
                continue
            markup = _as_json(sent.get("reply_markup"))
            messages.append(
                BotMessage(
                    message_id=int(entry["messageId"]),
                    chat_id=chat_id,
                    text=sent.get("text"),
                    reply_markup=markup if isinstance(markup, dict) else None,
                    date=int(entry["time"]) // 1000,
                    raw=sent,
                )
            )
        return sorted(messages, key=lambda m: m.message_id)

    async def wait_until(
        self,
        chat_id: int,
        predicate: Callable[[list[BotMessage]], bool],
        timeout: float = 5.0,
        *,
        what: str = "the expected bot messages",
    ) -> list[BotMessage]:
        """Poll the bot's messages in ``chat_id`` until ``predicate`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.bot_messages(chat_id)
            if predicate(messages):
                return messages
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {what} in chat {chat_id}; "
                    f"the bot sent: {[(m.message_id, m.text) for m in messages]}; "
                    f"unsupported calls: {self.state.unsupported_calls}"
                )
            await asyncio.sleep(0.02)

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,
    ) -> list[BotMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``; all of them."""
        return await self.wait_until(
            chat_id, lambda ms: len(ms) >= count, timeout, what=f"{count} bot message(s)"
        )

    def fake_method(self, method: str, result: Any = True) -> None:
        """See :meth:`BridgeState.fake_method`."""
        self.state.fake_method(method, result)


def texts(messages: Iterable[BotMessage]) -> list[str | None]:
    return [m.text for m in messages]
