"""Issue 23's must-show items on both stores (the ``engine`` fixture: SQLite and
PostgreSQL), through the real runtime, chat service and console:

1. a document sent with ``/done 57`` is kept on the unit's part with its hash, the
   console lists it and serves the same bytes;
2. with confirmation on, the office opens the file and confirms; the report's detail
   sheet names it; a viewer of a confidential task gets no file (nor does a chat);
3. hostile files (over the limit, a program under .pdf, a PDF under .docx, ``../`` in
   the name, a zip bomb dressed as .docx) are refused in Vietnamese, nothing is kept,
   and another chat is served as usual.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from bot.access import Sender
from bot.actions import tasks
from bot.actions.base import Actor
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web.app import create_app
from data import db, part_files, unit_store
from data.domain import TaskStatus
from data.models import OutboxMessage, PartFile, Task
from jobs.due import Due
from jobs.office_report import load_report
from jobs.workbook import DETAIL_HEADERS, HEADER_ROW, report_workbook
from tests.conftest import bind_every_unit, save_sample
from tests.test_part_files import zip_bomb
from tests.web.conftest import NOW, OFFICE, VIEWER, add_users, sign_in

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
HCQT = Sender("telegram", "g-hcqt", "1", "Lan")
THNC = Sender("telegram", "g-thnc", "2", "Minh")


@pytest.fixture
def runtime(engine: Engine, tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(
        data_dir=tmp_path, telegram_bot_token=None, zalo_bot_token=None, confirm_done=True
    )
    found = Runtime.open(settings, engine)
    found.clock = lambda: NOW
    with db.transaction(found.sessions) as session:
        unit_store.ensure_default_units(session)
    save_sample(found.sessions, NOW)
    bind_every_unit(found.sessions, "telegram", NOW)
    add_users(found)
    yield found
    found.close()


def number_of(runtime: Runtime, raw: str) -> int:
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.deadline_raw == raw))
        assert task is not None
        return task.number


def stored(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(PartFile)) or 0


def test_sent_kept_opened_confirmed_named_and_hidden_from_a_viewer(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    service = runtime.service()
    reply = service.handle_file(HCQT, f"/done {number}", "Báo cáo quý II.pdf", PDF)
    assert reply is not None and "📎 Đã nhận tệp «Báo cáo quý II.pdf»" in reply.text
    sha = hashlib.sha256(PDF).hexdigest()
    with runtime.sessions() as session:
        [kept] = session.scalars(select(PartFile))
        assert (kept.name, kept.size, kept.sha256) == ("Báo cáo quý II.pdf", len(PDF), sha)
        [request] = [
            r.text
            for r in session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == "admin"))
        ]
    assert "📎 Tệp: «Báo cáo quý II.pdf»" in request  # the office's request names it
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        csrf = sign_in(client, *OFFICE)
        page = client.get(f"/tasks/{number}").text
        assert "Báo cáo quý II.pdf" in page and "Chờ xác nhận" in page
        [link] = re.findall(r'href="(/files/\d+)"', page)
        assert client.get(link).content == PDF  # opened before ✅ Xác nhận
        done = client.post(
            f"/tasks/{number}/confirm", data={"csrf": csrf, "unit": "hcqt", "action": "confirm"}
        )
        assert done.status_code in (200, 303)
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].done_at is not None
        due = Due(runtime.calendar, runtime.settings.policy)
        sheet_bytes = report_workbook(
            load_report(session, due, date(2026, 1, 1), date(2026, 12, 31), date(2026, 6, 16))
        )
    sheet = openpyxl.load_workbook(io.BytesIO(sheet_bytes), read_only=True).worksheets[1]
    column = DETAIL_HEADERS.index("Tệp đã nộp")
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert {r[0]: r[column] for r in rows if len(r) > column and r[column]} == {
        number: "Báo cáo quý II.pdf"
    }
    with db.transaction(runtime.sessions) as session:
        tasks.set_confidential(session, Actor.cli(NOW), [number], True)
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as viewer:
        sign_in(viewer, *VIEWER)
        refused = viewer.get(link)
        assert refused.status_code == 403 and PDF not in refused.content
        assert "Báo cáo quý II.pdf" not in viewer.get(f"/tasks/{number}").text
    detail = service.handle(HCQT, f"/chitiet {number}")  # a chat never gets its name
    assert detail is not None and "Báo cáo quý II.pdf" not in detail.text


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bao_cao.pdf", PDF + b"\x00" * (20 * 1024 * 1024), "quá lớn"),
        ("bao_cao.pdf", b"MZ\x90\x00 this is a program", "không phải PDF, Word (.docx)"),
        ("bao_cao.docx", PDF, "mang đuôi .docx nhưng nội dung là PDF"),
        ("../../etc/bao_cao.pdf", PDF, "Tên tệp không hợp lệ"),
        ("ke_hoach.docx", None, "tỷ lệ nén bất thường"),
    ],
    ids=["over-20MB", "program-as-pdf", "pdf-as-docx", "dotdot", "zip-bomb"],
)
def test_a_hostile_file_is_refused_nothing_kept_other_chats_unaffected(
    runtime: Runtime, name: str, content: bytes | None, words: str
) -> None:
    number = number_of(runtime, "Quý II/2026")
    service = runtime.service()
    reply = service.handle_file(
        HCQT, f"/done {number}", name, zip_bomb() if content is None else content
    )
    assert reply is not None and reply.text.startswith("Không nhận tệp:"), reply
    assert words in reply.text, reply.text
    assert stored(runtime) == 0
    folder = runtime.settings.data_dir / part_files.FOLDER
    assert not folder.exists() or list(folder.iterdir()) == []
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].reported_at is None  # /done did not run
    other = number_of(runtime, "trước ngày 15/6/2026")  # thnc's part
    served = service.handle_file(THNC, f"/done {other}", "bao_cao.pdf", PDF)
    assert served is not None and "📎 Đã nhận tệp «bao_cao.pdf»" in served.text
    assert stored(runtime) == 1


def test_a_file_outlives_its_part_when_the_office_names_other_owners(runtime: Runtime) -> None:
    """The unit sent its product, then the office gives the task to another unit: the part
    goes, the file stays on the task (listed, downloadable, purgeable once removed)."""
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    service = runtime.service()
    service.handle_file(HCQT, f"/done {number}", "Đề án.pdf", PDF)
    with db.transaction(runtime.sessions) as session:
        thnc = unit_store.find_unit(session, "thnc")
        assert thnc is not None
        tasks.set_owners(session, Actor.cli(NOW), number, [thnc])
    with runtime.sessions() as session:
        [kept] = session.scalars(select(PartFile))
        assert kept.assignment_id is None and kept.unit is not None
        assert kept.unit.code == "hcqt"
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        sign_in(client, *OFFICE)
        page = client.get(f"/tasks/{number}").text
        assert "Tệp của đơn vị không còn chủ trì" in page and "Đề án.pdf" in page
        [link] = re.findall(r'href="(/files/\d+)"', page)
        assert client.get(link).content == PDF
    with db.transaction(runtime.sessions) as session:
        assert part_files.of_removed_tasks(session) == []  # the task is still followed
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        task.status = TaskStatus.REMOVED  # as a re-import without the row does
    with runtime.sessions() as session:
        assert [(t.number, f.name) for t, f in part_files.of_removed_tasks(session)] == [
            (number, "Đề án.pdf")
        ]
