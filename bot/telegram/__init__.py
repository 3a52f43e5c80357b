"""The Telegram edge. RetryAfter.retry_after as a timedelta (python-telegram-bot's future)."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
