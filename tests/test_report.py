"""The four official statuses at their boundaries, and the report through the command line."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from data.deadlines import DeadlineKind as K
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.due import Due
from jobs.plan import Policy
from jobs.report import PartStatus, build_report, classify

DUE = Due(WorkCalendar(), Policy())
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def part(
    due: date | None = date(2026, 6, 30),
    done_on: date | None = None,
    *,
    kind: K = K.DUE,
    unit: str = "a",
    number: int = 1,
    extended: bool = False,
    rrule: str | None = None,
) -> TaskView:
    return TaskView(
        number=number,
        title=f"Việc {number}",
        units=(unit,),
        kind=kind,
        raw_deadline="",
        due=due,
        rrule=rrule,
        anchor=date(2026, 1, 1) if rrule else None,
        done_on=done_on,
        extended=extended,
    )


def status(view: TaskView, as_of: date, completions: tuple[date, ...] = ()) -> list[PartStatus]:
    return [i.status for i in classify(DUE, view, *YEAR, as_of, completions)]


@pytest.mark.parametrize(
    ("done_on", "as_of", "expected"),
    [
        (date(2026, 6, 30), date(2026, 7, 10), PartStatus.DONE_ON_TIME),  # done on the due date
        (date(2026, 7, 1), date(2026, 7, 10), PartStatus.DONE_LATE),  # a day after
        (None, date(2026, 6, 30), PartStatus.IN_TERM),  # due on the as-of date: still in term
        (None, date(2026, 7, 1), PartStatus.OVERDUE),  # the day after
        (date(2026, 7, 5), date(2026, 7, 1), PartStatus.OVERDUE),  # done after the as-of date
    ],
)
def test_statuses_at_the_boundaries(
    done_on: date | None, as_of: date, expected: PartStatus
) -> None:
    assert status(part(done_on=done_on), as_of) == [expected]


def test_an_extension_approved_after_the_due_date_counts_against_the_new_date() -> None:
    # Due 30/06, extended on 05/07 to 31/07, done 20/07: on time, and counted as extended.
    extended = part(due=date(2026, 7, 31), done_on=date(2026, 7, 20), extended=True)
    report = build_report(DUE, [extended], *YEAR, date(2026, 8, 1), units=["a"])
    assert [i.status for i in report.items] == [PartStatus.DONE_ON_TIME]
    assert report.units["a"].extended == 1 and report.total.extended == 1
    assert report.units["a"].on_time_rate == 1.0


def test_each_occurrence_of_a_recurring_task_is_one() -> None:
    # Monthly, the 24th; reported 20/01 (Jan on time), 26/02 (Feb late), nothing for March.
    monthly = part(
        due=None, kind=K.RECURRING, rrule="FREQ=MONTHLY;BYMONTHDAY=24", done_on=date(2026, 2, 26)
    )
    found = classify(
        DUE, monthly, date(2026, 1, 1), date(2026, 4, 30), date(2026, 4, 1),
        (date(2026, 1, 20), date(2026, 2, 26)),
    )  # fmt: skip
    assert [(i.due, i.status) for i in found] == [
        (date(2026, 1, 24), PartStatus.DONE_ON_TIME),
        (date(2026, 2, 24), PartStatus.DONE_LATE),
        (date(2026, 3, 24), PartStatus.OVERDUE),
        (date(2026, 4, 24), PartStatus.IN_TERM),
    ]


def test_undated_parts_are_counted_apart_and_the_rate_is_none_when_nothing_was_due() -> None:
    views = [
        part(due=None, kind=K.ONGOING, number=1),
        part(due=None, kind=K.WAITING, number=2),
        TaskView(3, "x", ("a",), K.UNREADABLE, "Năm 2026-203", needs_review=True),
    ]
    report = build_report(DUE, views, *YEAR, date(2026, 5, 1), units=["a"])
    counts = report.units["a"]
    assert [counts[s] for s in (PartStatus.NO_DEADLINE, PartStatus.WAITING, PartStatus.REVIEW)] == [
        1,
        1,
        1,
    ]
    assert counts.on_time_rate is None


def test_the_total_counts_a_shared_task_once() -> None:
    shared = [
        part(done_on=date(2026, 6, 1), unit="a"),
        part(done_on=date(2026, 7, 3), unit="b"),  # the last owner was late
    ]
    report = build_report(DUE, shared, *YEAR, date(2026, 8, 1), units=["a", "b"])
    assert report.units["a"][PartStatus.DONE_ON_TIME] == 1
    assert report.units["b"][PartStatus.DONE_LATE] == 1
    assert report.total.due_total == 1 and report.total[PartStatus.DONE_LATE] == 1


def test_report_xlsx_holds_the_same_figures_as_json(
    tmp_path: Path, cli_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "ke_hoach_mau.txt"
    assert main(["import", str(sample), "--doc-date", "2026-04-01"]) == 0
    tasks = json.loads(_run(capsys, "tasks", "--json"))
    q2 = next(t["number"] for t in tasks if t["deadline"]["raw"] == "Quý II/2026")
    assert main(["done", str(q2), "--on", "2026-07-03"]) == 0  # three days late
    capsys.readouterr()
    args = ["report", "--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-07-15"]
    data = json.loads(_run(capsys, *args, "--json"))
    book = tmp_path / "bao-cao.xlsx"
    assert main([*args, "--xlsx", str(book)]) == 0
    summary = openpyxl.load_workbook(BytesIO(book.read_bytes()))["Tổng hợp"]
    rows = {
        row[0]: row[1:5]
        for row in summary.iter_rows(min_row=5, values_only=True)
        if isinstance(row[0], str)
    }
    keys = ("done_on_time", "done_late", "in_term", "overdue")
    assert data["units"], data
    for unit in data["units"]:
        assert rows[unit["unit"]] == tuple(unit[k] for k in keys), unit["unit"]
    late = [i for i in data["items"] if i["task"] == q2]
    assert late and all(i["status"] == "done_late" and i["done_on"] == "2026-07-03" for i in late)
    assert sum(u["done_late"] for u in data["units"]) >= 1


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out
