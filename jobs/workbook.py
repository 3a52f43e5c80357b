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
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from data.parts import LastUpdate
from data.taskview import CONFIDENTIAL_TITLE
from data.vocabulary import STATUS_COLOR
from jobs.office_report import OfficeReport, StreamedReport, TaskFacts
from jobs.report import DATED_STATUSES, STATUS_LABELS, Counts, PartStatus, ReportItem
from jobs.xlsx_rows import RowSheet, add_row_sheet

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
    "Tệp đã nộp",
)
DETAIL_WIDTHS = (7, 60, 26, 9, 26, 24, 12, 20, 13, 9, 9, 7, 13, 9, 40, 30)
DETAIL_DATE_COLUMNS = (7, 9, 13)  # Hạn, Ngày hoàn thành, Cập nhật gần nhất
DETAIL_WRAPPED = (2, 3, 5, 6, 8, 15, 16)
CONFIDENTIAL_MARK = "Mật"

# The chart's colours, one per official status (green, amber, blue, red).
STATUS_COLOURS = {s: STATUS_COLOR[s].lstrip("#").upper() for s in DATED_STATUSES}

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
    if isinstance(value, str) and reads_as_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def reads_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula (``safe_text``'s rule)."""
    return text.startswith(FORMULA_STARTS)


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def vn_percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def period_line(office: OfficeReport | ReportHead) -> str:
    report = office.report if isinstance(office, OfficeReport) else office
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
#
# Written in openpyxl's write-only mode: rows go to the file as they come, so the
# detail sheet of 200k tasks' items costs the memory of one row (``write_report``
# takes them as an iterator; ``jobs.office_report.stream_report`` reads them from a
# server-side cursor). The tables' rows go out as plain values in their columns'
# styles (``jobs.xlsx_rows.RowSheet``: no cell object per value); every other cell is
# made by ``_cell``; every text a spreadsheet could read as a formula passes ``cell_text``.


@dataclass(frozen=True)
class ReportHead:
    """What the summary sheet shows: the period, each unit's counts, the whole's."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    units: Sequence[tuple[str, Counts]]  # (name, counts), in the table's order
    total: Counts


class DetailRow(NamedTuple):
    """One row of the detail sheet: ``detail_values`` and whether it is overdue."""

    values: list[Any]
    overdue: bool


def cell_text(cell: Cell) -> Cell:
    """The one step every cell written passes: text a spreadsheet would read as a
    formula is kept as text (``safe_text``)."""
    return safe_text(cell)


def _cell(sheet: Any, value: Any, like: Cell | None = None, **style: Any) -> Cell:
    """A cell of ``sheet`` holding ``value``: styled as ``like`` (its style copied whole,
    one array: what makes 200k rows affordable), then by ``style``."""
    cell = WriteOnlyCell(sheet, value=value)
    if like is not None:
        cell._style = copy(like._style)
    for name, given in style.items():
        setattr(cell, name, given)
    return cell_text(cell)


def report_head(office: OfficeReport) -> ReportHead:
    report = office.report
    rows = [(name, counts) for _code, name, counts in unit_rows(office)]
    return ReportHead(report.start, report.end, report.as_of, rows, report.total)


def office_rows(office: OfficeReport, *, confidential_titles: bool) -> Iterator[DetailRow]:
    """The detail rows of an in-memory report, in its items' order."""
    names = _names(office)
    for item in office.report.items:
        values = detail_values(
            item,
            office.tasks.get(item.view.number),
            _name(office, names, item.unit),
            office.report.as_of,
            confidential_titles=confidential_titles,
            update=office.last_update(item),
            files=office.files_of(item),
        )
        yield DetailRow(values, item.status is PartStatus.OVERDUE)


def report_workbook(
    office: OfficeReport,
    *,
    title: str = DEFAULT_TITLE,
    confidential_titles: bool = True,
) -> bytes:
    """The .xlsx of the report: the summary per unit with its chart, and every item."""
    out = io.BytesIO()
    rows = office_rows(office, confidential_titles=confidential_titles)
    write_report(out, report_head(office), rows, title=title)
    return out.getvalue()


def stream_workbook(
    target: IO[bytes],
    streamed: StreamedReport,
    *,
    title: str = DEFAULT_TITLE,
    confidential_titles: bool = True,
) -> None:
    """``report_workbook`` of a streamed report (``stream_report``): written to ``target``
    as its items are read, so memory does not grow with the tasks; the summary sheet is
    written after them, from their counts."""
    rows = (
        DetailRow(
            detail_values(
                s.item,
                s.facts,
                s.unit_name,
                streamed.as_of,
                confidential_titles=confidential_titles,
                update=s.update,
                files=s.files,
            ),
            s.item.status is PartStatus.OVERDUE,
        )
        for s in streamed.items
    )

    def head() -> ReportHead:
        units = [(name, counts) for _code, name, counts in streamed.units]
        return ReportHead(streamed.start, streamed.end, streamed.as_of, units, streamed.total)

    period = ReportHead(streamed.start, streamed.end, streamed.as_of, (), Counts())
    try:
        write_report(target, period, rows, title=title, summary=head)
    finally:  # its rows' reading stopped before the caller's session closes, error or not
        streamed.close()


def write_report(
    target: IO[bytes],
    head: ReportHead,
    rows: Iterable[DetailRow],
    *,
    title: str = DEFAULT_TITLE,
    summary: Callable[[], ReportHead] | None = None,
) -> None:
    """Write the .xlsx to ``target``, the detail rows as they come (write-only mode).
    The detail sheet is written first (each sheet has its own file until the archive is
    made; the summary stays the first sheet), so ``summary``, when given, is asked for
    the counts only once the rows are read (a streamed report counts them as they go);
    without it, ``head`` has them."""
    workbook = Workbook(write_only=True)
    summary_sheet = add_row_sheet(workbook, SUMMARY_SHEET)
    _detail_sheet(add_row_sheet(workbook, DETAIL_SHEET), head, title, rows)
    _summary_sheet(summary_sheet, summary() if summary is not None else head, title)
    as_of = dt.datetime.combine(head.as_of, dt.time())
    workbook.properties.title = title
    workbook.properties.creator = "nhacviec"
    workbook.properties.created = as_of
    workbook.properties.modified = as_of  # the report's day, not the clock's
    # deflate's fastest level: a third of level 6's time on 200k tasks' rows, the file a
    # third larger (2.0 MB, not 1.5, for 38k rows)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        ExcelWriter(workbook, archive).write_data()


def _title_rows(sheet: Any, head: ReportHead, title: str, width: int) -> None:
    last = get_column_letter(width)
    centered = Alignment(horizontal="center", vertical="center")
    sheet.append([_cell(sheet, title, font=_TITLE_FONT, alignment=centered)])
    line = _cell(sheet, period_line(head), font=Font(italic=True))
    line.alignment = Alignment(horizontal="center")
    sheet.append([line])
    sheet.append([])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    sheet.row_dimensions[1].height = 24


def _header(sheet: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
    cells = []
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        style = {"font": _BOLD, "fill": _HEADER_FILL, "alignment": _HEADER_ALIGN, "border": _BOX}
        cells.append(_cell(sheet, text, **style))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.append(cells)


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "Trang &P / &N"


def _summary_sheet(sheet: RowSheet, head: ReportHead, title: str) -> None:
    width = len(SUMMARY_HEADERS)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    _print_setup(sheet)
    # column widths and the header's height must be set before the first row goes out
    _title_rows(sheet, head, title, width)
    _header(sheet, SUMMARY_HEADERS, SUMMARY_WIDTHS)
    styles = _counts_styles(sheet, width)
    plain, alert = styles[:width], list(styles[:width])
    alert[OVERDUE_COLUMN - 1] = styles[-1]

    def make(value: Any, like: Cell) -> Cell:
        return _cell(sheet, value, like)

    row = HEADER_ROW
    for name, counts in head.units:
        row += 1
        values = _counts_row(name, counts)
        sheet.append_values(
            values,
            alert if counts[PartStatus.OVERDUE] else plain,
            reads_as_formula,
            make,
            styled_empty=True,
        )
    last_unit_row = row
    total = _counts_row(TOTAL_LABEL, head.total)
    sheet.append(
        [
            _cell(sheet, v, like, font=_BOLD, fill=_TOTAL_FILL)
            for v, like in zip(total, styles, strict=False)
        ]
    )
    total_row = row + 1
    sheet.append([])
    note = _cell(
        sheet,
        "Ghi chú: mỗi đơn vị chủ trì tính phần việc của mình; dòng toàn đảng bộ tính mỗi "
        "nhiệm vụ (mỗi lần đến hạn) một lần, hoàn thành khi mọi đơn vị chủ trì đã hoàn "
        "thành, nên không bằng tổng các dòng trên. Tỷ lệ đúng hạn = hoàn thành đúng hạn / "
        "(hoàn thành đúng hạn + hoàn thành quá hạn + chưa hoàn thành – đã quá hạn). "
        "Việc được gia hạn tính theo hạn mới.",
        alignment=_WRAP,
        font=Font(italic=True, size=9),
    )
    sheet.append([note])
    sheet.merged_cells.add(f"A{total_row + 2}:{get_column_letter(width)}{total_row + 2}")
    sheet.row_dimensions[total_row + 2].height = 42
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{last_unit_row}"
    if head.units:
        chart = _chart(sheet, last_unit_row, len(head.units))
        chart.anchor = f"A{total_row + 4}"
        sheet.add_chart(chart)


def _counts_styles(sheet: Any, width: int) -> list[Cell]:
    """Each column's style in a counts row (made once, copied into every row's cells)."""
    styles = [
        _cell(sheet, None, border=_BOX, alignment=_WRAP if column == 1 else _TOP)
        for column in range(1, width + 1)
    ]
    styles[-1].number_format = RATE_FORMAT
    styles.append(_cell(sheet, None, styles[OVERDUE_COLUMN - 1], font=_ALERT_FONT))
    return styles


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


def _detail_sheet(sheet: RowSheet, head: ReportHead, title: str, rows: Iterable[DetailRow]) -> None:
    width = len(DETAIL_HEADERS)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(sheet)
    _title_rows(sheet, head, f"{title} – CHI TIẾT", width)
    _header(sheet, DETAIL_HEADERS, DETAIL_WIDTHS)
    # Each column's style made once; no cell borders here (the sheet prints its grid
    # lines): an empty cell is not written at all, which halves 200k tasks' rows.
    sheet.print_options.gridLines = True
    styles = []
    for column in range(1, width + 1):
        style: dict[str, Any] = {"alignment": _WRAP if column in DETAIL_WRAPPED else _TOP}
        if column in DETAIL_DATE_COLUMNS:
            style["number_format"] = DATE_FORMAT
        styles.append(_cell(sheet, None, **style))
    overdue = list(styles)
    overdue[7] = _cell(sheet, None, like=styles[7], font=_ALERT_FONT)  # the overdue status

    def make(value: Any, like: Cell) -> Cell:
        return _cell(sheet, value, like)

    row = HEADER_ROW
    for detail in rows:
        row += 1
        sheet.append_values(
            detail.values, overdue if detail.overdue else styles, reads_as_formula, make
        )
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{row}"


def detail_values(
    item: ReportItem,
    facts: TaskFacts | None,
    unit_name: str,
    as_of: dt.date,
    *,
    confidential_titles: bool,
    update: LastUpdate | None = None,
    files: Sequence[str] = (),
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
        _files_cell(files, hidden=confidential and not confidential_titles),
    ]


def _files_cell(files: Sequence[str], *, hidden: bool) -> str | None:
    """The part's files by name (a confidential task's, for a viewer: only how many)."""
    if not files:
        return None
    return f"{len(files)} tệp" if hidden else "; ".join(files)


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
