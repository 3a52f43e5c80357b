"""ZaloChannel: what the dispatcher sends arrives whole at the fake Zalo (in process)."""

from __future__ import annotations

import pytest

from bot.zalo.channel import ZaloChannel
from bot.zalo.client import ZaloApiError, ZaloClient
from jobs.channels import Button, Channel, PermanentError, split_message
from tests.fakes.zalo_server import FAKE_TOKEN, FakeZaloServer

pytest_plugins = ["tests.zalo_fixtures"]

GROUP = "grp-chi-bo-hcqt"


@pytest.fixture
def zalo_fake(zalo_fake: FakeZaloServer) -> FakeZaloServer:
    """The shared in-process fake, with the bot already seen in the group."""
    zalo_fake.add_group(GROUP, seen=True)
    return zalo_fake


@pytest.fixture
def channel(zalo_client: ZaloClient) -> ZaloChannel:
    return ZaloChannel(zalo_client)


def long_digest(length: int) -> str:
    """A Vietnamese digest of about ``length`` characters, one task per line."""
    lines = ["📋 Chi bộ Hành chính – Quản trị: việc đến hạn và quá hạn"]
    number = 1
    while sum(len(line) + 1 for line in lines) < length:
        lines.append(
            f"#{number} Báo cáo sơ kết 6 tháng đầu năm về thực hiện Nghị quyết — hạn 30/6/2026"
        )
        number += 1
    text = "\n".join(lines)
    return text[:length].rstrip()


async def test_a_long_digest_arrives_whole_in_order(
    channel: ZaloChannel, zalo_fake: FakeZaloServer
) -> None:
    text = long_digest(4500)
    assert len(text) >= 4400
    parts = split_message(text, channel.max_length)
    assert len(parts) == 3
    assert all(len(part) <= 2000 for part in parts)
    ids = [await channel.send(GROUP, part) for part in parts]
    received = zalo_fake.texts_to(GROUP)
    assert received == parts
    assert "\n".join(received) == text
    assert ids == [s.message_id for s in zalo_fake.sent]
    assert len(set(ids)) == 3


async def test_one_very_long_line_is_cut_at_words_and_arrives_whole(
    channel: ZaloChannel, zalo_fake: FakeZaloServer
) -> None:
    text = " ".join(f"việc{n}" for n in range(700))  # one line of about 4,500 characters
    parts = split_message(text, channel.max_length)
    assert len(parts) >= 3
    for part in parts:
        await channel.send(GROUP, part)
    assert " ".join(zalo_fake.texts_to(GROUP)) == text


async def test_buttons_are_dropped_and_the_id_returned(
    channel: ZaloChannel, zalo_fake: FakeZaloServer
) -> None:
    message_id = await channel.send(
        GROUP, "#57 đến hạn hôm nay. Trả lời /done 57", (Button("✅ Xong #57", "done:57"),)
    )
    assert message_id == zalo_fake.sent[0].message_id
    assert zalo_fake.sent[0].payload == {
        "chat_id": GROUP,
        "text": "#57 đến hạn hôm nay. Trả lời /done 57",
    }


async def test_channel_shape(channel: ZaloChannel) -> None:
    as_protocol: Channel = channel
    assert as_protocol.name == "zalo"
    assert as_protocol.max_length == 2000
    assert FAKE_TOKEN not in repr(channel)
    assert channel.client.base_url in repr(channel)


async def test_refusals_are_permanent(channel: ZaloChannel, zalo_fake: FakeZaloServer) -> None:
    for chat, text in (("nobody", "x"), (GROUP, "x" * 2001)):
        with pytest.raises(ZaloApiError) as caught:
            await channel.send(chat, text)
        assert isinstance(caught.value, PermanentError)
    assert zalo_fake.sent == []
