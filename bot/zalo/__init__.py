"""Zalo front end: our own small client of the official Zalo Bot API, a Channel, a poller.

The SDKs on PyPI are thin, broken forks, and unofficial personal-account libraries
(zca-js, zlapi) are never used: the official Bot API is a handful of JSON POSTs.
"""

from bot.zalo.channel import ZaloChannel
from bot.zalo.client import (
    DEFAULT_BASE_URL,
    MAX_TEXT_LENGTH,
    QuotaExceeded,
    SentMessage,
    WebhookInfo,
    ZaloApiError,
    ZaloBotInfo,
    ZaloClient,
    ZaloMessage,
    ZaloUpdate,
    redact,
)
from bot.zalo.poller import (
    SECRET_HEADER,
    RecentIds,
    WebhookRejected,
    ZaloPoller,
    parse_webhook,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_TEXT_LENGTH",
    "SECRET_HEADER",
    "QuotaExceeded",
    "RecentIds",
    "SentMessage",
    "WebhookInfo",
    "WebhookRejected",
    "ZaloApiError",
    "ZaloBotInfo",
    "ZaloChannel",
    "ZaloClient",
    "ZaloMessage",
    "ZaloPoller",
    "ZaloUpdate",
    "parse_webhook",
    "redact",
]
