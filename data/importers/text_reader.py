"""The text form of a plan: prose lines, markdown headings, tab-separated table rows.

This is what the office's Word files look like once converted to text (the seed
documents): a table row is a line with tabs, a bold cell is wrapped in ``<b>``,
and a blank line (a page break) ends a block of rows.
"""

from __future__ import annotations

import re

from data.importers.grid import Block, Cell, Grid, Row
from data.text import clean

_BOLD_CELL = re.compile(r"^\s*(<b>.*</b>|\*\*.*\*\*)\s*$", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s*")


def _cell(raw: str) -> Cell:
    text = clean(raw)
    return Cell(text=text, bold=bool(text) and bool(_BOLD_CELL.match(raw)))


def read_text(content: str) -> Grid:
    grid = Grid()
    block = Block()
    for number, line in enumerate(content.splitlines(), start=1):
        if "\t" in line:
            block.rows.append(Row(tuple(_cell(c) for c in line.split("\t")), f"dòng {number}"))
            continue
        text = clean(_HEADING.sub("", line))
        if block.rows:  # any non-table line (blank included) closes the block
            grid.blocks.append(block)
            block = Block()
        if text:
            block.caption.append(text)
            grid.prose.append(text)
    if block.rows:
        grid.blocks.append(block)
    return grid
