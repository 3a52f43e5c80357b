"""Small faults (issue 24, 13): the office-wide workbook stays in office chats; a store
that is down is logged once, not every tick; a client gone mid-upload is no error."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from data import db
from data.models import Admin
from jobs.dispatcher import Dispatcher
from tests.fake_channel import FakeChannel
from tests.test_service import NOW, answer, code_for, member, office, service

__all__ = ["office"]  # the chat service's fixture


def test_a_trusted_persons_baocao_in_a_unit_group_posts_no_workbook(
    office: sessionmaker[Session],
) -> None:
    svc = service(office)
    assert "Đã đăng ký" in answer(svc, member(), f"/dangky {code_for(office, 'hcqt')}")
    with db.transaction(office) as session:
        session.add(Admin(channel="telegram", user_id="boss", name="Chánh VP", created_at=NOW))
    boss_in_unit = Sender("telegram", "g-hcqt", "boss", "Chánh VP")
    reply = svc.handle(boss_in_unit, "/baocao")
    assert reply is not None and reply.attachment is None
    assert "nhóm của văn phòng" in reply.text
    private = Sender("telegram", "boss", "boss", "Chánh VP", is_group=False)
    own = svc.handle(private, "/baocao")
    assert own is not None and own.attachment is not None  # to the trusted person alone
    answer(svc, member("office"), f"/dangky {code_for(office, None, role='admin')}")
    in_office = svc.handle(member("office"), "/baocao")
    assert in_office is not None and in_office.attachment is not None


class _Down:
    """A store that is down: every session fails as PostgreSQL's would."""

    def __call__(self) -> Session:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))


async def test_a_store_that_is_down_is_logged_once_then_on_recovery(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = Dispatcher(
        _Down(),  # type: ignore[arg-type]
        {"fake": FakeChannel()},
        clock=lambda: datetime.now(UTC),
    )
    caplog.set_level(logging.INFO, logger="jobs.dispatcher")
    for _ in range(10):  # ten ticks of the dispatch job while the store is down
        dispatcher.wake()
        await asyncio.sleep(0.01)
    stopped = [r for r in caplog.records if "dispatch stopped" in r.getMessage()]
    assert len(stopped) == 1 and stopped[0].levelno == logging.ERROR
    dispatcher.sessions = sessions  # the store is back
    dispatcher.wake()
    await asyncio.sleep(0.05)
    dispatcher.wake()
    await asyncio.sleep(0.05)
    resumed = [r for r in caplog.records if "dispatch resumed" in r.getMessage()]
    assert len(resumed) == 1
    assert len([r for r in caplog.records if "dispatch stopped" in r.getMessage()]) == 1


async def test_a_client_gone_mid_upload_is_no_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.web.app import create_app
    from tests.conftest import sample_runtime
    from tests.web.conftest import NOW as WEB_NOW

    runtime = sample_runtime(tmp_path, WEB_NOW)
    app = create_app(runtime)
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    messages = [
        {"type": "http.request", "body": head + b"x" * 1000, "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/documents",
        "raw_path": b"/documents",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"content-length", b"100000"),
        ],
        "client": ("10.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    caplog.set_level(logging.INFO)
    try:
        await app(scope, receive, send)  # raising here is what the server logs as ERROR
    finally:
        runtime.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
