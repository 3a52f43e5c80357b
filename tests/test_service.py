"""The chat's answers, platform-free, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.access import DoneBy, Sender
from bot.service import ChatService
from data import db, parts
from data.chat_store import issue_code
from data.clock import VN_TZ
from data.models import Admin, AuditEntry, Chat, Task, TaskEvent, Unit
from tests.conftest import save_sample

NOW = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)  # Tuesday morning


def member(chat: str = "g-hcqt", user: str = "u1", name: str = "Lan", **kw: object) -> Sender:
    return Sender("telegram", chat, user, name, **kw)  # type: ignore[arg-type]


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    save_sample(sessions, NOW)
    return sessions


def code_for(
    sessions: sessionmaker[Session], unit: str | None, role: str = "unit", **kw: object
) -> str:
    with db.transaction(sessions) as session:
        row = session.scalar(select(Unit).where(Unit.code == unit)) if unit else None
        valid = kw.get("valid", timedelta(days=3))
        return issue_code(session, role=role, unit=row, now=NOW, valid=valid)  # type: ignore[arg-type]


def service(sessions: sessionmaker[Session], **kw: object) -> ChatService:
    return ChatService(sessions, lambda: NOW, bot_names=("NhacViecBot",), **kw)  # type: ignore[arg-type]


def answer(svc: ChatService, sender: Sender, text: str) -> str:
    reply = svc.handle(sender, text)
    assert reply is not None, text
    return reply.text


def number_of(sessions: sessionmaker[Session], raw: str) -> int:
    with sessions() as session:
        task = session.scalar(select(Task).where(Task.deadline_raw == raw))
        assert task is not None
        return task.number


@pytest.fixture
def registered(office: sessionmaker[Session]) -> ChatService:
    svc = service(office)
    assert "Đã đăng ký" in answer(svc, member(), f"/dangky {code_for(office, 'hcqt')}")
    assert "Đã đăng ký" in answer(svc, member("g-ktvx"), f"/dangky {code_for(office, 'ktvx')}")
    return svc


def test_unregistered_groups_and_strangers_are_refused(office: sessionmaker[Session]) -> None:
    svc = service(office)
    text = answer(svc, member("g-x"), "/tuannay")
    assert "chưa đăng ký" in text
    assert "chưa đăng ký" in answer(svc, member("g-x"), "/done 3")
    assert "/dangky" in answer(svc, member("g-x"), "/start")
    assert svc.handle(member("g-x"), "chào cả nhà") is None  # chatter is ignored
    with office() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(TaskEvent).where(TaskEvent.action == "done")
            )
            == 0
        )


def test_registration_codes_are_single_use_and_expire(office: sessionmaker[Session]) -> None:
    svc = service(office)
    code = code_for(office, "hcqt")
    assert "Chi bộ Hành chính – Quản trị" in answer(svc, member(), f"/dangky {code}")
    assert "đã được dùng" in answer(svc, member("g-other"), f"/dangky {code}")
    old = code_for(office, "thnc", valid=timedelta(seconds=-1))
    assert "hết hạn" in answer(svc, member("g-thnc"), f"/dangky {old}")
    assert "không đúng" in answer(svc, member("g-thnc"), "/dangky ABCDEFGH")
    assert "Gõ /dangky <mã>" in answer(svc, member("g-thnc"), "/dangky")
    assert "đã được dùng" in answer(svc, member(), f"/dangky@NhacViecBot {code.lower()}")
    with office() as session:
        chat = session.scalar(select(Chat).where(Chat.chat_id == "g-hcqt"))
        assert chat is not None and chat.unit is not None and chat.unit.code == "hcqt"
        assert session.scalar(select(Chat).where(Chat.chat_id == "g-thnc")) is None
        actions = [a.action for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions.count("register") == 1
        assert "register_refused" in actions


def test_week_overdue_and_detail(registered: ChatService, office: sessionmaker[Session]) -> None:
    week = answer(registered, member(), "/tuannay")
    assert "tuần này" in week and "Chi bộ Hành chính – Quản trị" in week
    quarter = number_of(office, "Quý II/2026")
    assert f"#{quarter} " not in week  # due 30/06: next week, not this one
    month = answer(registered, member(), "/thangnay")
    assert f"#{quarter} " in month
    assert 'theo văn bản: "Quý II/2026"' in month
    late = answer(registered, member("g-ktvx"), "/quahan")
    assert "quá hạn" in late
    detail = answer(registered, member(), f"/chitiet {quarter}")
    assert 'Thời hạn theo văn bản: "Quý II/2026"' in detail
    assert "hạn 30/06/2026" in detail and "Phụ lục 2" in detail
    foreign = number_of(office, "hằng quý")  # Ủy ban Kiểm tra's
    assert "đơn vị khác" in answer(registered, member(), f"/chitiet {foreign}")


def test_done_then_reopen_with_history(
    registered: ChatService, office: sessionmaker[Session]
) -> None:
    quarter = number_of(office, "Quý II/2026")
    text = answer(registered, member(), f"/done@NhacViecBot #{quarter} đã trình Đảng ủy")
    assert text.startswith("✅ Đã ghi nhận hoàn thành")
    assert "từ trước" in answer(registered, member(), f"/xong {quarter}")  # twice is harmless
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == quarter))
        assert task is not None and task.status == "done"
        event = task.events[-1]
        assert (event.action, event.chat, event.detail) == (
            "done",
            "telegram:g-hcqt",
            "đã trình Đảng ủy",
        )
        assert "Lan" in event.actor
    assert "báo xong" in answer(registered, member(), f"/chitiet {quarter}")
    assert "Đã mở lại" in answer(registered, member(), f"/mo {quarter}")
    assert "đang mở" in answer(registered, member(), f"/mo {quarter}")


def test_bad_numbers_and_foreign_tasks(
    registered: ChatService, office: sessionmaker[Session]
) -> None:
    foreign = number_of(office, "hằng quý")
    assert "đơn vị khác" in answer(registered, member(), f"/done {foreign}")
    assert "Không có nhiệm vụ #9999" in answer(registered, member(), "/done 9999")
    assert "Cần số nhiệm vụ" in answer(registered, member(), "/done")
    assert "Cần số nhiệm vụ" in answer(registered, member(), "/done abc")
    mixed = answer(registered, member(), f"/done 9999, {foreign}")
    assert "9999" in mixed and "đơn vị khác" in mixed
    assert "Không có lệnh /abc" in answer(registered, member(), "/abc")
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == foreign))
        assert task is not None and task.status == "open"


def test_button_press_is_idempotent(registered: ChatService, office: sessionmaker[Session]) -> None:
    quarter = number_of(office, "Quý II/2026")
    first = registered.press(member(), f"done:{quarter}")
    assert first.mark is not None and "Lan" in first.mark and f"#{quarter}" in first.mark
    second = registered.press(member(name="Hùng", user="u2"), f"done:{quarter}")
    assert second.mark is None and "từ trước" in second.answer
    assert registered.press(member(), "rubbish").mark is None
    foreign = number_of(office, "hằng quý")
    assert "đơn vị khác" in registered.press(member(), f"done:{foreign}").answer


def test_only_group_admins_when_configured(office: sessionmaker[Session]) -> None:
    svc = service(office, done_by=DoneBy.ADMINS)
    answer(svc, member(), f"/dangky {code_for(office, 'hcqt')}")
    quarter = number_of(office, "Quý II/2026")
    assert "quản trị viên" in answer(svc, member(), f"/done {quarter}")
    assert "Đã ghi nhận" in answer(svc, member(is_chat_admin=True), f"/done {quarter}")


def test_admin_chat_and_admin_users_see_everything(office: sessionmaker[Session]) -> None:
    svc = service(office)
    answer(svc, member("office"), f"/dangky {code_for(office, None, role='admin')}")
    progress = answer(svc, member("office"), "/tiendo")
    assert "Toàn đảng bộ" in progress and "Ủy ban Kiểm tra Đảng ủy" in progress
    foreign = number_of(office, "hằng quý")
    assert "Đã ghi nhận" in answer(svc, member("office"), f"/done {foreign}")
    with db.transaction(office) as session:
        session.add(Admin(channel="telegram", user_id="boss", name="Chánh VP", created_at=NOW))
    private = Sender("telegram", "boss", "boss", "Chánh VP", is_group=False)
    assert "Toàn đảng bộ" in answer(svc, private, "/tiendo")
    stranger = Sender("telegram", "nobody", "nobody", "Ai đó", is_group=False)
    assert "chưa đăng ký" in answer(svc, stranger, "/tiendo")


def test_with_confirmation_a_second_done_waits_and_a_reopen_forgets_the_report(
    office: sessionmaker[Session],
) -> None:
    """Confirmation on: only the office turns a unit's report into "done" (a second
    /done does not), and a part opened again is neither done nor waiting."""
    svc = service(office, confirm_done=True)
    assert "Đã đăng ký" in answer(svc, member(), f"/dangky {code_for(office, 'hcqt')}")
    number = number_of(office, "Quý II/2026")
    assert "chờ" in answer(svc, member(), f"/done {number}")
    assert "đang chờ văn phòng xác nhận" in answer(svc, member(), f"/done {number}")
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].done_at is None
        assert task.owners[0].awaiting_confirmation
    with db.transaction(office) as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        change = parts.Change(NOW, "Văn phòng")
        assert parts.confirm_part(task, task.owners[0], change)
        assert parts.mark_part(task, task.owners[0], change, done=False)
    with office() as session:
        part = session.scalar(select(Task).where(Task.number == number)).owners[0]  # type: ignore[union-attr]
        assert part.done_at is None and not part.awaiting_confirmation


def test_a_mistyped_unit_never_widens_a_confirmation_to_every_unit(
    office: sessionmaker[Session],
) -> None:
    svc = service(office, confirm_done=True)
    answer(svc, member("office"), f"/dangky {code_for(office, None, role='admin')}")
    for unit in ("ktvx", "thnc"):
        assert "Đã đăng ký" in answer(svc, member(f"g-{unit}"), f"/dangky {code_for(office, unit)}")
    number = number_of(office, "ngày 15/9/2026")  # owned by ktvx and thnc
    for unit in ("ktvx", "thnc"):
        assert "chờ" in answer(svc, member(f"g-{unit}"), f"/done {number}")
    refused = answer(svc, member("office"), f"/xacnhan {number} ktvxx")
    assert "không phải mã đơn vị" in refused and "ktvx, thnc" in refused
    assert f"Đã xác nhận #{number}" in answer(svc, member("office"), f"/xacnhan {number} ktvx")
    with office() as session:
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None
        done = {p.unit.code: p.done_at is not None for p in task.owners}
    assert done == {"ktvx": True, "thnc": False}


def test_confirmation_buttons_keep_a_unit_code_with_a_hyphen(
    office: sessionmaker[Session],
) -> None:
    """The request's buttons are stored typed by the verb, never re-read from its key."""
    from bot.actions.buttons import ButtonAction, ButtonVerb
    from bot.runtime import message_buttons
    from data.models import OutboxMessage

    with db.transaction(office) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "hcqt"))
        assert unit is not None
        unit.code = "ban-tg"
    svc = service(office, confirm_done=True)
    answer(svc, member("g-office"), f"/dangky {code_for(office, None, role='admin')}")
    answer(svc, member(), f"/dangky {code_for(office, 'ban-tg')}")
    number = number_of(office, "Quý II/2026")
    assert "chờ văn phòng xác nhận" in answer(svc, member(), f"/done {number}")
    with office() as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "request"))
        assert row is not None
        data = [b.data for b in message_buttons(row)]
    assert data == [f"cf-ok:{number}:ban-tg", f"cf-no:{number}:ban-tg"]
    assert ButtonAction.decode(data[0]) == ButtonAction(ButtonVerb.CONFIRM, number, "ban-tg")
    for forged in ("done:99999999999999999999", "done:0", "cf-ok:1:", "ext-ok:", "x:1"):
        assert ButtonAction.decode(forged) is None, forged
