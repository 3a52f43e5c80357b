"""No secret reaches stderr: log records, uncaught exceptions, threads, asyncio, at start.

The processes that matter (the bot dying on a revoked token, an exception nobody
caught) are real child processes: what they print on stderr is what an operator's
terminal or ``docker logs`` would show.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from telegram.error import InvalidToken, NetworkError

from bot.logs import REDACTED, configure_logging, explain_fatal, redact
from bot.zalo.client import ZaloApiError

pytest_plugins = ["tests.zalo_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
TG_TOKEN = "7004215893:AAHq3vXcE9LmPz0bK2sYtR8uWn4oJdFgQ1a"
ZALO_TOKEN = "2468013579246801357:ZaloSecretAbcDefGhiJklMnoPqrStu987"
WEBHOOK_SECRET = "bi-mat-webhook-ngau-nhien-42"
SECRETS = (TG_TOKEN, ZALO_TOKEN, WEBHOOK_SECRET)
# what must not appear even in part: each whole secret and each token's private half
FORBIDDEN = (*SECRETS, TG_TOKEN.split(":", 1)[1], ZALO_TOKEN.split(":", 1)[1])


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c code args…`` from the project root, as the bot would be started."""
    env = {k: v for k, v in os.environ.items() if k != "PTB_TIMEDELTA"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def assert_no_secret(text: str) -> None:
    for secret in FORBIDDEN:
        assert secret not in text, text


# ------------------------------------------------------------ child processes


class _RevokedTokenApi(BaseHTTPRequestHandler):
    """Answers every Bot API call the way Telegram answers a revoked token."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def revoked_token_api() -> Iterator[str]:
    """A Bot API base URL (``…/bot``) on 127.0.0.1 that rejects every token."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RevokedTokenApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_revoked_telegram_token_at_start_is_one_vietnamese_line(revoked_token_api: str) -> None:
    """python-telegram-bot's InvalidToken names the token; the operator sees one line."""
    result = run_python(
        """
        import sys
        from telegram.ext import ApplicationBuilder
        from bot.logs import configure_logging

        token, base_url, zalo, secret = sys.argv[1:]
        configure_logging("INFO", [token, zalo, secret, None])
        app = ApplicationBuilder().token(token).base_url(base_url).build()
        app.run_polling()
        """,
        TG_TOKEN,
        revoked_token_api,
        ZALO_TOKEN,
        WEBHOOK_SECRET,
    )
    assert result.returncode != 0
    assert_no_secret(result.stderr)
    assert_no_secret(result.stdout)
    lines = result.stderr.strip().splitlines()
    assert lines, "the failure must be reported"
    assert lines[-1].startswith("Token Telegram không hợp lệ hoặc đã bị thu hồi"), result.stderr
    assert "Traceback" not in result.stderr


RAISE_IN = {
    "main": "raise RuntimeError(text)",
    "thread": """
        import threading
        def work():
            raise RuntimeError(text)
        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        """,
    "asyncio": """
        import asyncio, gc
        async def boom():
            raise RuntimeError(text)
        async def main():
            task = asyncio.get_running_loop().create_task(boom())
            await asyncio.sleep(0.01)
            del task  # never awaited: asyncio reports it through its exception handler
            gc.collect()
        asyncio.run(main())
        """,
    "unraisable": """
        import gc
        class Leaky:
            def __del__(self):
                raise RuntimeError(text)
        Leaky()
        gc.collect()
        """,
    "log": """
        import logging
        try:
            raise RuntimeError(text)
        except RuntimeError:
            logging.getLogger("nhacviec.test").exception("failed with %s", text)
        """,
    "chained": """
        try:
            raise ValueError(text)
        except ValueError as exc:
            raise RuntimeError("while handling " + text) from exc
        """,
}


@pytest.mark.parametrize("where", list(RAISE_IN))
def test_an_exception_naming_every_secret_prints_none_of_them(where: str) -> None:
    start = """
        import sys
        from bot.logs import configure_logging

        telegram, zalo, secret = sys.argv[1:4]
        configure_logging("INFO", [telegram, zalo, secret])
        text = (
            f"POST https://api.telegram.org/bot{telegram}/getMe failed; "
            f"zalo token {zalo}; webhook secret {secret}"
        )
        """
    result = run_python(textwrap.dedent(start) + textwrap.dedent(RAISE_IN[where]), *SECRETS)
    assert "RuntimeError" in result.stderr, result.stderr  # reported, not swallowed
    assert REDACTED in result.stderr
    assert_no_secret(result.stderr)
    if where == "thread":
        assert "Exception in thread worker" in result.stderr


def test_importing_and_building_a_client_installs_nothing() -> None:
    """No side effect at import time, nor when a ZaloClient is made: the runtime decides."""
    result = run_python(
        """
        import logging, os, sys, threading
        before = (logging.getLogRecordFactory(), sys.excepthook, threading.excepthook)
        import bot.logs, bot.telegram, bot.telegram.channel, bot.zalo
        from bot.zalo.client import ZaloClient
        ZaloClient(sys.argv[1])
        after = (logging.getLogRecordFactory(), sys.excepthook, threading.excepthook)
        assert before == after, (before, after)
        assert "PTB_TIMEDELTA" not in os.environ, "environment changed"
        loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        filtered = [getattr(l, "name", "") for l in loggers if getattr(l, "filters", None)]
        assert not filtered, filtered
        print("clean")
        """,
        ZALO_TOKEN,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"


# ------------------------------------------------------------- in process


@pytest.mark.usefixtures("logging_restored")
def test_log_records_lose_every_secret(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("DEBUG", [TG_TOKEN, None, ""])
    configure_logging("DEBUG", [ZALO_TOKEN, WEBHOOK_SECRET])  # a second call adds, never forgets
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("nhacviec.test")
    log.info("url %s", f"https://api.telegram.org/bot{TG_TOKEN}/getUpdates")
    log.warning("zalo %s, secret %r", ZALO_TOKEN, WEBHOOK_SECRET)
    log.debug({"token": TG_TOKEN})  # a careless non-string message
    log.error("too few arguments %s %s", ZALO_TOKEN)  # a malformed record must not raise
    try:
        raise NetworkError(f"bad gateway for /bot{TG_TOKEN}/sendMessage")
    except NetworkError:
        log.exception("send failed")
    assert len(caplog.records) == 5
    for record in caplog.records:
        assert_no_secret(record.getMessage() + repr(record.args) + (record.exc_text or ""))
    assert_no_secret(caplog.text)
    assert "NetworkError" in caplog.text


@pytest.mark.usefixtures("logging_restored")
def test_redact_uses_what_configure_logging_was_told() -> None:
    secret = f"bi-mat-{uuid.uuid4().hex}"  # configured secrets stay for the process's life
    assert redact(f"secret {secret}!") == f"secret {secret}!"  # not known yet: untouched
    assert redact(f"secret {secret}!", [secret]) == f"secret {REDACTED}!"
    configure_logging("INFO", [ZALO_TOKEN, secret])
    assert redact(f"zalo {ZALO_TOKEN} secret {secret}") == f"zalo {REDACTED} secret {REDACTED}"


@pytest.mark.parametrize(
    "text",
    [
        f"POST https://api.telegram.org/bot{TG_TOKEN}/sendMessage 200",
        f"url=http://127.0.0.1:1/bot{TG_TOKEN.replace(':', '%3A')}/getMe",
        f"https://api.telegram.org/file/bot{TG_TOKEN}/photos/1.jpg",
        f"the token `{TG_TOKEN}` was rejected",  # a token shape, even one never configured
        f"token {ZALO_TOKEN} echoed",
    ],
)
def test_redact_token_shapes_and_urls(text: str) -> None:
    clean = redact(text, [ZALO_TOKEN])
    assert_no_secret(clean)
    assert REDACTED in clean


def test_redact_keeps_ordinary_text() -> None:
    for text in ("Gửi /done 57 lúc 07:30", "/bottom line", "12:30 họp chi bộ", "/botay"):
        assert redact(text, [ZALO_TOKEN]) == text


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (InvalidToken(f"The token `{TG_TOKEN}` was rejected by the server."), "Token Telegram"),
        (InvalidToken(), "Token Telegram"),
        (ZaloApiError("getMe", 401, "Unauthorized"), "Token Zalo"),
    ],
)
def test_explain_fatal_names_the_bad_token_in_vietnamese(
    error: BaseException, expected: str
) -> None:
    line = explain_fatal(error)
    assert line is not None
    assert line.startswith(f"{expected} không hợp lệ hoặc đã bị thu hồi")
    assert "\n" not in line
    assert_no_secret(line)


def test_explain_fatal_finds_the_cause_and_ignores_the_rest() -> None:
    wrapped = RuntimeError("start failed")
    wrapped.__cause__ = InvalidToken(f"The token `{TG_TOKEN}` was rejected by the server.")
    assert (explain_fatal(wrapped) or "").startswith("Token Telegram")
    looping = RuntimeError("a cycle")
    looping.__context__ = ValueError("inner")
    looping.__context__.__context__ = looping
    assert explain_fatal(looping) is None
    assert explain_fatal(RuntimeError("a bug")) is None
    assert explain_fatal(ZaloApiError("sendMessage", 400, "Chat not found")) is None
