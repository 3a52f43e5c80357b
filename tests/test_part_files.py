"""A unit's file on its part: kept by its hash with who and when; hostile files refused
in Vietnamese with nothing stored (over 20 MB, a wrong type under an allowed extension,
a path in the name, a zip bomb dressed as .docx)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.access import Sender
from bot.actions import tasks
from bot.actions.base import Actor, Effect, Outcome, Refusal, Surface
from bot.actions.files import attach
from bot.cli import main
from bot.runtime import Runtime
from bot.web.app import create_app
from data import chat_store, db, part_files, unit_store
from data.domain import TaskAction
from data.models import AuditEntry, OutboxMessage, PartFile, Task
from jobs.due import Due
from jobs.office_report import load_report, stream_report
from jobs.workbook import DETAIL_HEADERS, HEADER_ROW, report_workbook, stream_workbook
from tests.conftest import bind_every_unit, sample_runtime
from tests.test_one_verb import number_of
from tests.web.conftest import NOW, OFFICE, VIEWER, add_users, sign_in

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def word_file() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Kế hoạch tổ chức hội nghị")
    document.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A .docx in shape ([Content_Types].xml, word/document.xml) inflating 1000 times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    found = sample_runtime(tmp_path, NOW)
    yield found
    found.close()


def send(
    runtime: Runtime, number: int, name: str, content: bytes, unit_code: str = "hcqt"
) -> Outcome:
    with db.transaction(runtime.sessions) as session:
        unit = unit_store.find_unit(session, unit_code)
        assert unit is not None
        actor = Actor(
            "Lan (telegram:1)",
            "telegram:g-hcqt",
            NOW,
            Surface.CHAT,
            False,
            unit,
            audit_as=chat_store.Actor("telegram", "g-hcqt", "1", "Lan"),
        )
        return attach(session, actor, number, name, content, data_dir=runtime.settings.data_dir)


def stored(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(PartFile)) or 0


def files_on_disk(runtime: Runtime) -> list[Path]:
    folder = runtime.settings.data_dir / part_files.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_unit_s_file_is_kept_on_its_part_with_its_hash(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    content = word_file()
    out = send(runtime, number, "Kế hoạch hội nghị.docx", content)
    assert out.changes[0].effect is Effect.FILED, out.lines()
    assert "Đã nhận tệp «Kế hoạch hội nghị.docx»" in out.lines()[0]
    sha = hashlib.sha256(content).hexdigest()
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        part = task.owners[0]
        kept = part_files.files_of(session, [part.id])[part.id]
        assert [(f.name, f.size, f.sha256) for f in kept] == [
            ("Kế hoạch hội nghị.docx", len(content), sha)
        ]
        assert kept[0].content_type == part_files.FileKind.DOCX.value
        assert kept[0].by == "Lan (telegram:1)"
        assert task.events[-1].action is TaskAction.FILED
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "filed")).all()
        assert len(audit) == 1 and sha in audit[0].detail
    assert part_files.path_of(runtime.settings.data_dir, sha).read_bytes() == content
    again = send(runtime, number, "ban_sao.docx", content)  # same bytes: one copy on disk
    assert again.changed and len(files_on_disk(runtime)) == 1


def test_a_pdf_and_a_photo_are_taken_and_the_type_comes_from_the_bytes(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")
    assert send(runtime, number, "bao cao.pdf", PDF).changed
    photo = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    assert send(runtime, number, "", photo).changed  # a photo has no name
    with runtime.sessions() as session:
        names = [f.name for f in session.scalars(select(PartFile).order_by(PartFile.id))]
        kinds = [f.content_type for f in session.scalars(select(PartFile).order_by(PartFile.id))]
    assert names == ["bao cao.pdf", "tep.jpg"]
    assert kinds == ["application/pdf", "image/jpeg"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bao_cao.pdf", PDF + b"\x00" * (20 * 1024 * 1024), "quá lớn"),
        ("bao_cao.pdf", b"MZ\x90\x00 this is a program", "không phải PDF, Word (.docx)"),
        ("bao_cao.docx", PDF, "mang đuôi .docx nhưng nội dung là PDF"),
        ("../../etc/bao_cao.pdf", PDF, "Tên tệp không hợp lệ"),
        ("..\\bao_cao.pdf", PDF, "Tên tệp không hợp lệ"),
        ("ke_hoach.docx", None, "tỷ lệ nén bất thường"),
        ("rong.pdf", b"", "Tệp trống"),
    ],
    ids=["over-20MB", "program-as-pdf", "pdf-as-docx", "dotdot", "backslash", "zip-bomb", "empty"],
)
def test_a_hostile_file_is_refused_in_vietnamese_and_nothing_is_stored(
    runtime: Runtime, name: str, content: bytes | None, words: str
) -> None:
    number = number_of(runtime, "Quý II/2026")
    out = send(runtime, number, name, zip_bomb() if content is None else content)
    problem = out.first_problem()
    assert not out.changed and problem is not None
    assert problem.reason is Refusal.BAD_FILE
    assert problem.text.startswith("Không nhận tệp:") and words in problem.text, problem.text
    assert stored(runtime) == 0 and files_on_disk(runtime) == []
    # the chat is unaffected: the next good file goes through
    assert send(runtime, number, "bao_cao.pdf", PDF).changed


def test_another_unit_s_task_is_refused_before_any_byte_is_written(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")  # hcqt's, not ubkt's
    out = send(runtime, number, "bao_cao.pdf", PDF, unit_code="ubkt")
    problem = out.first_problem()
    assert problem is not None and problem.reason is Refusal.NOT_OWNER
    assert stored(runtime) == 0 and files_on_disk(runtime) == []
    missing = send(runtime, 99999, "bao_cao.pdf", PDF)
    assert missing.first_problem() is not None
    assert files_on_disk(runtime) == []


def test_names_are_sanitised() -> None:
    kind = part_files.FileKind.PDF
    assert part_files.clean_name('  bao<cao>:"2026"?.pdf ', kind) == "bao_cao___2026__.pdf"
    assert part_files.clean_name("...pdf", kind) == "pdf"
    assert part_files.clean_name(".pdf", kind) == "pdf"
    long = part_files.clean_name("a" * 500 + ".pdf", kind)
    assert len(long) == part_files.MAX_NAME_CHARS and long.endswith(".pdf")
    with pytest.raises(part_files.FileRefused):
        part_files.clean_name("..", kind)


def test_the_console_lists_each_part_s_files_and_serves_the_same_bytes(runtime: Runtime) -> None:
    add_users(runtime)
    number = number_of(runtime, "Quý II/2026")
    content = word_file()
    assert send(runtime, number, "Kế hoạch.docx", content).changed
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        sign_in(client, *OFFICE)
        page = client.get(f"/tasks/{number}")
        assert "Kế hoạch.docx" in page.text
        [link] = re.findall(r'href="(/files/\d+)"', page.text)
        got = client.get(link)
        assert got.status_code == 200 and got.content == content
        assert got.headers["content-type"].startswith(part_files.FileKind.DOCX.value)
        assert "attachment" in got.headers["content-disposition"]
        assert client.get("/files/999999").status_code == 404
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as viewer:
        sign_in(viewer, *VIEWER)
        assert viewer.get(link).content == content  # not confidential: a viewer reads it
        with db.transaction(runtime.sessions) as session:
            tasks.set_confidential(session, Actor.cli(NOW), [number], True)
        refused = viewer.get(link)
        assert refused.status_code == 403 and "nhiệm vụ mật" in refused.text
        assert content not in refused.content
        assert link not in viewer.get(f"/tasks/{number}").text


def test_the_command_line_gives_each_part_s_files(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    number = number_of(runtime, "Quý II/2026")
    assert send(runtime, number, "bao cao.pdf", PDF).changed
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(runtime.settings.data_dir))
    runtime.close()
    assert main(["tasks", "--json"]) == 0
    rows = {row["number"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[number]["files"] == {
        "hcqt": [
            {
                "name": "bao cao.pdf",
                "size": len(PDF),
                "sha256": hashlib.sha256(PDF).hexdigest(),
                "type": "application/pdf",
            }
        ]
    }


def test_backup_carries_the_files_and_restore_brings_them_back(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = number_of(runtime, "Quý II/2026")
    assert send(runtime, number, "bao cao.pdf", PDF).changed
    sha = hashlib.sha256(PDF).hexdigest()
    data_dir = runtime.settings.data_dir
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(data_dir))
    runtime.close()
    target = tmp_path / "saved" / "nhacviec.backup"
    assert main(["backup", str(target)]) == 0
    assert (target.parent / "nhacviec.backup.files" / sha).read_bytes() == PDF
    part_files.path_of(data_dir, sha).unlink()  # the disk lost it
    assert main(["restore", str(target)]) == 0
    assert part_files.path_of(data_dir, sha).read_bytes() == PDF


def test_with_confirmation_on_the_office_sees_the_file_then_confirms(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, NOW, confirm_done=True)
    add_users(runtime)
    bind_every_unit(runtime.sessions, "telegram", NOW)
    try:
        service = runtime.service()
        unit = Sender("telegram", "g-hcqt", "1", "Lan")
        with_file = number_of(runtime, "Quý II/2026")
        bare = number_of(runtime, "Quý IV/2026")
        reply = service.handle_file(unit, f"/done {with_file}", "Báo cáo.pdf", PDF)
        assert reply is not None and "📎 Đã nhận tệp «Báo cáo.pdf»" in reply.text
        assert "chờ" in reply.text  # the report waits for the office
        refused = service.handle_file(unit, f"/done {bare}", "x.pdf", b"MZ program")
        assert refused is not None and "Không nhận tệp" in refused.text
        assert service.handle(unit, f"/done {bare}") is not None  # no file: still a report
        with runtime.sessions() as session:
            asked = [
                r.text
                for r in session.scalars(
                    select(OutboxMessage).where(OutboxMessage.chat_id == "admin")
                )
            ]
        [filed] = [t for t in asked if f"báo hoàn thành #{with_file} " in t]
        [without] = [t for t in asked if f"báo hoàn thành #{bare} " in t]
        assert "📎 Tệp: «Báo cáo.pdf»" in filed and "Mở trên trang quản lý" in filed
        assert "📎 Chưa có tệp." in without
        with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
            csrf = sign_in(client, *OFFICE)
            page = client.get(f"/tasks/{with_file}").text
            [link] = re.findall(r'href="(/files/\d+)"', page)
            assert client.get(link).content == PDF  # opened before ✅
            assert "chưa có tệp" in client.get(f"/tasks/{bare}").text
            done = client.post(
                f"/tasks/{with_file}/confirm",
                data={"csrf": csrf, "unit": "hcqt", "action": "confirm"},
            )
            assert done.status_code in (200, 303)
        with runtime.sessions() as session:
            task = session.scalar(select(Task).where(Task.number == with_file))
            assert task is not None and task.owners[0].done_at is not None
    finally:
        runtime.close()


def test_the_report_s_detail_sheet_names_each_part_s_file(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")
    assert send(runtime, number, "Báo cáo quý II.pdf", PDF).changed
    due = Due(runtime.calendar, runtime.settings.policy)
    start, end, as_of = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 6, 16)
    with runtime.sessions() as session:
        built = report_workbook(load_report(session, due, start, end, as_of))
        spool = io.BytesIO()
        stream_workbook(spool, stream_report(session, due, start, end, as_of))
        viewer = report_workbook(
            load_report(session, due, start, end, as_of), confidential_titles=False
        )
    column = DETAIL_HEADERS.index("Tệp đã nộp")
    for content in (built, spool.getvalue(), viewer):
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[1]
        rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        named = {r[0]: r[column] for r in rows if len(r) > column and r[column]}
        assert named == {number: "Báo cáo quý II.pdf"}
