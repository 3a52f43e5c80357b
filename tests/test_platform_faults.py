"""Nothing lost, nobody stalled: the platforms under load, faults and abuse.

Telegram runs offline (python-telegram-bot with a Bot API answered from memory, as
in its own tests), Zalo over the fake Zalo Bot API on loopback; both through the
bot's public seams (``build_telegram``, ``serve``, ``run``, ``ZaloBot``,
``ChatService.handle``).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.access import Sender
from bot.app import build_telegram, serve, telegram_rate_limiter
from bot.limits import Backoff, reply_cap
from bot.runtime import Runtime
from bot.service import SORRY
from bot.zalo.runner import ZaloBot
from data import chat_store, db, outbox, processed_updates
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole, MessageKind
from data.models import AuditEntry, Task, TaskEvent, Unit
from jobs.dispatcher import Dispatcher
from jobs.quota import Quota
from tests.conftest import sample_runtime
from tests.fakes.zalo_server import FakeZaloServer, make_update

NOW = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
BOT = {"id": 42, "is_bot": True, "first_name": "Nhắc việc", "username": "NhacViecBot"}
TOKEN = "42:OFFLINE-token-for-tests"
MENTION = "@Bot Nhắc Việc"


# --------------------------------------------------------------- a Bot API in memory


class FakeBotApi(BaseRequest):
    """The Bot API from memory: getUpdates from a queue, sendMessage refused over 4,096
    characters as Telegram does, ``down`` getMe calls fail as if unreachable,
    ``drop_sends`` sends fail with a network error."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, int, str]] = []  # (monotonic time, chat, text)
        self.calls: list[tuple[float, str]] = []
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.down = 0
        self.drop_sends = 0
        self.update_id = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    def texts(self, chat: int) -> list[str]:
        return [text for _, c, text in self.sent if c == chat]

    def command(self, chat: int, text: str, user_id: int = 7) -> None:
        self.update_id += 1
        self.updates.put_nowait(command(chat, text, self.update_id, user_id))

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        self.calls.append((time.monotonic(), api))
        params = request_data.parameters if request_data else {}
        result: Any = True
        if api == "getMe":
            if self.down > 0:
                self.down -= 1
                raise NetworkError("api.telegram.org unreachable")
            result = BOT
        elif api == "getUpdates":
            result = []
            try:
                first = await asyncio.wait_for(self.updates.get(), 0.05)
            except TimeoutError:
                return 200, json.dumps({"ok": True, "result": []}).encode()
            result = [first]
            while not self.updates.empty():
                result.append(self.updates.get_nowait())
        elif api == "getChatMember":
            user = {"id": int(str(params["user_id"])), "is_bot": False, "first_name": "Lan"}
            result = {"status": "member", "user": user}
        elif api == "sendMessage":
            text = str(params["text"])
            if len(text) > 4096:
                body = {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message is too long",
                }
                return 400, json.dumps(body).encode()
            if self.drop_sends > 0:
                self.drop_sends -= 1
                raise NetworkError("connection reset")
            self.sent.append((time.monotonic(), int(str(params["chat_id"])), text))
            result = {
                "message_id": len(self.sent),
                "date": int(NOW.timestamp()),
                "chat": {"id": int(str(params["chat_id"])), "type": "group", "title": "Chi bộ"},
                "text": text,
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def command(chat: int, text: str, update_id: int, user_id: int = 7) -> dict[str, Any]:
    word = text.split()[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(NOW.timestamp()),
            "chat": {"id": chat, "type": "group", "title": f"Nhóm {chat}"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(word)}],
        },
    }


def bind(runtime: Runtime, channel: str, chat: str, role: ChatRole, unit: str | None) -> None:
    with db.transaction(runtime.sessions) as session:
        row = session.scalar(select(Unit).where(Unit.code == unit)) if unit else None
        chat_store.bind_chat(session, ChatAddress(channel, chat), role, row, NOW)


async def wait_until(predicate: Any, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - polling fakes
            await asyncio.sleep(0.01)


# ------------------------------------------------------------- 7: nobody stalled


async def test_a_busy_group_does_not_stall_another(tmp_path: Path) -> None:
    """20 /start in one group paced at its 20-a-minute limit; another group's /tuannay
    is answered at once, and the busy group's answers keep their order."""
    runtime = sample_runtime(tmp_path, NOW)
    api = FakeBotApi()
    pacing = telegram_rate_limiter(per_group=20, group_period=3.0)  # Telegram's, 20× faster
    app = build_telegram(
        runtime, TOKEN, request=api, get_updates_request=FakeBotApi(), rate_limiter=pacing
    )
    busy, other = -1001, -1002
    await app.initialize()
    await app.start()
    try:
        for n in range(20):
            await app.update_queue.put(Update.de_json(command(busy, f"/start {n}", n + 1), app.bot))
        await app.update_queue.put(Update.de_json(command(other, "/tuannay", 99), app.bot))
        await wait_until(lambda: len(api.sent) == 21, timeout=30)
    finally:
        await app.stop()
        await app.shutdown()
        runtime.engine.dispose()
    order = [chat for _, chat, _ in api.sent]
    assert order.index(other) <= 2, order  # not behind the busy group's 20 answers
    started = api.calls[0][0]
    other_at = next(at for at, chat, _ in api.sent if chat == other)
    assert other_at - started < 1.0
    assert len(api.texts(busy)) == 20


async def test_reading_a_member_status_is_not_paced() -> None:
    """Only what posts into a chat counts against a group's limit."""
    api = FakeBotApi()
    bot = ExtBot(
        TOKEN, request=api, rate_limiter=telegram_rate_limiter(per_group=2, group_period=2.0)
    )
    await bot.initialize()
    try:
        await bot.send_message(-1001, "tin thứ nhất")  # takes the group's slot for 2 s
        started = time.monotonic()
        await bot.get_chat_member(-1001, 7)
        assert time.monotonic() - started < 0.5
    finally:
        await bot.shutdown()


# ------------------------------------------------ 12: long answers, failures after commit


async def test_a_long_answer_arrives_in_parts_and_no_apology_for_what_was_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the adapter's splitting, with the cap on numbers a command takes lifted (a real
    # /done of this size is refused in one message: tests/test_input_bounds.py)
    monkeypatch.setattr("bot.limits.MAX_TASK_NUMBERS", 10_000)
    runtime = sample_runtime(tmp_path, NOW)
    office = -1009
    bind(runtime, "telegram", str(office), ChatRole.ADMIN, None)
    with runtime.sessions() as session:
        numbers = list(session.scalars(select(Task.number)))
    api = FakeBotApi()
    api.drop_sends = 1  # the first part's first try is lost on the way
    app = build_telegram(
        runtime, TOKEN, request=api, get_updates_request=FakeBotApi(), rate_limiter=None
    )
    missing = list(range(9000, 9100))  # unknown numbers: one line each in the answer
    await app.initialize()
    try:
        text = "/done " + ",".join(str(n) for n in numbers + missing)
        await app.process_update(Update.de_json(command(office, text, 1), app.bot))
    finally:
        await app.shutdown()
    parts = api.texts(office)
    assert SORRY not in parts
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    whole = "\n".join(parts)
    assert whole.startswith("✅ Đã ghi nhận hoàn thành")
    assert all(f"#{n}" in whole for n in missing)
    with runtime.sessions() as session:
        done = session.scalars(select(TaskEvent).where(TaskEvent.action == "done")).all()
    assert len(done) >= len(numbers) - 5  # marked (a few sample rows may be done already)
    runtime.engine.dispose()


# --------------------------------------------------------------- 8: the Zalo quota


@pytest.fixture
async def zalo_server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(idle_wait=0.05) as server:
        yield server


async def started(runtime: Runtime, server: FakeZaloServer, **options: Any) -> ZaloBot:
    bot = ZaloBot(
        server.token,
        server.base_url,
        runtime.service(),
        runtime.clock,
        poll_interval=0.01,
        bot_name=MENTION.removeprefix("@"),
        **options,
    )
    await bot.start()
    assert bot.connected.is_set()
    return bot


async def drained(server: FakeZaloServer) -> None:
    """Every queued update was taken and handled (a /help after them is answered)."""
    server.incoming("/help", chat_id="probe")
    await wait_until(lambda: server.pending == 0 and server.texts_to("probe"))
    await asyncio.sleep(0.1)


async def test_a_stranger_is_answered_once_a_day_and_spends_nothing_more(
    tmp_path: Path, zalo_server: FakeZaloServer
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bot = await started(runtime, zalo_server, monthly_quota=60)
    try:
        for _ in range(60):
            zalo_server.incoming("/start", chat_id="stranger")
        await wait_until(lambda: zalo_server.pending == 0)
        await drained(zalo_server)
    finally:
        await bot.stop()
    assert len(zalo_server.texts_to("stranger")) == 1
    with runtime.sessions() as session:
        assert outbox.used(session, "zalo", NOW) == 2  # the stranger's one, the probe's one
    runtime.engine.dispose()


async def test_replies_stop_at_the_reserve_and_reminders_still_go(
    tmp_path: Path, zalo_server: FakeZaloServer
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bind(runtime, "zalo", "zg-hcqt", ChatRole.UNIT, "hcqt")
    bind(runtime, "zalo", "office", ChatRole.ADMIN, None)
    zalo_server.add_group("zg-hcqt", seen=True)
    zalo_server.add_private("office")
    monthly = 6
    assert reply_cap(monthly) == 4  # a third kept for reminders
    alerts: list[str] = []

    async def alert(text: str, key: str) -> None:
        alerts.append(text)

    bot = await started(runtime, zalo_server, monthly_quota=monthly, alert=alert)
    try:
        for _ in range(6):
            zalo_server.incoming(f"{MENTION} /tuannay", chat_id="zg-hcqt", group=True)
        await wait_until(lambda: zalo_server.pending == 0)
        await asyncio.sleep(0.3)
        assert len(zalo_server.texts_to("zg-hcqt")) == 4
        assert alerts and "tạm ngừng trả lời lệnh" in alerts[0]
        with db.transaction(runtime.sessions) as session:
            outbox.enqueue(
                session,
                [outbox.Outgoing("zalo", "zg-hcqt", MessageKind.DIGEST, NOW.date(), "tin nhắc")],
                NOW,
            )
        dispatcher = Dispatcher(
            runtime.sessions,
            {"zalo": bot.channel},
            clock=lambda: NOW,
            quotas={"zalo": Quota(monthly)},
        )
        report = await dispatcher.run_once()
    finally:
        await bot.stop()
    assert len(report.sent) == 1
    assert zalo_server.texts_to("zg-hcqt")[-1] == "tin nhắc"
    with runtime.sessions() as session:
        assert outbox.used(session, "zalo", NOW) == 5 <= monthly
    runtime.engine.dispose()


async def test_concurrent_replies_never_pass_the_cap(
    tmp_path: Path, zalo_server: FakeZaloServer
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bot = ZaloBot(
        zalo_server.token, zalo_server.base_url, runtime.service(), runtime.clock, monthly_quota=9
    )
    for n in range(12):
        bind(runtime, "zalo", f"zg-{n}", ChatRole.ADMIN, None)
        zalo_server.add_group(f"zg-{n}", seen=True)
    updates = [make_update("/tiendo", chat_id=f"zg-{n}", chat_type="GROUP") for n in range(12)]
    try:
        from bot.zalo.client import ZaloUpdate

        await asyncio.gather(*(bot.intake.handle(ZaloUpdate.from_dict(u)) for u in updates))
    finally:
        await bot.client.aclose()
    assert len(zalo_server.sent) == reply_cap(9) == 6
    with runtime.sessions() as session:
        assert outbox.used(session, "zalo", NOW) == 6
    runtime.engine.dispose()


# ------------------------------------------------------ 10: processed, even after a restart


async def test_an_update_handed_out_again_after_a_restart_does_nothing(
    tmp_path: Path, zalo_server: FakeZaloServer
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bind(runtime, "zalo", "zg-hcqt", ChatRole.UNIT, "hcqt")
    with runtime.sessions() as session:
        quarter = session.scalar(select(Task.number).where(Task.deadline_raw == "Quý II/2026"))
    bot = await started(runtime, zalo_server)
    try:
        zalo_server.incoming(f"{MENTION} /done {quarter}", chat_id="zg-hcqt", group=True)
        reopen = zalo_server.incoming(f"{MENTION} /mo {quarter}", chat_id="zg-hcqt", group=True)
        zalo_server.incoming(f"{MENTION} /done {quarter}", chat_id="zg-hcqt", group=True)
        await wait_until(lambda: len(zalo_server.texts_to("zg-hcqt")) == 3)
    finally:
        await bot.stop()
    bot = await started(runtime, zalo_server)  # the process restarted: nothing in memory
    try:
        assert reopen is not None
        zalo_server.replay(reopen)  # Zalo hands the old /mo out again
        await drained(zalo_server)
    finally:
        await bot.stop()
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == quarter))
        assert task is not None and task.status == "done"
        reopened = session.scalars(select(TaskEvent).where(TaskEvent.action == "reopened")).all()
    assert len(reopened) == 1
    assert len(zalo_server.texts_to("zg-hcqt")) == 3
    runtime.engine.dispose()


def test_processed_updates_are_kept_once_and_pruned(sessions: sessionmaker[Session]) -> None:
    old, recent = NOW - timedelta(days=30), NOW - timedelta(hours=1)
    with db.transaction(sessions) as session:
        assert processed_updates.mark_processed(session, "zalo", "m-old", old)
        assert processed_updates.mark_processed(session, "zalo", "m-new", recent)
        assert not processed_updates.mark_processed(session, "zalo", "m-new", NOW)
        assert processed_updates.mark_processed(session, "telegram", "m-new", NOW)  # per channel
    with db.transaction(sessions) as session:
        assert processed_updates.prune(session, NOW) == 1
    with db.transaction(sessions) as session:
        assert not processed_updates.mark_processed(session, "zalo", "m-new", NOW)
        assert processed_updates.mark_processed(session, "zalo", "m-old", NOW)  # forgotten


# ---------------------------------------------------------- 11: attempts and connections


def test_registration_attempts_are_limited_per_chat_and_per_person(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    now = [NOW]
    runtime.clock = lambda: now[0]
    service = runtime.service()

    def attempt(chat: str, user: str = "u1") -> str:
        sender = Sender("telegram", chat, user, "Lan")
        reply = service.handle(sender, "/dangky SAIMA123")
        assert reply is not None
        return reply.text

    answers = [attempt("-1") for _ in range(30)]
    assert all("Mã không đúng" in a for a in answers[:5])
    assert all("thử mã quá nhiều lần" in a for a in answers[5:])
    with runtime.sessions() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert actions.count("register_refused") == 5
    assert actions.count("register_limited") == 1  # one row for the run, not one per try
    assert "thử mã quá nhiều lần" in attempt("-1", "u2")  # the chat is locked for everyone
    now[0] = NOW + timedelta(minutes=11)
    assert "Mã không đúng" in attempt("-1")  # lifted on time
    # one person moving from chat to chat: 10 an hour
    later = [attempt(f"-{100 + n}", "roamer") for n in range(11)]
    assert all("Mã không đúng" in a for a in later[:10])
    assert "thử mã quá nhiều lần" in later[10]
    runtime.engine.dispose()


# ------------------------------------------------------- 9: each platform on its own


@pytest.fixture
def fast_backoff() -> Backoff:
    return Backoff(first=0.05, cap=0.2)


async def run_serve(runtime: Runtime, **parts: Any) -> tuple[asyncio.Task[None], asyncio.Event]:
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(runtime, stop=stop, ready=ready, **parts))
    async with asyncio.timeout(10):
        waiting = asyncio.ensure_future(ready.wait())
        await asyncio.wait([waiting, task], return_when=asyncio.FIRST_COMPLETED)
    assert not task.done(), task.exception()
    return task, stop


async def test_zalo_down_at_start_leaves_telegram_serving(
    tmp_path: Path, zalo_server: FakeZaloServer, fast_backoff: Backoff
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bind(runtime, "telegram", "-1009", ChatRole.ADMIN, None)
    zalo_server.fail_next("getMe", error_code=502, times=4)  # Zalo down for a while
    api = FakeBotApi()
    app = build_telegram(runtime, TOKEN, request=api, get_updates_request=api, rate_limiter=None)
    zalo = ZaloBot(
        zalo_server.token,
        zalo_server.base_url,
        runtime.service(),
        runtime.clock,
        poll_interval=0.01,
    )
    task, stop = await run_serve(runtime, app=app, zalo=zalo, backoff=fast_backoff)
    try:
        api.command(-1009, "/tiendo")
        await wait_until(lambda: any("Tiến độ" in t for t in api.texts(-1009)))
        await asyncio.wait_for(zalo.connected.wait(), 5)  # Zalo retried on its own
        zalo_server.incoming("/help", chat_id="someone")
        await wait_until(lambda: zalo_server.texts_to("someone"))
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    with runtime.sessions() as session:
        alerts = [r for r in outbox.listing(session) if r.kind == MessageKind.ALERT]
    assert len(alerts) == 1 and "Zalo chưa kết nối được" in alerts[0].text
    # the office was told once, through the platform that works
    assert [t for t in api.texts(-1009) if "Zalo chưa kết nối" in t] == [alerts[0].text]
    runtime.engine.dispose()


async def test_telegram_down_at_start_retries_while_zalo_serves(
    tmp_path: Path, zalo_server: FakeZaloServer, fast_backoff: Backoff
) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    bind(runtime, "zalo", "office", ChatRole.ADMIN, None)
    zalo_server.add_private("office")
    api = FakeBotApi()
    api.down = 3  # api.telegram.org unreachable for the first attempts
    app = build_telegram(runtime, TOKEN, request=api, get_updates_request=api, rate_limiter=None)
    zalo = ZaloBot(
        zalo_server.token,
        zalo_server.base_url,
        runtime.service(),
        runtime.clock,
        poll_interval=0.01,
    )
    task, stop = await run_serve(runtime, app=app, zalo=zalo, backoff=fast_backoff)
    try:
        zalo_server.incoming("/help", chat_id="someone")
        await wait_until(lambda: zalo_server.texts_to("someone"))
        # told on Zalo (the catch-up's dispatch sent the alert)
        await wait_until(
            lambda: any("Telegram chưa kết nối" in t for t in zalo_server.texts_to("office"))
        )
        api.command(-1001, "/help")
        await wait_until(lambda: api.texts(-1001), timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert api.down == 0
    runtime.engine.dispose()


# ----------------------------------------------------------- 14: a rejected token at start


class _Revoked(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def revoked_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Revoked)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    finally:
        server.shutdown()
        server.server_close()


def test_nhacviec_run_with_a_revoked_token_says_one_line_and_exits_1(
    revoked_api: str, tmp_path: Path
) -> None:
    token = "7004215893:AAHq3vXcE9LmPz0bK2sYtR8uWn4oJdFgQ1a"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NHACVIEC_", "ZALO_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": revoked_api,
        "NHACVIEC_DATA_DIR": str(tmp_path),
        "PYTHONIOENCODING": "utf-8",
    }
    code = """
        from bot.app import run
        from bot.settings import Settings
        raise SystemExit(run(Settings(_env_file=None)))
        """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Token Telegram không hợp lệ hoặc đã bị thu hồi"), result.stderr
    assert "Traceback" not in result.stderr
    assert token.split(":", 1)[1] not in result.stderr + result.stdout
