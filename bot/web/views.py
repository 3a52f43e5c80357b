"""The console's pages: Tổng quan, Nhiệm vụ, Đơn vị, Gia hạn, Hàng đợi, Báo cáo."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any
from urllib.parse import urlencode

import segno
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from bot.access import shown_to
from bot.actions import completion, extensions, files, tasks
from bot.actions.base import Outcome, Refusal
from bot.actions.files import size_text
from bot.web.charts import UnitBar, status_chart
from bot.web.core import Ctx, Web, error_page, page
from bot.web.forms import read_date
from data import (
    chat_store,
    console_counts,
    db,
    document_store,
    outbox,
    part_files,
    parts,
    scan_views,
    store,
    task_search,
    unit_pages,
    unit_store,
)
from data.clock import VN_TZ, local_date
from data.deadlines import DeadlineKind
from data.domain import (
    ChatRole,
    OutboxStatus,
    TaskStatus,
)
from data.models import PartFile, Task, Unit
from data.taskview import CONFIDENTIAL_TITLE, Owed
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
from jobs.office_report import (
    StatusCounts,
    UnitFigures,
    overdue_count,
    ranked_units,
    report_counts,
    stream_report,
)
from jobs.report import DATED_STATUSES, PartStatus, reporting_since
from jobs.workbook import stream_workbook

TITLE_LIMIT = 140  # characters of a title in a list, cut at a word with "…"
OWNER_CHOICES = 200  # units listed on a task page to choose owners from (a province: typed)


# -- the period (dashboard and report) ----------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    as_of: dt.date
    errors: dict[str, str] = field(default_factory=dict)  # field → what is wrong
    typed: dict[str, str] = field(default_factory=dict)  # field → as typed (when wrong)


def default_period(today: dt.date) -> Period:
    """What the dashboard and the report show when asked nothing: this year, as of today."""
    return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), today)


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
    default = default_period(today)
    start = read["from"] or default.start
    end = read["to"] or default.end
    as_of = read["as_of"] or default.as_of
    if end < start:
        start, end = end, start
    return Period(start, end, as_of, errors, typed)


@dataclass(frozen=True)
class _Figures:
    """A period's counts as the pages show them: made once, kept (``bot.web.figures``)."""

    found: StatusCounts
    names: dict[str, str]
    ranked: list[UnitFigures]  # every unit, the worst first
    chart: str


def _counts(web: Web, chosen: Period) -> _Figures:
    """The period's four statuses per unit, counted by the database (as /tiendo), the
    units ranked and the chart drawn; kept while the store stands still (``Figures``)."""
    runtime = web.runtime
    due = Due(runtime.calendar, runtime.settings.policy)

    def count(session: Session) -> _Figures:
        found = report_counts(session, due, chosen.start, chosen.end, chosen.as_of)
        names = unit_store.unit_names(session)
        ranked = ranked_units(found, names)
        return _Figures(found, names, ranked, _chart(ranked))

    return web.figures.get(("counts", chosen.start, chosen.end, chosen.as_of), count)


def _late_one_off(web: Web, chosen: Period) -> list[console_counts.LatePart]:
    """The period's longest overdue one-off parts (the index of open parts), kept."""
    return web.figures.get(
        ("late", chosen.start, chosen.end, chosen.as_of, DASHBOARD_LATE),
        lambda session: console_counts.overdue_parts(
            session, chosen.start, chosen.end, chosen.as_of, DASHBOARD_LATE
        ),
    )


def _unreported(web: Web, today: dt.date) -> tuple[dt.date, dict[str, Owed]]:
    """The quarter's check-in start and the units owing a report of their long parts."""
    policy = web.runtime.settings.policy
    quarter = reporting_since(today, policy.checkin_months, policy.checkin_day)
    since = dt.datetime.combine(quarter, dt.time(), VN_TZ)
    owed = web.figures.get(
        ("unreported", since, DASHBOARD_UNITS),
        lambda session: parts.unreported_parts(session, since, units=DASHBOARD_UNITS),
    )
    return quarter, owed


def keep_dashboard_counted(web: Web) -> None:
    """The figures of the dashboard a clerk opens first (this year, as of today), asked
    by the console's warmer (``Figures.start``) so that they are counted before anyone
    asks, and again whenever the store moves."""
    today = local_date(web.runtime.clock())
    chosen = default_period(today)
    _counts(web, chosen)
    _late_one_off(web, chosen)
    _unreported(web, today)


CHART_UNITS = 10  # bars of the worst units; the rest in one "others" bar
DASHBOARD_UNITS = 20  # rows of the units' table on the dashboard ("xem tất cả": the report)
UNITS_PAGE = 50  # rows a page of the report's units' table
DASHBOARD_LATE = 20  # overdue parts listed on the dashboard (the rest: the task list)


def _unit_row(row: UnitFigures) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "counts": {s: row.counts[s] for s in PartStatus},
        "rate": row.counts.on_time_rate,
        "extended": row.counts.extended,
    }


def _chart(ranked: list[UnitFigures]) -> str:
    """The worst ``CHART_UNITS`` units with parts due, and one bar for all the others."""
    due = [r for r in ranked if any(r.counts[s] for s in DATED_STATUSES)]
    bars = [UnitBar(r.name, {s: r.counts[s] for s in DATED_STATUSES}) for r in due[:CHART_UNITS]]
    rest = due[CHART_UNITS:]
    if rest:
        summed = {s: sum(r.counts[s] for r in rest) for s in DATED_STATUSES}
        bars.append(UnitBar(f"Các đơn vị khác ({len(rest)})", summed))
    return status_chart(bars)


def _figures(counted: _Figures, *, first: int = 0, size: int | None = None) -> dict[str, Any]:
    size = size or UNITS_PAGE
    total = counted.found.total
    return {
        "rows": [_unit_row(r) for r in counted.ranked[first : first + size]],
        "unit_count": len(counted.ranked),
        "chart": counted.chart,
        "total": {s: total[s] for s in PartStatus},
        "total_rate": total.on_time_rate,
        "statuses": DATED_STATUSES,
        "labels": PART_STATUS,
    }


def _late(
    ctx: Ctx, chosen: Period, found: StatusCounts, names: dict[str, str]
) -> list[dict[str, Any]]:
    """The longest overdue parts, at most ``DASHBOARD_LATE``: one-off parts from the index
    of open parts, recurring occurrences and ownerless tasks from the counts' own items."""
    one_off = _late_one_off(ctx.web, chosen)
    rows = [
        (p.due, p.number, p.unit, _view_title(ctx, p.title, p.confidential)) for p in one_off
    ] + [
        (i.due, i.view.number, i.unit, _view_title(ctx, i.view.title, i.view.confidential))
        for i in found.items
        if i.status is PartStatus.OVERDUE and i.due is not None
    ]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [
        {
            "number": number,
            "title": title,
            "unit": names.get(code, code or "(chưa rõ đơn vị)"),
            "due": due,
            "days": (chosen.as_of - due).days,
        }
        for due, number, code, title in rows[:DASHBOARD_LATE]
    ]


def _period_query(chosen: Period) -> str:
    return f"from={chosen.start:%d/%m/%Y}&to={chosen.end:%d/%m/%Y}&as_of={chosen.as_of:%d/%m/%Y}"


@page()
def dashboard(ctx: Ctx) -> Response:
    chosen = period(ctx)
    counted = _counts(ctx.web, chosen)
    found, names = counted.found, counted.names
    late = _late(ctx, chosen, found, names)
    quarter, unreported = _unreported(ctx.web, ctx.today())
    with ctx.runtime.sessions() as session:
        pending = [
            _request_row(ctx, r) for r in parts.pending_requests(session, limit=DASHBOARD_LATE)
        ]
        pending_count = parts.count_pending_requests(session)
        waiting = [
            {
                "number": a.task.number,
                "unit": a.unit.name,
                "at": a.reported_at,
            }
            for a in parts.awaiting_confirmation(session, limit=DASHBOARD_LATE)
        ]
        waiting_count = parts.count_awaiting_confirmation(session)
        covered = console_counts.coverage(session)
        unowned = console_counts.ownerless_tasks(session)
    missing = _missing(names, unowned, covered)
    silent = [  # the units owing the most first, as many as the units' table shows
        {"code": code, "name": names.get(code, code), "count": owed.count, "numbers": owed.numbers}
        for code, owed in sorted(unreported.items(), key=lambda kv: (-kv[1].count, kv[0]))
    ][:DASHBOARD_UNITS]
    return ctx.render(
        "dashboard.html",
        period=chosen,
        late=late,
        late_count=overdue_count(found),
        late_link="/tasks?late=1&status=open",
        all_units=f"/report?{_period_query(chosen)}",
        pending=pending,
        pending_count=pending_count,
        quarter=quarter,
        silent=silent,
        silent_count=len(unreported),
        awaiting=waiting,
        awaiting_count=waiting_count,
        **_figures(counted, size=DASHBOARD_UNITS),
        missing=missing,
        unowned=unowned,
        has_units=bool(names),
    )


def _missing(
    names: dict[str, str], unowned: int, covered: console_counts.Coverage
) -> list[dict[str, str]]:
    """What keeps the dashboard from telling the whole truth, each with where to fix it."""
    found = []
    if not covered.documents:
        found.append(
            {"text": "Chưa nhập kế hoạch nào.", "href": "/documents", "act": "Nhập kế hoạch"}
        )
    if not names:
        found.append({"text": "Chưa có đơn vị nào.", "href": "/units#h-add", "act": "Thêm đơn vị"})
    if unowned:
        found.append(
            {
                "text": f"{unowned} nhiệm vụ chưa có đơn vị chủ trì: chưa ai được nhắc.",
                "href": "/tasks?review=1",
                "act": "Xem và giao đơn vị",
            }
        )
    if not covered.chats:
        found.append(
            {
                "text": "Chưa có nhóm chat nào: bot chưa nhắc được ai.",
                "href": "/units",
                "act": "Cấp mã đăng ký nhóm",
            }
        )
    elif names and covered.units_with_chat < len(names):
        found.append(
            {
                "text": f"{len(names) - covered.units_with_chat} đơn vị chưa có nhóm chat nào.",
                "href": "/units",
                "act": "Cấp mã đăng ký nhóm",
            }
        )
    return found


def _view_title(ctx: Ctx, title: str, confidential: bool) -> str:
    return shown_to(ctx.reader, confidential, title)


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
    unit = ctx.field("unit").strip()
    status = ctx.field("status")
    kind = ctx.field("kind")
    document = ctx.field("document")
    review = ctx.field("review") == "1"
    late = ctx.field("late") == "1" or status == OVERDUE_FILTER
    query = ctx.field("q").strip()
    after = ctx.field("after")
    with ctx.runtime.sessions() as session:
        documents = document_store.list_documents(session)
        found_unit = unit_store.find_unit(session, unit) if unit else None
        if unit and found_unit is None:
            ctx.flash.append(f"Không có đơn vị «{unit}».")
        wanted = task_search.TaskFilter(
            unit_id=(found_unit.id if found_unit else -1) if unit else None,
            kind=DeadlineKind(kind) if kind in DeadlineKind.__members__.values() else None,
            status=TaskStatus(status) if status in TaskStatus.__members__.values() else None,
            document_id=int(document) if document.isdigit() else None,
            needs_review=True if review else None,
            late_on=ctx.today() if late else None,
            late_recurring=_late_recurring(ctx, session, found_unit) if late else (),
            query=query,
            hide_confidential=not ctx.user.can_write,
        )
        tasks, next_after = task_search.task_page(
            session, wanted, int(after) if after.isdigit() else None
        )
        found = task_search.count_tasks(session, wanted)
        rows = [_task_row(ctx, t, _days_late(ctx, t)) for t in tasks]
        if late:  # a recurring candidate is listed only when an occurrence is missed
            rows = [r for r in rows if r["late"]]
    chosen = {
        "unit": unit,
        "status": status,
        "kind": kind,
        "document": document,
        "review": review,
        "late": late,
        "q": query,
    }
    kept = {k: ("1" if v is True else v) for k, v in chosen.items() if v}
    return ctx.render(
        "tasks.html",
        rows=rows,
        shown=len(rows),
        found=found,
        more_than=found > task_search.COUNT_CAP,
        cap=task_search.COUNT_CAP,
        first_page=f"/tasks?{urlencode(kept)}",
        next_page=f"/tasks?{urlencode({**kept, 'after': next_after})}" if next_after else None,
        paged=after.isdigit(),
        documents=[
            {"id": d.id, "title": shown_to(ctx.reader, d.confidential, d.title or d.key)}
            for d in documents
        ],
        kinds=DEADLINE_KIND,
        statuses={**{k.value: w for k, w in TASK_STATUS.items()}, OVERDUE_FILTER: "quá hạn"},
        chosen=chosen,
    )


def _late_recurring(ctx: Ctx, session: Session, unit: Unit | None) -> tuple[int, ...]:
    """The recurring tasks (of ``unit``'s parts, or all) with a missed occurrence today, as
    ``Due.late`` says: the list and its count name only those, not every recurring task."""
    views, _ids = scan_views.recurring_and_ownerless_views(
        session, unit.id if unit is not None else None
    )
    due = Due(ctx.runtime.calendar, ctx.runtime.settings.policy)
    today = ctx.today()
    late = {
        v.number
        for v in views
        if v.kind is DeadlineKind.RECURRING and due.late(v, today) is not None
    }
    return tuple(sorted(late))


def _late_by_unit(ctx: Ctx, task: Task) -> dict[str, int]:
    """Owner unit code → days its part is late today, by the one reading of late
    (``Due.late``: a recurring task's missed occurrence too); parts not late are left out."""
    due = Due(ctx.runtime.calendar, ctx.runtime.settings.policy)
    today = ctx.today()
    found: dict[str, int] = {}
    for view in store.part_views(task):
        item = due.late(view, today)
        if item is not None and view.units:
            found[view.units[0]] = item.days_late
    return found


def _days_late(ctx: Ctx, task: Task) -> int:
    """Days the task's most overdue owner part is late today; 0 when none is."""
    return max(_late_by_unit(ctx, task).values(), default=0)


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
        late_by_unit = _late_by_unit(ctx, task) if task.status.is_live else {}
        late = max(late_by_unit.values(), default=0)
        requests = [_request_row(ctx, r) for r in parts.requests_of(session, task)]
        units = console_counts.unit_names_by_id(session, {e.unit_id for e in task.events})
        # a datalist only for an office, not a province
        known = list((unit_store.unit_names_upto(session, OWNER_CHOICES) or {}).items())
        hidden = ctx.hides(task)
        kept = part_files.files_of(session, [a.id for a in task.owners])
        former = part_files.of_former_parts(session, task.id)
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
                "late": late_by_unit.get(a.unit.code, 0),
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
                # a viewer sees no file of a confidential task, not even its name
                "files": [] if hidden else [_file_row(f) for f in kept.get(a.id, [])],
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
            "product": "" if hidden else task.product,
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
            "removed": task.status is TaskStatus.REMOVED,
            "files": sum(len(v) for v in kept.values()) + len(former),
            # files units sent before the office named other owners: kept, never hidden away
            "former_files": []
            if hidden
            else [
                {**_file_row(f), "unit": f.unit.name if f.unit else "(đơn vị đã xoá)"}
                for f in former
            ],
            "confidential": task.is_confidential,
            "own_confidential": task.confidential,
            "cooperating": ", ".join(a.unit.name for a in task.cooperating),
            "late": late,
        }
    return ctx.render(
        "task.html",
        422 if errors else 200,
        task=facts,
        owners=owners,
        history=history,
        requests=requests,
        units=known,
        errors=errors or {},
        typed=typed or {},
    )


def _file_row(kept: PartFile) -> dict[str, Any]:
    return {
        "id": kept.id,
        "name": kept.name,
        "size": size_text(kept.size),
        "at": kept.at,
        "by": actor_word(kept.by),
        "sha256": kept.sha256,
    }


@page()
def file_download(ctx: Ctx) -> Response:
    """A unit's file, as it was sent; a viewer gets none of a confidential task."""
    file_id = int(ctx.request.path_params["file_id"])
    with ctx.runtime.sessions() as session:
        kept = part_files.find(session, file_id)
        if kept is None:
            return ctx.render("missing.html", 404, what=f"tệp #{file_id}")
        if ctx.hides(kept.task):
            return error_page("Không xem được", "Tệp của nhiệm vụ mật chỉ văn phòng xem.", 403)
        name, media, sha = kept.name, kept.content_type, kept.sha256
    path = part_files.path_of(ctx.runtime.settings.data_dir, sha)
    if not path.is_file():
        return ctx.render("missing.html", 404, what=f"nội dung tệp «{name}»")
    return FileResponse(
        path,
        media_type=media,
        filename=name,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff"},
    )


def _task_action(ctx: Ctx, action: str) -> Response:
    number = int(ctx.request.path_params["number"])
    back = f"/tasks/{number}"
    with db.transaction(ctx.runtime.sessions) as session:
        code = ctx.field("unit")
        unit = unit_store.find_unit(session, code) if code else None
        if code and unit is None:
            return ctx.redirect(back, f"Không có đơn vị «{code}».")
        actor, rules = ctx.acting(), ctx.runtime.rules
        if action in ("done", "reopen"):
            verb = completion.report_done if action == "done" else completion.reopen
            due = Due(ctx.runtime.calendar, ctx.runtime.settings.policy)  # recurring: which one
            note = ctx.field("note")
            outcome = verb(session, actor, rules, [number], unit=unit, note=note, due=due)
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
    found = [unit_store.find_unit(session, w) for w in words]
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
def task_files_purge(ctx: Ctx) -> Response:
    """A removed task's files deleted (``files.purge``); the bytes go once no other
    part refers to the same content."""
    number = int(ctx.request.path_params["number"])
    with db.transaction(ctx.runtime.sessions) as session:
        done = files.purge(session, ctx.acting(), [number])
    with ctx.runtime.sessions() as session:
        part_files.sweep(session, ctx.runtime.settings.data_dir, done.contents)
    return ctx.redirect(f"/tasks/{number}", *done.outcome.lines())


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
    query = ctx.field("q").strip()
    number = ctx.field("page")
    at = max(int(number), 1) if number.isdigit() else 1
    with ctx.runtime.sessions() as session:
        found, chats, count = unit_pages.unit_page(session, query, at)
    by_unit: dict[int, list[dict[str, Any]]] = {}
    office_chats = []
    for chat in chats:
        row = {
            "id": chat.id,
            "where": chat_place(chat.channel, chat.chat_id, chat.title),
            "title": chat.title,
            "role": CHAT_ROLE.get(chat.role, chat.role.value),
            "since": chat.created_at,
        }
        if chat.unit_id is not None:
            by_unit.setdefault(chat.unit_id, []).append(row)
        else:
            office_chats.append(row)
    units = [
        {
            "code": u.code,
            "name": u.name,
            "chi_bo": u.is_chi_bo,
            "aliases": [a.alias for a in u.aliases if a.alias != u.name],
            "chats": by_unit.get(u.id, []),
        }
        for u in found
    ]
    pages = max(1, -(-count // unit_pages.PAGE))
    kept = {"q": query} if query else {}
    return {
        "units": units,
        "office_chats": office_chats,
        "q": query,
        "found": count,
        "page": min(at, pages),
        "pages": pages,
        "prev_page": f"/units?{urlencode({**kept, 'page': at - 1})}" if at > 1 else None,
        "next_page": f"/units?{urlencode({**kept, 'page': at + 1})}" if at < pages else None,
    }


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
        if unit_store.find_unit(session, name) is not None:
            return refuse("u-name", f"Đơn vị «{name}» đã có trong danh sách.")
        registry = unit_store.load_registry(session)
        code = code or derive_code(name, {u.code for u in registry.units})
        if unit_store.find_unit(session, code) is not None:
            return refuse("u-code", f"Mã «{code}» đã có đơn vị khác dùng; hãy chọn mã khác.")
        chi_bo = ctx.field("chi_bo") == "1"
        unit_store.add_unit(session, UnitInfo(code, name, chi_bo, ()))
        ctx.audit(session, "unit_added", f"{code}: {name}")
    return ctx.redirect("/units", f"Đã thêm đơn vị {name} ({code}).")


@page(write=True)
def unit_alias(ctx: Ctx) -> Response:
    code = ctx.request.path_params["code"]
    alias = ctx.field("alias").strip()
    with db.transaction(ctx.runtime.sessions) as session:
        unit = unit_store.find_unit(session, code)
        if unit is None or not alias:
            return ctx.redirect("/units", "Hãy chọn đơn vị và nhập tên gọi khác.")
        unit_store.add_alias(session, unit, alias)
        ctx.audit(session, "unit_alias", f"{unit.code}: {alias}")
    return ctx.redirect("/units", f"Đã thêm tên gọi «{alias}» cho {unit.name}.")


@page(write=True)
def unit_code(ctx: Ctx) -> Response:
    code = ctx.request.path_params["code"]
    hours = 72
    with db.transaction(ctx.runtime.sessions) as session:
        unit = unit_store.find_unit(session, code)
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
        chat = chat_store.unbind_chat(session, chat_id)
        if chat is None:
            return ctx.redirect("/units", "Không có nhóm này.")
        ctx.audit(session, "chat_unbound", f"{chat.channel}:{chat.chat_id}")
        where = chat_place(chat.channel, chat.chat_id, chat.title)
    return ctx.redirect("/units", f"Đã bỏ liên kết nhóm {where}.")


# -- Gia hạn ------------------------------------------------------------------------------------


EXTENSIONS_PAGE = 50  # requests a page of /extensions


@page()
def extension_list(ctx: Ctx) -> Response:
    number = ctx.field("page")
    at = max(int(number), 1) if number.isdigit() else 1
    with ctx.runtime.sessions() as session:
        count = parts.count_pending_requests(session)
        pages = max(1, -(-count // EXTENSIONS_PAGE))
        at = min(at, pages)
        chosen = parts.pending_requests(
            session, first=(at - 1) * EXTENSIONS_PAGE, limit=EXTENSIONS_PAGE
        )
        pending = [_request_row(ctx, r) for r in chosen]
    return ctx.render(
        "extensions.html",
        pending=pending,
        pending_count=count,
        page=at,
        pages=pages,
        prev_page=f"/extensions?page={at - 1}" if at > 1 else None,
        next_page=f"/extensions?page={at + 1}" if at < pages else None,
    )


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
    counted = _counts(ctx.web, chosen)
    number = ctx.field("page")
    at = max(int(number), 1) if number.isdigit() else 1
    figures = _figures(counted, first=(at - 1) * UNITS_PAGE)
    pages = max(1, -(-figures["unit_count"] // UNITS_PAGE))
    query = _period_query(chosen)
    return ctx.render(
        "report.html",
        period=chosen,
        query=query,
        page=min(at, pages),
        pages=pages,
        **figures,
    )


@page()
def report_xlsx(ctx: Ctx) -> Response:
    """The workbook written in write-only mode from a server-side cursor into a spooled
    file (memory up to ``SPOOL_BYTES``, then disk), sent from there in chunks."""
    chosen = period(ctx)
    runtime = ctx.runtime
    due = Due(runtime.calendar, runtime.settings.policy)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed below)
    try:
        with runtime.sessions() as session:
            streamed = stream_report(session, due, chosen.start, chosen.end, chosen.as_of)
            stream_workbook(spool, streamed, confidential_titles=ctx.user.can_write)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    name = f"bao-cao-{chosen.start:%Y%m%d}-{chosen.end:%Y%m%d}.xlsx"
    return StreamingResponse(
        _chunks(spool),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


SPOOL_BYTES = 4 * 1024 * 1024


def _chunks(spool: IO[bytes], size: int = 256 * 1024) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(size):
            yield chunk


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
        Route("/tasks/{number:int}/files/purge", task_files_purge, methods=["POST"]),
        Route("/files/{file_id:int}", file_download, methods=["GET"]),
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
