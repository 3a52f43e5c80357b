"""What the emulator cannot do (chat administrators), with python-telegram-bot offline.

As in python-telegram-bot's own tests: a request object that answers the Bot API
from memory, hand-built updates fed to ``Application.process_update``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import build_telegram
from bot.runtime import Runtime
from bot.settings import Settings
from data import db
from data.chat_store import issue_code
from data.clock import VN_TZ
from data.models import Task, Unit
from tests.conftest import sample_runtime

NOW = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
GROUP = -4001
BOT = {"id": 42, "is_bot": True, "first_name": "Nhắc việc", "username": "NhacViecBot"}


class OfflineRequest(BaseRequest):
    """The Bot API from memory: getChatMember answers with ``member_status``."""

    def __init__(self) -> None:
        self.member_status = "member"
        self.sent: list[str] = []
        self.calls: list[str] = []

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

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
        self.calls.append(api)
        params = request_data.parameters if request_data else {}
        result: Any = True
        if api == "getMe":
            result = BOT
        elif api == "getChatMember":
            user = {"id": int(params["user_id"]), "is_bot": False, "first_name": "Lan"}
            result = {"status": self.member_status, "user": user}
            if self.member_status == "kicked":
                result["until_date"] = 0
            if self.member_status == "administrator":
                result |= {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
        elif api == "sendMessage":
            self.sent.append(str(params["text"]))
            result = {
                "message_id": len(self.sent),
                "date": int(NOW.timestamp()),
                "chat": {"id": int(params["chat_id"]), "type": "group", "title": "Chi bộ"},
                "text": params["text"],
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def command(text: str, update_id: int) -> dict[str, Any]:
    word = text.split()[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(NOW.timestamp()),
            "chat": {"id": GROUP, "type": "group", "title": "Chi bộ HC-QT"},
            "from": {"id": 7, "is_bot": False, "first_name": "Lan"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(word)}],
        },
    }


async def test_only_group_administrators_mark_done_when_configured(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, NOW, done_by="admins")
    with db.transaction(runtime.sessions) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        code = issue_code(session, role="unit", unit=unit, now=NOW, valid=timedelta(days=1))
        quarter = session.scalar(select(Task.number).where(Task.deadline_raw == "Quý II/2026"))
    request = OfflineRequest()
    app = build_telegram(
        runtime,
        "42:OFFLINE",
        request=request,
        get_updates_request=OfflineRequest(),
        rate_limiter=None,
    )
    await app.initialize()
    try:
        for update_id, text in enumerate([f"/dangky {code}", f"/done {quarter}"], start=1):
            await app.process_update(Update.de_json(command(text, update_id), app.bot))
        assert "Đã đăng ký" in request.sent[0]
        assert "quản trị viên" in request.sent[1]  # a plain member may not
        assert "getChatMember" in request.calls
        request.member_status = "administrator"
        await app.process_update(Update.de_json(command(f"/done {quarter}", 3), app.bot))
        assert "Đã ghi nhận hoàn thành" in request.sent[2]
    finally:
        await app.shutdown()
        runtime.engine.dispose()


@pytest.mark.parametrize("status", ["member", "left", "kicked"])
async def test_non_members_are_not_administrators(tmp_path: Path, status: str) -> None:
    from bot.telegram.handlers import _is_chat_admin

    request = OfflineRequest()
    request.member_status = status
    runtime = Runtime.open(Settings(data_dir=tmp_path, telegram_bot_token=None))
    app = build_telegram(runtime, "42:OFFLINE", request=request, rate_limiter=None)
    await app.initialize()
    try:
        update = Update.de_json(command("/done 1", 1), app.bot)

        class Context:
            bot = app.bot

        assert await _is_chat_admin(update, Context()) is False  # type: ignore[arg-type]
    finally:
        await app.shutdown()
        runtime.engine.dispose()
