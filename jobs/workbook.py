"""The report as the office puts it before a committee: an .xlsx, and a short text.

``report_workbook`` turns an ``OfficeReport`` (counted once, by ``jobs.report``) into
two sheets, Vietnamese throughout:

* **Tổng hợp** — one row per unit (the office's units in order, then any other unit
  that has parts): the four official statuses, the parts counted apart, the extended
  ones and the on-time rate; the whole organization's row (each task counted once,
  so it is not the sum of the rows above); a bar chart of the four statuses per unit.
* **Chi tiết** — every report item: task, unit, cooperating units, the deadline as
  written and as understood, status, completion day, days late, extension.

Both are ready to print (A4 landscape, fit to width, header repeated on every page)
and to work with (frozen header, auto-filter, real dates shown dd/mm/yyyy).

The workbook is for the office's own use, so confidential titles are shown in full;
``confidential_titles=False`` makes a copy that may leave the office's tools (sent to
a chat): those titles become "(nội dung mật)". ``summary_text`` is the short text for
a platform that cannot send documents (Zalo): no titles at all.

Nothing here counts or reads the clock: the figures are the report's, the dates its own.

Every cell is written through ``safe_text``: text typed by people (a title, a progress
note, a unit's name) that a spreadsheet would read as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is stored as text, shown as typed, and
stays text when someone edits the cell (Excel's "quote prefix"), never a live formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from data.parts import LastUpdate
from data.taskview import CONFIDENTIAL_TITLE
from jobs.office_report import OfficeReport, TaskFacts
from jobs.report import DATED_STATUSES, STATUS_LABELS, Counts, PartStatus, ReportItem

DEFAULT_TITLE = "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ"
SUMMARY_SHEET = "Tổng hợp"
DETAIL_SHEET = "Chi tiết"
TOTAL_LABEL = "Toàn đảng bộ (mỗi việc tính một lần)"
OWNER_ROLE = "Chủ trì"
EXTENDED_MARK = "Có"
DATE_FORMAT = "dd/mm/yyyy"
RATE_FORMAT = "0.0%"
HEADER_ROW = 4  # title, period, blank, header
UNDATED_STATUSES = (PartStatus.NO_DEADLINE, PartStatus.WAITING, PartStatus.REVIEW)

SUMMARY_HEADERS: tuple[str, ...] = (
    "Đơn vị",
    *(STATUS_LABELS[s] for s in DATED_STATUSES),
    *(STATUS_LABELS[s] for s in UNDATED_STATUSES),
    "Được gia hạn",
    "Chờ xác nhận",
    "Việc dài hạn đã báo cáo quý này",
    "Tỷ lệ đúng hạn",
)
OVERDUE_COLUMN = 2 + DATED_STATUSES.index(PartStatus.OVERDUE)  # after the unit's name
SUMMARY_WIDTHS = (36, 13, 13, 15, 15, 14, 12, 14, 11, 11, 14, 11)
DETAIL_HEADERS = (
    "Số",
    "Nhiệm vụ",
    "Đơn vị",
    "Vai trò",
    "Phối hợp",
    "Thời hạn theo văn bản",
    "Hạn",
    "Trạng thái",
    "Ngày hoàn thành",
    "Số ngày trễ",
    "Gia hạn",
    "Mật",
    "Cập nhật gần nhất",
    "Tiến độ (%)",
    "Nội dung cập nhật",
)
DETAIL_WIDTHS = (7, 60, 26, 9, 26, 24, 12, 20, 13, 9, 9, 7, 13, 9, 40)
DETAIL_DATE_COLUMNS = (7, 9, 13)  # Hạn, Ngày hoàn thành, Cập nhật gần nhất
DETAIL_WRAPPED = (2, 3, 5, 6, 8, 15)
CONFIDENTIAL_MARK = "Mật"

# The chart's colours, one per official status (green, amber, blue, red).
STATUS_COLOURS = {
    PartStatus.DONE_ON_TIME: "4E9A44",
    PartStatus.DONE_LATE: "E6A23C",
    PartStatus.IN_TERM: "4A7EBB",
    PartStatus.OVERDUE: "C0392B",
}

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_ALERT_FONT = Font(bold=True, color="C0392B")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(cell: Cell) -> Cell:
    """The cell, its text kept as text when a spreadsheet could take it for a formula.

    One rule for every writer (a normal or a write-only sheet's cell alike): openpyxl
    turns a string starting with ``=`` into a formula, and Excel would compute text
    starting with ``+ - @`` once edited; a string cell with a quote prefix is neither.
    """
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _put(sheet: Any, row: int, column: int, value: Any) -> Cell:
    """Write one cell of a sheet (never a formula: ``safe_text``)."""
    return safe_text(sheet.cell(row=row, column=column, value=value))


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def vn_percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def period_line(office: OfficeReport) -> str:
    report = office.report
    return (
        f"Kỳ báo cáo: từ {vn_date(report.start)} đến {vn_date(report.end)}; "
        f"số liệu tính đến ngày {vn_date(report.as_of)}"
    )


def unit_rows(office: OfficeReport) -> list[tuple[str, str, Counts]]:
    """(code, name, counts) per unit: the office's units in order, then any other with parts.

    The same units as ``report_json(office)["units"]``: a known unit always, an unknown
    one only when it has parts.
    """
    units = office.report.units
    names = _names(office)
    known = list(names)
    others = [c for c in units if c not in names and units[c].by_status]
    return [
        (code, _name(office, names, code), units.get(code, Counts())) for code in known + others
    ]


def _names(office: OfficeReport) -> dict[str, str]:
    """Unit code → name, the first of each code, in the office's order."""
    names: dict[str, str] = {}
    for unit in office.units:
        names.setdefault(unit.code, unit.name)
    return names


def _name(office: OfficeReport, names: dict[str, str], code: str) -> str:
    return names[code] if code in names else office.unit_name(code)


def _rate(value: float | None) -> float | None:
    """The rate as the command line prints it (``report_json``): four decimals."""
    return None if value is None else round(value, 4)


def _counts_row(label: str, counts: Counts) -> list[Any]:
    return [
        label,
        *(counts[s] for s in DATED_STATUSES),
        *(counts[s] for s in UNDATED_STATUSES),
        counts.extended,
        counts.awaiting,
        f"{counts.reported_this_quarter}/{counts.long_tasks}" if counts.long_tasks else None,
        _rate(counts.on_time_rate),
    ]


# -- the workbook ----------------------------------------------------------------


def report_workbook(
    office: OfficeReport,
    *,
    title: str = DEFAULT_TITLE,
    confidential_titles: bool = True,
) -> bytes:
    """The .xlsx of the report: the summary per unit with its chart, and every item."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    _summary_sheet(summary, office, title)
    detail = workbook.create_sheet(DETAIL_SHEET)
    _detail_sheet(detail, office, title, confidential_titles=confidential_titles)
    as_of = dt.datetime.combine(office.report.as_of, dt.time())
    workbook.properties.title = title
    workbook.properties.creator = "nhacviec"
    workbook.properties.created = as_of
    workbook.properties.modified = as_of  # the report's day, not the clock's
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return out.getvalue()


def _title_rows(sheet: Any, office: OfficeReport, title: str, width: int) -> None:
    last = get_column_letter(width)
    _put(sheet, 1, 1, title)
    sheet["A1"].font = _TITLE_FONT
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    _put(sheet, 2, 1, period_line(office))
    sheet["A2"].font = Font(italic=True)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[1].height = 24


def _header(sheet: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, HEADER_ROW, column, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "Trang &P / &N"


def _summary_sheet(sheet: Any, office: OfficeReport, title: str) -> None:
    width = len(SUMMARY_HEADERS)
    _title_rows(sheet, office, title, width)
    _header(sheet, SUMMARY_HEADERS, SUMMARY_WIDTHS)
    rows = unit_rows(office)
    row = HEADER_ROW
    for _code, name, counts in rows:
        row += 1
        _write_counts(sheet, row, _counts_row(name, counts))
        if counts[PartStatus.OVERDUE]:
            sheet.cell(row=row, column=OVERDUE_COLUMN).font = _ALERT_FONT
    last_unit_row = row
    row += 1
    _write_counts(sheet, row, _counts_row(TOTAL_LABEL, office.report.total))
    for column in range(1, width + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = _BOLD
        cell.fill = _TOTAL_FILL
    total_row = row
    note = _put(
        sheet,
        total_row + 2,
        1,
        (
            "Ghi chú: mỗi đơn vị chủ trì tính phần việc của mình; dòng toàn đảng bộ tính mỗi "
            "nhiệm vụ (mỗi lần đến hạn) một lần, hoàn thành khi mọi đơn vị chủ trì đã hoàn "
            "thành, nên không bằng tổng các dòng trên. Tỷ lệ đúng hạn = hoàn thành đúng hạn / "
            "(hoàn thành đúng hạn + hoàn thành quá hạn + chưa hoàn thành – đã quá hạn). "
            "Việc được gia hạn tính theo hạn mới."
        ),
    )
    note.alignment = _WRAP
    note.font = Font(italic=True, size=9)
    sheet.merge_cells(
        start_row=total_row + 2, start_column=1, end_row=total_row + 2, end_column=width
    )
    sheet.row_dimensions[total_row + 2].height = 42
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{last_unit_row}"
    chart_row = total_row + 4
    if rows:
        sheet.add_chart(_chart(sheet, last_unit_row, len(rows)), f"A{chart_row}")
    _print_setup(sheet)  # the chart below the table prints too


def _write_counts(sheet: Any, row: int, values: Sequence[Any]) -> None:
    for column, value in enumerate(values, start=1):
        cell = _put(sheet, row, column, value)
        cell.border = _BOX
        cell.alignment = _WRAP if column == 1 else _TOP
    sheet.cell(row=row, column=len(values)).number_format = RATE_FORMAT


def _chart(sheet: Any, last_unit_row: int, units: int) -> BarChart:
    """The four official statuses per unit, stacked: one bar per unit, in table order."""
    chart = BarChart()
    chart.type = "bar"  # horizontal: unit names are long
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "Tình hình thực hiện nhiệm vụ theo đơn vị"
    chart.y_axis.title = "Số phần việc"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first unit on top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    data = Reference(
        sheet, min_col=2, max_col=1 + len(DATED_STATUSES), min_row=HEADER_ROW, max_row=last_unit_row
    )
    categories = Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=last_unit_row)
    chart.add_data(data, titles_from_data=True)
    for series, status in zip(chart.series, DATED_STATUSES, strict=True):
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))  # unit names: text
        series.graphicalProperties.solidFill = STATUS_COLOURS[status]
        series.graphicalProperties.line.solidFill = STATUS_COLOURS[status]
    chart.width = 26
    chart.height = min(max(8.0, 3.0 + 0.8 * units), 60.0)
    return chart


def _detail_sheet(
    sheet: Any, office: OfficeReport, title: str, *, confidential_titles: bool
) -> None:
    width = len(DETAIL_HEADERS)
    _title_rows(sheet, office, f"{title} – CHI TIẾT", width)
    _header(sheet, DETAIL_HEADERS, DETAIL_WIDTHS)
    row = HEADER_ROW
    names = _names(office)
    for item in office.report.items:
        row += 1
        facts = office.tasks.get(item.view.number)
        values = detail_values(
            item,
            facts,
            _name(office, names, item.unit),
            office.report.as_of,
            confidential_titles=confidential_titles,
            update=office.last_update(item),
        )
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value)
            cell.border = _BOX
            cell.alignment = _WRAP if column in DETAIL_WRAPPED else _TOP
            if column in DETAIL_DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
        if item.status is PartStatus.OVERDUE:
            sheet.cell(row=row, column=8).font = _ALERT_FONT
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{row}"
    _print_setup(sheet)


def detail_values(
    item: ReportItem,
    facts: TaskFacts | None,
    unit_name: str,
    as_of: dt.date,
    *,
    confidential_titles: bool,
    update: LastUpdate | None = None,
) -> list[Any]:
    """One row of the detail sheet, in ``DETAIL_HEADERS`` order."""
    view = item.view
    confidential = view.confidential or (facts is not None and facts.confidential)
    shown = facts.title if facts is not None and facts.title else view.title
    if confidential and not confidential_titles:
        shown = CONFIDENTIAL_TITLE
    raw = facts.raw_deadline if facts is not None and facts.raw_deadline else view.raw_deadline
    return [
        view.number,
        shown,
        unit_name,
        OWNER_ROLE,
        "; ".join(facts.cooperating) if facts is not None else "",
        raw,
        item.due,
        STATUS_LABELS[item.status],
        item.done_on,
        item.days_late_as_of(as_of),
        EXTENDED_MARK if view.extended else None,
        CONFIDENTIAL_MARK if confidential else None,
        update.at if update else None,
        update.percent if update else None,
        update.text if update and not (confidential and not confidential_titles) else None,
    ]


# -- the short text ----------------------------------------------------------------


def _total_line(counts: Counts) -> str:
    four = ", ".join(f"{STATUS_LABELS[s].lower()} {counts[s]}" for s in DATED_STATUSES)
    apart = ", ".join(f"{STATUS_LABELS[s].lower()} {counts[s]}" for s in UNDATED_STATUSES)
    return (
        f"Toàn đảng bộ (mỗi việc tính một lần): {counts.due_total} việc đến hạn — {four}; "
        f"tỷ lệ đúng hạn {vn_percent(counts.on_time_rate)}. "
        f"Không tính hạn: {apart}. Được gia hạn: {counts.extended}."
    )


def _unit_line(name: str, counts: Counts) -> str:
    return (
        f"- {name}: {counts[PartStatus.OVERDUE]} việc quá hạn chưa hoàn thành, "
        f"tỷ lệ đúng hạn {vn_percent(counts.on_time_rate)}"
    )


def summary_text(office: OfficeReport, limit: int = 3500, *, top: int = 5) -> str:
    """A short Vietnamese summary within ``limit`` characters (for Zalo): no titles.

    The whole organization's line, then the units with the most overdue parts and the
    units with the lowest on-time rate (``top`` of each); lines that do not fit are
    left off and said so.
    """
    if limit <= 0:
        return ""
    report = office.report
    rows = unit_rows(office)
    head = [
        "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
        f"Từ {vn_date(report.start)} đến {vn_date(report.end)}, "
        f"tính đến ngày {vn_date(report.as_of)}.",
        _total_line(report.total),
    ]
    most_overdue = sorted(
        (r for r in rows if r[2][PartStatus.OVERDUE] > 0),
        key=lambda r: (-r[2][PartStatus.OVERDUE], r[2].on_time_rate or 0.0, r[1]),
    )
    rates = {code: c.on_time_rate for code, _name, c in rows}
    below = [r for r in rows if (rate := rates[r[0]]) is not None and rate < 1.0]
    lowest = sorted(below, key=lambda r: (rates[r[0]] or 0.0, -r[2][PartStatus.OVERDUE], r[1]))
    sections: list[tuple[str, list[str]]] = []
    if most_overdue:
        lines = [_unit_line(name, c) for _code, name, c in most_overdue[:top]]
        heading = f"Đơn vị có nhiều việc quá hạn nhất ({len(most_overdue)} đơn vị có việc quá hạn):"
        sections.append((heading, lines))
    else:
        sections.append(("Không đơn vị nào có việc quá hạn chưa hoàn thành.", []))
    if lowest:
        lines = [_unit_line(name, c) for _code, name, c in lowest[:top]]
        sections.append(("Đơn vị có tỷ lệ đúng hạn thấp nhất:", lines))
    return _fit(head, sections, limit)


def _fit(head: Iterable[str], sections: Sequence[tuple[str, list[str]]], limit: int) -> str:
    """The lines in order while they fit; a note of what was left off, if that fits."""
    out: list[str] = []

    def size(lines: Sequence[str]) -> int:
        return len("\n".join(lines))

    for line in head:
        if size([*out, line]) > limit:
            return _cut("\n".join([*out, line]), limit)
        out.append(line)
    for heading, lines in sections:
        if size([*out, heading]) > limit:
            break
        taken = [heading]
        for line in lines:
            if size([*out, *taken, line]) > limit:
                break
            taken.append(line)
        left = len(lines) - (len(taken) - 1)
        if left:
            more = f"… và {left} đơn vị khác"
            if size([*out, *taken, more]) <= limit:
                taken.append(more)
        out.extend(taken)
    return "\n".join(out)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
