"""Classes of deadline phrase beyond the table rows: kinds' properties, words the reader
does not understand, counting from events, the CLI's answer for them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from data.deadlines import DeadlineKind, parse_deadline

DOC = date(2026, 4, 1)


def test_kind_properties() -> None:
    dated = {k for k in DeadlineKind if k.is_dated}
    checkins = {k for k in DeadlineKind if k.has_checkins}
    kind = DeadlineKind
    assert dated == {kind.DUE, kind.TERM, kind.DUE_THEN_ONGOING}
    assert checkins == {kind.TERM, kind.ONGOING, kind.FROM, kind.DUE_THEN_ONGOING}


@pytest.mark.parametrize(
    ("phrase", "words", "suggestion"),
    [
        ("Quý II/2026 (nếu đủ điều kiện)", ["nếu đủ điều kiện"], "Quý II/2026"),
        ("Năm 2026 hoặc khi có vốn", ["hoặc"], "Năm 2026"),
        ("Dự kiến Quý III/2026", ["Dự kiến"], "Quý III/2026"),
        ("30/6/2026 đối với cấp tỉnh", ["đối với cấp"], "Ngày 30/06/2026"),
        ("trước ngày 15/5/2026 nhưng không muộn hơn Đại hội", ["nhưng", "Đại hội"], None),
        ("Từ tháng 6/2026 nếu được phê duyệt", ["nếu"], "Từ ngày 01/06/2026"),
        ("Quý III và Quý IV/2026 tùy tiến độ", ["tùy"], "Từ ngày 01/07/2026 đến ngày 31/12/2026"),
        ("Năm 2026 - 2030 (giai đoạn 1)", ["1"], "Năm 2026 - 2030"),
    ],
)
def test_date_with_unknown_words_is_flagged_with_the_date(
    phrase: str, words: list[str], suggestion: str | None
) -> None:
    got = parse_deadline(phrase, DOC)
    assert got.kind is DeadlineKind.UNREADABLE
    assert (got.start, got.due) == (None, None)
    assert got.note is not None
    for word in words:
        assert word in got.note, got.note
    assert got.suggestion is not None
    if suggestion is not None:
        assert got.suggestion == suggestion
    # the suggestion, read on its own, is the reading the flagged phrase was close to
    again = parse_deadline(got.suggestion, DOC)
    assert again.kind is not DeadlineKind.UNREADABLE
    assert again.suggestion is None


def test_suggestion_of_a_before_reading_keeps_its_day() -> None:
    got = parse_deadline("trước ngày 15/5/2026 nhưng không muộn hơn Đại hội", DOC)
    assert got.suggestion is not None
    assert parse_deadline(got.suggestion, DOC).due == date(2026, 5, 14)


@pytest.mark.parametrize(
    "phrase",
    [
        "trình Ban Thường vụ Tỉnh ủy trong tháng 02/2026",
        "Tổ chức hội nghị sơ kết việc thực hiện Nghị quyết, hoàn thành trong Quý III/2026",
        "Quý II/2026 theo chỉ đạo của Tỉnh ủy",
        "Năm 2027 và thực hiện thường xuyên",
        "Hoàn thành trước ngày 30/6/2026.",
        "Năm 2026 - 2030, tầm nhìn đến năm 2045",
    ],
)
def test_sentences_and_understood_words_are_read(phrase: str) -> None:
    got = parse_deadline(phrase, DOC)
    assert got.kind.is_dated, got


@pytest.mark.parametrize(
    "phrase",
    [
        "trong vòng 10 ngày làm việc kể từ ngày nhận đơn",
        "chậm nhất 20 ngày trước ngày khai mạc Đại hội",
        "trong 3 tháng kể từ ngày ban hành Đề án",
        "Trong 30 ngày sau khi có kết luận của Ban Thường vụ",
    ],
)
def test_counted_from_an_event_waits_and_is_never_counted_from_the_document(phrase: str) -> None:
    for doc in (DOC, date(2027, 1, 5)):
        got = parse_deadline(phrase, doc)
        assert got.kind is DeadlineKind.WAITING
        assert (got.start, got.due) == (None, None)


def test_counted_from_this_document_moves_with_its_date() -> None:
    phrase = "trong 15 ngày kể từ ngày ban hành Kế hoạch này"
    assert parse_deadline(phrase, DOC).due == date(2026, 4, 16)
    assert parse_deadline(phrase, date(2027, 1, 5)).due == date(2027, 1, 20)


def test_reversed_day_span_is_flagged() -> None:
    got = parse_deadline("từ 16-14/10/2026", DOC)
    assert got.kind is DeadlineKind.UNREADABLE
    assert got.note


def test_cli_reads_a_range_and_flags_unknown_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NHACVIEC_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    from bot.cli import main  # here: the CLI pulls in the whole bot

    code = main(["deadline", "Quý III và Quý IV/2026", "--doc-date", "2026-04-01", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (out["kind"], out["start"], out["due"]) == ("term", "2026-07-01", "2026-12-31")
    code = main(["deadline", "Quý II/2026 (nếu đủ điều kiện)", "--doc-date", "2026-04-01"])
    text = capsys.readouterr().out
    assert code == 1
    assert "Quý II/2026" in text
    assert "nếu đủ điều kiện" in text
