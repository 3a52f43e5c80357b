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
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.access import Context, DoneBy, Sender, load_context, may_see, office_chat
from bot.actions import completion, extensions, files, progress, registration
from bot.actions.base import Actor, Changed, Effect, Outcome, Refusal, Surface, audit
from bot.actions.buttons import ButtonAction, ButtonVerb, done_buttons
from bot.actions.completion import Rules
from bot.commands.parsing import Command, parse_command, parse_task_numbers, split_month
from bot.commands.table import Access, CommandSpec, CommandTable
from bot.limits import (
    RegistrationLimits,
    button_refused,
    command_refusal,
    extension_refusal,
)
from bot.texts import agenda_line, chat_title, counts_line, detail_text
from data import chat_store, outbox, parts, scan_views, store, unit_store
from data.clock import VN_TZ, local_date
from data.day_text import DayError, parse_day, read_day
from data.db import transaction
from data.deadlines import DeadlineKind
from data.domain import TaskStatus
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

MAX_LIST = 25
MAX_UNITS_IN_PROGRESS = 20  # the office's /tiendo: the rest is in the report

HELP_HEADER = """nhacviec — nhắc việc theo kế hoạch của Đảng ủy.
Mỗi sáng ngày làm việc, nhóm nhận một tin: việc sắp đến hạn và việc quá hạn, mỗi việc có số."""

SORRY = "Xin lỗi, nhacviec đang gặp sự cố khi xử lý lệnh này. Vui lòng thử lại sau ít phút."
FILE_COMMANDS = frozenset({"done", "capnhat"})  # a caption that takes a file with it
FILE_CAPTION = "Gửi tệp kèm chú thích /done <số> hoặc /capnhat <số> <nội dung> để nộp sản phẩm."
_NUMBER = re.compile(r"\s*#?(\d{1,9})\b")
UNREGISTERED = (
    "Nhóm này chưa đăng ký với nhacviec. Văn phòng Đảng ủy sẽ cấp mã; "
    "khi có mã, gõ /dangky <mã> trong nhóm của chi bộ."
)


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
    # the task numbers this answer is about: the adapter keeps them with the message it
    # sent (``remember``), so a file sent in reply goes to that task's part
    about: tuple[int, ...] = ()


@dataclass(frozen=True)
class FileTarget:
    """Where a file sent in reply to one of our messages goes: ``number``, or an answer
    (the message was about several tasks: the caption is needed); neither: not ours."""

    number: int | None = None
    reply: Reply | None = None


@dataclass(frozen=True)
class PressResult:
    answer: str  # the short pop-up answer to the button
    mark: str | None  # a line to add to the message ("✅ #57 — Lan, 08:12"), None if unchanged


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
        files_dir: Path | None = None,
    ) -> None:
        self.sessions = sessions
        self.files_dir = files_dir  # the data directory: files sent with /done are kept there
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
        refused = command_refusal(command.args)  # bounds at the edge: nothing read or stored
        if refused is not None:
            return Reply(refused)
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            return self._dispatch(session, context, command)

    def handle_file(
        self,
        sender: Sender,
        caption: str,
        name: str,
        content: bytes,
        bot_names: Collection[str] | None = None,
    ) -> Reply | None:
        """A file sent with ``/done 57`` or ``/capnhat 57 …`` as its caption: kept on the
        unit's part (``files.attach``), then the caption runs as the command it is. A
        refused file runs nothing. None when the caption is not a command for us."""
        names = self.bot_names if bot_names is None else bot_names
        command = parse_command(caption, self.commands, names)
        if command is None:
            return None
        number = _NUMBER.match(command.args)
        if command.name not in FILE_COMMANDS or number is None or self.files_dir is None:
            return Reply(FILE_CAPTION)
        kept = self.attach_file(sender, int(number.group(1)), name, content)
        if not kept.about:  # refused: the caption's command does not run
            return kept
        then = self.handle(sender, caption, names)
        text = "\n".join([kept.text, *([then.text] if then else [])])
        return Reply(text, about=kept.about)

    def attach_file(self, sender: Sender, number: int, name: str, content: bytes) -> Reply:
        """Keep a file on the sender's unit's part of #number (``files.attach``); the
        answer is ``about`` the task only when the file was kept."""
        if self.files_dir is None:
            return Reply(FILE_CAPTION)
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if not context.registered:
                return Reply(UNREGISTERED)
            actor = self._actor(context)
            kept = files.attach(session, actor, number, name, content, data_dir=self.files_dir)
        return Reply("\n".join(kept.lines()), about=(number,) if kept.changed else ())

    def file_target(self, sender: Sender, message_id: str) -> FileTarget:
        """A file without a command, replying to our message ``message_id``: the one task
        of this unit that message was about (kept with it, never read from its words)."""
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if context.unit is None or context.sees_everything:
                return FileTarget()
            about = outbox.tasks_about(session, sender.channel, sender.chat_id, message_id)
            found = store.tasks_for_update(session, about) if about else {}
            own = sorted(
                n
                for n, t in found.items()
                if t.status.is_live and t.part_for(context.unit.id) is not None
            )
        if len(own) == 1:
            return FileTarget(own[0])
        if not own:
            return FileTarget()
        listed = ", ".join(f"#{n}" for n in own)
        return FileTarget(
            reply=Reply(
                f"Tin này có nhiều việc ({listed}): chưa nhận tệp. Gửi lại tệp kèm chú thích "
                f"/done <số>, ví dụ /done {own[0]}."
            )
        )

    def remember(self, sender: Sender, message_ids: Sequence[str], reply: Reply) -> None:
        """The answer just sent (its platform message ids) was about ``reply.about``."""
        if not reply.about or not message_ids:
            return
        with transaction(self.sessions) as session:
            outbox.remember_answer(
                session, sender.channel, sender.chat_id, message_ids, reply.about, self.clock()
            )

    def press(self, sender: Sender, data: str) -> PressResult:
        """A tapped button: its typed payload (``bot.actions.buttons``), never its label."""
        if button_refused(data):
            return PressResult("Nút này không còn dùng được.", None)
        action = ButtonAction.decode(data)
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if not context.registered:
                return PressResult(UNREGISTERED, None)
            if action is None:
                return PressResult("Nút này không còn dùng được.", None)
            actor = self._actor(context)
            outcome = self._pressed(session, context, actor, action)
        return _press_result(action, actor, outcome)

    def _pressed(
        self, session: Session, context: Context, actor: Actor, action: ButtonAction
    ) -> Outcome:
        verb = action.verb
        if verb is ButtonVerb.DONE:
            return completion.report_done(session, actor, self.rules, [action.number], due=self.due)
        if not context.is_office:
            return Outcome().refuse(Refusal.NOT_ALLOWED, "Chỉ văn phòng mới làm được việc này.")
        if verb in (ButtonVerb.APPROVE, ButtonVerb.REFUSE):
            approve = verb is ButtonVerb.APPROVE
            return extensions.decide(session, actor, action.code, approve=approve)
        confirm = verb is ButtonVerb.CONFIRM
        return completion.settle(session, actor, action.number, action.code, confirm=confirm)

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

    @property
    def rules(self) -> Rules:
        return Rules(self.confirm_done, self.done_by)

    def _actor(self, context: Context) -> Actor:
        """The chat's sender as the verbs see it: the office, or one unit's group."""
        s = context.sender
        unit = context.unit if not context.is_office else None
        who = chat_store.Actor(s.channel, s.chat_id, s.user_id, s.user_name)
        return Actor(
            s.who,
            s.where,
            self.clock(),
            Surface.CHAT,
            context.is_office,
            unit,
            s.is_chat_admin,
            who,
        )

    # One method per command of the table (same signature): thin, over the helpers below.

    def help(self, session: Session, context: Context, command: Command) -> Reply:
        text = self.commands.help_text()
        return Reply(text if context.registered else f"{text}\n\n{UNREGISTERED}")

    def register(self, session: Session, context: Context, command: Command) -> Reply:
        return self._register(session, context, command.args)

    def start(self, session: Session, context: Context, command: Command) -> Reply:
        """``/start <code>`` is what Telegram's ``?startgroup=<code>`` link sends: /dangky."""
        if command.args.strip():
            return self.register(session, context, command)
        return self.help(session, context, command)

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
        return self._decide(session, context, command.args, approve=True)

    def refuse(self, session: Session, context: Context, command: Command) -> Reply:
        return self._decide(session, context, command.args, approve=False)

    def report(self, session: Session, context: Context, command: Command) -> Reply:
        if not office_chat(context):  # a trusted person in a unit's group: not posted there
            return Reply(f"Lệnh /{command.name} chỉ dùng trong nhóm của văn phòng.")
        return self._report(session, command.args)

    def update_progress(self, session: Session, context: Context, command: Command) -> Reply:
        return self._update_progress(session, context, command.args)

    def confirm(self, session: Session, context: Context, command: Command) -> Reply:
        return self._confirmation(session, context, command.args, confirm=True)

    def send_back(self, session: Session, context: Context, command: Command) -> Reply:
        return self._confirmation(session, context, command.args, confirm=False)

    # -- reading ---------------------------------------------------------------

    def _scope(self, context: Context) -> str:
        return context.unit.name if context.unit and not context.sees_everything else "toàn đảng bộ"

    def _agenda(
        self, session: Session, context: Context, start: date, end: date, label: str
    ) -> Reply:
        own = context.unit.id if context.unit is not None and not context.sees_everything else None
        views = scan_views.task_views(session, today=start, through=end, unit_id=own)  # due by end
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
        views = scan_views.task_views(session, today=today, unit_id=own)  # open, due by today
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
                names = unit_store.unit_names(session)
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
        names = unit_store.unit_names(session)
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
        month = split_month(parsed.note)  # "/done 9 05/2026": a recurring task's May
        if month.bad:
            return Reply(
                f"Tháng «{month.bad}» không đọc được. Gõ /{word} <số> <tháng/năm>, "
                f"ví dụ /{word} 9 05/2026 (kỳ tháng 5/2026 của việc định kỳ)."
            )
        verb = completion.report_done if done else completion.reopen
        actor = self._actor(context)
        numbers = list(parsed.numbers)
        outcome = verb(
            session, actor, self.rules, numbers, note=month.rest, month=month.month, due=self.due
        )
        lines = _done_lines(outcome, done)
        lines += [f"⚠️ «{e}» không phải số nhiệm vụ." for e in parsed.errors]
        about = tuple(dict.fromkeys(c.number for c in outcome.changes if c.number is not None))
        return Reply("\n".join(lines), about=about)

    # -- one task ----------------------------------------------------------------

    def _detail(self, session: Session, context: Context, args: str) -> Reply:
        parsed = parse_task_numbers(args)
        if not parsed.numbers:
            return Reply("Gõ /chitiet <số>, ví dụ /chitiet 57.")
        number = parsed.numbers[0]
        task = store.task_with_history(session, number)
        if task is None or not task.status.is_live:
            return Reply(f"Không có nhiệm vụ #{number}.")
        if not may_see(context, task):
            return Reply(f"#{number} là việc của đơn vị khác.")
        names = {u.id: u.name for u in unit_store.list_units(session)}
        requests = parts.requests_of(session, task)
        text = detail_text(task, self._today(), names, requests)
        own = task.part_for(context.unit.id) if context.unit is not None else None
        open_part = own is not None and own.done_at is None
        buttons = done_buttons([number]) if open_part and not context.sees_everything else ()
        return Reply(text, buttons, about=(number,))

    # -- extensions ----------------------------------------------------------------

    def _ask_extension(self, session: Session, context: Context, args: str) -> Reply:
        usage = "Gõ /giahan <số> <ngày> <lý do>, ví dụ /giahan 57 30/6/2026 chờ số liệu quý II."
        parsed = parse_task_numbers(args, limit=1)
        if not parsed.numbers:
            return Reply(f"Cần số nhiệm vụ. {usage}")
        day_text, _, reason = parsed.note.partition(" ")
        try:
            to = parse_day(day_text, self._today())
        except DayError as unreadable:
            return Reply(f"{unreadable}. {usage}")
        too_far = extension_refusal(to, self._today())
        if too_far is not None:
            return Reply(too_far)
        actor = self._actor(context)
        outcome = extensions.ask(session, actor, parsed.numbers[0], to, reason)
        if not outcome.changed:
            problem = outcome.first_problem()
            tail = f" {usage}" if problem and problem.reason is Refusal.REASON_REQUIRED else ""
            return Reply(_first_line(outcome) + tail)
        where = (
            "Văn phòng sẽ trả lời trong nhóm này."
            if outcome.told
            else "(Văn phòng chưa có nhóm chat.)"
        )
        return Reply(f"📨 {outcome.changes[0].text} {where}")

    def _decide(self, session: Session, context: Context, args: str, *, approve: bool) -> Reply:
        code, _, note = args.strip().partition(" ")
        if not code:
            word = "duyet" if approve else "tuchoi"
            pending = parts.pending_requests(session)
            listing = "\n".join(
                f"• {r.code}: #{r.assignment.task.number} {r.assignment.unit.name} → "
                f"{format_date(r.requested_to)}"
                for r in pending[:MAX_LIST]
            )
            return Reply(
                f"Gõ /{word} <mã>. "
                + (f"Đề nghị đang chờ:\n{listing}" if pending else "Không có đề nghị nào đang chờ.")
            )
        actor = self._actor(context)
        return Reply(
            _first_line(extensions.decide(session, actor, code, approve=approve, note=note))
        )

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
        percent, text = _percent_and_text(parsed.note)
        outcome = progress.record(session, self._actor(context), parsed.numbers[0], percent, text)
        if outcome.changed:
            return Reply(outcome.changes[0].text)
        problem = outcome.first_problem()
        tail = f" {usage}" if problem and problem.reason is Refusal.UNREADABLE else ""
        return Reply(_first_line(outcome) + tail)

    # -- the office's confirmation -------------------------------------------------------

    def _confirmation(
        self, session: Session, context: Context, args: str, *, confirm: bool
    ) -> Reply:
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
            return Reply(
                f"{usage}. "
                + (
                    f"Đang chờ xác nhận:\n{listing}"
                    if waiting
                    else "Không có việc nào chờ xác nhận."
                )
            )
        number = parsed.numbers[0]
        first, _, rest = parsed.note.partition(" ")
        is_unit = bool(first) and unit_store.find_unit(session, first) is not None
        waiting_units = sum(
            1 for p in parts.awaiting_confirmation(session) if p.task.number == number
        )
        # A word that is not a unit code is the reason, unless several units wait: then
        # it is a mistyped code, and the verb asks which unit.
        unit_word = first if is_unit or (first and waiting_units > 1) else ""
        reason = (rest if unit_word else parsed.note).strip()
        outcome = completion.settle(
            session, self._actor(context), number, unit_word, confirm=confirm, reason=reason
        )
        problem = outcome.first_problem()
        if problem and problem.reason in (Refusal.REASON_REQUIRED, Refusal.AMBIGUOUS_UNIT):
            return Reply(f"{problem.text} {usage}.")
        return Reply(_first_line(outcome))

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
        actor = self._actor(context)
        sender = context.sender
        limited = self.registration_limits.check(
            sender.channel, sender.chat_id, sender.user_id, actor.at
        )
        if limited is not None:  # no code read; one audit row per run of refusals
            if limited.first:
                audit(session, actor, "register_limited", "thử mã quá nhiều lần")
            return Reply(
                f"Đã thử mã quá nhiều lần. Vui lòng thử lại sau {limited.minutes} phút "
                "hoặc liên hệ Văn phòng Đảng ủy."
            )
        return Reply(_first_line(registration.register(session, actor, sender.address, code)))


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


def _first_line(outcome: Outcome) -> str:
    """What a verb did, else why not: one line for the chat."""
    return "\n".join(outcome.lines()) or "Không có thay đổi."


def _done_lines(outcome: Outcome, done: bool) -> list[str]:
    reported = [c for c in outcome.changes if c.effect is Effect.REPORTED]
    wanted = [c.text for c in outcome.changes if c.effect is Effect.FILE_WANTED]
    changed = [c for c in outcome.changes if c.effect not in (Effect.REPORTED, Effect.FILE_WANTED)]
    lines = []
    if reported:
        lines.append("📨 Đã báo hoàn thành, chờ văn phòng xác nhận:")
        lines += [
            f"• #{c.number} {chat_title(c.task, 90)}{_occurrence_words(c)}"
            for c in reported
            if c.task
        ]
    if changed:
        verb = "Đã ghi nhận hoàn thành" if done else "Đã mở lại"
        lines.append(f"{'✅' if done else '↩️'} {verb}:")
        lines += [_changed_line(c) for c in changed]
    return lines + wanted + [f"⚠️ {p.text}" for p in outcome.problems]


def _changed_line(change: Changed) -> str:
    task = change.task
    if task is None:
        return f"• {change.text}"
    line = f"• #{task.number} {chat_title(task, 90)}"
    if task.deadline_kind is DeadlineKind.RECURRING:  # one occurrence, never "all done"
        return line + _occurrence_words(change)
    owners = task.owners
    if len(owners) > 1 and change.units:
        waiting = [p.unit.name for p in owners if p.done_at is None]
        line += f" — phần của {', '.join(change.units)}"
        if waiting:
            line += f"; còn chờ: {', '.join(waiting)}"
        elif task.status is TaskStatus.DONE:
            line += "; mọi đơn vị đã xong"
    return line


def _occurrence_words(change: Changed) -> str:
    return f" — kỳ hạn {format_date(change.occurrence)}" if change.occurrence else ""


def _press_result(action: ButtonAction, actor: Actor, outcome: Outcome) -> PressResult:
    """The pop-up answer, and the line added under the message when something changed."""
    problem = outcome.first_problem()
    if not outcome.changed:
        if problem is not None and problem.reason is Refusal.REASON_REQUIRED:
            typed = (
                "/tuchoi " + action.code
                if action.verb is ButtonVerb.REFUSE
                else (f"/tralai {action.number} {action.code}")
            )
            return PressResult(f"Cần nêu lý do: gõ {typed} <lý do>.", None)
        return PressResult(problem.text if problem else "Không có thay đổi.", None)
    change = outcome.changes[0]
    who = actor.audit_as.user_name
    if change.effect is Effect.REPORTED:
        wanted = any(c.effect is Effect.FILE_WANTED for c in outcome.changes)
        tail = f" Cần gửi tệp sản phẩm: tệp kèm chú thích /done {change.number}." if wanted else ""
        return PressResult(
            f"Đã báo #{change.number} hoàn thành, chờ văn phòng xác nhận.{tail}", None
        )
    if change.effect is Effect.DONE:
        day = format_date(local_date(actor.at))
        mark = f"✅ #{change.number} — {who} báo xong ngày {day}"
        return PressResult(f"Đã ghi nhận #{change.number} hoàn thành.", mark)
    icon = {Effect.APPROVED: "✅", Effect.CONFIRMED: "✅", Effect.REFUSED: "❌"}.get(
        change.effect, "↩️"
    )
    return PressResult(change.text, f"{icon} {who}: {change.text}")


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
            ChatService.start,
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
