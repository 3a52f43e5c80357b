"""Configuration from the environment (and an optional .env file), read once at the edge."""

from __future__ import annotations

import os
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.access import DoneBy
from jobs.plan import Policy


class ZaloMode(StrEnum):
    POLLING = "polling"  # nothing to open on the server
    WEBHOOK = "webhook"  # Zalo posts to our HTTPS endpoint


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


# Secrets that may come from a file named by ``<VARIABLE>_FILE`` (Docker/compose secrets).
FILE_SECRETS = (
    "telegram_bot_token",
    "zalo_bot_token",
    "zalo_webhook_secret",
    "database_url",
    "database_password",
    "healthcheck_url",
)


class _SecretFiles(PydanticBaseSettingsSource):
    """``TELEGRAM_BOT_TOKEN_FILE=/run/secrets/token`` (any name a secret's variable has,
    plus ``_FILE``): the value is the file's content, stripped."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name in FILE_SECRETS:
            field = self.settings_cls.model_fields[name]
            names = [f"NHACVIEC_{name.upper()}"]
            key = name  # what validation expects: the field's first alias, if it has one
            if isinstance(field.validation_alias, AliasChoices):
                names += [str(c) for c in field.validation_alias.choices]
                key = str(field.validation_alias.choices[0])
            for variable in names:
                path = os.environ.get(f"{variable}_FILE")
                if path:
                    found[key] = Path(path).read_text(encoding="utf-8").strip()
                    break
        return found


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NHACVIEC_", env_file=".env", extra="ignore")

    database_url: str | None = None  # any SQLAlchemy URL; default: SQLite in data_dir
    # the password, when kept apart from the URL (a compose secret): put into the URL
    database_password: SecretStr | None = None
    data_dir: Path = Path("var")

    # The morning (Asia/Ho_Chi_Minh) and the reminder rules.
    scan_time: time = time(7, 30)
    ladder: Annotated[tuple[int, ...], NoDecode] = (14, 7, 3, 1, 0)  # "14,7,3,1,0"
    escalate_after_days: int = 7
    escalate_every_days: int = 7
    dispatch_every_seconds: float = 10.0
    done_by: DoneBy = DoneBy.MEMBERS  # who in a unit's group may mark done
    confirm_done: bool = False  # on: a unit's /done waits for the office's ✅ Xác nhận

    # Set in the container image: no token means a clear error, not the terminal demo.
    container: bool = False

    # Telegram: the token from the environment or a file, never from code or a log.
    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "NHACVIEC_TELEGRAM_BOT_TOKEN")
    )
    telegram_bot_token_file: Path | None = Field(
        None,
        validation_alias=AliasChoices(
            "TELEGRAM_BOT_TOKEN_FILE", "NHACVIEC_TELEGRAM_BOT_TOKEN_FILE"
        ),
    )
    telegram_base_url: str = Field(
        "https://api.telegram.org/bot",
        validation_alias=AliasChoices("TELEGRAM_BASE_URL", "NHACVIEC_TELEGRAM_BASE_URL"),
    )
    # where files sent to the bot are fetched from (a local Bot API server, a test fake)
    telegram_base_file_url: str = Field(
        "https://api.telegram.org/file/bot",
        validation_alias=AliasChoices("TELEGRAM_BASE_FILE_URL", "NHACVIEC_TELEGRAM_BASE_FILE_URL"),
    )
    log_level: LogLevel = "INFO"

    # Zalo (official Zalo Bot API): polling by default, or a webhook.
    zalo_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ZALO_BOT_TOKEN", "NHACVIEC_ZALO_BOT_TOKEN")
    )
    zalo_base_url: str = Field(
        "https://bot-api.zaloplatforms.com",
        validation_alias=AliasChoices("ZALO_BASE_URL", "NHACVIEC_ZALO_BASE_URL"),
    )
    zalo_mode: ZaloMode = ZaloMode.POLLING
    zalo_webhook_url: str = ""  # public https URL Zalo posts to (webhook mode)
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_listen: str = "0.0.0.0:8443"  # the webhook alone, when no console (web_listen)
    zalo_webhook_path: str = "/zalo/webhook"
    # The office's budget of outgoing Zalo messages a month (its plan's; 3000 by default).
    zalo_monthly_quota: int = 3000
    # The bot's name as members see it in Zalo ("Bot Nhắc Việc"): what they type after "@"
    # in a group. getMe does not give it (only account_name), so the office sets it.
    zalo_bot_name: str = ""
    # Answers to unregistered chats a month (their own share: never the units').
    zalo_stranger_replies: int = 100

    # An outside monitor's ping URL (healthchecks.io style), called after each scan and
    # dispatch round; it may carry a secret id, so it is kept out of logs.
    healthcheck_url: SecretStr | None = None

    # The office console (bot.web): served beside the bot when set, e.g. "127.0.0.1:8080".
    web_listen: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        files = _SecretFiles(settings_cls)
        return init_settings, env_settings, files, dotenv_settings, file_secret_settings

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("ladder", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @property
    def telegram_token(self) -> str | None:
        """The token, from TELEGRAM_BOT_TOKEN or the file TELEGRAM_BOT_TOKEN_FILE names."""
        if self.telegram_bot_token is not None:
            return self.telegram_bot_token.get_secret_value().strip() or None
        if self.telegram_bot_token_file is not None:
            return self.telegram_bot_token_file.read_text(encoding="utf-8").strip() or None
        return None

    @property
    def zalo_token(self) -> str | None:
        if self.zalo_bot_token is None:
            return None
        return self.zalo_bot_token.get_secret_value().strip() or None

    @property
    def secrets(self) -> list[str | None]:
        """Everything that must never reach a log."""
        webhook = self.zalo_webhook_secret.get_secret_value() if self.zalo_webhook_secret else None
        ping = self.healthcheck_url.get_secret_value() if self.healthcheck_url else None
        password = self.database_password.get_secret_value() if self.database_password else None
        return [self.telegram_token, self.zalo_token, webhook, ping, password]

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            if self.database_password is None:
                return self.database_url
            from sqlalchemy.engine import make_url

            url = make_url(self.database_url)
            if url.password is not None:
                return self.database_url
            password = self.database_password.get_secret_value()
            return url.set(password=password).render_as_string(hide_password=False)
        return f"sqlite:///{(self.data_dir / 'nhacviec.sqlite3').as_posix()}"

    @property
    def policy(self) -> Policy:
        return Policy(
            ladder=self.ladder,
            escalate_after_days=self.escalate_after_days,
            escalate_every_days=self.escalate_every_days,
        )
