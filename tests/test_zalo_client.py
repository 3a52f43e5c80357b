"""The Zalo client against the fake Zalo Bot API over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from bot.zalo.client import (
    MAX_TEXT_LENGTH,
    REDACTED,
    ZaloApiError,
    ZaloClient,
    ZaloMessage,
    ZaloUpdate,
    redact,
)
from jobs.channels import ChannelError, PermanentError, RateLimitError, TransientError
from tests.fakes.zalo_server import FAKE_TOKEN, FakeZaloServer, make_update

ACCESS_PART = FAKE_TOKEN.split(":", 1)[1]


@pytest.fixture
async def server() -> AsyncIterator[FakeZaloServer]:
    async with FakeZaloServer(idle_wait=0.1) as fake:
        yield fake


@pytest.fixture
async def client(server: FakeZaloServer) -> AsyncIterator[ZaloClient]:
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        ZaloClient(server.token, server.base_url, http=http, timeout=5.0) as zalo,
    ):
        yield zalo


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -------------------------------------------------------------------- sending


async def test_get_me(client: ZaloClient, server: FakeZaloServer) -> None:
    me = await client.get_me()
    assert me.id == server.bot_id
    assert me.account_name == "bot.NhacViec"
    assert me.display_name == "Nhắc Việc"
    assert me.can_join_groups is True
    assert server.calls_of("getMe")[0].token_ok


async def test_send_message_to_a_private_chat(client: ZaloClient, server: FakeZaloServer) -> None:
    server.add_private("user-1")
    sent = await client.send_message("user-1", "Chào anh, hôm nay có 2 việc đến hạn.")
    assert isinstance(sent.message_id, str)
    assert sent.message_id
    assert sent.date is not None
    assert sent.date.tzinfo is UTC
    assert server.texts_to("user-1") == ["Chào anh, hôm nay có 2 việc đến hạn."]
    assert server.sent[0].message_id == sent.message_id
    assert server.sent[0].payload == {"chat_id": "user-1", "text": server.sent[0].text}


async def test_other_send_methods(client: ZaloClient, server: FakeZaloServer) -> None:
    server.add_private("user-1")
    photo = await client.send_photo("user-1", "https://example.invalid/a.png", "Biểu đồ")
    sticker = await client.send_sticker("user-1", "0e078a2fb66a5f34067b")
    await client.send_chat_action("user-1")
    assert photo.message_id != sticker.message_id
    assert [s.method for s in server.sent] == ["sendPhoto", "sendSticker"]
    assert server.calls_of("sendChatAction")[0].payload == {"chat_id": "user-1", "action": "typing"}


async def test_unknown_chat_is_refused_with_http_200(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    with pytest.raises(ZaloApiError) as caught:
        await client.send_message("nobody", "xin chào")
    assert isinstance(caught.value, PermanentError)
    assert caught.value.error_code == 400
    assert caught.value.description == "Chat not found"
    assert caught.value.method == "sendMessage"
    assert server.sent == []


async def test_group_accepts_messages_only_after_the_bot_saw_one(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.add_group("grp-1")
    with pytest.raises(ZaloApiError) as caught:
        await client.send_message("grp-1", "Nhắc việc sáng nay")
    assert caught.value.error_code == 403
    # a message that does not mention the bot never reaches it: still closed
    assert server.incoming("chào cả nhà", chat_id="grp-1", group=True, mentioned=False) is None
    with pytest.raises(ZaloApiError):
        await client.send_message("grp-1", "Nhắc việc sáng nay")
    server.incoming("@Nhắc Việc /dangky ABC", chat_id="grp-1", group=True)
    await client.send_message("grp-1", "Nhắc việc sáng nay")
    assert server.texts_to("grp-1") == ["Nhắc việc sáng nay"]


async def test_too_long_text_is_refused_before_any_call(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.add_private("user-1")
    for text in ("", "x" * (MAX_TEXT_LENGTH + 1)):
        with pytest.raises(ZaloApiError):
            await client.send_message("user-1", text)
    assert server.calls_of("sendMessage") == []
    await client.send_message("user-1", "x" * MAX_TEXT_LENGTH)  # the limit itself is fine
    assert len(server.sent[0].text) == MAX_TEXT_LENGTH


async def test_server_refuses_too_long_text_with_ok_false_under_http_200(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.add_private("user-1")
    async with httpx.AsyncClient(trust_env=False) as http:
        raw = await http.post(
            f"{server.base_url}/bot{server.token}/sendMessage",
            json={"chat_id": "user-1", "text": "x" * 2001},
        )
    assert raw.status_code == 200
    assert raw.json()["ok"] is False
    with pytest.raises(ZaloApiError, match="1 to 2000"):
        await client.call("sendMessage", {"chat_id": "user-1", "text": "x" * 2001})


async def test_wrong_token_is_permanent(server: FakeZaloServer) -> None:
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        ZaloClient("1:wrong", server.base_url, http=http) as zalo,
    ):
        with pytest.raises(ZaloApiError) as caught:
            await zalo.get_me()
    assert caught.value.error_code == 401


def test_token_must_be_plausible() -> None:
    for token in ("", "a b", "a/b"):
        with pytest.raises(ValueError, match="token"):
            ZaloClient(token)


# -------------------------------------------------------------------- updates


async def test_get_updates_returns_one_update_per_call(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    first = server.incoming("/done 57", chat_id="user-1", message_id="m1")
    server.incoming("/tuannay", chat_id="grp-9", group=True, message_id="m2", from_id="u-7")
    assert first is not None
    update = await client.get_updates(timeout=5)
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
    assert server.pending == 1
    second = await client.get_updates(timeout=5)
    assert second is not None
    assert second.message is not None
    assert second.message.is_group
    assert second.message.sender_id == "u-7"
    assert server.calls_of("getUpdates")[0].payload == {"timeout": "5"}


async def test_idle_poll_408_means_no_update(client: ZaloClient, server: FakeZaloServer) -> None:
    started = time.monotonic()
    assert await client.get_updates(timeout=30) is None
    assert time.monotonic() - started < 3  # the fake's idle wait, not the 30 s asked for


async def test_408_with_ok_false_under_http_200_is_also_idle(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.fail_next("getUpdates", error_code=408, http_status=200, description="Request timeout")
    assert await client.get_updates(timeout=1) is None


async def test_408_on_another_method_is_transient(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.fail_next("getMe", error_code=408)
    with pytest.raises(TransientError):
        await client.get_me()


async def test_getupdates_while_a_webhook_is_set_is_refused(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    info = await client.set_webhook("https://example.invalid/zalo", "s3cret-secret")
    assert info.url == "https://example.invalid/zalo"
    assert (await client.get_webhook_info()).url == "https://example.invalid/zalo"
    with pytest.raises(ZaloApiError) as caught:
        await client.get_updates(timeout=1)
    assert caught.value.error_code == 409
    assert (await client.delete_webhook()).url == ""
    assert await client.get_updates(timeout=1) is None


async def test_webhook_secret_length_is_checked_locally(client: ZaloClient) -> None:
    with pytest.raises(ValueError, match="8 to 256"):
        await client.set_webhook("https://example.invalid/zalo", "short")


# --------------------------------------------------------------------- errors


async def test_429_with_retry_after_then_retry_succeeds(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.add_private("user-1")
    server.fail_next("sendMessage", error_code=429, retry_after=2)
    with pytest.raises(RateLimitError) as caught:
        await client.send_message("user-1", "lần 1")
    assert caught.value.retry_after == 2
    assert isinstance(caught.value, TransientError)
    sent = await client.send_message("user-1", "lần 1")  # the caller waited and retried
    assert server.texts_to("user-1") == ["lần 1"]
    assert sent.message_id == server.sent[0].message_id


async def test_429_as_ok_false_without_header_uses_the_default_wait(
    client: ZaloClient, server: FakeZaloServer
) -> None:
    server.add_private("user-1")
    server.fail_next("sendMessage", error_code=429, http_status=200)
    with pytest.raises(RateLimitError) as caught:
        await client.send_message("user-1", "x")
    assert caught.value.retry_after == client.default_retry_after


@pytest.mark.parametrize(("error_code", "http_status"), [(500, 500), (502, 502), (503, 200)])
async def test_server_errors_are_transient(
    client: ZaloClient, server: FakeZaloServer, error_code: int, http_status: int
) -> None:
    server.add_private("user-1")
    server.fail_next("sendMessage", error_code=error_code, http_status=http_status)
    with pytest.raises(TransientError) as caught:
        await client.send_message("user-1", "x")
    assert not isinstance(caught.value, RateLimitError)
    await client.send_message("user-1", "x")  # the next try goes through


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


async def test_client_timeout_is_transient(server: FakeZaloServer) -> None:
    server.idle_wait = 5.0
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        ZaloClient(server.token, server.base_url, http=http) as zalo,
    ):
        with pytest.raises(TransientError, match="timed out"):
            await zalo.call("getUpdates", {"timeout": "30"}, timeout=0.2)


@asynccontextmanager
async def mock_client(handler: Any) -> AsyncIterator[ZaloClient]:
    """An in-process transport, for answers the fake server never gives."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        yield ZaloClient(FAKE_TOKEN, "https://zalo.test", http=http)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>proxy</html>", TransientError),
        (404, b"not found", ZaloApiError),
        (403, b'{"ok": false, "description": "bot is not in the group"}', ZaloApiError),
        (200, b'{"ok": false, "error_code": 400, "description": "bad"}', ZaloApiError),
        (429, b'{"ok": false, "parameters": {"retry_after": 9}}', RateLimitError),
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


async def test_the_token_never_reaches_a_log_record(
    server: FakeZaloServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.DEBUG)
    server.add_private("user-1")
    server.incoming("/done 57")
    errors: list[Exception] = []
    async with ZaloClient(server.token, server.base_url, timeout=5.0) as zalo:  # its own httpx
        assert FAKE_TOKEN not in repr(zalo)
        assert FAKE_TOKEN not in repr(vars(zalo))
        await zalo.get_me()
        await zalo.get_updates(timeout=1)
        await zalo.get_updates(timeout=1)  # idle: 408
        await zalo.send_message("user-1", "xin chào")
        server.fail_next("sendMessage", error_code=500)
        server.fail_next("sendMessage", error_code=429, retry_after=1)
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


@pytest.mark.parametrize(
    "text",
    [
        f"POST https://bot-api.zaloplatforms.com/bot{FAKE_TOKEN}/sendMessage 200",
        f"url=http://127.0.0.1:1/bot{FAKE_TOKEN.replace(':', '%3A')}/getMe",
        f"token {FAKE_TOKEN} echoed",
    ],
)
def test_redact(text: str) -> None:
    ZaloClient(FAKE_TOKEN)  # registers the token, as every client does
    clean = redact(text)
    assert ACCESS_PART not in clean
    assert REDACTED in clean


def test_redact_keeps_ordinary_text() -> None:
    assert redact("Gửi /done 57 lúc 07:30") == "Gửi /done 57 lúc 07:30"


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
