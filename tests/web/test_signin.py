"""Signing in and out, under attack: a throttle that is not a weapon, argon2 that never
starves the pages, and a logout that ends the session on the server."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from argon2.exceptions import VerificationError
from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web import auth
from bot.web.app import create_app
from data import db, users
from data.users import UserRole
from tests.web.conftest import NOW, OFFICE, VIEWER, csrf_of, sign_in


def _try(client: TestClient, login: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"csrf": token, "login": login, "password": password, "next": "/"}
    )


def _client(runtime: Runtime, address: str) -> TestClient:
    return TestClient(create_app(runtime), client=(address, 50000))


def test_five_wrong_passwords_do_not_block_another_account_from_the_address(
    runtime: Runtime,
) -> None:
    """An office sits behind one NAT: one clerk's mistakes lock nobody else (issue 22)."""
    with _client(runtime, "10.0.0.1") as office:
        for _ in range(5):
            assert _try(office, OFFICE[0], "sai").status_code == 401
        assert _try(office, OFFICE[0], OFFICE[1]).status_code == 429  # this one waits
        assert _try(office, *VIEWER).status_code == 200  # the colleague signs in
        assert office.get("/").url.path == "/"


def test_an_account_is_not_locked_from_every_address(runtime: Runtime) -> None:
    """Wrong passwords from an attacker's address do not keep the owner out elsewhere."""
    with _client(runtime, "203.0.113.9") as attacker:
        for _ in range(5):
            assert _try(attacker, OFFICE[0], "sai").status_code == 401
        assert _try(attacker, OFFICE[0], "sai").status_code == 429
    with _client(runtime, "10.0.0.1") as owner:
        assert _try(owner, *OFFICE).status_code == 200


def test_a_failed_sign_in_keeps_the_login_name(client: TestClient) -> None:
    answer = _try(client, OFFICE[0], "sai")
    assert answer.status_code == 401
    assert f'value="{OFFICE[0]}"' in answer.text
    assert 'role="alert"' in answer.text


def test_the_delay_grows_and_ends(runtime: Runtime) -> None:
    """Delay rather than lock: after the limit each try waits, longer each time."""
    clock = {"t": 0.0}
    throttle = auth.Throttle(clock=lambda: clock["t"])
    for _ in range(5):
        assert throttle.attempt("vanphong", "10.0.0.1") == 0
    first = throttle.attempt("vanphong", "10.0.0.1")
    assert 0 < first <= 60
    clock["t"] += first
    assert throttle.attempt("vanphong", "10.0.0.1") == 0  # tried again, failed again
    second = throttle.attempt("vanphong", "10.0.0.1")
    assert second > first
    assert throttle.attempt("ubkt", "10.0.0.1") == 0  # another account: free
    assert throttle.attempt("vanphong", "10.0.0.2") == 0  # another address: free


def test_the_address_limit_is_much_higher(runtime: Runtime) -> None:
    throttle = auth.Throttle(clock=lambda: 0.0)
    passed = sum(throttle.attempt(f"user{i}", "10.0.0.1") == 0 for i in range(200))
    assert 50 <= passed < 200


def test_logout_ends_the_session_on_the_server(runtime: Runtime) -> None:
    """A cookie copied before "Đăng xuất" stops working (it kept working 12 hours)."""
    app = create_app(runtime)
    with TestClient(app) as client:
        csrf = sign_in(client, *OFFICE)
        copied = client.cookies.get(auth.COOKIE)
        assert copied
        answer = client.post("/logout", data={"csrf": csrf})
        assert answer.url.path == "/login"
        assert client.get("/").url.path == "/login"
    with TestClient(app, cookies={auth.COOKIE: copied}) as thief:
        assert thief.get("/").url.path == "/login"
        assert thief.get("/tasks").url.path == "/login"
    with TestClient(app) as again:  # and signing in again works
        sign_in(again, *OFFICE)
        assert again.get("/").url.path == "/"


class _SlowHasher:
    """argon2 as slow as on a busy server (0.3 s a verify), every password wrong."""

    def verify(self, _hash: str, _password: str) -> bool:
        time.sleep(0.3)
        raise VerificationError("wrong")

    def check_needs_rehash(self, _hash: str) -> bool:
        return False


async def test_a_flood_of_sign_ins_never_slows_a_signed_in_page(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing has its own worker and a budget: pages do not wait behind it (8.7–25.7 s)."""
    app = create_app(runtime)
    with TestClient(app) as signed:  # a clerk already signed in
        sign_in(signed, *OFFICE)
        cookie = signed.cookies.get(auth.COOKIE)
    monkeypatch.setattr(auth, "_hasher", _SlowHasher())

    async def attempt(i: int) -> int:
        transport = httpx.ASGITransport(app, client=(f"10.1.{i // 200}.{i % 200}", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as attacker:
            token = csrf_of((await attacker.get("/login")).text)
            answer = await attacker.post(
                "/login", data={"csrf": token, "login": f"u{i}", "password": "x", "next": "/"}
            )
            return answer.status_code

    async def page() -> tuple[float, Any]:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", cookies={auth.COOKIE: cookie or ""}
        ) as clerk:
            await asyncio.sleep(0.5)  # the flood is under way
            started = time.perf_counter()
            answer = await clerk.get("/tasks")
            return time.perf_counter() - started, answer

    flood = [asyncio.create_task(attempt(i)) for i in range(120)]
    took, answer = await page()
    codes = await asyncio.gather(*flood)
    assert answer.status_code == 200 and "Nhiệm vụ" in answer.text
    assert took < 3.0, f"a signed-in page took {took:.1f} s behind the hashing"
    assert set(codes) <= {401, 503}
    assert codes.count(503) > 0  # over the budget: "busy", at once, nothing hashed


def test_a_user_added_then_tried(runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        users.add_user(session, "moi", auth.hash_password("mk-moi"), UserRole.VIEWER, NOW)
    with _client(runtime, "10.0.0.7") as client:
        assert _try(client, "moi", "mk-moi").status_code == 200
