"""Lateness on the task pages: the report's one definition, the current (extended) date."""

from __future__ import annotations

import datetime as dt
import re

from starlette.testclient import TestClient

from bot.runtime import Runtime
from data import db, parts, scan_views, store
from data.domain import TaskStatus
from data.parts import Change
from jobs.due import Due
from tests.web.conftest import NOW, OFFICE, sign_in


def _overdue(runtime: Runtime) -> dict[int, int]:
    """Task → days late today by the one reading of late the digest and /quahan use
    (``Due.late``: a recurring task's latest missed occurrence)."""
    due = Due(runtime.calendar, runtime.settings.policy)
    today = NOW.date()
    with runtime.sessions() as session:
        views = scan_views.task_views(session, today=today)
    found: dict[int, int] = {}
    for view in views:
        item = due.late(view, today)
        if item is not None:
            found[view.number] = max(item.days_late, found.get(view.number, 0))
    return found


def test_the_overdue_filter_lists_what_the_report_calls_overdue(
    client: TestClient, runtime: Runtime
) -> None:
    expected = _overdue(runtime)
    assert expected  # the sample has overdue parts, a recurring one among them
    sign_in(client, *OFFICE)
    page = client.get("/tasks?status=overdue").text
    shown = {int(n) for n in re.findall(r'<tr data-number="(\d+)"', page)}
    assert shown == set(expected)
    assert '<option value="overdue" selected>quá hạn</option>' in page
    # the count says the same: recurring tasks with nothing missed are not counted either
    assert f"<p>{len(expected)} nhiệm vụ." in page, re.findall(r"<p>[^<]*nhiệm vụ[^<]*</p>", page)
    for number, days in expected.items():
        assert f"quá hạn {days} ngày" in client.get(f"/tasks/{number}").text


def test_the_list_shows_the_extended_date(client: TestClient, runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        task = next(
            t
            for t in store.find_tasks(session, unit="hcqt")
            if t.status is TaskStatus.OPEN and t.due_date and len(t.owners) == 1
        )
        number, old = task.number, task.due_date
        asked = parts.request_extension(
            session, task, task.owners[0], dt.date(2027, 3, 31), Change(NOW, "Lan")
        )
        parts.decide(asked, True, Change(NOW, "web:vanphong"))
    sign_in(client, *OFFICE)
    page = client.get(f"/tasks?q={number}").text
    row = page.split(f'<tr data-number="{number}">', 1)[1].split("</tr>", 1)[0]
    assert "31/03/2027" in row and "đã gia hạn" in row
    assert old is not None and f"{old:%d/%m/%Y}" not in row
    detail = client.get(f"/tasks/{number}").text
    assert "đã duyệt" in detail and "vanphong (bảng điều khiển)" in detail
    assert "approved" not in detail and "web:vanphong" not in detail


def test_a_task_without_owner_is_given_one_on_its_page(
    client: TestClient, runtime: Runtime
) -> None:
    with runtime.sessions() as session:
        number = next(
            t.number
            for t in store.find_tasks(session)
            if t.status is TaskStatus.OPEN and not t.owners
        )
    csrf = sign_in(client, *OFFICE)
    page = client.get(f"/tasks/{number}").text
    assert '<details class="owners" open>' in page and "Giao đơn vị chủ trì" in page
    wrong = client.post(f"/tasks/{number}/owners", data={"csrf": csrf, "owners": "khong-co"})
    assert wrong.status_code == 422
    assert 'role="alert" id="err-owners">Không có đơn vị «khong-co»' in wrong.text
    assert 'value="khong-co"' in wrong.text
    done = client.post(f"/tasks/{number}/owners", data={"csrf": csrf, "owners": "hcqt"})
    assert done.status_code == 200
    with runtime.sessions() as session:
        task = store.task_with_history(session, number)
        assert task is not None and [a.unit.code for a in task.owners] == ["hcqt"]
