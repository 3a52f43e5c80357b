"""The one place that keeps secrets (bot tokens, the webhook secret) off stderr.

httpx logs every request URL, and Telegram/Zalo URLs carry the token
(``…/bot<TOKEN>/sendMessage``); python-telegram-bot's ``InvalidToken`` names the
token in its text. ``configure_logging``, called once by the runtime at start, is
told every secret and then covers every way text reaches stderr:

* log records, whatever the logger, handler or level (a record factory redacts the
  message and the traceback when the record is made; a rejected token's traceback is
  dropped, the message suffices); asyncio's default exception handler and
  ``warnings`` (captured) go through logging too;
* uncaught exceptions: in the main thread (``sys.excepthook``), in other threads
  (``threading.excepthook``) and in ``__del__``/callbacks (``sys.unraisablehook``).
  A known fatal start error (a rejected token) becomes one Vietnamese line
  (``explain_fatal``), anything else a redacted traceback.

Importing this module changes nothing; ``redact`` is a pure function clients use
for their own exception texts.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote

from jobs.channels import PermanentError

REDACTED: Final = "<redacted>"
MIN_SECRET_LENGTH: Final = 6  # shorter strings would be "redacted" all over ordinary text

# The token part of a Bot API URL: /bot<TOKEN>/method, /file/bot<TOKEN>/path, …/bot<TOKEN>
_URL_TOKEN: Final = re.compile(
    r"(?<=/bot)[^/\s\"'<>?#]*(?::|%3A)[^/\s\"'<>?#]*"  # with the id:secret colon
    r"|(?<=/bot)[^/\s\"'<>?#]{8,}(?=/)"  # any other long path part before a method
)
# A bare token, known or not: "<bot id>:<secret>" as Telegram and Zalo issue them
_TOKEN_SHAPE: Final = re.compile(r"(?<!\d)\d{6,}(?::|%3A)[A-Za-z0-9_-]{20,}")

_secrets: set[str] = set()  # every secret configure_logging was told; empty until then


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without any token-like URL part, any token shape, ``secrets`` or a
    secret ``configure_logging`` knows (each also in its URL-encoded form)."""
    known = _secrets.union(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)
    for secret in sorted(known, key=len, reverse=True):  # a longer secret may hold a shorter
        if secret in text:
            text = text.replace(secret, REDACTED)
        encoded = quote(secret, safe="")
        if encoded != secret and encoded in text:
            text = text.replace(encoded, REDACTED)
    text = _URL_TOKEN.sub(REDACTED, text)
    return _TOKEN_SHAPE.sub(REDACTED, text)


def explain_fatal(exc: BaseException) -> str | None:
    """One Vietnamese line for an error that stops the bot at start (a rejected token),
    or None when ``exc`` (nor its cause) is not one: then let it propagate.

    For the runtime around ``run_polling``: print the line and exit 1 instead of a
    traceback. The uncaught-exception hook of ``configure_logging`` uses it as well.
    """
    from telegram.error import InvalidToken

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, InvalidToken):
            return (
                "Token Telegram không hợp lệ hoặc đã bị thu hồi: lấy token mới từ @BotFather "
                "rồi đặt lại TELEGRAM_BOT_TOKEN."
            )
        # Zalo's client raises a PermanentError carrying the API's error code.
        if isinstance(current, PermanentError) and getattr(current, "error_code", None) == 401:
            return (
                "Token Zalo không hợp lệ hoặc đã bị thu hồi: lấy token mới trong Zalo Bot "
                "Manager rồi đặt lại ZALO_BOT_TOKEN."
            )
        current = current.__cause__ or current.__context__
    return None


# ----------------------------------------------------------------- log records


class _RedactingFactory:
    """Wraps the record factory: every record is made without secrets."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep what it holds, without secrets
            message = f"{record.msg} {record.args!r}"
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        if record.exc_info and record.exc_info[1] is not None:
            if explain_fatal(record.exc_info[1]) is not None:
                # a rejected token: its traceback says nothing the message does not
                record.exc_info, record.exc_text = None, None
            else:  # formatters reuse a cached exc_text: cache the redacted traceback
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record


def _install_record_factory() -> None:
    if not isinstance(logging.getLogRecordFactory(), _RedactingFactory):
        logging.setLogRecordFactory(_RedactingFactory(logging.getLogRecordFactory()))


# ------------------------------------------------------- uncaught exceptions


def _write_stderr(text: str) -> None:
    stream = sys.stderr
    if stream is None:  # pythonw, a closed terminal: nowhere to write
        return
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass


def _report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    heading: str = "",
) -> str:
    line = explain_fatal(exc) if exc is not None else None
    if line is not None:
        return heading + line + "\n"
    return heading + redact("".join(traceback.format_exception(exc_type, exc, tb)))


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    _write_stderr(_report(exc_type, exc, tb))


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # as the default hook: a thread may exit quietly
        return
    name = args.thread.name if args.thread is not None else threading.get_ident()
    heading = f"Exception in thread {name}:\n"
    _write_stderr(_report(args.exc_type, args.exc_value, args.exc_traceback, heading))


def _unraisablehook(args: sys.UnraisableHookArgs) -> None:
    where = args.err_msg or "Exception ignored in"
    try:
        what = repr(args.object)
    except Exception:
        what = f"<{type(args.object).__name__} object>"
    heading = redact(f"{where}: {what}\n") if args.object is not None else ""
    if args.exc_type is None:
        _write_stderr(heading)
        return
    _write_stderr(_report(args.exc_type, args.exc_value, args.exc_traceback, heading))


# ---------------------------------------------------------------------- start


def configure_logging(level: str, secrets: Iterable[str | None]) -> None:
    """Call once at start, with every secret (``None`` and "" are skipped).

    A later call adds secrets and never forgets one; nothing is installed twice.
    """
    _secrets.update(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)
    _install_record_factory()
    sys.excepthook = _excepthook
    threading.excepthook = _threading_excepthook
    sys.unraisablehook = _unraisablehook
    logging.captureWarnings(True)  # warnings reach stderr through the redacted records
    numeric = getattr(logging, level.upper(), logging.INFO)
    logging.basicConfig(level=numeric, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(numeric)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
