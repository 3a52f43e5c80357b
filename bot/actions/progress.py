"""A unit's progress on its part of a long task (``/capnhat``, or a reply to the check-in)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.actions.base import Actor, Effect, Outcome, Refusal, audit, live_tasks
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
    if actor.unit is None or actor.office:
        return out.refuse(Refusal.NOT_ALLOWED, "Đơn vị cập nhật tiến độ trong nhóm của mình.")
    task = live_tasks(session, [number]).get(number)
    if task is None:
        return out.refuse(
            Refusal.NO_TASK, f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.", number
        )
    part = task.part_for(actor.unit.id)
    if part is None:
        return out.refuse(
            Refusal.NOT_OWNER, f"#{number} không phải việc chủ trì của {actor.unit.name}.", number
        )
    parts.record_update(task, part, percent, text, actor.change())
    audit(session, actor, "progress", f"#{number}: {text[:200]}")
    shown = f"{percent}%, " if percent is not None else ""
    out.add(
        Effect.PROGRESS,
        f"📝 Đã ghi tiến độ #{number} {chat_title(task, 70)} ({shown}"
        f"{format_date(local_date(actor.at))}). Xem lại: /chitiet {number}.",
        task,
        (actor.unit.name,),
    )
    return out
