"""`nhacviec done | reopen | extend | approve | refuse | confirm | sendback | report`,
`files purge` and `tasks confidential | accept | reject | owners`: the office's actions
and its report.

Each command parses its arguments, calls the verb the chat and the console call
(``bot.actions``; the audit log names "cli") and prints its outcome.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from bot.actions import completion, extensions, files, tasks
from bot.actions.base import Actor, Outcome
from bot.runtime import LazyRuntime
from data import db, part_files, unit_store
from data.clock import VN_TZ
from data.models import Unit
from jobs.due import Due

App = LazyRuntime


def _moment(app: App, on: date | None = None) -> datetime:
    """Now (the runtime's clock), or midday of the given day in Vietnam (a completion the
    office backdates)."""
    if on is None:
        return app.runtime.clock()
    return datetime.combine(on, time(12, 0), VN_TZ)


def _print(outcome: Outcome) -> int:
    for change in outcome.changes:
        print(f"✅ {change.text}")
    for problem in outcome.problems:
        print(f"⚠️ {problem.text}", file=sys.stderr)
    return 0 if outcome.changed or not outcome.problems else 2


def _unit(session: Any, text: str | None) -> Unit | str | None:
    if not text:
        return None
    unit = unit_store.find_unit(session, text)
    return unit if unit is not None else f"Không có đơn vị «{text}». Xem: nhacviec units"


def _numbers(words: list[str], usage: str) -> list[int] | None:
    if not words or not all(w.isdigit() for w in words):
        print(f"Gõ: {usage}", file=sys.stderr)
        return None
    return [int(w) for w in words]


def cmd_mark(app: App, args: argparse.Namespace, *, done: bool) -> int:
    actor = Actor.cli(_moment(app, getattr(args, "on", None)))
    verb = completion.report_done if done else completion.reopen
    with db.transaction(app.sessions) as session:
        unit = _unit(session, args.unit)
        if isinstance(unit, str):
            print(unit, file=sys.stderr)
            return 2
        note = getattr(args, "note", "")
        due = Due(app.runtime.calendar, app.runtime.settings.policy)  # recurring: which one
        return _print(verb(session, actor, app.rules, args.numbers, unit=unit, note=note, due=due))


def cmd_extend(app: App, args: argparse.Namespace) -> int:
    with db.transaction(app.sessions) as session:
        unit = _unit(session, args.unit)
        if isinstance(unit, str):
            print(unit, file=sys.stderr)
            return 2
        actor = Actor.cli(_moment(app))
        return _print(extensions.extend(session, actor, args.number, args.to, unit, args.reason))


def cmd_decide(app: App, args: argparse.Namespace, *, approve: bool) -> int:
    actor = Actor.cli(_moment(app))
    with db.transaction(app.sessions) as session:
        note = args.reason or ""
        return _print(extensions.decide(session, actor, args.code, approve=approve, note=note))


def cmd_settle(app: App, args: argparse.Namespace, *, confirm: bool) -> int:
    actor = Actor.cli(_moment(app))
    with db.transaction(app.sessions) as session:
        reason = getattr(args, "reason", "") or ""
        outcome = completion.settle(
            session, actor, args.number, args.unit or "", confirm=confirm, reason=reason
        )
        return _print(outcome)


def cmd_confidential(app: App, args: argparse.Namespace) -> int:
    words = list(args.rest)
    usage = "nhacviec tasks confidential <số>… on|off"
    if len(words) < 2 or words[-1] not in ("on", "off"):
        print(f"Gõ: {usage}", file=sys.stderr)
        return 2
    numbers = _numbers(words[:-1], usage)
    if numbers is None:
        return 2
    with db.transaction(app.sessions) as session:
        actor = Actor.cli(_moment(app))
        return _print(tasks.set_confidential(session, actor, numbers, words[-1] == "on"))


def cmd_proposals(app: App, args: argparse.Namespace) -> int:
    """``tasks accept|reject <số>…``: the office's word on tasks read from prose."""
    numbers = _numbers(list(args.rest), f"nhacviec tasks {args.action} <số>…")
    if numbers is None:
        return 2
    verb = tasks.accept_proposals if args.action == "accept" else tasks.reject_proposals
    with db.transaction(app.sessions) as session:
        return _print(verb(session, Actor.cli(_moment(app)), numbers))


def cmd_date(app: App, args: argparse.Namespace) -> int:
    """``tasks date <số> "<thời hạn>"``: the office's deadline, read by the one reader."""
    words = list(args.rest)
    if len(words) < 2 or not words[0].isdigit():
        print('Gõ: nhacviec tasks date <số> "<thời hạn>", ví dụ "30/09/2026"', file=sys.stderr)
        return 2
    with db.transaction(app.sessions) as session:
        actor = Actor.cli(_moment(app))
        return _print(tasks.set_deadline(session, actor, int(words[0]), " ".join(words[1:])))


def cmd_owners(app: App, args: argparse.Namespace) -> int:
    """``tasks owners <số> <đơn vị>…``: the office names a task's owner units."""
    words = list(args.rest)
    if len(words) < 2 or not words[0].isdigit():
        print(
            "Gõ: nhacviec tasks owners <số> <đơn vị>… (mã, tên hoặc tên gọi khác)", file=sys.stderr
        )
        return 2
    with db.transaction(app.sessions) as session:
        found = [_unit(session, w) for w in words[1:]]
        unknown = [u for u in found if isinstance(u, str)]
        if unknown:
            print("\n".join(unknown), file=sys.stderr)
            return 2
        units = [u for u in found if isinstance(u, Unit)]
        return _print(tasks.set_owners(session, Actor.cli(_moment(app)), int(words[0]), units))


def cmd_files_purge(app: App, args: argparse.Namespace) -> int:
    """``files purge --removed-tasks | --task N…``: a removed task's files deleted; the
    bytes go once no other part refers to the same content."""
    if not args.removed_tasks and not args.task:
        print("Gõ: nhacviec files purge --removed-tasks  hoặc  --task <số>…", file=sys.stderr)
        return 2
    with db.transaction(app.sessions) as session:
        done = files.purge(session, Actor.cli(_moment(app)), args.task or None)
    with app.sessions() as session:
        gone = part_files.sweep(session, app.runtime.settings.data_dir, done.contents)
    code = _print(done.outcome)
    if done.outcome.changed:
        print(f"Đã xoá {gone} tệp khỏi ổ đĩa (nội dung không còn phần việc nào dùng).")
    return code


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

    p = sub.add_parser("approve", help="duyệt đề nghị gia hạn của đơn vị")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--reason", default="")
    p.set_defaults(func=lambda app, a: cmd_decide(app, a, approve=True))

    p = sub.add_parser("refuse", help="từ chối đề nghị gia hạn (cần lý do)")
    p.add_argument("code", metavar="MÃ")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=lambda app, a: cmd_decide(app, a, approve=False))

    files_parser = sub.add_parser("files", help="tệp đơn vị đã nộp: xoá tệp của nhiệm vụ đã gỡ")
    files_sub = files_parser.add_subparsers(dest="files_command", required=True)
    p = files_sub.add_parser("purge", help="xoá tệp của nhiệm vụ đã gỡ khỏi kế hoạch")
    p.add_argument("--removed-tasks", action="store_true", help="của mọi nhiệm vụ đã gỡ")
    p.add_argument("--task", type=int, action="append", metavar="SỐ", help="của nhiệm vụ này")
    p.set_defaults(func=cmd_files_purge)

    p = sub.add_parser("confirm", help="xác nhận việc đơn vị báo hoàn thành")
    p.add_argument("number", type=int, metavar="SỐ")
    p.add_argument("--unit", help="mã đơn vị (khi nhiều đơn vị cùng chờ)")
    p.set_defaults(func=lambda app, a: cmd_settle(app, a, confirm=True))

    p = sub.add_parser("sendback", help="trả lại việc đơn vị báo hoàn thành (cần lý do)")
    p.add_argument("number", type=int, metavar="SỐ")
    p.add_argument("--unit", help="mã đơn vị (khi nhiều đơn vị cùng chờ)")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=lambda app, a: cmd_settle(app, a, confirm=False))
