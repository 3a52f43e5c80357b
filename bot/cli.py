"""`nhacviec` — the office's command line. Reads the clock and settings here, at the edge.

Light on purpose: ``nhacviec --help`` and ``nhacviec deadline …`` start in about the
time it takes to import SQLAlchemy (``benchmarks/bench_cli_startup.py``). Each command
lives in a module of its own (``COMMANDS``), imported only when that command runs;
the settings, the store and the bot's runtime are made on first use by the command.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from data.clock import VN_TZ

# command → (the module that defines it with ``add_parsers(sub, _date, today)``, help)
COMMANDS: dict[str, tuple[str, str]] = {
    "deadline": ("bot.cli_deadline", "đọc một cụm thời hạn"),
    "import": ("bot.cli_store", "nhập kế hoạch (.txt, .docx, .xlsx)"),
    "units": ("bot.cli_store", "đơn vị và tên gọi khác"),
    "admin": ("bot.cli_store", "quản trị: người dùng và nhóm văn phòng"),
    "tasks": ("bot.cli_store", "danh sách nhiệm vụ; tasks confidential <số> on|off"),
    "scan": ("bot.cli_morning", "tin nhắn buổi sáng của một ngày"),
    "simulate": ("bot.cli_morning", "xem trước các buổi sáng trong một khoảng ngày"),
    "outbox": ("bot.cli_morning", "hàng đợi tin nhắn: chờ gửi, đã gửi, tạm dừng"),
    "dispatch": ("bot.cli_morning", "gửi ngay các tin đến hạn (không có token: in ra màn hình)"),
    "chats": ("bot.cli_morning", "nhóm chat của đơn vị, văn phòng, giám sát"),
    "zalo": ("bot.cli_zalo", "Zalo: xem/mở lại khi tạm ngừng vì hết hạn mức gói"),
    "done": ("bot.cli_office", "báo hoàn thành thay đơn vị"),
    "reopen": ("bot.cli_office", "mở lại phần việc đã báo xong"),
    "extend": ("bot.cli_office", "gia hạn (văn phòng)"),
    "approve": ("bot.cli_office", "duyệt đề nghị gia hạn của đơn vị"),
    "refuse": ("bot.cli_office", "từ chối đề nghị gia hạn (cần lý do)"),
    "confirm": ("bot.cli_office", "xác nhận việc đơn vị báo hoàn thành"),
    "sendback": ("bot.cli_office", "trả lại việc đơn vị báo hoàn thành (cần lý do)"),
    "files": ("bot.cli_office", "tệp đơn vị đã nộp: xoá tệp của nhiệm vụ đã gỡ"),
    "report": ("bot.cli_report", "báo cáo theo bốn trạng thái (JSON hoặc .xlsx)"),
    "web": ("bot.cli_web", "bảng điều khiển web của văn phòng"),
    "users": ("bot.cli_web", "người dùng bảng điều khiển web"),
    "backup": ("bot.cli_ops", "sao lưu cơ sở dữ liệu vào một tệp"),
    "restore": ("bot.cli_ops", "khôi phục cơ sở dữ liệu từ tệp sao lưu (ghi đè)"),
    "migrate": ("bot.cli_store", "tạo/cập nhật cơ sở dữ liệu"),
    "run": ("bot.cli_store", "chạy bot (không có token: chạy thử với kế hoạch mẫu)"),
}
DESCRIPTION = "Nhắc việc cho chi bộ, đảng bộ."


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày phải có dạng YYYY-MM-DD: «{value}»") from exc


def today() -> date:
    return datetime.now(VN_TZ).date()


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _parser(modules: Sequence[str]) -> argparse.ArgumentParser:
    """The parser with the full definitions of ``modules``' commands; every other
    command is listed by name and help only (its module is not imported)."""
    parser = argparse.ArgumentParser(prog="nhacviec", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in dict.fromkeys(modules):
        importlib.import_module(module).add_parsers(sub, _date, today)
    defined = set(sub.choices)
    for name, (_module, text) in COMMANDS.items():
        if name not in defined:
            sub.add_parser(name, help=text, add_help=False)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """Every command, fully defined (imports every command module)."""
    return _parser([module for module, _text in COMMANDS.values()])


def _command_of(argv: Sequence[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


class _App:
    """What every command receives: the runtime handle (``bot.runtime.LazyRuntime``),
    made with the settings on the first attribute a command asks for."""

    def __init__(self) -> None:
        self._real: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._real is None:
            from bot.runtime import LazyRuntime
            from bot.settings import Settings

            self._real = LazyRuntime(Settings())
        return getattr(self._real, name)

    def close(self) -> None:
        if self._real is not None:
            self._real.close()


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(argv)
    known = COMMANDS.get(command or "")
    args = _parser([known[0]] if known else []).parse_args(argv)
    app = _App()
    try:
        return int(args.func(app, args))
    finally:
        app.close()


def __getattr__(name: str) -> Any:
    """``bot.cli.cmd_import`` and the like, where callers knew them: from their module."""
    if name.startswith("__"):  # ``from bot.cli import x`` asks for ``__path__``
        raise AttributeError(name)
    for module in dict.fromkeys(m for m, _text in COMMANDS.values()):
        found = getattr(importlib.import_module(module), name, None)
        if found is not None:
            return found
    raise AttributeError(name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
