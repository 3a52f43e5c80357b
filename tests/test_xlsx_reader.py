"""The .xlsx reader: sheets to blocks, title rows to captions, merges, numbers, refusals.

What .docx and .xlsx share (round trip, broken and hostile files) is in test_formats.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.styles import Font
from openpyxl.workbook import Workbook

from data.importers.errors import ImportFailure
from data.importers.grid import Cell, Grid
from data.importers.xlsx_reader import read_xlsx
from tests.builders import rewrite_zip


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
    # Excel cells hold naive date-times: that is what a clerk's workbook gives us
    sheet.append(["TT", 1.1, 3.0, 7, 0.1 + 0.2, date(2026, 3, 31), datetime(2026, 6, 30)])  # noqa: DTZ001
    sheet.append(["%", 0.55, 4, True, "  Quý  II/2026 ", datetime(2026, 1, 2, 8, 30), None])  # noqa: DTZ001
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


# --- refusals -------------------------------------------------------------------------------


def _plain_xlsx() -> bytes:
    workbook, sheet = _sheet()
    sheet.append(["TT", "Nhiệm vụ"])
    return _bytes(workbook)


def _with_doctype(part: str) -> bytes:
    source = _plain_xlsx()
    xml = zipfile.ZipFile(io.BytesIO(source)).read(part)
    laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    if xml.startswith(b"<?xml"):
        declaration, rest = xml.split(b"?>", 1)
        return rewrite_zip(source, {part: declaration + b"?>" + laughs + rest})
    return rewrite_zip(source, {part: laughs + xml})


def test_openpyxl_itself_refuses_entities_in_sheets() -> None:
    """The library's own guard, independent of ours: defusedxml parses worksheets."""
    from openpyxl import DEFUSEDXML
    from openpyxl.xml.functions import iterparse

    assert DEFUSEDXML is True
    assert iterparse.__module__.startswith("defusedxml")
    with pytest.raises(ValueError, match="could not read worksheets"):
        openpyxl.load_workbook(io.BytesIO(_with_doctype("xl/worksheets/sheet1.xml")))
