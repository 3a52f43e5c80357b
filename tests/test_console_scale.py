"""The console's reads at scale agree with the old whole-table readings (both stores):
the task list's search and filters in SQL, paged; the dashboard's overdue list."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from data import console_counts, db, store, task_search, unit_pages, unit_store
from data.deadlines import DeadlineKind
from data.domain import AssignmentRole, PartTally, TaskStatus
from data.text import fold
from data.units import UnitInfo
from jobs.calendar import WorkCalendar
from jobs.due import Due
from jobs.office_report import load_report, ranked_units, report_counts, stream_report
from jobs.plan import Policy
from jobs.report import PartStatus
from jobs.workbook import DETAIL_SHEET, HEADER_ROW, report_workbook, stream_workbook


def _all_pages(session: Session, wanted: task_search.TaskFilter, size: int) -> list[int]:
    numbers: list[int] = []
    after = None
    while True:
        page, after = task_search.task_page(session, wanted, after, limit=size)
        assert len(page) <= size
        numbers += [t.number for t in page]
        if after is None:
            return numbers


def _python_search(session: Session, query: str) -> list[int]:
    """What the console did before: every task read, the folded text searched in Python."""
    wanted = fold(query.lstrip("#"))
    return [
        t.number
        for t in store.find_tasks(session)
        if wanted == str(t.number) or wanted in fold(t.title) or wanted in fold(t.unit_text)
    ]


def test_search_is_accent_insensitive_in_sql_and_paged(
    sample_store: sessionmaker[Session],
) -> None:
    with sample_store() as session:
        tasks = store.find_tasks(session)
        accented = next(w for t in tasks for w in t.title.split() if fold(w) != w.lower())
        queries = [fold(accented), accented.upper(), "#" + str(tasks[3].number), "ủy", "zzzq"]
        for query in queries:
            expected = _python_search(session, query)
            wanted = task_search.TaskFilter(query=query)
            assert _all_pages(session, wanted, 3) == expected, query
            assert task_search.count_tasks(session, wanted) == len(expected)
        assert _python_search(session, fold(accented))  # the word was found at all
        everything = task_search.TaskFilter()
        assert _all_pages(session, everything, 4) == [t.number for t in tasks]
        assert task_search.count_tasks(session, everything, cap=2) == 3  # "more than 2"


def test_filters_agree_with_the_old_reading(sample_store: sessionmaker[Session]) -> None:
    with sample_store() as session:
        unit = unit_store.list_units(session)[0]
        tasks = store.find_tasks(session)
        owned = [t.number for t in tasks if any(a.unit_id == unit.id for a in t.assignments)]
        assert _all_pages(session, task_search.TaskFilter(unit_id=unit.id), 2) == owned
        open_ = [t.number for t in tasks if t.status is TaskStatus.OPEN]
        wanted = task_search.TaskFilter(status=TaskStatus.OPEN)
        assert _all_pages(session, wanted, 5) == open_
        today = date(2026, 12, 1)
        late = [  # a recurring task only when the caller (``Due.late``) names it
            t.number
            for t in tasks
            if any(
                a.done_at is None and a.tally is PartTally.DATED and a.part_due < today
                for a in t.owners
                if a.part_due is not None
            )
        ]
        assert _all_pages(session, task_search.TaskFilter(late_on=today), 5) == late
        assert task_search.count_tasks(session, task_search.TaskFilter(late_on=today)) == len(late)
        recurring = [t.number for t in tasks if t.deadline_kind is DeadlineKind.RECURRING]
        assert recurring and not set(recurring) & set(late)
        named = task_search.TaskFilter(late_on=today, late_recurring=(recurring[0],))
        assert _all_pages(session, named, 5) == sorted([*late, recurring[0]])


def test_the_search_key_follows_a_new_title(sample_store: sessionmaker[Session]) -> None:
    with sample_store() as session:
        task = store.find_tasks(session)[0]
        number = task.number
        task.title = "Tổ chức hội nghị quán triệt Nghị quyết xyzzy"
        session.commit()
    with sample_store() as session:
        found, _ = task_search.task_page(session, task_search.TaskFilter(query="NGHI QUYET xyzzy"))
        assert [t.number for t in found] == [number]
        gone, _ = task_search.task_page(session, task_search.TaskFilter(query="zzq"))
        assert gone == []


def test_the_overdue_list_is_the_reports_longest_overdue(
    sample_store: sessionmaker[Session],
) -> None:
    due = Due(WorkCalendar(), Policy())
    start, end, as_of = date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 20)
    with sample_store() as session:
        office = load_report(session, due, start, end, as_of)
        expected = sorted(
            (i.due, i.view.number, i.unit)
            for i in office.report.items
            if i.status is PartStatus.OVERDUE and i.view.kind.value != "recurring"
        )
        found = console_counts.overdue_parts(session, start, end, as_of, 5)
        assert [(p.due, p.number, p.unit) for p in found] == expected[:5]
        assert expected  # the sample has overdue parts by December
        counts = report_counts(session, due, start, end, as_of)
        names = unit_store.unit_names(session)
        ranked = ranked_units(counts, names)
        assert {r.code for r in ranked} >= set(names)
        overdue = [r.counts[PartStatus.OVERDUE] for r in ranked]
        assert overdue == sorted(overdue, reverse=True)  # the worst first
        for row in ranked:
            assert row.counts.by_status == office.report.units[row.code].by_status


def test_units_page_searches_names_codes_and_aliases(
    sample_store: sessionmaker[Session],
) -> None:
    with sample_store() as session:
        units = unit_store.list_units(session)
        shown, _, count = unit_pages.unit_page(session, "", 1, size=2)
        assert count == len(units) and [u.id for u in shown] == [u.id for u in units[:2]]
        target = units[-1]
        assert unit_pages.unit_page(session, "xyzzy", 1)[2] == 0  # the registry indexed
        unit_store.add_alias(session, target, "Đảng ủy Khối Xyzzy")
        session.flush()
        found, _, count = unit_pages.unit_page(session, "dang uy khoi xyzzy", 1)
        assert [u.id for u in found] == [target.id] and count == 1
        folded = fold(target.name)
        found, _, _ = unit_pages.unit_page(session, folded.upper(), 1)
        assert target.id in [u.id for u in found]
        added = unit_store.add_unit(session, UnitInfo("xyz2", "Chi bộ Phường Xyzzy Mới"))
        session.flush()
        found, _, count = unit_pages.unit_page(session, "xyzzy moi", 1)  # seen at once
        assert [u.id for u in found] == [added.id] and count == 1


def _sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_the_streamed_workbook_is_the_reports_workbook(
    sample_store: sessionmaker[Session],
) -> None:
    from data.models import Assignment, ProgressUpdate

    due = Due(WorkCalendar(), Policy())
    start, end, as_of = date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 20)
    with sample_store() as session:
        number = store.find_tasks(session)[1].number
        task = store.tasks_for_update(session, [number])[number]
        task.confidential = True
        dated = [
            a
            for t in store.find_tasks(session)
            for a in t.owners
            if a.tally is PartTally.DATED and a.part_due and start <= a.part_due < as_of
        ]
        for part, shift in zip(dated[:4], (-2, 3, 0, 40), strict=False):
            assert part.part_due is not None
            part.done_at = store.as_of(part.part_due + timedelta(days=shift))
        units = unit_store.list_units(session)
        helped = dated[6].task  # two cooperating units, the second listed first
        for position, unit in ((2, units[-1]), (1, units[-2])):
            if all(a.unit_id != unit.id for a in helped.assignments):
                session.add(
                    Assignment(
                        task_id=helped.id,
                        unit_id=unit.id,
                        role=AssignmentRole.COOPERATING,
                        position=position,
                    )
                )
        for text, day in (("mới nhất", date(2026, 11, 3)), ("cũ", date(2026, 10, 1))):
            at = store.as_of(day)  # the later row is the older note: the latest is by id
            session.add(ProgressUpdate(assignment_id=dated[5].id, at=at, text=text))
        session.commit()
    with sample_store() as session:
        office = load_report(session, due, start, end, as_of)
        assert any(f.cooperating for f in office.tasks.values())  # the sample has some
        assert "cũ" in {u.text for u in office.updates.values()}
        for secret in (True, False):
            expected = report_workbook(office, confidential_titles=secret)
            out = io.BytesIO()
            streamed = stream_report(session, due, start, end, as_of)
            stream_workbook(out, streamed, confidential_titles=secret)
            found, wanted = _sheet_values(out.getvalue()), _sheet_values(expected)
            assert found == wanted
            assert len(wanted[DETAIL_SHEET]) == HEADER_ROW + len(office.report.items)
        statuses = {i.status for i in office.report.items}
        assert PartStatus.OVERDUE in statuses and PartStatus.DONE_ON_TIME in statuses


def test_a_workbook_that_fails_half_way_leaves_no_reader_on_the_session(
    sample_store: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are read by a thread of their own: an error while writing them stops and
    joins it before the caller's session goes on (or closes)."""
    import threading

    import jobs.workbook
    from data import report_rows

    monkeypatch.setattr(report_rows, "BATCH", 2)  # many batches: the thread is still reading
    written = 0

    def failing(*args: Any, **kwargs: Any) -> list[Any]:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError("đĩa đầy")
        return detail_values(*args, **kwargs)

    detail_values = jobs.workbook.detail_values
    monkeypatch.setattr(jobs.workbook, "detail_values", failing)
    due = Due(WorkCalendar(), Policy())
    with sample_store() as session:
        streamed = stream_report(
            session, due, date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 20)
        )
        with pytest.raises(OSError, match="đĩa đầy"):
            stream_workbook(io.BytesIO(), streamed)
        assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
        assert store.find_tasks(session)  # the session is the caller's again


def test_concurrent_pages_wait_their_turn_instead_of_failing(tmp_path: Path) -> None:
    """Twenty dashboards at once on a pool of one connection that waits at most 0.05 s:
    every one is answered (the pages queue for a worker, not for a connection)."""
    from bot.runtime import Runtime
    from bot.settings import Settings
    from bot.web.app import create_app
    from tests.conftest import save_sample
    from tests.web.conftest import NOW, OFFICE, add_users, sign_in

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = db.make_engine(url, pool_size=1, max_overflow=0, pool_timeout=0.05)
    runtime = Runtime.open(
        Settings(data_dir=tmp_path, telegram_bot_token=None, zalo_bot_token=None), engine=engine
    )
    with db.transaction(runtime.sessions) as session:
        unit_store.ensure_default_units(session)
    runtime.clock = lambda: NOW
    save_sample(runtime.sessions, NOW)
    add_users(runtime)
    try:
        with TestClient(create_app(runtime)) as client:
            sign_in(client, *OFFICE)
            with ThreadPoolExecutor(20) as pool:
                answers = list(pool.map(lambda _: client.get("/").status_code, range(20)))
        assert answers == [200] * 20
    finally:
        runtime.close()


def test_dashboard_and_report_show_a_page_of_units_worst_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.web import views
    from bot.web.app import create_app
    from tests.conftest import sample_runtime
    from tests.web.conftest import NOW, OFFICE, add_users, sign_in

    monkeypatch.setattr(views, "DASHBOARD_UNITS", 2)
    monkeypatch.setattr(views, "UNITS_PAGE", 3)
    monkeypatch.setattr(views, "DASHBOARD_LATE", 1)
    runtime = sample_runtime(tmp_path, NOW)
    add_users(runtime)
    try:
        with TestClient(create_app(runtime)) as client:
            sign_in(client, *OFFICE)
            period = "from=01/01/2026&to=31/12/2026&as_of=20/12/2026"
            page = client.get(f"/?{period}").text
            table = page.split('<table class="figures stack">')[1].split("</table>")[0]
            assert table.count("<tr data-unit=") == 2
            assert "Xem tất cả" in page and "/report?from=01/01/2026" in page
            assert "/tasks?late=1" in page  # more overdue parts than the one listed
            late = page.split('id="h-late"')[1].split("</section>")[0]
            assert late.count('<a href="/tasks/') == 1
            first = client.get(f"/report?{period}").text
            second = client.get(f"/report?{period}&page=2").text
            rows = [
                p.split('<table class="figures stack">')[1]
                .split("</table>")[0]
                .count("<tr data-unit=")
                for p in (first, second)
            ]
            assert rows == [3, 2] and 'rel="next"' in first and 'rel="prev"' in second
            listed = client.get("/tasks?late=1&status=open").text
            assert listed.count("<tr data-number=") >= 1  # overdue today (16/06)
    finally:
        runtime.close()


def test_a_task_page_reads_its_rows_in_a_few_statements(
    sample_store: sessionmaker[Session],
) -> None:
    """A page of the task list comes with its parts, units and progress updates loaded:
    building its rows (the latest update, days late) asks the database nothing more,
    however many tasks the page shows (one more statement per task before)."""
    from sqlalchemy import event

    with sample_store() as session:
        page, _ = task_search.task_page(session, task_search.TaskFilter(), limit=50)
        assert len(page) > 3
        engine = session.get_bind()
        asked: list[str] = []

        def count(*_: Any) -> None:
            asked.append("statement")

        event.listen(engine, "before_cursor_execute", count)
        try:
            for task in page:
                store.part_views(task)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        recurring = sum(1 for t in page if t.deadline_kind is DeadlineKind.RECURRING)
        assert len(asked) <= recurring  # only a recurring task reads its occurrences


def test_the_streamed_summary_counts_what_the_report_counts_apart(
    sample_store: sessionmaker[Session],
) -> None:
    """Parts awaiting the office's confirmation, long tasks and those reported on this
    quarter: the streamed report's narrow reads (``part_extras``) count per unit and in
    total what ``build_report`` counts from every part."""
    from data.models import ProgressUpdate

    due = Due(WorkCalendar(), Policy())
    start, end, as_of = date(2026, 1, 1), date(2026, 12, 31), date(2026, 11, 20)
    with sample_store() as session:
        owners = [a for t in store.find_tasks(session) for a in t.owners]
        dated = [a for a in owners if a.tally is PartTally.DATED and a.done_at is None]
        long_kinds = [k for k in DeadlineKind if k.has_checkins]
        long_parts = [a for a in owners if a.task.deadline_kind in long_kinds]
        assert len(dated) >= 2 and len(long_parts) >= 2
        for part in dated[:2]:  # reported done, not yet confirmed
            part.reported_at = store.as_of(as_of - timedelta(days=1))
        for part, day in zip(long_parts, (date(2026, 11, 2), date(2026, 5, 2)), strict=False):
            session.add(ProgressUpdate(assignment_id=part.id, at=store.as_of(day), text="x"))
        session.commit()
    with sample_store() as session:
        wanted = load_report(session, due, start, end, as_of).report
        found = stream_report(session, due, start, end, as_of)
        with pytest.raises(RuntimeError):  # counted as its items are read: not yet
            _ = found.total
        assert sum(1 for _ in found.items) == len(wanted.items)
        extras = [
            (c.awaiting, c.long_tasks, c.reported_this_quarter) for c in wanted.units.values()
        ]
        assert sum(e[0] for e in extras) >= 2 and sum(e[2] for e in extras) == 1
        for code, _name, counts in found.units:
            expected = wanted.units.get(code)
            if expected is None:
                assert (counts.awaiting, counts.long_tasks, counts.reported_this_quarter) == (
                    0,
                    0,
                    0,
                )
                continue
            assert (counts.awaiting, counts.long_tasks, counts.reported_this_quarter) == (
                expected.awaiting,
                expected.long_tasks,
                expected.reported_this_quarter,
            ), code
        total = (found.total.awaiting, found.total.long_tasks, found.total.reported_this_quarter)
        assert total == (
            wanted.total.awaiting,
            wanted.total.long_tasks,
            wanted.total.reported_this_quarter,
        )


def test_many_requests_and_reports_show_a_page_with_their_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's office may have hundreds of extension requests and reports waiting:
    the dashboard lists the oldest few with the whole count and a link, /extensions
    pages them (both read only the rows shown)."""
    from bot.web import views
    from bot.web.app import create_app
    from data import parts
    from data.models import Task
    from tests.conftest import sample_runtime
    from tests.web.conftest import NOW, OFFICE, add_users, sign_in

    monkeypatch.setattr(views, "DASHBOARD_LATE", 2)
    monkeypatch.setattr(views, "EXTENSIONS_PAGE", 3)
    runtime = sample_runtime(tmp_path, NOW)
    add_users(runtime)
    codes = []
    with db.transaction(runtime.sessions) as session:
        every = session.query(Task).order_by(Task.number).all()
        tasks = [
            t
            for t in every
            if t.owners and t.owners[0].done_at is None and t.deadline_kind is DeadlineKind.DUE
        ][:5]
        for i, task in enumerate(tasks):
            part = task.owners[0]
            change = parts.Change(NOW + timedelta(minutes=i), "test", note="bận")
            codes.append(
                parts.request_extension(session, task, part, date(2027, 1, 31), change).code
            )
            assert parts.report_part(task, part, change)
    try:
        with TestClient(create_app(runtime)) as client:
            sign_in(client, *OFFICE)
            page = client.get("/").text
            ext = page.split('id="h-ext"')[1].split("</section>")[0]
            assert "(5)" in ext and ext.count('class="request"') == 2
            assert codes[0] in ext and codes[4] not in ext  # the oldest first
            assert 'href="/extensions"' in ext
            confirm = page.split('id="h-confirm"')[1].split("</section>")[0]
            assert "(5)" in confirm and confirm.count("<li>") == 3  # two, "… và 3 …"
            assert "và 3 phần việc khác" in confirm
            first = client.get("/extensions").text
            second = client.get("/extensions?page=2").text
            assert first.count('class="request"') == 3 and second.count('class="request"') == 2
            assert "trang 1/2" in first and 'rel="next"' in first and 'rel="prev"' in second
            assert codes[3] in second and codes[3] not in first
            assert client.get("/extensions?page=9").text.count('class="request"') == 2
    finally:
        runtime.close()
