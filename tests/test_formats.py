"""The same plan as text, .docx (merged cells) and .xlsx imports to the same tasks; the
.docx and .xlsx readers read and refuse alike."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from data.importers.docx_reader import read_docx
from data.importers.errors import ImportFailure
from data.importers.grid import Cell, Grid
from data.importers.interpret import ParsedDocument
from data.importers.text_reader import read_text
from data.importers.xlsx_reader import read_xlsx
from tests.builders import appendix_grid, grid_to_docx, grid_to_xlsx, rewrite_zip
from tests.conftest import SAMPLE_PLAN, parse_sample


def _meaning(doc: ParsedDocument) -> list[dict[str, Any]]:
    """Everything a task is, except where it stood in the file."""
    return [
        {
            "kind": i.kind,
            "appendix": i.appendix,
            "section": i.section,
            "ref": i.ref,
            "title": i.title,
            "units": i.units,
            "unknown": i.unknown_units,
            "deadline": i.deadline.to_json(),
            "value": i.value,
            "status": i.status,
            "key": i.source_key,
        }
        for i in doc.items
    ]


@pytest.mark.parametrize(("suffix", "build"), [(".docx", grid_to_docx), (".xlsx", grid_to_xlsx)])
def test_office_files_import_to_the_same_tasks(tmp_path: Path, suffix: str, build: Any) -> None:
    text_doc = parse_sample()
    grid = read_text(SAMPLE_PLAN.read_text(encoding="utf-8"))
    path = tmp_path / f"ke_hoach_mau{suffix}"
    build(grid, path)
    office_doc = parse_sample(path.read_bytes(), name=path.name)
    assert _meaning(office_doc) == _meaning(text_doc)
    assert sorted(w.message for w in office_doc.warnings) == sorted(
        w.message for w in text_doc.warnings
    )


def test_docx_really_has_merged_cells(tmp_path: Path) -> None:
    """Guard: the equality above must come through merges, not around them."""
    grid = read_text(SAMPLE_PLAN.read_text(encoding="utf-8"))
    path = tmp_path / "plan.docx"
    grid_to_docx(grid, path)
    xml = "".join(t._tbl.xml for t in docx.Document(str(path)).tables)
    assert xml.count("<w:vMerge/>") + xml.count('w:val="continue"') > 3
    assert "w:gridSpan" in xml


def test_xlsx_really_has_merged_cells(tmp_path: Path) -> None:
    grid = read_text(SAMPLE_PLAN.read_text(encoding="utf-8"))
    path = tmp_path / "plan.xlsx"
    grid_to_xlsx(grid, path)
    book = openpyxl.load_workbook(path)
    assert sum(len(ws.merged_cells.ranges) for ws in book.worksheets) > 3


# --- the same reader behaviour on .docx and .xlsx -----------------------------------------


@dataclass(frozen=True)
class Format:
    suffix: str
    app: str
    legacy: str
    main_part: str  # the part python-docx/openpyxl cannot do without
    content_part: str  # where the table rows are
    read: Callable[[bytes], Grid]
    build: Callable[[Grid, Path], None]
    plain: Callable[[], bytes]  # a minimal valid file
    parts: tuple[str, ...]  # XML parts a parser reads, for the DOCTYPE checks
    origins: tuple[str, str]  # the first block's first row, the second block's fourth row


def _plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Nội dung")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _plain_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "PL3"
    workbook.active.append(["TT", "Nhiệm vụ"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DOCX = Format(
    ".docx",
    "Word",
    ".doc",
    "word/document.xml",
    "word/document.xml",
    read_docx,
    grid_to_docx,
    _plain_docx,
    ("word/document.xml", "word/styles.xml"),
    ("bảng 1, hàng 1", "bảng 2, hàng 4"),
)
XLSX = Format(
    ".xlsx",
    "Excel",
    ".xls",
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    read_xlsx,
    grid_to_xlsx,
    _plain_xlsx,
    ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"),
    ("trang tính 'PL1', hàng 4", "trang tính 'PL2', hàng 7"),  # two title rows, a blank row
)
FORMATS = [pytest.param(DOCX, id="docx"), pytest.param(XLSX, id="xlsx")]


def _refused(fmt: Format, data: bytes) -> str:
    with pytest.raises(ImportFailure) as failure:
        fmt.read(data)
    return failure.value.message


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_builder_keeps_meaning(tmp_path: Path, fmt: Format) -> None:
    original = appendix_grid()
    path = tmp_path / f"ke-hoach{fmt.suffix}"
    fmt.build(original, path)
    read = fmt.read(path.read_bytes())

    assert [block.caption for block in read.blocks] == [block.caption for block in original.blocks]
    assert read.prose == original.prose
    for before, after in zip(original.blocks, read.blocks, strict=True):
        assert len(after.rows) == len(before.rows)
        for old, new in zip(before.rows, after.rows, strict=True):
            assert [cell.text for cell in new.cells] == [cell.text for cell in old.cells]
            assert [cell.bold for cell in new.cells] == [cell.bold for cell in old.cells]

    first = read.blocks[0].rows
    assert [row.cells[2].merged_from_above for row in first] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        False,
    ]
    assert first[1].cells[2:] == (Cell("", merged_from_left=True), Cell("", merged_from_left=True))
    assert first[0].origin == fmt.origins[0]
    second = read.blocks[1].rows
    assert [row.cells[2].merged_from_above for row in second] == [False, False, True, True, False]
    assert second[3].origin == fmt.origins[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_and_random_bytes_are_refused(fmt: Format) -> None:
    assert "trống" in _refused(fmt, b"")
    message = _refused(fmt, os.urandom(4096))
    assert message.startswith(f"Tệp {fmt.suffix} bị hỏng hoặc không phải tệp {fmt.app}")


@pytest.mark.parametrize("fmt", FORMATS)
def test_legacy_file_is_refused_with_advice(fmt: Format) -> None:
    message = _refused(fmt, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert f"({fmt.legacy})" in message
    assert "mật khẩu" in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_file_is_refused(fmt: Format) -> None:
    data = fmt.plain()
    assert "bị hỏng" in _refused(fmt, data[: len(data) // 2])
    assert "bị hỏng" in _refused(fmt, data[: len(data) - 200])


@pytest.mark.parametrize("fmt", FORMATS)
def test_zip_without_main_part_is_refused(fmt: Format) -> None:
    data = rewrite_zip(fmt.plain(), {}, drop=frozenset({fmt.main_part}))
    assert "không tìm thấy phần nội dung chính" in _refused(fmt, data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_zip_is_refused(fmt: Format) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as plain:
        plain.writestr("ghi-chu.txt", "xin chào")
    assert f"không phải tệp {fmt.app}" in _refused(fmt, out.getvalue())


@pytest.mark.parametrize(("fmt", "other"), [(DOCX, XLSX), (XLSX, DOCX)], ids=["docx", "xlsx"])
def test_the_other_format_sent_instead_is_named(tmp_path: Path, fmt: Format, other: Format) -> None:
    path = tmp_path / f"bang{other.suffix}"
    other.build(appendix_grid(), path)
    expected = f"là tệp {other.app} ({other.suffix}), không phải tệp {fmt.app}"
    assert expected in _refused(fmt, path.read_bytes())


@pytest.mark.parametrize("fmt", FORMATS)
def test_malformed_content_xml_becomes_import_failure(fmt: Format) -> None:
    broken = b"<w:document><w:body>" if fmt is DOCX else b"<worksheet><sheetData>"
    data = rewrite_zip(fmt.plain(), {fmt.content_part: broken})
    assert "bị hỏng" in _refused(fmt, data)


def _with_doctype(source: bytes, part: str, *, reference: bool) -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(source)).read(part)
    laughs = b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    if reference:  # the entity used in the text, as a billion-laughs file would
        xml = xml.replace("Nội dung".encode(), b"&b;")
    if xml.startswith(b"<?xml"):
        declaration, rest = xml.split(b"?>", 1)
        return rewrite_zip(source, {part: declaration + b"?>" + laughs + rest})
    return rewrite_zip(source, {part: laughs + xml})


@pytest.mark.parametrize(
    ("fmt", "part"),
    [pytest.param(fmt, part, id=part) for fmt in (DOCX, XLSX) for part in fmt.parts],
)
def test_doctype_entity_is_refused(fmt: Format, part: str) -> None:
    data = _with_doctype(fmt.plain(), part, reference=part == "word/document.xml")
    assert "DOCTYPE/ENTITY" in _refused(fmt, data)


def _with_filler(source: bytes, part: str, filler: bytes, size: int) -> bytes:
    """``part`` (replaced or added) made of ``size`` bytes of ``filler``: a zip bomb."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in original.infolist():
            if info.filename != part:
                target.writestr(info.filename, original.read(info))
        with target.open(part, "w") as stream:
            chunk = filler * (1024 * 1024)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["content", "media"])
def test_zip_bomb_by_ratio_is_refused(fmt: Format, where: str) -> None:
    folder = fmt.main_part.split("/")[0]
    part = fmt.content_part if where == "content" else f"{folder}/media/filler.bin"
    filler = b" " if where == "content" else b"\x00"
    data = _with_filler(fmt.plain(), part, filler, 20 * 1024 * 1024)
    assert f"tỷ lệ nén bất thường ở phần '{part}'" in _refused(fmt, data)
