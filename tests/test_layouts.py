"""Plans laid out by other offices' clerks (tests/data/layouts, built by build.py there).

Each sample is read the way a new office would: into an empty registry first (every
owner is a new unit, reported and collected), then again once those units exist.
Every task's title, owners, cooperating units and deadline (phrase and reading) is
asserted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data.deadlines import DeadlineKind
from data.importers import load_document, read_file
from data.importers.interpret import ParsedDocument
from data.text import unit_key
from data.units import UnitInfo, UnitRegistry, derive_code, is_chi_bo_name

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"
TODAY = date(2026, 1, 1)
DUE, ONGOING = DeadlineKind.DUE, DeadlineKind.ONGOING


def _office(names: tuple[str, ...]) -> UnitRegistry:
    """The units a new office creates from an import's new names (what --add-units does)."""
    units: list[UnitInfo] = []
    for name in names:
        code = derive_code(name, [u.code for u in units])
        units.append(UnitInfo(code, name, is_chi_bo_name(name)))
    return UnitRegistry(units)


def _read(name: str) -> tuple[ParsedDocument, ParsedDocument, UnitRegistry]:
    loaded = read_file(LAYOUTS / name)
    first = load_document(loaded, UnitRegistry([]), doc_date=None, today=TODAY)
    registry = _office(first.new_unit_names)
    again = load_document(loaded, registry, doc_date=None, today=TODAY)
    return first, again, registry


def _rows(doc: ParsedDocument, registry: UnitRegistry) -> list[tuple[Any, ...]]:
    def names(codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(unit.name for code in codes if (unit := registry.by_code(code)))

    return [
        (
            i.ref,
            i.title,
            names(i.units),
            names(i.cooperating),
            i.deadline.raw,
            i.deadline.kind,
            i.deadline.due,
        )
        for i in doc.tasks
    ]


def _unit_warnings(doc: ParsedDocument) -> list[str]:
    return [w.message for w in doc.warnings if "đơn vị" in w.message]


CASES: dict[str, dict[str, Any]] = {
    "pdf_pages.docx": {
        "doc_date": date(2026, 3, 10),
        "new": (
            "Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Văn phòng Huyện ủy",
            "Ban Tổ chức Huyện ủy",
            "UBND các xã, phường",
            "Chi bộ Phòng Kế hoạch, Tài chính",
            "Các ban, ngành, đoàn thể huyện",
            "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
            "Sở Nội vụ",
            "Sở Tài chính",
            "Sở Xây dựng",
            "Ủy ban Kiểm tra Huyện ủy",
            "Các chi bộ, đảng bộ cơ sở",
        ),
        "tasks": [
            (
                "1",
                "Ban hành kế hoạch tuyên truyền",
                ("Ban Tuyên giáo và Dân vận Tỉnh ủy",),
                ("Sở Văn hóa, Thể thao và Du lịch",),
                "Tháng 4/2026",
                DUE,
                date(2026, 4, 30),
            ),
            # cut inside the title: the rest opens the next page's table
            (
                "2",
                "Tổ chức hội nghị học tập, quán triệt Nghị quyết cho cán bộ chủ chốt toàn huyện",
                ("Văn phòng Huyện ủy", "Ban Tổ chức Huyện ủy"),
                ("UBND các xã, phường",),
                "Quý II/2026",
                DUE,
                date(2026, 6, 30),
            ),
            (
                "3",
                "Rà soát quy hoạch cán bộ",
                ("Chi bộ Phòng Kế hoạch, Tài chính",),
                ("Các ban, ngành, đoàn thể huyện",),
                "Trước ngày 15/5/2026",
                DUE,
                date(2026, 5, 14),
            ),
            # cut inside the unit cell
            (
                "4",
                "Xây dựng chuyên mục tuyên truyền trên Trang thông tin điện tử huyện",
                ("Trung tâm Văn hóa, Thể thao và Truyền thông huyện",),
                (),
                "Thường xuyên",
                ONGOING,
                None,
            ),
            # cut inside the deadline cell; scope words dropped; a colon list
            (
                "5",
                "Sơ kết việc thực hiện Nghị quyết",
                ("Sở Nội vụ",),
                ("Sở Tài chính", "Sở Xây dựng"),
                "Trước ngày 30/6/2026",
                DUE,
                date(2026, 6, 29),
            ),
            (
                "6",
                "Kiểm tra, giám sát việc thực hiện",
                ("Ủy ban Kiểm tra Huyện ủy",),
                ("Các chi bộ, đảng bộ cơ sở",),
                "Quý IV/2026",
                DUE,
                date(2026, 12, 31),
            ),
        ],
    },
    "parent_rows.docx": {
        "doc_date": date(2026, 3, 10),
        "new": (
            "Ban Tuyên giáo và Dân vận Huyện ủy",
            "Đoàn Thanh niên huyện",
            "UBND các xã, phường",
            "Văn phòng Huyện ủy",
        ),
        "tasks": [
            (
                "",
                "Biên soạn tài liệu hỏi - đáp",
                ("Ban Tuyên giáo và Dân vận Huyện ủy",),
                (),
                "Quý II/2026",
                DUE,
                date(2026, 6, 30),
            ),
            # the deadline cell is merged down over the sub-items
            (
                "",
                "Tổ chức cuộc thi tìm hiểu Nghị quyết",
                ("Đoàn Thanh niên huyện",),
                (),
                "Quý II/2026",
                DUE,
                date(2026, 6, 30),
            ),
            (
                "",
                "Thông tin trên hệ thống loa truyền thanh cơ sở",
                ("UBND các xã, phường",),
                (),
                "Quý II/2026",
                DUE,
                date(2026, 6, 30),
            ),
            (
                "a)",
                "Dự thảo chương trình",
                ("Văn phòng Huyện ủy",),
                (),
                "Tháng 4/2026",
                DUE,
                date(2026, 4, 30),
            ),
            (
                "b)",
                "Trình Ban Chấp hành thông qua",
                ("Văn phòng Huyện ủy",),
                (),
                "Tháng 5/2026",
                DUE,
                date(2026, 5, 31),
            ),
            (
                "3",
                "Báo cáo sơ kết 6 tháng",
                ("Văn phòng Huyện ủy",),
                (),
                "Trước ngày 20/6/2026",
                DUE,
                date(2026, 6, 19),
            ),
        ],
    },
    "deliverables.docx": {
        "doc_date": date(2026, 3, 10),
        "new": ("Phòng Văn hóa và Thông tin", "Phòng Tài chính - Kế hoạch", "Văn phòng Huyện ủy"),
        "tasks": [
            (
                "1",
                "Xây dựng Đề án phát triển du lịch cộng đồng — Tờ trình xin chủ trương",
                ("Phòng Văn hóa và Thông tin",),
                ("Phòng Tài chính - Kế hoạch",),
                "Tháng 5/2026",
                DUE,
                date(2026, 5, 31),
            ),
            (
                "1",
                "Xây dựng Đề án phát triển du lịch cộng đồng — Đề án",
                ("Phòng Văn hóa và Thông tin",),
                ("Phòng Tài chính - Kế hoạch",),
                "Quý III/2026",
                DUE,
                date(2026, 9, 30),
            ),
            (
                "1",
                "Xây dựng Đề án phát triển du lịch cộng đồng — Nghị quyết của Ban Chấp hành",
                ("Văn phòng Huyện ủy",),
                (),
                "Tháng 12/2026",
                DUE,
                date(2026, 12, 31),
            ),
            # "Các chi bộ trực thuộc": this office has no chi bộ (a warning says so)
            (
                "2",
                "Tổng kết công tác năm",
                ("Văn phòng Huyện ủy",),
                (),
                "Trước ngày 15/12/2026",
                DUE,
                date(2026, 12, 14),
            ),
        ],
    },
    "letterhead.xlsx": {
        "doc_date": date(2026, 3, 2),
        "new": (
            "Chi bộ Văn phòng Sở",
            "Chi bộ Phòng Quản lý ngân sách",
            "Ban Tổ chức Đảng ủy",
            "Phòng Tài chính doanh nghiệp",
            "Thanh tra Sở",
            "Văn phòng Đảng ủy",
        ),
        "tasks": [
            # two lines in one cell are two units
            (
                "1",
                "Kiện toàn các chi bộ trực thuộc",
                ("Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý ngân sách"),
                ("Ban Tổ chức Đảng ủy",),
                "Quý II/2026",
                DUE,
                date(2026, 6, 30),
            ),
            # "Các phòng: A, B": "Phòng A" is the chi bộ's name without "Chi bộ"
            (
                "2",
                "Rà soát các văn bản về tài chính công",
                ("Chi bộ Phòng Quản lý ngân sách", "Phòng Tài chính doanh nghiệp"),
                ("Thanh tra Sở",),
                "Tháng 6/2026",
                DUE,
                date(2026, 6, 30),
            ),
            # "trình … cùng cấp" is scope; "Các chi bộ" are this office's chi bộ
            (
                "3",
                "Báo cáo kết quả thực hiện",
                ("Văn phòng Đảng ủy",),
                ("Chi bộ Văn phòng Sở", "Chi bộ Phòng Quản lý ngân sách"),
                "Trước ngày 10/12/2026",
                DUE,
                date(2026, 12, 9),
            ),
        ],
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layout_is_read_as_a_clerk_reads_it(name: str) -> None:
    case = CASES[name]
    first, again, registry = _read(name)

    # A new office: every owner is unknown, reported and collected once, whole.
    assert first.new_unit_names == case["new"]
    unknown = {n for i in first.tasks for n in (*i.unknown_units, *i.unknown_cooperating)}
    assert {unit_key(n) for n in unknown} == {unit_key(n) for n in case["new"]}
    assert all(any(n in m for m in _unit_warnings(first)) for n in case["new"])

    # Once created, every task has its owners.
    assert again.doc_date == case["doc_date"]
    assert again.new_unit_names == ()
    assert _rows(again, registry) == case["tasks"]
    assert all(i.units for i in again.tasks)
    assert not any(i.unknown_units or i.unknown_cooperating for i in again.items)


@pytest.mark.parametrize("name", sorted(CASES))
def test_letterhead_signature_and_headers_are_never_tasks(name: str) -> None:
    _, again, _ = _read(name)
    titles = " ".join(i.title for i in again.items)
    for word in ("Nơi nhận", "BÍ THƯ", "ĐẢNG CỘNG SẢN", "Chủ trì", "Phối hợp", "TT", "Nhiệm vụ"):
        assert word not in titles
    assert not [w for w in again.warnings if "Bỏ qua hàng" in w.message]


def test_parent_rows_are_section_headings_of_their_sub_items() -> None:
    _, again, _ = _read("parent_rows.docx")
    assert [i.section for i in again.tasks] == [("1. Công tác tuyên truyền Nghị quyết",)] * 3 + [
        ("2. Xây dựng chương trình hành động",)
    ] * 2 + [()]
    assert not [w for w in again.warnings if "không có số TT" in w.message]


def test_a_new_office_is_told_it_has_no_chi_bo_yet() -> None:
    _, again, _ = _read("deliverables.docx")
    assert [w.message for w in again.warnings if "chưa có chi bộ nào" in w.message]


def test_samples_really_have_merges_and_letterheads() -> None:
    """Guard: the readings above must come through merges, not around them."""
    import docx
    import openpyxl

    for name in ("parent_rows.docx", "deliverables.docx"):
        xml = "".join(t._tbl.xml for t in docx.Document(str(LAYOUTS / name)).tables)
        assert "w:vMerge" in xml, name
    assert "w:gridSpan" in docx.Document(str(LAYOUTS / "deliverables.docx")).tables[1]._tbl.xml
    assert len(docx.Document(str(LAYOUTS / "pdf_pages.docx")).tables) == 6
    sheet = openpyxl.load_workbook(LAYOUTS / "letterhead.xlsx").active
    assert sheet is not None
    assert len(sheet.merged_cells.ranges) >= 8
    assert sheet["D1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
