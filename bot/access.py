"""Who is writing, from where, and what they may do there.

A chat is a unit's group, the admin chat, the supervising chat, or unknown. An
admin user (``nhacviec admin add``) may do everything anywhere; a unit's group
sees and changes only that unit's tasks; who in the group may mark done is a
setting (everyone, or the group's administrators).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from data import chat_store
from data.domain import ChatAddress, ChatRole
from data.models import Chat, Task, Unit


class DoneBy(StrEnum):
    MEMBERS = "members"  # anyone in the unit's group
    ADMINS = "admins"  # only the group's administrators (and office admins)


@dataclass(frozen=True)
class Sender:
    """One incoming message's origin, as the platform adapter saw it."""

    channel: str  # telegram | zalo | console
    chat_id: str
    user_id: str
    user_name: str
    is_group: bool = True
    is_chat_admin: bool = False  # filled by the adapter when DoneBy.ADMINS needs it

    @property
    def address(self) -> ChatAddress:
        return ChatAddress(self.channel, self.chat_id)

    @property
    def where(self) -> str:
        return str(self.address)

    @property
    def who(self) -> str:
        return f"{self.user_name} ({self.channel}:{self.user_id})"


@dataclass(frozen=True)
class Context:
    sender: Sender
    chat: Chat | None
    unit: Unit | None
    is_office: bool  # admin chat, or an admin user anywhere
    is_supervisor: bool

    @property
    def registered(self) -> bool:
        return self.unit is not None or self.is_office or self.is_supervisor

    @property
    def sees_everything(self) -> bool:
        return self.is_office or self.is_supervisor


def load_context(session: Session, sender: Sender) -> Context:
    chat = chat_store.find_chat(session, sender.address)
    admin_user = chat_store.is_admin_user(session, sender.channel, sender.user_id)
    role = chat.role if chat else None
    unit = chat.unit if chat and role is ChatRole.UNIT else None
    return Context(
        sender, chat, unit, role is ChatRole.ADMIN or admin_user, role is ChatRole.SUPERVISOR
    )


def may_change(
    office: bool, unit: Unit | None, chat_admin: bool, task: Task, done_by: DoneBy
) -> str | None:
    """None when the office, or a unit's group, may change this task's part; else why not."""
    if office:
        return None
    if unit is None:
        return "Nhóm này không được đánh dấu nhiệm vụ."
    if unit.code not in task.unit_codes:
        if any(a.unit_id == unit.id for a in task.cooperating):
            return f"#{task.number}: đơn vị chỉ phối hợp; đơn vị chủ trì báo hoàn thành."
        return f"#{task.number} là việc của đơn vị khác, nhóm này không đánh dấu được."
    if done_by is DoneBy.ADMINS and not chat_admin:
        return "Chỉ quản trị viên của nhóm mới được đánh dấu hoàn thành."
    return None


def may_see(context: Context, task: Task) -> bool:
    return context.sees_everything or (
        context.unit is not None and any(a.unit_id == context.unit.id for a in task.assignments)
    )
