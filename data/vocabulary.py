"""The Vietnamese words for what the store keeps as English enum values: one place.

The console, the chat, the workbook and the command line say a status, a deadline
kind, a queued message's kind, a role or a platform with these words, so the same
thing reads the same everywhere and no enum value ("approved", "digest",
"console:hcqt") reaches a person. The status colours live here too: the chart, the
tables and the workbook colour a status alike.

The report's part statuses (``jobs.report.PartStatus``) sit in a higher layer; they
are keyed here by their values, which a ``StrEnum`` member looks up as itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from data.deadlines import DeadlineKind
from data.domain import (
    AssignmentRole,
    ChannelName,
    ChatRole,
    ExtensionStatus,
    MessageKind,
    OutboxStatus,
    TaskAction,
    TaskStatus,
)

# -- a task in the store ---------------------------------------------------------------

TASK_STATUS: Final[Mapping[TaskStatus, str]] = {
    TaskStatus.OPEN: "đang thực hiện",
    TaskStatus.DONE: "đã hoàn thành",
    TaskStatus.REMOVED: "không còn trong văn bản",
    TaskStatus.PROPOSED: "đề xuất, chờ văn phòng duyệt",
}
# Not a stored status: an open task past its date (the console's "Quá hạn" filter).
OVERDUE_FILTER: Final = "overdue"
OVERDUE_WORD: Final = "quá hạn"

DEADLINE_KIND: Final[Mapping[DeadlineKind, str]] = {
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

TASK_ACTION: Final[Mapping[TaskAction, str]] = {
    TaskAction.IMPORTED: "nhập từ văn bản",
    TaskAction.UPDATED: "cập nhật từ văn bản",
    TaskAction.DONE: "báo xong",
    TaskAction.REOPENED: "mở lại",
    TaskAction.REMOVED: "bỏ khỏi văn bản",
    TaskAction.EXTENDED: "gia hạn",
    TaskAction.EXTENSION_REQUESTED: "xin gia hạn",
    TaskAction.EXTENSION_REFUSED: "không được gia hạn",
    TaskAction.CONFIDENTIAL: "đổi chế độ mật",
    TaskAction.ACCEPTED: "văn phòng nhận nhiệm vụ",
    TaskAction.PROGRESS: "báo cáo tiến độ",
    TaskAction.REPORTED: "báo xong, chờ xác nhận",
    TaskAction.CONFIRMED: "văn phòng xác nhận hoàn thành",
    TaskAction.RETURNED: "văn phòng trả lại",
    TaskAction.FILED: "gửi tệp",
}

ASSIGNMENT_ROLE: Final[Mapping[AssignmentRole, str]] = {
    AssignmentRole.OWNER: "Chủ trì",
    AssignmentRole.COOPERATING: "Phối hợp",
}

EXTENSION_STATUS: Final[Mapping[ExtensionStatus, str]] = {
    ExtensionStatus.PENDING: "chờ duyệt",
    ExtensionStatus.APPROVED: "đã duyệt",
    ExtensionStatus.REFUSED: "không duyệt",
}

# -- the report's four (and three undated) statuses, and their colours ------------------

PART_STATUS: Final[Mapping[str, str]] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_term": "Chưa hoàn thành – còn trong hạn",
    "overdue": "Chưa hoàn thành – đã quá hạn",
    "no_deadline": "Thường xuyên / không có hạn",
    "waiting": "Chờ chỉ đạo",
    "review": "Cần văn phòng xem lại",
}
PART_STATUS_SHORT: Final[Mapping[str, str]] = {  # a narrow column, a chart legend
    "done_on_time": "Đúng hạn",
    "done_late": "Xong trễ",
    "in_term": "Còn hạn",
    "overdue": "Quá hạn",
    "no_deadline": "Thường xuyên",
    "waiting": "Chờ chỉ đạo",
    "review": "Cần xem lại",
}
STATUS_COLOR: Final[Mapping[str, str]] = {  # "#rrggbb"
    "done_on_time": "#2e7d32",
    "done_late": "#f9a825",
    "in_term": "#1565c0",
    "overdue": "#c62828",
}

# -- the outbox ----------------------------------------------------------------------------

MESSAGE_KIND: Final[Mapping[MessageKind, str]] = {
    MessageKind.DIGEST: "nhắc buổi sáng",
    MessageKind.ESCALATION: "báo quá hạn lên cấp trên",
    MessageKind.WEEKLY: "tổng hợp tuần",
    MessageKind.ALERT: "cảnh báo cho văn phòng",
    MessageKind.NOTICE: "báo kết quả cho đơn vị",
    MessageKind.REQUEST: "đề nghị văn phòng quyết định",
}
OUTBOX_STATUS: Final[Mapping[OutboxStatus, str]] = {
    OutboxStatus.PENDING: "Chờ gửi",
    OutboxStatus.SENDING: "Đang gửi",
    OutboxStatus.SENT: "Đã gửi",
    OutboxStatus.PARKED: "Tạm dừng (lỗi)",
}

# -- who and where ---------------------------------------------------------------------------

CHAT_ROLE: Final[Mapping[ChatRole, str]] = {
    ChatRole.UNIT: "nhóm đơn vị",
    ChatRole.ADMIN: "văn phòng",
    ChatRole.SUPERVISOR: "giám sát",
}
USER_ROLE: Final[Mapping[str, str]] = {  # data.users.UserRole values
    "office": "văn phòng",
    "viewer": "chỉ xem",
}
CHANNEL: Final[Mapping[str, str]] = {
    ChannelName.TELEGRAM: "Telegram",
    ChannelName.ZALO: "Zalo",
    ChannelName.CONSOLE: "chạy thử",
    "web": "bảng điều khiển",
}


def channel_word(channel: str) -> str:
    return CHANNEL.get(channel, channel)


def chat_place(channel: str, chat_id: str, title: str | None = None) -> str:
    """Where a chat is, for a person: "Telegram «Chi bộ A»", "chạy thử (nhóm hcqt)"."""
    if title:
        return f"{channel_word(channel)} «{title}»"
    return f"{channel_word(channel)} (nhóm {chat_id})"


def actor_word(actor: str | None) -> str:
    """An actor as the store writes it ("web:vanphong", "console:hcqt") for a person."""
    if not actor:
        return ""
    channel, sep, rest = actor.partition(":")
    if not sep or channel not in CHANNEL:
        return actor
    return f"{rest} ({channel_word(channel)})"
