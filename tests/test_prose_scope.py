"""The scope stage of the prose reader: headings, the sections they open and the owner scope of
a heading that names a body."""

from __future__ import annotations

from datetime import date

import pytest

from data.importers.prose import scope
from data.importers.prose.owner import _Owner
from data.importers.prose.segment import _MARKER, _level, _paragraphs, _plain
from data.text import fold
from data.units import Resolution

DOC = date(2026, 10, 1)


def _body(name: str) -> _Owner:
    return _Owner(name, Resolution(unknown=(name,)))


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("I. NHIỆM VỤ TRỌNG TÂM", True),
        ("MỤC ĐÍCH, YÊU CẦU", True),
        ("2. Sở Khoa học và Công nghệ", True),
        ("a) Kiểm tra", True),
        ("- Tuyên truyền trên các phương tiện", False),
        ("(1) Rà soát các văn bản", False),
        # a short bracketed-number line that names a part heads a section
        ("(3) Thời gian, địa điểm", True),
        ("(5) Tổ chức triển khai", True),
        ("2. Sở Y tế rà soát các cơ sở.", False),
    ],
)
def test_a_heading_is_numbered_or_in_capitals_with_no_sentence_end(
    line: str, heading: bool
) -> None:
    assert scope.is_heading(line, _MARKER.match(line)) is heading


def test_a_lettered_item_with_nothing_under_it_is_a_duty() -> None:
    paras = _paragraphs(
        "1. Sở Tài chính\nd) Hằng năm thông báo định kỳ giá gạo\n2. Sở Công Thương\n"
        "a) Kiểm tra thị trường\n- Kiểm tra giá.\n"
    )
    duty = [
        scope.bare_duty_item(m, _level(m) if m else None, paras, i)
        for i, m in enumerate(_MARKER.match(_plain(p.text)) for p in paras)
    ]
    assert duty == [False, True, False, False, False]


def test_a_heading_that_is_only_a_time_dates_the_items_below() -> None:
    assert scope.time_heading("Quý II") == "trong quý II"
    assert scope.time_heading("Tháng 3/2027:") == "trong tháng 3/2027"
    assert scope.time_heading("Nhiệm vụ cụ thể") == ""
    # a section's time frame from now: the items below are due at its end
    assert scope.time_heading("Về nhiệm vụ từ nay đến tháng 6/2028") == "đến hết tháng 6/2028"


def test_a_wave_of_work_and_its_time() -> None:
    assert scope.wave_time("Đợt 1: Trong tháng 12/2026", DOC, lambda words: True) == (
        "trong tháng 12/2026"
    )
    assert scope.wave_time(
        "Giai đoạn 2: Từ ngày 01/3 đến ngày 30/4/2027", DOC, lambda w: False
    ) == ("từ ngày 01/03/2027 đến ngày 30/04/2027")
    assert scope.wave_time("Đợt 3: Sau ngày bầu cử", DOC, lambda words: False) == ""
    assert scope.wave_time("Nhiệm vụ cụ thể", DOC, lambda words: True) == ""


def test_a_heading_that_names_a_body_opens_its_scope_until_a_heading_as_high() -> None:
    outline = scope.Outline()
    outline.open_heading(1, "I. NHIỆM VỤ", "NHIỆM VỤ", "", None)
    outline.open_heading(2, "1. Sở Tài chính", "Sở Tài chính", "", _body("Sở Tài chính"))
    assert [s.owner.text for s in outline.scopes] == ["Sở Tài chính"]
    assert outline.section() == ("I. NHIỆM VỤ", "1. Sở Tài chính")
    assert outline.item_level(None) == 2.5
    outline.open_heading(2, "2. Sở Y tế", "Sở Y tế", "", _body("Sở Y tế"))
    assert [s.owner.text for s in outline.scopes] == ["Sở Y tế"]
    assert outline.section() == ("I. NHIỆM VỤ", "2. Sở Y tế")
    outline.scopes.append(scope.Scope(3, _body("Trung tâm Y tế")))
    outline.close_scopes(3)
    assert [s.owner.text for s in outline.scopes] == ["Sở Y tế"]


def test_aims_and_time_sections_close_at_the_next_heading_as_high() -> None:
    outline = scope.Outline()
    outline.open_heading(1, "I. MỤC ĐÍCH, YÊU CẦU", "MỤC ĐÍCH, YÊU CẦU", "", None)
    assert outline.skip_level == 1
    outline.open_heading(2, "1. Nội dung", "Nội dung", "", None)
    assert outline.skip_level == 1  # a sub-heading of the aims is still aims
    outline.open_heading(1, "II. THỜI GIAN", "THỜI GIAN", "", None)
    assert outline.skip_level is None
    assert outline.time_level == 1
    outline.open_heading(1, "III. Quý II", "Quý II", "", None)
    assert outline.time_level is None
    assert outline.frame == (1, "trong quý II")
    outline.open_heading(2, "1. Đợt 1", "Đợt 1", "trong tháng 5/2027", None)
    assert outline.frame == (2, "trong tháng 5/2027")
    outline.open_heading(1, "IV. TỔ CHỨC THỰC HIỆN", "TỔ CHỨC THỰC HIỆN", "", None)
    assert outline.frame is None


def test_a_connective_goes_on_with_the_body_above() -> None:
    assert scope.goes_on(fold("Đồng thời kiểm tra, đôn đốc các xã"))
    assert scope.goes_on(fold("Mặt khác, rà soát các hộ"))
    assert not scope.goes_on(fold("Sở Y tế kiểm tra các cơ sở"))
    opening = "Đồng thời, cắm biển cảnh báo tại các điểm sạt lở"
    assert (
        opening[scope.connective_step(fold(opening)) :] == "cắm biển cảnh báo tại các điểm sạt lở"
    )
    assert scope.connective_step(fold("Cắm biển cảnh báo")) == 0


def test_an_intro_opens_a_scope_with_its_owner_or_the_one_above() -> None:
    outline = scope.Outline()
    outline.open_heading(1, "1. Sở Tài chính", "Sở Tài chính", "", _body("Sở Tài chính"))
    outline.open_intro(1.5, _Owner(), "Trong năm 2027", directive=False)
    assert (outline.scopes[-1].owner.text, outline.scopes[-1].period) == (
        "Sở Tài chính",
        "Trong năm 2027",
    )
    outline.open_intro(2, _body("Sở Y tế"), "", directive=True)
    assert (outline.scopes[-1].owner.text, outline.scopes[-1].period) == (
        "Sở Y tế",
        "Trong năm 2027",
    )
    assert outline.scopes[-1].directive
