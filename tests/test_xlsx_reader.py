"""The .xlsx reader: sheets to blocks, title rows to captions, merges, numbers, refusals."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from data.importers.errors import ImportFailure
from data.importers.grid import Cell, Grid
from data.importers.xlsx_reader import read_xlsx
from tests.builders import appendix_grid, grid_to_docx, grid_to_xlsx, rewrite_zip


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(title: str = "PL3") -> tuple[Workbook, openpyxl.worksheet.worksheet.Worksheet]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def _texts(grid: Grid, block: int = 0) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.blocks[block].rows]


# --- sheets, captions, origins --------------------------------------------------------------


def test_title_rows_become_caption_and_rows_keep_sheet_origins() -> None:
    workbook, sheet = _sheet()
    sheet["A1"] = "PHỤ LỤC 3"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Danh mục  nhiệm vụ cụ thể"
    sheet.merge_cells("A2:D2")
    sheet.append([])
    sheet.append(["TT", "Nhiệm vụ", "Đơn vị tham mưu", "Thời gian"])
    sheet.append([])  # a fully empty row inside the table is skipped
    sheet.append(["1", "Quán triệt", "Các chi bộ trực thuộc", "Quý I/2026"])

    grid = read_xlsx(_bytes(workbook))

    block = grid.blocks[0]
    assert block.caption == ["PHỤ LỤC 3", "Danh mục nhiệm vụ cụ thể"]
    assert grid.prose == block.caption
    assert _texts(grid) == [
        ["TT", "Nhiệm vụ", "Đơn vị tham mưu", "Thời gian"],
        ["1", "Quán triệt", "Các chi bộ trực thuộc", "Quý I/2026"],
    ]
    assert [row.origin for row in block.rows] == [
        "trang tính 'PL3', hàng 4",
        "trang tính 'PL3', hàng 6",
    ]


def test_each_visible_sheet_is_a_block_and_empty_or_hidden_ones_are_skipped() -> None:
    workbook, first = _sheet("PL1")
    first.append(["TT", "Chỉ tiêu"])
    workbook.create_sheet("Trống")
    hidden = workbook.create_sheet("DanhMuc")
    hidden.append(["a", "b"])
    hidden.sheet_state = "hidden"
    second = workbook.create_sheet("PL2")
    second.append(["TT", "Nhiệm vụ"])
    grid = read_xlsx(_bytes(workbook))
    assert [block.rows[0].origin for block in grid.blocks] == [
        "trang tính 'PL1', hàng 1",
        "trang tính 'PL2', hàng 1",
    ]


def test_table_not_starting_in_column_a_is_trimmed() -> None:
    workbook, sheet = _sheet()
    sheet["C5"], sheet["D5"] = "TT", "Nhiệm vụ"
    sheet["C6"], sheet["D6"] = "1", "Việc"
    assert _texts(read_xlsx(_bytes(workbook))) == [["TT", "Nhiệm vụ"], ["1", "Việc"]]


def test_bold_comes_from_the_cell_font() -> None:
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ", ""])
    sheet["A1"].font = Font(bold=True)
    sheet["B1"].font = Font(bold=False)
    row = read_xlsx(_bytes(workbook)).blocks[0].rows[0]
    assert [cell.bold for cell in row.cells] == [True, False]


# --- merges ---------------------------------------------------------------------------------


def test_merged_ranges_mark_left_and_above() -> None:
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ", "Đơn vị", "Thời gian"])
    sheet.append(["I", "Phần một", None, None])
    sheet.merge_cells("B2:D2")
    sheet.append(["1", "Việc A", "Chi bộ X", "Quý I/2026"])
    sheet.append(["2", "Việc B", None, "Quý II/2026"])
    sheet.append(["3", "Việc C", None, "Năm 2026"])
    sheet.merge_cells("C3:C5")
    sheet["C3"].font = Font(bold=True)
    sheet.append(["4", "Việc D", "Ghép", None])
    sheet.append(["5", "Việc E", None, None])
    sheet.merge_cells("C6:D7")

    rows = read_xlsx(_bytes(workbook)).blocks[0].rows
    assert rows[1].cells[1:] == (
        Cell("Phần một"),
        Cell("", merged_from_left=True),
        Cell("", merged_from_left=True),
    )
    assert [row.cells[2] for row in rows[2:5]] == [
        Cell("Chi bộ X", bold=True),
        Cell("Chi bộ X", bold=True, merged_from_above=True),
        Cell("Chi bộ X", bold=True, merged_from_above=True),
    ]
    assert rows[5].cells[2:] == (Cell("Ghép"), Cell("", merged_from_left=True))
    assert rows[6].cells[2:] == (
        Cell("Ghép", merged_from_above=True),
        Cell("", merged_from_left=True),
    )


def test_huge_merged_range_is_refused_before_openpyxl_expands_it() -> None:
    """openpyxl creates one object per merged cell (even when writing: so the XML is edited)."""
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ"])
    sheet.merge_cells("C1:D2")
    source = _bytes(workbook)
    xml = zipfile.ZipFile(io.BytesIO(source)).read("xl/worksheets/sheet1.xml")
    assert b'ref="C1:D2"' in xml
    hostile = xml.replace(b'ref="C1:D2"', b'ref="C1:XFD1048576"')  # 17 billion cells
    with pytest.raises(ImportFailure, match="vùng gộp ô quá rộng"):
        read_xlsx(rewrite_zip(source, {"xl/worksheets/sheet1.xml": hostile}))


def test_far_away_stray_cell_does_not_walk_the_whole_box() -> None:
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ"])
    sheet["XFD1048576"].font = Font(bold=True)  # formatted but empty: not part of the table
    assert _texts(read_xlsx(_bytes(workbook))) == [["TT", "Nhiệm vụ"]]


# --- values ---------------------------------------------------------------------------------


def test_numbers_and_dates_read_as_shown() -> None:
    workbook, sheet = _sheet()
    sheet.append(["TT", 1.1, 3.0, 7, 0.1 + 0.2, date(2026, 3, 31), datetime(2026, 6, 30, 0, 0)])
    sheet.append(["%", 0.55, 4, True, "  Quý  II/2026 ", datetime(2026, 1, 2, 8, 30), None])
    sheet["B2"].number_format = "0%"
    sheet["C2"].number_format = "0.0"
    rows = _texts(read_xlsx(_bytes(workbook)))
    assert rows[0] == ["TT", "1.1", "3", "7", "0.3", "31/03/2026", "30/06/2026"]
    assert rows[1] == ["%", "55%", "4.0", "TRUE", "Quý II/2026", "02/01/2026 08:30", ""]


def test_formulas_give_their_cached_value_not_the_formula() -> None:
    workbook, sheet = _sheet()
    sheet.append(["1", "Việc", '=TEXT(45382,"dd/mm/yyyy")', '=""'])
    source = _bytes(workbook)
    xml = zipfile.ZipFile(io.BytesIO(source)).read("xl/worksheets/sheet1.xml")
    # openpyxl saves no value; Excel would have saved what it showed (and t="str" for text).
    saved = xml.replace(b'<c r="C1"><f>', b'<c r="C1" t="str"><f>', 1)
    saved = saved.replace(b"</f><v></v>", b"</f><v>31/03/2024</v>", 1)
    saved = saved.replace(b'<c r="D1"><f>', b'<c r="D1" t="str"><f>', 1)
    assert saved.count(b"31/03/2024") == 1
    assert b"TEXT" in saved
    grid = read_xlsx(rewrite_zip(source, {"xl/worksheets/sheet1.xml": saved}))
    assert _texts(grid) == [["1", "Việc", "31/03/2024"]]  # the empty-text result reads empty


# --- round trip through the builder ---------------------------------------------------------


def test_round_trip_through_builder_keeps_meaning(tmp_path: Path) -> None:
    original = appendix_grid()
    path = tmp_path / "ke-hoach.xlsx"
    grid_to_xlsx(original, path)
    read = read_xlsx(path.read_bytes())

    assert [block.caption for block in read.blocks] == [block.caption for block in original.blocks]
    assert read.prose == original.prose
    for before, after in zip(original.blocks, read.blocks, strict=True):
        assert len(after.rows) == len(before.rows)
        for old, new in zip(before.rows, after.rows, strict=True):
            assert [cell.text for cell in new.cells] == [cell.text for cell in old.cells]
            assert [cell.bold for cell in new.cells] == [cell.bold for cell in old.cells]

    first = read.blocks[0].rows
    assert [row.cells[2].merged_from_above for row in first] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]
    assert first[1].cells[2:] == (Cell("", merged_from_left=True), Cell("", merged_from_left=True))
    assert first[0].origin == "trang tính 'PL1', hàng 4"  # two title rows, then a blank row
    second = read.blocks[1].rows
    assert [row.cells[2].merged_from_above for row in second] == [False, False, True, True, False]
    assert second[3].origin == "trang tính 'PL2', hàng 7"


# --- refusals -------------------------------------------------------------------------------


def _plain_xlsx() -> bytes:
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ"])
    return _bytes(workbook)


def _refused(data: bytes) -> str:
    with pytest.raises(ImportFailure) as failure:
        read_xlsx(data)
    return failure.value.message


def test_empty_and_random_bytes_are_refused() -> None:
    assert "trống" in _refused(b"")
    assert _refused(os.urandom(4096)).startswith("Tệp .xlsx bị hỏng hoặc không phải tệp Excel")


def test_legacy_xls_is_refused_with_advice() -> None:
    assert ".xls" in _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))


def test_truncated_xlsx_is_refused() -> None:
    data = _plain_xlsx()
    assert "bị hỏng" in _refused(data[: len(data) - 200])


def test_zip_without_workbook_part_is_refused() -> None:
    data = rewrite_zip(_plain_xlsx(), {}, drop=frozenset({"xl/workbook.xml"}))
    assert "không tìm thấy phần nội dung chính" in _refused(data)


def test_docx_sent_as_xlsx_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    grid_to_docx(appendix_grid(), path)
    assert "là tệp Word (.docx), không phải tệp Excel" in _refused(path.read_bytes())


def test_broken_sheet_xml_becomes_import_failure() -> None:
    data = rewrite_zip(_plain_xlsx(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"})
    assert "bị hỏng" in _refused(data)


def _with_doctype(part: str) -> bytes:
    source = _plain_xlsx()
    xml = zipfile.ZipFile(io.BytesIO(source)).read(part)
    laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    if xml.startswith(b"<?xml"):
        declaration, rest = xml.split(b"?>", 1)
        return rewrite_zip(source, {part: declaration + b"?>" + laughs + rest})
    return rewrite_zip(source, {part: laughs + xml})


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"])
def test_doctype_entity_is_refused(part: str) -> None:
    assert "DOCTYPE/ENTITY" in _refused(_with_doctype(part))


def test_openpyxl_itself_refuses_entities_in_sheets() -> None:
    """The library's own guard, independent of ours: defusedxml parses worksheets."""
    from openpyxl import DEFUSEDXML
    from openpyxl.xml.functions import iterparse

    assert DEFUSEDXML is True
    assert iterparse.__module__.startswith("defusedxml")
    with pytest.raises(ValueError, match="could not read worksheets"):
        openpyxl.load_workbook(io.BytesIO(_with_doctype("xl/worksheets/sheet1.xml")))


def test_zip_bomb_is_refused() -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_plain_xlsx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        with target.open("xl/media/filler.bin", "w") as stream:
            for _ in range(20):
                stream.write(bytes(1024 * 1024))
    assert "tỷ lệ nén bất thường" in _refused(out.getvalue())
