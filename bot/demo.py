"""The no-token demo: a fresh store, the sample plan imported, what the office would see."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.review import review_text
from data import db, store
from data.importers import load_document, read_file

if TYPE_CHECKING:
    from bot.cli import App

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"


def run_demo(app: App, today: date) -> int:
    del app  # the demo never touches the configured store
    with tempfile.TemporaryDirectory(prefix="nhacviec-demo-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            db.migrate(engine)
            factory = db.session_factory(engine)
            with db.transaction(factory) as session:
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
                    now=datetime.now(UTC),
                )
            print("nhacviec — chạy thử (chưa có TELEGRAM_BOT_TOKEN): kế hoạch mẫu\n")
            print(review_text(parsed, registry, outcome, dry_run=False))
        finally:
            engine.dispose()
    return 0
