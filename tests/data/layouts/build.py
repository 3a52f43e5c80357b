"""Build the layout samples: plans as other offices' clerks lay them out.

Run ``python tests/data/layouts/build.py`` to rewrite the files next to this script.
Each file stands for a class of layout, with real merged cells:

- ``pdf_pages.docx``: a plan converted from PDF: letterhead table, one table per page
  with the header repeated, rows cut at the page end inside the title, the unit cell
  and the deadline cell (the rest opens the next table with an empty TT), and a
  signature / "Nơi nhận" table at the end.
- ``parent_rows.docx``: numbered rows whose unit and deadline are empty while their
  "-" and "a)" sub-items carry them, one deadline cell merged down over sub-items.
- ``deliverables.docx``: a header over two rows ("Cơ quan" over "Chủ trì" |
  "Phối hợp"), the deadline column before the units, one TT (merged down) with
  several deliverable rows, each with its own product and deadline.
- ``letterhead.xlsx``: letterhead and title rows above a two-row header, the deadline
  column in the middle, Alt+Enter lines, colon lists and scope words in unit cells,
  signature rows below the table.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from docx.document import Document
from docx.table import Table
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADER = ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def _table(document: Document, rows: list[list[str]], bold_first: bool = True) -> Table:
    table: Table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text in zip(row.cells, texts, strict=True):
            lines = text.split("\n")
            cell.paragraphs[0].add_run(lines[0]).bold = bold_first and index == 0
            for line in lines[1:]:
                cell.add_paragraph(line)
    return table


def _letterhead(document: Document) -> None:
    _table(
        document,
        [
            ["ĐẢNG BỘ TỈNH BÌNH MINH\nBAN THƯỜNG VỤ HUYỆN ỦY", "ĐẢNG CỘNG SẢN VIỆT NAM"],
            ["Số 45-KH/HU", "Bình Minh, ngày 10 tháng 3 năm 2026"],
        ],
        bold_first=False,
    )
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("triển khai thực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV")


def pdf_pages() -> Document:
    document = docx.Document()
    _letterhead(document)
    document.add_paragraph("PHỤ LỤC")
    pages = [
        [
            [
                "1",
                "Ban hành kế hoạch tuyên truyền",
                "Ban Tuyên giáo và Dân vận Tỉnh ủy",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Tháng 4/2026",
            ],
            [
                "2",
                "Tổ chức hội nghị học tập, quán triệt Nghị quyết cho",
                "Văn phòng Huyện ủy\nBan Tổ chức Huyện ủy",
                "UBND các xã, phường",
                "Quý II/2026",
            ],
        ],
        [
            ["", "cán bộ chủ chốt toàn huyện", "", "", ""],
            [
                "3",
                "Rà soát quy hoạch cán bộ",
                "Chi bộ Phòng Kế hoạch, Tài chính",
                "Các ban, ngành, đoàn thể huyện",
                "Trước ngày 15/5/2026",
            ],
            [
                "4",
                "Xây dựng chuyên mục tuyên truyền trên Trang thông tin điện tử huyện",
                "Trung tâm Văn hóa, Thể thao và",
                "",
                "Thường xuyên",
            ],
        ],
        [
            ["", "", "Truyền thông huyện", "", ""],
            [
                "5",
                "Sơ kết việc thực hiện Nghị quyết",
                "Sở Nội vụ (đối với cấp tỉnh)",
                "Các sở: Tài chính, Nội vụ, Xây dựng",
                "Trước ngày 30/6/",
            ],
        ],
        [
            ["", "", "", "", "2026"],
            [
                "6",
                "Kiểm tra, giám sát việc thực hiện",
                "Ủy ban Kiểm tra Huyện ủy",
                "Các chi bộ, đảng bộ cơ sở theo chức năng, nhiệm vụ",
                "Quý IV/2026",
            ],
        ],
    ]
    for page in pages:
        _table(document, [HEADER, *page])
        document.add_page_break()
    _table(
        document,
        [
            [
                "Nơi nhận:\n- Ban Thường vụ Tỉnh ủy (b/c);\n- Lưu Văn phòng Huyện ủy.",
                "T/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn An",
            ],
        ],
        bold_first=False,
    )
    return document


def parent_rows() -> Document:
    document = docx.Document()
    _letterhead(document)
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
        ["1", "Công tác tuyên truyền Nghị quyết", "", ""],
        ["", "- Biên soạn tài liệu hỏi - đáp", "Ban Tuyên giáo và Dân vận Huyện ủy", "Quý II/2026"],
        ["", "- Tổ chức cuộc thi tìm hiểu Nghị quyết", "Đoàn Thanh niên huyện", ""],
        ["", "- Thông tin trên hệ thống loa truyền thanh cơ sở", "UBND các xã, phường", ""],
        ["2", "Xây dựng chương trình hành động", "", ""],
        ["", "a) Dự thảo chương trình", "Văn phòng Huyện ủy", "Tháng 4/2026"],
        ["", "b) Trình Ban Chấp hành thông qua", "Văn phòng Huyện ủy", "Tháng 5/2026"],
        ["3", "Báo cáo sơ kết 6 tháng", "Văn phòng Huyện ủy", "Trước ngày 20/6/2026"],
    ]
    table = _table(document, rows)
    table.cell(3, 3).merge(table.cell(4, 3))  # one deadline for the contest and the radio news
    table.cell(2, 3).merge(table.cell(4, 3))
    return document


def deliverables() -> Document:
    document = docx.Document()
    _letterhead(document)
    rows = [
        ["TT", "Nhiệm vụ", "Sản phẩm", "Thời gian", "Cơ quan", ""],
        ["", "", "", "", "Chủ trì", "Phối hợp"],
        [
            "1",
            "Xây dựng Đề án phát triển du lịch cộng đồng",
            "Tờ trình xin chủ trương",
            "Tháng 5/2026",
            "Phòng Văn hóa và Thông tin",
            "Phòng Tài chính - Kế hoạch",
        ],
        ["", "", "Đề án", "Quý III/2026", "", ""],
        ["", "", "Nghị quyết của Ban Chấp hành", "Tháng 12/2026", "Văn phòng Huyện ủy", ""],
        [
            "2",
            "Tổng kết công tác năm",
            "Báo cáo",
            "Trước ngày 15/12/2026",
            "Văn phòng Huyện ủy",
            "Các chi bộ trực thuộc",
        ],
    ]
    table = _table(document, rows)
    for column in range(4):  # TT, Nhiệm vụ, Sản phẩm, Thời gian span both header rows
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(0, 4).merge(table.cell(0, 5))  # "Cơ quan" over "Chủ trì" | "Phối hợp"
    table.cell(2, 0).merge(table.cell(4, 0))  # one TT ...
    table.cell(2, 1).merge(table.cell(4, 1))  # ... one task, three deliverables
    table.cell(2, 4).merge(table.cell(3, 4))  # the same lead for the first two
    table.cell(2, 5).merge(table.cell(3, 5))
    return document


def letterhead_xlsx() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    sheet["A1"], sheet["D1"] = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("D1:F1")
    sheet["A2"], sheet["D2"] = "ĐẢNG ỦY SỞ TÀI CHÍNH", "Bình Minh, ngày 02 tháng 3 năm 2026"
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("D2:F2")
    sheet["A4"] = "KẾ HOẠCH công tác năm 2026 - PHỤ LỤC"
    sheet.merge_cells("A4:F4")
    sheet["A5"] = "Danh mục nhiệm vụ năm 2026"
    sheet.merge_cells("A5:F5")
    header = ["TT", "Nội dung nhiệm vụ", "Thời hạn", "Cơ quan thực hiện", None, "Ghi chú"]
    sub = [None, None, None, "Chủ trì", "Phối hợp", None]
    sheet.append([])
    sheet.append(header)  # row 7
    sheet.append(sub)  # row 8
    for column in "ABCF":
        sheet.merge_cells(f"{column}7:{column}8")
    sheet.merge_cells("D7:E7")
    rows = [
        [
            "1",
            "Kiện toàn các chi bộ trực thuộc",
            "Quý II/2026",
            "Chi bộ Văn phòng Sở\nChi bộ Phòng Quản lý ngân sách",
            "Ban Tổ chức Đảng ủy",
            None,
        ],
        [
            "2",
            "Rà soát các văn bản về tài chính công",
            "Tháng 6/2026",
            "Các phòng: Quản lý ngân sách, Tài chính doanh nghiệp",
            "Thanh tra Sở",
            "Ưu tiên",
        ],
        [
            "3",
            "Báo cáo kết quả thực hiện",
            "Trước ngày 10/12/2026",
            "Văn phòng Đảng ủy trình Ban Thường vụ cùng cấp",
            "Các chi bộ",
            None,
        ],
    ]
    for row in rows:
        sheet.append(row)
    for cell in sheet[7] + sheet[8]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=9):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    sheet.append([])
    sheet.append(["Nơi nhận:", None, None, "T/M ĐẢNG ỦY"])
    sheet.append(["- Đảng ủy Khối;", None, None, "BÍ THƯ"])
    return book


def main() -> None:
    pdf_pages().save(str(HERE / "pdf_pages.docx"))
    parent_rows().save(str(HERE / "parent_rows.docx"))
    deliverables().save(str(HERE / "deliverables.docx"))
    letterhead_xlsx().save(HERE / "letterhead.xlsx")


if __name__ == "__main__":
    main()
