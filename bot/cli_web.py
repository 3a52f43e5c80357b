"""`nhacviec web` (the office console alone) and `nhacviec users` (who may sign in).

Passwords come from standard input when it is not a terminal (one line), otherwise
they are asked twice without echo. Every change is in the audit log ("cli").
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from bot.actions.base import Actor, audit
from bot.runtime import LazyRuntime
from data import db, users
from data.users import UserRole

App = LazyRuntime
MIN_PASSWORD = 8


def read_password(prompt: str = "Mật khẩu: ") -> str | None:
    """One line from a pipe, or typed twice at a terminal; None (after saying why) if unusable."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(prompt)
        if password != getpass.getpass("Nhập lại mật khẩu: "):
            print("Hai lần nhập không khớp.", file=sys.stderr)
            return None
    if len(password) < MIN_PASSWORD:
        print(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.", file=sys.stderr)
        return None
    return password


def _audit(session: Any, action: str, detail: str) -> None:
    audit(session, Actor.cli(datetime.now(UTC)), action, detail)


def cmd_users(app: App, args: argparse.Namespace) -> int:
    from bot.web.auth import hash_password

    command = args.users_command
    if command in ("add", "passwd"):
        password = read_password()
        if password is None:
            return 2
        hashed = hash_password(password)
        now = datetime.now(UTC)
        with db.transaction(app.sessions) as session:
            if command == "add":
                role = UserRole(args.role)
                if users.add_user(session, args.login, hashed, role, now) is None:
                    print(f"Tên đăng nhập «{args.login}» đã có.", file=sys.stderr)
                    return 2
                _audit(session, "console_user_added", f"{users.normal_login(args.login)} ({role})")
                print(f"Đã thêm {users.normal_login(args.login)} ({_role_word(role)}).")
                return 0
            if not users.set_password(session, args.login, hashed, now):
                print(f"Không có người dùng «{args.login}».", file=sys.stderr)
                return 2
            _audit(session, "console_password", users.normal_login(args.login))
        print(
            f"Đã đổi mật khẩu của {users.normal_login(args.login)}; các phiên cũ đã hết hiệu lực."
        )
        return 0
    with db.transaction(app.sessions) as session:
        if command == "remove":
            if not users.remove_user(session, args.login):
                print(f"Không có người dùng «{args.login}».", file=sys.stderr)
                return 2
            _audit(session, "console_user_removed", users.normal_login(args.login))
            print(f"Đã xóa {users.normal_login(args.login)}.")
            return 0
        rows = [(u.login, u.role) for u in users.list_users(session)]
    for login, role in rows:
        print(f"{login:<20} {_role_word(role)}")
    print(f"({len(rows)} người dùng)")
    return 0


def _role_word(role: UserRole) -> str:
    return "văn phòng" if role is UserRole.OFFICE else "chỉ xem"


def cmd_web(app: App, args: argparse.Namespace) -> int:
    from bot.logs import configure_logging
    from bot.web.server import DEFAULT_LISTEN, serve_forever

    settings = app.settings
    configure_logging(settings.log_level, settings.secrets)
    listen = args.listen or getattr(settings, "web_listen", None) or DEFAULT_LISTEN
    runtime = app.runtime
    with runtime.sessions() as session:
        if not users.list_users(session):
            print(
                "Chưa có ai đăng nhập được: thêm bằng «nhacviec users add TÊN --role office».",
                file=sys.stderr,
            )
    return serve_forever(runtime, listen)


def add_parsers(sub: Any, date_type: Callable[[str], date], today: Callable[[], date]) -> None:
    p = sub.add_parser("web", help="bảng điều khiển web của văn phòng")
    p.add_argument("--listen", default=None, metavar="HOST:CỔNG", help="mặc định 127.0.0.1:8080")
    p.set_defaults(func=cmd_web)

    p = sub.add_parser("users", help="người dùng bảng điều khiển web")
    users_sub = p.add_subparsers(dest="users_command")
    add = users_sub.add_parser("add", help="thêm người dùng (mật khẩu từ stdin hoặc gõ vào)")
    add.add_argument("login")
    add.add_argument("--role", choices=[r.value for r in UserRole], default=UserRole.VIEWER.value)
    passwd = users_sub.add_parser("passwd", help="đổi mật khẩu")
    passwd.add_argument("login")
    remove = users_sub.add_parser("remove", help="xóa người dùng")
    remove.add_argument("login")
    p.set_defaults(func=cmd_users)
