"""``nhacviec deadline``: how a deadline phrase is read. No store, no bot: starts fast."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.cli import print_json, today
from bot.kind_labels import KIND_LABELS
from data.deadlines import DeadlineKind, parse_deadline


def cmd_deadline(app: Any, args: argparse.Namespace) -> int:
    deadline = parse_deadline(args.phrase, args.doc_date or today())
    if args.json:
        print_json(deadline.to_json())
        return 0
    parts = [f"Loại: {KIND_LABELS[deadline.kind]} ({deadline.kind.value})"]
    if deadline.start:
        parts.append(f"Bắt đầu: {deadline.start:%d/%m/%Y}")
    if deadline.due:
        parts.append(f"Hạn: {deadline.due:%d/%m/%Y}")
    if deadline.rrule:
        parts.append(f"Lặp lại: {deadline.rrule}")
    if deadline.note:
        parts.append(f"Ghi chú: {deadline.note}")
    if deadline.suggestion:
        parts.append(f"Gợi ý: {deadline.suggestion}")
    print("\n".join(parts))
    return 0 if deadline.kind is not DeadlineKind.UNREADABLE else 1


def add_parsers(sub: Any, _date: Callable[[str], date], _today: Callable[[], date]) -> None:
    p = sub.add_parser("deadline", help="đọc một cụm thời hạn")
    p.add_argument("phrase")
    p.add_argument("--doc-date", type=_date, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadline)
