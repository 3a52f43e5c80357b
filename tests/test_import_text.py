"""The text form of a plan (the seed documents' form), read as a clerk reads it."""

from __future__ import annotations

from collections import Counter

import pytest

from data.deadlines import DeadlineKind
from data.importers import ImportFailure, LoadedFile, load_document
from data.importers.interpret import ParsedDocument
from data.units import UnitRegistry
from tests.conftest import SAMPLE_DATE, parse_sample

ALL_CHI_BO = ("hcqt", "thnc", "ktvx", "thhcc")


def _by_title(doc: ParsedDocument, start: str) -> list:  # type: ignore[type-arg]
    found = [i for i in doc.items if i.title.startswith(start)]
    assert found, start
    return found


def test_counts_per_appendix(sample_parsed: ParsedDocument) -> None:
    counts = Counter((i.appendix, i.kind) for i in sample_parsed.items)
    assert counts == {
        ("Phụ lục 1", "target"): 5,
        ("Phụ lục 2", "task"): 6,
        ("Phụ lục 3", "task"): 22,
        ("Phụ lục 4", "task"): 3,
    }
    done = [i for i in sample_parsed.tasks if i.status == "done"]
    assert {i.appendix for i in done} == {"Phụ lục 2"} and len(done) == 2


def test_document_title_and_date_are_read_from_the_header() -> None:
    doc = load_document(
        LoadedFile("x.txt", ".txt", parse_sample_bytes()),
        UnitRegistry.default(),
        doc_date=None,
        today=SAMPLE_DATE.replace(year=2030),
    )
    assert doc.doc_date == SAMPLE_DATE
    assert doc.title.startswith("KẾ HOẠCH thực hiện nhiệm vụ trọng tâm")


def parse_sample_bytes() -> bytes:
    from tests.conftest import SAMPLE_PLAN

    return SAMPLE_PLAN.read_bytes()


def test_no_header_or_heading_row_becomes_a_task(sample_parsed: ParsedDocument) -> None:
    titles = {i.title for i in sample_parsed.items}
    assert all(i.title for i in sample_parsed.items)
    for not_a_task in (
        "Nhiệm vụ",
        "Tên đề án/báo cáo",
        "Chỉ tiêu",
        "NGÂN SÁCH NHÀ NƯỚC",
        "Công tác chính trị, tư tưởng",
        "VỮNG MẠNH TOÀN DIỆN",
        "HẠ TẦNG",
    ):
        assert not_a_task not in titles


def test_continuation_rows_join_the_row_above(sample_parsed: ParsedDocument) -> None:
    (task,) = _by_title(sample_parsed, "Rà soát, bổ sung quy hoạch cán bộ")
    assert task.title.endswith("bảo đảm đúng quy trình, công khai, minh bạch, có tính kế thừa.")
    assert task.ref == "2.1" and task.deadline.due is not None
    # a heading split by a page break is one heading
    (first,) = [i for i in sample_parsed.tasks if i.title.startswith("Tổ chức học tập")]
    assert first.section == (
        "I. XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ TRONG SẠCH, VỮNG MẠNH TOÀN DIỆN",
        "1. Công tác chính trị, tư tưởng",
    )


def test_units_multi_cells_and_all_chi_bo(sample_parsed: ParsedDocument) -> None:
    (lead_and_all,) = _by_title(sample_parsed, "Đánh giá, xếp loại chất lượng")
    assert lead_and_all.units == ALL_CHI_BO  # "Hành chính – Quản trị và các chi bộ": HC-QT leads
    (two,) = _by_title(sample_parsed, "Số hóa hồ sơ")
    assert two.units == ("thhcc", "hcqt")
    (comma,) = _by_title(sample_parsed, "Tham mưu sơ kết")
    assert comma.units == ("ktvx", "thnc")
    (no_prefix,) = _by_title(sample_parsed, "Vận hành hệ thống")
    assert no_prefix.units == ("thhcc",)
    ubkt = [i for i in sample_parsed.tasks if i.units == ("ubkt",)]
    assert len(ubkt) == 3  # "Ủy ban … Đảng uỷ" and "Uỷ ban … Đảng ủy" are one unit


def test_task_without_tt_is_kept_with_a_note(sample_parsed: ParsedDocument) -> None:
    (task,) = _by_title(sample_parsed, "Thực hiện quy định về nêu gương")
    assert task.ref == "" and task.units == ALL_CHI_BO
    assert task.deadline.kind is DeadlineKind.ONGOING
    assert any("không có số TT" in w.message for w in sample_parsed.warnings)


def test_numbering_restarts_per_section(sample_parsed: ParsedDocument) -> None:
    ones = [i for i in sample_parsed.tasks if i.ref == "1.1"]
    assert len(ones) == 2
    assert len({i.source_key for i in sample_parsed.items}) == len(sample_parsed.items)


def test_unreadable_deadlines_and_unknown_units_are_warned(sample_parsed: ParsedDocument) -> None:
    unreadable = [i for i in sample_parsed.tasks if i.deadline.kind is DeadlineKind.UNREADABLE]
    assert {i.deadline.raw for i in unreadable} == {
        "Năm 2026-203",
        "Chi bộ Tin học – Hành chính công",
    }
    assert all(i.needs_review for i in unreadable)
    messages = [w.message for w in sample_parsed.warnings]
    assert any("Năm 2026-203" in m and "Năm 2026 - 2030" in m for m in messages)
    assert any("Chi bộ Tin học – Hành chính công" in m for m in messages)
    (unknown,) = _by_title(sample_parsed, "Phối hợp tổ chức hội nghị")
    assert unknown.units == () and unknown.unknown_units == ("Ban Xúc tiến đầu tư tỉnh",)
    assert unknown.needs_review
    assert any("Ban Xúc tiến đầu tư tỉnh" in m for m in messages)
    for item in unreadable:  # every warning says where: appendix, row, TT
        assert any(w.where == item.where for w in sample_parsed.warnings)


def test_targets_inherit_their_groups_unit(sample_parsed: ParsedDocument) -> None:
    targets = sample_parsed.targets
    assert [t.value for t in targets] == ["≥ 90%", "≥ 90%", "06 đảng viên", "100%", "≥ 90%"]
    assert all(t.units == ALL_CHI_BO for t in targets[:3])
    assert targets[3].title == "Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng — Tại Văn phòng"
    assert targets[3].units == ("thhcc",)
    assert all(t.deadline.kind is DeadlineKind.TERM for t in targets)


def test_deadline_kinds_are_all_represented(sample_parsed: ParsedDocument) -> None:
    kinds = {i.deadline.kind for i in sample_parsed.tasks}
    assert kinds == set(DeadlineKind)


def test_typo_in_numbering_is_reported_not_fixed() -> None:
    text = "\n".join(
        [
            "PHỤ LỤC 3",
            "",
            "TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian",
            "<b>3</b>\t<b>Tài nguyên</b>\t\t",
            "3.9\tViệc chín\tChi bộ Kinh tế ngành – Văn xã\tNăm 2026",
            "4.0\tViệc mười\tChi bộ Kinh tế ngành – Văn xã\tNăm 2026",
        ]
    )
    doc = parse_sample(text.encode())
    assert [t.ref for t in doc.tasks] == ["3.9", "4.0"]
    assert any("«4.0»" in w.message and "«3.10»" in w.message for w in doc.warnings)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "rỗng"),
        ("Chỉ có một đoạn văn, không có bảng.\n".encode(), "Không thấy bảng nhiệm vụ"),
        (b"A\tB\tC\n1\t2\t3\n", "Không thấy bảng nhiệm vụ"),
        (b"\x00\x01\x02binary", "không phải văn bản"),
        ("Kế hoạch\tcp1258".encode("cp1258", errors="replace") + b"\xff\xfe\xfa", "UTF-8"),
    ],
)
def test_bad_text_files_are_refused_in_vietnamese(content: bytes, expected: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_sample(content)
    assert expected in failure.value.message
