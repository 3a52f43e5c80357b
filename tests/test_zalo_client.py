"""The Zalo client against the fake Zalo Bot API: in process over ``httpx.MockTransport``,
and over real HTTP on 127.0.0.1 only where a socket matters (timeouts, refused
connections, what httpx/httpcore themselves log)."""

from __future__ import annotations

import json
import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.logs import configure_logging
from bot.zalo.client import (
    MAX_TEXT_LENGTH,
    REDACTED,
    QuotaExceeded,
    ZaloApiError,
    ZaloClient,
    ZaloMessage,
    ZaloUpdate,
)
from jobs.channels import ChannelError, PermanentError, RateLimitError, TransientError
from tests.fakes.zalo_server import FAKE_TOKEN, MOCK_BASE_URL, FakeZaloServer, make_update

pytest_plugins = ["tests.zalo_fixtures"]

ACCESS_PART = FAKE_TOKEN.split(":", 1)[1]


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -------------------------------------------------------------------- sending


async def test_get_me(zalo_client: ZaloClient, zalo_fake: FakeZaloServer) -> None:
    me = await zalo_client.get_me()
    assert me.id == zalo_fake.bot_id
    assert me.account_name == "bot.NhacViec"
    assert "display_name" not in me.raw  # documented getMe has none: the name is a setting
    assert me.can_join_groups is True
    assert zalo_fake.calls_of("getMe")[0].token_ok


async def test_send_message_to_a_private_chat(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_private("user-1")
    sent = await zalo_client.send_message("user-1", "Chào anh, hôm nay có 2 việc đến hạn.")
    assert isinstance(sent.message_id, str)
    assert sent.message_id
    assert sent.date is not None
    assert sent.date.tzinfo is UTC
    assert zalo_fake.texts_to("user-1") == ["Chào anh, hôm nay có 2 việc đến hạn."]
    assert zalo_fake.sent[0].message_id == sent.message_id
    assert zalo_fake.sent[0].payload == {"chat_id": "user-1", "text": zalo_fake.sent[0].text}


async def test_other_send_methods(zalo_client: ZaloClient, zalo_fake: FakeZaloServer) -> None:
    zalo_fake.add_private("user-1")
    photo = await zalo_client.send_photo("user-1", "https://example.invalid/a.png", "Biểu đồ")
    sticker = await zalo_client.send_sticker("user-1", "0e078a2fb66a5f34067b")
    await zalo_client.send_chat_action("user-1")
    assert photo.message_id != sticker.message_id
    assert [s.method for s in zalo_fake.sent] == ["sendPhoto", "sendSticker"]
    assert zalo_fake.calls_of("sendChatAction")[0].payload == {
        "chat_id": "user-1",
        "action": "typing",
    }


async def test_unknown_chat_is_refused_with_http_200(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    with pytest.raises(ZaloApiError) as caught:
        await zalo_client.send_message("nobody", "xin chào")
    assert isinstance(caught.value, PermanentError)
    assert caught.value.error_code == 400
    assert caught.value.description == "Chat not found"
    assert caught.value.method == "sendMessage"
    assert zalo_fake.sent == []


async def test_group_accepts_messages_only_after_the_bot_saw_one(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_group("grp-1")
    with pytest.raises(TransientError, match="403"):  # documented as a server error: retried
        await zalo_client.send_message("grp-1", "Nhắc việc sáng nay")
    # a message that does not mention the bot never reaches it: still closed
    assert zalo_fake.incoming("chào cả nhà", chat_id="grp-1", group=True, mentioned=False) is None
    with pytest.raises(TransientError):
        await zalo_client.send_message("grp-1", "Nhắc việc sáng nay")
    zalo_fake.incoming("@Nhắc Việc /dangky ABC", chat_id="grp-1", group=True)
    await zalo_client.send_message("grp-1", "Nhắc việc sáng nay")
    assert zalo_fake.texts_to("grp-1") == ["Nhắc việc sáng nay"]


async def test_too_long_text_is_refused_before_any_call(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_private("user-1")
    for text in ("", "x" * (MAX_TEXT_LENGTH + 1)):
        with pytest.raises(ZaloApiError):
            await zalo_client.send_message("user-1", text)
    assert zalo_fake.calls_of("sendMessage") == []
    await zalo_client.send_message("user-1", "x" * MAX_TEXT_LENGTH)  # the limit itself is fine
    assert len(zalo_fake.sent[0].text) == MAX_TEXT_LENGTH


async def test_server_refuses_too_long_text_with_ok_false_under_http_200(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_private("user-1")
    async with httpx.AsyncClient(transport=zalo_fake.transport()) as http:
        raw = await http.post(
            f"{MOCK_BASE_URL}/bot{zalo_fake.token}/sendMessage",
            json={"chat_id": "user-1", "text": "x" * 2001},
        )
    assert raw.status_code == 200
    assert raw.json()["ok"] is False
    with pytest.raises(ZaloApiError, match="1 to 2000"):
        await zalo_client.call("sendMessage", {"chat_id": "user-1", "text": "x" * 2001})


async def test_wrong_token_is_permanent(zalo_fake: FakeZaloServer) -> None:
    async with ZaloClient("1:wrong", MOCK_BASE_URL, transport=zalo_fake.transport()) as zalo:
        with pytest.raises(ZaloApiError) as caught:
            await zalo.get_me()
    assert caught.value.error_code == 401
    assert zalo_fake.calls_of("getMe")[0].token_ok is False


def test_token_must_be_plausible() -> None:
    for token in ("", "a b", "a/b"):
        with pytest.raises(ValueError, match="token"):
            ZaloClient(token)


async def test_an_http_client_or_a_transport_not_both(zalo_fake: FakeZaloServer) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(ValueError, match="not both"):
            ZaloClient(FAKE_TOKEN, http=http, transport=zalo_fake.transport())
        async with ZaloClient(FAKE_TOKEN, MOCK_BASE_URL, http=http):
            pass
        assert not http.is_closed  # a shared pool stays open for its owner


# -------------------------------------------------------------------- updates


async def test_get_updates_returns_one_update_per_call(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    first = zalo_fake.incoming("/done 57", chat_id="user-1", message_id="m1")
    zalo_fake.incoming("/tuannay", chat_id="grp-9", group=True, message_id="m2", from_id="u-7")
    assert first is not None
    update = await zalo_client.get_updates(timeout=5)
    assert update is not None
    assert update.event_name == "message.text.received"
    assert update.text == "/done 57"
    message = update.message
    assert message is not None
    assert message.message_id == "m1"
    assert message.chat_id == "user-1"
    assert not message.is_group
    assert message.sender_name == "Nguyễn Văn An"
    assert message.date == datetime.fromtimestamp(first["message"]["date"] / 1000, tz=UTC)
    assert zalo_fake.pending == 1
    second = await zalo_client.get_updates(timeout=5)
    assert second is not None
    assert second.message is not None
    assert second.message.is_group
    assert second.message.sender_id == "u-7"
    assert zalo_fake.calls_of("getUpdates")[0].payload == {"timeout": "5"}


async def test_idle_poll_408_means_no_update(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    started = time.monotonic()
    assert await zalo_client.get_updates(timeout=30) is None
    assert time.monotonic() - started < 3  # the fake's idle wait, not the 30 s asked for


async def test_408_with_ok_false_under_http_200_is_also_idle(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.fail_next(
        "getUpdates", error_code=408, http_status=200, description="Request timeout"
    )
    assert await zalo_client.get_updates(timeout=1) is None


async def test_408_on_another_method_is_transient(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.fail_next("getMe", error_code=408)
    with pytest.raises(TransientError):
        await zalo_client.get_me()


async def test_getupdates_while_a_webhook_is_set_is_refused(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    info = await zalo_client.set_webhook("https://example.invalid/zalo", "s3cret-secret")
    assert info.url == "https://example.invalid/zalo"
    assert (await zalo_client.get_webhook_info()).url == "https://example.invalid/zalo"
    with pytest.raises(ZaloApiError) as caught:
        await zalo_client.get_updates(timeout=1)
    assert caught.value.error_code == 409
    assert (await zalo_client.delete_webhook()).url == ""
    assert await zalo_client.get_updates(timeout=1) is None


async def test_webhook_secret_length_is_checked_locally(zalo_client: ZaloClient) -> None:
    with pytest.raises(ValueError, match="8 to 256"):
        await zalo_client.set_webhook("https://example.invalid/zalo", "short")


# --------------------------------------------------------------------- errors


async def test_429_with_retry_after_then_retry_succeeds(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_private("user-1")
    zalo_fake.fail_next("sendMessage", error_code=429, retry_after=2)
    with pytest.raises(RateLimitError) as caught:
        await zalo_client.send_message("user-1", "lần 1")
    assert caught.value.retry_after == 2
    assert isinstance(caught.value, TransientError)
    assert isinstance(caught.value, QuotaExceeded)  # 429 is "quota exceeded" in the docs
    sent = await zalo_client.send_message("user-1", "lần 1")  # the caller waited and retried
    assert zalo_fake.texts_to("user-1") == ["lần 1"]
    assert sent.message_id == zalo_fake.sent[0].message_id


async def test_429_as_ok_false_without_header_uses_the_default_wait(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer
) -> None:
    zalo_fake.add_private("user-1")
    zalo_fake.fail_next("sendMessage", error_code=429, http_status=200)
    with pytest.raises(RateLimitError) as caught:
        await zalo_client.send_message("user-1", "x")
    assert caught.value.retry_after == zalo_client.default_retry_after


@pytest.mark.parametrize(("error_code", "http_status"), [(500, 500), (502, 502), (503, 200)])
async def test_server_errors_are_transient(
    zalo_client: ZaloClient, zalo_fake: FakeZaloServer, error_code: int, http_status: int
) -> None:
    zalo_fake.add_private("user-1")
    zalo_fake.fail_next("sendMessage", error_code=error_code, http_status=http_status)
    with pytest.raises(TransientError) as caught:
        await zalo_client.send_message("user-1", "x")
    assert not isinstance(caught.value, RateLimitError)
    await zalo_client.send_message("user-1", "x")  # the next try goes through


async def test_network_error_is_transient_and_hides_the_token() -> None:
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        ZaloClient(FAKE_TOKEN, f"http://127.0.0.1:{free_port()}", http=http) as zalo,
    ):
        with pytest.raises(TransientError) as caught:
            await zalo.send_message("user-1", "x")
    assert FAKE_TOKEN not in str(caught.value)
    assert ACCESS_PART not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


async def test_client_timeout_is_transient(
    zalo_http_fake: FakeZaloServer, zalo_http_client: ZaloClient
) -> None:
    zalo_http_fake.idle_wait = 5.0
    with pytest.raises(TransientError, match="timed out"):
        await zalo_http_client.call("getUpdates", {"timeout": "30"}, timeout=0.2)


@asynccontextmanager
async def mock_client(
    handler: Callable[[httpx.Request], httpx.Response], token: str = FAKE_TOKEN
) -> AsyncIterator[ZaloClient]:
    """A client whose every call ``handler`` answers, for answers the fake never gives."""
    async with ZaloClient(token, MOCK_BASE_URL, transport=httpx.MockTransport(handler)) as zalo:
        yield zalo


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>proxy</html>", TransientError),
        (404, b"not found", ZaloApiError),
        (403, b'{"ok": false, "description": "bot is not in the group"}', TransientError),
        (200, b'{"ok": false, "error_code": 400, "description": "bad"}', ZaloApiError),
        (429, b'{"ok": false, "parameters": {"retry_after": 9}}', QuotaExceeded),
        (504, b"gateway", TransientError),
    ],
)
async def test_answers_map_to_channel_errors(status: int, body: bytes, error: type) -> None:
    async with mock_client(lambda request: httpx.Response(status, content=body)) as zalo:
        with pytest.raises(error) as caught:
            await zalo.get_me()
        assert isinstance(caught.value, ChannelError)
        if isinstance(caught.value, RateLimitError):
            assert caught.value.retry_after == 9


async def test_answer_without_ok_but_with_result_is_accepted() -> None:
    async with mock_client(lambda request: httpx.Response(200, json={"result": {"id": 7}})) as zalo:
        assert (await zalo.get_me()).id == "7"


async def test_a_list_of_updates_is_not_lost_silently(caplog: pytest.LogCaptureFixture) -> None:
    updates = [make_update("/done 1", message_id="a"), make_update("/done 2", message_id="b")]
    async with mock_client(
        lambda request: httpx.Response(200, json={"ok": True, "result": updates})
    ) as zalo:
        update = await zalo.get_updates(timeout=1)
        assert update is not None
        assert update.message is not None
        assert update.message.message_id == "a"
        assert "2 updates" in caplog.text


async def test_an_unreadable_update_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    async with mock_client(
        lambda request: httpx.Response(200, json={"ok": True, "result": {"x": 1}})
    ) as zalo:
        assert await zalo.get_updates(timeout=1) is None
        assert "unreadable update" in caplog.text


# ----------------------------------------------------------- token redaction


@pytest.mark.usefixtures("logging_restored")
async def test_the_token_never_reaches_a_log_record(
    zalo_http_fake: FakeZaloServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over real HTTP, so that httpx and httpcore log what they log in production."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    configure_logging("DEBUG", [zalo_http_fake.token])  # what the runtime does at start
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    zalo_fake = zalo_http_fake
    zalo_fake.add_private("user-1")
    zalo_fake.incoming("/done 57")
    errors: list[Exception] = []
    async with ZaloClient(zalo_fake.token, zalo_fake.base_url, timeout=5.0) as zalo:  # own httpx
        assert FAKE_TOKEN not in repr(zalo)
        assert FAKE_TOKEN not in repr(vars(zalo))
        await zalo.get_me()
        await zalo.get_updates(timeout=1)
        await zalo.get_updates(timeout=1)  # idle: 408
        await zalo.send_message("user-1", "xin chào")
        zalo_fake.fail_next("sendMessage", error_code=500)
        zalo_fake.fail_next("sendMessage", error_code=429, retry_after=1)
        for chat in ("user-1", "user-1", "nobody"):
            try:
                await zalo.send_message(chat, "x")
            except ChannelError as exc:
                errors.append(exc)
    async with ZaloClient(FAKE_TOKEN, f"http://127.0.0.1:{free_port()}") as dead:
        try:
            await dead.get_me()
        except ChannelError as exc:
            errors.append(exc)
    assert len(errors) == 4
    records = caplog.records
    http_lines = [r.getMessage() for r in records if r.name == "httpx"]
    assert any(f"/bot{REDACTED}/sendMessage" in line for line in http_lines), http_lines
    assert any(r.name.startswith("httpcore") for r in records)  # DEBUG really was on
    for record in records:
        for text in (record.getMessage(), str(record.msg), repr(record.args)):
            assert FAKE_TOKEN not in text
            assert ACCESS_PART not in text
    for error in errors:
        assert ACCESS_PART not in str(error)
        assert ACCESS_PART not in repr(error)


def echo_token_in(where: str) -> Callable[[httpx.Request], httpx.Response]:
    """A server (or network) that repeats the token, bare and in the URL, in its error."""

    def handler(request: httpx.Request) -> httpx.Response:
        token = request.url.path.split("/")[1].removeprefix("bot")
        text = f"token {token} refused for {request.url}"
        if where == "network":
            raise httpx.ConnectError(text, request=request)
        if where == "description":
            body = {"ok": False, "error_code": 400, "description": text}
            return httpx.Response(200, json=body)
        return httpx.Response(403, text="-", extensions={"reason_phrase": text.encode()})

    return handler


@pytest.mark.parametrize("where", ["network", "description", "reason"])
async def test_errors_never_carry_the_token_even_without_logging_configured(
    where: str,
) -> None:
    """The client scrubs its own token: no global redactor needs to know it."""
    token = f"tok{uuid.uuid4().hex}"  # nothing configured knows it, no token shape matches
    async with mock_client(echo_token_in(where), token=token) as zalo:
        with pytest.raises(ChannelError) as caught:
            await zalo.get_me()
    error = caught.value
    for text in (str(error), repr(error), getattr(error, "description", "")):
        assert token not in text
    assert REDACTED in str(error)
    assert error.__cause__ is None


# ----------------------------------------------------------- tolerant parsing


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"message_id": 123, "chat": {"id": 456, "chat_type": "group"}, "from": {"id": 7}},
            ZaloMessage("123", "456", "GROUP", "7", "", False, None, None),
        ),
        (
            {"message_id": "a", "date": 1766619597466, "from": {"first_name": "Lê Thị B"}},
            ZaloMessage(
                "a",
                "",
                "",
                "",
                "Lê Thị B",
                False,
                datetime.fromtimestamp(1766619597.466, tz=UTC),
                None,
            ),
        ),
        (
            {"message_id": "b", "date": 1766619597, "text": "hi", "from": {"is_bot": True}},
            ZaloMessage(
                "b", "", "", "", "", True, datetime.fromtimestamp(1766619597, tz=UTC), "hi"
            ),
        ),
        (
            {"message_id": None, "date": "1766619597466", "from": "weird", "chat": []},
            ZaloMessage(
                "", "", "", "", "", False, datetime.fromtimestamp(1766619597.466, tz=UTC), None
            ),
        ),
        (
            {"date": "soon", "text": 5, "from": {"display_name": "An", "first_name": "X"}},
            ZaloMessage("", "", "", "", "An", False, None, None),
        ),
    ],
)
def test_message_parsing_is_tolerant(data: dict[str, Any], expected: ZaloMessage) -> None:
    assert ZaloMessage.from_dict(data) == expected


@pytest.mark.parametrize("data", [None, [], "text", 5, {}, {"ok": True}, {"message": "x"}])
def test_not_an_update(data: object) -> None:
    with pytest.raises(ValueError, match="update"):
        ZaloUpdate.from_dict(data)


def test_update_without_event_name_like_the_docs_sample() -> None:
    sample = json.loads(
        '{"message": {"chat": {"id": "e4ea", "chat_type": "PRIVATE"}, "text": "Xin chào",'
        ' "message_id": "16f6", "date": 1766619597466,'
        ' "from": {"id": "e4ea", "first_name": "Nguyen Van A"}}}'
    )
    update = ZaloUpdate.from_dict(sample)
    assert update.event_name == ""
    assert update.text == "Xin chào"
    assert update.message is not None
    assert update.message.sender_name == "Nguyen Van A"


def test_event_without_message() -> None:
    update = ZaloUpdate.from_dict({"event_name": "message.unsupported.received"})
    assert update.message is None
    assert update.text is None
