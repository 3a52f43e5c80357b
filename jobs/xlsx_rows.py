"""Rows of plain values written straight into a write-only sheet: the report's 200k rows.

openpyxl's write-only sheet still makes a cell object per value (binding its type,
looking its style up, formatting its coordinate: some 25 µs a cell, most of
``nhacviec report --xlsx``'s time). A table whose columns each keep one style needs
none of that: ``RowSheet.append_values`` takes a row of plain values and the style of
each column (``Cell`` templates, registered in the workbook once) and writes the
row's XML as one element, the same XML openpyxl writes (inline strings, dates as
serial numbers under the column's date format), in a tenth of the time.

Text a spreadsheet would read as a formula still goes through the one rule
(``cell_text``): such a cell is made the slow way, the quote prefix set on its style.
Characters XML cannot hold (control characters) are dropped, where openpyxl would
stop the whole workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.xml.functions import Element, SubElement  # the tree openpyxl's writer takes

_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (the 1900 system, after 1 March 1900)
_LEAP_BUG_END = dt.date(1900, 3, 1)  # before it, openpyxl's own reckoning (Excel's 29/02/1900)


@dataclass(frozen=True)
class _RowXml:
    """A row already made as XML, sent through the sheet's row stream."""

    element: Any


class RowSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """A write-only sheet that also takes rows already made as XML (``append_values``)."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._next_row = 1
        # id(templates) → (them, their style ids): a row's list of column styles, kept alive
        self._style_ids: dict[int, tuple[Sequence[Cell], list[str]]] = {}

    def append(self, row: Any) -> None:
        super().append(row)
        self._next_row += 1

    def _write_rows(self) -> Any:  # openpyxl's loop, with a branch for rows made as XML
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, _RowXml):
                        xf.write(row.element)
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def append_values(
        self,
        values: Sequence[Any],
        styles: Sequence[Cell],
        special: Callable[[str], bool],
        make_cell: Callable[[Any, Cell], Cell],
        *,
        styled_empty: bool = False,
    ) -> None:
        """The next row: ``values[i]`` in ``styles[i]``'s style (``None`` or "": no cell).
        A text for which ``special`` holds (it would read as a formula) is made by
        ``make_cell`` (the one rule, ``jobs.workbook.cell_text``) and written with the
        style it was given. ``styled_empty``: an empty value still gets its styled cell
        (a bordered table), as openpyxl writes a styled cell without a value."""
        number = str(self._next_row)
        row = Element("row", r=number)
        ids = self._style_ids_of(styles)
        for column, (value, like) in enumerate(zip(values, styles, strict=True)):
            ref = _LETTERS[column] + number
            if value is None or value == "":
                if styled_empty:
                    SubElement(row, "c", r=ref, s=ids[column])
                continue
            if isinstance(value, str):
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                made = make_cell(value, like) if special(value) else None
                _text(row, ref, str(made.style_id) if made else ids[column], value)
                continue
            cell = SubElement(row, "c", r=ref, s=ids[column], t="n")
            if isinstance(value, bool):
                cell.set("t", "b")
                SubElement(cell, "v").text = "1" if value else "0"
            elif isinstance(value, dt.datetime) or (
                isinstance(value, dt.date) and value < _LEAP_BUG_END
            ):
                SubElement(cell, "v").text = repr(to_excel(value))
            elif isinstance(value, dt.date):
                SubElement(cell, "v").text = str((value - _EPOCH).days)
            else:
                SubElement(cell, "v").text = repr(value)
        self.append_row_xml(row)

    def _style_ids_of(self, styles: Sequence[Cell]) -> list[str]:
        """The templates' style ids in the workbook, looked up once per list of them."""
        found = self._style_ids.get(id(styles))
        if found is None or found[0] is not styles:
            found = self._style_ids[id(styles)] = (styles, [str(c.style_id) for c in styles])
        return found[1]

    def append_row_xml(self, row: Any) -> None:
        self._get_writer()
        rows: Any = getattr(self, "_rows", None)
        if rows is None:
            rows = self._rows = self._write_rows()
            next(rows)
        rows.send(_RowXml(row))
        self._next_row += 1


def add_row_sheet(workbook: Workbook, title: str) -> RowSheet:
    """A ``RowSheet`` added to a write-only workbook, as ``create_sheet`` adds its own."""
    sheet = RowSheet(workbook, title)
    workbook._add_sheet(sheet)
    return sheet


def _text(row: Any, ref: str, style: str, value: str) -> None:
    cell = SubElement(row, "c", r=ref, s=style, t="inlineStr")
    text = SubElement(SubElement(cell, "is"), "t")
    text.text = value
    stripped = value.strip()
    if stripped and stripped != value:
        text.set(_SPACE, "preserve")


_LETTERS = [get_column_letter(i) for i in range(1, 100)]
