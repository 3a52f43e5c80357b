"""The console's pages: Tổng quan, Nhiệm vụ, Đơn vị, Gia hạn, Hàng đợi, Báo cáo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import segno
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.actions import completion, extensions, tasks
from bot.actions.base import Outcome, Refusal
from bot.web.charts import UnitBar, status_chart
from bot.web.core import Ctx, page
from bot.web.forms import read_date
from data import chat_store, db, outbox, parts, store, users
from data.clock import VN_TZ
from data.deadlines import DeadlineKind
from data.domain import (
    ChatRole,
    OutboxStatus,
    TaskStatus,
)
from data.models import Task
from data.taskview import CONFIDENTIAL_TITLE, TaskView
from data.text import fold
from data.units import UnitInfo, derive_code
from data.vocabulary import (
    CHAT_ROLE,
    DEADLINE_KIND,
    EXTENSION_STATUS,
    MESSAGE_KIND,
    OUTBOX_STATUS,
    OVERDUE_FILTER,
    PART_STATUS,
    TASK_ACTION,
    TASK_STATUS,
    actor_word,
    chat_place,
)
from jobs.compose import shorten
from jobs.due import Due
from jobs.office_report import OfficeReport, load_report
from jobs.report import DATED_STATUSES, PartStatus, build_report, reporting_since
from jobs.workbook import report_workbook

TITLE_LIMIT = 140  # characters of a title in a list, cut at a word with "…"


# -- the period (dashboard and report) ----------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    as_of: dt.date
    errors: dict[str, str] = field(default_factory=dict)  # field → what is wrong
    typed: dict[str, str] = field(default_factory=dict)  # field → as typed (when wrong)


def period(ctx: Ctx) -> Period:
    today = ctx.today()
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    read: dict[str, dt.date | None] = {}
    for name in ("from", "to", "as_of"):
        text = ctx.field(name)
        read[name], problem = read_date(text)
        if problem:
            errors[name], typed[name] = problem, text
    start = read["from"] or dt.date(today.year, 1, 1)
    end = read["to"] or dt.date(today.year, 12, 31)
    as_of = read["as_of"] or today
    if end < start:
        start, end = end, start
    return Period(start, end, as_of, errors, typed)


def _report(ctx: Ctx, chosen: Period) -> OfficeReport:
    runtime = ctx.runtime
    due = Due(runtime.calendar, runtime.settings.policy)
    with runtime.sessions() as session:
        return load_report(session, due, chosen.start, chosen.end, chosen.as_of)


def unit_table(office: OfficeReport) -> list[dict[str, Any]]:
    rows = []
    for code, counts in office.report.units.items():
        known = any(u.code == code for u in office.units)
        if (not counts.by_status and not known) or (not code and not counts.due_total):
            continue
        rows.append(
            {
                "code": code,
                "name": office.unit_name(code),
                "counts": {s: counts[s] for s in PartStatus},
                "rate": counts.on_time_rate,
                "extended": counts.extended,
            }
        )
    return rows


def _figures(office: OfficeReport) -> dict[str, Any]:
    rows = unit_table(office)
    chart = status_chart(
        [
            UnitBar(r["name"], {s: r["counts"][s] for s in DATED_STATUSES})
            for r in rows
            if any(r["counts"][s] for s in DATED_STATUSES)
        ]
    )
    total = office.report.total
    return {
        "rows": rows,
        "chart": chart,
        "total": {s: total[s] for s in PartStatus},
        "total_rate": total.on_time_rate,
        "statuses": DATED_STATUSES,
        "labels": PART_STATUS,
    }


@page()
def dashboard(ctx: Ctx) -> Response:
    chosen = period(ctx)
    office = _report(ctx, chosen)
    overdue = sorted(
        (i for i in office.report.items if i.status is PartStatus.OVERDUE),
        key=lambda i: (-(i.days_late_as_of(chosen.as_of) or 0), i.view.number),
    )
    late = [
        {
            "number": i.view.number,
            "title": shorten(_view_title(ctx, i.view.title, i.view.confidential), TITLE_LIMIT),
            "unit": office.unit_name(i.unit),
            "due": i.due,
            "days": i.days_late_as_of(chosen.as_of),
        }
        for i in overdue
    ]
    policy = ctx.runtime.settings.policy
    quarter = reporting_since(ctx.today(), policy.checkin_months, policy.checkin_day)
    with ctx.runtime.sessions() as session:
        pending = [_request_row(ctx, r) for r in parts.pending_requests(session)]
        unreported = parts.unreported_parts(session, dt.datetime.combine(quarter, dt.time(), VN_TZ))
        waiting = [
            {
                "number": a.task.number,
                "unit": a.unit.name,
                "at": a.reported_at,
            }
            for a in parts.awaiting_confirmation(session)
        ]
        chats = chat_store.list_chats(session)
        documents = len(users.list_documents(session))
    missing = _missing(office, chats, documents)
    silent = [
        {"code": code, "name": office.unit_name(code), "count": owed.count, "numbers": owed.numbers}
        for code, owed in sorted(unreported.items(), key=lambda kv: (-kv[1].count, kv[0]))
    ]
    return ctx.render(
        "dashboard.html",
        period=chosen,
        late=late,
        pending=pending,
        quarter=quarter,
        silent=silent,
        awaiting=waiting,
        missing=missing,
        unowned=_unowned(office),
        has_units=bool(office.units),
        **_figures(office),
    )


def _unowned(office: OfficeReport) -> int:
    """Live tasks no unit leads: nobody is reminded of them, no status counts them."""
    return len({i.view.number for i in office.report.items if not i.view.units})


def _missing(office: OfficeReport, chats: list[Any], documents: int) -> list[dict[str, str]]:
    """What keeps the dashboard from telling the whole truth, each with where to fix it."""
    found = []
    if not documents:
        found.append(
            {"text": "Chưa nhập kế hoạch nào.", "href": "/documents", "act": "Nhập kế hoạch"}
        )
    if not office.units:
        found.append(
            {
                "text": "Chưa có đơn vị nào.",
                "href": "/units#h-add",
                "act": "Thêm đơn vị",
            }
        )
    unowned = _unowned(office)
    if unowned:
        found.append(
            {
                "text": f"{unowned} nhiệm vụ chưa có đơn vị chủ trì: chưa ai được nhắc.",
                "href": "/tasks?review=1",
                "act": "Xem và giao đơn vị",
            }
        )
    bound = {c.unit.code for c in chats if c.unit is not None}
    if not chats:
        found.append(
            {
                "text": "Chưa có nhóm chat nào: bot chưa nhắc được ai.",
                "href": "/units",
                "act": "Cấp mã đăng ký nhóm",
            }
        )
    elif office.units and len(bound) < len(office.units):
        without = len(office.units) - len(bound)
        found.append(
            {
                "text": f"{without} đơn vị chưa có nhóm chat nào.",
                "href": "/units",
                "act": "Cấp mã đăng ký nhóm",
            }
        )
    return found


def _view_title(ctx: Ctx, title: str, confidential: bool) -> str:
    return CONFIDENTIAL_TITLE if confidential and not ctx.user.can_write else title


def _request_row(ctx: Ctx, request: Any) -> dict[str, Any]:
    part = request.assignment
    return {
        "code": request.code,
        "number": part.task.number,
        "title": shorten(ctx.title(part.task), TITLE_LIMIT),
        "unit": part.unit.name,
        "previous": request.previous_due,
        "to": request.requested_to,
        "reason": CONFIDENTIAL_TITLE if ctx.hides(part.task) and request.reason else request.reason,
        "by": actor_word(request.requested_by),
        "at": request.requested_at,
        "status": EXTENSION_STATUS.get(request.status, request.status.value),
        "decided_by": actor_word(request.decided_by),
    }


# -- Nhiệm vụ -------------------------------------------------------------------------------


@page()
def task_list(ctx: Ctx) -> Response:
    unit = ctx.field("unit")
    status = ctx.field("status")
    kind = ctx.field("kind")
    document = ctx.field("document")
    review = ctx.field("review") == "1"
    query = ctx.field("q").strip()
    with ctx.runtime.sessions() as session:
        units = store.list_units(session)
        documents = users.list_documents(session)
        tasks = store.find_tasks(
            session,
            unit=unit or None,
            kind=DeadlineKind(kind) if kind in DeadlineKind.__members__.values() else None,
            status=TaskStatus.OPEN
            if status == OVERDUE_FILTER
            else TaskStatus(status)
            if status in TaskStatus.__members__.values()
            else None,
            needs_review=True if review else None,
        )
        if document.isdigit():
            tasks = [t for t in tasks if t.document_id == int(document)]
        if query:
            wanted = fold(query.lstrip("#"))
            tasks = [
                t
                for t in tasks
                if wanted == str(t.number)
                or wanted in fold(ctx.title(t))
                or wanted in fold(t.unit_text)
            ]
        late_parts = _overdue_parts(ctx, store.task_views(session), parts.completions(session))
        late = {n: _late_days(late_parts, n) for n, _ in late_parts}
        if status == OVERDUE_FILTER:
            tasks = [t for t in tasks if t.number in late]
        rows = [_task_row(ctx, t, late.get(t.number, 0)) for t in tasks[:500]]
    return ctx.render(
        "tasks.html",
        rows=rows,
        shown=len(rows),
        found=len(tasks),
        units=units,
        documents=[(d.id, shorten(d.title or d.key, 60)) for d in documents],
        kinds=DEADLINE_KIND,
        statuses={**{k.value: w for k, w in TASK_STATUS.items()}, OVERDUE_FILTER: "quá hạn"},
        chosen={
            "unit": unit,
            "status": status,
            "kind": kind,
            "document": document,
            "review": review,
            "q": query,
        },
    )


def _overdue_parts(
    ctx: Ctx, views: list[TaskView], done: dict[tuple[int, str], list[dt.date]]
) -> dict[tuple[int, str], int]:
    """(task, unit code) → days overdue today, by the report's one definition of late
    (a recurring task's missed occurrence too); the task lists and pages say it."""
    today = ctx.today()
    due = Due(ctx.runtime.calendar, ctx.runtime.settings.policy)
    found = build_report(due, views, dt.date(2000, 1, 1), today, today, completions=done)
    late: dict[tuple[int, str], int] = {}
    for item in found.items:
        if item.status is PartStatus.OVERDUE:
            days = item.days_late_as_of(today) or 0
            key = (item.view.number, item.unit)
            late[key] = max(days, late.get(key, 0))
    return late


def _late_days(late: dict[tuple[int, str], int], number: int) -> int:
    return max((d for (n, _), d in late.items() if n == number), default=0)


def _current_due(task: Task) -> tuple[dt.date | None, bool]:
    """The date the list shows: the owners' latest (an extension moves it), or the task's."""
    dues = [d for a in task.owners if (d := a.due_date()) is not None]
    extended = any(a.extended_to is not None for a in task.owners)
    return (max(dues) if dues else task.due_date), extended


def _task_row(ctx: Ctx, task: Task, late: int) -> dict[str, Any]:
    owners = task.owners
    due, extended = _current_due(task)
    return {
        "number": task.number,
        "title": shorten(ctx.title(task), TITLE_LIMIT),
        "units": ", ".join(a.unit.name for a in owners) or "(chưa rõ đơn vị)",
        "done_parts": sum(1 for a in owners if a.done_at is not None),
        "parts": len(owners),
        "raw": task.deadline_raw,
        "kind": DEADLINE_KIND.get(task.deadline_kind, task.deadline_kind.value),
        "due": due,
        "extended": extended,
        "late": late,
        "status": TASK_STATUS.get(task.status, task.status.value),
        "review": task.needs_review,
        "confidential": task.is_confidential,
    }


@page()
def task_page(ctx: Ctx) -> Response:
    return _task_page(ctx, int(ctx.request.path_params["number"]))


def _task_page(
    ctx: Ctx,
    number: int,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The task's page; with ``errors``, again after a refused form, the typed values kept."""
    with ctx.runtime.sessions() as session:
        task = store.task_with_history(session, number)
        if task is None:
            return ctx.render("missing.html", 404, what=f"nhiệm vụ #{number}")
        live = task.status in (TaskStatus.OPEN, TaskStatus.DONE)
        views = [store.task_view(task, a) for a in task.owners] if live else []
        late = _overdue_parts(ctx, views, parts.completions(session, [task.id]))
        requests = [_request_row(ctx, r) for r in parts.requests_of(session, task)]
        known = store.list_units(session)
        units = {u.id: u.name for u in known}
        hidden = ctx.hides(task)
        history = [
            {
                "at": e.at,
                "action": TASK_ACTION.get(e.action, e.action.value),
                "actor": actor_word(e.actor),
                "chat": actor_word(e.chat),
                "unit": units.get(e.unit_id or -1, ""),
                "detail": CONFIDENTIAL_TITLE if hidden and e.detail else e.detail,
            }
            for e in task.events
        ]
        owners = [
            {
                "code": a.unit.code,
                "name": a.unit.name,
                "due": a.due_date(),
                "extended": a.extended_to is not None,
                "late": late.get((task.number, a.unit.code), 0),
                "done_at": a.done_at,
                "done_by": actor_word(a.done_by),
                "waiting": a.awaiting_confirmation,
                "reported_at": a.reported_at,
                "reported_by": a.reported_by,
                "reported_note": "" if hidden else a.reported_note,
                "updates": [
                    {
                        "at": u.at,
                        "percent": u.percent,
                        "text": CONFIDENTIAL_TITLE if hidden else u.text,
                        "by": u.by,
                    }
                    for u in a.updates
                ],
            }
            for a in task.owners
        ]
        facts = {
            "number": task.number,
            "title": ctx.title(task),
            "document": CONFIDENTIAL_TITLE if hidden else task.document.title or task.document.key,
            "appendix": task.appendix,
            "section": "" if hidden else task.section,
            "ref": task.ref,
            "origin": task.origin,
            "unit_text": task.unit_text,
            "raw": task.deadline_raw,
            "kind": DEADLINE_KIND.get(task.deadline_kind, task.deadline_kind.value),
            "waiting": task.deadline_kind is DeadlineKind.WAITING,
            "dateless": task.due_date is None
            and task.deadline_kind in (DeadlineKind.WAITING, DeadlineKind.UNREADABLE),
            "start": task.start_date,
            "due": task.due_date,
            "note": task.deadline_note,
            "suggestion": task.deadline_suggestion,
            "review": task.needs_review,
            "status": TASK_STATUS.get(task.status, task.status.value),
            "live": task.status in (TaskStatus.OPEN, TaskStatus.DONE),
            "confidential": task.is_confidential,
            "own_confidential": task.confidential,
            "cooperating": ", ".join(a.unit.name for a in task.cooperating),
            "late": _late_days(late, task.number),
        }
    return ctx.render(
        "task.html",
        422 if errors else 200,
        task=facts,
        owners=owners,
        history=history,
        requests=requests,
        units=[(u.code, u.name) for u in known],
        errors=errors or {},
        typed=typed or {},
    )


def _task_action(ctx: Ctx, action: str) -> Response:
    number = int(ctx.request.path_params["number"])
    back = f"/tasks/{number}"
    with db.transaction(ctx.runtime.sessions) as session:
        code = ctx.field("unit")
        unit = store.find_unit(session, code) if code else None
        if code and unit is None:
            return ctx.redirect(back, f"Không có đơn vị «{code}».")
        actor, rules = ctx.acting(), ctx.runtime.rules
        if action in ("done", "reopen"):
            verb = completion.report_done if action == "done" else completion.reopen
            outcome = verb(session, actor, rules, [number], unit=unit, note=ctx.field("note"))
        elif action == "extend":
            to, problem = read_date(ctx.field("to"))
            reason = ctx.field("reason").strip() or (
                "văn phòng giao hạn" if ctx.field("waiting") else ""
            )
            typed = {"to": ctx.field("to"), "reason": ctx.field("reason"), "unit": code}
            if to is None:
                problem = problem or "Hãy ghi hạn mới (ngày/tháng/năm, ví dụ 30/06/2026)."
                return _task_page(ctx, number, {"ext-to": problem}, typed)
            outcome = extensions.extend(session, actor, number, to, unit, reason)
            if outcome.problems and not outcome.changed:
                where = (
                    "ext-reason"
                    if any(p.reason is Refusal.REASON_REQUIRED for p in outcome.problems)
                    else "ext-to"
                )
                return _task_page(ctx, number, {where: " ".join(outcome.lines())}, typed)
        elif action == "owners":
            outcome = _set_owners(ctx, session, number)
            if outcome.problems and not outcome.changed:
                typed = {"owners": ctx.field("owners")}
                return _task_page(ctx, number, {"owners": " ".join(outcome.lines())}, typed)
        else:
            on = ctx.field("confidential") == "1"
            outcome = tasks.set_confidential(session, actor, [number], on)
    return ctx.redirect(back, *outcome.lines())


def _set_owners(ctx: Ctx, session: Any, number: int) -> Outcome:
    """The owners typed or chosen on the task page: codes, names or aliases."""
    words = [w.strip() for w in ctx.field("owners").replace(";", ",").split(",") if w.strip()]
    found = [store.find_unit(session, w) for w in words]
    unknown = [w for w, u in zip(words, found, strict=True) if u is None]
    if unknown:
        return Outcome().refuse(Refusal.UNKNOWN_UNIT, f"Không có đơn vị «{', '.join(unknown)}».")
    return tasks.set_owners(session, ctx.acting(), number, [u for u in found if u is not None])


@page(write=True)
def task_date(ctx: Ctx) -> Response:
    """The office's deadline for a task ("30/09/2026", or any phrase the reader knows)."""
    number = int(ctx.request.path_params["number"])
    typed = {"due": ctx.field("due"), "note": ctx.field("note")}
    if not typed["due"].strip():
        return _task_page(ctx, number, {"date-due": "Hãy ghi hạn, ví dụ 30/06/2026."}, typed)
    with db.transaction(ctx.runtime.sessions) as session:
        outcome = tasks.set_deadline(
            session, ctx.acting(), number, ctx.field("due"), ctx.field("note")
        )
    if outcome.problems and not outcome.changed:
        return _task_page(ctx, number, {"date-due": " ".join(outcome.lines())}, typed)
    return ctx.redirect(f"/tasks/{number}", *outcome.lines())


@page(write=True)
def task_confirm(ctx: Ctx) -> Response:
    """Confirm a unit's reported completion, or return it with a reason; the unit is told."""
    number = int(ctx.request.path_params["number"])
    back = f"/tasks/{number}"
    confirm = ctx.field("action") == "confirm"
    with db.transaction(ctx.runtime.sessions) as session:
        outcome = completion.settle(
            session,
            ctx.acting(),
            number,
            ctx.field("unit"),
            confirm=confirm,
            reason=ctx.field("reason"),
        )
    lines = outcome.lines()
    if outcome.changed and not outcome.told:
        lines.append("Đơn vị chưa có nhóm chat nào để báo.")
    return ctx.redirect(back, *lines)


@page(write=True)
def task_parts(ctx: Ctx) -> Response:
    return _task_action(ctx, "done" if ctx.field("action") == "done" else "reopen")


@page(write=True)
def task_extend(ctx: Ctx) -> Response:
    return _task_action(ctx, "extend")


@page(write=True)
def task_confidential(ctx: Ctx) -> Response:
    return _task_action(ctx, "confidential")


@page(write=True)
def task_owners(ctx: Ctx) -> Response:
    return _task_action(ctx, "owners")


# -- Đơn vị -----------------------------------------------------------------------------------


def _units_context(ctx: Ctx) -> dict[str, Any]:
    with ctx.runtime.sessions() as session:
        registry = store.load_registry(session)
        chats = chat_store.list_chats(session)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    office_chats = []
    for chat in chats:
        row = {
            "id": chat.id,
            "where": chat_place(chat.channel, chat.chat_id, chat.title),
            "title": chat.title,
            "role": CHAT_ROLE.get(chat.role, chat.role.value),
            "since": chat.created_at,
        }
        if chat.unit is not None:
            by_unit.setdefault(chat.unit.code, []).append(row)
        else:
            office_chats.append(row)
    units = [
        {
            "code": u.code,
            "name": u.name,
            "chi_bo": u.is_chi_bo,
            "aliases": [a for a in u.aliases if a != u.name],
            "chats": by_unit.get(u.code, []),
        }
        for u in registry.units
    ]
    return {"units": units, "office_chats": office_chats}


@page()
def unit_list(ctx: Ctx) -> Response:
    return ctx.render("units.html", issued=None, errors={}, typed={}, **_units_context(ctx))


@page(write=True)
def unit_add(ctx: Ctx) -> Response:
    name = ctx.field("name").strip()
    code = ctx.field("code").strip().lower()
    typed = {"name": name, "code": code, "chi_bo": ctx.field("chi_bo")}

    def refuse(field_id: str, problem: str) -> Response:
        values = _units_context(ctx)
        return ctx.render(
            "units.html", 422, issued=None, errors={field_id: problem}, typed=typed, **values
        )

    if not name:
        return refuse("u-name", "Hãy nhập tên đơn vị.")
    with db.transaction(ctx.runtime.sessions) as session:
        if store.find_unit(session, name) is not None:
            return refuse("u-name", f"Đơn vị «{name}» đã có trong danh sách.")
        registry = store.load_registry(session)
        code = code or derive_code(name, {u.code for u in registry.units})
        if store.find_unit(session, code) is not None:
            return refuse("u-code", f"Mã «{code}» đã có đơn vị khác dùng; hãy chọn mã khác.")
        chi_bo = ctx.field("chi_bo") == "1"
        store.add_unit(session, UnitInfo(code, name, chi_bo, ()))
        ctx.audit(session, "unit_added", f"{code}: {name}")
    return ctx.redirect("/units", f"Đã thêm đơn vị {name} ({code}).")


@page(write=True)
def unit_alias(ctx: Ctx) -> Response:
    code = ctx.request.path_params["code"]
    alias = ctx.field("alias").strip()
    with db.transaction(ctx.runtime.sessions) as session:
        unit = store.find_unit(session, code)
        if unit is None or not alias:
            return ctx.redirect("/units", "Hãy chọn đơn vị và nhập tên gọi khác.")
        store.add_alias(session, unit, alias)
        ctx.audit(session, "unit_alias", f"{unit.code}: {alias}")
    return ctx.redirect("/units", f"Đã thêm tên gọi «{alias}» cho {unit.name}.")


@page(write=True)
def unit_code(ctx: Ctx) -> Response:
    code = ctx.request.path_params["code"]
    hours = 72
    with db.transaction(ctx.runtime.sessions) as session:
        unit = store.find_unit(session, code)
        if unit is None:
            return ctx.redirect("/units", f"Không có đơn vị «{code}».")
        secret = chat_store.issue_code(
            session,
            role=ChatRole.UNIT,
            unit=unit,
            now=ctx.now(),
            valid=timedelta(hours=hours),
        )
        ctx.audit(session, "code_issued", unit.code)
        name = unit.name
    bot = ctx.web.bot_username()
    link = f"https://t.me/{bot}?startgroup={secret}" if bot else None
    qr = segno.make(link or f"/dangky {secret}", error="m")
    svg = qr.svg_inline(scale=5, title=f"Mã QR đăng ký nhóm cho {name}")
    issued = {
        "unit": name,
        "code": secret,
        "hours": hours,
        "link": link,
        "qr": svg,
        "expires": ctx.now() + timedelta(hours=hours),
    }
    return ctx.render("units.html", issued=issued, errors={}, typed={}, **_units_context(ctx))


@page(write=True)
def chat_unbind(ctx: Ctx) -> Response:
    chat_id = int(ctx.request.path_params["chat_id"])
    with db.transaction(ctx.runtime.sessions) as session:
        chat = users.unbind_chat(session, chat_id)
        if chat is None:
            return ctx.redirect("/units", "Không có nhóm này.")
        ctx.audit(session, "chat_unbound", f"{chat.channel}:{chat.chat_id}")
        where = chat_place(chat.channel, chat.chat_id, chat.title)
    return ctx.redirect("/units", f"Đã bỏ liên kết nhóm {where}.")


# -- Gia hạn ------------------------------------------------------------------------------------


@page()
def extension_list(ctx: Ctx) -> Response:
    with ctx.runtime.sessions() as session:
        pending = [_request_row(ctx, r) for r in parts.pending_requests(session)]
    return ctx.render("extensions.html", pending=pending)


@page(write=True)
def extension_decide(ctx: Ctx) -> Response:
    code = ctx.request.path_params["code"]
    approve = ctx.field("action") == "approve"
    back = ctx.field("back") or "/extensions"
    if not back.startswith("/") or back.startswith("//"):
        back = "/extensions"
    with db.transaction(ctx.runtime.sessions) as session:
        outcome = extensions.decide(
            session, ctx.acting(), code, approve=approve, note=ctx.field("note")
        )
    return ctx.redirect(back, *outcome.lines())


# -- Hàng đợi -----------------------------------------------------------------------------------


@page()
def queue(ctx: Ctx) -> Response:
    chosen = ctx.field("status")
    status = OutboxStatus(chosen) if chosen in OutboxStatus.__members__.values() else None
    with ctx.runtime.sessions() as session:
        rows = [
            {
                "id": m.id,
                "where": chat_place(m.channel, m.chat_id),
                "kind": MESSAGE_KIND.get(m.kind, m.kind.value),
                "day": m.day,
                "status": m.status,
                "status_word": OUTBOX_STATUS.get(m.status, m.status.value),
                "attempts": m.attempts,
                "error": m.last_error,
                "text": m.text if ctx.user.can_write else _first_line(m.text),
                "sent_at": m.sent_at,
            }
            for m in outbox.listing(session, status, limit=200)
        ]
    return ctx.render("queue.html", rows=rows, chosen=chosen, words=OUTBOX_STATUS)


def _first_line(text: str) -> str:
    return shorten(text.split("\n", 1)[0], 120)


@page(write=True)
def queue_retry(ctx: Ctx) -> Response:
    values = ctx.form.getlist("id") if ctx.form else []
    ids = [int(v) for v in values if isinstance(v, str) and v.isdigit()]
    with db.transaction(ctx.runtime.sessions) as session:
        count = outbox.requeue_parked(session, ids, ctx.now())
        if count:
            ctx.audit(session, "outbox_retry", ", ".join(str(i) for i in ids))
    return ctx.redirect("/queue?status=pending", f"Đã xếp lại {count} tin để gửi.")


# -- Báo cáo ------------------------------------------------------------------------------------


@page()
def report(ctx: Ctx) -> Response:
    chosen = period(ctx)
    office = _report(ctx, chosen)
    query = f"from={chosen.start:%d/%m/%Y}&to={chosen.end:%d/%m/%Y}&as_of={chosen.as_of:%d/%m/%Y}"
    return ctx.render("report.html", period=chosen, query=query, **_figures(office))


@page()
def report_xlsx(ctx: Ctx) -> Response:
    chosen = period(ctx)
    office = _report(ctx, chosen)
    content = report_workbook(office, confidential_titles=ctx.user.can_write)
    name = f"bao-cao-{chosen.start:%Y%m%d}-{chosen.end:%Y%m%d}.xlsx"
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/", dashboard, methods=["GET"]),
        Route("/tasks", task_list, methods=["GET"]),
        Route("/tasks/{number:int}", task_page, methods=["GET"]),
        Route("/tasks/{number:int}/parts", task_parts, methods=["POST"]),
        Route("/tasks/{number:int}/extend", task_extend, methods=["POST"]),
        Route("/tasks/{number:int}/confidential", task_confidential, methods=["POST"]),
        Route("/tasks/{number:int}/owners", task_owners, methods=["POST"]),
        Route("/tasks/{number:int}/date", task_date, methods=["POST"]),
        Route("/tasks/{number:int}/confirm", task_confirm, methods=["POST"]),
        Route("/units", unit_list, methods=["GET"]),
        Route("/units", unit_add, methods=["POST"]),
        Route("/units/{code}/alias", unit_alias, methods=["POST"]),
        Route("/units/{code}/code", unit_code, methods=["POST"]),
        Route("/chats/{chat_id:int}/unbind", chat_unbind, methods=["POST"]),
        Route("/extensions", extension_list, methods=["GET"]),
        Route("/extensions/{code}", extension_decide, methods=["POST"]),
        Route("/queue", queue, methods=["GET"]),
        Route("/queue/retry", queue_retry, methods=["POST"]),
        Route("/report", report, methods=["GET"]),
        Route("/report.xlsx", report_xlsx, methods=["GET"]),
    ]
