"""The report the office takes to the committee: read from the store, counted once.

``load_report`` reads every owner part and its completions and counts them with
``jobs.report`` (the one definition of the four statuses); ``report_json`` is what
``nhacviec report --json`` prints; ``jobs.workbook`` turns the same report into .xlsx.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from data import part_files, parts, report_rows, scan_views, sql_counts, store, unit_store
from data.parts import LastUpdate
from jobs.due import Due
from jobs.report import (
    Counts,
    PartStatus,
    Report,
    ReportItem,
    Tally,
    build_report,
    classify,
    report_order,
    reporting_since,
)


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str


class TaskFacts(NamedTuple):
    """What the detail sheet shows of a task beyond its report items."""

    title: str
    raw_deadline: str
    kind: str
    start: dt.date | None
    cooperating: tuple[str, ...]
    confidential: bool


@dataclass(frozen=True)
class OfficeReport:
    report: Report
    units: tuple[UnitRow, ...]
    tasks: dict[int, TaskFacts]
    updates: dict[tuple[int, str], LastUpdate] = field(default_factory=dict)  # (task, unit)
    files: dict[tuple[int, str], tuple[str, ...]] = field(default_factory=dict)  # (task, unit)

    def last_update(self, item: ReportItem) -> LastUpdate | None:
        return self.updates.get((item.view.number, item.unit))

    def files_of(self, item: ReportItem) -> tuple[str, ...]:
        return self.files.get((item.view.number, item.unit), ())

    def unit_name(self, code: str) -> str:
        return next((u.name for u in self.units if u.code == code), code or "(chưa rõ đơn vị)")


def load_report(
    session: Session, due: Due, start: dt.date, end: dt.date, as_of: dt.date
) -> OfficeReport:
    views = scan_views.task_views(session)
    units = tuple(UnitRow(u.code, u.name) for u in unit_store.list_units(session))
    facts = {
        t.number: TaskFacts(
            t.title,
            t.deadline_raw,
            t.deadline_kind.value,
            t.start_date,
            tuple(a.unit.name for a in t.cooperating),
            t.is_confidential,
        )
        for t in store.live_tasks(session)
    }
    report = build_report(
        due,
        views,
        start,
        end,
        as_of,
        units=[u.code for u in units],
        completions=parts.completions(session),
    )
    files = part_files.names_by_task_unit(session)
    return OfficeReport(report, units, facts, parts.last_updates(session), files)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _counts_json(counts: Any) -> dict[str, Any]:
    return {
        **{status.value: counts[status] for status in PartStatus},
        "extended": counts.extended,
        "on_time_rate": _rate(counts.on_time_rate),
        "awaiting_confirmation": counts.awaiting,
        "long_tasks": counts.long_tasks,
        "reported_this_quarter": counts.reported_this_quarter,
    }


def update_json(update: LastUpdate | None) -> dict[str, Any] | None:
    if update is None:
        return None
    return {"date": update.at.isoformat(), "percent": update.percent, "text": update.text}


def report_json(office: OfficeReport) -> dict[str, Any]:
    report = office.report
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "as_of": report.as_of.isoformat(),
        "units": [
            {"unit": office.unit_name(code), "code": code, **_counts_json(counts)}
            for code, counts in report.units.items()
            if counts.by_status or any(u.code == code for u in office.units)
        ],
        "total": _counts_json(report.total),
        "items": [
            {
                "task": item.view.number,
                "unit": item.unit,
                "role": "owner",
                "due": item.due.isoformat() if item.due else None,
                "done_on": item.done_on.isoformat() if item.done_on else None,
                "status": item.status.value,
                "last_update": update_json(office.last_update(item)),
            }
            for item in report.items
        ],
    }


# -- the same counts, made by the database (the office's /tiendo at scale) -----------


@dataclass(frozen=True)
class StatusCounts:
    """``jobs.report``'s counts per unit and for the whole, without the items."""

    units: dict[str, Counts]
    total: Counts
    items: tuple[ReportItem, ...] = ()  # of the parts counted in Python (recurring, ownerless)


_STATUS_OF = {s.value: s for s in PartStatus}


def report_counts(
    session: Session,
    due: Due,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    *,
    unit_id: int | None = None,
) -> StatusCounts:
    """What ``build_report(...).units`` and ``.total`` say, counted by the database.

    One-off parts: ``sql_counts.status_counts`` (GROUP BY unit and status, over the rows
    due in the period, the undated kinds and the review flags). Recurring parts and
    tasks without an owner (few): ``jobs.report.build_report`` on their views, with
    their completions. ``unit_id``: one unit's parts (its /tiendo).
    """
    rows = sql_counts.status_counts(session, start, end, as_of, unit_id=unit_id)
    units: dict[str, Counts] = {}
    for code, statuses in rows.units.items():
        units[code] = Counts(_counter(statuses), rows.extended.get(code, 0))
    total = Counts(_counter(rows.total), rows.total_extended)
    rest = _counted_in_python(session, due, start, end, as_of, unit_id)
    items: tuple[ReportItem, ...] = ()
    if rest is not None:
        for code, counts in rest.units.items():
            _add(units.setdefault(code, Counts()), counts)
        _add(total, rest.total)
        items = rest.items
    return StatusCounts(units, total, items)


def _counted_in_python(
    session: Session,
    due: Due,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    unit_id: int | None = None,
) -> Report | None:
    """The report of the recurring parts and the tasks without an owner (few), if any."""
    views, ids = scan_views.recurring_and_ownerless_views(session, unit_id, as_of)
    if not views:
        return None
    done = parts.completions(session, ids)
    return build_report(due, views, start, end, as_of, completions=done)


def _counter(statuses: dict[str, int]) -> Counter[PartStatus]:
    """The statuses by member, filled as a plain dict: ``Counter(mapping)`` checks the
    mapping's type through ``abc`` (thousands of units: a tenth of the counts' time)."""
    found: Counter[PartStatus] = Counter()
    for name, number in statuses.items():
        found[_STATUS_OF[name]] = number
    return found


def _add(into: Counts, counts: Counts) -> None:
    into.by_status.update(counts.by_status)
    into.extended += counts.extended


# -- the console's figures: every unit ranked, the worst first ----------------------


@dataclass(frozen=True)
class UnitFigures:
    code: str
    name: str
    counts: Counts


def ranked_units(found: StatusCounts, names: dict[str, str]) -> list[UnitFigures]:
    """Every unit (the registry's, then any other with parts), the worst first: the most
    overdue parts, then the lowest on-time rate, then the most parts due; units with
    nothing due last, by code. Parts without an owner are not a unit's row."""
    codes = list(names) + [c for c in found.units if c and c not in names]
    rows = [UnitFigures(c, names.get(c, c), found.units.get(c) or Counts()) for c in codes]

    def worst_first(row: UnitFigures) -> tuple[int, float, int, str]:
        by = row.counts.by_status
        on_time, late, overdue = by[_ON_TIME], by[_LATE], by[_OVERDUE]
        judged = on_time + late + overdue
        rate = on_time / judged if judged else 2.0
        return (-overdue, rate, -(judged + by[_IN_TERM]), row.code)

    return sorted(rows, key=worst_first)


_ON_TIME, _LATE = PartStatus.DONE_ON_TIME, PartStatus.DONE_LATE
_IN_TERM, _OVERDUE = PartStatus.IN_TERM, PartStatus.OVERDUE


def overdue_count(found: StatusCounts) -> int:
    """Owner parts overdue (each unit's part once; recurring: each occurrence)."""
    return sum(c[PartStatus.OVERDUE] for c in found.units.values())


# -- the report as a stream: the .xlsx at province scale ----------------------------


class StreamedItem(NamedTuple):
    """An item of the streamed report with what its row shows (a tuple: one made per
    part of 200k tasks, where a frozen dataclass costs twice as much to make)."""

    item: ReportItem
    unit_name: str
    facts: TaskFacts
    update: LastUpdate | None
    files: tuple[str, ...] = ()


class StreamedReport:
    """The report's items as an iterator (read as written), counted as they go by
    (``jobs.report.Tally``): ``units`` and ``total`` once they have all been read."""

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        as_of: dt.date,
        items: Iterator[StreamedItem],
        names: dict[str, str],
        extras: Callable[[], tuple[dict[str, report_rows.Extras], report_rows.Extras]],
        rows: Generator[report_rows.PartRow, None, None] | None = None,
    ) -> None:
        self.start, self.end, self.as_of = start, end, as_of
        self._tally = Tally(as_of, {code: Counts() for code in names})
        self._names = names
        self._extras = extras
        self._done = False
        self._rows = rows
        self.items = self._counted(items)

    def close(self) -> None:
        """Stop reading (the rows' thread joined): the session is the caller's again, even
        when writing stopped half way (an error must not leave the thread on it)."""
        if self._rows is not None:
            self._rows.close()

    def _counted(self, items: Iterator[StreamedItem]) -> Iterator[StreamedItem]:
        for streamed in items:
            self._tally.add(streamed.item)
            yield streamed
        self._tally.close()
        self._done = True

    def _read(self) -> None:
        if not self._done:
            raise RuntimeError("the streamed report's counts come once its items are read")

    @property
    def units(self) -> list[tuple[str, str, Counts]]:
        """(code, name, counts): the registry's units, then any other with parts."""
        self._read()
        found, names = self._tally.units, self._names
        extras = self._extras()[0]
        rows = []
        for code in [*names, *(c for c in found if c not in names and found[c].by_status)]:
            counts = found.get(code) or Counts()
            more = extras.get(code)
            if more is not None:
                counts.awaiting, counts.long_tasks = more.awaiting, more.long_tasks
                counts.reported_this_quarter = more.reported
            rows.append((code, names.get(code, code or "(chưa rõ đơn vị)"), counts))
        return rows

    @property
    def total(self) -> Counts:
        self._read()
        total, whole = self._tally.total, self._extras()[1]
        total.awaiting, total.long_tasks = whole.awaiting, whole.long_tasks
        total.reported_this_quarter = whole.reported
        return total


def stream_report(
    session: Session, due: Due, start: dt.date, end: dt.date, as_of: dt.date
) -> StreamedReport:
    """``load_report``'s figures and items, without holding them: the items classified
    one owner part at a time as ``data.report_rows.part_rows`` reads them, merged in the
    report's order with the recurring and ownerless ones (few, classified first), and
    counted as they go by (``jobs.report.Tally``, as ``build_report`` counts); what the
    summary shows beside the statuses from ``data.report_rows.part_extras`` (SQL), read
    by the rows' thread once their first batch is out (while it is written)."""
    names = unit_store.unit_names(session)
    rest = _counted_in_python(session, due, start, end, as_of)
    # read before the one-off rows, which a thread of their own reads from now on: the
    # session is the thread's until they are all read (``data.report_rows.part_rows``)
    others = _other_items(session, rest.items if rest is not None else (), names)
    extras: list[tuple[dict[str, report_rows.Extras], report_rows.Extras]] = []
    since = reporting_since(as_of)
    rows = report_rows.part_rows(  # the statement starts now
        session, start, end, after=lambda: extras.append(report_rows.part_extras(session, since))
    )
    items = heapq.merge(_one_off_items(rows, due, start, end, as_of), others, key=_order)
    return StreamedReport(start, end, as_of, items, names, lambda: extras[0], rows)


def _order(streamed: StreamedItem) -> tuple[dt.date, int, str]:
    return report_order(streamed.item)


def _one_off_items(
    rows: Iterator[report_rows.PartRow],
    due: Due,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
) -> Iterator[StreamedItem]:
    for row in rows:
        view = row.view
        facts = TaskFacts(
            view.title,
            view.raw_deadline,
            view.kind.value,
            view.start,
            row.cooperating,
            view.confidential,
        )
        for item in classify(due, view, start, end, as_of):
            yield StreamedItem(item, row.unit_name, facts, row.update, row.files)


def _other_items(
    session: Session, found: Sequence[ReportItem], names: dict[str, str]
) -> list[StreamedItem]:
    """The recurring and ownerless items ``_counted_in_python`` classified, with their facts."""
    numbers = sorted({i.view.number for i in found})
    cooperating, updates = report_rows.facts_by_number(session, numbers)
    files = part_files.names_by_task_unit(session, numbers)
    streamed = []
    for item in found:
        facts = TaskFacts(
            item.view.title,
            item.view.raw_deadline,
            item.view.kind.value,
            item.view.start,
            cooperating.get(item.view.number, ()),
            item.view.confidential,
        )
        name = names.get(item.unit, item.unit or "(chưa rõ đơn vị)")
        key = (item.view.number, item.unit)
        streamed.append(StreamedItem(item, name, facts, updates.get(key), files.get(key, ())))
    return streamed
