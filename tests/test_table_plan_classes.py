"""Table plans from other offices: the classes of cell a clerk reads differently from us.

Each case is our own example of a class seen in several public plans (issue 20): the
column-number row under the header, an Excel letterhead above the title, owner cells
with a list word and "và" inside names, a collective after a name, two names whose line
break was lost, and a scope phrase after the name.
"""

from __future__ import annotations

from datetime import date

from data.importers.interpret import document_title, interpret_grid
from data.importers.text_reader import read_text
from data.units import UnitRegistry

DOC = date(2027, 1, 5)
HEADER = "TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành"


def _plan(*rows: str, head: str = "KẾ HOẠCH triển khai năm 2027") -> list[tuple[str, ...]]:
    text = "\n".join((head, HEADER, *rows)) + "\n"
    doc = interpret_grid(read_text(text), UnitRegistry([]), DOC)
    return [(i.ref, *i.unknown_units) for i in doc.items]


def test_a_column_number_row_is_no_task() -> None:
    assert _plan("(1)\t(2)\t(3)\t(4)\t(5)", "1\tRà soát\tSở Nội vụ\t\tQuý I/2027") == [
        ("1", "Sở Nội vụ")
    ]
    assert _plan("1\t2\t3\t4\t5", "1\tRà soát\tSở Nội vụ\t\tQuý I/2027") == [("1", "Sở Nội vụ")]


def test_a_row_of_numbers_that_is_a_task_stays() -> None:
    assert _plan("1\tRà soát\tSở Nội vụ\t\tQuý I/2027") == [("1", "Sở Nội vụ")]


def test_a_list_word_keeps_names_holding_va() -> None:
    cell = "Các Bộ: Tài chính, Giáo dục và Đào tạo, Khoa học và Công nghệ"
    assert _plan(f"1\tXây dựng\t{cell}\t\tNăm 2027") == [
        ("1", "Bộ Tài chính", "Bộ Giáo dục và Đào tạo", "Bộ Khoa học và Công nghệ")
    ]
    cell = "Các sở: Văn hóa, Thể thao và Du lịch, Nội vụ"
    assert _plan(f"1\tXây dựng\t{cell}\t\tNăm 2027") == [
        ("1", "Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ")
    ]


def test_a_collective_after_a_name_is_no_part_of_it() -> None:
    assert _plan("1\tRà soát\tBộ Công Thương, các địa phương\t\tNăm 2027") == [
        ("1", "Bộ Công Thương")
    ]
    assert _plan("1\tRà soát\tSở Tài chính, các sở, ngành liên quan\t\tNăm 2027") == [
        ("1", "Sở Tài chính")
    ]


def test_two_names_whose_line_break_was_lost() -> None:
    assert _plan("1\tHướng dẫn\tSở Y tế Sở Xây dựng\t\tQuý II/2027") == [
        ("1", "Sở Y tế", "Sở Xây dựng")
    ]


def test_a_scope_after_the_name_is_no_part_of_it() -> None:
    assert _plan("1\tBan hành quy chế\tSở Tư pháp trình cấp có thẩm quyền\t\tTháng 6/2027") == [
        ("1", "Sở Tư pháp")
    ]


def test_an_excel_letterhead_is_not_the_title() -> None:
    lines = ["ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", "Số: 12/KH-UBND", "Danh mục nhiệm vụ năm 2027"]
    assert document_title(lines) == "Danh mục nhiệm vụ năm 2027"
    assert document_title(["ỦY BAN NHÂN DÂN", "KẾ HOẠCH", "triển khai Đề án"]) == (
        "KẾ HOẠCH triển khai Đề án"
    )


def test_a_bare_action_takes_its_object_from_the_heading() -> None:
    text = "\n".join(
        (
            "KẾ HOẠCH triển khai năm 2027",
            HEADER,
            "II\tĐề án phát triển nền tảng số\t\t\t",
            "1\tTriển khai xây dựng\tSở Nội vụ\t\tQuý II/2027",
            "2\tRà soát quy chế phối hợp\tSở Tư pháp\t\tQuý III/2027",
        )
    )
    doc = interpret_grid(read_text(text + "\n"), UnitRegistry([]), DOC)
    assert [i.title for i in doc.items] == [
        "Triển khai xây dựng: đề án phát triển nền tảng số",
        "Rà soát quy chế phối hợp",
    ]
