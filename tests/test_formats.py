"""The same plan as text, .docx (merged cells) and .xlsx imports to the same tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from data.importers.interpret import ParsedDocument
from data.importers.text_reader import read_text
from tests.builders import grid_to_docx, grid_to_xlsx
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
    import docx

    grid = read_text(SAMPLE_PLAN.read_text(encoding="utf-8"))
    path = tmp_path / "plan.docx"
    grid_to_docx(grid, path)
    xml = "".join(t._tbl.xml for t in docx.Document(str(path)).tables)
    assert xml.count("<w:vMerge/>") + xml.count('w:val="continue"') > 3
    assert "w:gridSpan" in xml


def test_xlsx_really_has_merged_cells(tmp_path: Path) -> None:
    import openpyxl

    grid = read_text(SAMPLE_PLAN.read_text(encoding="utf-8"))
    path = tmp_path / "plan.xlsx"
    grid_to_xlsx(grid, path)
    book = openpyxl.load_workbook(path)
    assert sum(len(ws.merged_cells.ranges) for ws in book.worksheets) > 3
