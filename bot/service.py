"""The chat's brain, shared by Telegram, Zalo and the console demo.

``ChatService.handle`` takes who wrote what where and returns the Vietnamese
answer; ``press`` does the same for a "✅ Xong" button. Each call is one session
and one transaction (the adapters run it in a worker thread, off the event loop).
Nothing here knows a platform: adapters turn updates into ``Sender`` + text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.access import Context, DoneBy, Sender, load_context, may_change, may_see
from bot.commands.parsing import Command, parse_command, parse_task_numbers
from bot.commands.table import Access, CommandSpec, CommandTable
from data import chat_store, store
from data.chat_store import Actor
from data.clock import local_date
from data.db import transaction
from data.deadlines import DeadlineKind
from data.domain import ChatRole, TaskAction, TaskStatus
from data.models import Task, TaskEvent
from data.store import to_view
from jobs.calendar import WorkCalendar
from jobs.channels import Button
from jobs.compose import day_label, format_date, shorten
from jobs.due import Due, DueItem, month_end, week_bounds
from jobs.plan import Policy

DONE_PREFIX = "done:"
MAX_LIST = 25

HELP_HEADER = """nhacviec — nhắc việc theo kế hoạch của Đảng ủy.
Mỗi sáng ngày làm việc, nhóm nhận một tin: việc sắp đến hạn và việc quá hạn, mỗi việc có số."""

SORRY = "Xin lỗi, nhacviec đang gặp sự cố khi xử lý lệnh này. Vui lòng thử lại sau ít phút."
UNREGISTERED = (
    "Nhóm này chưa đăng ký với nhacviec. Văn phòng Đảng ủy sẽ cấp mã; "
    "khi có mã, gõ /dangky <mã> trong nhóm của chi bộ."
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class PressResult:
    answer: str  # the short pop-up answer to the button
    mark: str | None  # a line to add to the message ("✅ #57 — Lan, 08:12"), None if unchanged


def done_buttons(numbers: Collection[int], limit: int = 12) -> tuple[Button, ...]:
    return tuple(Button(f"✅ Xong #{n}", f"{DONE_PREFIX}{n}") for n in list(numbers)[:limit])


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
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        # The digest's working-day calendar and rules: the commands read tasks the same way.
        self.calendar = calendar or WorkCalendar()
        self.policy = policy or Policy()
        self.done_by = done_by
        self.commands: Commands = commands or COMMANDS
        self.bot_names = tuple(bot_names)

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
        if not data.startswith(DONE_PREFIX) or not data[len(DONE_PREFIX) :].isdigit():
            return PressResult("Nút này không còn dùng được.", None)
        number = int(data[len(DONE_PREFIX) :])
        with transaction(self.sessions) as session:
            context = load_context(session, sender)
            if not context.registered:
                return PressResult(UNREGISTERED, None)
            outcome = self._set_done(session, context, [number], note="", done=True)
        if outcome.changed:
            now = local_date(self.clock())
            return PressResult(f"Đã ghi nhận #{number} hoàn thành.", _mark(sender, number, now))
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

    def _tasks(self, session: Session, context: Context) -> list[Task]:
        own = context.unit if not context.sees_everything else None
        return store.live_tasks(session, own.id if own is not None else None)

    def _scope(self, context: Context) -> str:
        return context.unit.name if context.unit else "toàn đảng bộ"

    def _agenda(
        self, session: Session, context: Context, start: date, end: date, label: str
    ) -> Reply:
        tasks = self._tasks(session, context)
        views = [to_view(t, t.document.doc_date) for t in tasks]
        due = Due(self.calendar, self.policy)  # the digest's reading of due and done
        items = due.due_between(views, start, end, start)
        late = due.overdue(views, start)
        span = f"{format_date(start)}–{format_date(end)}" if start != end else day_label(start)
        head = f"📅 Việc đến hạn {label} ({span}) — {self._scope(context)}"
        lines = [head]
        if items:
            lines += [_agenda_line(i) for i in items[:MAX_LIST]]
            if len(items) > MAX_LIST:
                lines.append(f"… và {len(items) - MAX_LIST} việc khác.")
        else:
            lines.append("Không có việc nào đến hạn.")
        if late:
            lines.append(f"\nNgoài ra có {len(late)} việc quá hạn: gõ /quahan.")
        numbers = [i.task.number for i in items]
        return Reply("\n".join(lines), done_buttons(numbers) if context.unit else ())

    def _overdue(self, session: Session, context: Context, today: date) -> Reply:
        views = [to_view(t, t.document.doc_date) for t in self._tasks(session, context)]
        late = Due(self.calendar, self.policy).overdue(views, today)
        if not late:
            return Reply(f"👍 Không có việc quá hạn — {self._scope(context)}.")
        lines = [f"🔴 Việc quá hạn — {self._scope(context)} ({len(late)}):"]
        lines += [
            f"• #{i.task.number} {shorten(i.task.title)} (quá hạn {i.days_late} ngày; "
            f"hạn {format_date(i.due)})"
            for i in late[:MAX_LIST]
        ]
        if len(late) > MAX_LIST:
            lines.append(f"… và {len(late) - MAX_LIST} việc khác.")
        lines.append("\nXong việc nào, gõ /done <số>.")
        numbers = [i.task.number for i in late]
        return Reply("\n".join(lines), done_buttons(numbers) if context.unit else ())

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
        outcome = self._set_done(session, context, list(parsed.numbers), parsed.note, done=done)
        lines = []
        if outcome.changed:
            verb = "Đã ghi nhận hoàn thành" if done else "Đã mở lại"
            lines.append(f"{'✅' if done else '↩️'} {verb}:")
            lines += [f"• #{t.number} {shorten(t.title)}" for t in outcome.changed]
        lines += [f"⚠️ {p}" for p in outcome.problems]
        lines += [f"⚠️ «{e}» không phải số nhiệm vụ." for e in parsed.errors]
        return Reply("\n".join(lines))

    @dataclass
    class _Outcome:
        changed: list[Task]
        problems: list[str]

    def _set_done(
        self, session: Session, context: Context, numbers: list[int], note: str, *, done: bool
    ) -> ChatService._Outcome:
        outcome = ChatService._Outcome([], [])
        now = self.clock()
        tasks = store.tasks_for_update(session, numbers)
        for number in numbers:
            task = tasks.get(number)
            if task is None or task.status is TaskStatus.REMOVED:
                outcome.problems.append(f"Không có nhiệm vụ #{number}. Xem số trong /tuannay.")
                continue
            refusal = may_change(context, task, self.done_by)
            if refusal:
                outcome.problems.append(refusal)
                continue
            if done and task.status is TaskStatus.DONE:
                outcome.problems.append(f"#{number} đã được báo hoàn thành từ trước.")
                continue
            if not done and task.status is not TaskStatus.DONE:
                outcome.problems.append(f"#{number} đang mở, không cần mở lại.")
                continue
            task.status = TaskStatus.DONE if done else TaskStatus.OPEN
            task.done_at = now if done else None
            task.updated_at = now
            action = TaskAction.DONE if done else TaskAction.REOPENED
            sender = context.sender
            task.events.append(
                TaskEvent(at=now, action=action, actor=sender.who, chat=sender.where, detail=note)
            )
            _audit(session, sender, now, action, f"#{number}" + (f": {note}" if note else ""))
            outcome.changed.append(task)
        return outcome

    def _detail(self, session: Session, context: Context, args: str) -> Reply:
        parsed = parse_task_numbers(args)
        if not parsed.numbers:
            return Reply("Gõ /chitiet <số>, ví dụ /chitiet 57.")
        number = parsed.numbers[0]
        task = store.task_with_history(session, number)
        if task is None or task.status is TaskStatus.REMOVED:
            return Reply(f"Không có nhiệm vụ #{number}.")
        if not may_see(context, task):
            return Reply(f"#{number} là việc của đơn vị khác.")
        buttons = done_buttons([number]) if task.status is TaskStatus.OPEN else ()
        return Reply(_detail_text(task), buttons)

    def _progress(self, session: Session, context: Context, today: date) -> Reply:
        tasks = self._tasks(session, context)
        units = (
            [context.unit]
            if context.unit is not None and not context.sees_everything
            else store.list_units(session)
        )
        lines = [f"📊 Tiến độ — {self._scope(context)} — {day_label(today)}"]
        due = Due(self.calendar, self.policy)
        for unit in units:
            own = [t for t in tasks if unit.code in t.unit_codes]
            if own:
                lines.append(f"{unit.name}: {_progress_line(own, today, due)}")
        if context.sees_everything:
            whole = _progress_line(tasks, today, due)
            lines.append(f"Toàn đảng bộ (mỗi việc tính một lần): {whole}")
        return Reply("\n".join(lines))

    def _register(self, session: Session, context: Context, args: str) -> Reply:
        code = args.strip().split()[0] if args.strip() else ""
        if not code:
            return Reply("Gõ /dangky <mã>, với mã do Văn phòng Đảng ủy cấp cho chi bộ.")
        now = self.clock()
        row = chat_store.code_for_update(session, code)
        sender = context.sender
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


def _audit(session: Session, sender: Sender, at: datetime, action: str, detail: str) -> None:
    actor = Actor(sender.channel, sender.chat_id, sender.user_id, sender.user_name)
    chat_store.audit(session, actor, at, action, detail)


def _mark(sender: Sender, number: int, today: date) -> str:
    return f"✅ #{number} — {sender.user_name} báo xong ngày {format_date(today)}"


def _agenda_line(item: DueItem) -> str:
    raw = item.task.raw_deadline
    written = f'; theo văn bản: "{raw}"' if raw and format_date(item.due) not in raw else ""
    return (
        f"• #{item.task.number} {shorten(item.task.title)} (hạn {format_date(item.due)}{written})"
    )


def _progress_line(tasks: list[Task], today: date, due: Due) -> str:
    views = [to_view(t, t.document.doc_date) for t in tasks]
    late = len(due.overdue(views, today))
    counts = Counter(t.status for t in tasks)
    waiting = sum(
        1 for t in tasks if t.deadline_kind is DeadlineKind.WAITING and t.status is TaskStatus.OPEN
    )
    dated_done = [t for t in tasks if t.status is TaskStatus.DONE and t.due_date and t.done_at]
    on_time = sum(
        1 for t in dated_done if t.done_at and local_date(t.done_at) <= (t.due_date or today)
    )
    rate = f" · đúng hạn {on_time}/{len(dated_done)}" if dated_done else ""
    done = counts[TaskStatus.DONE]
    return f"xong {done}/{len(tasks)} · quá hạn {late} · chờ chỉ đạo {waiting}{rate}"


def _detail_text(task: Task) -> str:
    status = _STATUS_WORDS[task.status]
    understood = []
    if task.start_date:
        understood.append(f"bắt đầu {format_date(task.start_date)}")
    if task.due_date:
        understood.append(f"hạn {format_date(task.due_date)}")
    if task.rrule:
        understood.append("định kỳ")
    kind_word = {
        "ongoing": "thường xuyên",
        "waiting": "chờ chỉ đạo",
        "unreadable": "chưa đọc được — văn phòng đang xem lại",
        "done": "đã xong theo văn bản",
    }.get(task.deadline_kind)
    if kind_word:
        understood.append(kind_word)
    source = " · ".join(
        part
        for part in (
            task.document.title[:80] if task.document else "",
            task.appendix,
            task.section.split(" › ")[-1][:60] if task.section else "",
            f"TT {task.ref}" if task.ref else "",
        )
        if part
    )
    lines = [
        f"#{task.number} {task.title}",
        "",
        f"Đơn vị: {', '.join(o.unit.name for o in task.owners) or task.unit_text or 'chưa rõ'}",
        f'Thời hạn theo văn bản: "{task.deadline_raw or "(trống)"}"',
        f"Hiểu là: {', '.join(understood) or 'không có hạn'}",
        f"Trạng thái: {status}",
        f"Nguồn: {source}",
    ]
    history = [e for e in task.events if e.action in {"done", "reopened", "updated", "removed"}]
    if history:
        lines.append("Lịch sử:")
        lines += [
            f"• {format_date(local_date(e.at))} {_ACTIONS.get(e.action, e.action)}"
            + (f" — {e.actor}" if e.actor and e.actor != "import" else "")
            + (f": {e.detail}" if e.detail and e.action in {"done", "reopened"} else "")
            for e in history[-6:]
        ]
    return "\n".join(lines)


_STATUS_WORDS = {
    TaskStatus.OPEN: "đang thực hiện",
    TaskStatus.DONE: "✅ đã xong",
    TaskStatus.REMOVED: "đã bỏ",
}
_ACTIONS = {
    TaskAction.DONE: "báo xong",
    TaskAction.REOPENED: "mở lại",
    TaskAction.UPDATED: "cập nhật từ văn bản",
    TaskAction.REMOVED: "bỏ khỏi văn bản",
}


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
            "Báo hoàn thành, ví dụ /done 57 hoặc /done 57,58",
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
    ],
    header=HELP_HEADER,
)
