"""`nhacviec backup FILE` / `nhacviec restore FILE` on both stores (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, select, text
from sqlalchemy.engine import make_url

from bot.cli import main
from data import db, unit_store
from tests.conftest import POSTGRES_URL, _postgres_engine, save_sample

pytestmark = pytest.mark.postgres


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for name, table in meta.tables.items()
        }


def _url(engine: Engine) -> str:
    if engine.dialect.name == "sqlite":
        return str(engine.url)
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_backup_change_restore_gives_back_identical_rows(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    engines = _postgres_engine() if backend == "postgresql" else None
    if engines is not None:
        engine = next(engines)
    else:
        engine = db.make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            unit_store.ensure_default_units(session)
        save_sample(sessions, datetime(2026, 4, 1, tzinfo=UTC))
        monkeypatch.setenv("NHACVIEC_DATABASE_URL", _url(engine))
        monkeypatch.chdir(tmp_path)
        before = snapshot(engine)
        assert sum(len(rows) for rows in before.values()) > 50

        backup = tmp_path / "sao-luu" / "nhacviec.backup"
        assert main(["backup", str(backup)]) == 0
        assert backup.stat().st_size > 0

        with engine.begin() as conn:  # the office goes on working
            conn.execute(text("DELETE FROM task_events"))
            conn.execute(text("UPDATE tasks SET title = 'đã đổi'"))
        assert snapshot(engine) != before

        assert main(["restore", str(backup)]) == 0
        engine.dispose()
        assert snapshot(engine) == before
    finally:
        engine.dispose()
        if engines is not None:
            for _ in engines:
                pass


def test_restore_refuses_a_file_that_is_not_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    assert main(["migrate"]) == 0
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a database" * 100)
    assert main(["restore", str(junk)]) == 2
    assert "không phải bản sao lưu" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing")]) == 2


def test_postgresql_without_pg_dump_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", POSTGRES_URL)
    monkeypatch.chdir(tmp_path)
    assert main(["backup", str(tmp_path / "x.backup")]) == 2
    assert "postgresql-client" in capsys.readouterr().err
