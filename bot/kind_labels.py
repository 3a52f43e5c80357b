"""How each kind of deadline is named for the office (a module of its own: the light
``nhacviec deadline`` command reads it without the store)."""

from __future__ import annotations

from data.deadlines import DeadlineKind

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
