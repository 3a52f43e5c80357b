"""The no-token demo: a fresh store, the sample plan, this morning's digests, then a chat.

It shows the product working on a machine with nothing configured: the plan is
imported (with its review), each unit gets a console "group", the morning scan
runs through the real outbox and dispatcher, and the newcomer can type commands
as a member of a group (`/tuannay`, `/done 3`, `@ktvx /quahan` to switch group)
and read the same answers Telegram or Zalo would show.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TextIO

from bot.access import Sender
from bot.commands.table import Access
from bot.review import proposal_lines, review_text
from bot.runtime import Runtime
from bot.service import Commands
from bot.settings import Settings
from bot.web.server import demo_console
from data import chat_store, db, revisions, store
from data.clock import VN_TZ
from data.domain import ChannelName, ChatAddress, ChatRole
from data.importers import load_document, read_file
from jobs.channels import ConsoleChannel
from jobs.compose import day_label
from jobs.dispatcher import Dispatcher
from jobs.scan import run_scan

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE_PLAN = SAMPLES / "ke_hoach_mau.txt"
SAMPLE_NOTICE = SAMPLES / "thong_bao_mau.txt"  # tasks in sentences: proposals to accept
OFFICE = "vanphong"
INTRO = """
──────── Thử trò chuyện với bot ────────
Bạn đang ở nhóm của {unit}. Gõ lệnh như trong nhóm chat, ví dụ:
  {examples}
Đổi nhóm: gõ @mã-đơn-vị trước lệnh ({codes}, hoặc @{office} cho nhóm văn phòng),
ví dụ: @ktvx /quahan. Thoát: Ctrl-D hoặc gõ «thoát»."""


def _prepare(runtime: Runtime, today: date) -> tuple[str, int]:
    """Import the sample plan and bind one console group per unit; (review, a task number)."""
    now = runtime.clock()
    with db.transaction(runtime.sessions) as session:
        store.ensure_default_units(session)  # the sample office's units: the demo's own
        registry = store.load_registry(session)
        loaded = read_file(SAMPLE_PLAN)
        parsed = load_document(loaded, registry, doc_date=None, today=today)
        outcome = revisions.save_document(
            session,
            parsed,
            key="ke-hoach-mau",
            source_name=SAMPLE_PLAN.name,
            sha256=loaded.sha256,
            now=now,
        )
        notice = read_file(SAMPLE_NOTICE)
        proposals = load_document(notice, registry, doc_date=None, today=today)
        noted = revisions.save_document(
            session,
            proposals,
            key="thong-bao-mau",
            source_name=SAMPLE_NOTICE.name,
            sha256=notice.sha256,
            now=now,
        )
        for unit in store.list_units(session):
            address = ChatAddress(ChannelName.CONSOLE, unit.code)
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
        office = ChatAddress(ChannelName.CONSOLE, OFFICE)
        chat_store.bind_chat(session, office, ChatRole.ADMIN, None, now)
    with runtime.sessions() as session:
        views = store.task_views(session)
    # an open, dated task of the first group, to suggest "/done <number>" with
    mine = [v for v in views if v.units[:1] == ("hcqt",) and v.due and v.done_on is None]
    example = min(mine, key=lambda v: abs((v.due or today) - today)).number if mine else 1
    review = review_text(parsed, registry, outcome, dry_run=False)
    shown = "\n".join(proposal_lines(proposals, registry, noted)).rstrip()
    return f"{review}\n\nThông báo mẫu ({SAMPLE_NOTICE.name}): {shown}", example


def _morning(runtime: Runtime, morning: date, out: TextIO) -> None:
    now = runtime.clock()
    with db.transaction(runtime.sessions) as session:
        result = run_scan(session, morning, now, runtime.calendar, runtime.settings.policy)
    out.write(
        f"Sáng {day_label(morning)}: {len(result.queued)} tin vào hàng đợi, gửi ra màn hình:\n"
    )
    dispatcher = Dispatcher(runtime.sessions, {"console": ConsoleChannel(out)}, clock=lambda: now)
    report = asyncio.run(dispatcher.run_once(limit=500))
    out.write(f"\nĐã gửi {len(report.sent)} tin.\n")


def command_examples(commands: Commands, number: int) -> str:
    """The commands a member can try, from the command table ("/done 6" for "/done <số>")."""
    examples = []
    for spec in commands:
        word, *rest = spec.usage.split()
        needed = [r for r in rest if not (r.startswith("[") or r.endswith("]"))]
        if spec.access is not Access.REGISTERED or any(r != "<số>" for r in needed):
            continue  # the ones a newcomer can type as they are (the rest: /help)
        examples.append(f"{word} {number}" if needed else word)
    return "   ".join([*examples, "/help"])


def unit_codes(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return [u.code for u in store.load_registry(session).units]


def chat_loop(
    runtime: Runtime, groups: list[str], lines: TextIO, out: TextIO, group: str = "hcqt"
) -> None:
    """Each line is a message typed in the current group; answers are printed."""
    service = runtime.service()
    listing = ", ".join(f"@{g}" for g in groups)
    while True:
        out.write(f"[{group}]> ")
        out.flush()
        line = lines.readline()
        if line and not lines.isatty():
            out.write(line if line.endswith("\n") else line + "\n")  # show piped input
        if not line or line.strip().lower() in {"thoát", "thoat", "exit", "quit"}:
            out.write("\nTạm biệt.\n")
            return
        text = line.strip()
        if text.startswith("@"):
            target, _, text = text[1:].partition(" ")
            if target in groups:
                group = target
            else:
                out.write(f"Không có nhóm @{target}. Các nhóm: {listing}\n")
                continue
        if not text:
            continue
        sender = Sender("console", group, "demo", "Bạn (chạy thử)")
        reply = service.handle(sender, text)
        if reply is None:
            out.write("(bot chỉ trả lời lệnh bắt đầu bằng /, ví dụ /help)\n")
            continue
        out.write(reply.text + "\n")
        if reply.buttons:
            out.write("  ".join(f"[{b.label}]" for b in reply.buttons) + "\n")


def run_demo(
    settings: Settings, today: date, lines: TextIO | None = None, out: TextIO | None = None
) -> int:
    lines = lines or sys.stdin
    out = out or sys.stdout
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            runtime = Runtime.open(settings, engine)
            morning = runtime.calendar.next_working_day_on_or_after(today)
            moment = datetime.combine(morning, time(7, 30), VN_TZ).astimezone(UTC)
            runtime.clock = lambda: moment
            review, example = _prepare(runtime, today)
            out.write("nhacviec — chạy thử (chưa có TELEGRAM_BOT_TOKEN): kế hoạch mẫu\n\n")
            out.write(review + "\n\n")
            if morning != today:
                out.write(f"Hôm nay ({day_label(today)}) là ngày nghỉ. ")
            _morning(runtime, morning, out)
            units = unit_codes(runtime)
            codes = ", ".join(f"@{code}" for code in units)
            out.write(
                INTRO.format(
                    unit="Chi bộ Hành chính – Quản trị",
                    examples=command_examples(runtime.service().commands, example),
                    codes=codes,
                    office=OFFICE,
                )
                + "\n"
            )
            console = demo_console(runtime, settings.web_listen, out)
            try:
                chat_loop(runtime, [*units, OFFICE], lines, out)
            finally:
                console.stop()
        finally:
            engine.dispose()
    return 0
