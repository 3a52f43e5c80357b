"""A document captioned ``/done 57`` on Telegram, end to end against a fake Bot API that
serves ``getFile`` and the download: the real application (handlers, ChatService, the
verb) fetches it (retrying a dropped connection), keeps it on the unit's part with its
hash, reports the part done, and answers what it received. A hostile file is refused in
Vietnamese, nothing kept, and the next chat is served as usual."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web.app import create_app
from data import chat_store, db, part_files
from data.clock import VN_TZ
from data.domain import ChatAddress, ChatRole
from data.models import PartFile, Task, Unit
from tests.conftest import sample_runtime
from tests.fakes.telegram_app import polling
from tests.fakes.telegram_server import BOT_USER, FakeBotApi
from tests.test_one_verb import number_of
from tests.web.conftest import OFFICE, add_users, sign_in

HCQT, THNC = -4001, -4002
TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _bind(runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        for chat_id, code in ((HCQT, "hcqt"), (THNC, "thnc")):
            unit = session.scalar(select(Unit).where(Unit.code == code))
            address = ChatAddress("telegram", str(chat_id))
            chat_store.bind_chat(session, address, ChatRole.UNIT, unit, TUESDAY)


def _document(
    update_id: int, chat_id: int, caption: str, file_id: str, name: str, size: int
) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(TUESDAY.timestamp()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "Chi bộ"},
            "from": {"id": 77, "is_bot": False, "first_name": "Lan"},
            "caption": caption,
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": name,
                "file_size": size,
            },
        },
    }


async def _answers(fake: FakeBotApi, chat_id: int, count: int) -> list[str]:
    async with asyncio.timeout(20):
        while len(fake.texts_to(chat_id)) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return fake.texts_to(chat_id)


async def test_a_document_captioned_done_is_kept_on_the_part_with_its_hash(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, TUESDAY)
    _bind(runtime)
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    fake = FakeBotApi(idle_updates=0.05)
    fake.files["doc-1"] = PDF
    fake.files["exe-1"] = b"MZ\x90\x00 a program named like a report"
    fake.file_faults.append("drop")  # the first download fails: retried
    async with polling(runtime, fake):
        fake.updates.append(
            _document(1, HCQT, f"/done {number}", "doc-1", "Báo cáo quý II.pdf", len(PDF))
        )
        [answer] = await _answers(fake, HCQT, 1)
        assert "📎 Đã nhận tệp «Báo cáo quý II.pdf»" in answer
        assert f"#{number}" in answer and "hoàn thành" in answer
        assert fake.downloads == 1 and fake.calls["getFile"] == 2  # one dropped, one retried

        # hostile: a program under .pdf, and a file over 20 MB never downloaded
        fake.updates.append(_document(2, HCQT, f"/done {number}", "exe-1", "bao_cao.pdf", 40))
        fake.updates.append(
            _document(3, HCQT, f"/done {number}", "big", "lon.pdf", 21 * 1024 * 1024)
        )
        # another chat is unaffected
        fake.updates.append(_document(4, THNC, "/done 99999", "doc-1", "x.pdf", len(PDF)))
        answers = await _answers(fake, HCQT, 3)
        assert "Không nhận tệp" in answers[1] and "không phải PDF" in answers[1]
        assert "quá lớn" in answers[2] and "20 MB" in answers[2]
        [other] = await _answers(fake, THNC, 1)
        assert "Không có nhiệm vụ #99999" in other
        # a file under another command's caption: said what to type, never fetched
        fake.updates.append(_document(5, THNC, "/tuannay", "doc-1", "x.pdf", len(PDF)))
        answers = await _answers(fake, THNC, 2)
        assert "/done <số>" in answers[1]
        assert fake.calls["getFile"] == 4  # neither the big one nor the last was fetched

    with runtime.sessions() as session:
        kept = list(session.scalars(select(PartFile)))
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        assert task.owners[0].done_at is not None  # the caption's /done ran
    sha = hashlib.sha256(PDF).hexdigest()
    assert [(f.name, f.sha256, f.size) for f in kept] == [("Báo cáo quý II.pdf", sha, len(PDF))]
    assert part_files.path_of(tmp_path, sha).read_bytes() == PDF
    assert len(list((tmp_path / part_files.FOLDER).iterdir())) == 1
    add_users(runtime)  # the office's console shows it and serves the same bytes
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        sign_in(client, *OFFICE)
        page = client.get(f"/tasks/{number}").text
        assert "Báo cáo quý II.pdf" in page
        [link] = re.findall(r'href="(/files/\d+)"', page)
        assert client.get(link).content == PDF
    runtime.engine.dispose()


def _text(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(TUESDAY.timestamp()),
            "chat": {"id": chat_id, "type": "supergroup", "title": "Chi bộ"},
            "from": {"id": 77, "is_bot": False, "first_name": "Lan"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


def _reply_with(update: dict[str, Any], replied_id: int, chat_id: int, text: str) -> None:
    """Make ``update`` a reply to the bot's message ``replied_id``, without a caption."""
    message = update["message"]
    del message["caption"]
    message["reply_to_message"] = {
        "message_id": replied_id,
        "date": int(TUESDAY.timestamp()),
        "chat": {"id": chat_id, "type": "supergroup", "title": "Chi bộ"},
        "from": BOT_USER,
        "text": text,
    }


async def test_a_document_replying_to_the_bot_s_answer_about_one_task_is_kept_on_it(
    tmp_path: Path,
) -> None:
    runtime = sample_runtime(tmp_path, TUESDAY)
    _bind(runtime)
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    fake = FakeBotApi(idle_updates=0.05)
    fake.files["doc-9"] = PDF
    async with polling(runtime, fake):
        fake.updates.append(_text(1, HCQT, f"/chitiet {number}"))
        [detail] = await _answers(fake, HCQT, 1)
        assert f"#{number}" in detail
        answered = len(fake.delivered)  # the fake's message id of that answer
        document = _document(2, HCQT, "", "doc-9", "Kế hoạch.pdf", len(PDF))
        _reply_with(document, answered, HCQT, detail)
        fake.updates.append(document)
        answers = await _answers(fake, HCQT, 2)
        assert "📎 Đã nhận tệp «Kế hoạch.pdf»" in answers[1] and f"#{number}" in answers[1]
        # the same reply from another unit's group: not its task, nothing fetched or kept
        other = _document(3, THNC, "", "doc-9", "x.pdf", len(PDF))
        _reply_with(other, answered, THNC, detail)
        fake.updates.append(other)
        fake.updates.append(_text(4, THNC, "/tuannay"))  # the group is still served
        [week] = await _answers(fake, THNC, 1)
        assert "Không nhận tệp" not in week
        assert fake.downloads == 1
    with runtime.sessions() as session:
        kept = list(session.scalars(select(PartFile)))
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].done_at is None  # kept, not reported
    assert [(f.name, f.sha256) for f in kept] == [("Kế hoạch.pdf", hashlib.sha256(PDF).hexdigest())]
    runtime.engine.dispose()
