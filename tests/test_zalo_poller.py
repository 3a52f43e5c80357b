"""The Zalo poll loop and the webhook check, against the fake Zalo Bot API (in process)."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

import pytest

from bot.zalo.client import ZaloClient, ZaloUpdate
from bot.zalo.poller import SECRET_HEADER, RecentIds, WebhookRejected, ZaloPoller, parse_webhook
from tests.fakes.http_server import Json
from tests.fakes.zalo_server import (
    MOCK_BASE_URL,
    FakeZaloServer,
    WebhookReceiver,
    make_update,
    post_webhook,
)

pytest_plugins = ["tests.zalo_fixtures"]

SECRET = "webhook-secret-1234"


class FakeTime:
    """A clock that only moves when the poller sleeps: pacing becomes exact and instant."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


def make_poller(
    zalo_client: ZaloClient,
    handled: list[ZaloUpdate],
    fake_time: FakeTime,
    *,
    stop_after: int,
    fail: Callable[[ZaloUpdate], bool] = lambda update: False,
    **options: Any,
) -> ZaloPoller:
    async def handle(update: ZaloUpdate) -> None:
        handled.append(update)
        if len(handled) >= stop_after:
            poller.stop()
        if fail(update):
            raise RuntimeError(f"handler broke on {update.text}")

    poller = ZaloPoller(
        zalo_client, handle, sleep=fake_time.sleep, clock=fake_time.clock, poll_timeout=1, **options
    )
    return poller


async def run_bounded(poller: ZaloPoller, seconds: float = 10.0) -> None:
    await asyncio.wait_for(poller.run(), timeout=seconds)


# ------------------------------------------------------------------- polling


async def test_replayed_updates_are_handled_once(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.replays = 2  # every update comes back twice more
    for number in (1, 2, 3):
        zalo_fake.incoming(f"/done {number}", message_id=f"m{number}")
    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    poller = make_poller(zalo_client, handled, fake_time, stop_after=3)
    await run_bounded(poller)
    assert [u.text for u in handled] == ["/done 1", "/done 2", "/done 3"]
    # keep polling: the remaining replays are swallowed
    for _ in range(20):  # bounded: each poll consumes one replay
        if not zalo_fake.pending:
            break
        assert await poller.poll_once() is None
    assert zalo_fake.pending == 0
    assert len(zalo_fake.delivered) == 9
    assert [u.text for u in handled] == ["/done 1", "/done 2", "/done 3"]
    assert poller.handled == 3


async def test_explicit_replay_of_a_consumed_update_is_skipped(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.incoming("/done 57", message_id="m57")
    handled: list[ZaloUpdate] = []
    poller = make_poller(zalo_client, handled, FakeTime(), stop_after=99)
    assert await poller.poll_once() is not None
    zalo_fake.replay()
    assert await poller.poll_once() is None
    assert len(handled) == 1
    assert "m57" in poller.seen


async def test_one_update_per_poll_and_a_second_between_polls(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    for number in (1, 2, 3):
        zalo_fake.incoming(f"/done {number}")
    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    poller = make_poller(zalo_client, handled, fake_time, stop_after=3, min_interval=1.0)
    await run_bounded(poller)
    assert len(zalo_fake.calls_of("getUpdates")) == 3
    assert poller.polls == 3
    assert fake_time.sleeps == [1.0, 1.0]  # paced between polls; stopped after the third


async def test_idle_polls_are_quiet(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.zalo")
    handled: list[ZaloUpdate] = []
    poller = make_poller(zalo_client, handled, FakeTime(), stop_after=1)
    for _ in range(3):
        assert await poller.poll_once() is None
    assert [r for r in caplog.records if r.name.startswith("bot.zalo")] == []
    assert poller._backoff == 0


async def test_backoff_doubles_up_to_the_cap_and_honours_retry_after(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.fail_next("getUpdates", error_code=500, times=5)
    zalo_fake.fail_next("getUpdates", error_code=429, retry_after=30)
    zalo_fake.fail_next("getUpdates", error_code=503, http_status=200)
    zalo_fake.incoming("/done 1")
    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    poller = make_poller(
        zalo_client, handled, fake_time, stop_after=1, backoff_initial=1.0, backoff_max=8.0
    )
    await run_bounded(poller)
    assert [u.text for u in handled] == ["/done 1"]
    # 500 ×5: 1, 2, 4, 8, 8 (cap); 429: retry_after 30 wins; 503: the cap again
    assert fake_time.sleeps == [1.0, 2.0, 4.0, 8.0, 8.0, 30.0, 8.0]


async def test_backoff_resets_after_a_success(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.fail_next("getUpdates", error_code=500, times=2)
    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    poller = make_poller(zalo_client, handled, fake_time, stop_after=1)
    await poller.poll_once()
    await poller.poll_once()
    assert poller._backoff == 2.0
    await poller.poll_once()  # idle poll: success
    assert poller._backoff == 0.0


async def test_rate_limit_smaller_than_backoff_keeps_the_backoff(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.fail_next("getUpdates", error_code=500, times=3)
    zalo_fake.fail_next("getUpdates", error_code=429, retry_after=1)
    poller = make_poller(zalo_client, [], FakeTime(), stop_after=1)
    for _ in range(4):
        await poller.poll_once()
    assert poller._backoff == 8.0


async def test_permanent_error_waits_the_longest_and_logs(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    await zalo_client.set_webhook("https://example.invalid/hook", SECRET)  # polling is now refused
    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    poller = make_poller(zalo_client, handled, fake_time, stop_after=1, backoff_max=60.0)

    async def remove_webhook_after_two_refusals() -> None:
        for _ in range(500):
            if len(zalo_fake.calls_of("getUpdates")) >= 2:
                break
            await asyncio.sleep(0.01)
        await zalo_client.delete_webhook()
        zalo_fake.incoming("/tiendo")

    helper = asyncio.create_task(remove_webhook_after_two_refusals())
    await run_bounded(poller)
    await asyncio.wait_for(helper, 5)
    assert fake_time.sleeps[:2] == [60.0, 60.0]
    assert [u.text for u in handled] == ["/tiendo"]
    assert "Zalo polling refused" in caplog.text


async def test_a_failing_handler_does_not_stop_the_loop(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    for number in (1, 2, 3):
        zalo_fake.incoming(f"/done {number}", message_id=f"m{number}")
    zalo_fake.replays = 1
    handled: list[ZaloUpdate] = []
    poller = make_poller(
        zalo_client, handled, FakeTime(), stop_after=3, fail=lambda u: u.text == "/done 1"
    )
    await run_bounded(poller)
    assert [u.text for u in handled] == ["/done 1", "/done 2", "/done 3"]
    failures = [r for r in caplog.records if "handler failed" in r.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    for _ in range(20):  # the failed one is not handled again when replayed
        if not zalo_fake.pending:
            break
        await poller.poll_once()
    assert zalo_fake.pending == 0
    assert len(handled) == 3


async def test_an_unexpected_client_error_does_not_end_the_loop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class BrokenOnce:
        calls = 0

        async def get_updates(self, timeout: int) -> ZaloUpdate | None:
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("a bug")
            return ZaloUpdate.from_dict(make_update("/help", message_id="h1"))

    handled: list[ZaloUpdate] = []
    fake_time = FakeTime()
    stub = cast(ZaloClient, BrokenOnce())
    poller = make_poller(stub, handled, fake_time, stop_after=1)
    await run_bounded(poller)
    assert [u.text for u in handled] == ["/help"]
    assert fake_time.sleeps == [1.0]
    assert "Zalo polling broke" in caplog.text


async def test_updates_without_message_id_are_all_handled(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.incoming("a", message_id="")
    zalo_fake.incoming("b", message_id="")
    handled: list[ZaloUpdate] = []
    poller = make_poller(zalo_client, handled, FakeTime(), stop_after=2)
    await run_bounded(poller)
    assert [u.text for u in handled] == ["a", "b"]


async def test_stop_cuts_a_long_poll_short(zalo_fake: FakeZaloServer) -> None:
    zalo_fake.idle_wait = 30.0  # a real long poll
    async with ZaloClient(zalo_fake.token, MOCK_BASE_URL, transport=zalo_fake.transport()) as zalo:
        poller = ZaloPoller(zalo, lambda update: asyncio.sleep(0), poll_timeout=30)
        task = asyncio.create_task(poller.run())
        for _ in range(500):
            if zalo_fake.calls_of("getUpdates"):
                break
            await asyncio.sleep(0.01)
        assert zalo_fake.calls_of("getUpdates")
        poller.stop()
        await asyncio.wait_for(task, timeout=3)
        assert poller.stopping


async def test_stop_before_run_returns_at_once(zalo_client: ZaloClient) -> None:
    poller = ZaloPoller(zalo_client, lambda update: asyncio.sleep(0))
    poller.stop()
    await asyncio.wait_for(poller.run(), timeout=2)
    assert poller.polls == 0


async def test_cancelling_the_task_still_cancels(zalo_fake: FakeZaloServer) -> None:
    zalo_fake.idle_wait = 30.0
    async with ZaloClient(zalo_fake.token, MOCK_BASE_URL, transport=zalo_fake.transport()) as zalo:
        poller = ZaloPoller(zalo, lambda update: asyncio.sleep(0))
        task = asyncio.create_task(poller.run())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=3)


def test_recent_ids_are_bounded() -> None:
    recent = RecentIds(3)
    assert [recent.add(x) for x in "abc"] == [True, True, True]
    assert recent.add("a") is False  # seen; now the most recent
    assert recent.add("d") is True  # forgets "b", the least recent
    assert len(recent) == 3
    assert "b" not in recent
    assert "a" in recent
    assert recent.add("b") is True
    with pytest.raises(ValueError, match="at least 1"):
        RecentIds(0)


# ------------------------------------------------------------------ webhooks


def body_of(update: Json, *, wrapped: bool = False) -> bytes:
    return json.dumps({"ok": True, "result": update} if wrapped else update).encode()


@pytest.mark.parametrize("wrapped", [False, True])
def test_webhook_bare_and_wrapped(wrapped: bool) -> None:
    update = make_update("/done 57", message_id="w1", chat_id="grp", chat_type="GROUP")
    parsed = parse_webhook(body_of(update, wrapped=wrapped), {SECRET_HEADER: SECRET}, SECRET)
    assert parsed.text == "/done 57"
    assert parsed.message is not None
    assert parsed.message.message_id == "w1"
    assert parsed.message.is_group


def test_webhook_header_name_is_case_insensitive() -> None:
    body = body_of(make_update("/help"))
    assert parse_webhook(body, {"x-bot-api-secret-token": SECRET}, SECRET).text == "/help"


@pytest.mark.parametrize(
    ("headers", "secret", "status"),
    [
        ({SECRET_HEADER: "wrong-secret-9999"}, SECRET, 401),
        ({SECRET_HEADER: SECRET[:-1]}, SECRET, 401),
        ({SECRET_HEADER: ""}, SECRET, 401),
        ({}, SECRET, 401),
        ({"Authorization": SECRET}, SECRET, 401),
        ({SECRET_HEADER: ""}, "", 403),  # no secret configured: refuse everything
        ({SECRET_HEADER: "ngẫu nhiên"}, SECRET, 401),
    ],
)
def test_webhook_secret_is_checked(headers: dict[str, str], secret: str, status: int) -> None:
    with pytest.raises(WebhookRejected) as caught:
        parse_webhook(body_of(make_update("/done 1")), headers, secret)
    assert caught.value.status == status
    assert SECRET not in str(caught.value)


def test_webhook_secret_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    parse_webhook(body_of(make_update("/help")), {SECRET_HEADER: SECRET}, SECRET)
    assert calls == [(SECRET.encode(), SECRET.encode())]


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe", b"[]", b'"text"', b"{}", b'{"ok": true, "result": 5}'],
)
def test_malformed_webhook_bodies_are_rejected(body: bytes) -> None:
    with pytest.raises(WebhookRejected) as caught:
        parse_webhook(body, {SECRET_HEADER: SECRET}, SECRET)
    assert caught.value.status == 400


async def test_webhook_end_to_end(zalo_client: ZaloClient, zalo_fake: FakeZaloServer) -> None:
    received: list[ZaloUpdate] = []

    async def respond(body: bytes, headers: Mapping[str, str]) -> tuple[int, Json]:
        try:
            received.append(parse_webhook(body, headers, SECRET))
        except WebhookRejected as exc:
            return exc.status, {"ok": False, "description": exc.reason}
        return 200, {"ok": True}

    async with WebhookReceiver(respond) as receiver:
        await zalo_client.set_webhook(receiver.url, SECRET)
        bare = make_update("/done 57", message_id="e1")
        wrapped = make_update("/xong 58", message_id="e2")
        assert (await zalo_fake.post_webhook(bare)).status_code == 200
        assert (await zalo_fake.post_webhook(wrapped, wrapped=True)).status_code == 200
        refused = await post_webhook(receiver.url, bare, "not-the-secret")
        missing = await post_webhook(receiver.url, bare, None)
        assert (refused.status_code, missing.status_code) == (401, 401)
        assert [h.get(SECRET_HEADER.lower()) for h, _ in receiver.received] == [
            SECRET,
            SECRET,
            "not-the-secret",
            None,
        ]
    assert [u.text for u in received] == ["/done 57", "/xong 58"]
