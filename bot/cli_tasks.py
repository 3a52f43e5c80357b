"""``nhacviec tasks date <số> "<thời hạn>"``: the office gives a task its deadline.

The phrase is read by the one deadline reader (``data.deadlines``), as the console's
"Đặt hạn" date is; the task becomes an ordinary dated task (``parts.set_task_date``)
and a re-import of its document keeps the office's date (``data.revisions``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.review import KIND_LABELS
from data import chat_store, db, parts, store
from data.chat_store import Actor
from data.deadlines import DeadlineKind, parse_deadline
from data.domain import TaskStatus

USAGE = 'Gõ: nhacviec tasks date <số> "<thời hạn>" (ví dụ: nhacviec tasks date 12 "30/06/2026")'


def cmd_date(app: Any, args: argparse.Namespace) -> int:
    words = list(args.rest)
    if len(words) < 2 or not words[0].isdigit():
        print(USAGE, file=sys.stderr)
        return 2
    number, phrase = int(words[0]), " ".join(words[1:]).strip()
    now = datetime.now(UTC)
    with db.transaction(app.sessions) as session:
        task = store.tasks_for_update(session, [number]).get(number)
        if task is None or task.status not in (TaskStatus.OPEN, TaskStatus.DONE):
            print(f"Không có nhiệm vụ #{number}.", file=sys.stderr)
            return 2
        reading = parse_deadline(phrase, task.document.doc_date)
        if reading.kind is DeadlineKind.UNREADABLE:
            why = reading.suggestion or reading.note or ""
            print(
                f"Không đọc được thời hạn «{phrase}»" + (f" ({why})" if why else "") + ". "
                "Hãy ghi một ngày, ví dụ: 30/06/2026, trước ngày 15/6/2026, Quý III/2026.",
                file=sys.stderr,
            )
            return 2
        if reading.due is None:
            print(
                f"«{phrase}» được đọc là {KIND_LABELS[reading.kind]}, không có ngày hạn cụ thể. "
                "Hãy ghi một ngày, ví dụ: 30/06/2026.",
                file=sys.stderr,
            )
            return 2
        change = parts.Change(now, "cli", note=f"«{phrase}»")
        if not parts.set_task_date(task, reading.due, change):
            print(f"#{number} đã có hạn {reading.due:%d/%m/%Y}, không đổi.")
            return 0
        chat_store.audit(
            session, Actor(user_name="cli"), now, "task_dated", f"#{number} hạn {reading.due}"
        )
        review = " Nhiệm vụ vẫn cần xem lại (chưa có đơn vị chủ trì)." if task.needs_review else ""
    print(
        f"✅ Đã đặt hạn #{number}: {reading.due:%d/%m/%Y}. "
        f"Nhập lại văn bản vẫn giữ hạn này.{review}"
    )
    return 0
