"""What the clerk reads after an import: counts, then every warning with its row."""

from __future__ import annotations

from collections import Counter
from typing import Any

from data.deadlines import DeadlineKind
from data.importers.interpret import ParsedDocument, ParsedItem
from data.store import SaveOutcome
from data.units import UnitRegistry

KIND_LABELS = {
    DeadlineKind.DUE: "có hạn cụ thể",
    DeadlineKind.TERM: "cả giai đoạn",
    DeadlineKind.ONGOING: "thường xuyên",
    DeadlineKind.FROM: "từ một thời điểm, sau đó thường xuyên",
    DeadlineKind.DUE_THEN_ONGOING: "có hạn rồi thường xuyên",
    DeadlineKind.WAITING: "chờ chỉ đạo",
    DeadlineKind.RECURRING: "định kỳ",
    DeadlineKind.DONE: "đã xong",
    DeadlineKind.UNREADABLE: "không đọc được (cần xem lại)",
}


def item_json(item: ParsedItem, units: UnitRegistry, number: int | None = None) -> dict[str, Any]:
    names = [u.name for code in item.units if (u := units.by_code(code))]
    return {
        "number": number,
        "ref": item.ref,
        "title": item.title,
        "units": names + list(item.unknown_units),
        "deadline": item.deadline.to_json(),
        "status": item.status,
        "kind": item.kind,
        "appendix": item.appendix,
        "section": list(item.section),
        "value": item.value,
        "where": item.where,
    }


def document_json(
    parsed: ParsedDocument, units: UnitRegistry, numbers: dict[str, int] | None = None
) -> dict[str, Any]:
    numbers = numbers or {}
    return {
        "document": {"title": parsed.title, "doc_date": parsed.doc_date.isoformat()},
        "tasks": [item_json(i, units, numbers.get(i.source_key)) for i in parsed.items],
        "warnings": [{"where": w.where, "message": w.message} for w in parsed.warnings],
    }


def review_text(
    parsed: ParsedDocument, units: UnitRegistry, outcome: SaveOutcome | None, dry_run: bool
) -> str:
    tasks, targets = parsed.tasks, parsed.targets
    lines = [
        f"Văn bản: {parsed.title or '(không có tiêu đề)'} — ngày {parsed.doc_date:%d/%m/%Y}",
        f"Đọc được {len(tasks)} nhiệm vụ và {len(targets)} chỉ tiêu; "
        f"{len(parsed.warnings)} cảnh báo.",
        "",
        "Theo phụ lục:",
    ]
    by_appendix = Counter((i.appendix or "Bảng", i.kind) for i in parsed.items)
    for appendix in dict.fromkeys(i.appendix or "Bảng" for i in parsed.items):
        n_tasks, n_targets = by_appendix[(appendix, "task")], by_appendix[(appendix, "target")]
        done = sum(1 for i in tasks if (i.appendix or "Bảng") == appendix and i.status == "done")
        parts = [f"{n_tasks} nhiệm vụ"] if n_tasks else []
        if done:
            parts.append(f"{done} đã xong")
        if n_targets:
            parts.append(f"{n_targets} chỉ tiêu")
        lines.append(f"  {appendix}: {', '.join(parts)}")
    lines += ["", "Theo đơn vị (nhiệm vụ):"]
    per_unit = Counter(code for i in tasks for code in i.units)
    for unit in units.units:
        if per_unit[unit.code]:
            lines.append(f"  {unit.name}: {per_unit[unit.code]}")
    unowned = sum(1 for i in tasks if not i.units)
    if unowned:
        lines.append(f"  (chưa rõ đơn vị): {unowned}")
    lines += ["", "Theo loại thời hạn (nhiệm vụ):"]
    per_kind = Counter(i.deadline.kind for i in tasks)
    for kind, label in KIND_LABELS.items():
        if per_kind[kind]:
            lines.append(f"  {label}: {per_kind[kind]}")
    if parsed.warnings:
        lines += ["", "Cảnh báo (cần văn phòng xem lại):"]
        lines += [f"  - {w.where}: {w.message}" for w in parsed.warnings]
    lines.append("")
    if dry_run:
        lines.append("Chạy thử (--dry-run): chưa ghi gì vào cơ sở dữ liệu.")
    elif outcome is not None:
        lines.append(
            f"Đã lưu: {len(outcome.created)} mới, {len(outcome.updated)} cập nhật, "
            f"{len(outcome.unchanged)} không đổi, {len(outcome.removed)} không còn trong văn bản."
        )
    return "\n".join(lines)
