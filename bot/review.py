"""What the clerk reads after an import: counts, then every warning with its row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.kind_labels import KIND_LABELS as KIND_LABELS  # the console reads it here
from data.importers.interpret import ParsedDocument, ParsedItem
from data.revisions import Aspect, FieldChange, KnownBy, Match, SaveOutcome
from data.units import UnitRegistry, plan_new_units
from jobs.compose import shorten


def item_json(item: ParsedItem, units: UnitRegistry, number: int | None = None) -> dict[str, Any]:
    names = [u.name for code in item.units if (u := units.by_code(code))]
    cooperating = [u.name for code in item.cooperating if (u := units.by_code(code))]
    return {
        "number": number,
        "ref": item.ref,
        "title": item.title,
        "units": names + list(item.unknown_units),
        "cooperating": cooperating + list(item.unknown_cooperating),
        "deadline": item.deadline.to_json(),
        "status": item.status,
        "kind": item.kind,
        "appendix": item.appendix,
        "section": list(item.section),
        "value": item.value,
        "where": item.where,
        "source_text": item.source_text,
    }


def document_json(
    parsed: ParsedDocument, units: UnitRegistry, numbers: dict[str, int] | None = None
) -> dict[str, Any]:
    numbers = numbers or {}
    return {
        "document": {"title": parsed.title, "doc_date": parsed.doc_date.isoformat()},
        "kind": parsed.kind,
        "tasks": [
            item_json(i, units, numbers.get(i.source_key))
            for i in [*parsed.items, *parsed.proposals]
        ],
        "warnings": [{"where": w.where, "message": w.message} for w in parsed.warnings],
    }


@dataclass(frozen=True)
class AppendixCount:
    name: str
    tasks: int
    targets: int
    done: int


@dataclass(frozen=True)
class ImportSummary:
    """What a read document holds, counted once for every review (CLI and console)."""

    appendices: list[AppendixCount]
    units: list[tuple[str, int]]  # unit name → its tasks, in the registry's order
    unowned: int  # tasks naming no known unit
    kinds: list[tuple[str, int]]  # deadline kind's words → its tasks


def summarize(parsed: ParsedDocument, units: UnitRegistry) -> ImportSummary:
    tasks = parsed.tasks
    by_appendix = Counter((i.appendix or "Bảng", i.kind) for i in parsed.items)
    done = Counter(i.appendix or "Bảng" for i in tasks if i.status == "done")
    appendices = [
        AppendixCount(name, by_appendix[(name, "task")], by_appendix[(name, "target")], done[name])
        for name in dict.fromkeys(i.appendix or "Bảng" for i in parsed.items)
    ]
    per_unit = Counter(code for i in tasks for code in i.units)
    per_kind = Counter(i.deadline.kind for i in tasks)
    return ImportSummary(
        appendices,
        [(u.name, per_unit[u.code]) for u in units.units if per_unit[u.code]],
        sum(1 for i in tasks if not i.units),
        [(label, per_kind[k]) for k, label in KIND_LABELS.items() if per_kind[k]],
    )


def review_text(
    parsed: ParsedDocument, units: UnitRegistry, outcome: SaveOutcome | None, dry_run: bool
) -> str:
    summary = summarize(parsed, units)
    lines = [
        f"Văn bản: {parsed.title or '(không có tiêu đề)'} — ngày {parsed.doc_date:%d/%m/%Y}",
        f"Đọc được {len(parsed.tasks)} nhiệm vụ và {len(parsed.targets)} chỉ tiêu; "
        f"{len(parsed.warnings)} cảnh báo.",
        "",
        "Theo phụ lục:",
    ]
    for appendix in summary.appendices:
        parts = [f"{appendix.tasks} nhiệm vụ"] if appendix.tasks else []
        if appendix.done:
            parts.append(f"{appendix.done} đã xong")
        if appendix.targets:
            parts.append(f"{appendix.targets} chỉ tiêu")
        lines.append(f"  {appendix.name}: {', '.join(parts)}")
    lines += ["", "Theo đơn vị (nhiệm vụ):"]
    lines += [f"  {name}: {count}" for name, count in summary.units]
    if summary.unowned:
        lines.append(f"  (chưa rõ đơn vị): {summary.unowned}")
    new_units = plan_new_units(parsed.new_unit_names, units)
    if new_units:
        lines += ["", f"Đơn vị mới, chưa có trong danh sách ({len(new_units)}):"]
        lines += [f"  + {u.name} (mã {u.code})" for u in new_units]
        lines.append(
            "  → nhập lại với --add-units để tạo các đơn vị này (hoặc: nhacviec units add)."
        )
    lines += ["", "Theo loại thời hạn (nhiệm vụ):"]
    lines += [f"  {label}: {count}" for label, count in summary.kinds]
    if parsed.warnings:
        lines += ["", "Cảnh báo (cần văn phòng xem lại):"]
        lines += [f"  - {w.where}: {w.message}" for w in parsed.warnings]
    lines.append("")
    if not parsed.items:  # a notice or conclusion: no tables, only sentences
        empty = {"Theo phụ lục:", "Theo đơn vị (nhiệm vụ):", "Theo loại thời hạn (nhiệm vụ):"}
        lines = [line for line in lines if line not in empty]
        lines = [ln for i, ln in enumerate(lines) if ln or (i and lines[i - 1])]
    lines += proposal_lines(parsed, units, outcome)
    if dry_run:
        lines.append("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
    elif outcome is not None:
        lines.append(
            f"Đã lưu: {len(outcome.created)} mới, {len(outcome.updated)} cập nhật, "
            f"{len(outcome.unchanged)} không đổi, {len(outcome.removed)} không còn trong văn bản."
        )
        lines += revision_lines(outcome)
    return "\n".join(lines)


def proposal_lines(
    parsed: ParsedDocument, units: UnitRegistry, outcome: SaveOutcome | None
) -> list[str]:
    """Tasks read from the document's sentences, under their owner with the sentence each
    came from: proposals until the office accepts them."""
    if not parsed.proposals:
        return []
    groups = parsed.grouped_proposals(units.units)
    owners = sum(1 for _, g in groups if g[0].units or g[0].unknown_units)
    lines = [
        f"Nhiệm vụ đề xuất từ lời văn: đọc {parsed.sentences_read} câu, ra "
        f"{len(parsed.proposals)} đề xuất cho {owners} "
        "đơn vị — chưa gửi vào nhóm nào; nhận: nhacviec tasks accept <số>…, "
        "bỏ: nhacviec tasks reject <số>…",
    ]
    numbers = outcome.proposal_numbers if outcome is not None else {}
    for owner, items in groups:
        lines.append(f"  {owner} ({len(items)}):")
        for item in items:
            number = numbers.get(item.source_key)
            head = f"#{number}" if number is not None else "-"
            deadline = item.deadline.raw or "chưa có hạn"
            note = f" ⚠ {item.review_note}" if item.review_note else ""
            lines.append(f"    {head} {shorten(item.title, 90)} — {deadline}{note}")
            lines.append(f"        «{shorten(item.source_text, 160)}»")
    return [*lines, ""]


# -- what a revision changed ---------------------------------------------------------------

KNOWN_BY_LABELS = {
    KnownBy.KEY: "cùng mã văn bản (--key)",
    KnownBy.FILE: "cùng tệp",
    KnownBy.NUMBER: "cùng số hiệu",
    KnownBy.TITLE_DATE: "cùng tiêu đề và ngày",
    KnownBy.CONTENT: "phần lớn nội dung trùng",
}
CHANGE_LABELS = {
    "item_kind": "loại",
    "appendix": "phụ lục",
    "unit_text": "đơn vị",
    "units": "đơn vị",
    "value": "giá trị",
    "extra": "cột khác",
    "deadline_raw": "thời hạn",
    "deadline_kind": "thời hạn",
    "start_date": "thời hạn",
    "due_date": "thời hạn",
    "rrule": "thời hạn",
    "deadline_note": "thời hạn",
    "deadline_suggestion": "thời hạn",
    "needs_review": "cần xem lại",
}
_SHOWN = 40  # lines per group; the rest are counted (all of them: --json)


def _where(appendix: str, ref: str) -> str:
    return f"{appendix or 'Bảng'}, TT {ref or '—'}"


def _group(title: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    more = len(rows) - _SHOWN
    shown = rows[:_SHOWN] + ([f"    … và {more} mục khác (xem --json)"] if more > 0 else [])
    return [f"  {title} ({len(rows)}):", *shown]


ASPECT_LABELS = {
    Aspect.TITLE: "tiêu đề",
    Aspect.OWNERS: "đơn vị",
    Aspect.DEADLINE: "thời hạn",
    Aspect.PRODUCT: "sản phẩm",
}
KEPT_BY_OFFICE = "giữ theo văn phòng"
# changes told by their own line (old → new), not again among the other fields
_TOLD = {
    "title",
    "units",
    "unit_text",
    "deadline_raw",
    "deadline_kind",
    "start_date",
    "due_date",
    "rrule",
    "deadline_note",
    "deadline_suggestion",
}


def field_text(change: FieldChange) -> str:
    """One aspect of a task, old → new, or what the office's word kept (CLI and console)."""
    label = ASPECT_LABELS[change.aspect]
    if change.kept:
        written = f"văn bản ghi «{change.new or '—'}»"
        return f"{label}: {written} — {KEPT_BY_OFFICE} ({change.old or '—'})"
    return f"{label}: «{change.old or '—'}» → «{change.new or '—'}»"


def _match_line(match: Match) -> str:
    if match.moved:
        where = f"{match.appendix or 'Bảng'}, TT {match.old_ref or '—'} → {match.new_ref or '—'}"
    else:
        where = _where(match.appendix, match.new_ref)
    if match.renamed:
        body = f"«{match.old_title}» → «{match.new_title}» (giống {round(match.similarity * 100)}%)"
    else:
        body = f"«{match.new_title}»"
    details = match_details(match, with_title=False)
    return f"    #{match.number} ({where}) {body}" + "".join(f"; {d}" for d in details)


def match_details(match: Match, *, with_title: bool = True) -> list[str]:
    """What changes in one task, a line per aspect (the command line and the console)."""
    told = [
        field_text(f)
        for f in match.fields
        if f.shown and (with_title or f.aspect is not Aspect.TITLE)
    ]
    if with_title and match.moved:
        told.append(f"vị trí: TT {match.old_ref or '—'} → {match.new_ref or '—'}")
    # the owners cell rewritten, the same units: still worth a word
    said = _TOLD if "units" in match.changes else _TOLD - {"unit_text"}
    other = dict.fromkeys(
        CHANGE_LABELS[c] for c in match.changes if c in CHANGE_LABELS and c not in said
    )
    return told + ([f"sửa: {', '.join(other)}"] if other else [])


def namesakes_lines(outcome: SaveOutcome) -> list[str]:
    """Rows sharing a title that nothing told apart: the clerk decides, nothing guessed."""
    lines = []
    for group in outcome.ambiguous:

        def row(number: int) -> str:
            p = outcome.places[number]
            done = ", đã xong" if p.done else ""
            return (
                f"#{number} ({p.owners or 'chưa rõ đơn vị'}; {p.deadline or 'chưa có hạn'}{done})"
            )

        old = ", ".join(row(n) for n in group.tasks)
        new = ", ".join(row(n) for n in group.added) or "không còn dòng nào"
        lines.append(
            f"    «{group.title}» ({group.appendix or 'Bảng'}): trước {old}; nay {new}. "
            "Không đoán: việc cũ không còn (giữ kết quả đã báo), dòng mới thêm mới — nếu là "
            "cùng việc, báo lại kết quả cho số mới (nhacviec done <số> --unit <đơn vị>)."
        )
    return lines


def revision_lines(outcome: SaveOutcome) -> list[str]:
    """Which document this was, and what the import matched, added, changed and removed."""
    key = outcome.document_key
    if outcome.known_by is None:
        return [
            f"Văn bản mới, mã {key}: lần sau nhập bản sửa của văn bản này sẽ cập nhật nó "
            f"(chỉ định rõ: --key {key})."
        ]
    lines = [
        f"Bản sửa của văn bản đã nhập (mã {key}), nhận ra theo: "
        f"{KNOWN_BY_LABELS[outcome.known_by]}. So với lần nhập trước:"
    ]
    places = outcome.places
    replaced_new = {new for _, new in outcome.replaced}
    replaced_old = {old for old, _ in outcome.replaced}
    replaced_new |= {n for group in outcome.ambiguous for n in group.added}
    replaced_old |= {n for group in outcome.ambiguous for n in group.tasks}

    def place_line(number: int, note: str = "") -> str:
        p = places[number]
        return f"    #{number} {_where(p.appendix, p.ref)}: «{p.title}»{note}"

    changed = [m for m in outcome.matched if m.changes]
    renamed = [m for m in changed if m.renamed]
    moved = [m for m in changed if m.moved and not m.renamed]
    other = [
        m
        for m in changed
        if not m.moved and not m.renamed and any(c in CHANGE_LABELS for c in m.changes)
    ]
    kept = [m for m in outcome.matched if not m.changes and m.fields]
    restored = [
        place_line(n, " — giữ nguyên kết quả đã báo" if places[n].done else "")
        for n in outcome.restored
    ]
    removed = [
        place_line(
            n, " — đã xong; kết quả được giữ, không chuyển sang việc khác" if places[n].done else ""
        )
        for n in outcome.removed
        if n not in replaced_old
    ]
    replaced = []
    for old, new in outcome.replaced:
        was, now = places[old], places[new]
        done = f"; kết quả đã báo của #{old} không chuyển sang #{new}" if was.done else ""
        replaced.append(
            f"    {_where(now.appendix, now.ref)}: #{old} «{was.title}» không còn, "
            f"#{new} «{now.title}» thêm mới{done}"
        )
    lines += _group("Thêm mới", [place_line(n) for n in outcome.created if n not in replaced_new])
    lines += _group(
        "Đổi tên (vẫn là nhiệm vụ cũ, giữ số và kết quả)", [_match_line(m) for m in renamed]
    )
    lines += _group("Đổi vị trí", [_match_line(m) for m in moved])
    lines += _group("Sửa nội dung", [_match_line(m) for m in other])
    lines += _group("Trở lại trong văn bản", restored)
    lines += _group("Không còn trong văn bản", removed)
    lines += _group("Cùng vị trí nhưng nội dung khác nhiều, không coi là cùng nhiệm vụ", replaced)
    lines += _group(
        "Cùng tiêu đề, không phân biệt được (văn phòng xem lại)", namesakes_lines(outcome)
    )
    lines += _group(
        "Văn bản ghi khác, giữ theo văn phòng (không đổi)", [_match_line(m) for m in kept]
    )
    if len(lines) == 1:
        lines.append("  Không có gì thay đổi.")
    return lines


def outcome_json(outcome: SaveOutcome) -> dict[str, Any]:
    """The import's result for --json: the document, then every number by what happened."""
    return {
        "document_key": outcome.document_key,
        "revision_of": outcome.known_by.value if outcome.known_by else None,
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "removed": outcome.removed,
        "restored": outcome.restored,
        "replaced": [{"removed": old, "added": new} for old, new in outcome.replaced],
        "ambiguous": [
            {"title": g.title, "appendix": g.appendix, "tasks": g.tasks, "added": g.added}
            for g in outcome.ambiguous
        ],
        "matched": [
            {
                "number": m.number,
                "appendix": m.appendix,
                "old_ref": m.old_ref,
                "new_ref": m.new_ref,
                "old_title": m.old_title,
                "new_title": m.new_title,
                "similarity": m.similarity,
                "changes": list(m.changes),
                "fields": [
                    {"aspect": f.aspect.value, "old": f.old, "new": f.new, "kept": f.kept}
                    for f in m.fields
                ],
            }
            for m in outcome.matched
        ],
    }
