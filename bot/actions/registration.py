"""A group bound to a unit (or made the office's or the supervisors' chat) with the
office's one-time code: ``/dangky <mã>``, or ``/start <mã>`` when Telegram adds the bot
through the console's link."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.actions.base import Actor, Effect, Outcome, Refusal, audit
from data import chat_store
from data.domain import ChatAddress, ChatRole

ROLE_NAMES = {ChatRole.ADMIN: "văn phòng", ChatRole.SUPERVISOR: "giám sát", ChatRole.UNIT: ""}


def register(session: Session, actor: Actor, address: ChatAddress, code: str) -> Outcome:
    out = Outcome()
    row = chat_store.code_for_update(session, code)
    if row is None:
        audit(session, actor, "register_refused", "mã không đúng")
        return out.refuse(
            Refusal.NO_REQUEST, "Mã không đúng. Kiểm tra lại mã văn phòng cấp (8 ký tự)."
        )
    if row.used_at is not None:
        return out.refuse(Refusal.DECIDED, "Mã này đã được dùng. Xin văn phòng cấp mã mới.")
    if row.expires_at <= actor.at:
        return out.refuse(Refusal.DECIDED, "Mã này đã hết hạn. Xin văn phòng cấp mã mới.")
    chat_store.bind_chat(session, address, row.role, row.unit, actor.at)
    row.used_at, row.used_by = actor.at, actor.where
    target = row.unit.name if row.unit else ROLE_NAMES[row.role]
    audit(session, actor, "register", target)
    if row.unit is not None:
        text = (
            f"✅ Đã đăng ký nhóm này cho {row.unit.name}. Mỗi sáng ngày làm việc, nhóm sẽ nhận "
            "tin nhắc việc sắp đến hạn và quá hạn. Gõ /tuannay để xem việc tuần này."
        )
    else:
        text = f"✅ Đã đăng ký nhóm này làm nhóm {target}."
    out.add(Effect.REGISTERED, text, None, (target,))
    return out
