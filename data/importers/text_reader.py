"""The text form of a plan: prose lines, markdown headings, tab-separated table rows.

This is what the office's Word files look like once converted to text (the seed
documents): a table row is a line with tabs, a bold cell is wrapped in ``<b>``,
and a blank line (a page break) ends a block of rows.
"""

from __future__ import annotations

import re

from data.importers.grid import Block, Cell, Grid, Row
from data.importers.limits import Budget, number, too_large
from data.text import clean

_BOLD_CELL = re.compile(r"^\s*(<b>.*</b>|\*\*.*\*\*)\s*$", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s*")
# The boundaries str.splitlines uses.
_LINE_BREAKS = ("\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
# Lines of any kind, blank ones too (each costs a step): the 20,000 table rows with
# their captions and headings fit many times over; a 300-row plan is about 1,000 lines.
MAX_LINES = 200_000


def _cell(raw: str) -> Cell:
    text = clean(raw)
    return Cell(text=text, bold=bool(text) and bool(_BOLD_CELL.match(raw)))


def read_text(content: str) -> Grid:
    """Lines are read in order; ``Budget`` refuses the file at the first line over a limit.

    Raw text is charged, before cleaning, so a refused line costs no more than a look.
    """
    lines = _line_count(content)
    if lines > MAX_LINES:
        raise too_large(f"tệp văn bản có {number(lines)} dòng (giới hạn {number(MAX_LINES)} dòng)")
    grid = Grid()
    block = Block()
    budget = Budget()
    for number_, line in enumerate(content.splitlines(), start=1):
        if "\t" in line:
            origin = f"dòng {number_}"
            budget.row(line.count("\t") + 1, origin)  # before splitting: a line may hold 10⁷ tabs
            raw = line.split("\t")
            for part in raw:
                budget.cell(part, origin)
            block.rows.append(Row(tuple(_cell(part) for part in raw), origin))
            continue
        budget.text(line)
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


def _line_count(content: str) -> int:
    """What ``str.splitlines`` would return, counted without building the list."""
    breaks = sum(content.count(mark) for mark in _LINE_BREAKS) - content.count("\r\n")
    return breaks + bool(content and not content.endswith(_LINE_BREAKS))
