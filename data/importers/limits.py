"""How much of a plan the readers take in, checked while reading, not after.

The office's largest real plan has about 300 table rows of 4 to 8 columns,
roughly 150,000 characters. The limits leave a wide margin above that yet keep
the worst file that is accepted within seconds and a few hundred megabytes:

- ``MAX_ROWS`` 20,000 table rows: over 60 times the largest plan.
- ``MAX_COLUMNS`` 100 cells in one row: a plan table has 4 to 8 columns, and Word
  itself allows at most 63.
- ``MAX_CELLS`` 400,000 cells (empty and merged ones included): 20,000 rows of 20
  columns. What the interpreter walks grows with it.
- ``MAX_CELL_CHARS`` 5,000 characters in one cell: about two printed pages, ten
  times the longest task description seen; a longer "cell" is a pasted document
  and only slows the unit and deadline readers.
- ``MAX_TEXT_CHARS`` 5,000,000 characters in all (cells and paragraphs): about
  2,000 printed pages, over 30 times the largest plan; it bounds the text a file
  can make the interpreter hold, whatever its shape.

Each reader keeps one ``Budget`` and charges every row, cell and paragraph as it
reads it, so a hostile file is refused at the first row over a limit, before the
rest is built. ``MAX_XML_ELEMENTS`` bounds what python-docx and openpyxl build
from an Office file before any row exists; ``archive`` counts it while checking.
"""

from __future__ import annotations

from data.importers.errors import ImportFailure

MAX_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELLS = 400_000
MAX_CELL_CHARS = 5_000
MAX_TEXT_CHARS = 5_000_000
# XML elements in all the parts of a .docx/.xlsx that a parser reads. A parsed
# element costs about 200 bytes in lxml; a 300-row Word plan has some 150,000.
MAX_XML_ELEMENTS = 1_000_000

_ADVICE = "Hãy tách tệp hoặc chỉ giữ các bảng, phụ lục cần nhập rồi gửi lại."


def number(value: int) -> str:
    """20000 → "20.000", as Vietnamese writes it."""
    return f"{value:,}".replace(",", ".")


def too_large(what: str) -> ImportFailure:
    return ImportFailure(f"Tệp quá lớn để nhập: {what}. {_ADVICE}")


class Budget:
    """What one file has used so far; every charge refuses the file once a limit is passed."""

    def __init__(self) -> None:
        self.rows = 0
        self.cells = 0
        self.chars = 0

    def row(self, width: int, origin: str) -> None:
        """A table row of ``width`` cells, charged before its cells are built."""
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise too_large(
                f"các bảng có hơn {number(MAX_ROWS)} hàng (giới hạn {number(MAX_ROWS)} hàng; "
                f"kế hoạch lớn nhất của văn phòng chỉ khoảng 300 hàng), đến {origin}"
            )
        self.columns(width, origin)
        self.padding(width, origin)

    @staticmethod
    def columns(width: int, origin: str) -> None:
        """A row being built; a reader may check it before the row is complete."""
        if width > MAX_COLUMNS:
            raise too_large(
                f"{origin} có hơn {number(MAX_COLUMNS)} cột "
                f"(giới hạn {number(MAX_COLUMNS)} cột mỗi hàng)"
            )

    def padding(self, count: int, origin: str) -> None:
        """Cells added to rows already charged (short rows filled up to the table's width)."""
        self.cells += count
        if self.cells > MAX_CELLS:
            raise too_large(
                f"các bảng có hơn {number(MAX_CELLS)} ô (giới hạn {number(MAX_CELLS)} ô), "
                f"đến {origin}"
            )

    def cell(self, text: str, origin: str) -> None:
        """The text of one cell, once (a merged cell's copies are not charged again)."""
        if len(text) > MAX_CELL_CHARS:
            raise too_large(
                f"một ô ở {origin} dài {number(len(text))} ký tự "
                f"(giới hạn {number(MAX_CELL_CHARS)} ký tự mỗi ô)"
            )
        self.text(text)

    def text(self, text: str) -> None:
        """Any text kept from the file: cells and paragraphs."""
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise too_large(
                f"văn bản dài hơn {number(MAX_TEXT_CHARS)} ký tự "
                f"(giới hạn {number(MAX_TEXT_CHARS)} ký tự cho cả tệp)"
            )
