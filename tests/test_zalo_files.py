"""An image captioned ``/done 57`` on Zalo ("message.image.received", the photo's
address in the update): the real intake fetches it through the Zalo client's pool
(retrying a dropped connection, stopping past 20 MB), keeps it on the unit's part like
a Telegram document and runs the caption. Hostile images are refused in Vietnamese,
nothing kept, and another group is served as usual. The Bot API carries no documents."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.zalo.client import ZaloClient, ZaloUpdate
from bot.zalo.runner import ZaloIntake
from data import part_files
from data.clock import VN_TZ
from data.models import PartFile, Task
from tests.conftest import bind_every_unit, sample_runtime
from tests.fakes.zalo_server import MOCK_BASE_URL, FakeZaloServer
from tests.test_one_verb import number_of

TUESDAY = datetime(2026, 6, 16, 8, 0, tzinfo=VN_TZ)
BOT = "@Bot Nhắc Việc"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20 + b"\xff\xd9"


async def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    found = sample_runtime(tmp_path, TUESDAY)
    bind_every_unit(found.sessions, "zalo", TUESDAY)
    return found


def _intake(runtime: Runtime, server: FakeZaloServer) -> ZaloIntake:
    client = ZaloClient(server.token, MOCK_BASE_URL, transport=server.transport())
    names = ("Bot Nhắc Việc",)
    return ZaloIntake(runtime.service(), client, runtime.clock, names, sleep=_no_sleep)


async def _send(intake: ZaloIntake, update: dict[str, object]) -> None:
    await intake.handle(ZaloUpdate.from_dict(update))


async def test_an_image_captioned_done_is_kept_on_the_part_and_the_caption_runs(
    runtime: Runtime,
) -> None:
    server = FakeZaloServer()
    intake = _intake(runtime, server)
    number = number_of(runtime, "Quý II/2026")  # hcqt's part
    server.image_faults.append("drop")  # the first download fails: retried
    update = server.incoming_image(f"{BOT} /done {number}", JPEG, chat_id="g-hcqt", group=True)
    assert update["event_name"] == "message.image.received"
    await _send(intake, update)
    [answer] = server.texts_to("g-hcqt")
    assert "📎 Đã nhận tệp «tep.jpg»" in answer and f"#{number}" in answer
    assert "hoàn thành" in answer  # the caption's /done ran
    assert server.downloads == 1
    with runtime.sessions() as session:
        kept = list(session.scalars(select(PartFile)))
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].done_at is not None
    sha = hashlib.sha256(JPEG).hexdigest()
    assert [(f.name, f.content_type, f.sha256) for f in kept] == [("tep.jpg", "image/jpeg", sha)]
    assert part_files.path_of(runtime.settings.data_dir, sha).read_bytes() == JPEG
    await _send(intake, update)  # Zalo hands the same update out again: nothing twice
    assert len(server.texts_to("g-hcqt")) == 1 and server.downloads == 1
    runtime.close()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"MZ\x90\x00 a program sent as a photo", "không phải PDF"),
        (b"%PDF-1.7" + b"\x00" * (20 * 1024 * 1024), "quá lớn"),
    ],
    ids=["program", "over-20MB"],
)
async def test_a_hostile_image_is_refused_and_nothing_is_kept(
    runtime: Runtime, content: bytes, words: str
) -> None:
    server = FakeZaloServer()
    intake = _intake(runtime, server)
    number = number_of(runtime, "Quý II/2026")
    bad = server.incoming_image(f"{BOT} /done {number}", content, chat_id="g-hcqt", group=True)
    await _send(intake, bad)
    [answer] = server.texts_to("g-hcqt")
    assert answer.startswith("Không nhận tệp") and words in answer, answer
    # another group is served as usual
    other = server.incoming_image(f"{BOT} /done 99999", JPEG, chat_id="g-thnc", group=True)
    await _send(intake, other)
    [elsewhere] = server.texts_to("g-thnc")
    assert "Không có nhiệm vụ #99999" in elsewhere
    with runtime.sessions() as session:
        assert list(session.scalars(select(PartFile))) == []
        task = session.scalar(select(Task).where(Task.number == number))
        assert task is not None and task.owners[0].done_at is None  # the command did not run
    folder = runtime.settings.data_dir / part_files.FOLDER
    assert not folder.exists() or list(folder.iterdir()) == []
    runtime.close()


@pytest.mark.parametrize(
    "host",
    ["169.254.169.254", "127.0.0.1:5432", "localhost", "[::1]", "10.0.0.7", "0.0.0.0"],
)
async def test_a_photo_address_inside_the_bots_network_is_never_fetched(
    runtime: Runtime, host: str
) -> None:
    """The update is authentic but its ``photo_url`` is data: an address that points at
    the bot's own machine or network (a cloud's metadata service, the database) is
    refused before any request, in Vietnamese, and nothing is kept."""
    server = FakeZaloServer()
    intake = _intake(runtime, server)
    number = number_of(runtime, "Quý II/2026")
    update = server.incoming_image(f"{BOT} /done {number}", JPEG, chat_id="g-hcqt", group=True)
    message = update["message"]
    assert isinstance(message, dict)
    image_id = str(message["photo_url"]).rsplit("/", 1)[-1]
    message["photo_url"] = f"http://{host}/images/{image_id}"  # the fake would serve it
    await _send(intake, update)
    [answer] = server.texts_to("g-hcqt")
    assert answer.startswith("Không nhận tệp") and "công khai" in answer, answer
    assert server.downloads == 0
    with runtime.sessions() as session:
        assert list(session.scalars(select(PartFile))) == []
    runtime.close()


async def test_an_image_under_another_command_or_none_is_not_fetched(runtime: Runtime) -> None:
    server = FakeZaloServer()
    intake = _intake(runtime, server)
    await _send(intake, server.incoming_image(f"{BOT} /tuannay", JPEG, chat_id="g-hcqt"))
    await _send(intake, server.incoming_image("ảnh hội nghị", JPEG, chat_id="g-hcqt"))
    assert server.downloads == 0
    [hint] = server.texts_to("g-hcqt")
    assert "/done <số>" in hint
    runtime.close()
