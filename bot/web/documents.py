"""Văn bản: upload a plan, read the review, fix what the import could not read, save.

"Đọc thử" reads the file (nothing written) and keeps it in memory as a draft; the
review lists the counts per appendix, unit and deadline kind and every warning with
its row. Two kinds of fixes are made inline: an unreadable deadline gets a phrase
the office types (read back as it is typed), an unknown unit is matched to a known
unit (its name becomes an alias) or created. "Đọc thử" again shows the review with
the fixes; "Lưu" writes the units, then the document. A document already saved
(known as the command line knows it: the same file, number, title and date, or
content; never by its file name) shows per task what the revision changes. The clerk
may say otherwise: a new document, or "đây là bản sửa của …" another one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.actions import tasks
from bot.actions.base import Outcome, Refusal
from bot.review import KIND_LABELS, KNOWN_BY_LABELS, match_details, namesakes_lines
from bot.web.core import Ctx, page, read_day
from data import db, parts, revisions, store, users
from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers import MAX_FILE_BYTES, ImportFailure, LoadedFile, load_document
from data.importers.interpret import ParsedDocument
from data.models import Task
from data.units import UnitRegistry, plan_new_units

NEW_UNIT = "__new__"
NEW_DOCUMENT = "__new__"  # the clerk's choice: a new document, whatever it resembles


@dataclass
class Draft:
    name: str
    content: bytes
    doc_date: dt.date | None
    deadlines: dict[str, str] = field(default_factory=dict)  # source key → phrase typed
    units: dict[str, str] = field(default_factory=dict)  # name as written → code | NEW_UNIT
    # which document this is: "" as recognised (``revisions.find_document``), NEW_DOCUMENT,
    # or the key of the document the clerk says it revises
    revision_of: str = ""

    def save_as(self) -> dict[str, Any]:
        """``revisions.save_document``'s say on which document this is."""
        if self.revision_of == NEW_DOCUMENT:
            return {"key": None, "new": True}
        return {"key": self.revision_of or None, "new": False}

    @property
    def loaded(self) -> LoadedFile:
        return LoadedFile(self.name, Path(self.name).suffix.lower(), self.content)


# -- reading with the office's fixes ----------------------------------------------------------


def _with_units(registry: UnitRegistry, choices: dict[str, str]) -> UnitRegistry:
    """The registry as it will be once the chosen aliases and new units are saved."""
    infos = list(registry.units)
    for name, choice in choices.items():
        if choice == NEW_UNIT:
            planned = plan_new_units([name], UnitRegistry(infos))
            infos += planned
        elif choice:
            infos = [
                dataclasses.replace(u, aliases=(*u.aliases, name)) if u.code == choice else u
                for u in infos
            ]
    return UnitRegistry(infos)


def fixed_deadline(original: Deadline, phrase: str, doc_date: dt.date) -> Deadline:
    """The office's reading of an unreadable deadline; the phrase as written is kept."""
    read = parse_deadline(phrase, doc_date)
    note = f"Văn phòng sửa thời hạn: «{phrase}»" + (f" ({read.note})" if read.note else "")
    return dataclasses.replace(read, raw=original.raw or phrase, note=note)


def read_draft(draft: Draft, registry: UnitRegistry, today: dt.date) -> ParsedDocument:
    parsed = load_document(
        draft.loaded, _with_units(registry, draft.units), doc_date=draft.doc_date, today=today
    )
    fixed_where = set()
    for item in parsed.items:
        phrase = draft.deadlines.get(item.source_key, "").strip()
        if phrase and item.deadline.kind is DeadlineKind.UNREADABLE:
            item.deadline = fixed_deadline(item.deadline, phrase, parsed.doc_date)
            if not item.needs_review:
                fixed_where.add(item.where)
    if fixed_where:  # the warnings of rows now fully read
        parsed.warnings = [w for w in parsed.warnings if w.where not in fixed_where]
    return parsed


def _review(ctx: Ctx, token: str, draft: Draft) -> dict[str, Any]:
    """Everything the review page shows (raises ImportFailure for a refused file)."""
    with ctx.runtime.sessions() as session:
        registry = store.load_registry(session)
        documents = [(d.key, d.title or d.key) for d in users.list_documents(session)]
    if draft.revision_of not in ("", NEW_DOCUMENT, *(key for key, _ in documents)):
        draft.revision_of = ""  # a document gone since: recognised again
    parsed = read_draft(draft, registry, ctx.today())
    units = _with_units(registry, draft.units)
    tasks = parsed.tasks
    appendices = []
    by_appendix = Counter((i.appendix or "Bảng", i.kind) for i in parsed.items)
    for appendix in dict.fromkeys(i.appendix or "Bảng" for i in parsed.items):
        appendices.append(
            {
                "name": appendix,
                "tasks": by_appendix[(appendix, "task")],
                "targets": by_appendix[(appendix, "target")],
                "done": sum(
                    1 for i in tasks if (i.appendix or "Bảng") == appendix and i.status == "done"
                ),
            }
        )
    per_unit = Counter(code for i in tasks for code in i.units)
    unit_counts = [(u.name, per_unit[u.code]) for u in units.units if per_unit[u.code]]
    unowned = sum(1 for i in tasks if not i.units)
    per_kind = Counter(i.deadline.kind for i in tasks)
    kinds = [(label, per_kind[k]) for k, label in KIND_LABELS.items() if per_kind[k]]
    unreadable = [
        {
            "key": i.source_key,
            "where": i.where,
            "title": i.title,
            "raw": i.deadline.raw,
            "suggestion": i.deadline.suggestion or i.deadline.note or "",
            "phrase": draft.deadlines.get(i.source_key, ""),
        }
        for i in parsed.items
        if i.deadline.kind is DeadlineKind.UNREADABLE or i.source_key in draft.deadlines
    ]
    unknown_names = list(
        dict.fromkeys(
            [
                *parsed.new_unit_names,
                *(n for n, c in draft.units.items() if c),
            ]
        )
    )
    unknown = [{"name": n, "choice": draft.units.get(n, "")} for n in unknown_names]
    return {
        "token": token,
        "draft": draft,
        "parsed": parsed,
        "appendices": appendices,
        "unit_counts": unit_counts,
        "unowned": unowned,
        "kinds": kinds,
        "warnings": parsed.warnings,
        "unreadable": unreadable,
        "unknown": unknown,
        "registry": registry.units,
        "revision": _revision(ctx, draft, parsed),
        "documents": documents,
        "new_document": NEW_DOCUMENT,
        "new_unit": NEW_UNIT,
    }


def _revision(ctx: Ctx, draft: Draft, parsed: ParsedDocument) -> dict[str, Any] | None:
    """What saving this revision would change (the save itself, rolled back), per task as
    the command line's review says it; None for a new document."""
    with ctx.runtime.sessions() as session:
        try:
            outcome = revisions.save_document(
                session,
                parsed,
                source_name=draft.name,
                sha256=draft.loaded.sha256,
                now=ctx.now(),
                actor=ctx.actor,
                **draft.save_as(),
            )
            if outcome.known_by is None:
                return None
            document = users.get_document(session, outcome.document_id)
            name = (document.title or document.key) if document is not None else ""
            gone = store.tasks_for_update(session, outcome.removed) if outcome.removed else {}
            titles = {n: ctx.title(t) for n, t in gone.items()}
        finally:
            session.rollback()
    told = set().union(*((set(g.tasks) | set(g.added)) for g in outcome.ambiguous))
    places = outcome.places

    def rows(chosen: list[int]) -> list[dict[str, Any]]:
        return [
            {"number": n, "title": titles.get(n) or (places[n].title if n in places else "")}
            for n in chosen
            if n not in told
        ]

    def changes(kept: bool) -> list[dict[str, Any]]:
        return [
            {"number": m.number, "title": m.new_title, "details": match_details(m)}
            for m in outcome.matched
            if bool(m.changes) is not kept and (m.changes or m.fields)
        ]

    return {
        "document": name,
        "key": outcome.document_key,
        "known_by": (
            "văn phòng chọn"
            if draft.revision_of and draft.revision_of != NEW_DOCUMENT
            else KNOWN_BY_LABELS[outcome.known_by]
        ),
        "chosen": draft.revision_of,
        "added": rows(outcome.created),
        "changed": changes(kept=False),
        "kept": changes(kept=True),
        "removed": rows(outcome.removed),
        "unchanged": len(outcome.unchanged),
        "ambiguous": [line.strip() for line in namesakes_lines(outcome)],
    }


# -- the pages ----------------------------------------------------------------------------------


@page()
def document_list(ctx: Ctx) -> Response:
    return _list(ctx)


def _review_page(ctx: Ctx, token: str, draft: Draft, status: int = 200) -> Response:
    try:
        values = _review(ctx, token, draft)
    except ImportFailure as failure:
        ctx.flash.append(f"Không đọc được: {failure.message}")
        return _list(ctx, 422)
    return ctx.render("review.html", status, **values)


def _list(ctx: Ctx, status: int = 200) -> Response:
    with ctx.runtime.sessions() as session:
        documents = users.list_documents(session)
        counts = users.document_task_count(session)
        proposed = users.proposal_counts(session)
    rows = [
        {
            "key": d.key,
            "title": d.title or d.key,
            "date": d.doc_date,
            "imported": d.imported_at,
            "source": d.source_name,
            "tasks": counts.get(d.id, 0),
            "proposed": proposed.get(d.id, 0),
            "confidential": d.confidential,
            "id": d.id,
        }
        for d in documents
    ]
    return ctx.render("documents.html", status, rows=rows, limit_mb=MAX_FILE_BYTES // (1024 * 1024))


@page(write=True)
def document_upload(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        ctx.flash.append("Hãy chọn tệp văn bản (.docx, .xlsx hoặc .txt).")
        return _list(ctx, 400)
    date_text = ctx.field("doc_date").strip()
    doc_date = read_day(date_text)
    if date_text and doc_date is None:
        ctx.flash.append(f"Ngày văn bản «{date_text}» không đúng dạng dd/mm/yyyy.")
        return _list(ctx, 400)
    content = upload.file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        ctx.flash.append(
            f"Tệp quá lớn; giới hạn là {MAX_FILE_BYTES // (1024 * 1024)} MB. "
            "Hãy tách phụ lục ra tệp riêng."
        )
        return _list(ctx, 413)
    draft = Draft(Path(upload.filename).name, content, doc_date)
    token = ctx.web.drafts.put(ctx.user.id, ctx.now(), draft)
    return _review_page(ctx, token, draft)


def _fixes(ctx: Ctx, draft: Draft) -> None:
    """The fixes typed on the review page, kept on the draft."""
    form = ctx.form
    if form is None:
        return
    if "revision_of" in form:
        draft.revision_of = ctx.field("revision_of").strip()
    for name in form:
        if name.startswith("dlkey_"):
            key = ctx.field(name)
            phrase = ctx.field("dl_" + name.removeprefix("dlkey_")).strip()
            if phrase:
                draft.deadlines[key] = phrase
            else:
                draft.deadlines.pop(key, None)
        elif name.startswith("unitname_"):
            unit_name = ctx.field(name)
            choice = ctx.field("unit_" + name.removeprefix("unitname_"))
            if choice:
                draft.units[unit_name] = choice
            else:
                draft.units.pop(unit_name, None)


@page(write=True)
def document_draft(ctx: Ctx) -> Response:
    token = ctx.request.path_params["token"]
    draft = ctx.web.drafts.get(ctx.user.id, token, ctx.now())
    if not isinstance(draft, Draft):
        return ctx.redirect("/documents", "Bản đọc thử đã hết hạn; hãy tải tệp lên lại.")
    _fixes(ctx, draft)
    if ctx.field("action") != "save":
        return _review_page(ctx, token, draft)
    try:
        with db.transaction(ctx.runtime.sessions) as session:
            registry = store.load_registry(session)
            for name, choice in draft.units.items():
                if choice == NEW_UNIT:
                    for info in plan_new_units([name], store.load_registry(session)):
                        store.add_unit(session, info)
                        ctx.audit(session, "unit_added", f"{info.code}: {info.name}")
                elif choice:
                    unit = store.find_unit(session, choice)
                    if unit is not None:
                        store.add_alias(session, unit, name)
                        ctx.audit(session, "unit_alias", f"{unit.code}: {name}")
            session.flush()
            chosen = draft.revision_of
            if chosen not in ("", NEW_DOCUMENT) and users.find_document(session, chosen) is None:
                raise ImportFailure(f"không còn văn bản mã «{chosen}» để lưu bản sửa")
            registry = store.load_registry(session)
            parsed = read_draft(dataclasses.replace(draft, units={}), registry, ctx.today())
            outcome = revisions.save_document(
                session,
                parsed,
                source_name=draft.name,
                sha256=draft.loaded.sha256,
                now=ctx.now(),
                actor=ctx.actor,
                **draft.save_as(),
            )
            ctx.audit(
                session,
                "import",
                f"{draft.name}: {len(outcome.created)} mới, {len(outcome.updated)} cập nhật, "
                f"{len(outcome.removed)} bỏ",
            )
    except ImportFailure as failure:
        return ctx.redirect("/documents", f"Không lưu được: {failure.message}")
    ctx.web.drafts.drop(token)
    review = sum(1 for i in parsed.items if i.needs_review)
    proposed = len(outcome.proposed)
    return ctx.redirect(
        f"/documents/{outcome.document_id}",
        f"Đã lưu «{draft.name}»: {len(outcome.created)} mới, {len(outcome.updated)} cập nhật, "
        f"{len(outcome.unchanged)} không đổi, {len(outcome.removed)} không còn trong văn bản."
        + (f" Còn {review} mục cần xem lại (Nhiệm vụ → Cần xem lại)." if review else "")
        + (
            f" {proposed} nhiệm vụ đề xuất từ lời văn chờ văn phòng nhận, sửa hoặc bỏ."
            if proposed
            else ""
        ),
    )


@page(write=True)
def deadline_check(ctx: Ctx) -> Response:
    """How a phrase is read (htmx, as the office types)."""
    trigger = ctx.request.headers.get("hx-trigger-name") or "phrase"
    phrase = ctx.field(trigger).strip()
    doc_date = read_day(ctx.field("doc_date")) or ctx.today()
    if not phrase:
        return HTMLResponse("")
    read = parse_deadline(phrase, doc_date)
    return ctx.render("_reading.html", reading=_reading(read))


def _reading(read: Deadline) -> dict[str, Any]:
    return {
        "ok": read.kind is not DeadlineKind.UNREADABLE,
        "kind": KIND_LABELS.get(read.kind, read.kind.value),
        "start": read.start,
        "due": read.due,
        "rrule": read.rrule,
        "note": read.note or read.suggestion or "",
    }


# -- a saved document and its proposals (tasks read from its sentences) ------------------


def _proposal_row(ctx: Ctx, task: Task) -> dict[str, Any]:
    hidden = ctx.hides(task)
    owners = task.owners
    return {
        "number": task.number,
        "title": ctx.title(task),
        "raw_title": task.title if not hidden else "",
        "owners": ", ".join(a.unit.name for a in owners) or "(chưa rõ đơn vị)",
        "owner_code": owners[0].unit.code if owners else "",
        "cooperating": ", ".join(a.unit.name for a in task.cooperating),
        "raw": task.deadline_raw,
        "kind": KIND_LABELS.get(task.deadline_kind, task.deadline_kind.value),
        "readable": task.deadline_kind is not DeadlineKind.UNREADABLE,
        "start": task.start_date,
        "due": task.due_date,
        "note": task.deadline_note or task.deadline_suggestion or "",
        "source": "" if hidden else task.source_text,
    }


@page()
def document_page(ctx: Ctx) -> Response:
    doc_id = int(ctx.request.path_params["doc_id"])
    with ctx.runtime.sessions() as session:
        document = users.get_document(session, doc_id)
        if document is None:
            return ctx.render("missing.html", 404, what=f"văn bản số {doc_id}")
        proposals = [_proposal_row(ctx, t) for t in users.document_proposals(session, doc_id)]
        tasks = users.document_task_count(session).get(doc_id, 0)
        units = store.list_units(session)
        facts = {
            "id": document.id,
            "title": document.title or document.key,
            "date": document.doc_date,
            "source": document.source_name,
            "imported": document.imported_at,
            "confidential": document.confidential,
            "tasks": tasks,
        }
    return ctx.render("document.html", doc=facts, proposals=proposals, units=units)


@page(write=True)
def proposal_action(ctx: Ctx) -> Response:
    doc_id = int(ctx.request.path_params["doc_id"])
    number = int(ctx.request.path_params["number"])
    action = ctx.field("action")
    back = f"/documents/{doc_id}"
    with db.transaction(ctx.runtime.sessions) as session:
        task = parts.proposals_for_update(session, [number]).get(number)
        if task is None or task.document_id != doc_id:
            return ctx.redirect(back, f"#{number} không còn là nhiệm vụ đề xuất của văn bản này.")
        actor = ctx.acting()
        if action == "reject":
            return ctx.redirect(back, *tasks.reject_proposals(session, actor, [number]).lines())
        lines: list[str] = []
        if action in ("edit", "edit_accept"):
            edited = _edit(ctx, session, task)
            if edited.problems:
                return ctx.redirect(back, *edited.lines())
            lines += edited.lines()
        if action in ("accept", "edit_accept"):
            lines += tasks.accept_proposals(session, actor, [number]).lines()
        if not lines:
            lines.append(f"Đề xuất #{number} không đổi.")
    return ctx.redirect(back, *lines)


def _edit(ctx: Ctx, session: Any, task: Task) -> Outcome:
    """The office's fixes to one proposal, read from the form."""
    code = ctx.field("unit").strip()
    phrase = ctx.field("deadline").strip()
    owner = store.find_unit(session, code) if code else None
    if code and owner is None:
        return Outcome().refuse(Refusal.UNKNOWN_UNIT, f"Không có đơn vị «{code}».")
    deadline = None
    if phrase and phrase != task.deadline_raw:
        deadline = parse_deadline(phrase, task.document.doc_date)
        if deadline.kind is DeadlineKind.UNREADABLE:
            why = deadline.suggestion or deadline.note or ""
            text = f"Không đọc được thời hạn «{phrase}»" + (f": {why}" if why else "") + "."
            return Outcome().refuse(Refusal.UNREADABLE, text)
    title = ctx.field("title").strip()
    return tasks.edit_proposal(
        session, ctx.acting(), task.number, title=title, owner=owner, deadline=deadline
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/documents", document_list, methods=["GET"]),
        Route("/documents/{doc_id:int}", document_page, methods=["GET"]),
        Route("/documents/{doc_id:int}/proposals/{number:int}", proposal_action, methods=["POST"]),
        Route("/documents", document_upload, methods=["POST"]),
        Route("/documents/draft/{token}", document_draft, methods=["POST"]),
        Route("/documents/deadline", deadline_check, methods=["POST"]),
    ]
