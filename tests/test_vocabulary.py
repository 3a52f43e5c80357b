"""The one vocabulary: a word for every value of every enum a person may be shown."""

from __future__ import annotations

from enum import StrEnum

import pytest

from data import vocabulary as v
from data.deadlines import DeadlineKind
from data.domain import (
    AssignmentRole,
    ChannelName,
    ChatRole,
    ExtensionStatus,
    MessageKind,
    OutboxStatus,
    TaskAction,
    TaskStatus,
)
from data.users import UserRole
from jobs.report import DATED_STATUSES, PartStatus

WORDS: list[tuple[type[StrEnum], object]] = [
    (TaskStatus, v.TASK_STATUS),
    (DeadlineKind, v.DEADLINE_KIND),
    (TaskAction, v.TASK_ACTION),
    (AssignmentRole, v.ASSIGNMENT_ROLE),
    (ExtensionStatus, v.EXTENSION_STATUS),
    (PartStatus, v.PART_STATUS),
    (PartStatus, v.PART_STATUS_SHORT),
    (MessageKind, v.MESSAGE_KIND),
    (OutboxStatus, v.OUTBOX_STATUS),
    (ChatRole, v.CHAT_ROLE),
    (UserRole, v.USER_ROLE),
    (ChannelName, v.CHANNEL),
]


@pytest.mark.parametrize(("enum", "words"), WORDS, ids=[e.__name__ for e, _ in WORDS])
def test_every_value_has_a_vietnamese_word(enum: type[StrEnum], words: object) -> None:
    assert isinstance(words, dict)
    for member in enum:
        word = words.get(member)
        assert word, f"{enum.__name__}.{member.name} has no word"
        assert word != member.value


def test_every_dated_status_has_a_colour() -> None:
    assert all(v.STATUS_COLOR[s].startswith("#") for s in DATED_STATUSES)


def test_actors_and_chats_read_as_words() -> None:
    assert v.actor_word("web:vanphong") == "vanphong (bảng điều khiển)"
    assert v.actor_word("console:hcqt") == "hcqt (chạy thử)"
    assert v.actor_word("Lan") == "Lan"
    assert v.chat_place("telegram", "-100", "Chi bộ A") == "Telegram «Chi bộ A»"
    assert v.chat_place("zalo", "z-1") == "Zalo (nhóm z-1)"
