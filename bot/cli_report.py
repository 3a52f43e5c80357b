"""``nhacviec report``: the office's report by the four statuses (text, JSON or .xlsx).

A module of its own so that the report starts without the verbs' modules (the chat
service, the actions): it reads, it does not act."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jobs.due import Due
from jobs.office_report import load_report, report_json, stream_report


def cmd_report(app: Any, args: argparse.Namespace, today: Callable[[], date]) -> int:
    as_of = args.as_of or today()
    start = args.start or date(as_of.year, 1, 1)
    end = args.end or date(as_of.year, 12, 31)
    if end < start:
        print("--to phải sau --from.", file=sys.stderr)
        return 2
    runtime = app.runtime
    due = Due(runtime.calendar, runtime.settings.policy)
    if args.xlsx and not args.json:  # the file alone: streamed, memory not growing with tasks
        gc.freeze()  # the modules stay: collections walk only the rows' short-lived objects
        with runtime.sessions() as session, Path(args.xlsx).open("wb") as out:
            streamed = stream_report(session, due, start, end, as_of)  # its rows' read begun
            from jobs.workbook import stream_workbook  # openpyxl loaded while the store sorts

            stream_workbook(out, streamed)
        print(f"Đã ghi {args.xlsx}", file=sys.stderr)
        return 0
    with runtime.sessions() as session:
        office = load_report(session, due, start, end, as_of)
    if args.xlsx:
        from jobs.workbook import report_workbook

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
    p = sub.add_parser("report", help="báo cáo theo bốn trạng thái (JSON hoặc .xlsx)")
    p.add_argument("--from", dest="start", type=date_type, default=None)
    p.add_argument("--to", dest="end", type=date_type, default=None)
    p.add_argument("--as-of", dest="as_of", type=date_type, default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--xlsx", default=None, metavar="TỆP")
    p.set_defaults(func=lambda app, a: cmd_report(app, a, today))
