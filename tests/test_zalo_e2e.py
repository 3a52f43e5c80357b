"""nhacviec on Zalo end to end, over the fake Zalo Bot API (real HTTP on loopback).

The real ZaloBot (client, poller or webhook, intake) feeds the same ChatService as
Telegram; digests go through the outbox, the dispatcher and ZaloChannel.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import web_server
from bot.runtime import Runtime
from bot.zalo.runner import ZaloBot
from data import db
from data import outbox as quota
from data.chat_store import issue_code
from data.clock import VN_TZ
from data.domain import ChatAddress
from data.models import Task, TaskEvent, Unit
from tests.conftest import sample_runtime
from tests.fakes.zalo_server import FakeZaloServer, make_update, post_webhook

TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
GROUP = "zg-hcqt"
BOT_NAME = "Bot Nhắc Việc"  # the office's setting; a Zalo bot's name starts with "Bot"
BOT = f"@{BOT_NAME}"


@dataclass
class ZaloOffice:
    server: FakeZaloServer
    runtime: Runtime
    bot: ZaloBot

    def code(self, unit: str, valid: timedelta = timedelta(days=3)) -> str:
        with db.transaction(self.runtime.sessions) as session:
            row = session.scalar(select(Unit).where(Unit.code == unit))
            return issue_code(session, role="unit", unit=row, now=TUESDAY, valid=valid)

    def number(self, raw: str) -> int:
        with self.runtime.sessions() as session:
            task = session.scalar(select(Task).where(Task.deadline_raw == raw))
            assert task is not None
            return task.number

    async def wait_for(self, chat: str, count: int, timeout: float = 5.0) -> list[str]:
        async with asyncio.timeout(timeout):
            while len(self.server.texts_to(chat)) < count:  # noqa: ASYNC110 - polling a fake
                await asyncio.sleep(0.02)
        return self.server.texts_to(chat)

    async def say(self, text: str, chat: str = GROUP) -> str:
        before = len(self.server.texts_to(chat))
        self.server.incoming(text, chat_id=chat, group=True)
        return (await self.wait_for(chat, before + 1))[-1]


def make_runtime(tmp_path: Path, plan: bytes | None = None) -> Runtime:
    return sample_runtime(tmp_path, TUESDAY, plan)


@pytest.fixture
async def zalo(tmp_path: Path) -> AsyncIterator[ZaloOffice]:
    async with FakeZaloServer(idle_wait=0.05) as server:
        runtime = make_runtime(tmp_path)
        bot = ZaloBot(
            server.token,
            server.base_url,
            runtime.service(),
            runtime.clock,
            poll_interval=0.01,
            bot_name=BOT_NAME,
        )
        await bot.start()
        try:
            yield ZaloOffice(server, runtime, bot)
        finally:
            await bot.stop()
            runtime.engine.dispose()


async def test_register_week_and_done_with_mentions(zalo: ZaloOffice) -> None:
    reply = await zalo.say(f"{BOT} /dangky {zalo.code('hcqt')}")
    assert "Đã đăng ký nhóm này cho Chi bộ Hành chính – Quản trị" in reply
    week = await zalo.say(f"/tuannay {BOT}")  # the mention behind
    assert "Việc đến hạn tuần này" in week
    quarter = zalo.number("Quý II/2026")
    done = await zalo.say(f"{BOT} /done {quarter}")  # the mention in front
    assert "Đã ghi nhận hoàn thành" in done
    typed_with_diacritics = await zalo.say(f"{BOT}  /tuầnnày")
    assert "Việc đến hạn tuần này" in typed_with_diacritics


async def test_a_failure_inside_still_gets_an_answer(
    zalo: ZaloOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(zalo.bot.intake.service, "handle", broken)
    assert "đang gặp sự cố" in await zalo.say(f"{BOT} /tuannay")


async def test_a_replayed_update_is_processed_once(zalo: ZaloOffice) -> None:
    await zalo.say(f"{BOT} /dangky {zalo.code('hcqt')}")
    quarter = zalo.number("Quý II/2026")
    await zalo.say(f"{BOT} /done {quarter}")
    replies = len(zalo.server.texts_to(GROUP))
    zalo.server.replay()  # Zalo hands the consumed /done back on a later poll
    zalo.server.replay()
    await zalo.say(f"{BOT} /help")  # something after it, to know the replays were polled
    assert len(zalo.server.texts_to(GROUP)) == replies + 1
    with zalo.runtime.sessions() as session:
        done_events = session.scalar(
            select(func.count()).select_from(TaskEvent).where(TaskEvent.action == "done")
        )
    assert done_events == 1


def long_plan() -> bytes:
    header = "PHỤ LỤC 3\n\nTT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian\n"
    rows = []
    for i in range(1, 41):
        due = f"ngày {1 + i % 14:02d}/06/2026" if i % 2 else f"ngày {20 + i % 10}/06/2026"
        title = (
            f"Nhiệm vụ số {i}: rà soát, tổng hợp, báo cáo kết quả thực hiện nghị quyết "
            "chuyên đề của Đảng ủy cơ quan năm 2026"
        )
        rows.append(f"{i}\t{title}\tChi bộ Hành chính – Quản trị\t{due}")
    return (header + "\n".join(rows) + "\n").encode()


async def test_a_long_digest_arrives_whole_in_parts(tmp_path: Path) -> None:
    async with FakeZaloServer(idle_wait=0.05) as server:
        runtime = make_runtime(tmp_path, long_plan())
        bot = ZaloBot(
            server.token, server.base_url, runtime.service(), runtime.clock, bot_name=BOT_NAME
        )
        office = ZaloOffice(server, runtime, bot)
        await bot.start()
        try:
            await office.say(f"{BOT} /dangky {office.code('hcqt')}")
            before = len(server.texts_to(GROUP))
            result = await runtime.morning({"zalo": bot.channel}).scan()
            digest = next(m.text for m in result.messages if m.kind == "digest")
            assert len(digest) > 2000
            parts = server.texts_to(GROUP)[before:]
            assert len(parts) >= 2
            assert all(len(p) <= 2000 for p in parts)
            assert "\n".join(parts) == digest  # cut at line ends, nothing lost, in order
            with runtime.sessions() as session:
                assert quota.used(session, "zalo", TUESDAY) == len(server.sent)
        finally:
            await bot.stop()
            runtime.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("with_console", [False, True])
async def test_webhook_mode_and_a_wrong_secret(tmp_path: Path, with_console: bool) -> None:
    """The webhook is a route of the console's app under uvicorn (alone on its own
    address when no console is configured)."""
    secret = "s3cret-webhook-token"
    port = free_port()
    url = f"http://127.0.0.1:{port}/zalo/webhook"
    listen = f"127.0.0.1:{port}"
    async with FakeZaloServer(idle_wait=0.05) as server:
        runtime = sample_runtime(
            tmp_path,
            TUESDAY,
            web_listen=listen if with_console else None,
            zalo_webhook_listen=listen,
        )
        bot = ZaloBot(
            server.token,
            server.base_url,
            runtime.service(),
            runtime.clock,
            mode="webhook",
            webhook=(url, secret),
            bot_name=BOT_NAME,
        )
        console = web_server(runtime, bot, lambda: None)
        assert console is not None
        office = ZaloOffice(server, runtime, bot)
        assert await console.start()
        await bot.start()
        try:
            assert server.webhook_url == url
            server.add_group(GROUP, seen=True)
            update = make_update(
                f"{BOT} /dangky {office.code('hcqt')}", chat_id=GROUP, chat_type="GROUP"
            )
            wrong = await post_webhook(url, update, "not-the-secret")
            missing = await post_webhook(url, update, None)
            assert wrong.status_code in (401, 403)
            assert missing.status_code in (401, 403)
            await asyncio.sleep(0.1)
            assert server.texts_to(GROUP) == []  # refused: nothing handled
            ok = await server.post_webhook(update, wrapped=True)
            assert ok.status_code == 200
            texts = await office.wait_for(GROUP, 1)
            assert "Đã đăng ký" in texts[0]
            again = await server.post_webhook(update)  # a replay, bare this time
            assert again.status_code == 200
            await asyncio.sleep(0.1)
            assert len(server.texts_to(GROUP)) == 1
            async with httpx.AsyncClient(trust_env=False) as http:
                login = await http.get(f"http://{listen}/login")
            assert login.status_code == (200 if with_console else 404)
        finally:
            await bot.stop()
            await console.stop()
            runtime.engine.dispose()


async def test_quota_holds_messages_and_tells_the_office(zalo: ZaloOffice) -> None:
    from data import outbox
    from jobs.dispatcher import Dispatcher
    from jobs.quota import Quota

    await zalo.say(f"{BOT} /dangky {zalo.code('hcqt')}")
    with db.transaction(zalo.runtime.sessions) as session:
        quota.record_sent(session, "zalo", TUESDAY, 9)  # 10 of 10 used after the reply above
        outbox.enqueue(
            session,
            [outbox.Outgoing("zalo", GROUP, "digest", TUESDAY.date(), "tin nhắc")],
            TUESDAY,
        )
    clock: Callable[[], datetime] = lambda: TUESDAY  # noqa: E731
    sent_before = len(zalo.server.sent)
    dispatcher = Dispatcher(
        zalo.runtime.sessions,
        {"zalo": zalo.bot.channel},
        clock=clock,
        admin_chat=ChatAddress("zalo", "office"),
        quotas={"zalo": Quota(10)},
    )
    report = await dispatcher.run_once()
    assert report.sent == [] and len(report.retried) == 1
    assert len(zalo.server.sent) == sent_before  # nothing sent over the cap
    with zalo.runtime.sessions() as session:
        rows = outbox.listing(session)
    held = next(r for r in rows if r.kind == "digest")
    assert held.status == "pending"  # kept, not dropped
    assert held.next_attempt_at.astimezone(VN_TZ).date().isoformat() == "2026-07-01"
    alert = next(r for r in rows if r.kind == "alert")
    assert "hết 10 tin" in alert.text


@pytest.mark.parametrize("can_join", [True, False])
async def test_can_join_groups_is_checked_at_start(
    tmp_path: Path, can_join: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.zalo.runner")
    async with FakeZaloServer(idle_wait=0.05, can_join_groups=can_join) as server:
        runtime = make_runtime(tmp_path)
        bot = ZaloBot(
            server.token, server.base_url, runtime.service(), runtime.clock, bot_name=BOT_NAME
        )
        await bot.start()
        try:
            assert bot.connected.is_set()  # Zalo still runs (private chats work)
        finally:
            await bot.stop()
            runtime.engine.dispose()
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "bot.zalo.runner"]
    if can_join:
        assert any("may join groups (can_join_groups)" in m for _, m in lines)
    else:
        assert any(
            level == logging.ERROR and "cannot join groups (getMe: can_join_groups=false)" in m
            for level, m in lines
        )
