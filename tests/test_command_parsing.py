from __future__ import annotations

from collections.abc import Collection

import pytest

from bot.commands import parsing
from bot.commands.parsing import MAX_TASK_NUMBER, Command, NumbersResult, parse_task_numbers
from bot.service import COMMANDS


def parse_command(text: str, bot_names: Collection[str] = ()) -> Command | None:
    """The parser with the bot's own command table."""
    return parsing.parse_command(text, COMMANDS, bot_names)


BOTS = ("NhacViecBot", "@Nhắc Việc")


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/done 57", "done", "57"),
        ("/done", "done", ""),
        ("/done   57   58 ", "done", "57 58"),
        ("  /done 57", "done", "57"),
        ("/DONE 57", "done", "57"),
        ("/Done 57", "done", "57"),
        ("/done@NhacViecBot 57", "done", "57"),
        ("/done@nhacviecbot 57", "done", "57"),
        ("/start@NhacViecBot", "start", ""),
        ("/xong 57", "done", "57"),
        ("/Xong 57", "done", "57"),
        ("/hoanthanh 57", "done", "57"),
        ("/hoànthành 57", "done", "57"),
        ("/huongdan", "help", ""),
        ("/hướngdẫn", "help", ""),
        ("/trogiup", "help", ""),
        ("/help", "help", ""),
        ("/start", "start", ""),
        ("/molai 57", "mo", "57"),
        ("/mở 57", "mo", "57"),
        ("/mo 57", "mo", "57"),
        ("/tuầnnày", "tuannay", ""),
        ("/tuannay", "tuannay", ""),
        ("/tuan_nay", "tuannay", ""),
        ("/Tuần-này", "tuannay", ""),
        ("/hômnay", "homnay", ""),
        ("/thángnày", "thangnay", ""),
        ("/quáhạn", "quahan", ""),
        ("/QUAHAN", "quahan", ""),
        ("/đăngký ABC123", "dangky", "ABC123"),
        ("/dangky ABC123", "dangky", "ABC123"),
        ("/chitiet 57", "chitiet", "57"),
        ("/chitiết 57", "chitiet", "57"),
        ("/tiendo", "tiendo", ""),
        ("/tiếnđộ", "tiendo", ""),
        # full width (NFKC)
        ("／done　５７", "done", "57"),
        ("／ｄｏｎｅ　＃５７", "done", "#57"),
        # decomposed Vietnamese (NFD keyboards)
        ("/tua\u0302\u0300nna\u0300y", "tuannay", ""),
        # invisible characters
        ("\u200b/done\u200b 57", "done", "57"),
        # Zalo mentions
        ("@Nhắc Việc /done 57", "done", "57"),
        ("@nhắc việc /done 57", "done", "57"),
        ("@Nhac Viec /done 57", "done", "57"),
        ("/done 57 @Nhắc Việc", "done", "57"),
        ("/done 57 @Nhắc Việc đã gửi", "done", "57 đã gửi"),
        ("@NhacViecBot /done 57", "done", "57"),
        ("@Nhắc Việc, /done 57", "done", "57"),
        ("@An /done 57", "done", "57"),  # another leading mention only
        ("@An @Nhắc Việc /xong 57", "done", "57"),
        # a space after the slash, glued numbers, trailing punctuation
        ("/ done 57", "done", "57"),
        ("/done57", "done", "57"),
        ("/xong#57", "done", "#57"),
        ("/done: 57", "done", "57"),
        ("/done@NhacViecBot: 57", "done", "57"),
        # multi-line: the rest becomes one line of args
        ("/done 57\nđã gửi", "done", "57 đã gửi"),
    ],
)
def test_commands_for_us(text: str, name: str, args: str) -> None:
    command = parse_command(text, BOTS)
    assert command == Command(name=name, args=args, raw=text)
    assert not command.is_unknown


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/foo", "unknown:foo", ""),
        ("/foo bar baz", "unknown:foo", "bar baz"),
        ("/Xóa 57", "unknown:xoa", "57"),
        ("/hôm nay", "unknown:hom", "nay"),  # only the token after the slash
        ("/foo@NhacViecBot 1", "unknown:foo", "1"),
        ("@Nhắc Việc /abc", "unknown:abc", ""),
        ("/done_all", "unknown:done_all", ""),
        ("/foo57", "unknown:foo57", ""),
    ],
)
def test_unknown_commands_for_us_are_named(text: str, name: str, args: str) -> None:
    command = parse_command(text, BOTS)
    assert command is not None
    assert command.name == name
    assert command.args == args
    assert command.is_unknown
    assert command.typed == name.removeprefix("unknown:")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xong 57",
        "done",
        "Đã xong việc 57 rồi",
        "hôm nay /done 57",  # a command must come first
        "@Nhắc Việc",
        "@Nhắc Việc xong rồi",
        "@An",
        "/done@OtherBot 57",
        "/start@SomeoneElseBot",
        "/",
        "/ ",
        "/123",
        "/57 done",
        "/home/user/file.txt",
        "/:)",
        "/?",
        "//done 57",
        "1/2 việc đã xong",
    ],
)
def test_not_a_command_for_us(text: str) -> None:
    assert parse_command(text, BOTS) is None


def test_without_bot_names_any_suffix_is_accepted() -> None:
    assert parse_command("/done@AnyBot 57") == Command("done", "57", "/done@AnyBot 57")
    # a single-word leading mention is skipped, the trailing one stays in the args
    assert parse_command("@NhacViec /done 57 @NhacViec") == Command(
        "done", "57 @NhacViec", "@NhacViec /done 57 @NhacViec"
    )
    # a display name with a space cannot be recognised without the name
    assert parse_command("@Nhắc Việc /done 57") is None


def test_bot_names_may_be_given_with_or_without_at() -> None:
    assert parse_command("/done@NhacViecBot 1", ["@NhacViecBot"]) is not None
    assert parse_command("/done@NhacViecBot 1", ["NhacViecBot"]) is not None
    assert parse_command("/done@NhacViecBot 1", ["OtherBot"]) is None
    assert parse_command("/done@NhacViecBot 1", [""]) is not None  # empty names are ignored


def test_longest_bot_name_wins() -> None:
    command = parse_command("@Nhắc Việc Đảng ủy /done 5", ["Nhắc Việc", "Nhắc Việc Đảng ủy"])
    assert command == Command("done", "5", "@Nhắc Việc Đảng ủy /done 5")


def test_raw_is_the_text_as_received() -> None:
    text = "  ／ｄｏｎｅ　５７ "
    command = parse_command(text)
    assert command is not None
    assert command.raw == text


def test_a_word_not_in_the_table_is_an_unknown_command() -> None:
    command = parse_command("/khongco@NhacViecBot 57", BOTS)
    assert command == Command("unknown:khongco", "57", "/khongco@NhacViecBot 57")
    assert command.is_unknown


def test_every_word_of_the_table_reads_as_its_command() -> None:
    for spec in COMMANDS:
        assert spec.name.isascii()
        for word in (spec.name, *spec.aliases):
            command = parse_command(f"/{word} 5")
            assert command == Command(spec.name, "5", f"/{word} 5")


# ---------------------------------------------------------------- task numbers


@pytest.mark.parametrize(
    ("args", "numbers", "note", "errors"),
    [
        ("57", (57,), "", ()),
        ("#57", (57,), "", ()),
        ("# 57", (57,), "", ()),
        ("##57", (57,), "", ()),
        ("57,58 59", (57, 58, 59), "", ()),
        ("57, 58", (57, 58), "", ()),
        ("57 ,58", (57, 58), "", ()),
        ("57;58", (57, 58), "", ()),
        ("57; 58;59", (57, 58, 59), "", ()),
        ("57、58", (57, 58), "", ()),
        ("#57,#58", (57, 58), "", ()),
        ("57 và 58", (57, 58), "", ()),
        ("57 va 58", (57, 58), "", ()),
        ("57 & 58", (57, 58), "", ()),
        ("số 57", (57,), "", ()),
        ("Số 57, 58", (57, 58), "", ()),
        ("so 57", (57,), "", ()),
        ("số57", (57,), "", ()),
        ("nv 57", (57,), "", ()),
        ("５７", (57,), "", ()),
        ("５７，５８", (57, 58), "", ()),
        ("＃５７", (57,), "", ()),
        ("057", (57,), "", ()),
        ("57.", (57,), "", ()),
        ("(57)", (57,), "", ()),
        ("57 57 58 57", (57, 58), "", ()),  # duplicates removed, order kept
        ("59 57 58", (59, 57, 58), "", ()),
        (f"{MAX_TASK_NUMBER}", (MAX_TASK_NUMBER,), "", ()),
        # the note
        ("57 đã gửi báo cáo", (57,), "đã gửi báo cáo", ()),
        ("57, 58 đã gửi báo cáo", (57, 58), "đã gửi báo cáo", ()),
        ("57: đã gửi", (57,), "đã gửi", ()),
        ("57 - đã gửi", (57,), "đã gửi", ()),
        ("57 – đã gửi báo cáo số 12", (57,), "đã gửi báo cáo số 12", ()),
        ("57 và đã gửi", (57,), "và đã gửi", ()),
        ("57 số liệu quý II", (57,), "số liệu quý II", ()),
        ("57 30/6/2026 chờ số liệu", (57,), "30/6/2026 chờ số liệu", ()),
        ("57 30-6-2026", (57,), "30-6-2026", ()),
        ("57 ngày 30/6", (57,), "ngày 30/6", ()),
        ("57   đã   gửi", (57,), "đã   gửi", ()),
        # errors: number-like but not valid
        ("5a", (), "", ("5a",)),
        ("0", (), "", ("0",)),
        ("-3", (), "", ("-3",)),
        ("99999999999", (), "", ("99999999999",)),
        (f"{MAX_TASK_NUMBER + 1}", (), "", (f"{MAX_TASK_NUMBER + 1}",)),
        ("57-59", (), "", ("57-59",)),  # ranges are not guessed
        ("#5a 57", (57,), "", ("#5a",)),
        ("57 5a 58 xong rồi", (57, 58), "xong rồi", ("5a",)),
        ("+5", (), "", ("+5",)),
        # nothing usable
        ("", (), "", ()),
        ("   ", (), "", ()),
        ("#", (), "#", ()),
        ("số", (), "số", ()),
        ("abc", (), "abc", ()),
        ("đã gửi 57", (), "đã gửi 57", ()),
        ("và 57", (), "và 57", ()),
        ("ba mươi", (), "ba mươi", ()),
    ],
)
def test_task_numbers(
    args: str, numbers: tuple[int, ...], note: str, errors: tuple[str, ...]
) -> None:
    assert parse_task_numbers(args) == NumbersResult(numbers=numbers, note=note, errors=errors)


@pytest.mark.parametrize(
    ("args", "limit", "numbers", "note"),
    [
        ("57 30-6 chờ số liệu", 1, (57,), "30-6 chờ số liệu"),
        ("57 58 30/6", 1, (57,), "58 30/6"),
        ("57 58 59", 2, (57, 58), "59"),
        ("57", 1, (57,), ""),
        ("57", 0, (), "57"),
    ],
)
def test_task_numbers_with_a_limit(
    args: str, limit: int, numbers: tuple[int, ...], note: str
) -> None:
    result = parse_task_numbers(args, limit=limit)
    assert result.numbers == numbers
    assert result.note == note


def test_command_then_numbers_end_to_end() -> None:
    command = parse_command("@Nhắc Việc ／ｘｏｎｇ　＃５７，５８ đã nộp báo cáo", BOTS)
    assert command is not None
    assert command.name == "done"
    result = parse_task_numbers(command.args)
    assert result == NumbersResult((57, 58), "đã nộp báo cáo", ())
