"""Read an Excel (.xlsx) plan into the common grid: one block per visible worksheet.

openpyxl's read-only mode does not report merged ranges, and a unit cell merged
over several task rows is exactly what plan appendices contain, so the normal mode
is used. That mode materialises every cell of a merged range and every cell
``iter_rows`` walks over, so the sheets are measured before loading and only the
cells that exist are visited afterwards.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
from defusedxml.ElementTree import iterparse
from openpyxl.utils.cell import range_boundaries

from data.importers.archive import (
    MIB,
    XLSX,
    check_archive,
    encoded,
    main_target,
    parse_small_xml,
    parser_errors,
    part_contains,
)
from data.importers.errors import ImportFailure
from data.importers.grid import Block, Cell, Grid, Row
from data.importers.limits import MAX_ROWS, Budget, number, too_large
from data.text import clean, fold

MAX_SHEET_XML = 20 * MIB  # all worksheets together; a real appendix is well under 1 MB
MAX_MERGED_CELLS = 200_000  # cells covered by merged ranges, all sheets together
_SHEET_MARKERS = encoded("sheetData", "mergeCell")
_FIXED_DECIMALS = re.compile(r"(?:#,##)?0(?:\.(0+))?(%?)")


def _too_big() -> ImportFailure:
    return ImportFailure(
        "Bảng tính quá lớn hoặc có vùng gộp ô quá rộng, hệ thống không đọc. Hãy chỉ giữ "
        "các trang tính phụ lục cần nhập, xóa định dạng thừa rồi lưu lại và gửi lại."
    )


def read_xlsx(data: bytes) -> Grid:
    """Each visible sheet is a block; its leading title lines are the caption."""
    check_archive(data, XLSX)
    with parser_errors(XLSX):
        _measure_sheets(data)  # before openpyxl builds a cell object for every <c>
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), data_only=True, keep_links=False, rich_text=False
            )
        grid = Grid()
        budget = Budget()
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue  # hidden sheets hold lookup lists, not what the clerk sees
            block = _read_sheet(sheet, budget)
            if block.caption or block.rows:
                grid.blocks.append(block)
                grid.prose.extend(block.caption)
        return grid


def _measure_sheets(data: bytes) -> None:
    """Refuse, while streaming the sheets, what openpyxl would choke on or misread.

    Too many bytes, merged cells or rows holding values would exhaust memory once
    openpyxl loads the sheets; a formula with no saved value would read as an empty
    cell. Sheets are recognised by content, not by folder: openpyxl follows the
    workbook's relationships, which may point anywhere in the package.
    """
    sheet_bytes = 0
    merged = 0
    rows = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = _sheet_names(archive)
        for info in archive.infolist():
            if info.is_dir() or not part_contains(archive, info, _SHEET_MARKERS):
                continue
            sheet_bytes += info.file_size
            if sheet_bytes > MAX_SHEET_XML:
                raise _too_big()
            name, visible = names.get(info.filename, (info.filename, True))
            unsaved: list[str] = []  # formula cells without a saved value
            with archive.open(info) as stream:
                for _event, element in iterparse(stream, events=("end",), forbid_dtd=True):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "c":
                        if visible and _formula_without_value(element):
                            unsaved.append(element.get("r", "?"))
                    elif tag == "row":
                        if any(_has_value(cell) for cell in element):
                            rows += 1
                            if rows > MAX_ROWS:
                                raise too_large(
                                    f"các trang tính có hơn {number(MAX_ROWS)} hàng có dữ liệu "
                                    f"(giới hạn {number(MAX_ROWS)} hàng), đến trang tính "
                                    f"'{name}', hàng {element.get('r', '?')}"
                                )
                        element.clear()
                    elif tag == "mergeCell":
                        min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                        merged += (max_col - min_col + 1) * (max_row - min_row + 1)
                        if merged > MAX_MERGED_CELLS:
                            raise _too_big()
            if unsaved:
                raise _unsaved_formulas(name, unsaved)


def _children(cell: Any) -> dict[str, Any]:
    return {child.tag.rsplit("}", 1)[-1]: child for child in cell}


def _has_value(cell: Any) -> bool:
    children = _children(cell)
    return "is" in children or ("v" in children and bool(children["v"].text))


def _formula_without_value(cell: Any) -> bool:
    """A formula Excel never calculated: no <v>, or an empty one that is not an empty string."""
    children = _children(cell)
    if "f" not in children:
        return False
    value = children.get("v")
    return value is None or (not value.text and cell.get("t") != "str")


def _unsaved_formulas(name: str, cells: list[str]) -> ImportFailure:
    """A workbook written by a program and never opened in a spreadsheet application.

    Refused rather than guessed: a formula's text is not what Excel shows (even
    ="Quý I" may be joined to other cells), and reading only the simple ones would
    import a table whose deadlines or units silently went missing.
    """
    example = ", ".join(cells[:3])
    return ImportFailure(
        f"Trang tính '{name}' có {number(len(cells))} ô công thức chưa có giá trị đã tính "
        f"(ô {example}{', …' if len(cells) > 3 else ''}): tệp do một chương trình tạo ra và "
        "chưa từng được mở bằng Excel, nên hệ thống không biết các ô đó hiện gì. Hãy mở tệp "
        "bằng Excel (hoặc LibreOffice Calc), lưu lại rồi gửi lại."
    )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Sheet part → (the name on its tab, whether it is visible), from the workbook."""
    try:
        workbook = main_target(archive.read("_rels/.rels")) or "xl/workbook.xml"
        folder, file = posixpath.split(workbook)
        rels = parse_small_xml(archive.read(posixpath.join(folder, "_rels", f"{file}.rels")))
        targets = {
            rel.get("Id"): posixpath.normpath(
                target.lstrip("/")
                if (target := rel.get("Target", "")).startswith("/")
                else posixpath.join(folder, target)
            )
            for rel in rels
        }
        result: dict[str, tuple[str, bool]] = {}
        for node in parse_small_xml(archive.read(workbook)).iter():
            if node.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rel_id = next((v for k, v in node.attrib.items() if k.endswith("}id")), None)
            if rel_id in targets:
                visible = node.get("state", "visible") == "visible"
                result[targets[rel_id]] = (node.get("name", ""), visible)
        return result
    except (KeyError, ValueError, SyntaxError):
        return {}  # openpyxl reports the broken workbook itself


@dataclass(frozen=True)
class _Merge:
    row: int  # the anchor (top-left cell)
    col: int


def _read_sheet(sheet: Any, budget: Budget) -> Block:
    title = str(sheet.title)
    values: dict[int, dict[int, Cell]] = {}
    for (row, col), cell in sheet._cells.items():  # only cells that exist, never the whole box
        text = _display(cell.value, cell.number_format)
        budget.cell(text, f"trang tính '{title}', ô {cell.coordinate}")
        if text:
            values.setdefault(row, {})[col] = Cell(text, bold=bool(cell.font and cell.font.b))

    block = Block()
    table_rows: list[int] = []
    header = next((row for row in sorted(values) if _looks_like_header(values[row])), None)
    for row in sorted(values):
        # Title lines and the letterhead ("ĐẢNG BỘ …" | "ĐẢNG CỘNG SẢN VIỆT NAM", the
        # document number, the date) stand above the table's header row.
        above_header = header is not None and row < header
        if not table_rows and (above_header or len(values[row]) <= 1):
            block.caption.extend(
                line for col in sorted(values[row]) for line in values[row][col].text.split("\n")
            )
        else:
            table_rows.append(row)
    if not table_rows:
        return block

    in_table = set(table_rows)
    first_col = min(col for row in table_rows for col in values[row])
    last_col = max(col for row in table_rows for col in values[row])
    merges: dict[tuple[int, int], _Merge] = {}
    for merged in sheet.merged_cells.ranges:
        anchored = merged.min_row in in_table and merged.min_col in values[merged.min_row]
        if anchored and first_col <= merged.min_col <= last_col:
            last_col = max(last_col, merged.max_col)
    for row in table_rows:  # every row charged before any is built
        budget.row(last_col - first_col + 1, f"trang tính '{title}', hàng {row}")
    for merged in sheet.merged_cells.ranges:
        top_left = _Merge(merged.min_row, merged.min_col)
        covered_rows = table_rows[
            bisect_left(table_rows, merged.min_row) : bisect_right(table_rows, merged.max_row)
        ]
        for row in covered_rows:
            for col in range(max(merged.min_col, first_col), min(merged.max_col, last_col) + 1):
                if (row, col) != (top_left.row, top_left.col):
                    merges[row, col] = top_left

    for row in table_rows:
        cells: list[Cell] = []
        for col in range(first_col, last_col + 1):
            anchor = merges.get((row, col))
            if anchor is None:
                cells.append(values[row].get(col, Cell("")))
            elif anchor.col != col:
                cells.append(Cell("", merged_from_left=True))
            else:
                source = values.get(anchor.row, {}).get(anchor.col, Cell(""))
                cells.append(Cell(source.text, bold=source.bold, merged_from_above=True))
        block.rows.append(Row(tuple(cells), f"trang tính '{title}', hàng {row}"))
    return block


def _looks_like_header(row: dict[int, Cell]) -> bool:
    keys = [fold(cell.text).strip(" .:") for cell in row.values()]
    has_ref = any(key in {"tt", "stt", "so tt"} for key in keys)
    has_title = any(key.startswith(("nhiem vu", "noi dung", "ten ", "cong viec")) for key in keys)
    return has_ref and has_title


def _display(value: object, number_format: str | None) -> str:
    """The value roughly as Excel shows it, so "1.1" stays "1.1" and 3.0 reads "3"."""
    if value is None:
        return ""
    if isinstance(value, str):  # Alt+Enter lines stay lines (two names, two units)
        return "\n".join(line for line in (clean(part) for part in value.splitlines()) if line)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return clean(str(value))


def _number(value: float, number_format: str) -> str:
    fixed = _FIXED_DECIMALS.fullmatch(number_format.strip())
    if fixed is not None:
        decimals, percent = len(fixed.group(1) or ""), fixed.group(2)
        scaled = value * 100 if percent else value
        return f"{scaled:.{decimals}f}{percent}"
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.15g}"  # Excel shows 15 significant digits: 0.1 + 0.2 reads 0.3
