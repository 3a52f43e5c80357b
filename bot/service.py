"""The chat's brain, shared by Telegram, Zalo and the console demo.

``ChatService.handle`` takes who wrote what where and returns the Vietnamese
answer; ``press`` does the same for a button. Each call is one session and one
transaction (the adapters run it in a worker thread, off the event loop). Nothing
here knows a platform: adapters turn updates into ``Sender`` + text, and send the
``Reply`` (text, buttons, a document) as their platform can.

A unit's ``/done`` reports its own part of a task; messages to other chats (the
office asked to approve an extension, a unit told the outcome) go through the
outbox, so they are sent once, paced and retried like the morning's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy.orm import Session, sessionmaker

from bot import office_actions
from bot.access import Context, DoneBy, Sender, load_context, may_change, may_see
from bot.commands.parsing import Command, parse_command, parse_task_numbers, split_month
from bot.commands.table import Access, CommandSpec, CommandTable
from bot.limits import RegistrationLimits
from bot.texts import agenda_line, chat_title, counts_line, detail_text
from data import chat_store, outbox, parts, store
from data.chat_store import Actor
from data.clock import VN_TZ, local_date
from data.db import transaction
from data.deadlines import DeadlineKind
from data.domain import ChatAddress, ChatRole, ExtensionStatus, MessageKind, TaskStatus
from data.models import Assignment, Task
from data.parts import Change
from data.taskview import Owed
from jobs.calendar import WorkCalendar
from jobs.channels import Button
from jobs.compose import (
    TEXT_LIMIT,
    day_label,
    fit_lines,
    format_date,
    shorten,
    unreported_line,
)
from jobs.due import Due, DueItem, month_end, week_bounds
from jobs.office_report import load_report, report_counts
from jobs.plan import Policy
from jobs.report import PartStatus, reporting_since
from jobs.workbook import report_workbook, summary_text

DONE_PREFIX = "done:"
APPROVE_PREFIX = "ext-ok:"
REFUSE_PREFIX = "ext-no:"
CONFIRM_PREFIX = "cf-ok:"  # cf-ok:<task number>:<unit code>
RETURN_PREFIX = "cf-no:"
MAX_LIST = 25
MAX_UNITS_IN_PROGRESS = 20  # the office's /tiendo: the rest is in the report

HELP_HEADER = """nhacviec — nhắc việc theo kế hoạch của Đảng ủy.
Mỗi sáng ngày làm việc, nhóm nhận một tin: việc sắp đến hạn và việc quá hạn, mỗi việc có số."""

SORRY = "Xin lỗi, nhacviec đang gặp sự cố khi xử lý lệnh này. Vui lòng thử lại sau ít phút."
UNREGISTERED = (
    "Nhóm này chưa đăng ký với nhacviec. Văn phòng Đảng ủy sẽ cấp mã; "
    "khi có mã, gõ /dangky <mã> trong nhóm của chi bộ."
)
_LIVE = (TaskStatus.OPEN, TaskStatus.DONE)


@dataclass(frozen=True)
class Attachment:
    """A file to send with the answer (the .xlsx report); platforms without files get text."""

    filename: str
    content: bytes
    fallback: str  # what to say instead where documents cannot be sent


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None


@dataclass(frozen=True)
class PressResult:
    answer: str  # the short pop-up answer to the button
    mark: str | None  # a line to add to the message ("✅ #57 — Lan, 08:12"), None if unchanged


def done_buttons(numbers: Collection[int], limit: int = 12) -> tuple[Button, ...]:
    return tuple(Button(f"✅ Xong #{n}", f"{DONE_PREFIX}{n}") for n in list(numbers)[:limit])


def confirmation_buttons(number: int, unit: str) -> tuple[Button, ...]:
    """Under a unit's reported completion in the office's chat (confirmation on)."""
    return (
        Button("✅ Xác nhận", f"{CONFIRM_PREFIX}{number}:{unit}"),
        Button("↩️ Trả lại", f"{RETURN_PREFIX}{number}:{unit}"),
    )


def decision_buttons(code: str) -> tuple[Button, ...]:
    """Under an extension request in the office's chat."""
    return (
        Button("✅ Duyệt", f"{APPROVE_PREFIX}{code}"),
        Button("❌ Từ chối", f"{REFUSE_PREFIX}{code}"),
    )


_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2,4}))?$")


def read_day(text: str, today: date) -> date | None:
    """ "30/6/2026", "30-06-2026", "30/6" (this year, or next if already past): a day or None."""
    match = _DATE.match(text.strip().rstrip(".,;"))
    if match is None:
        return None
    day, month, year = int(match[1]), int(match[2]), match[3]
    full = int(year) + (2000 if len(year) == 2 else 0) if year else today.year
    try:
        found = date(full, month, day)
    except ValueError:
        return None
    if year is None and found < today:
        found = found.replace(year=found.year + 1)
    return found


@dataclass
class _Outcome:
    changed: list[tuple[Task, list[Assignment]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reported: list[Task] = field(default_factory=list)  # waiting for the office (confirmation)
    occurrences: dict[int, date] = field(default_factory=dict)  # task -> the one marked


class ChatService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        *,
        calendar: WorkCalendar | None = None,
        policy: Policy | None = None,
        done_by: DoneBy = DoneBy.MEMBERS,
        bot_names: Collection[str] = (),
        commands: Commands | None = None,
        confirm_done: bool = False,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        # The digest's working-day calendar and rules: the commands read tasks the same way.
        self.calendar = calendar or WorkCalendar()
        self.policy = policy or Policy()
        self.due = Due(self.calendar, self.policy)
        self.done_by = done_by
        self.commands: Commands = commands or COMMANDS
        self.bot_names = tuple(bot_names)
        # NHACVIEC_CONFIRM_DONE: a unit's /done waits for the office's ✅ Xác nhận.
        self.confirm_done = confirm_done
        self.registration_limits = RegistrationLimits()  # /dangky attempts, per chat and person

    # -- entry points ----------------------------------------------------------

    def handle(
        self, sender: Sender, text: str, bot_names: Collection[str] | None = None
    ) -> Reply | None:
        """The answer to one message; None when it is not a command for us.

        ``bot_names``: this bot's usernames, so "/done@OtherBot 5" is left to that bot.
        """
        names = self.bot_names if bot_names is None else bot_names
        command = parse_command(text, self.commands, names)
        if command is None:
            return None
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            return self._dispatch(session, context, command)

    def press(self, sender: Sender, data: str) -> PressResult:
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if not context.registered:
                return PressResult(UNREGISTERED, None)
            if data.startswith((APPROVE_PREFIX, REFUSE_PREFIX)):
                return self._press_decision(session, context, data)
            if data.startswith((CONFIRM_PREFIX, RETURN_PREFIX)):
                return self._press_confirmation(session, context, data)
            tail = data.removeprefix(DONE_PREFIX)
            if not data.startswith(DONE_PREFIX) or not tail.isdigit():
                return PressResult("Nút này không còn dùng được.", None)
            number = int(tail)
            outcome = self._set_done(session, context, [number], note="", done=True)
        if outcome.reported:
            return PressResult(f"Đã báo #{number} hoàn thành, chờ văn phòng xác nhận.", None)
        if outcome.changed:
            today = local_date(self.clock())
            return PressResult(f"Đã ghi nhận #{number} hoàn thành.", _mark(sender, number, today))
        return PressResult(outcome.problems[0] if outcome.problems else "Không có thay đổi.", None)

    # -- commands --------------------------------------------------------------

    def _dispatch(self, session: Session, context: Context, command: Command) -> Reply:
        spec = None if command.is_unknown else self.commands.get(command.name)
        if spec is None:
            return Reply(f"Không có lệnh /{command.typed}. Gõ /help để xem các lệnh.")
        if spec.access is not Access.ANYONE and not context.registered:
            return Reply(UNREGISTERED)
        if spec.access is Access.OFFICE and not context.is_office:
            return Reply(f"Lệnh /{spec.name} chỉ dùng trong nhóm của văn phòng.")
        return spec.handler(self, session, context, command)

    def _today(self) -> date:
        return local_date(self.clock())

    def _change(self, context: Context, note: str = "") -> Change:
        sender = context.sender
        return Change(self.clock(), sender.who, sender.where, note)

    # One method per command of the table (same signature): thin, over the helpers below.

    def help(self, session: Session, context: Context, command: Command) -> Reply:
        text = self.commands.help_text()
        return Reply(text if context.registered else f"{text}\n\n{UNREGISTERED}")

    def register(self, session: Session, context: Context, command: Command) -> Reply:
        return self._register(session, context, command.args)

    def due_today(self, session: Session, context: Context, command: Command) -> Reply:
        today = self._today()
        return self._agenda(session, context, today, today, "hôm nay")

    def due_this_week(self, session: Session, context: Context, command: Command) -> Reply:
        today = self._today()
        return self._agenda(session, context, today, week_bounds(today)[1], "tuần này")

    def due_this_month(self, session: Session, context: Context, command: Command) -> Reply:
        today = self._today()
        return self._agenda(session, context, today, month_end(today), "tháng này")

    def late(self, session: Session, context: Context, command: Command) -> Reply:
        return self._overdue(session, context, self._today())

    def mark_done(self, session: Session, context: Context, command: Command) -> Reply:
        return self._done_command(session, context, command, done=True)

    def reopen(self, session: Session, context: Context, command: Command) -> Reply:
        return self._done_command(session, context, command, done=False)

    def detail(self, session: Session, context: Context, command: Command) -> Reply:
        return self._detail(session, context, command.args)

    def progress(self, session: Session, context: Context, command: Command) -> Reply:
        return self._progress(session, context, self._today())

    def ask_extension(self, session: Session, context: Context, command: Command) -> Reply:
        return self._ask_extension(session, context, command.args)

    def approve(self, session: Session, context: Context, command: Command) -> Reply:
        code, _, note = command.args.strip().partition(" ")
        return Reply(self._decide(session, context, code, True, note.strip()))

    def refuse(self, session: Session, context: Context, command: Command) -> Reply:
        code, _, note = command.args.strip().partition(" ")
        if code and not note.strip():
            return Reply(f"Cần nêu lý do: /tuchoi {code} <lý do>.")
        return Reply(self._decide(session, context, code, False, note.strip()))

    def report(self, session: Session, context: Context, command: Command) -> Reply:
        return self._report(session, command.args)

    def update_progress(self, session: Session, context: Context, command: Command) -> Reply:
        return self._update_progress(session, context, command.args)

    def confirm(self, session: Session, context: Context, command: Command) -> Reply:
        return Reply(self._confirmation(session, context, command.args, confirm=True))

    def send_back(self, session: Session, context: Context, command: Command) -> Reply:
        return Reply(self._confirmation(session, context, command.args, confirm=False))

    # -- reading ---------------------------------------------------------------

    def _scope(self, context: Context) -> str:
        return context.unit.name if context.unit and not context.sees_everything else "toàn đảng bộ"

    def _agenda(
        self, session: Session, context: Context, start: date, end: date, label: str
    ) -> Reply:
        own = context.unit.id if context.unit is not None and not context.sees_everything else None
        views = store.task_views(session, today=start, through=end, unit_id=own)  # due by end
        items = _one_per_task(self.due.due_between(views, start, end, start))
        late = _one_per_task(self.due.overdue(views, start))
        span = f"{format_date(start)}–{format_date(end)}" if start != end else day_label(start)
        lines = [f"📅 Việc đến hạn {label} ({span}) — {self._scope(context)}"]
        if items:
            lines += [agenda_line(i) for i in items[:MAX_LIST]]
            if len(items) > MAX_LIST:
                lines.append(f"… và {len(items) - MAX_LIST} việc khác.")
        else:
            lines.append("Không có việc nào đến hạn.")
        if late:
            lines.append(f"\nNgoài ra có {len(late)} việc quá hạn: gõ /quahan.")
        numbers = [i.task.number for i in items]
        return Reply("\n".join(lines), self._buttons(context, numbers))

    def _buttons(self, context: Context, numbers: Sequence[int]) -> tuple[Button, ...]:
        return done_buttons(numbers) if context.unit and not context.sees_everything else ()

    def _overdue(self, session: Session, context: Context, today: date) -> Reply:
        own = context.unit.id if context.unit is not None and not context.sees_everything else None
        views = store.task_views(session, today=today, unit_id=own)  # open, due by today
        late = _one_per_task(self.due.overdue(views, today))
        if not late:
            return Reply(f"👍 Không có việc quá hạn — {self._scope(context)}.")
        lines = [f"🔴 Việc quá hạn — {self._scope(context)} ({len(late)}):"]
        if own is None:  # the office: which units carry most, then the latest items
            per_unit: dict[str, int] = {}
            for i in late:
                code = i.task.units[0] if i.task.units else ""
                per_unit[code] = per_unit.get(code, 0) + 1
            if len(per_unit) > 1:
                names = store.unit_names(session)
                worst = sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
                shown = ", ".join(f"{names.get(c, c) or 'chưa rõ đơn vị'} ({n})" for c, n in worst)
                more = f" và {len(per_unit) - 5} đơn vị khác" if len(per_unit) > 5 else ""
                lines.append(f"Nhiều nhất: {shown}{more}.")
        lines += [
            f"• #{i.task.number} {shorten(i.task.chat_title)} (quá hạn {i.days_late} ngày; "
            f"hạn {format_date(i.due)})"
            for i in late[:MAX_LIST]
        ]
        if len(late) > MAX_LIST:
            more = ", xem đầy đủ: /baocao" if own is None else ""
            lines.append(f"… và {len(late) - MAX_LIST} việc khác{more}.")
        lines.append("\nXong việc nào, gõ /done <số>.")
        return Reply("\n".join(lines), self._buttons(context, [i.task.number for i in late]))

    def _progress(self, session: Session, context: Context, today: date) -> Reply:
        # Counted by the database (jobs.report's statuses), never the whole year in memory.
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
        head = f"📊 Tiến độ năm {today.year} — {self._scope(context)} — đến {format_date(today)}"
        lines = [head]
        if context.unit is not None and not context.sees_everything:
            mine = report_counts(session, self.due, start, end, today, unit_id=context.unit.id)
            counts = mine.units.get(context.unit.code)
            lines.append(
                counts_line(counts) if counts and counts.by_status else "Chưa có việc nào."
            )
            owed = self._unreported(session, today, context.unit.id, MAX_LIST).get(
                context.unit.code
            )
            if owed:
                shown = ", ".join(f"#{n}" for n in owed.numbers)
                lines.append(
                    f"Việc dài hạn chưa báo cáo tiến độ quý này ({owed.count}): {shown} — "
                    "gõ /capnhat <số> [%] <nội dung>."
                )
            return Reply("\n".join(lines))
        report = report_counts(session, self.due, start, end, today)
        names = store.unit_names(session)
        ranked = sorted(
            ((code, c) for code, c in report.units.items() if +c.by_status),
            key=lambda pair: (-pair[1][PartStatus.OVERDUE], pair[1].on_time_rate or 0.0),
        )
        total = f"Toàn đảng bộ (mỗi việc tính một lần): {counts_line(report.total)}"
        unit_lines = [  # the worst units, leaving room for the total and the unreported
            f"{names.get(code, code) or 'Chưa rõ đơn vị'}: {counts_line(counts)}"
            for code, counts in ranked[:MAX_UNITS_IN_PROGRESS]
        ]
        kept = fit_lines(lines, unit_lines, [], TEXT_LIMIT - len(total) - 1200)
        listed, lines = len(kept) - len(lines), kept
        if len(ranked) > listed:
            lines.append(f"… và {len(ranked) - listed} đơn vị khác: xem /baocao.")
        lines.append(total)
        missing = self._unreported(session, today, None, 10, MAX_UNITS_IN_PROGRESS)
        if missing:
            count = sum(v.count for v in missing.values())
            lines.append(f"\nChưa báo cáo tiến độ quý này ({count}):")
            worst = sorted(missing.items(), key=lambda kv: -kv[1].count)
            owed_lines = [
                unreported_line(names.get(code, code), owed, 10)
                for code, owed in worst[:MAX_UNITS_IN_PROGRESS]
            ]
            kept = fit_lines(lines, owed_lines, [], TEXT_LIMIT - 80)  # the rest: /baocao
            listed, lines = len(kept) - len(lines), kept
            if len(worst) > listed:
                lines.append(f"… và {len(worst) - listed} đơn vị khác: xem /baocao.")
        return Reply("\n".join(lines))

    def _unreported(
        self,
        session: Session,
        today: date,
        unit_id: int | None,
        shown: int,
        units: int | None = None,
    ) -> dict[str, Owed]:
        policy = self.policy
        start = reporting_since(today, policy.checkin_months, policy.checkin_day)
        since = datetime.combine(start, time(), VN_TZ)
        return parts.unreported_parts(session, since, unit_id, shown, units)

    # -- done / reopen -----------------------------------------------------------

    def _done_command(
        self, session: Session, context: Context, command: Command, *, done: bool
    ) -> Reply:
        word = "done" if done else "mo"
        parsed = parse_task_numbers(command.args)
        if not parsed.numbers:
            bad = f" («{', '.join(parsed.errors)}» không phải số nhiệm vụ)" if parsed.errors else ""
            return Reply(
                f"Cần số nhiệm vụ{bad}. Gõ /{word} <số>, ví dụ /{word} 57 hoặc /{word} 57,58. "
                "Số có trong tin nhắc buổi sáng hoặc khi gõ /tuannay."
            )
        month = split_month(parsed.note)
        if month.bad:
            return Reply(
                f"Tháng «{month.bad}» không đọc được. Gõ /{word} <số> <tháng/năm>, "
                f"ví dụ /{word} 9 05/2026 (kỳ tháng 5/2026 của việc định kỳ)."
            )
        outcome = self._set_done(
            session, context, list(parsed.numbers), month.rest, done=done, month=month.month
        )
        lines = []
        if outcome.reported:
            lines.append("📨 Đã báo hoàn thành, chờ văn phòng xác nhận:")
            lines += [f"• #{t.number} {chat_title(t, 90)}" for t in outcome.reported]
        if outcome.changed:
            verb = "Đã ghi nhận hoàn thành" if done else "Đã mở lại"
            lines.append(f"{'✅' if done else '↩️'} {verb}:")
            lines += [
                _changed_line(task, changed, outcome.occurrences.get(task.number))
                for task, changed in outcome.changed
            ]
        lines += [f"⚠️ {p}" for p in outcome.problems]
        lines += [f"⚠️ «{e}» không phải số nhiệm vụ." for e in parsed.errors]
        return Reply("\n".join(lines))

    def _set_done(
        self,
        session: Session,
        context: Context,
        numbers: list[int],
        note: str,
        *,
        done: bool,
        month: tuple[int, int] | None = None,
    ) -> _Outcome:
        outcome = _Outcome()
        change = self._change(context, note)
        tasks = store.tasks_for_update(session, numbers)
        for number in numbers:
            task = tasks.get(number)
            if task is None or task.status not in _LIVE:
                outcome.problems.append(f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.")
                continue
            refusal = may_change(context, task, self.done_by)
            if refusal:
                outcome.problems.append(refusal)
                continue
            own = context.unit if not context.is_office else None
            chosen = [p for p in task.owners if own is None or p.unit_id == own.id]
            # A recurring task: one occurrence (the month's, else the current one).
            occurrence = None
            if task.deadline_kind is DeadlineKind.RECURRING and chosen:
                occurrence = self._occurrence(task, chosen[0], month, done=done)
                if month is not None and occurrence is None:
                    outcome.problems.append(
                        f"#{number} không có kỳ nào trong tháng {month[1]:02d}/{month[0]}."
                    )
                    continue
            if done and own is not None and self.confirm_done:
                reported = [
                    p for p in chosen if parts.report_part(task, p, change, occurrence=occurrence)
                ]
                if reported:
                    self._ask_confirmation(session, task, reported, change)
                    outcome.reported.append(task)
                    continue
                if any(p.awaiting_confirmation for p in chosen):  # reported before: only the
                    # office's confirmation marks it done, never a second /done
                    outcome.problems.append(f"#{number} đã báo xong, đang chờ văn phòng xác nhận.")
                    continue
            withdrawn: list[Assignment] = []
            if not done:  # a report still waiting for the office is withdrawn as well
                withdrawn = [p for p in chosen if parts.return_part(task, p, change)]
                if occurrence is not None or task.deadline_kind is not DeadlineKind.RECURRING:
                    withdrawn = []  # (a recurring part's bare /mo: withdrawing it is the reopen)
            changed = withdrawn + [
                p
                for p in chosen
                if p not in withdrawn
                and parts.mark_part(task, p, change, done=done, occurrence=occurrence)
            ]
            # A task without owner parts (unknown unit): the office marks the task itself.
            whole = not task.owners and own is None and parts.mark_task(task, change, done=done)
            which = f" kỳ hạn {format_date(occurrence)}" if occurrence is not None else ""
            if not changed and not whole:
                outcome.problems.append(
                    f"#{number}{which} đã được báo hoàn thành từ trước."
                    if done
                    else f"#{number}{which} đang mở, không cần mở lại."
                )
                continue
            if occurrence is not None:
                outcome.occurrences[number] = occurrence
            units = ", ".join(p.unit.code for p in changed)
            detail = f"#{number} ({units})" + (f": {note}" if note else "")
            _audit(session, context.sender, change.at, "done" if done else "reopened", detail)
            outcome.changed.append((task, changed))
        return outcome

    def _occurrence(
        self, task: Task, part: Assignment, month: tuple[int, int] | None, *, done: bool
    ) -> date | None:
        """The occurrence of a recurring task a /done or /mo names: the month's, else
        for /done the current one (``Due.current_occurrence``), for /mo the latest
        closed (None)."""
        view = store.task_view(task, part)
        if month is not None:
            year, number = month
            closed = [
                c.occurrence
                for c in view.closed
                if (c.occurrence.year, c.occurrence.month) == month
            ]
            if closed and not done:  # reopen the month's latest one reported
                return max(closed)
            return self.due.occurrence_in(view, year, number)
        return self.due.current_occurrence(view, self._today()) if done else None

    # -- one task ----------------------------------------------------------------

    def _detail(self, session: Session, context: Context, args: str) -> Reply:
        parsed = parse_task_numbers(args)
        if not parsed.numbers:
            return Reply("Gõ /chitiet <số>, ví dụ /chitiet 57.")
        number = parsed.numbers[0]
        task = store.task_with_history(session, number)
        if task is None or task.status not in _LIVE:
            return Reply(f"Không có nhiệm vụ #{number}.")
        if not may_see(context, task):
            return Reply(f"#{number} là việc của đơn vị khác.")
        names = {u.id: u.name for u in store.list_units(session)}
        requests = parts.requests_of(session, task)
        text = detail_text(task, self._today(), names, requests)
        own = task.part_for(context.unit.id) if context.unit is not None else None
        open_part = own is not None and own.done_at is None
        buttons = done_buttons([number]) if open_part and not context.sees_everything else ()
        return Reply(text, buttons)

    # -- extensions ----------------------------------------------------------------

    def _ask_extension(self, session: Session, context: Context, args: str) -> Reply:
        usage = "Gõ /giahan <số> <ngày> <lý do>, ví dụ /giahan 57 30/6/2026 chờ số liệu quý II."
        parsed = parse_task_numbers(args, limit=1)
        if not parsed.numbers:
            return Reply(f"Cần số nhiệm vụ. {usage}")
        number = parsed.numbers[0]
        day_text, _, reason = parsed.note.partition(" ")
        today = self._today()
        to = read_day(day_text, today) if day_text else None
        if to is None:
            shown = f" «{day_text}»" if day_text else ""
            return Reply(f"Ngày{shown} không đọc được (dd/mm/yyyy). {usage}")
        if not reason.strip():
            return Reply(f"Cần nêu lý do xin gia hạn. {usage}")
        if context.unit is None or context.sees_everything:
            return Reply(
                "Đơn vị xin gia hạn trong nhóm của mình; văn phòng gia hạn trực tiếp bằng "
                "nhacviec extend hoặc trên trang quản trị."
            )
        task = store.tasks_for_update(session, [number]).get(number)
        if task is None or task.status not in _LIVE:
            return Reply(f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.")
        part = task.part_for(context.unit.id)
        if part is None:
            return Reply(f"#{number} không phải việc chủ trì của {context.unit.name}.")
        if part.done_at is not None:
            return Reply(f"#{number} đã báo hoàn thành, không cần gia hạn.")
        current = part.due_date()
        if current is None:
            return Reply(f"#{number} không có hạn cụ thể, không cần gia hạn.")
        if to <= current:
            return Reply(
                f"Ngày xin gia hạn ({format_date(to)}) phải sau hạn hiện tại "
                f"({format_date(current)})."
            )
        pending = parts.open_request(session, part)
        if pending is not None:
            return Reply(
                f"#{number} đã có đề nghị gia hạn đến {format_date(pending.requested_to)} "
                f"(mã {pending.code}) đang chờ văn phòng duyệt."
            )
        change = self._change(context, reason.strip())
        request = parts.request_extension(session, task, part, to, change)
        _audit(
            session, context.sender, change.at, "extension_requested", f"#{number} {request.code}"
        )
        office = chat_store.admin_chat(session)
        if office is not None:
            text = (
                f"⏳ {context.unit.name} xin gia hạn #{number} {chat_title(task, 70)}\n"
                f"Hạn hiện tại: {format_date(current)} → xin đến: {format_date(to)}\n"
                f"Lý do: {change.note}\nNgười đề nghị: {context.sender.user_name}\n"
                f"Duyệt: /duyet {request.code} · Từ chối: /tuchoi {request.code} <lý do>"
            )
            self._notify(
                session, [office], MessageKind.REQUEST, text, f"ext-{request.code}", change
            )
        where = (
            "Văn phòng sẽ trả lời trong nhóm này." if office else "(Văn phòng chưa có nhóm chat.)"
        )
        return Reply(
            f"📨 Đã gửi đề nghị gia hạn #{number} đến {format_date(to)} "
            f"(mã {request.code}). {where}"
        )

    def _decide(
        self, session: Session, context: Context, code: str, approve: bool, note: str
    ) -> str:
        word = "duyet" if approve else "tuchoi"
        if not code:
            pending = parts.pending_requests(session)
            listing = "\n".join(
                f"• {r.code}: #{r.assignment.task.number} {r.assignment.unit.name} → "
                f"{format_date(r.requested_to)}"
                for r in pending[:MAX_LIST]
            )
            return f"Gõ /{word} <mã>. " + (
                f"Đề nghị đang chờ:\n{listing}" if pending else "Không có đề nghị nào đang chờ."
            )
        request = parts.request_for_update(session, code)
        if request is None:
            return f"Không có đề nghị gia hạn mã {code.upper()}."
        if request.status is not ExtensionStatus.PENDING:
            state = (
                "đã được duyệt" if request.status is ExtensionStatus.APPROVED else "đã bị từ chối"
            )
            return f"Đề nghị {request.code} {state} từ trước."
        change = self._change(context, note)
        parts.decide(request, approve, change)
        part, task = request.assignment, request.assignment.task
        _audit(
            session,
            context.sender,
            change.at,
            "extension_" + ("approved" if approve else "refused"),
            request.code,
        )
        if approve:
            told = (
                f"✅ Văn phòng đã duyệt gia hạn #{task.number} {chat_title(task, 70)}: "
                f"hạn mới {format_date(request.requested_to)}."
            )
        else:
            told = (
                f"❌ Văn phòng không duyệt gia hạn #{task.number} {chat_title(task, 70)} "
                f"(giữ hạn {format_date(request.previous_due) if request.previous_due else 'cũ'})."
                + (f" Lý do: {note}" if note else "")
            )
        chats = chat_store.unit_chats(session, part.unit_id)
        self._notify(session, chats, MessageKind.NOTICE, told, f"ext-{request.code}", change)
        result = "Đã duyệt" if approve else "Đã từ chối"
        return f"{result} đề nghị {request.code}: #{task.number} của {part.unit.name}" + (
            f", hạn mới {format_date(request.requested_to)}." if approve else "."
        )

    def _press_decision(self, session: Session, context: Context, data: str) -> PressResult:
        approve = data.startswith(APPROVE_PREFIX)
        code = data.removeprefix(APPROVE_PREFIX if approve else REFUSE_PREFIX)
        if not context.is_office:
            return PressResult("Chỉ văn phòng mới duyệt được đề nghị gia hạn.", None)
        answer = self._decide(session, context, code, approve, "")
        changed = answer.startswith(("Đã duyệt", "Đã từ chối"))
        who = context.sender.user_name
        return PressResult(
            answer, f"{'✅' if approve else '❌'} {who}: {answer}" if changed else None
        )

    def _notify(
        self,
        session: Session,
        to: Sequence[ChatAddress],
        kind: MessageKind,
        text: str,
        key: str,
        change: Change,
    ) -> None:
        """A message to other chats, through the outbox (sent once, paced, retried)."""
        day = local_date(change.at)
        messages = [
            outbox.Outgoing(a.channel, a.chat_id, kind, day, text, key_suffix=key) for a in to
        ]
        outbox.enqueue(session, messages, change.at)

    # -- progress on long tasks ---------------------------------------------------------

    def reply_to(self, sender: Sender, text: str, message_id: str) -> Reply | None:
        """A member's text answering one of our digests (the check-in): a progress update.

        The update goes to the one long task of this unit that digest listed; with
        several, the member is asked which number; None when it was not a check-in.
        """
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if context.unit is None or context.sees_everything or not text.strip():
                return None
            own = context.unit.id
            tasks = outbox.tasks_of_message(session, sender.channel, sender.chat_id, message_id)
            found = store.tasks_for_update(session, tasks)
            long = [
                t.number
                for t in found.values()
                if t.deadline_kind.has_checkins and t.part_for(own) is not None
            ]
            if len(long) != 1:
                if not long:
                    return None
                listed = ", ".join(f"#{n}" for n in sorted(long))
                return Reply(
                    f"Tin này có nhiều việc ({listed}). Gõ /capnhat <số> [phần trăm] <nội dung>, "
                    f"ví dụ /capnhat {min(long)} 50% đã trình dự thảo."
                )
            return self._update_progress(session, context, f"{long[0]} {text}")

    def _update_progress(self, session: Session, context: Context, args: str) -> Reply:
        usage = "Gõ /capnhat <số> [phần trăm] <nội dung>, ví dụ /capnhat 57 40% đã trình dự thảo."
        parsed = parse_task_numbers(args, limit=1)
        if not parsed.numbers:
            return Reply(f"Cần số nhiệm vụ. {usage}")
        if context.unit is None or context.sees_everything:
            return Reply("Đơn vị cập nhật tiến độ trong nhóm của mình.")
        number = parsed.numbers[0]
        percent, text = _percent_and_text(parsed.note)
        if percent is not None and not 0 <= percent <= 100:
            return Reply(f"Phần trăm phải từ 0 đến 100. {usage}")
        if not text:
            return Reply(f"Cần nội dung cập nhật. {usage}")
        task = store.tasks_for_update(session, [number]).get(number)
        if task is None or task.status not in _LIVE:
            return Reply(f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.")
        part = task.part_for(context.unit.id)
        if part is None:
            return Reply(f"#{number} không phải việc chủ trì của {context.unit.name}.")
        change = self._change(context)
        parts.record_update(task, part, percent, text, change)
        _audit(session, context.sender, change.at, "progress", f"#{number}: {text[:200]}")
        shown = f"{percent}%, " if percent is not None else ""
        return Reply(
            f"📝 Đã ghi tiến độ #{number} {chat_title(task, 70)} ({shown}"
            f"{format_date(local_date(change.at))}). Xem lại: /chitiet {number}."
        )

    # -- the office's confirmation -------------------------------------------------------

    def _ask_confirmation(
        self, session: Session, task: Task, reported: list[Assignment], change: Change
    ) -> None:
        office = chat_store.admin_chat(session)
        if office is None:
            return
        for part in reported:
            note = f"\nGhi chú: {change.note}" if change.note else ""
            text = (
                f"📥 {part.unit.name} báo hoàn thành #{task.number} {chat_title(task, 70)} "
                f"ngày {format_date(local_date(change.at))}.{note}\n"
                f"Xác nhận: /xacnhan {task.number} {part.unit.code} · "
                f"Trả lại: /tralai {task.number} {part.unit.code} <lý do>"
            )
            key = f"cf-{task.number}-{part.unit.code}-{part.id}-{change.at:%Y%m%d%H%M%S}"
            self._notify(session, [office], MessageKind.REQUEST, text, key, change)

    def _confirmation(self, session: Session, context: Context, args: str, *, confirm: bool) -> str:
        word = "xacnhan" if confirm else "tralai"
        usage = f"Gõ /{word} <số> [đơn vị]" + ("" if confirm else " <lý do>")
        parsed = parse_task_numbers(args, limit=1)
        if not parsed.numbers:
            waiting = parts.awaiting_confirmation(session)
            listing = "\n".join(
                f"• #{p.task.number} {p.unit.name} (báo ngày "
                f"{format_date(local_date(p.reported_at))})"
                for p in waiting[:MAX_LIST]
                if p.reported_at is not None
            )
            return f"{usage}. " + (
                f"Đang chờ xác nhận:\n{listing}" if waiting else "Không có việc nào chờ xác nhận."
            )
        number = parsed.numbers[0]
        first, _, rest = parsed.note.partition(" ")
        unit = store.find_unit(session, first) if first else None
        reason = (rest if unit is not None else parsed.note).strip()
        if not confirm and not reason:
            return f"Cần nêu lý do trả lại. {usage}."
        task = store.tasks_for_update(session, [number]).get(number)
        if task is None or task.status not in _LIVE:
            return f"Không có nhiệm vụ #{number}."
        waiting_parts = [
            p
            for p in task.owners
            if p.awaiting_confirmation and (unit is None or p.unit_id == unit.id)
        ]
        if not waiting_parts:
            return f"#{number} không có phần việc nào đang chờ xác nhận."
        if unit is None and first and len(waiting_parts) > 1:  # a mistyped unit code must
            # not widen the command to every unit waiting
            codes = ", ".join(p.unit.code for p in waiting_parts)
            return (
                f"«{first}» không phải mã đơn vị, và #{number} có {len(waiting_parts)} phần "
                f"chờ xác nhận ({codes}). Gõ /{word} {number} <mã đơn vị>"
                + ("" if confirm else " <lý do>")
                + "."
            )
        change = self._change(context, reason)
        for part in waiting_parts:
            office_actions.settle_report(session, task, part, change, confirm=confirm)
        names = ", ".join(p.unit.name for p in waiting_parts)
        action = "confirmed" if confirm else "returned"
        _audit(session, context.sender, change.at, action, f"#{number} ({names})")
        return ("Đã xác nhận" if confirm else "Đã trả lại") + f" #{number}: {names}."

    def _press_confirmation(self, session: Session, context: Context, data: str) -> PressResult:
        confirm = data.startswith(CONFIRM_PREFIX)
        if not context.is_office:
            return PressResult("Chỉ văn phòng mới xác nhận được.", None)
        number, _, unit = data.removeprefix(CONFIRM_PREFIX if confirm else RETURN_PREFIX).partition(
            ":"
        )
        reason = "" if confirm else "(văn phòng trả lại, không nêu lý do — hỏi văn phòng)"
        answer = self._confirmation(session, context, f"{number} {unit} {reason}", confirm=confirm)
        done = answer.startswith(("Đã xác nhận", "Đã trả lại"))
        who = context.sender.user_name
        return PressResult(answer, f"{'✅' if confirm else '↩️'} {who}: {answer}" if done else None)

    # -- the report ------------------------------------------------------------------

    def _report(self, session: Session, args: str) -> Reply:
        today = self._today()
        words = args.split()
        days = [read_day(w, today) for w in words[:2]]
        if any(d is None for d in days):
            return Reply("Gõ /baocao [từ ngày] [đến ngày], ví dụ /baocao 01/01/2026 30/6/2026.")
        start = days[0] if days else date(today.year, 1, 1)
        end = days[1] if len(days) > 1 else (today if days else date(today.year, 12, 31))
        assert start is not None and end is not None
        if end < start:
            return Reply("Ngày kết thúc phải sau ngày bắt đầu.")
        office = load_report(session, self.due, start, end, today)
        content = report_workbook(office, confidential_titles=False)
        name = f"bao-cao-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        text = summary_text(office)
        where = f"nhacviec report --xlsx {name}, hoặc trang quản trị (Báo cáo)"
        fallback = f"{text}\n\nTệp .xlsx đầy đủ: {where}."
        return Reply(text, attachment=Attachment(name, content, fallback))

    # -- registration ------------------------------------------------------------------

    def _register(self, session: Session, context: Context, args: str) -> Reply:
        code = args.strip().split()[0] if args.strip() else ""
        if not code:
            return Reply("Gõ /dangky <mã>, với mã do Văn phòng Đảng ủy cấp cho chi bộ.")
        now = self.clock()
        sender = context.sender
        limited = self.registration_limits.check(
            sender.channel, sender.chat_id, sender.user_id, now
        )
        if limited is not None:  # no code read; one audit row per run of refusals
            if limited.first:
                _audit(session, sender, now, "register_limited", "thử mã quá nhiều lần")
            return Reply(
                f"Đã thử mã quá nhiều lần. Vui lòng thử lại sau {limited.minutes} phút "
                "hoặc liên hệ Văn phòng Đảng ủy."
            )
        row = chat_store.code_for_update(session, code)
        if row is None:
            _audit(session, sender, now, "register_refused", "mã không đúng")
            return Reply("Mã không đúng. Kiểm tra lại mã văn phòng cấp (8 ký tự).")
        if row.used_at is not None:
            return Reply("Mã này đã được dùng. Xin văn phòng cấp mã mới.")
        if row.expires_at <= now:
            return Reply("Mã này đã hết hạn. Xin văn phòng cấp mã mới.")
        chat_store.bind_chat(session, sender.address, row.role, row.unit, now)
        row.used_at, row.used_by = now, sender.where
        target = row.unit.name if row.unit else _ROLE_NAMES[row.role]
        _audit(session, sender, now, "register", target)
        if row.unit is not None:
            return Reply(
                f"✅ Đã đăng ký nhóm này cho {row.unit.name}. Mỗi sáng ngày làm việc, nhóm sẽ nhận "
                "tin nhắc việc sắp đến hạn và quá hạn. Gõ /tuannay để xem việc tuần này."
            )
        return Reply(f"✅ Đã đăng ký nhóm này làm nhóm {target}.")


_ROLE_NAMES = {ChatRole.ADMIN: "văn phòng", ChatRole.SUPERVISOR: "giám sát", ChatRole.UNIT: ""}


def _one_per_task(items: list[DueItem]) -> list[DueItem]:
    """The office sees a task owned by several units once (its first open part)."""
    seen: set[int] = set()
    kept = []
    for item in items:
        if item.task.number not in seen:
            seen.add(item.task.number)
            kept.append(item)
    return kept


_PERCENT = re.compile(r"^(\d{1,3})\s*%")


def _percent_and_text(note: str) -> tuple[int | None, str]:
    """ "40% đã trình dự thảo" → (40, "đã trình dự thảo"); no percent: (None, note)."""
    match = _PERCENT.match(note.strip())
    if match is None:
        return None, note.strip()
    return int(match[1]), note.strip()[match.end() :].strip(" :-–")


def _changed_line(task: Task, changed: list[Assignment], occurrence: date | None = None) -> str:
    line = f"• #{task.number} {chat_title(task, 90)}"
    if task.deadline_kind is DeadlineKind.RECURRING:  # one occurrence, never "all done"
        return f"{line} — kỳ hạn {format_date(occurrence)}" if occurrence else line
    owners = task.owners
    if len(owners) > 1 and changed:
        waiting = [p.unit.name for p in owners if p.done_at is None]
        line += f" — phần của {', '.join(p.unit.name for p in changed)}"
        if waiting:
            line += f"; còn chờ: {', '.join(waiting)}"
        elif task.status is TaskStatus.DONE:
            line += "; mọi đơn vị đã xong"
    return line


def _audit(session: Session, sender: Sender, at: datetime, action: str, detail: str) -> None:
    actor = Actor(sender.channel, sender.chat_id, sender.user_id, sender.user_name)
    chat_store.audit(session, actor, at, action, detail)


def _mark(sender: Sender, number: int, today: date) -> str:
    return f"✅ #{number} — {sender.user_name} báo xong ngày {format_date(today)}"


Handler = Callable[[ChatService, Session, Context, Command], Reply]
Commands = CommandTable[Handler]
Command_ = CommandSpec[Handler]

COMMANDS: Commands = CommandTable(
    [
        Command_(
            "help",
            "/help",
            "Hướng dẫn, các lệnh",
            ChatService.help,
            aliases=("huongdan", "trogiup"),
            access=Access.ANYONE,
        ),
        Command_(
            "start",
            "/start",
            "Bot làm gì ở đây",
            ChatService.help,
            access=Access.ANYONE,
            in_menu=False,
        ),
        Command_(
            "dangky",
            "/dangky <mã>",
            "Đăng ký nhóm với mã văn phòng cấp",
            ChatService.register,
            access=Access.ANYONE,
        ),
        Command_("homnay", "/homnay", "Việc đến hạn hôm nay", ChatService.due_today),
        Command_("tuannay", "/tuannay", "Việc đến hạn tuần này", ChatService.due_this_week),
        Command_("thangnay", "/thangnay", "Việc đến hạn tháng này", ChatService.due_this_month),
        Command_("quahan", "/quahan", "Việc quá hạn", ChatService.late),
        Command_(
            "done",
            "/done <số> [ghi chú]",
            "Báo hoàn thành, ví dụ /done 57 hoặc /done 57,58; việc định kỳ: kỳ gần nhất, "
            "hoặc kỳ của một tháng: /done 9 05/2026",
            ChatService.mark_done,
            aliases=("xong", "hoanthanh"),
            needs_member_status=True,
        ),
        Command_(
            "mo",
            "/mo <số>",
            "Mở lại việc đã báo xong",
            ChatService.reopen,
            aliases=("molai",),
            needs_member_status=True,
        ),
        Command_(
            "chitiet", "/chitiet <số>", "Nội dung, thời hạn, lịch sử một việc", ChatService.detail
        ),
        Command_(
            "tiendo",
            "/tiendo",
            "Tiến độ của đơn vị (nhóm văn phòng: mọi đơn vị)",
            ChatService.progress,
        ),
        Command_(
            "giahan",
            "/giahan <số> <ngày> <lý do>",
            "Xin gia hạn, ví dụ /giahan 57 30/6/2026 chờ số liệu",
            ChatService.ask_extension,
        ),
        Command_(
            "duyet",
            "/duyet <mã>",
            "(Văn phòng) duyệt đề nghị gia hạn",
            ChatService.approve,
            access=Access.OFFICE,
        ),
        Command_(
            "tuchoi",
            "/tuchoi <mã> <lý do>",
            "(Văn phòng) từ chối đề nghị gia hạn",
            ChatService.refuse,
            access=Access.OFFICE,
        ),
        Command_(
            "capnhat",
            "/capnhat <số> [%] <nội dung>",
            "Báo tiến độ việc dài hạn, ví dụ /capnhat 57 40% đã trình dự thảo",
            ChatService.update_progress,
        ),
        Command_(
            "xacnhan",
            "/xacnhan <số> [đơn vị]",
            "(Văn phòng) xác nhận việc đơn vị báo hoàn thành",
            ChatService.confirm,
            access=Access.OFFICE,
        ),
        Command_(
            "tralai",
            "/tralai <số> [đơn vị] <lý do>",
            "(Văn phòng) trả lại việc đơn vị báo hoàn thành",
            ChatService.send_back,
            access=Access.OFFICE,
        ),
        Command_(
            "baocao",
            "/baocao [từ ngày] [đến ngày]",
            "(Văn phòng) báo cáo .xlsx theo đơn vị",
            ChatService.report,
            access=Access.OFFICE,
        ),
    ],
    header=HELP_HEADER,
)
