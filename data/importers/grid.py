"""The common shape every reader produces: tables of rows of cells.

Readers (text, .docx, .xlsx) only turn a file into this grid; what a row *means*
(header, heading, task, continuation, target) is decided once, in ``interpret``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell as the reader saw it.

    ``merged_from_above``: the cell continues a vertically merged cell; ``text``
    then repeats the anchor's text (a unit cell spanning several task rows).
    ``merged_from_left``: the cell continues a horizontally merged cell; its text
    is empty (a section heading spanning the whole row).
    """

    text: str  # cleaned; the lines of a cell are kept (separated by "\n")
    bold: bool = False
    merged_from_above: bool = False
    merged_from_left: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    origin: str  # where a clerk finds it: "dòng 527", "bảng 3, hàng 12", "trang tính 'PL3', hàng 7"


@dataclass
class Block:
    """A run of table rows, with the prose that came before it (captions, appendix titles).

    A page break in the text form ends a block; a .docx table or an .xlsx sheet is
    one block. ``caption`` is what stood between the previous block and this one.
    """

    caption: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


@dataclass
class Grid:
    blocks: list[Block] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)  # document text outside tables (title, date)
