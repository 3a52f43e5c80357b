"""The command line's commands over the store: import, units, admin, tasks, migrate, run.

Loaded only when one of them runs (``bot/cli.py`` keeps ``nhacviec --help`` light).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot import cli_office
from bot.cli import print_json as _print_json
from bot.cli import today as _today
from bot.review import document_json, outcome_json, review_text
from bot.runtime import LazyRuntime, read_only_registry
from data import chat_store, db, part_files, revisions, store, unit_store
from data.deadlines import DeadlineKind
from data.domain import ChatRole, ItemKind, TaskStatus
from data.importers import ImportFailure, load_document, read_file
from data.models import Unit
from data.units import UnitInfo
from jobs.compose import shorten

App = LazyRuntime  # what every command receives


def _unit_or_fail(session: Session, text: str) -> Unit | None:
    unit = unit_store.find_unit(session, text)
    if unit is None:
        print(
            f"Không có đơn vị «{text}» (mã, tên hoặc tên gọi khác). Xem: nhacviec units",
            file=sys.stderr,
        )
    return unit


# -- commands ------------------------------------------------------------------


_SAVE_ATTEMPTS = 3  # an import that meets another one at the same moment tries again


def _save_failure(exc: Exception) -> str:
    """What the clerk reads when the store refused an import (nothing was saved)."""
    if isinstance(exc, IntegrityError):
        why = "dữ liệu bị trùng với một lần nhập khác chạy cùng lúc"
    elif isinstance(exc, OperationalError):
        why = "cơ sở dữ liệu đang bận hoặc không kết nối được"
    else:
        why = "cơ sở dữ liệu báo lỗi"
    return (
        f"Không lưu được văn bản: {why}. Chưa có gì thay đổi; "
        "hãy nhập lại sau ít phút (nếu vẫn lỗi, báo người quản trị hệ thống)."
    )


def cmd_import(app: App, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        loaded = read_file(path)
        registry = read_only_registry(app.settings) if args.dry_run else None
        if registry is None:
            with app.sessions() as session:
                registry = unit_store.load_registry(session)
        parsed = load_document(loaded, registry, doc_date=args.doc_date, today=_today())
        if args.add_units and parsed.new_unit_names and not args.dry_run:
            with db.transaction(app.sessions) as session:
                added = unit_store.add_units_named(session, parsed.new_unit_names)
                registry = unit_store.load_registry(session)
            for info in added:
                print(f"Đã thêm đơn vị {info.name} ({info.code}).", file=sys.stderr)
            parsed = load_document(loaded, registry, doc_date=args.doc_date, today=_today())
    except ImportFailure as failure:
        print(f"Không nhập được: {failure.message}", file=sys.stderr)
        return 2
    outcome, numbers = None, {}
    if not args.dry_run:
        # --key names the document (same key: a revision); without it the store knows
        # the document by itself (number, title and date, content), not by the file name.
        for attempt in range(1, _SAVE_ATTEMPTS + 1):
            try:
                with db.transaction(app.sessions) as session:
                    outcome = revisions.save_document(
                        session,
                        parsed,
                        key=args.key or None,
                        source_name=path.name,
                        sha256=loaded.sha256,
                        now=datetime.now(UTC),
                        confidential=args.confidential,
                    )
                    numbers = store.document_numbers(session, outcome.document_id)
                break
            except (IntegrityError, OperationalError) as exc:
                if attempt == _SAVE_ATTEMPTS:
                    print(_save_failure(exc), file=sys.stderr)
                    return 2
            except SQLAlchemyError as exc:
                print(_save_failure(exc), file=sys.stderr)
                return 2
    if args.json:
        result = document_json(parsed, registry, numbers)
        if outcome is not None:
            result["import"] = outcome_json(outcome)
        _print_json(result)
    else:
        print(review_text(parsed, registry, outcome, args.dry_run))
    return 0


def cmd_units(app: App, args: argparse.Namespace) -> int:
    with db.transaction(app.sessions) as session:
        if args.units_command == "add":
            if unit_store.find_unit(session, args.code) is not None:
                print(f"Mã đơn vị «{args.code}» đã có.", file=sys.stderr)
                return 2
            unit_store.add_unit(
                session, UnitInfo(args.code, args.name, not args.not_chi_bo, tuple(args.alias))
            )
            print(f"Đã thêm đơn vị {args.name} ({args.code}).")
            return 0
        if args.units_command == "code":
            unit = _unit_or_fail(session, args.unit)
            if unit is None:
                return 2
            code = chat_store.issue_code(
                session,
                role=ChatRole.UNIT,
                unit=unit,
                now=datetime.now(UTC),
                valid=timedelta(hours=args.hours),
            )
            print(code)
            print(
                f"Mã dùng một lần cho {unit.name}, hết hạn sau {args.hours} giờ. Trong nhóm của "
                f"chi bộ (Telegram hoặc Zalo), gõ: /dangky {code}",
                file=sys.stderr,
            )
            return 0
        if args.units_command == "alias":
            unit = _unit_or_fail(session, args.unit)
            if unit is None:
                return 2
            unit_store.add_alias(session, unit, args.alias)
            print(f"Đã thêm tên gọi «{args.alias}» cho {unit.name}.")
            return 0
        registry = unit_store.load_registry(session)
    rows: list[dict[str, Any]] = [
        {"code": u.code, "name": u.name, "is_chi_bo": u.is_chi_bo, "aliases": list(u.aliases)}
        for u in registry.units
    ]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        kind = "chi bộ" if row["is_chi_bo"] else "khác"
        aliases = ", ".join(a for a in row["aliases"] if a != row["name"])
        print(
            f"{row['code']:<8} {row['name']} ({kind})"
            + (f" — còn gọi: {aliases}" if aliases else "")
        )
    return 0


def cmd_admin(app: App, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    with db.transaction(app.sessions) as session:
        if args.admin_command == "add":
            chat_store.add_admin(session, args.channel, args.user_id, args.name, now)
            print(f"Đã thêm quản trị {args.channel}:{args.user_id}.")
            return 0
        if args.admin_command == "code":
            role = ChatRole.SUPERVISOR if args.supervisor else ChatRole.ADMIN
            code = chat_store.issue_code(
                session, role=role, unit=None, now=now, valid=timedelta(hours=args.hours)
            )
            print(code)
            where = "giám sát (Ủy ban Kiểm tra)" if args.supervisor else "văn phòng"
            print(f"Trong nhóm {where}, gõ: /dangky {code}", file=sys.stderr)
            return 0
        admins = chat_store.list_admins(session)
        for admin in admins:
            print(f"{admin.channel}:{admin.user_id} {admin.name}")
        print(f"({len(admins)} quản trị)")
    return 0


def cmd_tasks(app: App, args: argparse.Namespace) -> int:
    office_command = {
        "confidential": cli_office.cmd_confidential,
        "accept": cli_office.cmd_proposals,
        "reject": cli_office.cmd_proposals,
        "owners": cli_office.cmd_owners,
        "date": cli_office.cmd_date,
    }.get(args.action or "")
    if office_command is not None:
        return office_command(app, args)
    with app.sessions() as session:
        if args.unit and _unit_or_fail(session, args.unit) is None:
            return 2
        tasks = store.find_tasks(
            session,
            unit=args.unit,
            kind=DeadlineKind(args.kind) if args.kind else None,
            status=TaskStatus(args.status) if args.status else None,
            item_kind=ItemKind.TARGET if args.targets else ItemKind.TASK,
            needs_review=True if args.review else None,
        )
        kept = part_files.files_of(session, [a.id for t in tasks for a in t.owners])
        rows: list[dict[str, Any]] = [
            {
                "number": t.number,
                "ref": t.ref,
                "title": t.title,
                "units": list(t.unit_codes),
                "deadline": {
                    "raw": t.deadline_raw,
                    "kind": t.deadline_kind,
                    "start": t.start_date.isoformat() if t.start_date else None,
                    "due": t.due_date.isoformat() if t.due_date else None,
                },
                "status": t.status,
                "needs_review": t.needs_review,
                "cooperating": [a.unit.code for a in t.cooperating],
                "confidential": t.is_confidential,
                "source_text": t.source_text,
                "appendix": t.appendix,
                "product": t.product,
                "files": {
                    a.unit.code: [
                        {"name": f.name, "size": f.size, "sha256": f.sha256, "type": f.content_type}
                        for f in kept.get(a.id, [])
                    ]
                    for a in t.owners
                },
            }
            for t in tasks
        ]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        due = row["deadline"]["due"]
        when = f"hạn {date.fromisoformat(due):%d/%m/%Y}" if due else row["deadline"]["kind"]
        flag = " ⚠ cần xem lại" if row["needs_review"] else ""
        done = " ✅" if row["status"] == TaskStatus.DONE else ""
        print(
            f"#{row['number']:<4} [{','.join(row['units']) or '?'}] {shorten(row['title'], 90)} "
            f"— {when} («{row['deadline']['raw']}»){done}{flag}"
        )
    print(f"({len(rows)} mục)")
    return 0


def cmd_migrate(app: App, args: argparse.Namespace) -> int:
    url = app.runtime.engine.url.render_as_string(hide_password=True)
    print(f"Cơ sở dữ liệu sẵn sàng: {url}")
    return 0


def cmd_run(app: App, args: argparse.Namespace) -> int:
    from bot.app import run

    return run(app.settings, today=args.date)


def add_parsers(sub: Any, _date: Callable[[str], date], today: Callable[[], date]) -> None:
    p = sub.add_parser("import", help="nhập kế hoạch (.txt, .docx, .xlsx)")
    p.add_argument("file")
    p.add_argument("--doc-date", type=_date, default=None)
    p.add_argument("--dry-run", action="store_true", help="chỉ đọc, không ghi")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--key",
        help="mã văn bản: nhập cùng mã là bản sửa của văn bản đó (mặc định: nhận ra văn bản "
        "theo số hiệu, tiêu đề và ngày, nội dung; văn bản mới lấy mã theo tên tệp)",
    )
    p.add_argument(
        "--confidential", action="store_true", help="văn bản mật: tiêu đề không gửi vào nhóm"
    )
    p.add_argument("--add-units", action="store_true", help="tạo các đơn vị mới có trong văn bản")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("units", help="đơn vị và tên gọi khác")
    p.add_argument("--json", action="store_true")
    units_sub = p.add_subparsers(dest="units_command")
    add = units_sub.add_parser("add", help="thêm đơn vị")
    add.add_argument("name")
    add.add_argument("--code", required=True)
    add.add_argument("--alias", action="append", default=[])
    add.add_argument("--not-chi-bo", action="store_true", help="không phải chi bộ (vd. UBKT)")
    code = units_sub.add_parser("code", help="cấp mã đăng ký nhóm chat cho đơn vị")
    code.add_argument("unit", help="mã, tên hoặc tên gọi khác của đơn vị")
    code.add_argument("--hours", type=int, default=72)
    alias = units_sub.add_parser("alias", help="thêm tên gọi khác cho đơn vị")
    alias.add_argument("unit", help="mã, tên hoặc tên gọi khác của đơn vị")
    alias.add_argument("alias")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("admin", help="quản trị: người dùng và nhóm văn phòng")
    admin_sub = p.add_subparsers(dest="admin_command")
    add_admin = admin_sub.add_parser("add", help="thêm người quản trị theo mã người dùng")
    add_admin.add_argument("user_id")
    add_admin.add_argument("--channel", default="telegram", choices=["telegram", "zalo"])
    add_admin.add_argument("--name", default="")
    admin_code = admin_sub.add_parser("code", help="mã đăng ký nhóm văn phòng (hoặc giám sát)")
    admin_code.add_argument("--supervisor", action="store_true")
    admin_code.add_argument("--hours", type=int, default=72)
    p.set_defaults(func=cmd_admin)

    p = sub.add_parser("tasks", help="danh sách nhiệm vụ; tasks confidential <số> on|off")
    p.add_argument(
        "action",
        nargs="?",
        choices=["confidential", "accept", "reject", "owners", "date"],
        help="confidential <số>… on|off; accept/reject <số>…: nhận hoặc bỏ nhiệm vụ đề xuất; "
        'owners <số> <đơn vị>…: giao đơn vị chủ trì; date <số> "<thời hạn>": đặt hạn',
    )
    p.add_argument("rest", nargs="*", help="số nhiệm vụ (và on|off với confidential)")
    p.add_argument("--unit", help="mã, tên hoặc tên gọi khác của đơn vị")
    p.add_argument("--kind", choices=[k.value for k in DeadlineKind])
    p.add_argument("--status", choices=[s.value for s in TaskStatus])
    p.add_argument("--targets", action="store_true", help="chỉ tiêu thay vì nhiệm vụ")
    p.add_argument("--review", action="store_true", help="chỉ những mục cần xem lại")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("migrate", help="tạo/cập nhật cơ sở dữ liệu")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("run", help="chạy bot (không có token: chạy thử với kế hoạch mẫu)")
    p.add_argument("--date", type=_date, default=None, help="giả lập ngày hôm nay")
    p.set_defaults(func=cmd_run)
