"""/baocao in the office's Telegram chat sends the .xlsx, offline (``process_update``)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
from telegram import Update
from telegram.request import RequestData

from bot.app import build_telegram
from data import db
from data.chat_store import issue_code
from data.domain import ChatRole
from tests.conftest import sample_runtime
from tests.test_telegram_offline import NOW, OfflineRequest, command


class DocumentRequest(OfflineRequest):
    """Also answers sendDocument, keeping what was uploaded."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[tuple[str, bytes]] = []

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        if not url.endswith("/sendDocument"):
            return await super().do_request(url, method, request_data, *args, **kw)
        assert request_data is not None
        files = request_data.multipart_data or {}
        name, content, _mime = files["document"]
        self.documents.append((name, content))
        result = {
            "message_id": 99,
            "date": int(NOW.timestamp()),
            "chat": {"id": -4001, "type": "group", "title": "Văn phòng"},
            "document": {"file_id": "f1", "file_unique_id": "u1", "file_name": name},
        }
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def test_baocao_sends_the_workbook_as_a_document(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    with db.transaction(runtime.sessions) as session:
        code = issue_code(session, role=ChatRole.ADMIN, unit=None, now=NOW, valid=timedelta(days=1))
    request = DocumentRequest()
    app = build_telegram(
        runtime, "42:OFFLINE", request=request, get_updates_request=OfflineRequest(),
        rate_limiter=None,
    )  # fmt: skip
    await app.initialize()
    try:
        for update_id, text in enumerate([f"/dangky {code}", "/baocao"], start=1):
            await app.process_update(Update.de_json(command(text, update_id), app.bot))
        assert "văn phòng" in request.sent[0]
        assert "Tỷ lệ đúng hạn" in request.sent[1] or "đúng hạn" in request.sent[1]
        [(name, content)] = request.documents
        assert name.startswith("bao-cao-") and name.endswith(".xlsx")
        book = openpyxl.load_workbook(BytesIO(content))
        assert book.sheetnames[:2] == ["Tổng hợp", "Chi tiết"]
    finally:
        await app.shutdown()
        runtime.engine.dispose()
