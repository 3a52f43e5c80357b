"""Logging that can never print a bot token.

httpx logs every request URL at INFO, and Telegram/Zalo URLs carry the token
(``…/bot<TOKEN>/sendMessage``). Redacting at record creation covers every logger
and every handler (including ones added later), whatever the level.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

_TOKEN_SHAPE = re.compile(r"(?<=/bot)[^/\s?]+")  # /bot<anything>/… in URLs
_installed: set[str] = set()


def _redact(text: str) -> str:
    for secret in _installed:
        text = text.replace(secret, "***")
    return _TOKEN_SHAPE.sub("***", text)


def protect_secrets(secrets: Iterable[str | None]) -> None:
    """Redact these strings (and any /bot<token> URL part) from every future log record."""
    new = {s for s in secrets if s and len(s) >= 6}
    if not new - _installed:
        return
    first = not _installed
    _installed.update(new)
    if not first:
        return
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        message = record.getMessage()
        clean = _redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters reuse a cached exc_text: cache the redacted traceback.
            record.exc_text = _redact(logging.Formatter().formatException(record.exc_info))
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        return record

    logging.setLogRecordFactory(factory)


def configure_logging(level: str, secrets: Iterable[str | None]) -> None:
    protect_secrets(secrets)
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
