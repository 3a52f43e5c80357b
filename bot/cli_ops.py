"""`nhacviec backup FILE` and `nhacviec restore FILE`: the store, copied whole and back.

SQLite: the online backup API (a consistent copy while the bot runs; a restore writes
into the live file under SQLite's own locking). PostgreSQL: ``pg_dump``/``pg_restore``
(custom format, the schema nhacviec uses) when those programs are on the path; without
them a clear message says what to install. A restore brings an older backup up to the
newest schema (migrations) afterwards.

Files units sent with their parts live under ``NHACVIEC_DATA_DIR/files``, one per
content, named by its sha256: a backup copies them into ``FILE.files/`` beside FILE
(only those not there yet: named by content, a kept one never changes) and a restore
copies them back. Nothing is deleted either way: a file a restored store no longer
names stays until the office purges it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.settings import Settings
from data import db

FILES_DIR = "files"  # under the data directory: the files units sent (data.part_files)


class OpsError(Exception):
    """A backup or restore that cannot be done, with the message for the operator."""


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The libpq connection string of ``engine`` (``postgresql://…``) and the schema in use;
    the password goes through PGPASSWORD, never on a command line."""
    url = engine.url.set(drivername="postgresql")
    env: dict[str, str] = {}
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def _schema(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpsError(
            f"Không tìm thấy chương trình {name} (gói postgresql-client), cần để sao lưu/khôi "
            f"phục PostgreSQL. Cài đặt: apt-get install postgresql-client. / {name} not found: "
            "install postgresql-client (the same major version as the server)."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    import os

    done = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        raise OpsError(f"{Path(command[0]).name} báo lỗi / failed: {done.stderr.strip()[:800]}")


def backup(engine: Engine, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(str(engine.url)))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    dsn, env = _libpq(engine)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    command += [f"--schema={_schema(engine)}", f"--file={target}", dsn]
    _run(command, env)


def restore(engine: Engine, source: Path) -> None:
    if not source.is_file():
        raise OpsError(f"Không có tệp sao lưu «{source}». / No such backup file.")
    if engine.dialect.name == "sqlite":
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            copy.close()
            raise OpsError(f"«{source}» không phải bản sao lưu SQLite: {exc}") from exc
        if "alembic_version" not in tables:
            copy.close()
            raise OpsError(f"«{source}» không phải bản sao lưu của nhacviec. / Not a backup.")
        engine.dispose()  # no pooled connection holds the file while it is replaced
        live = sqlite3.connect(_sqlite_path(str(engine.url)))
        try:
            with live:
                copy.backup(live)
        finally:
            live.close()
            copy.close()
        return
    dsn, env = _libpq(engine)
    engine.dispose()
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    command += ["--single-transaction", f"--dbname={dsn}", str(source)]
    _run(command, env)


def files_beside(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".files")


def copy_files(source: Path, target: Path) -> int:
    """Copy the kept files (named by their sha256) not yet in ``target``; how many."""
    if not source.is_dir():
        return 0
    copied = 0
    for path in sorted(source.iterdir()):
        if not path.is_file() or len(path.name) != 64 or (target / path.name).exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)
        copied += 1
    return copied


def _files_note(source: Path, target: Path) -> None:
    copied = copy_files(source, target)
    if copied:
        print(f"Đã chép {copied} tệp vào {target}. / {copied} files copied.", file=sys.stderr)


def cmd_backup(app: Any, args: argparse.Namespace) -> int:
    settings: Settings = app.settings
    url = settings.effective_database_url
    if not db.store_exists(url):
        print("Chưa có cơ sở dữ liệu để sao lưu. / No store yet.", file=sys.stderr)
        return 2
    engine = db.make_engine(url)
    try:
        backup(engine, Path(args.file))
    except OpsError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"Đã sao lưu vào {args.file}.")
    _files_note(settings.data_dir / FILES_DIR, files_beside(Path(args.file)))
    return 0


def cmd_restore(app: Any, args: argparse.Namespace) -> int:
    settings: Settings = app.settings
    engine = db.make_engine(settings.effective_database_url)
    try:
        restore(engine, Path(args.file))
        db.migrate(engine)  # an older backup: brought to the newest schema
    except OpsError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"Đã khôi phục từ {args.file}. Khởi động lại bot nếu đang chạy. / Restored; "
        "restart a running bot."
    )
    _files_note(files_beside(Path(args.file)), settings.data_dir / FILES_DIR)
    return 0


def add_parsers(sub: Any, _date: Callable[[str], date] | None = None, _today: Any = None) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu vào một tệp")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ tệp sao lưu (ghi đè)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
