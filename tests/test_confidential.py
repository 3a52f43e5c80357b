"""A confidential task's title never leaves the store through a chat."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO

import openpyxl
from sqlalchemy.orm import Session, sessionmaker

from bot.access import Sender
from bot.service import ChatService
from data import db, outbox, store
from data.clock import VN_TZ
from data.parts import Change, set_confidential
from jobs.calendar import WorkCalendar
from jobs.plan import Policy
from jobs.scan import run_scan
from tests.conftest import bind_every_unit, save_sample

CALENDAR, POLICY = WorkCalendar(), Policy()
DAY = date(2026, 7, 6)  # a Monday: digests, escalations and the weekly summary


def test_no_outgoing_text_holds_a_confidential_title(sessions: sessionmaker[Session]) -> None:
    start = datetime.combine(date(2026, 4, 1), time(8), VN_TZ)
    save_sample(sessions, start)
    bind_every_unit(sessions, "telegram", start)
    with db.transaction(sessions) as session:
        tasks = store.live_tasks(session)
        secret = [t for t in tasks if t.owners and t.due_date and t.due_date < DAY][:3]
        assert secret
        for task in secret:
            set_confidential(task, True, Change(start, "test"))
        titles = [t.title for t in secret]
        numbers = [t.number for t in secret]
        unit = secret[0].owners[0].unit.code
    now = datetime.combine(DAY, time(7, 30), VN_TZ)
    texts: list[str] = []
    with db.transaction(sessions) as session:
        result = run_scan(session, DAY, now, CALENDAR, POLICY)
    texts += [m.text for m in result.messages]
    assert any(f"#{n} (nội dung mật)" in t for t in texts for n in numbers)

    service = ChatService(sessions, lambda: now, calendar=CALENDAR, policy=POLICY)
    member = Sender("telegram", f"g-{unit}", "u1", "Lan")
    office = Sender("telegram", "admin", "vp", "Văn phòng")
    for sender, text in [
        (member, "/quahan"),
        (member, "/tuannay"),
        (member, "/thangnay"),
        (member, f"/chitiet {numbers[0]}"),
        (member, f"/giahan {numbers[0]} 30/12/2026 chờ ý kiến"),
        (office, "/quahan"),
        (office, "/tiendo"),
        (member, f"/done {numbers[0]}"),
    ]:
        reply = service.handle(sender, text)
        assert reply is not None
        texts.append(reply.text)
    report = service.handle(office, "/baocao")
    assert report is not None and report.attachment is not None
    texts += [report.text, report.attachment.fallback]
    book = openpyxl.load_workbook(BytesIO(report.attachment.content))
    texts += [
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    with sessions() as session:  # what the outbox holds for other chats (the office's request)
        texts += [row.text for row in outbox.listing(session, limit=1000)]
    for title in titles:
        assert not any(title[:40] in text for text in texts), title


def test_chats_read_no_progress_text_nor_extension_reason_of_a_confidential_task(
    sessions: sessionmaker[Session],
) -> None:
    """`/chitiet` shows no progress text; the office's chat gets no extension reason."""
    start = datetime.combine(date(2026, 4, 1), time(8), VN_TZ)
    save_sample(sessions, start)
    bind_every_unit(sessions, "telegram", start)
    with db.transaction(sessions) as session:
        task = next(t for t in store.live_tasks(session) if len(t.owners) == 1 and t.due_date)
        number, unit = task.number, task.owners[0].unit.code
        set_confidential(task, True, Change(start, "test"))
    now = datetime.combine(DAY, time(9), VN_TZ)
    service = ChatService(sessions, lambda: now, calendar=CALENDAR, policy=POLICY)
    member = Sender("telegram", f"g-{unit}", "u1", "Lan")
    note, reason = "đã gặp đồng chí Bí thư về hồ sơ nhân sự", "chờ kết luận thanh tra nhân sự"
    assert service.handle(member, f"/capnhat {number} 40% {note}") is not None
    assert service.handle(member, f"/giahan {number} 30/12/2026 {reason}") is not None
    detail = service.handle(member, f"/chitiet {number}")
    assert detail is not None and f"#{number}" in detail.text
    assert note not in detail.text
    with sessions() as session:
        queued = [row.text for row in outbox.listing(session, limit=1000)]
    assert any(f"#{number}" in text and "gia hạn" in text for text in queued)
    assert not any(reason in text for text in queued)
