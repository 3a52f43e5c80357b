"""The office's word on a task itself: its date, its owners, confidentiality, and the
proposals read from prose (accept, edit, reject).

A proposal becomes a task only with an owner: a task nobody owns is reminded to nobody.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.actions.base import Actor, Effect, Outcome, Refusal, audit, each_found, live_tasks
from data import parts
from data.clock import local_date
from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.models import Task, Unit
from jobs.compose import format_date

NOT_A_PROPOSAL = "#{number} không phải nhiệm vụ đề xuất."
NO_OWNER_YET = (
    "#{number} chưa có đơn vị chủ trì: chọn đơn vị trước khi nhận "
    "(trang quản trị, hoặc nhacviec tasks owners {number} <đơn vị>)."
)


def set_deadline(
    session: Session, actor: Actor, number: int, phrase: str, note: str = ""
) -> Outcome:
    """The office's deadline for a task, typed as a phrase and read by the one reader
    ("30/09/2026", "Quý III/2026", "trước ngày 20 hằng tháng"): a waiting or unreadable
    task becomes an ordinary one; the clerk's reading outlives a re-import."""
    out = Outcome()
    task = store_task(session, number)
    if task is None:
        return out.refuse(Refusal.NO_TASK, f"Không có nhiệm vụ #{number}.", number)
    deadline = parse_deadline(phrase.strip(), task.document.doc_date or local_date(actor.at))
    if deadline.kind is DeadlineKind.UNREADABLE:
        why = deadline.note or deadline.suggestion or "không đọc được"
        return out.refuse(
            Refusal.UNREADABLE, f"Không đọc được thời hạn «{phrase.strip()}»: {why}", number
        )
    if not parts.set_deadline(task, deadline, actor.change(note.strip())):
        return out.refuse(Refusal.UNCHANGED, f"#{number} đã có thời hạn này, không đổi.", number)
    audit(session, actor, "task_dated", f"#{number} «{deadline.raw}»")
    shown = format_date(deadline.due) if deadline.due else f"«{deadline.raw}»"
    review = " Nhiệm vụ vẫn cần xem lại (chưa có đơn vị chủ trì)." if task.needs_review else ""
    out.add(Effect.DATED, f"Đã đặt hạn #{number}: {shown}.{review}", task)
    return out


def set_owners(session: Session, actor: Actor, number: int, owners: Sequence[Unit]) -> Outcome:
    """The office names a task's owner units (kept across re-imports)."""
    out = Outcome()
    if not owners:
        return out.refuse(
            Refusal.NO_OWNER, f"Cần ít nhất một đơn vị chủ trì cho #{number}.", number
        )
    task = store_task(session, number)
    if task is None:
        return out.refuse(Refusal.NO_TASK, f"Không có nhiệm vụ #{number}.", number)
    if not parts.set_owners(task, owners, actor.change()):
        return out.refuse(Refusal.UNCHANGED, f"#{number} đã do các đơn vị này chủ trì.", number)
    names = ", ".join(u.name for u in owners)
    audit(session, actor, "task_owners", f"#{number}: {', '.join(u.code for u in owners)}")
    out.add(
        Effect.OWNERS, f"#{number} đơn vị chủ trì: {names}", task, tuple(u.name for u in owners)
    )
    return out


def store_task(session: Session, number: int) -> Task | None:
    """A live task or a proposal (both may be given owners)."""
    task = live_tasks(session, [number]).get(number)
    return task or parts.proposals_for_update(session, [number]).get(number)


def set_confidential(session: Session, actor: Actor, numbers: Sequence[int], on: bool) -> Outcome:
    out = Outcome()
    for number, task in each_found(live_tasks(session, numbers), numbers, out):
        if not parts.set_confidential(task, on, actor.change()):
            out.refuse(Refusal.UNCHANGED, f"#{number} không đổi.", number)
            continue
        word = "mật" if on else "không mật"
        out.add(Effect.CONFIDENTIAL, f"#{number}: {word}", task)
        audit(session, actor, "confidential", f"#{number} {word}")
    return out


def accept_proposals(session: Session, actor: Actor, numbers: Sequence[int]) -> Outcome:
    out = Outcome()
    found = parts.proposals_for_update(session, numbers)
    for number, task in each_found(found, numbers, out, NOT_A_PROPOSAL):
        if not task.owners:
            out.refuse(Refusal.NO_OWNER, NO_OWNER_YET.format(number=number), number)
            continue
        parts.accept_proposal(task, actor.change())
        audit(session, actor, "proposal_accepted", f"#{number}: {task.title[:80]}")
        review = " (còn cần xem lại thời hạn)" if task.needs_review else ""
        out.add(
            Effect.ACCEPTED, f"Đã nhận #{number} thành nhiệm vụ: {task.title[:80]}{review}.", task
        )
    return out


def reject_proposals(session: Session, actor: Actor, numbers: Sequence[int]) -> Outcome:
    out = Outcome()
    found = parts.proposals_for_update(session, numbers)
    for number, task in each_found(found, numbers, out, NOT_A_PROPOSAL):
        title = task.title[:80]
        parts.reject_proposal(session, task)
        audit(session, actor, "proposal_rejected", f"#{number}: {title}")
        out.add(Effect.REJECTED, f"Đã bỏ đề xuất #{number}: {title}.")
    return out


def edit_proposal(
    session: Session,
    actor: Actor,
    number: int,
    *,
    title: str = "",
    owner: Unit | None = None,
    deadline: Deadline | None = None,
) -> Outcome:
    out = Outcome()
    task = parts.proposals_for_update(session, [number]).get(number)
    if task is None:
        return out.refuse(Refusal.NO_TASK, f"#{number} không phải nhiệm vụ đề xuất.", number)
    changed = parts.edit_proposal(task, actor.change(), title=title, owner=owner, deadline=deadline)
    if changed:
        audit(session, actor, "proposal_edited", f"#{number}: {'; '.join(changed)}")
        out.add(Effect.EDITED, f"Đã sửa đề xuất #{number}: {'; '.join(changed)}.", task)
    return out
