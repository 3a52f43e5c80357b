"""Zalo's webhook on the console's server (Starlette under uvicorn), attacked over loopback.

Issue 24, defect 9: 110 slow POSTs from one client starved the hand-written server
(19 of 20 real posts reset). Now the secret is checked before the body is read, a
body is capped in size and time, and one address holds at most ``per_address``
requests: real posts from another address all get through, promptly.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from bot.web.server import Console
from bot.zalo.client import ZaloUpdate
from bot.zalo.poller import SECRET_HEADER
from bot.zalo.webhook import ZaloWebhookEndpoint
from tests.fakes.zalo_server import make_update, post_webhook

SECRET = "bi-mat-webhook-ngau-nhien-42"
PATH = "/zalo/webhook"
ATTACKER = "127.0.0.2"  # Linux routes all of 127/8 to loopback: a second client address


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, endpoint: ZaloWebhookEndpoint, console: Console, port: int) -> None:
        self.endpoint, self.console, self.port = endpoint, console, port
        self.url = f"http://127.0.0.1:{port}{PATH}"


@pytest.fixture
async def served() -> AsyncIterator[tuple[Served, list[ZaloUpdate]]]:
    received: list[ZaloUpdate] = []

    async def deliver(update: ZaloUpdate) -> None:
        received.append(update)

    endpoint = ZaloWebhookEndpoint(
        SECRET, deliver, clock=lambda: datetime.now(UTC), body_timeout=5.0
    )
    port = free_port()
    console = Console(None, f"127.0.0.1:{port}", app=Starlette(routes=[endpoint.route(PATH)]))
    assert await console.start()
    try:
        yield Served(endpoint, console, port), received
    finally:
        await console.stop()


async def slow_post(port: int, secret: str | None, source: str) -> asyncio.StreamReader:
    """Headers of a 10 kB POST, then one byte: the rest never comes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    head = f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    if secret is not None:
        head += f"{SECRET_HEADER}: {secret}\r\n"
    writer.write(f"{head}Content-Length: 10000\r\n\r\n{{".encode())
    await writer.drain()
    HELD.append(writer)
    return reader


HELD: list[asyncio.StreamWriter] = []


async def status_of(reader: asyncio.StreamReader, timeout: float = 2.0) -> int | None:
    """The status a server answered at once (None: it is still waiting for the body)."""
    try:
        line = await asyncio.wait_for(reader.readline(), timeout)
    except TimeoutError:
        return None
    return int(line.split()[1]) if line else None


async def test_slow_posts_from_one_client_do_not_starve_real_posts(
    served: tuple[Served, list[ZaloUpdate]],
) -> None:
    server, received = served
    try:
        # 110 slow posts holding the secret (the worst case: a leaked secret) from one address
        readers = [await slow_post(server.port, SECRET, ATTACKER) for _ in range(110)]
        await asyncio.sleep(0.2)
        assert server.endpoint.in_flight[ATTACKER] == server.endpoint.per_address
        # and 110 without it from another address: refused before their bodies are read
        strangers = [await slow_post(server.port, None, "127.0.0.3") for _ in range(110)]

        started = time.monotonic()
        updates = [make_update(f"/help {n}", chat_id=f"user-{n}") for n in range(20)]
        answers = await asyncio.gather(*(post_webhook(server.url, u, SECRET) for u in updates))
        took = time.monotonic() - started
        assert [a.status_code for a in answers] == [200] * 20
        assert took < 3.0, took
        for _ in range(50):
            if len(received) == 20:
                break
            await asyncio.sleep(0.02)
        assert sorted(u.text or "" for u in received) == sorted(f"/help {n}" for n in range(20))

        refused_at_once = [await status_of(r, 0.5) for r in readers]
        assert refused_at_once.count(429) == 110 - server.endpoint.per_address
        assert [await status_of(r, 0.5) for r in strangers] == [401] * 110
    finally:
        for writer in HELD:
            writer.close()
        HELD.clear()


async def test_the_secret_is_checked_before_the_body_and_bodies_are_capped(
    served: tuple[Served, list[ZaloUpdate]],
) -> None:
    server, received = served
    try:
        reader = await slow_post(server.port, "not-the-secret", "127.0.0.1")
        assert await status_of(reader, 1.0) == 401  # answered with the body still unsent
        async with httpx.AsyncClient(trust_env=False, timeout=5.0) as http:
            big = await http.post(
                server.url, content=b"{" + b" " * 100_000 + b"}", headers={SECRET_HEADER: SECRET}
            )
            assert big.status_code == 413
        reader = await slow_post(server.port, SECRET, "127.0.0.1")  # declares 10 kB: fine
        assert await status_of(reader, 0.3) is None  # waits for its body, within the timeout
        assert received == []
    finally:
        for writer in HELD:
            writer.close()
        HELD.clear()
