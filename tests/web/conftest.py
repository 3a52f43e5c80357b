"""The console over the sample store: users, a signed-in client, the CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web.app import create_app
from bot.web.auth import hash_password
from data import db, users
from data.users import UserRole
from tests.conftest import sample_runtime

NOW = datetime(2026, 6, 16, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, Tuesday 16/06/2026
OFFICE = ("vanphong", "mat-khau-van-phong")
VIEWER = ("ubkt", "mat-khau-ubkt")
NOTICE = Path(__file__).resolve().parents[2] / "data" / "samples" / "thong_bao_mau.txt"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_users(runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        users.add_user(session, OFFICE[0], hash_password(OFFICE[1]), UserRole.OFFICE, NOW)
        users.add_user(session, VIEWER[0], hash_password(VIEWER[1]), UserRole.VIEWER, NOW)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    found = sample_runtime(tmp_path, NOW)
    add_users(found)
    yield found
    found.close()


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: TestClient, login: str, password: str) -> str:
    """Sign in; the CSRF token of the signed-in session."""
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"csrf": token, "login": login, "password": password, "next": "/"}
    )
    assert answer.status_code == 200, answer.text[:500]  # followed to the dashboard
    return csrf_of(answer.text)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as found:
        yield found
