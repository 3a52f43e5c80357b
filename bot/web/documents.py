"""Văn bản: upload a plan, read the review, fix what the import could not read, save.

"Đọc thử" reads the file (nothing written) and keeps it on disk as a draft
(``bot.web.drafts``); the review lists the counts per appendix, unit and deadline kind
and the warnings, one row per kind. Two kinds of fixes are made inline: an unreadable
deadline gets a phrase the office types (read back as it is typed), an unknown body is
created as a unit or named an alias of another. On the first read every unknown body
is proposed as a new unit (a code suggested) and a near-duplicate as an alias, so a
new office's "Lưu" with the defaults gives every task its unit. "Đọc thử" again shows
the review with the fixes; "Lưu" writes the units, then the document. A document
already saved (known as the command line knows it: the same file, number, title and
date, or content; never by its file name) shows per task what the revision changes.
The clerk may say otherwise: a new document, or "đây là bản sửa của …" another one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.access import shown_to
from bot.actions import tasks
from bot.actions.base import Outcome, Refusal
from bot.review import KNOWN_BY_LABELS, match_details, namesakes_lines, summarize
from bot.web.core import Ctx, page, read_day
from bot.web.drafts import Stored
from bot.web.forms import read_date
from data import console_counts, db, document_store, parts, revisions, store, unit_store
from data.deadlines import Deadline, DeadlineKind, parse_deadline
from data.importers import MAX_FILE_BYTES, ImportFailure, LoadedFile, load_document
from data.importers.interpret import ImportWarning, ParsedDocument
from data.models import Task
from data.text import unit_key
from data.units import UnitInfo, UnitRegistry, derive_code, is_chi_bo_name, plan_new_units
from data.vocabulary import DEADLINE_KIND

NEW_DOCUMENT = "__new__"  # the clerk's choice: a new document, whatever it resembles


@dataclass
class Draft:
    name: str
    content: bytes
    doc_date: dt.date | None
    deadlines: dict[str, str] = field(default_factory=dict)  # source key → phrase typed
    # name as written → "+code" (a new unit), "=name" (another new name's alias), or an
    # existing unit's code (an alias of it); absent: left for later (the warning stays)
    units: dict[str, str] = field(default_factory=dict)
    names: list[tuple[str, int]] = field(default_factory=list)  # unknown names, tasks each
    first_read: bool = True  # defaults not yet proposed
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

    def meta(self) -> dict[str, Any]:
        return {
            "doc_date": self.doc_date.isoformat() if self.doc_date else None,
            "deadlines": self.deadlines,
            "units": self.units,
            "names": self.names,
            "first_read": self.first_read,
            "revision_of": self.revision_of,
        }

    @classmethod
    def from_stored(cls, stored: Stored) -> Draft:
        meta = stored.meta
        day = meta.get("doc_date")
        return cls(
            stored.name,
            stored.content,
            dt.date.fromisoformat(day) if day else None,
            dict(meta.get("deadlines", {})),
            dict(meta.get("units", {})),
            [(str(n), int(c)) for n, c in meta.get("names", [])],
            bool(meta.get("first_read", True)),
            str(meta.get("revision_of", "")),
        )


NEAR = 0.88  # how alike two names' keys are to offer one as the other's alias
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")


# -- reading with the office's fixes ----------------------------------------------------------


def _with_units(registry: UnitRegistry, choices: dict[str, str]) -> UnitRegistry:
    """The registry as it will be once the chosen new units and aliases are saved."""
    infos = list(registry.units)
    for name, choice in choices.items():
        if choice.startswith("+"):
            infos.append(UnitInfo(choice[1:], name, is_chi_bo_name(name)))
    for name, choice in choices.items():
        if choice.startswith("+") or not choice:
            continue
        target = choices.get(choice[1:], "")[1:] if choice.startswith("=") else choice
        infos = [
            dataclasses.replace(u, aliases=(*u.aliases, name)) if u.code == target else u
            for u in infos
        ]
    return UnitRegistry(infos)


def _near(key: str, others: dict[str, str]) -> str | None:
    """The choice of a name that is a near-duplicate of another ("Ban Tuyen giao" and
    "Ban Tuyen giao Tinh uy" are not: both may be real; a typo or a dash is)."""
    best, choice = 0.0, None
    for other_key, other_choice in others.items():
        ratio = difflib.SequenceMatcher(None, key, other_key).ratio()
        if ratio > best:
            best, choice = ratio, other_choice
    return choice if best >= NEAR else None


def propose_units(
    parsed: ParsedDocument, registry: UnitRegistry
) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """The first day: each unknown body proposed as a unit (a code suggested), a
    near-duplicate of a known or proposed one as its alias; and how many tasks name each."""
    names = list(parsed.new_unit_names)
    counts: Counter[str] = Counter()
    for item in parsed.items:
        for key in {unit_key(n) for n in (*item.unknown_units, *item.unknown_cooperating)}:
            counts[key] += 1
    known = {unit_key(n): u.code for u in registry.units for n in (u.name, *u.aliases)}
    planned = {u.name: u for u in plan_new_units(names, registry)}
    choices: dict[str, str] = {}
    proposed: dict[str, str] = {}
    for name in names:
        key = unit_key(name)
        near = _near(key, {**known, **proposed})
        if near is not None:
            choices[name] = near
        elif name in planned:
            choices[name] = "+" + planned[name].code
            proposed[key] = "=" + name
    return choices, [(n, counts[unit_key(n)]) for n in names]


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


_UNKNOWN_UNIT = "Không nhận ra đơn vị «"


def grouped_warnings(warnings: list[ImportWarning]) -> list[dict[str, Any]]:
    """One row per kind of warning (its message), with where it occurs; an unknown unit's
    warnings are left out: its row in "Đơn vị chưa có" says it and offers the fix."""
    groups: dict[str, list[str]] = {}
    for warning in warnings:
        if warning.message.startswith(_UNKNOWN_UNIT):
            continue
        groups.setdefault(warning.message, []).append(warning.where)
    return [
        {
            "message": message,
            "where": where,
            "chi_bo": "«các chi bộ»" in message,
        }
        for message, where in groups.items()
    ]


def _review(
    ctx: Ctx, token: str, draft: Draft, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Everything the review page shows (raises ImportFailure for a refused file)."""
    with ctx.runtime.sessions() as session:
        registry = unit_store.load_registry(session)
        documents = [(d.key, d.title or d.key) for d in document_store.list_documents(session)]
    if draft.revision_of not in ("", NEW_DOCUMENT, *(key for key, _ in documents)):
        draft.revision_of = ""  # a document gone since: recognised again
    if draft.first_read:
        first = read_draft(dataclasses.replace(draft, units={}), registry, ctx.today())
        draft.units, draft.names = propose_units(first, registry)
        draft.first_read = False
        ctx.web.drafts.save(ctx.user.id, token, ctx.now(), draft.meta())
    parsed = read_draft(draft, registry, ctx.today())
    units = _with_units(registry, draft.units)
    summary = summarize(parsed, units)
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
    counted = dict(draft.names)
    for name in parsed.new_unit_names:  # met only now (a fix changed the reading)
        counted.setdefault(name, 0)
    taken = {u.code for u in registry.units}
    unknown = []
    for name, count in counted.items():
        choice = draft.units.get(name, "")
        new = choice.startswith("+")
        unknown.append(
            {
                "name": name,
                "count": count,
                "new": new,
                "code": choice[1:] if new else derive_code(name, taken),
                "alias": "" if new else choice,
                "chi_bo": is_chi_bo_name(name),
            }
        )
    new_names = [u["name"] for u in unknown if u["new"]]
    return {
        "token": token,
        "draft": draft,
        "parsed": parsed,
        "appendices": summary.appendices,
        "unit_counts": summary.units,
        "unowned": summary.unowned,
        "kinds": summary.kinds,
        "warnings": grouped_warnings(parsed.warnings),
        "warning_count": len(parsed.warnings),
        "unreadable": unreadable,
        "unknown": unknown,
        "new_names": new_names,
        "registry": registry.units,
        "owners": units.units,  # with the units this review proposes to create
        "revision": _revision(ctx, draft, parsed),
        "documents": documents,
        "new_document": NEW_DOCUMENT,
        "errors": errors or {},
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
            document = document_store.get_document(session, outcome.document_id)
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


def _review_page(
    ctx: Ctx, token: str, draft: Draft, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    try:
        values = _review(ctx, token, draft, errors)
    except ImportFailure as failure:
        ctx.web.drafts.drop(token)  # a refused file leaves nothing behind
        return _list(ctx, 422, {"file": f"Không đọc được tệp «{draft.name}»: {failure.message}"})
    return ctx.render("review.html", 422 if errors else status, **values)


def _list(
    ctx: Ctx,
    status: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    with ctx.runtime.sessions() as session:
        documents = document_store.list_documents(session)
        audited = console_counts.audit_mark(session)
    # each document's tasks and waiting proposals: a province's 200,000 tasks grouped,
    # kept while the store stands still (an import or an accepted proposal is history; a
    # rejected one deletes its task, and the office's action is audited)
    counts, proposed = ctx.web.figures.get(
        ("documents",),
        lambda session: (
            document_store.document_task_count(session),
            document_store.proposal_counts(session),
        ),
        also=audited,
    )
    rows = [
        {
            "key": d.key,
            "title": shown_to(ctx.reader, d.confidential, d.title or d.key),
            "date": d.doc_date,
            "imported": d.imported_at,
            "source": shown_to(ctx.reader, d.confidential, d.source_name),
            "tasks": counts.get(d.id, 0),
            "proposed": proposed.get(d.id, 0),
            "confidential": d.confidential,
            "id": d.id,
        }
        for d in documents
    ]
    return ctx.render(
        "documents.html",
        status,
        rows=rows,
        limit_mb=MAX_FILE_BYTES // (1024 * 1024),
        errors=errors or {},
        typed=typed or {},
    )


@page(write=True)
def document_upload(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    date_text = ctx.field("doc_date").strip()
    typed = {"doc_date": date_text}
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _list(ctx, 400, {"file": "Hãy chọn tệp văn bản (.docx, .xlsx hoặc .txt)."}, typed)
    doc_date, problem = read_date(date_text)
    if problem:
        return _list(ctx, 400, {"doc_date": problem}, typed)
    content = upload.file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        problem = f"Tệp quá lớn; giới hạn là {limit} MB. Hãy tách phụ lục ra tệp riêng."
        return _list(ctx, 413, {"file": problem}, typed)
    draft = Draft(Path(upload.filename).name, content, doc_date)
    token = ctx.web.drafts.put(ctx.user.id, ctx.now(), draft.name, content, draft.meta())
    if token is None:
        return _list(ctx, 413, {"file": "Tệp quá lớn để giữ bản đọc thử."}, typed)
    return _review_page(ctx, token, draft)


def _fixes(ctx: Ctx, draft: Draft) -> dict[str, str]:
    """The fixes typed on the review page, kept on the draft; the fields refused."""
    form = ctx.form
    errors: dict[str, str] = {}
    if form is None:
        return errors
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
    rows = [n.removeprefix("unitname_") for n in form if n.startswith("unitname_")]
    codes: dict[str, str] = {}
    for index in rows:
        unit_name = ctx.field("unitname_" + index)
        alias = ctx.field("unitalias_" + index)
        code = ctx.field("unitcode_" + index).strip().lower()
        if alias:
            draft.units[unit_name] = alias
        elif ctx.field("unitnew_" + index) == "1":
            draft.units[unit_name] = "+" + code
            codes[index] = code
        else:
            draft.units.pop(unit_name, None)
    with ctx.runtime.sessions() as session:
        taken = {u.code for u in unit_store.list_units(session)}
    seen: set[str] = set()
    for index, code in codes.items():
        if not _CODE.match(code):
            errors[f"unitcode_{index}"] = (
                f"Mã «{code}» không dùng được: chỉ chữ thường không dấu, số, «-» hoặc «_»."
                if code
                else "Hãy đặt mã cho đơn vị mới (ví dụ «tgdv»)."
            )
        elif code in taken or code in seen:
            errors[f"unitcode_{index}"] = f"Mã «{code}» đã có đơn vị khác dùng; hãy chọn mã khác."
        seen.add(code)
    for name, choice in list(draft.units.items()):  # an alias of a name no longer created
        if choice.startswith("=") and not draft.units.get(choice[1:], "").startswith("+"):
            draft.units.pop(name)
    return errors


@page(write=True)
def document_draft(ctx: Ctx) -> Response:
    token = ctx.request.path_params["token"]
    stored = ctx.web.drafts.get(ctx.user.id, token, ctx.now())
    if stored is None:
        return ctx.redirect("/documents", "Bản đọc thử đã hết hạn; hãy tải tệp lên lại.")
    draft = Draft.from_stored(stored)
    errors = _fixes(ctx, draft)
    ctx.web.drafts.save(ctx.user.id, token, ctx.now(), draft.meta())
    if errors or ctx.field("action") != "save":
        return _review_page(ctx, token, draft, errors=errors)
    try:
        with db.transaction(ctx.runtime.sessions) as session:
            registry = unit_store.load_registry(session)
            for name, choice in draft.units.items():
                if choice.startswith("+"):
                    info = UnitInfo(choice[1:], name, is_chi_bo_name(name))
                    unit_store.add_unit(session, info)
                    ctx.audit(session, "unit_added", f"{info.code}: {info.name}")
            session.flush()
            for name, choice in draft.units.items():
                if choice.startswith("+") or not choice:
                    continue
                target = draft.units.get(choice[1:], "")[1:] if choice.startswith("=") else choice
                unit = unit_store.find_unit(session, target) if target else None
                if unit is not None:
                    unit_store.add_alias(session, unit, name)
                    ctx.audit(session, "unit_alias", f"{unit.code}: {name}")
            session.flush()
            chosen = draft.revision_of
            if (
                chosen not in ("", NEW_DOCUMENT)
                and document_store.find_document(session, chosen) is None
            ):
                raise ImportFailure(f"không còn văn bản mã «{chosen}» để lưu bản sửa")
            registry = unit_store.load_registry(session)
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
        ctx.web.drafts.drop(token)
        return ctx.redirect("/documents", f"Không lưu được: {failure.message}")
    ctx.web.drafts.drop(token)
    review = sum(1 for i in parsed.items if i.needs_review)
    proposed = len(outcome.proposed)
    created = sum(1 for c in draft.units.values() if c.startswith("+"))
    return ctx.redirect(
        f"/documents/{outcome.document_id}",
        f"Đã lưu «{draft.name}»: {len(outcome.created)} mới, {len(outcome.updated)} cập nhật, "
        f"{len(outcome.unchanged)} không đổi, {len(outcome.removed)} không còn trong văn bản."
        + (f" Đã thêm {created} đơn vị." if created else "")
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
        "kind": DEADLINE_KIND.get(read.kind, read.kind.value),
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
        "kind": DEADLINE_KIND.get(task.deadline_kind, task.deadline_kind.value),
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
        document = document_store.get_document(session, doc_id)
        if document is None:
            return ctx.render("missing.html", 404, what=f"văn bản số {doc_id}")
        proposals = [
            _proposal_row(ctx, t) for t in document_store.document_proposals(session, doc_id)
        ]
        tasks = document_store.document_task_count(session).get(doc_id, 0)
        units = unit_store.list_units(session)
        facts = {
            "id": document.id,
            "title": shown_to(ctx.reader, document.confidential, document.title or document.key),
            "date": document.doc_date,
            "source": shown_to(ctx.reader, document.confidential, document.source_name),
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
    owner = unit_store.find_unit(session, code) if code else None
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
