"""Bounds at the edge: whatever a chat sends, the answer is one Vietnamese message and
nothing oversized or malformed reaches the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.limits import MAX_NOTE_CHARS, MAX_TASK_NUMBERS
from bot.service import ChatService
from data import store
from data.models import ExtensionRequest, ProgressUpdate
from tests.test_service import answer, member, number_of, office, registered

__all__ = ["office", "registered"]  # the fixtures of the chat service's tests


def _updates(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ProgressUpdate)) or 0


def test_a_long_list_of_numbers_gets_one_short_answer(registered: ChatService) -> None:
    """A 4,093-character `/done 1 2 …` gave 14 messages; now one answer, no change."""
    text = "/done " + " ".join(str(n) for n in range(1, 1000))
    assert len(text) > 3500
    reply = answer(registered, member(), text)
    assert len(reply) < 500
    assert f"tối đa {MAX_TASK_NUMBERS}" in reply
    assert "hoàn thành" not in reply.lower() or "tối đa" in reply


def test_a_huge_note_is_refused_not_stored(
    registered: ChatService, office: sessionmaker[Session]
) -> None:
    number = number_of(office, "trước ngày 20 hằng tháng")
    reply = answer(registered, member(), f"/capnhat {number} 40% " + "x" * 1_000_000)
    assert f"{MAX_NOTE_CHARS:,}".replace(",", ".") in reply
    assert len(reply) < 500
    assert _updates(office) == 0
    ok = answer(registered, member(), f"/capnhat {number} 40% " + "đã trình " * 200)
    assert "Đã ghi tiến độ" in ok  # 1,800 characters: within the cap
    assert _updates(office) == 1


def test_a_nul_in_a_command_is_answered_not_stored(
    registered: ChatService, office: sessionmaker[Session]
) -> None:
    number = number_of(office, "trước ngày 20 hằng tháng")
    reply = answer(registered, member(), f"/capnhat {number} 40% đã\x00 trình")
    assert "ký tự" in reply
    assert _updates(office) == 0


def test_a_button_with_a_huge_number_is_answered(registered: ChatService) -> None:
    result = registered.press(member(), "done:99999999999999999999")
    assert result.mark is None
    assert "Nút này không còn dùng được" in result.answer


def test_a_year_far_away_is_answered(
    registered: ChatService, office: sessionmaker[Session]
) -> None:
    with office() as session:
        number = next(
            t.number
            for t in store.live_tasks(session)
            if t.due_date and [a.unit.code for a in t.owners] == ["hcqt"]
        )
    reply = answer(registered, member(), f"/giahan {number} 31/12/9999 chờ ý kiến")
    assert "31/12/9999" in reply and ("quá xa" in reply or "nằm ngoài" in reply)
    with office() as session:
        assert session.scalar(select(func.count()).select_from(ExtensionRequest)) == 0
