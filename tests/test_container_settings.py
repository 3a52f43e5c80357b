"""Container settings (issue 21): every secret from ``*_FILE``, no demo loop without a token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings

VARIABLES = {
    "TELEGRAM_BOT_TOKEN": "123:telegram-secret",
    "ZALO_BOT_TOKEN": "zalo-secret",
    "NHACVIEC_ZALO_WEBHOOK_SECRET": "webhook-secret",
    "NHACVIEC_HEALTHCHECK_URL": "https://hc.example/ping/uuid",
    "NHACVIEC_DATABASE_PASSWORD": "pg-secret",
}


def test_every_secret_reads_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in VARIABLES.items():
        monkeypatch.delenv(name, raising=False)
        path = tmp_path / name.lower()
        path.write_text(value + "\n", encoding="utf-8")
        monkeypatch.setenv(f"{name}_FILE", str(path))
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", "postgresql+psycopg://nhacviec@db:5432/nhacviec")
    settings = Settings()
    assert settings.telegram_token == "123:telegram-secret"
    assert settings.zalo_token == "zalo-secret"
    assert settings.zalo_webhook_secret is not None
    assert settings.zalo_webhook_secret.get_secret_value() == "webhook-secret"
    assert settings.healthcheck_url is not None
    assert settings.effective_database_url == (
        "postgresql+psycopg://nhacviec:pg-secret@db:5432/nhacviec"
    )
    assert {"pg-secret", "https://hc.example/ping/uuid"} <= set(settings.secrets)


def test_a_variable_set_directly_wins_over_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "token"
    path.write_text("from-file", encoding="utf-8")
    monkeypatch.setenv("ZALO_BOT_TOKEN_FILE", str(path))
    monkeypatch.setenv("ZALO_BOT_TOKEN", "direct")
    assert Settings().zalo_token == "direct"


def test_no_token_in_a_container_ends_with_a_clear_message(tmp_path: Path) -> None:
    """Before: the demo ran and exited 0, and the container restarted it forever."""
    env = {"NHACVIEC_CONTAINER": "1", "NHACVIEC_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main(['run']))"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "Chưa có token" in done.stderr
