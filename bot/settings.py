"""Configuration from the environment (and an optional .env file), read once at the edge."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from jobs.plan import Policy


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NHACVIEC_", env_file=".env", extra="ignore")

    database_url: str | None = None  # any SQLAlchemy URL; default: SQLite in data_dir
    data_dir: Path = Path("var")

    # The morning (Asia/Ho_Chi_Minh) and the reminder rules.
    scan_time: time = time(7, 30)
    ladder: Annotated[tuple[int, ...], NoDecode] = (14, 7, 3, 1, 0)  # "14,7,3,1,0"
    escalate_after_days: int = 7
    escalate_every_days: int = 7
    dispatch_every_seconds: float = 10.0

    @field_validator("ladder", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'nhacviec.sqlite3').as_posix()}"

    @property
    def policy(self) -> Policy:
        return Policy(
            ladder=self.ladder,
            escalate_after_days=self.escalate_after_days,
            escalate_every_days=self.escalate_every_days,
        )
