"""Read a Word (.docx) plan into the common grid.

Works on the XML rather than python-docx's ``row.cells``: that API repeats one
cell object for every grid column a span covers, which would duplicate a merged
unit cell's text and hide that it was merged. Here each ``w:tc`` is read once and
the covered grid columns are marked, so the interpreter can tell a unit cell
spanning three task rows from three rows naming the same unit.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from data.importers.archive import DOCX, check_archive, parser_errors
from data.importers.grid import Block, Cell, Grid, Row
from data.importers.limits import Budget
from data.text import clean

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Subtrees whose text Word does not show: deleted or moved-away revisions, and the
# legacy copy of a text box that Word writes next to the modern one.
# Property elements are skipped too: a tab stop is a w:tab inside w:pPr, not text.
_HIDDEN = frozenset(
    {qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK, qn("w:instrText")}
    | {qn(f"w:{name}") for name in ("pPr", "rPr", "tcPr", "trPr", "tblPr", "tblGrid")}
)
# Wrappers around paragraphs, tables, rows or cells (content controls, custom XML).
_WRAPPERS = frozenset({qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")})
_TEXT = {qn("w:t"): None, qn("w:tab"): " ", qn("w:br"): " ", qn("w:cr"): " "}
_TEXT |= {qn("w:noBreakHyphen"): "-", qn("w:softHyphen"): ""}
_FALSE = frozenset({"0", "false", "off", "none"})


def read_docx(data: bytes) -> Grid:
    """Each table is a block (rows in grid columns), captioned by the paragraphs before it."""
    check_archive(data, DOCX)
    with parser_errors(DOCX):
        document = docx.Document(io.BytesIO(data))
        styles = _StyleBold(document.styles.element)
        return _read_body(document.element.body, styles)


def _read_body(body: BaseOxmlElement, styles: _StyleBold) -> Grid:
    grid = Grid()
    pending: list[str] = []
    budget = Budget()
    for element in _flatten(body, (qn("w:p"), qn("w:tbl"))):
        if element.tag == qn("w:p"):
            text = clean(_paragraph_text(element))
            budget.text(text)
            if text:
                pending.append(text)
                grid.prose.append(text)
        else:
            number = len(grid.blocks) + 1
            rows = _read_table(element, number, styles, budget)
            grid.blocks.append(Block(caption=pending, rows=rows))
            pending = []
    return grid


def _flatten(parent: BaseOxmlElement, wanted: tuple[str, ...]) -> Iterator[BaseOxmlElement]:
    """Children of ``parent`` with a wanted tag, looking through content-control wrappers."""
    for child in parent.iterchildren():
        if child.tag in wanted:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _flatten(child, wanted)


def _visible(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Descendants in document order, skipping text Word does not display."""
    for child in element.iterchildren():
        if not isinstance(child.tag, str) or child.tag in _HIDDEN:
            continue  # comments, processing instructions, deleted text
        yield child
        yield from _visible(child)


def _paragraph_text(paragraph: BaseOxmlElement) -> str:
    parts: list[str] = []
    for node in _visible(paragraph):
        if node.tag in _TEXT:
            replacement = _TEXT[node.tag]
            parts.append((node.text or "") if replacement is None else replacement)
    return "".join(parts)


def _paragraphs(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Paragraphs of a cell in order, nested tables' paragraphs included (their text is kept)."""
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield child
        elif isinstance(child.tag, str) and child.tag not in _HIDDEN:
            yield from _paragraphs(child)


def _read_table(
    table: BaseOxmlElement, number: int, styles: _StyleBold, budget: Budget
) -> list[Row]:
    grid_cols = table.find(qn("w:tblGrid"))
    width = 0 if grid_cols is None else len(grid_cols.findall(qn("w:gridCol")))
    anchors: dict[int, Cell] = {}  # grid column -> the cell a vertical merge continues
    rows: list[list[Cell]] = []
    for tr in _flatten(table, (qn("w:tr"),)):
        origin = f"bảng {number}, hàng {len(rows) + 1}"
        cells: list[Cell] = [Cell("")] * _tr_int(tr, "w:gridBefore")
        for tc in _flatten(tr, (qn("w:tc"),)):
            column = len(cells)
            budget.columns(column, origin)  # before the next cell is read
            span = max(1, _tc_int(tc, "w:gridSpan"))
            anchor = anchors.get(column)
            if _merge_value(tc, "w:vMerge") == "continue" and anchor is not None:
                first = Cell(anchor.text, bold=anchor.bold, merged_from_above=True)
            elif _merge_value(tc, "w:hMerge") == "continue" and cells:
                first = Cell("", merged_from_left=True)  # Word 97-era horizontal merge
            else:
                first = _read_cell(tc, styles)
                budget.cell(first.text, origin)
                for covered in range(column + 1, column + span):
                    anchors.pop(covered, None)
                anchors[column] = first
            cells.append(first)
            cells.extend([Cell("", merged_from_left=True)] * (span - 1))
        cells.extend([Cell("")] * _tr_int(tr, "w:gridAfter"))
        budget.row(len(cells), origin)
        rows.append(cells)
    width = max([width, *(len(cells) for cells in rows)])
    budget.columns(width, f"bảng {number}")
    budget.padding(sum(width - len(cells) for cells in rows), f"bảng {number}")
    return [
        Row(tuple(cells + [Cell("")] * (width - len(cells))), f"bảng {number}, hàng {index}")
        for index, cells in enumerate(rows, start=1)
    ]


def _read_cell(tc: BaseOxmlElement, styles: _StyleBold) -> Cell:
    texts: list[str] = []
    runs_bold: list[bool] = []
    for paragraph in _paragraphs(tc):
        text = clean(_paragraph_text(paragraph))
        if text:
            texts.append(text)
        style = _property_value(paragraph.find(qn("w:pPr")), "w:pStyle")
        for run in _visible(paragraph):
            if run.tag == qn("w:r") and clean(_paragraph_text(run)):
                runs_bold.append(styles.run_is_bold(run, style))
    # Paragraphs stay lines: two names on two lines of a unit cell are two units.
    return Cell("\n".join(texts), bold=bool(runs_bold) and all(runs_bold))


def _property_value(properties: BaseOxmlElement | None, tag: str) -> str | None:
    """``w:val`` of a child property element; "" when present without a value."""
    if properties is None:
        return None
    node = properties.find(qn(tag))
    return None if node is None else str(node.get(qn("w:val"), ""))


def _tc_int(tc: BaseOxmlElement, tag: str) -> int:
    return _int(_property_value(tc.find(qn("w:tcPr")), tag))


def _tr_int(tr: BaseOxmlElement, tag: str) -> int:
    return _int(_property_value(tr.find(qn("w:trPr")), tag))


def _int(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 1000))  # a hostile span must not allocate millions
    except ValueError:
        return 0


def _merge_value(tc: BaseOxmlElement, tag: str) -> str | None:
    """ "restart", "continue" (also when the attribute is absent, per the standard) or None."""
    value = _property_value(tc.find(qn("w:tcPr")), tag)
    if value is None:
        return None
    return value or "continue"


def _bold_value(properties: BaseOxmlElement | None) -> bool | None:
    value = _property_value(properties, "w:b")
    return None if value is None else value.lower() not in _FALSE


@dataclass(frozen=True)
class _Style:
    bold: bool | None
    based_on: str | None


class _StyleBold:
    """Effective bold of a run: direct formatting, then character style, paragraph style, defaults.

    Clerks make headings bold as often through a style ("Heading 2", "Strong") as
    with Ctrl+B, and the interpreter relies on bold to find section headings.
    """

    def __init__(self, styles: BaseOxmlElement) -> None:
        self._styles: dict[str, _Style] = {}
        self._default_paragraph: str | None = None
        for style in styles.iterchildren(qn("w:style")):
            style_id = str(style.get(qn("w:styleId"), ""))
            based_on = _property_value(style, "w:basedOn")
            self._styles[style_id] = _Style(_bold_value(style.find(qn("w:rPr"))), based_on)
            is_default = str(style.get(qn("w:default"), "")).lower() in {"1", "true", "on"}
            if is_default and style.get(qn("w:type")) == "paragraph":
                self._default_paragraph = style_id
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._document_default = _bold_value(defaults) or False

    def _style_bold(self, style_id: str | None) -> bool | None:
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:  # basedOn may loop in a broken file
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return None
            if style.bold is not None:
                return style.bold
            style_id = style.based_on
        return None

    def run_is_bold(self, run: BaseOxmlElement, paragraph_style: str | None) -> bool:
        properties = run.find(qn("w:rPr"))
        for value in (
            _bold_value(properties),
            self._style_bold(_property_value(properties, "w:rStyle")),
            self._style_bold(paragraph_style or self._default_paragraph),
        ):
            if value is not None:
                return value
        return self._document_default
