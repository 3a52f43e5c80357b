"""A unit's progress on its part of a long task (``/capnhat``, or a reply to the check-in)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.actions.base import Actor, Effect, Outcome, Refusal, audit, own_part
from bot.texts import chat_title
from data import parts
from data.clock import local_date
from jobs.compose import format_date

NOTE_LIMIT = 2000  # characters kept of one update: a report, not a document


def record(session: Session, actor: Actor, number: int, percent: int | None, text: str) -> Outcome:
    out = Outcome()
    text = text.strip()
    if percent is not None and not 0 <= percent <= 100:
        return out.refuse(Refusal.UNREADABLE, "Phần trăm phải từ 0 đến 100.", number)
    if not text:
        return out.refuse(Refusal.UNREADABLE, "Cần nội dung cập nhật.", number)
    if len(text) > NOTE_LIMIT:
        return out.refuse(
            Refusal.UNREADABLE,
            f"Nội dung dài {len(text):,} ký tự; tối đa {NOTE_LIMIT:,} ký tự.".replace(",", "."),
            number,
        )
    found = own_part(session, actor, number, out, "Đơn vị cập nhật tiến độ trong nhóm của mình.")
    if found is None:
        return out
    task, part = found
    parts.record_update(task, part, percent, text, actor.change())
    audit(session, actor, "progress", f"#{number}: {text[:200]}")
    shown = f"{percent}%, " if percent is not None else ""
    out.add(
        Effect.PROGRESS,
        f"📝 Đã ghi tiến độ #{number} {chat_title(task, 70)} ({shown}"
        f"{format_date(local_date(actor.at))}). Xem lại: /chitiet {number}.",
        task,
        (part.unit.name,),
    )
    return out
