"""A unit's file on its part of a task: the product (a Kế hoạch, a Báo cáo …) sent with
``/done 57`` or ``/capnhat 57``, kept with who, when and its hash.

The file is judged by its bytes (``data.part_files.accept``) before anything is looked
up or written: a refused file leaves nothing behind, not even its bytes on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from bot.actions.base import Actor, Effect, Outcome, Refusal, audit, own_part, tell_office
from bot.actions.buttons import confirmation_buttons
from bot.texts import chat_title
from data import part_files, parts, store
from data.domain import TaskStatus
from data.models import Assignment, Task
from data.taskview import Reader, may_read


def size_text(size: int) -> str:
    """A size as a Vietnamese reader writes it: "1,5 MB", "320 KB"."""
    if size >= part_files.MIB:
        return f"{size / part_files.MIB:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def files_line(task: Task, part: Assignment) -> str:
    """What the office's confirmation request says of the part's files: their names (a
    confidential task's: only how many; its files never reach a chat), or none yet."""
    readable = may_read(Reader.CHAT, task.is_confidential)
    if not part.files:
        product = f" (sản phẩm: {task.product})" if task.product and readable else ""
        return f"📎 Chưa có tệp{product}."
    if not readable:
        return f"📎 Có {len(part.files)} tệp: xem trên trang quản lý (nhiệm vụ mật)."
    names = ", ".join(f"«{f.name}» ({size_text(f.size)})" for f in part.files[-3:])
    more = f" và {len(part.files) - 3} tệp trước" if len(part.files) > 3 else ""
    return f"📎 Tệp: {names}{more}. Mở trên trang quản lý trước khi xác nhận."


def _tell_office_filed(
    session: Session, actor: Actor, task: Task, part: Assignment, accepted: part_files.Accepted
) -> None:
    """A file for a report already waiting: the office's chat hears it, with the buttons."""
    shown = f"«{accepted.name}»" if may_read(Reader.CHAT, task.is_confidential) else "1 tệp"
    text = (
        f"📎 {part.unit.name} gửi {shown} ({size_text(accepted.size)}) cho #{task.number} "
        f"{chat_title(task, 70)}, đang chờ xác nhận. Mở trên trang quản lý trước khi xác nhận."
    )
    key = f"fl-{task.number}-{part.unit.code}-{accepted.sha256[:16]}"
    buttons = confirmation_buttons(task.number, part.unit.code)
    tell_office(session, actor, text, key, buttons)


def attach(
    session: Session, actor: Actor, number: int, name: str, content: bytes, *, data_dir: Path
) -> Outcome:
    """Keep ``content`` (named ``name`` by the sender) on the actor's unit's part of #number.

    Hashing and the Office checks are CPU work: call this off the event loop."""
    out = Outcome()
    try:
        accepted = part_files.accept(content, name)
    except part_files.FileRefused as refused:
        return out.refuse(Refusal.BAD_FILE, f"Không nhận tệp: {refused}", number)
    found = own_part(session, actor, number, out, "Đơn vị gửi tệp trong nhóm của mình.")
    if found is None:
        return out
    task, part = found
    part_files.keep(data_dir, accepted, content)
    parts.attach_file(
        task,
        part,
        accepted.name,
        accepted.kind.value,
        accepted.size,
        accepted.sha256,
        actor.change(),
    )
    audit(session, actor, "filed", f"#{number}: {accepted.name} ({accepted.sha256})")
    if part.awaiting_confirmation:  # the office asked before the file came: it hears now
        _tell_office_filed(session, actor, task, part, accepted)
    out.add(
        Effect.FILED,
        f"📎 Đã nhận tệp «{accepted.name}» ({size_text(accepted.size)}) cho #{number} "
        f"{chat_title(task, 70)}.",
        task,
        (part.unit.name,),
    )
    return out


@dataclass
class Purge:
    """What a purge did (``outcome``) and the contents whose rows it deleted: after the
    commit, ``part_files.sweep`` deletes the bytes no other row refers to."""

    outcome: Outcome = field(default_factory=Outcome)
    contents: set[str] = field(default_factory=set)


def purge(session: Session, actor: Actor, numbers: Sequence[int] | None = None) -> Purge:
    """The office deletes the files of removed tasks (of ``numbers``; None: of every
    removed task). A task still followed keeps its files: it is refused, not purged."""
    done = Purge()
    out = done.outcome
    if not actor.office:
        out.refuse(Refusal.NOT_ALLOWED, "Chỉ văn phòng mới xoá được tệp.")
        return done
    if numbers is not None:
        found = store.tasks_for_update(session, list(numbers))
        for number in numbers:
            task = found.get(number)
            if task is None:
                out.refuse(Refusal.NO_TASK, f"Không có nhiệm vụ #{number}.", number)
            elif task.status is not TaskStatus.REMOVED:
                out.refuse(
                    Refusal.NOT_ALLOWED,
                    f"#{number} đang được theo dõi: chỉ xoá tệp của nhiệm vụ đã gỡ khỏi kế hoạch.",
                    number,
                )
    by_task: dict[int, tuple[Task, list[str]]] = {}
    for task, kept in part_files.of_removed_tasks(session, numbers):
        by_task.setdefault(task.number, (task, []))[1].append(kept.name)
        done.contents.add(kept.sha256)
        parts.drop_file(session, kept)
    for number, (task, names) in by_task.items():
        out.add(Effect.PURGED, f"#{number}: đã xoá {len(names)} tệp", task)
        audit(session, actor, "files_purged", f"#{number}: {', '.join(names)}")
    if not by_task and not out.problems:
        out.refuse(Refusal.UNCHANGED, "Không có tệp nào của nhiệm vụ đã gỡ để xoá.")
    return done
