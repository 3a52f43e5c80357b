"""The plan's product ("Sản phẩm"/"Kết quả") on its task, asking once for its file, a
file sent in reply to the bot's message about one task, and purging a removed task's
files: on both stores (the ``sessions`` fixture is SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from bot.access import Sender
from bot.actions import completion, files
from bot.actions.base import Actor
from bot.cli import main
from bot.review import ASPECT_LABELS
from bot.service import ChatService
from bot.web.app import create_app
from data import db, outbox, part_files
from data.clock import VN_TZ
from data.domain import MessageKind, OutboxStatus, TaskStatus
from data.models import AuditEntry, OutboxMessage, PartFile, Task
from data.revisions import Aspect
from tests.conftest import bind_every_unit, parse_sample, sample_runtime, save_sample
from tests.web.conftest import OFFICE, VIEWER, add_users, sign_in

NOW = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEAD = """ĐẢNG BỘ VĂN PHÒNG UBND TỈNH
ĐẢNG ỦY
*Lai Châu, ngày 01 tháng 4 năm 2026*

## KẾ HOẠCH

tổ chức các hội nghị năm 2026

-----

TT\tNhiệm vụ\tSản phẩm\tĐơn vị chủ trì\tThời gian
"""
ROWS = {
    1: "1\tXây dựng kế hoạch tổ chức hội nghị sơ kết.\t{product}\tChi bộ Hành chính – Quản trị\t"
    "Quý III/2026",
    2: "2\tChuẩn bị báo cáo tổng kết công tác năm.\tBáo cáo\tChi bộ Tổng hợp – Nội chính\t"
    "Quý IV/2026",
    3: "3\tRà soát danh sách đảng viên.\t\tChi bộ Hành chính – Quản trị\tQuý III/2026",
}
UNIT = Sender("telegram", "g-hcqt", "1", "Lan")


def plan(product: str = "Kế hoạch", rows: tuple[int, ...] = (1, 2, 3)) -> bytes:
    lines = [ROWS[r].format(product=product) for r in rows]
    return (HEAD + "\n".join(lines) + "\n").encode()


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    save_sample(sessions, NOW, plan())
    bind_every_unit(sessions, "telegram", NOW)
    return sessions


def service(sessions: sessionmaker[Session], tmp_path: Path, confirm: bool = True) -> ChatService:
    return ChatService(sessions, lambda: NOW, confirm_done=confirm, files_dir=tmp_path)


def number(sessions: sessionmaker[Session], ref: str) -> int:
    with sessions() as session:
        task = session.scalar(select(Task).where(Task.ref == ref))
        assert task is not None
        return task.number


def office_requests(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == "admin"))
        return [r.text for r in rows]


def test_the_plan_s_product_is_kept_shown_and_a_change_shows_in_the_review(
    office: sessionmaker[Session], tmp_path: Path
) -> None:
    first, none = number(office, "1"), number(office, "3")
    with office() as session:
        products = {t.ref: t.product for t in session.scalars(select(Task))}
    assert products == {"1": "Kế hoạch", "2": "Báo cáo", "3": ""}
    chat = service(office, tmp_path)
    detail = chat.handle(UNIT, f"/chitiet {first}")
    assert detail is not None and "Sản phẩm: Kế hoạch" in detail.text
    bare = chat.handle(UNIT, f"/chitiet {none}")
    assert bare is not None and "Sản phẩm" not in bare.text
    revised = save_sample(office, NOW, plan(product="Quyết định"))  # the same plan, revised
    [match] = [m for m in revised.matched if m.number == first]
    [field] = [f for f in match.fields if f.aspect is Aspect.PRODUCT]
    assert (field.old, field.new) == ("Kế hoạch", "Quyết định")
    assert ASPECT_LABELS[Aspect.PRODUCT] == "sản phẩm"
    assert revised.created == [] and revised.removed == []  # the same task, not a new one


def test_a_done_without_the_file_asks_for_it_once(
    office: sessionmaker[Session], tmp_path: Path
) -> None:
    wanted, plain = number(office, "1"), number(office, "3")
    chat = service(office, tmp_path)
    reply = chat.handle(UNIT, f"/done {wanted}")
    assert reply is not None and "chờ văn phòng xác nhận" in reply.text
    assert f"📎 Kế hoạch này cần tệp sản phẩm: gửi tệp kèm chú thích /done {wanted}" in reply.text
    assert reply.about == (wanted,)
    [request] = [t for t in office_requests(office) if f"#{wanted} " in t]
    assert "📎 Chưa có tệp (sản phẩm: Kế hoạch)." in request
    # the file comes later (a reply to that answer): the office, which was told "chưa có
    # tệp", hears it with the buttons
    assert "Đã nhận tệp" in chat.attach_file(UNIT, wanted, "Ke hoach.pdf", PDF).text
    [filed] = [t for t in office_requests(office) if "gửi «Ke hoach.pdf»" in t]
    assert f"#{wanted} " in filed and "đang chờ xác nhận" in filed
    # the office returns it; the unit's second /done is not asked again
    with db.transaction(office) as session:
        back = completion.settle(
            session, Actor.cli(NOW), wanted, "hcqt", confirm=False, reason="thiếu tệp"
        )
        assert back.changed
    again = chat.handle(UNIT, f"/done {wanted}")
    assert again is not None and "chờ văn phòng xác nhận" in again.text
    assert "cần tệp" not in again.text
    # a task whose plan names no product is never asked; nor a /done that brings its file
    no_product = chat.handle(UNIT, f"/done {plain}")
    assert no_product is not None and "cần tệp" not in no_product.text
    with_file = service(office, tmp_path).handle_file(
        Sender("telegram", "g-thnc", "2", "Minh"), f"/done {number(office, '2')}", "bc.pdf", PDF
    )
    assert with_file is not None and "📎 Đã nhận tệp «bc.pdf»" in with_file.text
    assert "cần tệp" not in with_file.text


def test_without_confirmation_a_done_is_not_asked_for_the_file(
    office: sessionmaker[Session], tmp_path: Path
) -> None:
    wanted = number(office, "1")
    reply = service(office, tmp_path, confirm=False).handle(UNIT, f"/done {wanted}")
    assert reply is not None and "hoàn thành" in reply.text and "cần tệp" not in reply.text


def test_a_file_replying_to_the_bot_s_message_about_one_task_goes_to_its_part(
    office: sessionmaker[Session], tmp_path: Path
) -> None:
    first, third = number(office, "1"), number(office, "3")
    chat = service(office, tmp_path)
    detail = chat.handle(UNIT, f"/chitiet {first}")
    assert detail is not None and detail.about == (first,)
    chat.remember(UNIT, ["m-41"], detail)  # the adapter: the id of the answer it sent
    target = chat.file_target(UNIT, "m-41")
    assert target.number == first and target.reply is None
    kept = chat.attach_file(UNIT, first, "Ke hoach.pdf", PDF)
    assert "📎 Đã nhận tệp «Ke hoach.pdf»" in kept.text and kept.about == (first,)
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == first))
        assert task is not None
        assert [(f.name, f.sha256) for f in task.owners[0].files] == [
            ("Ke hoach.pdf", hashlib.sha256(PDF).hexdigest())
        ]
    # another unit replying to the same message: not its task, nothing is taken
    other = Sender("telegram", "g-thnc", "2", "Minh")
    assert chat.file_target(other, "m-41").number is None
    # a message of ours that was about several of this unit's tasks: the caption is asked for
    with db.transaction(office) as session:
        digest = outbox.Outgoing(
            "telegram", "g-hcqt", MessageKind.DIGEST, NOW.date(), "…", (first, third)
        )
        outbox.enqueue(session, [digest], NOW)
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == "g-hcqt"))
        assert row is not None
        row.status, row.message_ids = OutboxStatus.SENT, ["m-7"]
    several = chat.file_target(UNIT, "m-7")
    assert several.number is None and several.reply is not None
    assert f"#{first}, #{third}" in several.reply.text and "/done" in several.reply.text
    assert chat.file_target(UNIT, "unknown").reply is None  # not ours: silence


def test_a_removed_task_keeps_its_files_until_the_office_purges_them(
    office: sessionmaker[Session], tmp_path: Path
) -> None:
    gone, kept_task = number(office, "3"), number(office, "1")
    chat = service(office, tmp_path)
    assert "Đã nhận tệp" in chat.attach_file(UNIT, gone, "a.pdf", PDF).text
    assert "Đã nhận tệp" in chat.attach_file(UNIT, kept_task, "b.pdf", PDF).text  # same bytes
    other = PDF.replace(b"1.7", b"1.6")
    assert "Đã nhận tệp" in chat.attach_file(UNIT, gone, "c.pdf", other).text
    save_sample(office, NOW, plan(rows=(1, 2)))  # the revised plan drops row 3
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == gone))
        assert task is not None and task.status is TaskStatus.REMOVED
        assert session.scalar(select(func.count()).select_from(PartFile)) == 3  # kept
    # a task still followed is refused; a unit cannot purge
    with db.transaction(office) as session:
        refused = files.purge(session, Actor.cli(NOW), [kept_task])
    assert not refused.outcome.changed and "đang được theo dõi" in refused.outcome.lines()[0]
    with db.transaction(office) as session:
        done = files.purge(session, Actor.cli(NOW), [gone])
    assert [c.text for c in done.outcome.changes] == [f"#{gone}: đã xoá 2 tệp"]
    with office() as session:
        assert part_files.sweep(session, tmp_path, done.contents) == 1  # c.pdf's bytes only
        left = list(session.scalars(select(PartFile)))
        assert [f.name for f in left] == ["b.pdf"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "files_purged"))
        assert [a.detail for a in audit] == [f"#{gone}: a.pdf, c.pdf"]
    sha = hashlib.sha256(PDF).hexdigest()
    assert part_files.path_of(tmp_path, sha).read_bytes() == PDF  # still b.pdf's
    assert not part_files.path_of(tmp_path, hashlib.sha256(other).hexdigest()).exists()


def test_console_and_command_line_show_the_product_and_purge_a_removed_task_s_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = sample_runtime(tmp_path, NOW, plan(), confirm_done=True)
    bind_every_unit(runtime.sessions, "telegram", NOW)
    add_users(runtime)
    wanted, gone = number(runtime.sessions, "1"), number(runtime.sessions, "3")
    chat = runtime.service()
    assert chat.handle(UNIT, f"/done {wanted}") is not None
    assert "Đã nhận tệp" in chat.attach_file(UNIT, gone, "a.pdf", PDF).text
    save_sample(runtime.sessions, NOW, plan(rows=(1, 2)))  # row 3 removed from the plan
    app = create_app(runtime, bot_username=lambda: "NhacViecBot")
    with TestClient(app) as viewer:
        sign_in(viewer, *VIEWER)
        page = viewer.get(f"/tasks/{gone}").text
        assert "Xoá tệp của nhiệm vụ đã gỡ" not in page  # a viewer changes nothing
    with TestClient(app) as client:
        csrf = sign_in(client, *OFFICE)
        page = client.get(f"/tasks/{wanted}").text
        assert "<dt>Sản phẩm</dt><dd>Kế hoạch</dd>" in page
        assert "chưa có tệp (Kế hoạch)" in page  # the report waits without its file
        removed = client.get(f"/tasks/{gone}").text
        assert "a.pdf" in removed and "Xoá tệp của nhiệm vụ đã gỡ" in removed
        purged = client.post(f"/tasks/{gone}/files/purge", data={"csrf": csrf})
        assert purged.status_code == 200 and f"#{gone}: đã xoá 1 tệp" in purged.text
        assert 'href="/files/' not in client.get(f"/tasks/{gone}").text  # history keeps the name
    assert not part_files.path_of(tmp_path, hashlib.sha256(PDF).hexdigest()).exists()
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(tmp_path))
    runtime.close()
    assert main(["tasks", "--json"]) == 0
    rows = {row["number"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[wanted]["product"] == "Kế hoạch"
    assert main(["files", "purge"]) == 2  # says what to type
    assert main(["files", "purge", "--removed-tasks"]) == 2  # nothing left to purge
    assert "Không có tệp nào" in capsys.readouterr().err


def test_a_proposal_whose_sentence_names_the_document_carries_it_as_its_product() -> None:
    notice = Path(__file__).resolve().parents[1] / "data" / "samples" / "thong_bao_mau.txt"
    read = parse_sample(notice.read_bytes(), "thong_bao_mau.txt")
    products = {p.title.split(",")[0]: p.product for p in read.proposals}
    assert products["Hoàn thiện dự thảo Báo cáo sơ kết 6 tháng đầu năm 2026"] == "Báo cáo"
    assert products["Xây dựng kế hoạch tuyên truyền kỷ niệm 80 năm Ngày thành lập Đảng bộ"] == (
        "Kế hoạch"
    )
    assert products["Thường xuyên theo dõi"] == ""  # "báo cáo Ban Thường vụ": a verb, no product
