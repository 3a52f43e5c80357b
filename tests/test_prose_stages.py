"""Each stage of the prose pipeline on its own: segment, owner, deadline, proposal."""

from __future__ import annotations

from datetime import date

import pytest

from data.deadlines import DeadlineKind
from data.importers.prose import ProseReader
from data.importers.prose.proposal import _split_lead, _title
from data.importers.prose.segment import _paragraphs, _plain, _sentences
from data.units import UnitRegistry

DOC = date(2027, 1, 10)


def _reader() -> ProseReader:
    return ProseReader(UnitRegistry([]), DOC)


# --- segment ---------------------------------------------------------------------------------


def test_segment_joins_wrapped_lines_and_stops_at_the_signature() -> None:
    paras = _paragraphs(
        "1. Sở Tài chính chủ trì rà soát\nkinh phí, báo cáo trước ngày 15/3/2027.\n"
        "2. Sở Nội vụ hướng dẫn.\nNơi nhận:\n- Như trên;\n"
    )
    assert [p.text if p.text == "\t" else _plain(p.text) for p in paras][:3] == [
        "1. Sở Tài chính chủ trì rà soát kinh phí, báo cáo trước ngày 15/3/2027.",
        "2. Sở Nội vụ hướng dẫn.",
        "\t",
    ]


def test_segment_sentences_keep_abbreviations() -> None:
    text = "Giao UBND TP. Hòa Bình rà soát. Đề nghị Sở Y tế hướng dẫn."
    assert _sentences(text) == ["Giao UBND TP. Hòa Bình rà soát.", "Đề nghị Sở Y tế hướng dẫn."]


# --- owner -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "owner", "action"),
    [
        ("Giao Sở Y tế chủ trì xây dựng quy chế.", "Sở Y tế", "xây dựng"),
        ("Đề nghị cấp ủy các chi bộ tổ chức quán triệt.", "các chi bộ", "tổ chức"),
        ("Riêng UBND huyện Quế Sơn theo dõi kinh phí.", "UBND huyện Quế Sơn", "theo dõi"),
        ("Chỉ thị yêu cầu UBND các huyện chỉ đạo sửa chữa.", "UBND các huyện", "chỉ đạo"),
        ("Ban Quản lý dự án tỉnh đầu tư trung tâm dữ liệu.", "Ban Quản lý dự án tỉnh", "đầu tư"),
    ],
)
def test_owner_stage(sentence: str, owner: str, action: str) -> None:
    found, at, _ = _reader()._owner(sentence)
    assert found.named
    assert owner in (*found.resolution.unknown, found.text)
    assert sentence[at:].strip().startswith(action)


def test_owner_stage_collective_and_issuer() -> None:
    everyone, _, _ = _reader()._owner("Các cấp ủy, tổ chức đảng, chính quyền tổ chức quán triệt.")
    assert everyone.broad and not everyone.named
    issuer, _, _ = _reader()._owner("Ban Chấp hành Đảng bộ tỉnh đã thảo luận.")
    assert issuer.issuer


def test_owner_stage_a_name_only_heading() -> None:
    assert _reader()._name_only("Sở Khoa học và Công nghệ:") is not None
    assert _reader()._name_only("Các khâu đột phá") is None


# --- deadline --------------------------------------------------------------------------------


def test_deadline_stage_periodic_before_dates() -> None:
    marks = _reader()._marks("Định kỳ hằng năm (trước ngày 15/11) báo cáo UBND tỉnh.")
    assert [m.deadline.kind for m in marks] == [DeadlineKind.RECURRING]
    assert marks[0].deadline.rrule == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=14"


def test_deadline_stage_steps() -> None:
    marks = _reader()._marks(
        "Trình Ban Thường vụ trước ngày 20/2/2027, trình HĐND trong tháng 3/2027."
    )
    assert [m.deadline.due for m in marks] == [date(2027, 2, 19), date(2027, 3, 31)]


# --- proposal --------------------------------------------------------------------------------


def test_proposal_stage_titles() -> None:
    assert _title("có trách nhiệm theo dõi, đôn đốc ,", "") == "Theo dõi, đôn đốc"
    assert _split_lead("Hoàn thiện Quy hoạch tỉnh, trình Ban Thường vụ") == (
        "Hoàn thiện Quy hoạch tỉnh",
        "trình Ban Thường vụ",
    )
