"""The .docx reader: tables to blocks, merges marked, bold found, hostile files refused.

What .docx and .xlsx share (round trip, broken and hostile files) is in test_formats.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.table import Table

from data.importers import archive
from data.importers.docx_reader import read_docx
from data.importers.errors import ImportFailure
from data.importers.grid import Cell, Grid
from tests.builders import rewrite_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _bytes(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: Document, rows: list[list[str]]) -> Table:
    table: Table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return table


def _texts(grid: Grid, block: int = 0) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.blocks[block].rows]


def _plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    return _bytes(document)


# --- tables, captions, prose, origins ---------------------------------------------------


def test_tables_become_blocks_with_captions_prose_and_origins() -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("   ")
    document.add_paragraph("PHỤ LỤC 1")
    _table(document, [["TT", "Chỉ tiêu"], ["1", "Tỷ lệ che phủ rừng 55%"]])
    _table(document, [["TT", "Nhiệm vụ"]])  # no paragraph in between: empty caption
    document.add_paragraph("PHỤ LỤC 2")
    document.add_paragraph("Danh  mục\u00a0nhiệm vụ")
    _table(document, [["TT", "Nhiệm vụ"], ["1", "A"], ["2", "B"]])
    document.add_paragraph("Nơi nhận:")

    grid = read_docx(_bytes(document))

    assert [block.caption for block in grid.blocks] == [
        ["KẾ HOẠCH", "PHỤ LỤC 1"],
        [],
        ["PHỤ LỤC 2", "Danh mục nhiệm vụ"],
    ]
    assert grid.prose == ["KẾ HOẠCH", "PHỤ LỤC 1", "PHỤ LỤC 2", "Danh mục nhiệm vụ", "Nơi nhận:"]
    assert _texts(grid, 2) == [["TT", "Nhiệm vụ"], ["1", "A"], ["2", "B"]]
    assert [row.origin for row in grid.blocks[2].rows] == [
        "bảng 3, hàng 1",
        "bảng 3, hàng 2",
        "bảng 3, hàng 3",
    ]


def test_cell_paragraphs_are_cleaned_lines() -> None:
    document = docx.Document()
    table = _table(document, [["x"]])
    cell = table.cell(0, 0)
    cell.paragraphs[0].text = "Chi bộ Tổng hợp –\u00a0Nội chính;"
    cell.add_paragraph("")
    cell.add_paragraph("  Kinh tế ngành  - Văn xã ")
    grid = read_docx(_bytes(document))
    assert (
        grid.blocks[0].rows[0].cells[0].text
        == "Chi bộ Tổng hợp – Nội chính;\nKinh tế ngành - Văn xã"
    )


def test_document_without_tables_gives_prose_only() -> None:
    grid = read_docx(_plain_docx())
    assert grid.blocks == []
    assert grid.prose == ["Nội dung"]


# --- merges -------------------------------------------------------------------------------


def test_python_docx_row_cells_repeat_spanned_cells_which_the_reader_does_not() -> None:
    document = docx.Document()
    table = _table(document, [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]])
    table.cell(0, 1).merge(table.cell(0, 2))
    # python-docx hands back the same cell twice for a span: why the reader uses the XML.
    assert table.rows[0].cells[1]._tc is table.rows[0].cells[2]._tc

    grid = read_docx(_bytes(document))
    first = grid.blocks[0].rows[0].cells
    assert first[1] == Cell("b\nc")  # merge() kept both paragraphs: two lines
    assert first[2] == Cell("", merged_from_left=True)


def test_vertical_merge_carries_anchor_text_and_bold() -> None:
    document = docx.Document()
    table = _table(
        document,
        [["1", "Việc A", "Chi bộ X"], ["2", "Việc B", ""], ["3", "Việc C", ""], ["4", "D", "Y"]],
    )
    table.cell(0, 2).paragraphs[0].runs[0].bold = True
    table.cell(0, 2).merge(table.cell(2, 2))

    rows = read_docx(_bytes(document)).blocks[0].rows
    assert [row.cells[2] for row in rows] == [
        Cell("Chi bộ X", bold=True),
        Cell("Chi bộ X", bold=True, merged_from_above=True),
        Cell("Chi bộ X", bold=True, merged_from_above=True),
        Cell("Y"),
    ]
    assert all(len(row.cells) == 3 for row in rows)


def test_block_merge_spanning_rows_and_columns() -> None:
    document = docx.Document()
    table = _table(document, [["a", "b", "c", "d"], ["e", "f", "g", "h"], ["i", "j", "k", "l"]])
    table.cell(0, 1).merge(table.cell(1, 2))  # a 2x2 block

    rows = read_docx(_bytes(document)).blocks[0].rows
    assert rows[0].cells[1:] == (Cell("b\nc\nf\ng"), Cell("", merged_from_left=True), Cell("d"))
    assert rows[1].cells == (
        Cell("e"),
        Cell("b\nc\nf\ng", merged_from_above=True),
        Cell("", merged_from_left=True),
        Cell("h"),
    )
    assert [cell.text for cell in rows[2].cells] == ["i", "j", "k", "l"]


def test_raw_vmerge_without_value_grid_before_and_short_rows() -> None:
    """Written by other tools: vMerge with no w:val means continue; rows may be short."""

    def tc(text: str, properties: str = "") -> str:
        run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
        return f"<w:tc>{properties}<w:p>{run}</w:p></w:tc>"

    restart = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    bare = "<w:tcPr><w:vMerge/></w:tcPr>"
    before = '<w:trPr><w:gridBefore w:val="1"/></w:trPr>'
    body = (
        f"<w:tbl {nsdecls('w')}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{tc('1')}{tc('Đơn vị', restart)}</w:tr>"
        f"<w:tr>{tc('2')}{tc('', bare)}</w:tr>"
        f"<w:tr>{before}{tc('x')}</w:tr></w:tbl>"
    )
    document = docx.Document()
    document.element.body.insert(0, parse_xml(body))
    rows = read_docx(_bytes(document)).blocks[0].rows
    assert rows[0].cells == (Cell("1"), Cell("Đơn vị"), Cell(""))
    assert rows[1].cells == (Cell("2"), Cell("Đơn vị", merged_from_above=True), Cell(""))
    assert rows[2].cells == (Cell(""), Cell("x"), Cell(""))


def test_nested_table_text_is_kept_but_not_its_rows() -> None:
    document = docx.Document()
    table = _table(document, [["1", "Việc"]])
    inner = table.cell(0, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text = "trong 1"
    inner.cell(1, 0).text = "trong 2"
    grid = read_docx(_bytes(document))
    assert len(grid.blocks) == 1
    assert _texts(grid) == [["1", "Việc\ntrong 1\ntrong 2"]]


def test_tracked_deletions_are_not_read_and_insertions_are() -> None:
    document = docx.Document()
    table = _table(document, [["x"]])
    paragraph = parse_xml(
        f"<w:p {nsdecls('w')}><w:r><w:t>Quý </w:t></w:r>"
        "<w:del><w:r><w:delText>I</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>II</w:t></w:r></w:ins><w:r><w:t>/2026</w:t></w:r></w:p>"
    )
    tc = table.cell(0, 0)._tc
    tc.remove(tc.find(qn("w:p")))
    tc.append(paragraph)
    assert read_docx(_bytes(document)).blocks[0].rows[0].cells[0].text == "Quý II/2026"


def test_table_inside_content_control_is_read() -> None:
    document = docx.Document()
    table = _table(document, [["TT", "Nhiệm vụ"]])
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent/></w:sdt>")
    table._tbl.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(table._tbl)
    assert _texts(read_docx(_bytes(document))) == [["TT", "Nhiệm vụ"]]


# --- bold ---------------------------------------------------------------------------------


def test_bold_from_runs_styles_and_mixtures() -> None:
    document = docx.Document()
    heading = document.styles.add_style("BangDamTieuDe", WD_STYLE_TYPE.PARAGRAPH)
    heading.font.bold = True
    table = _table(document, [["", "", "", "", "", ""]])
    cells = table.rows[0].cells
    cells[0].paragraphs[0].add_run("đậm").bold = True
    cells[1].paragraphs[0].add_run("đậm ").bold = True
    cells[1].paragraphs[0].add_run("thường")
    cells[2].paragraphs[0].add_run("kiểu đoạn")
    cells[2].paragraphs[0].style = heading
    cells[3].paragraphs[0].add_run("kiểu ký tự", style="Strong")
    cells[4].paragraphs[0].style = heading
    cells[4].paragraphs[0].add_run("bỏ đậm").bold = False
    cells[5].paragraphs[0].add_run("đậm").bold = True
    cells[5].paragraphs[0].add_run("   ")  # a blank run does not count

    got = read_docx(_bytes(document)).blocks[0].rows[0].cells
    assert [cell.bold for cell in got] == [True, False, True, True, False, True]


def test_empty_cell_is_not_bold() -> None:
    document = docx.Document()
    _table(document, [["", "x"]])
    assert read_docx(_bytes(document)).blocks[0].rows[0].cells[0] == Cell("")


# --- refusals -----------------------------------------------------------------------------


def _refused(data: bytes) -> str:
    with pytest.raises(ImportFailure) as failure:
        read_docx(data)
    return failure.value.message


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_plain_docx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info))
        with target.open("word/document.xml", "w") as stream:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return out.getvalue()


def test_zip_bomb_over_total_size_is_refused() -> None:
    data = _bomb(150 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # 150 MB of spaces fit in a few hundred kilobytes
    assert "vượt quá 100 MB" in _refused(data)


def test_too_many_entries_are_refused() -> None:
    data = rewrite_zip(_plain_docx(), {f"word/media/x{i}.bin": b"" for i in range(2001)})
    assert "hơn 2.000 thành phần" in _refused(data)


def test_utf16_doctype_is_refused() -> None:
    source = _plain_docx()
    xml = zipfile.ZipFile(io.BytesIO(source)).read("word/document.xml").decode("utf-8")
    hostile = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
        "?>", '?><!DOCTYPE d [<!ENTITY a "x">]>', 1
    )
    data = rewrite_zip(source, {"word/document.xml": hostile.encode("utf-16")})
    assert "DOCTYPE/ENTITY" in _refused(data)


def test_svg_image_with_doctype_is_not_refused() -> None:
    """Illustrator SVGs carry a DOCTYPE; no parser here reads images as XML."""
    source = _plain_docx()
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'
    content_types = zipfile.ZipFile(io.BytesIO(source)).read("[Content_Types].xml")
    content_types = content_types.replace(
        b"<Default ", b'<Default Extension="svg" ContentType="image/svg+xml"/><Default ', 1
    )
    data = rewrite_zip(source, {"word/media/image1.svg": svg, "[Content_Types].xml": content_types})
    assert read_docx(data).prose == ["Nội dung"]


def test_python_docx_parser_loads_no_external_entity_and_keeps_text_references() -> None:
    """The library's own parser (resolve_entities=False), checked apart from our refusal."""
    xml = (
        b'<!DOCTYPE d [<!ENTITY a "EXPANDED"><!ENTITY ext SYSTEM "file:///etc/hostname">]>'
        b'<w:p xmlns:w="' + W.encode() + b'"><w:r><w:t>x&a;y&ext;z</w:t></w:r></w:p>'
    )
    text = parse_xml(xml).find(f".//{qn('w:t')}")
    assert text.text == "x"  # the reference stays a node; nothing is read from disk
    assert "EXPANDED" not in "".join(text.itertext())


def test_archive_limits_are_the_documented_ones() -> None:
    assert archive.MAX_ENTRIES == 2000
    assert archive.MAX_TOTAL_UNCOMPRESSED == 100 * 1024 * 1024
    assert archive.MAX_RATIO == 200
