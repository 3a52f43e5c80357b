"""`nhacviec scan | simulate | outbox | dispatch | chats`: the morning, seen from the office."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from bot.runtime import LazyRuntime
from data import chat_store, db, outbox, scan_views, unit_store
from data.domain import ChatAddress, ChatRole, MessageKind, OutboxStatus
from data.vocabulary import OUTBOX_STATUS
from jobs.channels import Channel, ConsoleChannel
from jobs.compose import day_label
from jobs.dispatcher import Dispatcher
from jobs.plan import DayPlan, simulate
from jobs.scan import PlannedMessage, compose_messages, load_audience, run_scan

App = LazyRuntime

STATUS_LABELS = OUTBOX_STATUS


def _day_json(plan: DayPlan, messages: list[PlannedMessage]) -> dict[str, Any]:
    return {
        "date": plan.date.isoformat(),
        "working_day": plan.working_day,
        "messages": [m.to_json() for m in messages],
    }


_RECIPIENTS = {MessageKind.ESCALATION: "giám sát", MessageKind.WEEKLY: "văn phòng"}


def _day_text(plan: DayPlan, messages: list[PlannedMessage]) -> str:
    if not plan.working_day:
        return f"{day_label(plan.date)}: ngày nghỉ, không gửi tin."
    if not messages:
        return f"{day_label(plan.date)}: không có việc cần nhắc."
    blocks = [f"════ {day_label(plan.date)}: {len(messages)} tin ════"]
    for message in messages:
        to = str(message.destination) if message.destination else "(chưa có nhóm nhận)"
        who = message.unit or _RECIPIENTS.get(message.kind, "")
        blocks.append(f"── {message.kind} → {who} [{to}]\n{message.text}")
    return "\n\n".join(blocks)


def cmd_scan(app: App, args: argparse.Namespace) -> int:
    # A day to come is a preview: queuing it would send its digests now and, once
    # recorded as scanned, make every real morning until then refuse to run.
    preview = args.dry_run or args.date > args.today
    with db.transaction(app.sessions) as session:
        result = run_scan(
            session,
            args.date,
            datetime.now(UTC),
            app.runtime.calendar,
            app.settings.policy,
            dry_run=preview,
        )
    if args.json:
        print(json.dumps(_day_json(result.plan, result.messages), ensure_ascii=False, indent=2))
        return 0
    print(_day_text(result.plan, result.messages))
    if preview and not args.dry_run:
        print(
            f"\nNgày {args.date:%d/%m/%Y} chưa đến: đây chỉ là bản xem trước, "
            "không đưa tin nào vào hàng đợi."
        )
    if not preview:
        print(
            f"\nĐã đưa vào hàng đợi: {len(result.queued)} tin mới; "
            f"{len(result.already_queued)} tin đã có từ trước (không gửi lại)."
        )
    return 0


def cmd_simulate(app: App, args: argparse.Namespace) -> int:
    if args.end < args.start:
        print("--to phải sau --from.")
        return 2
    if (args.end - args.start).days > 3 * 366:
        print("Khoảng thời gian tối đa là 3 năm.")
        return 2
    with app.sessions() as session:
        views = scan_views.task_views(session)
        audience = load_audience(session)
    plans = simulate(views, args.start, args.end, app.runtime.calendar, app.settings.policy)
    days = [(plan, compose_messages(plan, audience)) for plan in plans]
    if args.json:
        print(json.dumps([_day_json(p, m) for p, m in days], ensure_ascii=False, indent=2))
        return 0
    for plan, messages in days:
        if plan.working_day and messages:
            print(_day_text(plan, messages), end="\n\n")
    total = sum(len(m) for _, m in days)
    working = sum(1 for p, _ in days if p.working_day)
    print(f"Tổng cộng: {total} tin trong {working} ngày làm việc ({len(days)} ngày).")
    return 0


def cmd_outbox(app: App, args: argparse.Namespace) -> int:
    with db.transaction(app.sessions) as session:
        if args.retry:
            count = outbox.requeue_parked(session, args.retry, datetime.now(UTC))
            print(f"Đã đưa lại {count} tin vào hàng đợi.")
            return 0
        status = OutboxStatus(args.status) if args.status else None
        rows = outbox.listing(session, status, args.limit)
        data: list[dict[str, Any]] = [
            {
                "id": r.id,
                "key": r.key,
                "status": r.status,
                "kind": r.kind,
                "chat": f"{r.channel}:{r.chat_id}",
                "day": r.day.isoformat(),
                "attempts": r.attempts,
                "parts_sent": r.parts_sent,
                "message_ids": r.message_ids,
                "last_error": r.last_error,
            }
            for r in rows
        ]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for row in data:
        error = f" — lỗi: {row['last_error'][:80]}" if row["last_error"] else ""
        print(
            f"#{row['id']:<5} {STATUS_LABELS.get(row['status'], row['status']):<9} "
            f"{row['day']} {row['kind']:<10} {row['chat']} (thử {row['attempts']} lần){error}"
        )
    print(f"({len(data)} tin)")
    return 0


def console_channels() -> dict[str, Channel]:
    return {"console": ConsoleChannel()}


def cmd_dispatch(
    app: App,
    args: argparse.Namespace,
    channels: Callable[[], dict[str, Channel]] = console_channels,
) -> int:
    """Send what is due now through the channels this process runs (console without tokens)."""
    with app.sessions() as session:
        audience = load_audience(session)
    dispatcher = Dispatcher(
        app.sessions, channels(), clock=lambda: datetime.now(UTC), admin_chat=audience.admin
    )
    report = asyncio.run(dispatcher.run_once(limit=args.limit))
    print(
        f"\nĐã gửi {len(report.sent)}; thử lại sau {len(report.retried)}; "
        f"tạm dừng {len(report.parked)}."
    )
    return 0


def cmd_chats(app: App, args: argparse.Namespace) -> int:
    with db.transaction(app.sessions) as session:
        if args.chats_command == "bind":
            role = ChatRole(args.role)
            unit = None
            if role is ChatRole.UNIT:
                unit = unit_store.find_unit(session, args.unit or "")
                if unit is None:
                    print(f"Không có đơn vị «{args.unit}». Xem: nhacviec units")
                    return 2
            address = ChatAddress(args.channel, args.chat_id)
            chat_store.bind_chat(session, address, role, unit, datetime.now(UTC), args.title)
            print(f"Đã gắn {address} ({role}).")
            return 0
        chats = chat_store.list_chats(session)
        for chat in chats:
            owner = chat.unit.name if chat.unit else chat.role
            print(f"{chat.channel}:{chat.chat_id:<20} {owner} {chat.title}")
        print(f"({len(chats)} nhóm)")
    return 0


def add_parsers(sub: Any, date_type: Callable[[str], date], today: Callable[[], date]) -> None:
    p = sub.add_parser("scan", help="tin nhắn buổi sáng của một ngày")
    p.add_argument("--date", type=date_type, default=None)
    p.add_argument("--dry-run", action="store_true", help="chỉ xem, không đưa vào hàng đợi")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=lambda app, a: cmd_scan(app, _with_date(a, today)))

    p = sub.add_parser("simulate", help="xem trước các buổi sáng trong một khoảng ngày")
    p.add_argument("--from", dest="start", type=date_type, required=True)
    p.add_argument("--to", dest="end", type=date_type, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("outbox", help="hàng đợi tin nhắn: chờ gửi, đã gửi, tạm dừng")
    p.add_argument("--status", choices=list(STATUS_LABELS))
    p.add_argument("--retry", type=int, nargs="+", metavar="ID", help="gửi lại tin tạm dừng")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outbox)

    p = sub.add_parser("dispatch", help="gửi ngay các tin đến hạn (không có token: in ra màn hình)")
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(func=cmd_dispatch)

    p = sub.add_parser("chats", help="nhóm chat của đơn vị, văn phòng, giám sát")
    chats_sub = p.add_subparsers(dest="chats_command")
    bind = chats_sub.add_parser("bind", help="gắn một nhóm chat")
    bind.add_argument("--channel", default="console", choices=["telegram", "zalo", "console"])
    bind.add_argument("--chat-id", required=True)
    bind.add_argument("--role", default="unit", choices=[r.value for r in ChatRole])
    bind.add_argument("--unit", help="mã, tên hoặc tên gọi khác của đơn vị (với --role unit)")
    bind.add_argument("--title", default="")
    p.set_defaults(func=cmd_chats)


def _with_date(args: argparse.Namespace, today: Callable[[], date]) -> argparse.Namespace:
    args.today = today()
    args.date = args.date or args.today
    return args
