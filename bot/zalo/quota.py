"""Zalo's plan quota spent (HTTP 429 "quota exceeded"): pause Zalo, tell the office once.

Waiting seconds will not help a spent monthly quota, so a 429 pauses every Zalo send
(the reminders and the answers to commands) until the next month starts, or until
the office says so (``nhacviec zalo resume``, after upgrading the plan). The pause is
kept in the store (``data.channel_pause``), so a restart or a second process honours
it and the office hears once a month. Telegram is another channel: it keeps sending.
While paused, the channel refuses locally with a ``RateLimitError`` of
``CHECK_EVERY`` seconds: the dispatcher holds the Zalo rows (not counted as failed
attempts) and asks again after that, so the office's word takes effect within it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from data import channel_pause
from data.clock import month_of
from data.db import transaction
from data.domain import ChannelName
from jobs.quota import next_month_start

log = logging.getLogger(__name__)

CHECK_EVERY = 300.0  # seconds between two looks at the pause while Zalo is paused
CHANNEL = ChannelName.ZALO.value

Alert = Callable[[str, str], Awaitable[None]]  # (text, key): the office told once per key


async def no_alert(text: str, key: str) -> None:
    log.warning("office not told (no alert wired): %s", text)


def quota_text(month: str, until: datetime) -> str:
    shown = f"{month[5:]}/{month[:4]}"
    return (
        f"⛔ Zalo báo đã hết hạn mức tin của gói trong tháng {shown} (lỗi 429 «quota "
        "exceeded»). nhacviec tạm ngừng gửi trên Zalo: tin nhắc được giữ trong hàng đợi "
        f"(không mất) và tự gửi tiếp từ {until:%d/%m/%Y}; Telegram vẫn gửi bình thường.\n"
        "Nếu đã nâng gói Zalo Bot (hoặc Zalo cho gửi lại sớm hơn), chạy trên máy chủ: "
        "nhacviec zalo resume — bot gửi tiếp trong vòng 5 phút."
    )


class ZaloQuotaGate:
    """Whether Zalo may send now, and what a 429 does; shared by the channel and the
    answers to commands."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        alert: Alert = no_alert,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.alert = alert

    def is_paused(self) -> bool:
        with self.sessions() as session:
            return channel_pause.is_paused(session, CHANNEL, month_of(self.clock()))

    async def paused(self) -> bool:
        return await asyncio.to_thread(self.is_paused)

    def _pause(self) -> tuple[bool, str, datetime]:
        now = self.clock()
        month, until = month_of(now), next_month_start(now)
        with transaction(self.sessions) as session:
            first = channel_pause.pause(session, CHANNEL, month, until)
        return first, month, until

    async def exceeded(self) -> None:
        """Zalo answered 429: pause until next month; the office told the first time."""
        first, month, until = await asyncio.to_thread(self._pause)
        if not first:
            return
        log.error(
            "zalo: quota exceeded (429): Zalo paused until %s or 'nhacviec zalo resume'", until
        )
        try:
            await self.alert(quota_text(month, until), f"zalo-quota-{month}")
        except Exception:  # telling the office must not break the sending of others
            log.exception("could not queue the office's alert")

    def resume(self) -> bool:
        """The office's word: Zalo may send again this month. True when it was paused."""
        with transaction(self.sessions) as session:
            lifted = channel_pause.resume(session, CHANNEL, month_of(self.clock()))
        if lifted:
            log.info("zalo: resumed by the office")
        return lifted
