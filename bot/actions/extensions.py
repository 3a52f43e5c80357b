"""Extensions: a unit asks, the office decides; or the office extends a part itself.

One rule everywhere: an extension only ever moves a deadline later — after the part's
current deadline and after today — and it has a reason. A refusal needs a reason too
(the unit is told why), whether typed in the chat, the console or pressed as a button.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.actions.base import (
    Actor,
    Effect,
    Outcome,
    Refusal,
    audit,
    live_tasks,
    tell_office,
    tell_unit,
)
from bot.actions.buttons import decision_buttons
from bot.texts import chat_title
from data import parts
from data.clock import local_date
from data.domain import ExtensionStatus
from data.models import Assignment, Unit
from data.taskview import Reader, shown_to
from jobs.compose import format_date


def _too_early(part: Assignment, to: date, today: date, number: int) -> tuple[Refusal, str] | None:
    """Why ``to`` is not an extension of this part (None when it is)."""
    if to <= today:
        return Refusal.IN_THE_PAST, (
            f"Hạn mới ({format_date(to)}) phải sau hôm nay ({format_date(today)})."
        )
    current = part.due_date()
    if current is not None and to <= current:
        return Refusal.NOT_LATER, (
            f"#{number} {part.unit.name}: hạn mới ({format_date(to)}) phải sau hạn hiện tại "
            f"({format_date(current)}) — gia hạn chỉ lùi hạn về sau."
        )
    return None


def ask(session: Session, actor: Actor, number: int, to: date, reason: str) -> Outcome:
    """A unit's request for its own part; the office's chat gets it with ✅/❌."""
    out = Outcome()
    reason = reason.strip()
    if not reason:
        return out.refuse(Refusal.REASON_REQUIRED, "Cần nêu lý do xin gia hạn.", number)
    if actor.unit is None or actor.office:
        return out.refuse(
            Refusal.NOT_ALLOWED,
            "Đơn vị xin gia hạn trong nhóm của mình; văn phòng gia hạn trực tiếp bằng "
            "nhacviec extend hoặc trên trang quản trị.",
        )
    task = live_tasks(session, [number]).get(number)
    if task is None:
        return out.refuse(
            Refusal.NO_TASK, f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.", number
        )
    part = task.part_for(actor.unit.id)
    if part is None or part not in task.owners:
        return out.refuse(
            Refusal.NOT_OWNER, f"#{number} không phải việc chủ trì của {actor.unit.name}.", number
        )
    if part.done_at is not None:
        return out.refuse(
            Refusal.UNCHANGED, f"#{number} đã báo hoàn thành, không cần gia hạn.", number
        )
    current = part.due_date()
    if current is None:
        return out.refuse(
            Refusal.NO_DATE, f"#{number} không có hạn cụ thể, không cần gia hạn.", number
        )
    early = _too_early(part, to, local_date(actor.at), number)
    if early is not None:
        return out.refuse(early[0], early[1], number)
    pending = parts.open_request(session, part)
    if pending is not None:
        return out.refuse(
            Refusal.ALREADY_ASKED,
            f"#{number} đã có đề nghị gia hạn đến {format_date(pending.requested_to)} "
            f"(mã {pending.code}) đang chờ văn phòng duyệt.",
            number,
        )
    change = actor.change(reason)
    request = parts.request_extension(session, task, part, to, change)
    audit(session, actor, "extension_requested", f"#{number} {request.code}")
    shown_reason = shown_to(Reader.CHAT, task.is_confidential, reason)
    text = (
        f"⏳ {actor.unit.name} xin gia hạn #{number} {chat_title(task, 70)}\n"
        f"Hạn hiện tại: {format_date(current)} → xin đến: {format_date(to)}\n"
        f"Lý do: {shown_reason}\nNgười đề nghị: {actor.audit_as.user_name}\n"
        f"Duyệt: /duyet {request.code} · Từ chối: /tuchoi {request.code} <lý do>"
    )
    buttons = decision_buttons(request.code)
    out.told = tell_office(session, actor, text, f"ext-{request.code}", buttons)
    out.add(
        Effect.REQUESTED,
        f"Đã gửi đề nghị gia hạn #{number} đến {format_date(to)} (mã {request.code}).",
        task,
        (actor.unit.name,),
    )
    return out


def decide(session: Session, actor: Actor, code: str, *, approve: bool, note: str = "") -> Outcome:
    """The office approves (the part's deadline moves) or refuses (with a reason)."""
    out = Outcome()
    note = note.strip()
    if not approve and not note:
        return out.refuse(
            Refusal.REASON_REQUIRED, f"Cần nêu lý do từ chối: /tuchoi {code} <lý do>."
        )
    request = parts.request_for_update(session, code)
    if request is None:
        return out.refuse(
            Refusal.NO_REQUEST, f"Không có đề nghị gia hạn mã {code.strip().upper()}."
        )
    if request.status is not ExtensionStatus.PENDING:
        state = "đã được duyệt" if request.status is ExtensionStatus.APPROVED else "đã bị từ chối"
        return out.refuse(Refusal.DECIDED, f"Đề nghị {request.code} {state} từ trước.")
    part, task = request.assignment, request.assignment.task
    if approve:
        early = _too_early(part, request.requested_to, local_date(actor.at), task.number)
        if early is not None:
            return out.refuse(early[0], f"Không duyệt được {request.code}: {early[1]}", task.number)
    change = actor.change(note)
    parts.decide(request, approve, change)
    audit(session, actor, "extension_" + ("approved" if approve else "refused"), request.code)
    if approve:
        told = (
            f"✅ Văn phòng đã duyệt gia hạn #{task.number} {chat_title(task, 70)}: "
            f"hạn mới {format_date(request.requested_to)}."
        )
    else:
        previous = format_date(request.previous_due) if request.previous_due else "cũ"
        why = f" Lý do: {shown_to(Reader.CHAT, task.is_confidential, note)}"
        told = (
            f"❌ Văn phòng không duyệt gia hạn #{task.number} {chat_title(task, 70)} "
            f"(giữ hạn {previous}).{why}"
        )
    out.told = tell_unit(session, actor, part.unit_id, told, f"ext-{request.code}", task.number)
    word = "Đã duyệt" if approve else "Đã từ chối"
    line = f"{word} đề nghị {request.code}: #{task.number} của {part.unit.name}"
    line += f", hạn mới {format_date(request.requested_to)}." if approve else "."
    out.add(Effect.APPROVED if approve else Effect.REFUSED, line, task, (part.unit.name,))
    return out


def extend(
    session: Session, actor: Actor, number: int, to: date, unit: Unit | None, reason: str
) -> Outcome:
    """The office's own extension of the chosen part(s)."""
    out = Outcome()
    reason = reason.strip()
    if not reason:
        return out.refuse(Refusal.REASON_REQUIRED, "Hãy ghi lý do gia hạn.", number)
    task = live_tasks(session, [number]).get(number)
    if task is None:
        return out.refuse(Refusal.NO_TASK, f"Không có nhiệm vụ #{number}.", number)
    if unit is None:
        chosen = list(task.owners)
    else:
        part = task.part_for(unit.id)
        if part is None or part not in task.owners:
            return out.refuse(
                Refusal.NOT_OWNER, f"#{number}: {unit.name} không phải đơn vị chủ trì.", number
            )
        chosen = [part]
    if not chosen:
        return out.refuse(Refusal.NO_OWNER, f"#{number} chưa có đơn vị chủ trì để gia hạn.", number)
    today = local_date(actor.at)
    for part in chosen:
        early = _too_early(part, to, today, number)
        if early is not None:
            return out.refuse(early[0], early[1], number)
    change = actor.change(reason)
    for part in chosen:
        old = parts.extend_part(task, part, to, change)
        was = format_date(old) if old else "không có hạn"
        out.add(
            Effect.EXTENDED,
            f"#{number} {part.unit.name}: hạn {was} → {format_date(to)}",
            task,
            (part.unit.name,),
        )
        told = f"📅 Văn phòng gia hạn #{number} {chat_title(task, 70)}: hạn mới {format_date(to)}."
        key = f"ex-{number}-{part.id}-{actor.at:%Y%m%d%H%M%S}"
        out.told += tell_unit(session, actor, part.unit_id, told, key, number)
    audit(session, actor, "extended", f"#{number} đến {to.isoformat()}: {reason}")
    return out
