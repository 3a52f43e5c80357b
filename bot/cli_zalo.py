"""`nhacviec zalo status|resume`: Zalo's plan quota pause, as the office sees and lifts it.

A 429 "quota exceeded" from Zalo pauses Zalo sending until the next month
(``bot.zalo.quota``); after upgrading the plan, ``nhacviec zalo resume`` is the office's
word: the running bot sends again within ``CHECK_EVERY`` seconds (the pause is in the
store, so this process and the bot need not be the same). Audited as "cli".
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from bot.actions.base import Actor, audit
from bot.runtime import LazyRuntime
from data import db


def cmd_zalo(app: LazyRuntime, args: argparse.Namespace) -> int:
    from bot.zalo.quota import ZaloQuotaGate  # here: `nhacviec --help` stays light

    gate = ZaloQuotaGate(app.sessions, lambda: datetime.now(UTC))
    if args.zalo_command == "resume":
        if not gate.resume():
            print("Zalo không tạm ngừng: không có gì để mở lại.")
            return 0
        with db.transaction(app.sessions) as session:
            audit(session, Actor.cli(datetime.now(UTC)), "zalo_resumed", "hạn mức gói")
        print("Đã mở lại Zalo: bot gửi tiếp các tin nhắc đang giữ trong vòng 5 phút.")
        return 0
    paused = gate.is_paused()
    print("Zalo đang tạm ngừng (hết hạn mức gói tháng này)." if paused else "Zalo đang gửi.")
    return 0


def add_parsers(sub: Any, date_type: Callable[[str], date], today: Callable[[], date]) -> None:
    p = sub.add_parser("zalo", help="Zalo: xem/mở lại khi tạm ngừng vì hết hạn mức gói")
    p.add_argument("zalo_command", choices=["status", "resume"], nargs="?", default="status")
    p.set_defaults(func=cmd_zalo)
