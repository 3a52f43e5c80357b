"""`nhacviec done | reopen | extend | report`: the office's actions and its report.

Audited like chat actions (the audit log names "cli"); the same functions serve the
web console (``bot.office_actions``, ``jobs.office_report``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from bot import office_actions
from bot.office_actions import ActionResult
from bot.runtime import LazyRuntime
from data import db, store
from data.clock import VN_TZ
from data.models import Unit
from data.parts import Change
from jobs.due import Due
from jobs.office_report import load_report, report_json
from jobs.workbook import report_workbook

App = LazyRuntime
CLI_ACTOR = "cli"


def _moment(on: date | None) -> datetime:
    """Now, or midday of the given day in Vietnam (a completion the office backdates)."""
    if on is None:
        return datetime.now(UTC)
    return datetime.combine(on, time(12, 0), VN_TZ)


def _print(result: ActionResult) -> int:
    for line in result.done:
        print(f"✅ {line}")
    for line in result.problems:
        print(f"⚠️ {line}", file=sys.stderr)
    return 0 if result.done or not result.problems else 2


def _unit(session: Any, text: str | None) -> Unit | str | None:
    if not text:
        return None
    unit = store.find_unit(session, text)
    return unit if unit is not None else f"Không có đơn vị «{text}». Xem: nhacviec units"


def cmd_mark(app: App, args: argparse.Namespace, *, done: bool) -> int:
    change = Change(_moment(getattr(args, "on", None)), CLI_ACTOR, "", getattr(args, "note", ""))
    with db.transaction(app.sessions) as session:
        unit = _unit(session, args.unit)
        if isinstance(unit, str):
            print(unit, file=sys.stderr)
            return 2
        due = Due(app.runtime.calendar, app.runtime.settings.policy)  # recurring: which one
        return _print(office_actions.mark(session, args.numbers, unit, change, done=done, due=due))


def cmd_extend(app: App, args: argparse.Namespace) -> int:
    change = Change(datetime.now(UTC), CLI_ACTOR, "", args.reason)
    with db.transaction(app.sessions) as session:
        unit = _unit(session, args.unit)
        if isinstance(unit, str):
            print(unit, file=sys.stderr)
            return 2
        return _print(office_actions.extend(session, args.number, args.to, unit, change))


def cmd_report(app: App, args: argparse.Namespace, today: Callable[[], date]) -> int:
    as_of = args.as_of or today()
    start = args.start or date(as_of.year, 1, 1)
    end = args.end or date(as_of.year, 12, 31)
    if end < start:
        print("--to phải sau --from.", file=sys.stderr)
        return 2
    runtime = app.runtime
    due = Due(runtime.calendar, runtime.settings.policy)
    with runtime.sessions() as session:
        office = load_report(session, due, start, end, as_of)
    if args.xlsx:
        Path(args.xlsx).write_bytes(report_workbook(office))
        print(f"Đã ghi {args.xlsx}", file=sys.stderr)
    if args.json:
        print(json.dumps(report_json(office), ensure_ascii=False, indent=2))
    elif not args.xlsx:
        data = report_json(office)
        for unit in data["units"]:
            rate = unit["on_time_rate"]
            shown = f"{rate:.0%}" if rate is not None else "—"
            print(
                f"{unit['unit']}: đúng hạn {unit['done_on_time']}, trễ {unit['done_late']}, "
                f"còn hạn {unit['in_term']}, quá hạn {unit['overdue']}; tỷ lệ đúng hạn {shown}"
            )
    return 0


def add_parsers(sub: Any, date_type: Callable[[str], date], today: Callable[[], date]) -> None:
    p = sub.add_parser("done", help="báo hoàn thành thay đơn vị (mọi đơn vị chủ trì nếu bỏ --unit)")
    p.add_argument("numbers", type=int, nargs="+", metavar="SỐ")
    p.add_argument("--unit", help="mã, tên hoặc tên gọi khác của đơn vị")
    p.add_argument("--on", type=date_type, default=None, help="ngày hoàn thành (YYYY-MM-DD)")
    p.add_argument("--note", default="")
    p.set_defaults(func=lambda app, a: cmd_mark(app, a, done=True))

    p = sub.add_parser("reopen", help="mở lại phần việc đã báo xong")
    p.add_argument("numbers", type=int, nargs="+", metavar="SỐ")
    p.add_argument("--unit", help="mã, tên hoặc tên gọi khác của đơn vị")
    p.set_defaults(func=lambda app, a: cmd_mark(app, a, done=False))

    p = sub.add_parser("extend", help="gia hạn (văn phòng)")
    p.add_argument("number", type=int, metavar="SỐ")
    p.add_argument("--to", type=date_type, required=True, help="hạn mới (YYYY-MM-DD)")
    p.add_argument("--reason", required=True)
    p.add_argument("--unit", help="chỉ phần của đơn vị này")
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("report", help="báo cáo theo bốn trạng thái (JSON hoặc .xlsx)")
    p.add_argument("--from", dest="start", type=date_type, default=None)
    p.add_argument("--to", dest="end", type=date_type, default=None)
    p.add_argument("--as-of", dest="as_of", type=date_type, default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", default=None, metavar="TỆP")
    p.set_defaults(func=lambda app, a: cmd_report(app, a, today))
