"""The chat's Vietnamese texts about tasks: pure functions of what the store holds.

A confidential task's title never appears here: every line goes through
``chat_title``, which shows "(nội dung mật)" with the number, the unit and dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.access import Reader, may_read
from data.clock import local_date
from data.deadlines import DeadlineKind
from data.domain import ExtensionStatus, TaskAction
from data.models import Assignment, ExtensionRequest, Task
from data.taskview import CONFIDENTIAL_TITLE
from data.vocabulary import DEADLINE_KIND, TASK_ACTION, TASK_STATUS
from jobs.compose import format_date, shorten, written_differs
from jobs.due import DueItem
from jobs.report import Counts, PartStatus

STATUS_WORDS = TASK_STATUS
_HISTORY = (  # what a chat's history of a task shows (imports and flags are the office's)
    TaskAction.DONE,
    TaskAction.REOPENED,
    TaskAction.UPDATED,
    TaskAction.REMOVED,
    TaskAction.EXTENDED,
    TaskAction.EXTENSION_REQUESTED,
    TaskAction.EXTENSION_REFUSED,
    TaskAction.ACCEPTED,
    TaskAction.REPORTED,
    TaskAction.CONFIRMED,
    TaskAction.RETURNED,
    TaskAction.FILED,
)
ACTIONS = {action: TASK_ACTION[action] for action in _HISTORY}
_KIND_WORDS = {
    kind: DEADLINE_KIND[kind]
    for kind in (
        DeadlineKind.ONGOING,
        DeadlineKind.FROM,
        DeadlineKind.WAITING,
        DeadlineKind.UNREADABLE,
        DeadlineKind.DONE,
    )
}


def chat_title(task: Task, limit: int | None = None) -> str:
    """The title as a chat may show it (shortened when ``limit`` is given)."""
    if not may_read(Reader.CHAT, task.is_confidential):
        return CONFIDENTIAL_TITLE
    return shorten(task.title, limit) if limit else task.title


def agenda_line(item: DueItem) -> str:
    view = item.task
    raw = view.raw_deadline
    shown = f'; theo văn bản: "{raw}"' if written_differs(raw, item.due) else ""
    extended = "; đã gia hạn" if view.extended else ""
    when = f"hạn {format_date(item.due)}{shown}{extended}"
    return f"• #{view.number} {shorten(view.chat_title)} ({when})"


def counts_line(counts: Counts) -> str:
    """ "đúng hạn 3 · quá hạn (đã xong) 1 · còn hạn 5 · quá hạn 2 · tỷ lệ đúng hạn 50%"."""
    rate = counts.on_time_rate
    parts = [
        f"đúng hạn {counts[PartStatus.DONE_ON_TIME]}",
        f"xong trễ {counts[PartStatus.DONE_LATE]}",
        f"còn hạn {counts[PartStatus.IN_TERM]}",
        f"quá hạn {counts[PartStatus.OVERDUE]}",
    ]
    apart = [
        (counts[PartStatus.NO_DEADLINE], "thường xuyên"),
        (counts[PartStatus.WAITING], "chờ chỉ đạo"),
        (counts[PartStatus.REVIEW], "cần xem lại"),
        (counts.extended, "được gia hạn"),
    ]
    parts += [f"{label} {n}" for n, label in apart if n]
    parts.append(f"tỷ lệ đúng hạn {rate:.0%}" if rate is not None else "chưa có việc đến hạn")
    return " · ".join(parts)


def _part_line(part: Assignment, today: date) -> str:
    due = part.due_date()
    when = f"hạn {format_date(due)}" if due else ""
    if part.extended_to is not None:
        when += " (đã gia hạn)"
    if part.done_at is not None:
        state = f"✅ xong {format_date(local_date(part.done_at))}"
        if part.done_by:
            state += f" — {part.done_by.split(' (')[0]}"
    elif part.reported_at is not None:
        state = f"📨 báo xong {format_date(local_date(part.reported_at))}, chờ văn phòng xác nhận"
    elif due is not None and due < today:
        state = f"🔴 quá hạn {(today - due).days} ngày"
    else:
        state = "đang làm"
    return f"• {part.unit.name}: {state}" + (f"; {when}" if when else "")


def detail_text(
    task: Task,
    today: date,
    unit_names: Mapping[int, str] | None = None,
    requests: Sequence[ExtensionRequest] = (),
) -> str:
    """/chitiet: the task, its deadline as written and as read, each unit's part, history.

    A confidential task shows its dates and statuses, no words written about it
    (``bot.access.may_read``): no title, source, progress text nor history detail."""
    readable = may_read(Reader.CHAT, task.is_confidential)
    understood = []
    if task.start_date:
        understood.append(f"bắt đầu {format_date(task.start_date)}")
    if task.due_date:
        understood.append(f"hạn {format_date(task.due_date)}")
    if task.rrule:
        understood.append("định kỳ")
    kind_word = _KIND_WORDS.get(task.deadline_kind)
    if kind_word:
        understood.append(kind_word)
    source = " · ".join(
        part
        for part in (
            task.document.title[:80] if task.document and readable else "",
            task.appendix,
            task.section.split(" › ")[-1][:60] if task.section and readable else "",
            f"TT {task.ref}" if task.ref else "",
        )
        if part
    )
    lines = [
        f"#{task.number} {chat_title(task)}",
        "",
        f'Thời hạn theo văn bản: "{task.deadline_raw or "(trống)"}"',
        f"Hiểu là: {', '.join(understood) or 'không có hạn'}",
        f"Trạng thái: {STATUS_WORDS[task.status]}",
    ]
    if task.product and readable:
        lines.append(f"Sản phẩm: {task.product}")
    owners = task.owners
    if owners:
        lines.append("Đơn vị chủ trì:" if len(owners) > 1 else "Đơn vị:")
        lines += [_part_line(part, today) for part in owners]
    else:
        lines.append(f"Đơn vị: {task.unit_text or 'chưa rõ'}")
    if task.cooperating:
        lines.append("Phối hợp: " + ", ".join(a.unit.name for a in task.cooperating))
    updates = sorted(
        ((u, part) for part in owners for u in part.updates), key=lambda pair: pair[0].at
    )
    if updates:
        lines.append("Tiến độ:")
        for update, part in updates[-6:]:
            percent = f"{update.percent}% — " if update.percent is not None else ""
            whose = f" {part.unit.name}" if len(owners) > 1 else ""
            text = update.text if readable else CONFIDENTIAL_TITLE
            lines.append(f"• {format_date(local_date(update.at))}{whose}: {percent}{text}")
    pending = [r for r in requests if r.status is ExtensionStatus.PENDING]
    lines += [
        f"⏳ Xin gia hạn đến {format_date(r.requested_to)} (mã {r.code}) — chờ văn phòng duyệt"
        for r in pending
    ]
    if source:
        lines.append(f"Nguồn: {source}")
    history = [e for e in task.events if e.action in _HISTORY]
    if history:
        names = unit_names or {}
        lines.append("Lịch sử:")
        for event in history[-8:]:
            unit = names.get(event.unit_id) if event.unit_id is not None else None
            whose = f" ({unit})" if unit else ""
            actor = f" — {event.actor}" if event.actor and event.actor != "import" else ""
            shown = readable and event.detail and event.action is not TaskAction.UPDATED
            detail = f": {event.detail}" if shown else ""
            line = f"• {format_date(local_date(event.at))} {ACTIONS[event.action]}{whose}"
            lines.append(line + actor + detail)
    return "\n".join(lines)
