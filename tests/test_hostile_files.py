"""Files built to stall or exhaust the importer are refused quickly, saying which limit.

The oversized files are imported by ``nhacviec import FILE --dry-run`` in a child
process, whose own time and peak memory are measured (``os.wait4``): before the
limits, a 20 MB text plan took minutes and gigabytes.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from data.importers import ImportFailure, LoadedFile, load_document, read_file
from data.importers.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    MAX_XML_ELEMENTS,
)
from data.units import UnitRegistry
from tests.builders import rewrite_zip
from tests.conftest import SAMPLE_PLAN

ROOT = Path(__file__).resolve().parents[1]
HEADER = "TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian"
TASK = "1\tQuán triệt nghị quyết\tVăn phòng Đảng ủy\tQuý II/2026"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _load(content: bytes, name: str) -> None:
    loaded = LoadedFile(name, Path(name).suffix, content)
    load_document(loaded, UnitRegistry.default(), doc_date=date(2026, 4, 1), today=date(2026, 4, 1))


def _refused(content: bytes, name: str = "ke_hoach.txt") -> str:
    with pytest.raises(ImportFailure) as failure:
        _load(content, name)
    return failure.value.message


def _cli_import(path: Path, tmp_path: Path, timeout: float = 30) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak MB) of ``nhacviec import PATH --dry-run``.

    The peak is the child's own high-water mark (``VmHWM``, written by the child as it
    exits): Linux carries ``ru_maxrss`` over ``exec`` from the forking process, so the
    rusage of a child started by a large test process reports the parent's size."""
    env = {**os.environ, "NHACVIEC_DATA_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}
    env.pop("NHACVIEC_DATABASE_URL", None)
    err = tmp_path / "stderr.txt"
    peak_file = tmp_path / "peak_kb.txt"
    code = (
        "import atexit, re, sys\n"
        f"peak = {str(peak_file)!r}\n"
        "def _peak():\n"
        "    status = open('/proc/self/status').read()\n"
        "    open(peak, 'w').write(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "atexit.register(_peak)\n"
        "from bot.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    start = time.perf_counter()
    with err.open("wb") as err_file:
        process = subprocess.Popen(
            [sys.executable, "-c", code, "import", str(path), "--dry-run"],
            stdout=subprocess.DEVNULL,
            stderr=err_file,
            cwd=tmp_path,
            env=env,
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    peak_kb = int(peak_file.read_text()) if peak_file.exists() else usage.ru_maxrss
    return process.returncode, err.read_text("utf-8"), seconds, peak_kb / 1024


def _assert_refused_quickly(path: Path, tmp_path: Path, expected: str) -> None:
    code, err, seconds, peak_mb = _cli_import(path, tmp_path)
    assert code == 2, err
    assert err.startswith("Không nhập được: ")
    assert expected in err
    assert "Hãy tách tệp" in err
    # Python with the bot's libraries alone is ~100 MB; before, these took 1.4-2.3 GB.
    assert peak_mb < 400
    assert seconds < 15


# --- text --------------------------------------------------------------------------------


def test_twenty_megabyte_text_plan_is_refused_in_a_moment(tmp_path: Path) -> None:
    sample = SAMPLE_PLAN.read_bytes()
    path = tmp_path / "ke_hoach_lon.txt"
    path.write_bytes(sample * ((20 * 1024 * 1024 - 4096) // len(sample)))
    read_file(path)  # under the file-size limit: only the new limits refuse it
    _assert_refused_quickly(path, tmp_path, "dòng (giới hạn 200.000 dòng)")


def test_text_rows_over_the_limit_are_refused_at_the_first_row_over() -> None:
    rows = "\n".join([HEADER, *(TASK for _ in range(MAX_ROWS + 5))])
    message = _refused(rows.encode())
    assert message.startswith("Tệp quá lớn để nhập: các bảng có hơn 20.000 hàng")
    assert f"đến dòng {MAX_ROWS + 1}" in message
    assert MAX_ROWS == 20_000


def test_text_row_with_too_many_cells_is_refused_before_splitting() -> None:
    line = "\t".join(["x"] * (MAX_COLUMNS + 1))
    message = _refused(f"{HEADER}\n{line}\n".encode())
    assert "dòng 2 có hơn 100 cột (giới hạn 100 cột mỗi hàng)" in message
    huge = "1\t" * 5_000_000
    assert "dòng 2 có hơn 100 cột" in _refused(f"{HEADER}\n{huge}\n".encode())


def test_text_cell_over_the_limit_is_refused_and_one_at_the_limit_read() -> None:
    at_limit = "Quán triệt " + "x" * (MAX_CELL_CHARS - 11)
    assert len(at_limit) == MAX_CELL_CHARS == 5_000
    plan = f"{HEADER}\n1\t{at_limit}\tVăn phòng Đảng ủy\tQuý II/2026\n"
    _load(plan.encode(), "ke_hoach.txt")
    message = _refused(plan.replace(at_limit, at_limit + "x").encode())
    assert "một ô ở dòng 2 dài 5.001 ký tự (giới hạn 5.000 ký tự mỗi ô)" in message


def test_text_over_the_total_character_limit_is_refused() -> None:
    paragraph = "Đoạn văn " + "v" * 3_990
    lines = [paragraph] * (MAX_TEXT_CHARS // len(paragraph) + 1)
    message = _refused("\n".join([*lines, HEADER, TASK]).encode())
    assert "văn bản dài hơn 5.000.000 ký tự" in message


# --- Office files ------------------------------------------------------------------------


def _docx_with_body(body: str) -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    source = out.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(source)).read("word/document.xml").decode()
    head, tail = xml.split("<w:body>", 1)
    return rewrite_zip(source, {"word/document.xml": (head + "<w:body>" + body + tail).encode()})


def _docx_table(rows: list[list[str]]) -> bytes:
    cells = (
        "".join(f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>" for text in row)
        for row in rows
    )
    return _docx_with_body("<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in cells) + "</w:tbl>")


def _xlsx_sheet(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["TT", "Nhiệm vụ"])
    out = io.BytesIO()
    workbook.save(out)
    source = out.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(source)).read("xl/worksheets/sheet1.xml").decode()
    head, rest = xml.split("<sheetData>", 1)
    tail = rest.split("</sheetData>", 1)[1]
    body = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    sheet = head + "<sheetData>" + body + "</sheetData>" + tail
    return rewrite_zip(source, {"xl/worksheets/sheet1.xml": sheet.encode()})


def _numbered(count: int) -> list[list[str]]:
    return [["TT", "Nhiệm vụ", "Đơn vị", "Thời gian"]] + [
        [str(i), f"Việc {i:x}"] for i in range(count)
    ]


def _many_elements(build: Callable[[list[list[str]]], bytes]) -> bytes:
    """Over the element limit, built fast: one distinct 2,000-row run (longer than deflate's
    32 KB window, so the ratio stays that of real XML), repeated."""
    data = build(_numbered(2_000))
    part = "word/document.xml" if b"word/document.xml" in data else "xl/worksheets/sheet1.xml"
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part)
    start = xml.index(b"<w:tr>" if part.startswith("word") else b"<row ")
    end = xml.rindex(b"</w:tr>" if part.startswith("word") else b"</row>") + 7
    run = xml[start:end]
    copies = MAX_XML_ELEMENTS // (run.count(b"<") - run.count(b"</")) + 1
    return rewrite_zip(data, {part: xml[:start] + run * copies + xml[end:]})


OFFICE = [(".docx", _docx_table), (".xlsx", _xlsx_sheet)]


@pytest.mark.parametrize(("suffix", "build"), OFFICE)
def test_office_file_over_the_xml_element_limit_is_refused_in_a_moment(
    tmp_path: Path, suffix: str, build: Callable[[list[list[str]]], bytes]
) -> None:
    """Inside every zip limit (size, ratio), yet a tree of millions of elements."""
    path = tmp_path / f"ke_hoach_lon{suffix}"
    path.write_bytes(_many_elements(build))
    read_file(path)
    _assert_refused_quickly(path, tmp_path, "hơn 1.000.000 thành phần XML")


@pytest.mark.parametrize(("suffix", "build"), OFFICE)
def test_office_rows_over_the_limit_are_refused(
    suffix: str, build: Callable[[list[list[str]]], bytes]
) -> None:
    message = _refused(build(_numbered(MAX_ROWS + 1)), f"ke_hoach{suffix}")
    assert "hơn 20.000 hàng" in message
    assert "hàng 20001" in message  # the header and 20,000 rows are read; the next is not


@pytest.mark.parametrize(
    ("suffix", "build", "where"),
    [(".docx", _docx_table, "bảng 1, hàng 2"), (".xlsx", _xlsx_sheet, "trang tính 'Sheet', ô B2")],
)
def test_office_cell_over_the_limit_is_refused(
    suffix: str, build: Callable[[list[list[str]]], bytes], where: str
) -> None:
    rows = [["TT", "Nhiệm vụ"], ["1", "y" * (MAX_CELL_CHARS + 1)]]
    message = _refused(build(rows), f"ke_hoach{suffix}")
    assert f"một ô ở {where} dài 5.001 ký tự (giới hạn 5.000 ký tự mỗi ô)" in message


def test_docx_row_with_too_many_cells_is_refused() -> None:
    message = _refused(_docx_table([["x"] * (MAX_COLUMNS + 2)]), "ke_hoach.docx")
    assert "bảng 1, hàng 1 có hơn 100 cột" in message


# --- XML parts in encodings that hide a DOCTYPE ------------------------------------------


def _office_part(suffix: str) -> tuple[bytes, str]:
    if suffix == ".docx":
        return _docx_table(_numbered(2)), "word/document.xml"
    return _xlsx_sheet(_numbered(2)), "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_utf7_doctype_is_refused(suffix: str) -> None:
    source, part = _office_part(suffix)
    xml = zipfile.ZipFile(io.BytesIO(source)).read(part)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    utf7 = (
        b'<?xml version="1.0" encoding="UTF-7"?>'
        b"+ADw-!DOCTYPE d +AFs-+ADw-!ENTITY a +ACI-aaaa+ACI-+AD4-+AF0-+AD4-" + body
    )
    assert b"<!DOCTYPE" not in utf7 and b"<!ENTITY" not in utf7
    message = _refused(rewrite_zip(source, {part: utf7}), f"ke_hoach{suffix}")
    assert f"phần '{part}' dùng bảng mã 'utf-7', không phải UTF-8/UTF-16" in message


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
@pytest.mark.parametrize(
    "head", [b'<?xml version="1.0" encoding="ISO-8859-1"?>', b"\x00\x00\x00<", b"\x4c\x6f\xa7\x94"]
)
def test_other_encodings_are_refused(suffix: str, head: bytes) -> None:
    source, part = _office_part(suffix)
    message = _refused(rewrite_zip(source, {part: head + b"<x/>"}), f"ke_hoach{suffix}")
    assert "không phải UTF-8/UTF-16" in message


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_lower_case_utf8_declaration_is_read(suffix: str) -> None:
    source, part = _office_part(suffix)
    xml = zipfile.ZipFile(io.BytesIO(source)).read(part)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    declared = b"<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + body
    _load(rewrite_zip(source, {part: declared}), f"ke_hoach{suffix}")


# --- .xlsx formulas without saved values -------------------------------------------------


def _workbook_with_formula(hidden: bool = False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "PL1"
    sheet.append(["TT", "Nhiệm vụ", "Đơn vị tham mưu", "Thời gian"])
    sheet.append(["1", "Quán triệt nghị quyết", "Văn phòng Đảng ủy", '="Quý II/2026"'])
    if hidden:
        sheet["D2"] = "Quý II/2026"
        lists = workbook.create_sheet("DanhMuc")
        lists.append(["=1+1"])
        lists.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_formulas_never_calculated_ask_to_save_in_excel_first() -> None:
    message = _refused(_workbook_with_formula(), "ke_hoach.xlsx")
    assert "Không thấy bảng" not in message
    assert message.startswith("Trang tính 'PL1' có 1 ô công thức chưa có giá trị đã tính (ô D2)")
    assert "Hãy mở tệp bằng Excel (hoặc LibreOffice Calc), lưu lại rồi gửi lại." in message


def test_formula_in_a_hidden_sheet_does_not_block_the_import() -> None:
    _load(_workbook_with_formula(hidden=True), "ke_hoach.xlsx")


# --- prose: sentences no clerk writes -----------------------------------------------------


def test_a_notice_of_endless_comma_lists_is_read_in_seconds() -> None:
    """Ten "sentences" of 20,000 characters each (hundreds of bodies and places in a row):
    the clause stage once looked back from every comma over the whole prefix, ~9 s a
    sentence (~90 s here); now a sentence is read in pieces and each look-back is bounded,
    and each still gives its dated proposal."""
    names = "UBND huyện Vũ Thư, thành phố Long Khánh, xã Tân Hiệp, " * 370
    body = "\n".join(
        f"{i}. Giao Sở Tài chính chủ trì, phối hợp với {names}hoàn thành trước ngày 20/5/2026."
        for i in range(1, 11)
    )
    text = f"THÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh\n{body}\n"
    start = time.perf_counter()
    doc = load_document(
        LoadedFile("thong_bao.txt", ".txt", text.encode()),
        UnitRegistry([]),
        doc_date=date(2026, 4, 1),
        today=date(2026, 4, 1),
    )
    assert time.perf_counter() - start < 15
    dated = [p for p in doc.proposals if p.deadline.due == date(2026, 5, 19)]
    assert len(dated) == 10  # (its owner is the clerk's to check: no clerk writes this)
