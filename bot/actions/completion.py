"""Report a part done, open it again, confirm or send back a unit's report.

One rule set for every surface:
* a unit reports its own part; the office any owner's part (or all of them);
* with confirmation on, a unit's report waits for the office ("chờ xác nhận"); the
  office's own done of a waiting part is its confirmation: the part counts done on the
  day the unit reported it, and the unit is told;
* the office's reopen of a waiting report returns it (the part is open again);
* whenever the office changes a unit's part, the unit's chats are told;
* sending a report back needs a reason, wherever it is done;
* a recurring task's part is reported one occurrence at a time: ``month`` names one
  (``/done 9 05/2026``), else done means ``Due.current_occurrence`` (the coming one
  once its reminders have started, else the latest past one) and reopen the latest
  one reported; a bare reopen of a waiting report withdraws just that report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.access import DoneBy, may_change
from bot.actions.base import (
    Actor,
    Effect,
    Outcome,
    Refusal,
    audit,
    each_found,
    live_tasks,
    tell_office,
    tell_unit,
)
from bot.actions.buttons import confirmation_buttons
from bot.actions.files import files_line
from bot.texts import chat_title
from data import parts, store, unit_store
from data.clock import local_date
from data.deadlines import DeadlineKind
from data.models import Assignment, Task, Unit
from data.taskview import Reader, may_read
from jobs.calendar import WorkCalendar
from jobs.compose import format_date
from jobs.due import Due
from jobs.plan import Policy


@dataclass(frozen=True)
class Rules:
    """The office's settings every verb obeys."""

    confirm_done: bool = False  # NHACVIEC_CONFIRM_DONE
    done_by: DoneBy = DoneBy.MEMBERS


def _chosen(task: Task, actor: Actor, unit: Unit | None) -> list[Assignment] | None:
    """The parts this actor acts on: a unit's own; the office's chosen unit's, or all."""
    own = actor.unit if not actor.office else unit
    if own is None:
        return list(task.owners)
    part = task.part_for(own.id)
    return [part] if part is not None and part in task.owners else None


def _check(
    task: Task, actor: Actor, rules: Rules, unit: Unit | None, out: Outcome
) -> list[Assignment] | None:
    refusal = may_change(actor.office, actor.unit, actor.chat_admin, task, rules.done_by)
    if refusal is not None:
        reason = Refusal.NOT_OWNER if actor.unit is not None else Refusal.NOT_ALLOWED
        out.refuse(reason, refusal, task.number)
        return None
    chosen = _chosen(task, actor, unit)
    if chosen is None:
        name = unit.name if unit is not None else ""
        out.refuse(
            Refusal.NOT_OWNER, f"#{task.number}: {name} không phải đơn vị chủ trì.", task.number
        )
    return chosen


def _tell_parts(
    session: Session, actor: Actor, task: Task, changed: Sequence[Assignment], text: str
) -> int:
    """The office changed these units' parts: each unit's chats hear it once."""
    if not actor.office:
        return 0
    told = 0
    for part in changed:
        key = f"of-{task.number}-{part.id}-{actor.at:%Y%m%d%H%M%S}"
        told += tell_unit(session, actor, part.unit_id, text, key, task.number)
    return told


def _targets(
    session: Session,
    actor: Actor,
    rules: Rules,
    numbers: Sequence[int],
    unit: Unit | None,
    out: Outcome,
) -> Iterator[tuple[int, Task, list[Assignment]]]:
    """Each named live task with the parts this actor may act on (refusals in ``out``)."""
    for number, task in each_found(live_tasks(session, numbers), numbers, out):
        chosen = _check(task, actor, rules, unit, out)
        if chosen is not None:
            yield number, task, chosen


def _occurrence(
    task: Task,
    chosen: list[Assignment],
    month: tuple[int, int] | None,
    today: date,
    due: Due | None,
    *,
    done: bool,
) -> date | None:
    """The occurrence of a recurring task a done or reopen names (None: not recurring;
    a bare reopen: the latest one reported, which ``parts.mark_part`` finds)."""
    if task.deadline_kind is not DeadlineKind.RECURRING or not chosen:
        return None
    due = due or Due(WorkCalendar(), Policy())
    view = store.task_view(task, chosen[0])
    if month is not None:
        year, number = month
        closed = [
            c.occurrence for c in view.closed if (c.occurrence.year, c.occurrence.month) == month
        ]
        if closed and not done:  # reopen the month's latest one reported
            return max(closed)
        return due.occurrence_in(view, year, number)
    return due.current_occurrence(view, today) if done else None


def _no_occurrence(out: Outcome, number: int, month: tuple[int, int]) -> None:
    text = f"#{number} không có kỳ nào trong tháng {month[1]:02d}/{month[0]}."
    out.refuse(Refusal.BAD_OCCURRENCE, text, number)


def _which(occurrence: date | None) -> str:
    return f" kỳ hạn {format_date(occurrence)}" if occurrence is not None else ""


def report_done(
    session: Session,
    actor: Actor,
    rules: Rules,
    numbers: Sequence[int],
    *,
    unit: Unit | None = None,
    note: str = "",
    month: tuple[int, int] | None = None,
    due: Due | None = None,
) -> Outcome:
    """Report parts done (the unit's own; the office's: ``unit``'s or every owner's).

    A recurring task: one occurrence (``month``'s, else the current one as of the
    actor's day under ``due``: the office's calendar and policy)."""
    out = Outcome()
    change = actor.change(note)
    for number, task, chosen in _targets(session, actor, rules, numbers, unit, out):
        occurrence = _occurrence(task, chosen, month, local_date(actor.at), due, done=True)
        if month is not None and occurrence is None:
            _no_occurrence(out, number, month)
            continue
        if not actor.office and rules.confirm_done:
            reported = [
                p for p in chosen if parts.report_part(task, p, change, occurrence=occurrence)
            ]
            if reported:
                _ask_confirmation(session, actor, task, reported, note)
                names = tuple(p.unit.name for p in reported)
                out.add(
                    Effect.REPORTED,
                    f"#{number}{_which(occurrence)} báo hoàn thành, chờ văn phòng xác nhận",
                    task,
                    names,
                    occurrence,
                )
                audit(
                    session,
                    actor,
                    "reported",
                    f"#{number} ({', '.join(p.unit.code for p in reported)})",
                )
                _want_file(out, task, reported, actor)
                continue
            if any(p.awaiting_confirmation for p in chosen):
                out.refuse(
                    Refusal.WAITING_CONFIRMATION,
                    f"#{number} đã báo xong, đang chờ văn phòng xác nhận.",
                    number,
                )
                continue
        sent = {p.id: p.reported_at for p in chosen}  # a confirmed report counts from then
        confirmed = [p for p in chosen if actor.office and parts.confirm_part(task, p, change)]
        changed = confirmed + [
            p
            for p in chosen
            if p not in confirmed
            and parts.mark_part(task, p, change, done=True, occurrence=occurrence)
        ]
        whole = not task.owners and actor.office and parts.mark_task(task, change, done=True)
        if not _recorded(out, Effect.DONE, task, changed, whole, occurrence):
            continue
        detail = f"#{number} ({', '.join(p.unit.code for p in changed)})" + (
            f": {note}" if note else ""
        )
        audit(session, actor, "done", detail)
        for part in changed:
            at = sent.get(part.id) if part in confirmed else None
            day = format_date(local_date(at or part.done_at or actor.at))
            title = chat_title(task, 70)
            text = f"✅ Văn phòng ghi nhận #{number} {title} hoàn thành (tính ngày {day})."
            out.told += _tell_parts(session, actor, task, [part], text)
    return out


def reopen(
    session: Session,
    actor: Actor,
    rules: Rules,
    numbers: Sequence[int],
    *,
    unit: Unit | None = None,
    note: str = "",
    month: tuple[int, int] | None = None,
    due: Due | None = None,
) -> Outcome:
    """Open parts again; a report still waiting for the office is withdrawn (returned).

    A recurring task: one occurrence (``month``'s, else the latest one reported; a
    report waiting is withdrawn, and without ``month`` that is the reopen)."""
    out = Outcome()
    change = actor.change(note)
    for number, task, chosen in _targets(session, actor, rules, numbers, unit, out):
        occurrence = _occurrence(task, chosen, month, local_date(actor.at), due, done=False)
        if month is not None and occurrence is None:
            _no_occurrence(out, number, month)
            continue
        returned = [p for p in chosen if parts.return_part(task, p, change)]
        recurring = task.deadline_kind is DeadlineKind.RECURRING
        withdrawn = returned if recurring and occurrence is None else []
        changed = returned + [
            p
            for p in chosen
            if p not in withdrawn
            and parts.mark_part(task, p, change, done=False, occurrence=occurrence)
            and p not in returned
        ]
        whole = not task.owners and actor.office and parts.mark_task(task, change, done=False)
        if not _recorded(out, Effect.REOPENED, task, changed, whole, occurrence):
            continue
        audit(session, actor, "reopened", f"#{number} ({', '.join(p.unit.code for p in changed)})")
        text = f"↩️ Văn phòng mở lại #{number} {chat_title(task, 70)}: việc chưa hoàn thành."
        out.told += _tell_parts(session, actor, task, changed, text)
    return out


# Effect → (what a change is called, what is said when nothing changed)
_SAID = {
    Effect.DONE: ("hoàn thành", "đã được báo hoàn thành từ trước."),
    Effect.REOPENED: ("mở lại", "đang mở, không cần mở lại."),
}


def _recorded(
    out: Outcome,
    effect: Effect,
    task: Task,
    changed: list[Assignment],
    whole: bool,
    occurrence: date | None,
) -> bool:
    """The outcome of a done or a reopen: the parts it changed (a task without owners:
    the task), or the refusal that nothing changed. True when something did."""
    done, unchanged = _SAID[effect]
    which = f"#{task.number}{_which(occurrence)}"
    if not changed and not whole:
        out.refuse(Refusal.UNCHANGED, f"{which} {unchanged}", task.number)
        return False
    names = tuple(p.unit.name for p in changed) or ("(nhiệm vụ chưa có đơn vị)",)
    out.add(effect, f"{which} {done}: {', '.join(names)}", task, names, occurrence)
    return True


def _want_file(out: Outcome, task: Task, reported: list[Assignment], actor: Actor) -> None:
    """A plan that names a product: a report without its file asks for it, once per part."""
    asked = [p for p in reported if parts.ask_for_file(task, p, actor.at)]
    if asked:
        product = task.product if may_read(Reader.CHAT, task.is_confidential) else "Việc"
        out.add(
            Effect.FILE_WANTED,
            f"📎 {product} này cần tệp sản phẩm: gửi tệp kèm chú thích /done "
            f"{task.number} (hoặc trả lời tin này bằng tệp) để văn phòng xem trước khi "
            "xác nhận.",
            task,
            tuple(p.unit.name for p in asked),
        )


def _ask_confirmation(
    session: Session, actor: Actor, task: Task, reported: list[Assignment], note: str
) -> None:
    for part in reported:
        shown = f"\nGhi chú: {note}" if note else ""
        text = (
            f"📥 {part.unit.name} báo hoàn thành #{task.number} {chat_title(task, 70)} "
            f"ngày {format_date(local_date(actor.at))}.{shown}\n{files_line(task, part)}\n"
            f"Xác nhận: /xacnhan {task.number} {part.unit.code} · "
            f"Trả lại: /tralai {task.number} {part.unit.code} <lý do>"
        )
        key = f"cf-{task.number}-{part.unit.code}-{part.id}-{actor.at:%Y%m%d%H%M%S}"
        tell_office(session, actor, text, key, confirmation_buttons(task.number, part.unit.code))


def settle(
    session: Session,
    actor: Actor,
    number: int,
    unit_word: str,
    *,
    confirm: bool,
    reason: str = "",
) -> Outcome:
    """Confirm a unit's reported completion (done as of the day it reported) or send it
    back with a reason (open again, old deadline); the unit is told."""
    out = Outcome()
    if not confirm and not reason.strip():
        return out.refuse(Refusal.REASON_REQUIRED, "Cần nêu lý do trả lại.", number)
    task = live_tasks(session, [number]).get(number)
    if task is None:
        return out.refuse(Refusal.NO_TASK, f"Không có nhiệm vụ #{number}.", number)
    unit = unit_store.find_unit(session, unit_word) if unit_word else None
    waiting = [
        p for p in task.owners if p.awaiting_confirmation and (unit is None or p.unit_id == unit.id)
    ]
    if not waiting:
        return out.refuse(
            Refusal.NOTHING_WAITING, f"#{number} không có phần việc nào đang chờ xác nhận.", number
        )
    if unit is None and unit_word and len(waiting) > 1:  # a mistyped code never widens
        codes = ", ".join(p.unit.code for p in waiting)
        return out.refuse(
            Refusal.AMBIGUOUS_UNIT,
            f"«{unit_word}» không phải mã đơn vị, và #{number} có {len(waiting)} phần "
            f"chờ xác nhận ({codes}).",
            number,
        )
    change = actor.change(reason.strip())
    for part in waiting:
        if confirm:
            sent = part.reported_at  # the day it counts from (a recurring part: its occurrence's)
            parts.confirm_part(task, part, change)
            day = format_date(local_date(sent or part.done_at or actor.at))
            told = (
                f"✅ Văn phòng đã xác nhận hoàn thành #{number} {chat_title(task, 70)} "
                f"(tính ngày {day})."
            )
        else:
            parts.return_part(task, part, change)
            told = (
                f"↩️ Văn phòng trả lại #{number} {chat_title(task, 70)}: {change.note}\n"
                "Việc được mở lại với thời hạn cũ."
            )
        key = f"cf-{number}-{part.unit.code}-{actor.at:%Y%m%d%H%M%S}"
        out.told += tell_unit(session, actor, part.unit_id, told, key, number)
    names = ", ".join(p.unit.name for p in waiting)
    effect = Effect.CONFIRMED if confirm else Effect.RETURNED
    word = "Đã xác nhận" if confirm else "Đã trả lại"
    why = f" (lý do: {reason.strip()})" if not confirm else ""
    out.add(effect, f"{word} #{number}: {names}{why}.", task, tuple(p.unit.name for p in waiting))
    audit(session, actor, "confirmed" if confirm else "returned", f"#{number} ({names})")
    return out
