"""The no-token demo: a fresh store, the sample plan, this morning's digests on the console.

It shows the product working on a machine with nothing configured: the plan is
imported (with its review), each unit gets a console "group", the morning scan
runs through the real outbox and dispatcher, and the console prints what each
chi bộ would read.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.review import review_text
from data import db, store
from data.importers import load_document, read_file
from data.models import Chat, Unit
from jobs.calendar import WorkCalendar
from jobs.channels import ConsoleChannel
from jobs.compose import day_label
from jobs.dispatcher import Dispatcher
from jobs.scan import run_scan

if TYPE_CHECKING:
    from bot.cli import App

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"


def run_demo(app: App, today: date) -> int:
    calendar = WorkCalendar()
    morning = calendar.next_working_day_on_or_after(today)
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            db.migrate(engine)
            sessions = db.session_factory(engine)
            now = datetime.now(UTC)
            with db.transaction(sessions) as session:
                store.ensure_default_units(session)
                registry = store.load_registry(session)
                loaded = read_file(SAMPLE_PLAN)
                parsed = load_document(loaded, registry, doc_date=None, today=today)
                outcome = store.save_document(
                    session,
                    parsed,
                    key="ke-hoach-mau",
                    source_name=SAMPLE_PLAN.name,
                    sha256=loaded.sha256,
                    now=now,
                )
                for unit in session.scalars(select(Unit)):
                    session.add(
                        Chat(channel="console", chat_id=unit.name, unit=unit, created_at=now)
                    )
                session.add(
                    Chat(
                        channel="console",
                        chat_id="Văn phòng Đảng ủy",
                        role="admin",
                        created_at=now,
                    )
                )
            print("nhacviec — chạy thử (chưa có TELEGRAM_BOT_TOKEN): kế hoạch mẫu\n")
            print(review_text(parsed, registry, outcome, dry_run=False))
            print()
            if morning != today:
                print(f"Hôm nay ({day_label(today)}) là ngày nghỉ.", end=" ")
                print(f"Chạy thử cho sáng {day_label(morning)}.")
            with db.transaction(sessions) as session:
                result = run_scan(session, morning, now, calendar, app.settings.policy)
            print(f"Buổi sáng {day_label(morning)}: {len(result.queued)} tin trong hàng đợi.")
            dispatcher = Dispatcher(sessions, {"console": ConsoleChannel()}, clock=lambda: now)
            report = asyncio.run(dispatcher.run_once(limit=500))
            print(f"\nĐã gửi {len(report.sent)} tin (ra màn hình).")
        finally:
            engine.dispose()
    return 0
