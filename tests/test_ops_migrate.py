"""Operations: migrations under an advisory lock (issue 21)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from data import db
from tests.conftest import POSTGRES_URL

CLI = "from bot.cli import main; raise SystemExit(main())"


def test_three_concurrent_migrates_on_a_fresh_postgresql_all_succeed(tmp_path: Path) -> None:
    """Before the lock, two of three failed with UniqueViolation (each created the
    tables and the version row at once)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    env = {
        **os.environ,
        "NHACVIEC_DATABASE_URL": url.render_as_string(hide_password=False),
        "NHACVIEC_DATA_DIR": str(tmp_path),
    }
    try:
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", CLI, "migrate"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        results = [(run.wait(timeout=120), run.communicate()) for run in runs]
        assert [code for code, _ in results] == [0, 0, 0], [err for _, (_, err) in results]
        with admin.connect() as conn:
            version = conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))
            assert len(version.all()) == 1
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
