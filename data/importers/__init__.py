"""Reading a plan file (text, .docx, .xlsx) into tasks, refusing bad files clearly.

``load_document`` is the one entry point: it checks size and type, picks the
reader, and interprets the grid. Nothing here touches the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data.importers.errors import ImportFailure
from data.importers.grid import Grid
from data.importers.interpret import (
    ImportWarning,
    ParsedDocument,
    document_title,
    find_doc_date,
    interpret_grid,
)
from data.importers.prose import document_kind, find_opening_date, read_prose
from data.importers.text_reader import read_text
from data.text import unit_key
from data.units import UnitRegistry

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".tsv", ".text"}
SUPPORTED = ".txt, .md, .docx, .xlsx"

__all__ = ["ImportFailure", "LoadedFile", "load_document", "read_file"]


@dataclass(frozen=True)
class LoadedFile:
    name: str
    suffix: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def read_file(path: Path, max_bytes: int | None = None) -> LoadedFile:
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    if not path.is_file():
        raise ImportFailure(f"Không tìm thấy tệp «{path}».")
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFailure(
            f"Tệp «{path.name}» quá lớn ({size / 1048576:.1f} MB); giới hạn là "
            f"{max_bytes / 1048576:.0f} MB. Hãy tách phụ lục ra tệp riêng."
        )
    return LoadedFile(path.name, path.suffix.lower(), path.read_bytes())


def _decode(content: bytes, name: str) -> str:
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailure(f"Tệp «{name}» không phải văn bản (có byte nhị phân).")
    encoding = "utf-16" if content.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        pass
    raise ImportFailure(f"Tệp «{name}» không ở mã UTF-8. Hãy lưu lại với mã hóa UTF-8 (Unicode).")


def to_grid(loaded: LoadedFile) -> Grid:
    if not loaded.content:
        raise ImportFailure(f"Tệp «{loaded.name}» rỗng.")
    if loaded.suffix in TEXT_SUFFIXES:
        return read_text(_decode(loaded.content, loaded.name))
    if loaded.suffix == ".docx":
        from data.importers.docx_reader import read_docx

        return read_docx(loaded.content)
    if loaded.suffix in {".xlsx", ".xlsm"}:
        from data.importers.xlsx_reader import read_xlsx

        return read_xlsx(loaded.content)
    if loaded.suffix in {".doc", ".xls", ".pdf", ".odt", ".ods", ".rtf"}:
        raise ImportFailure(
            f"Chưa đọc được định dạng {loaded.suffix} («{loaded.name}»). Hãy mở bằng Word/Excel "
            f"và lưu lại dưới dạng .docx hoặc .xlsx."
        )
    raise ImportFailure(
        f"Định dạng «{loaded.suffix or loaded.name}» không được hỗ trợ; dùng {SUPPORTED}."
    )


def _letterhead_lines(grid: Grid) -> list[str]:
    """Cell lines of the first rows of each table: a letterhead table holds the date."""
    return [
        line
        for block in grid.blocks
        for row in block.rows[:3]
        for cell in row.cells
        for line in cell.text.split("\n")
    ]


def load_document(
    loaded: LoadedFile, units: UnitRegistry, *, doc_date: date | None, today: date
) -> ParsedDocument:
    """File → tasks and warnings. Raises ImportFailure (Vietnamese) for files it refuses."""
    grid = to_grid(loaded)
    has_table = any(block.rows for block in grid.blocks)
    # The text itself (bold marks, line numbers) for the prose reader; prose lines otherwise.
    text = _decode(loaded.content, loaded.name) if loaded.suffix in TEXT_SUFFIXES else None
    notes: list[ImportWarning] = []
    if doc_date is None:
        doc_date = (
            find_doc_date(grid.prose)
            or find_doc_date(_letterhead_lines(grid))
            or find_opening_date(grid.prose)
        )
    if doc_date is None:
        doc_date = today
        notes.append(
            ImportWarning(
                "Văn bản",
                f"Không thấy ngày ban hành trong văn bản; tạm dùng ngày {today:%d/%m/%Y} để đọc "
                "các thời hạn tương đối. Chỉ định bằng --doc-date YYYY-MM-DD.",
            )
        )
    if has_table:
        parsed = interpret_grid(grid, units, doc_date)
    else:
        parsed = ParsedDocument(document_title(grid.prose), doc_date, [], [])
    # A document without a task table, and the text around tables: tasks in sentences,
    # proposed for the office to accept (data.importers.prose).
    parsed.kind = document_kind(grid.prose)
    parsed.proposals, parsed.sentences_read = read_prose(
        text if text is not None else grid.prose, units, doc_date
    )
    names = {unit_key(n) for n in parsed.new_unit_names}
    for item in parsed.proposals:
        for name in (*item.unknown_units, *item.unknown_cooperating):
            if unit_key(name) not in names:
                names.add(unit_key(name))
                parsed.new_unit_names += (name,)
    if not parsed.items and not parsed.proposals:
        raise ImportFailure(
            f"Không thấy bảng nhiệm vụ nào trong «{loaded.name}»: không có hàng tiêu đề "
            "(TT, Nhiệm vụ, Đơn vị tham mưu/chủ trì, Thời gian) hoặc bảng không có nhiệm vụ, "
            "và không có câu nào giao việc cho một đơn vị."
        )
    parsed.warnings[:0] = notes
    return parsed
