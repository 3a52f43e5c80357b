"""The no-token demo: a fresh store, the sample plan, this morning's digests, then a chat.

It shows the product working on a machine with nothing configured: the plan is
imported (with its review), each unit gets a console "group", the morning scan
runs through the real outbox and dispatcher, and the newcomer can type commands
as a member of a group (`/tuannay`, `/done 3`, `@ktvx /quahan` to switch group)
and read the same answers Telegram or Zalo would show. What a command or the web
console queues for another group (an extension request for the office, its approval
for the unit) is printed as it is sent.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import threading
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
from data import chat_store, db, revisions, scan_views, unit_store
from data.clock import VN_TZ
from data.domain import ChannelName, ChatAddress, ChatRole
from data.importers import load_document, read_file
from jobs.channels import ConsoleChannel
from jobs.compose import day_label
from jobs.dispatcher import Dispatcher
from jobs.scan import run_scan

log = logging.getLogger(__name__)
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
        unit_store.ensure_default_units(session)  # the sample office's units: the demo's own
        registry = unit_store.load_registry(session)
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
        for unit in unit_store.list_units(session):
            address = ChatAddress(ChannelName.CONSOLE, unit.code)
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, now)
        office = ChatAddress(ChannelName.CONSOLE, OFFICE)
        chat_store.bind_chat(session, office, ChatRole.ADMIN, None, now)
    with runtime.sessions() as session:
        views = scan_views.task_views(session)
    # an open, dated task of the first group, to suggest "/done <number>" with
    mine = [v for v in views if v.units[:1] == ("hcqt",) and v.due and v.done_on is None]
    example = min(mine, key=lambda v: abs((v.due or today) - today)).number if mine else 1
    review = review_text(parsed, registry, outcome, dry_run=False)
    shown = "\n".join(proposal_lines(proposals, registry, noted)).rstrip()
    return f"{review}\n\nThông báo mẫu ({SAMPLE_NOTICE.name}): {shown}", example


class Postman:
    """Sends what waits in the outbox to the terminal: after each command typed, and every
    second for what the web console queued (an approval reaches the unit's group), so
    the round trip request → office → decision → unit shows as it happens."""

    def __init__(self, runtime: Runtime, out: TextIO) -> None:
        self.runtime, self.out = runtime, out
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def deliver(self) -> int:
        """Send what is due now; how many went out."""
        with self._lock:
            clock = self.runtime.clock
            channel = ConsoleChannel(self.out)
            dispatcher = Dispatcher(self.runtime.sessions, {"console": channel}, clock=clock)
            report = asyncio.run(dispatcher.run_once(limit=500))
            return len(report.sent)

    def start(self, every: float = 1.0) -> None:
        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    self.deliver()
                except Exception:  # the store closing as the demo ends; the next try says
                    log.debug("demo delivery failed", exc_info=True)

        self._thread = threading.Thread(target=loop, name="demo-postman", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def _morning(runtime: Runtime, morning: date, postman: Postman, out: TextIO) -> None:
    now = runtime.clock()
    with db.transaction(runtime.sessions) as session:
        result = run_scan(session, morning, now, runtime.calendar, runtime.settings.policy)
    out.write(
        f"Sáng {day_label(morning)}: {len(result.queued)} tin vào hàng đợi, gửi ra màn hình:\n"
    )
    sent = postman.deliver()
    out.write(f"\nĐã gửi {sent} tin.\n")


def users_hint(url: str) -> str:
    """How to add a console user to the demo's own store (not the default one)."""
    return (
        "  Thêm người dùng vào kho của bản chạy thử này (từ một cửa sổ lệnh khác):\n"
        f"    NHACVIEC_DATABASE_URL={url} nhacviec users add lan --role office\n"
        f"    NHACVIEC_DATABASE_URL={url} nhacviec users list"
    )


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
        return [u.code for u in unit_store.load_registry(session).units]


def chat_loop(
    runtime: Runtime,
    groups: list[str],
    lines: TextIO,
    out: TextIO,
    group: str = "hcqt",
    postman: Postman | None = None,
) -> None:
    """Each line is a message typed in the current group; answers are printed, then what
    the command queued for other groups (an extension request reaches the office)."""
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
        if postman is not None:
            postman.deliver()


def run_demo(
    settings: Settings, today: date, lines: TextIO | None = None, out: TextIO | None = None
) -> int:
    lines = lines or sys.stdin
    out = out or sys.stdout
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        url = f"sqlite:///{(Path(folder) / 'demo.sqlite3').as_posix()}"
        engine = db.make_engine(url)
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
            postman = Postman(runtime, out)
            _morning(runtime, morning, postman, out)
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
            out.write(users_hint(url) + "\n")
            postman.start()
            try:
                chat_loop(runtime, [*units, OFFICE], lines, out, postman=postman)
            finally:
                postman.stop()
                console.stop()
        finally:
            engine.dispose()
    return 0
