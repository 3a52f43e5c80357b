"""The office's rules, once, whichever surface asks: an extension only moves a deadline
later, a refusal or a return has a reason, a proposal needs an owner, "và các chi bộ"
means every chi bộ, the office's own done of a waiting report keeps the unit's day."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.access import Sender
from bot.cli import main
from bot.runtime import Runtime
from bot.web.app import create_app
from data.clock import local_date
from data.models import Assignment, OutboxMessage, Task
from tests.conftest import bind_every_unit, sample_runtime
from tests.test_one_verb import number_of
from tests.web.conftest import NOW, OFFICE, add_users, sign_in

UNIT = Sender("telegram", "g-hcqt", "1", "Lan")
ADMIN = Sender("telegram", "admin", "9", "Văn phòng")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    found = sample_runtime(tmp_path, NOW, confirm_done=True)
    add_users(found)
    bind_every_unit(found.sessions, "telegram", NOW)
    yield found
    found.close()


def part_due(runtime: Runtime, number: int) -> object:
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        return task.owners[0].due_date()


def say(runtime: Runtime, sender: Sender, text: str) -> str:
    reply = runtime.service().handle(sender, text)
    assert reply is not None
    return reply.text


def test_an_extension_never_moves_a_deadline_earlier_on_any_surface(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý IV/2026")  # due 31/12/2026, today 16/06/2026
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        csrf = sign_in(client, *OFFICE)
        past = client.post(
            f"/tasks/{number}/extend", data={"csrf": csrf, "to": "01/01/2026", "reason": "x"}
        )
        assert "phải sau hôm nay" in past.text
        earlier = client.post(
            f"/tasks/{number}/extend", data={"csrf": csrf, "to": "30/09/2026", "reason": "x"}
        )
        assert "phải sau hạn hiện tại (31/12/2026)" in earlier.text
    asked = say(runtime, UNIT, f"/giahan {number} 30/09/2026 chờ số liệu")
    assert "phải sau hạn hiện tại" in asked
    assert str(part_due(runtime, number)) == "2026-12-31"  # nothing moved


def test_the_command_line_refuses_an_earlier_extension(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(runtime.settings.data_dir))
    number = number_of(runtime, "Quý IV/2026")
    runtime.close()
    code = main(["extend", str(number), "--to", "2026-01-01", "--reason", "nhầm"])
    assert code == 2
    assert "phải sau hôm nay" in capsys.readouterr().err


def test_a_refusal_and_a_return_need_a_reason_wherever_they_are_given(
    runtime: Runtime,
) -> None:
    number = number_of(runtime, "Quý IV/2026")
    code = say(runtime, UNIT, f"/giahan {number} 31/01/2027 chờ số liệu").split("mã ")[1][:5]
    pressed = runtime.service().press(ADMIN, f"ext-no:{code}")
    assert pressed.mark is None and f"/tuchoi {code} <lý do>" in pressed.answer
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
        csrf = sign_in(client, *OFFICE)
        bare = client.post(f"/extensions/{code}", data={"csrf": csrf, "action": "refuse"})
        assert "Cần nêu lý do từ chối" in bare.text
    assert "Cần nêu lý do từ chối" in say(runtime, ADMIN, f"/tuchoi {code}")
    say(runtime, UNIT, f"/done {number}")
    pressed = runtime.service().press(ADMIN, f"cf-no:{number}:hcqt")
    assert pressed.mark is None and f"/tralai {number} hcqt <lý do>" in pressed.answer


def test_the_office_done_of_a_waiting_report_keeps_the_units_day_and_tells_it(
    runtime: Runtime,
) -> None:
    number = number_of(runtime, "Quý II/2026")
    say(runtime, UNIT, f"/done {number}")  # reported on 16/06, waits for the office
    later = NOW + timedelta(days=3)
    runtime.clock = lambda: later
    assert "Đã ghi nhận hoàn thành" in say(runtime, ADMIN, f"/done {number}")
    with runtime.sessions() as session:
        part = session.scalar(
            select(Assignment)
            .join(Task)
            .where(Task.number == number, Assignment.done_at.is_not(None))
        )
        assert part is not None and local_date(part.done_at) == local_date(NOW)
        told = session.scalars(
            select(OutboxMessage.text).where(OutboxMessage.chat_id == "g-hcqt")
        ).all()
    assert any(f"#{number}" in t and "tính ngày 16/06/2026" in t for t in told)


def test_the_office_reopen_returns_a_waiting_report(runtime: Runtime) -> None:
    number = number_of(runtime, "Quý II/2026")
    say(runtime, UNIT, f"/done {number}")
    assert "Đã mở lại" in say(runtime, ADMIN, f"/mo {number}")
    assert "Đã báo hoàn thành, chờ văn phòng xác nhận" in say(runtime, UNIT, f"/done {number}")


def test_a_proposal_without_an_owner_is_not_accepted_until_given_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    notice = tmp_path / "thong_bao.txt"
    notice.write_text(
        "THÔNG BÁO KẾT LUẬN\nNgày 02 tháng 3 năm 2026\n"
        "1. Hoàn thành việc rà soát quy chế làm việc trước ngày 30/6/2026.\n"
        "2. Chi bộ Hành chính – Quản trị chủ trì xây dựng kế hoạch kiểm tra trong Quý III/2026.\n",
        encoding="utf-8",
    )
    assert main(["units", "add", "Chi bộ Hành chính – Quản trị", "--code", "hcqt"]) == 0
    capsys.readouterr()
    assert main(["import", str(notice), "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    ownerless = next(t for t in tasks if t["status"] == "proposed" and not t["units"])
    number = str(ownerless["number"])
    assert main(["tasks", "accept", number]) == 2
    assert "chưa có đơn vị chủ trì" in capsys.readouterr().err
    assert main(["tasks", "owners", number, "hcqt"]) == 0
    assert main(["tasks", "accept", number]) == 0
    assert f"Đã nhận #{number}" in capsys.readouterr().out


def test_and_every_chi_bo_gives_every_chi_bo_a_part_on_a_new_office(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new office creates its units from its first plan: "A và các chi bộ" and "các chi
    bộ" then name every chi bộ the plan brought, not only A (or nobody)."""
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "ke_hoach.txt"
    rows = [
        ("1", "Rà soát quy chế", "Chi bộ Văn thư", "Quý III/2026"),
        ("2", "Kiện toàn tổ đảng", "Chi bộ Lưu trữ", "Quý IV/2026"),
        ("3", "Sinh hoạt chuyên đề", "Chi bộ Văn thư và các chi bộ", "Năm 2026"),
        ("4", "Học tập nghị quyết", "Các chi bộ trực thuộc", "Quý II/2026"),
    ]
    body = "\n".join("\t".join(r) for r in rows)
    plan.write_text(
        "KẾ HOẠCH\nNgày 05 tháng 01 năm 2026\nPHỤ LỤC\n"
        f"TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian\n{body}\n",
        encoding="utf-8",
    )
    assert main(["import", str(plan), "--add-units", "--doc-date", "2026-01-05"]) == 0
    capsys.readouterr()
    assert main(["tasks", "--json"]) == 0
    owners = {t["title"]: set(t["units"]) for t in json.loads(capsys.readouterr().out)}
    every = owners["Rà soát quy chế"] | owners["Kiện toàn tổ đảng"]
    assert len(every) == 2
    assert owners["Sinh hoạt chuyên đề"] == every
    assert owners["Học tập nghị quyết"] == every


def test_and_every_chi_bo_on_the_consoles_first_day(tmp_path: Path) -> None:
    """The console's first day: units proposed from the plan and created with "Lưu";
    "A và các chi bộ" and "các chi bộ" then name every chi bộ the plan brought."""
    from bot.settings import Settings
    from data import db as data_db
    from data.models import Task as TaskRow

    runtime = Runtime.open(
        Settings(data_dir=tmp_path, telegram_bot_token=None, zalo_bot_token=None)
    )
    runtime.clock = lambda: NOW
    add_users(runtime)
    rows = [
        ("1", "Rà soát quy chế", "Chi bộ Văn thư", "Quý III/2026"),
        ("2", "Kiện toàn tổ đảng", "Chi bộ Lưu trữ", "Quý IV/2026"),
        ("3", "Sinh hoạt chuyên đề", "Chi bộ Văn thư và các chi bộ", "Năm 2026"),
        ("4", "Học tập nghị quyết", "Các chi bộ trực thuộc", "Quý II/2026"),
    ]
    body = "\n".join("\t".join(r) for r in rows)
    plan = (
        "KẾ HOẠCH\nNgày 05 tháng 01 năm 2026\nPHỤ LỤC\n"
        f"TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian\n{body}\n"
    ).encode()
    try:
        with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
            csrf = sign_in(client, *OFFICE)
            review = client.post(
                "/documents", data={"csrf": csrf}, files={"file": ("kh.txt", plan, "text/plain")}
            )
            token = review.text.split('action="/documents/draft/')[1].split('"')[0]
            saved = client.post(f"/documents/draft/{token}", data={"csrf": csrf, "action": "save"})
            assert saved.status_code == 200
        with data_db.transaction(runtime.sessions) as session:
            owners = {
                t.title: {a.unit.code for a in t.owners} for t in session.scalars(select(TaskRow))
            }
    finally:
        runtime.close()
    every = owners["Rà soát quy chế"] | owners["Kiện toàn tổ đảng"]
    assert len(every) == 2
    assert owners["Sinh hoạt chuyên đề"] == every
    assert owners["Học tập nghị quyết"] == every
