"""Rows of plain values written straight into a write-only sheet: the report's 200k rows.

openpyxl's write-only sheet still makes a cell object per value (binding its type,
looking its style up, formatting its coordinate: some 25 µs a cell, most of
``nhacviec report --xlsx``'s time), and even an XML element per cell costs some 40 µs
a row. A table whose columns each keep one style needs none of that:
``RowSheet.append_values`` takes a row of plain values and the style of each column
(``Cell`` templates, registered in the workbook once) and writes the row's XML as
text, the same XML openpyxl writes (inline strings, dates as serial numbers under the
column's date format), straight into the sheet's file between openpyxl's own rows.
Text is escaped only when it holds ``& < >`` or a carriage return; the file is UTF-8
(openpyxl's parts carry no encoding declaration, so UTF-8 is what readers take). It takes
openpyxl's lxml writer (lxml comes with python-docx), whose ``flush`` lets the text in.

Text a spreadsheet would read as a formula still goes through the one rule
(``cell_text``): such a cell is made the slow way, the quote prefix set on its style.
Characters XML cannot hold (control characters) are dropped, where openpyxl would
stop the whole workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (the 1900 system, after 1 March 1900)
_LEAP_BUG_END = dt.date(1900, 3, 1)  # before it, openpyxl's own reckoning (Excel's 29/02/1900)
# a character XML cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE) or must escape: one search
_NEEDS_CARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>\r]").search
# a text written as it is: nothing to take out or escape, no space at either end (one
# match, where the other checks would be three: most cells of 200k tasks' rows)
_PLAIN = re.compile(r"(?!\s)[^\x00-\x08\x0b\x0c\x0e-\x1f&<>\r]*(?<!\s)").fullmatch
_TEXT_END = "</t></is></c>"
_BATCH = 500  # rows of text joined and written at once


@dataclass(frozen=True)
class _RowsText:
    """Rows already made as XML text (UTF-8), sent through the sheet's row stream."""

    data: bytes
    count: int


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's sheet writer on a file this module holds too: rows made as text are
    written to it directly, after the XML writer has flushed what it holds."""

    handle: IO[bytes] | None = None

    def get_stream(self) -> Iterator[Any]:  # openpyxl's, the file opened here
        with open(self.out, "wb") as handle, xmlfile(handle) as xf:
            self.handle = handle
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass


class RowSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """A write-only sheet that also takes rows of plain values (``append_values``)."""

    _writer: Any = None  # openpyxl's, made on the first row (here a ``_SheetWriter``)

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._next_row = 1
        self._pending: list[str] = []  # rows made as text, not yet written
        # id(templates) → (them, their style ids): a row's list of column styles, kept alive
        self._style_ids: dict[int, tuple[Sequence[Cell], list[str]]] = {}

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _SheetWriter(self)
            self._writer.write_top()

    def append(self, row: Any) -> None:
        self._send_pending()
        super().append(row)
        self._next_row += 1

    def close(self) -> None:
        self._send_pending()
        super().close()

    def _write_rows(self) -> Any:  # openpyxl's loop, with a branch for rows made as text
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, _RowsText):
                        xf.flush()  # what the XML writer holds goes first
                        self._writer.handle.write(row.data)
                        row_idx += row.count
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
        if len(values) != len(styles):
            raise ValueError(f"{len(values)} values for {len(styles)} columns")
        number = str(self._next_row)
        ids = self._style_ids_of(styles)
        parts = [f'<row r="{number}">']
        add = parts.append
        for letter, value, style, like in zip(_LETTERS, values, ids, styles, strict=False):
            if value is None:  # most cells of a detail row
                if styled_empty:
                    add(f'<c r="{letter}{number}" s="{style}"/>')
                continue
            kind = type(value)  # then by type: no ``== ""`` asked of numbers and dates
            if kind is str and value and _PLAIN(value) and not special(value):
                add(f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is><t>{value}{_TEXT_END}')
            elif kind is int:
                add(f'<c r="{letter}{number}" s="{style}" t="n"><v>{value}</v></c>')
            elif kind is dt.date and value >= _LEAP_BUG_END:
                days = (value - _EPOCH).days
                add(f'<c r="{letter}{number}" s="{style}" t="n"><v>{days}</v></c>')
            elif value == "":
                if styled_empty:
                    add(f'<c r="{letter}{number}" s="{style}"/>')
            elif kind is str:
                text = value
                if _NEEDS_CARE(value):  # rare: a control character, or markup to escape
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    text = _escaped(value)
                if special(value):
                    style = str(make_cell(value, like).style_id)
                cell = f'<c r="{letter}{number}" s="{style}" t="inlineStr"><is>'
                if value and (value[0].isspace() or value[-1].isspace()) and not value.isspace():
                    add(f'{cell}<t xml:space="preserve">{text}</t></is></c>')  # ends kept
                else:
                    add(f"{cell}<t>{text}</t></is></c>")
            else:
                add(f'<c r="{letter}{number}" {_other(value, style)}</c>')
        add("</row>")
        self._pending.append("".join(parts))
        self._next_row += 1
        if len(self._pending) >= _BATCH:
            self._send_pending()

    def _send_pending(self) -> None:
        if not self._pending:
            return
        self._get_writer()
        rows: Any = getattr(self, "_rows", None)
        if rows is None:
            rows = self._rows = self._write_rows()
            next(rows)
        text = "".join(self._pending)
        rows.send(_RowsText(text.encode(), len(self._pending)))
        self._pending.clear()

    def _style_ids_of(self, styles: Sequence[Cell]) -> list[str]:
        """The templates' style ids in the workbook, looked up once per list of them."""
        found = self._style_ids.get(id(styles))
        if found is None or found[0] is not styles:
            found = self._style_ids[id(styles)] = (styles, [str(c.style_id) for c in styles])
        return found[1]


def add_row_sheet(workbook: Workbook, title: str) -> RowSheet:
    """A ``RowSheet`` added to a write-only workbook, as ``create_sheet`` adds its own."""
    sheet = RowSheet(workbook, title)
    workbook._add_sheet(sheet)
    return sheet


def _escaped(value: str) -> str:
    """Text as XML holds it (what lxml writes: ``& < >`` and a carriage return)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _other(value: Any, style: str) -> str:
    """A cell's attributes and value for what is not text, an int or a modern date."""
    if isinstance(value, bool):
        return f's="{style}" t="b"><v>{"1" if value else "0"}</v>'
    if isinstance(value, dt.datetime | dt.date):
        return f's="{style}" t="n"><v>{to_excel(value)!r}</v>'
    return f's="{style}" t="n"><v>{value!r}</v>'


_LETTERS = [get_column_letter(i) for i in range(1, 100)]
