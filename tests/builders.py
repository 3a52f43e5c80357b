"""Build .docx and .xlsx files from a Grid, merging cells the way clerks do.

Tests write a grid out and read it back: the readers must give the same meaning
back. To exercise the merge handling, a unit shared by consecutive rows is one
vertically merged cell (text only in the first row) and a section heading spans
the row from its second cell, as in real plan appendices.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from openpyxl.styles import Font

from data.importers.grid import Block, Cell, Grid, Row
from data.text import fold

UNIT_COLUMN = 2  # TT · Nhiệm vụ · Đơn vị · Thời gian


def _width(block: Block) -> int:
    return max((len(row.cells) for row in block.rows), default=0)


def _text(row: Row, column: int) -> str:
    return row.cells[column].text if column < len(row.cells) else ""


def unit_runs(block: Block) -> list[tuple[int, int]]:
    """(first, last) row indexes of runs of 2+ consecutive rows naming the same unit."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(block.rows) + 1):
        same = index < len(block.rows) and (
            _text(block.rows[index], UNIT_COLUMN) == _text(block.rows[start], UNIT_COLUMN)
        )
        if not same:
            if index - start > 1 and _text(block.rows[start], UNIT_COLUMN):
                runs.append((start, index - 1))
            start = index
    return runs


def is_heading(row: Row) -> bool:
    """Only the first two cells hold text, both bold: "I | Nghị quyết của ..."."""
    filled = [index for index, cell in enumerate(row.cells) if cell.text]
    return filled == [0, 1] and row.cells[0].bold and row.cells[1].bold


def grid_to_docx(grid: Grid, path: Path) -> None:
    """One table per block, its caption as bold paragraphs before it."""
    document = docx.Document()
    for block in grid.blocks:
        for line in block.caption:
            document.add_paragraph().add_run(line).bold = True
        if not block.caption:
            document.add_paragraph()  # Word joins two tables that touch
        width = _width(block)
        if not width:
            continue
        table = document.add_table(rows=len(block.rows), cols=width)
        covered: set[tuple[int, int]] = set()
        for first, last in unit_runs(block):
            for index in range(first + 1, last + 1):
                covered.add((index, UNIT_COLUMN))
        for index, row in enumerate(block.rows):
            for column, cell in enumerate(table.rows[index].cells):
                source = row.cells[column] if column < len(row.cells) else None
                if source is not None and source.text and (index, column) not in covered:
                    cell.paragraphs[0].add_run(source.text).bold = source.bold
        for first, last in unit_runs(block):
            for index in range(first, last + 1):
                tc = table.rows[index]._tr.findall(qn("w:tc"))[UNIT_COLUMN]
                tc.vMerge = "restart" if index == first else "continue"
        for index, row in enumerate(block.rows):
            if is_heading(row) and width > 2:
                _span_to_end(table.rows[index]._tr, width)
    document.save(str(path))


def _span_to_end(tr: BaseOxmlElement, width: int) -> None:
    """Merge the second cell across to the last column (w:gridSpan), dropping covered cells."""
    cells = tr.findall(qn("w:tc"))
    cells[1].grid_span = width - 1
    for tc in cells[2:]:
        tr.remove(tc)


def sheet_title(grid: Grid, index: int) -> str:
    """ "PL1", "PL2"… for appendices, "Bang1"… otherwise (index is 0-based)."""
    caption = grid.blocks[index].caption
    appendix = any(fold(line).startswith("phu luc") for line in caption)
    return f"{'PL' if appendix else 'Bang'}{index + 1}"


def grid_to_xlsx(grid: Grid, path: Path) -> None:
    """One sheet per block: caption lines as merged bold title rows, a blank row, the table."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, block in enumerate(grid.blocks):
        sheet = workbook.create_sheet(sheet_title(grid, index))
        width = max(_width(block), 1)
        line_number = 0
        for line_number, line in enumerate(block.caption, start=1):
            sheet.cell(line_number, 1, line).font = Font(bold=True)
            if width > 1:
                sheet.merge_cells(
                    start_row=line_number, start_column=1, end_row=line_number, end_column=width
                )
        top = line_number + 2 if block.caption else 1  # a blank row after the title
        covered = {
            (row_index, UNIT_COLUMN)
            for first, last in unit_runs(block)
            for row_index in range(first + 1, last + 1)
        }
        for row_index, row in enumerate(block.rows):
            for column, cell in enumerate(row.cells):
                if cell.text and (row_index, column) not in covered:
                    target = sheet.cell(top + row_index, column + 1, cell.text)
                    target.font = Font(bold=cell.bold)
        for first, last in unit_runs(block):
            sheet.merge_cells(
                start_row=top + first,
                start_column=UNIT_COLUMN + 1,
                end_row=top + last,
                end_column=UNIT_COLUMN + 1,
            )
        for row_index, row in enumerate(block.rows):
            if is_heading(row) and width > 2:
                sheet.merge_cells(
                    start_row=top + row_index,
                    start_column=2,
                    end_row=top + row_index,
                    end_column=width,
                )
    workbook.save(str(path))


def rewrite_zip(
    data: bytes, replace: dict[str, bytes], drop: frozenset[str] = frozenset()
) -> bytes:
    """A copy of an Office zip with parts replaced, added or removed (hostile-file tests)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name in replace.keys() - set(source.namelist()):
            target.writestr(name, replace[name])
    return out.getvalue()


def _row(*texts: str, bold: bool = False) -> tuple[Cell, ...]:
    return tuple(Cell(text, bold=bold and bool(text)) for text in texts)


HEADER = ("TT", "Nhiệm vụ", "Đơn vị tham mưu", "Thời gian")
KTVX = "Chi bộ Kinh tế ngành – Văn xã"
THNC = "Chi bộ Tổng hợp – Nội chính"


def appendix_grid() -> Grid:
    """Two appendices shaped like seed 004: header, headings, shared units, a continuation row."""
    first = Block(
        caption=[
            "PHỤ LỤC 2",
            "Danh mục các nghị quyết chuyên đề, đề án trong nhiệm kỳ 2025 - 2030",
        ],
        rows=[
            Row(_row(*HEADER, bold=True), "dòng 1"),
            Row(
                _row("I", "Nghị quyết, đề án của Ban Chấp hành Đảng bộ tỉnh", "", "", bold=True),
                "dòng 2",
            ),
            Row(
                _row("1", "Đề án sắp xếp, kiện toàn thôn bản, tổ dân phố.", KTVX, "Quý II/2026"),
                "dòng 3",
            ),
            Row(
                _row("2", "Nghị quyết về phát triển nông nghiệp hàng hóa,", KTVX, "Tháng 3/2026"),
                "dòng 4",
            ),
            Row(
                _row("", "dược liệu theo hướng kinh tế xanh, giai đoạn 2026 - 2030.", "", ""),
                "dòng 5",
            ),
            Row(
                _row("3", "Nghị quyết về phát triển du lịch.", KTVX, "Đã tham mưu ban hành"),
                "dòng 6",
            ),
            Row(_row("II", "Nghị quyết của Ban Thường vụ Tỉnh ủy", "", "", bold=True), "dòng 7"),
            Row(
                _row("1.1", "Nghị quyết về nâng cao trình độ cán bộ cấp xã.", THNC, "Thường xuyên"),
                "dòng 8",
            ),
        ],
    )
    second = Block(
        caption=["PHỤ LỤC 3", "Danh mục nhiệm vụ cụ thể trong nhiệm kỳ 2025 - 2030"],
        rows=[
            Row(_row(*HEADER, bold=True), "dòng 10"),
            Row(
                _row("1", "Quán triệt Nghị quyết Đại hội.", "Các chi bộ trực thuộc", "Quý I/2026"),
                "dòng 11",
            ),
            Row(
                _row(
                    "2", "Xây dựng chương trình hành động.", "Các chi bộ trực thuộc", "Năm 2026-203"
                ),
                "dòng 12",
            ),
            Row(
                _row("3", "Sơ kết 6 tháng.", "Các chi bộ trực thuộc", "6 tháng đầu năm 2026"),
                "dòng 13",
            ),
            Row(
                _row("4", "Kiểm tra, giám sát.", "Ủy ban Kiểm tra Đảng ủy", "Thường xuyên"),
                "dòng 14",
            ),
        ],
    )
    return Grid(blocks=[first, second], prose=[*first.caption, *second.caption])
