"""The console's part of "tasks written in prose" and "progress on long tasks".

Proposals of the sample notice accepted, edited then accepted, rejected (only the audit
entry stays); a unit's reported completion confirmed or returned (the unit told); the
timeline of updates; a waiting task given its date and then counted in the report; the
dashboard's units that have not reported this quarter and the parts waiting.
"""

from __future__ import annotations

import datetime as dt
import re

from starlette.testclient import TestClient

from bot.runtime import Runtime
from data import chat_store, db, document_store, outbox, parts, store, unit_store
from data.deadlines import DeadlineKind
from data.domain import ChannelName, ChatAddress, ChatRole, TaskAction, TaskStatus
from data.parts import Change
from jobs.due import Due
from jobs.office_report import load_report
from jobs.report import PartStatus
from tests.web.conftest import NOTICE, NOW, OFFICE, VIEWER, csrf_of, sign_in


def save_notice(client: TestClient, csrf: str) -> tuple[int, str]:
    """Upload and save the sample notice: its document id and the page shown after."""
    review = client.post(
        "/documents",
        data={"csrf": csrf},
        files={"file": ("thong_bao_mau.txt", NOTICE.read_bytes(), "text/plain")},
    )
    assert "Nhiệm vụ đề xuất từ lời văn" in review.text
    token = review.text.split('action="/documents/draft/')[1].split('"')[0]
    saved = client.post(f"/documents/draft/{token}", data={"csrf": csrf, "action": "save"})
    assert saved.status_code == 200
    match = re.fullmatch(r"/documents/(\d+)", saved.url.path)
    assert match, saved.url
    return int(match.group(1)), saved.text


def proposal_numbers(runtime: Runtime, doc_id: int) -> list[int]:
    with runtime.sessions() as session:
        return [t.number for t in document_store.document_proposals(session, doc_id)]


def audit_of(runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.sessions() as session:
        return [(a.action, a.detail) for a in chat_store.audit_actions(session)]


def test_saving_a_notice_lists_its_proposals_and_one_is_accepted(
    client: TestClient, runtime: Runtime
) -> None:
    csrf = sign_in(client, *OFFICE)
    doc_id, page = save_notice(client, csrf)
    assert "nhiệm vụ đề xuất từ lời văn chờ văn phòng" in page
    numbers = proposal_numbers(runtime, doc_id)
    assert len(numbers) >= 5
    first = numbers[0]
    # owner, deadline and the sentence, verbatim
    assert "Chi bộ Tổng hợp – Nội chính" in page
    assert "hạn 15/06/2026" in page
    assert "trình Ban Chấp hành Đảng bộ vào ngày 22/6/2026" in page
    assert f'aria-label="Nhận đề xuất #{first}"' in page
    assert f"Sửa đề xuất #{first}" in page
    done = client.post(
        f"/documents/{doc_id}/proposals/{first}", data={"csrf": csrf, "action": "accept"}
    )
    assert f"Đã nhận #{first} thành nhiệm vụ" in done.text
    assert first not in proposal_numbers(runtime, doc_id)
    with runtime.sessions() as session:
        task = store.task_with_history(session, first)
        assert task is not None and task.status is TaskStatus.OPEN
        assert task.events[-1].action is TaskAction.ACCEPTED
        assert task.events[-1].actor == "web:vanphong"
    assert ("proposal_accepted", f"#{first}: {task.title[:80]}") in audit_of(runtime)
    # the documents list shows what is still waiting
    listing = client.get("/documents").text
    assert f'href="/documents/{doc_id}"' in listing


def test_a_proposal_edited_then_accepted(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    doc_id, _ = save_notice(client, csrf)
    number = proposal_numbers(runtime, doc_id)[0]
    # the phrase is read as it is typed
    reading = client.post(
        "/documents/deadline",
        data={"csrf": csrf, "deadline": "Quý III/2026", "doc_date": "06/04/2026"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "deadline"},
    )
    assert "30/09/2026" in reading.text
    # an unreadable phrase changes nothing
    wrong = client.post(
        f"/documents/{doc_id}/proposals/{number}",
        data={"csrf": csrf, "action": "edit_accept", "title": "X", "deadline": "Năm 2026-203"},
    )
    assert "Không đọc được thời hạn «Năm 2026-203»: Năm 2026 - 2030." in wrong.text
    assert number in proposal_numbers(runtime, doc_id)
    form = {
        "csrf": csrf,
        "action": "edit_accept",
        "title": "Hoàn thiện Báo cáo sơ kết 6 tháng đầu năm 2026",
        "unit": "hcqt",
        "deadline": "Quý III/2026",
    }
    answer = client.post(f"/documents/{doc_id}/proposals/{number}", data=form)
    assert f"Đã sửa đề xuất #{number}" in answer.text
    assert f"Đã nhận #{number} thành nhiệm vụ" in answer.text
    with runtime.sessions() as session:
        task = store.task_with_history(session, number)
        assert task is not None
        assert task.status is TaskStatus.OPEN and not task.needs_review
        assert task.title == form["title"]
        assert [a.unit.code for a in task.owners] == ["hcqt"]
        assert task.deadline_kind is DeadlineKind.DUE
        assert task.due_date == dt.date(2026, 9, 30)
        assert task.deadline_raw == "Quý III/2026"
        assert "vào ngày 15/6/2026" in (task.deadline_note or "")  # what the notice said
        assert "15/6/2026" in task.source_text  # the sentence, untouched
        updated = [e.detail for e in task.events if e.action is TaskAction.UPDATED]
    assert updated and "đơn vị chủ trì: Chi bộ Hành chính – Quản trị" in updated[0]
    assert any(a == "proposal_edited" for a, _ in audit_of(runtime))


def test_a_rejected_proposal_leaves_only_the_audit_entry(
    client: TestClient, runtime: Runtime
) -> None:
    csrf = sign_in(client, *OFFICE)
    doc_id, _ = save_notice(client, csrf)
    number = proposal_numbers(runtime, doc_id)[-1]
    answer = client.post(
        f"/documents/{doc_id}/proposals/{number}", data={"csrf": csrf, "action": "reject"}
    )
    assert f"Đã bỏ đề xuất #{number}" in answer.text
    with runtime.sessions() as session:
        assert store.task_with_history(session, number) is None
    assert any(
        a == "proposal_rejected" and d.startswith(f"#{number}:") for a, d in audit_of(runtime)
    )
    again = client.post(
        f"/documents/{doc_id}/proposals/{number}", data={"csrf": csrf, "action": "accept"}
    )
    assert "không còn là nhiệm vụ đề xuất" in again.text


def test_a_viewer_sees_proposals_but_cannot_act(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    doc_id, _ = save_notice(client, csrf)
    number = proposal_numbers(runtime, doc_id)[0]
    client.post("/logout", data={"csrf": csrf})
    csrf = sign_in(client, *VIEWER)
    page = client.get(f"/documents/{doc_id}").text
    assert f"#{number}" in page and "Nhiệm vụ đề xuất từ lời văn" in page
    assert "Nhận đề xuất" not in page and "Sửa đề xuất" not in page
    answer = client.post(
        f"/documents/{doc_id}/proposals/{number}", data={"csrf": csrf, "action": "accept"}
    )
    assert answer.status_code == 403
    assert number in proposal_numbers(runtime, doc_id)


def _reported(runtime: Runtime, number: int, code: str) -> None:
    """The unit reported its part done (confirmation on) and has a chat to be told in."""
    with db.transaction(runtime.sessions) as session:
        unit = unit_store.find_unit(session, code)
        assert unit is not None
        chat_store.bind_chat(
            session, ChatAddress(ChannelName.TELEGRAM, "-700"), ChatRole.UNIT, unit, NOW
        )
        task = store.tasks_for_update(session, [number])[number]
        part = task.part_for(unit.id)
        assert part is not None
        parts.report_part(task, part, Change(NOW - dt.timedelta(days=2), "Lan", "telegram:-700"))


def _queued(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return [m.text for m in outbox.listing(session, None, limit=50)]


def test_the_office_confirms_a_reported_part(client: TestClient, runtime: Runtime) -> None:
    _reported(runtime, 1, "hcqt")
    csrf = sign_in(client, *OFFICE)
    dashboard = client.get("/").text
    assert "Chờ văn phòng xác nhận hoàn thành (1)" in dashboard
    page = client.get("/tasks/1").text
    assert "Chờ xác nhận" in page and "Xác nhận phần của Chi bộ Hành chính – Quản trị" in page
    answer = client.post(
        "/tasks/1/confirm", data={"csrf": csrf, "unit": "hcqt", "action": "confirm"}
    )
    assert "Đã xác nhận #1: Chi bộ Hành chính – Quản trị." in answer.text
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None
        part = task.owners[0]
        assert part.done_at is not None and part.done_at == part.reported_at
        assert task.events[-1].action is TaskAction.CONFIRMED
    assert any("Văn phòng đã xác nhận hoàn thành #1" in t for t in _queued(runtime))
    assert ("confirmed", "#1 (Chi bộ Hành chính – Quản trị)") in audit_of(runtime)
    assert "Chờ văn phòng xác nhận hoàn thành (0)" in client.get("/").text


def test_the_office_returns_a_reported_part_with_a_reason(
    client: TestClient, runtime: Runtime
) -> None:
    _reported(runtime, 1, "hcqt")
    csrf = sign_in(client, *OFFICE)
    bare = client.post("/tasks/1/confirm", data={"csrf": csrf, "unit": "hcqt", "action": "return"})
    assert "Cần nêu lý do trả lại." in bare.text
    answer = client.post(
        "/tasks/1/confirm",
        data={"csrf": csrf, "unit": "hcqt", "action": "return", "reason": "thiếu biên bản"},
    )
    assert "Đã trả lại #1: Chi bộ Hành chính – Quản trị (lý do: thiếu biên bản)." in answer.text
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None
        assert task.owners[0].reported_at is None and task.owners[0].done_at is None
        assert task.events[-1].action is TaskAction.RETURNED
    assert any("trả lại #1" in t and "thiếu biên bản" in t for t in _queued(runtime))
    again = client.post(
        "/tasks/1/confirm", data={"csrf": csrf, "unit": "hcqt", "action": "confirm"}
    )
    assert "không có phần việc nào đang chờ xác nhận" in again.text


def test_the_timeline_and_the_units_that_have_not_reported(
    client: TestClient, runtime: Runtime
) -> None:
    with db.transaction(runtime.sessions) as session:
        task = store.tasks_for_update(session, [8])[8]
        hcqt = next(a for a in task.owners if a.unit.code == "hcqt")
        parts.record_update(task, hcqt, 40, "đã trình dự thảo lần 1", Change(NOW, "Lan"))
    sign_in(client, *OFFICE)
    page = client.get("/tasks/8").text
    assert "Tiến độ từng đơn vị" in page
    assert "<strong>40%</strong> — đã trình dự thảo lần 1" in page
    dashboard = client.get("/").text
    assert "Chưa báo cáo tiến độ quý này" in dashboard and "từ 01/01/2026" in dashboard
    silent = dict(re.findall(r'<li data-unit="(\w+)">(.*?)</li>', dashboard))
    assert set(silent) >= {"hcqt", "thnc", "ktvx", "thhcc"}
    assert '"/tasks/8"' not in silent["hcqt"]  # reported on #8 this quarter
    assert '"/tasks/15"' in silent["hcqt"] and '"/tasks/8"' in silent["thnc"]
    # a confidential task's updates are the office's to read
    with db.transaction(runtime.sessions) as session:
        store.tasks_for_update(session, [8])[8].confidential = True
    client.post("/logout", data={"csrf": csrf_of(dashboard)})
    sign_in(client, *VIEWER)
    page = client.get("/tasks/8").text
    assert "<strong>40%</strong>" in page and "đã trình dự thảo" not in page


def _statuses(runtime: Runtime, number: int) -> set[PartStatus]:
    due = Due(runtime.calendar, runtime.settings.policy)
    with runtime.sessions() as session:
        office = load_report(session, due, dt.date(2026, 1, 1), dt.date(2026, 12, 31), NOW.date())
    return {i.status for i in office.report.items if i.view.number == number}


def test_a_waiting_task_given_its_date_is_counted(client: TestClient, runtime: Runtime) -> None:
    assert _statuses(runtime, 10) == {PartStatus.WAITING}
    assert _statuses(runtime, 28) == {PartStatus.WAITING}
    csrf = sign_in(client, *OFFICE)
    page = client.get("/tasks/10").text
    assert "Đặt hạn (khi có chỉ đạo)" in page
    wrong = client.post("/tasks/10/date", data={"csrf": csrf, "due": "31/6/2026"})
    assert wrong.status_code == 422
    assert "Không đọc được thời hạn «31/6/2026»" in wrong.text and "30 ngày" in wrong.text
    assert 'role="alert" id="err-date-due"' in wrong.text
    assert 'name="due" value="31/6/2026"' in wrong.text  # the typed value kept
    answer = client.post(
        "/tasks/10/date", data={"csrf": csrf, "due": "30/06/2026", "note": "Công văn 12-CV/TU"}
    )
    assert "Đã đặt hạn #10: 30/06/2026." in answer.text
    client.post("/tasks/28/date", data={"csrf": csrf, "due": "01/06/2026"})
    with runtime.sessions() as session:
        task = store.task_with_history(session, 10)
        assert task is not None
        assert task.deadline_kind is DeadlineKind.DUE and task.due_date == dt.date(2026, 6, 30)
        assert task.deadline_raw == "Khi có chỉ đạo, hướng dẫn"  # as written, kept
        event = task.events[-1]
        assert event.action is TaskAction.UPDATED
        assert event.detail == "văn phòng đặt hạn 30/06/2026: Công văn 12-CV/TU"
    assert _statuses(runtime, 10) == {PartStatus.IN_TERM}
    assert _statuses(runtime, 28) == {PartStatus.OVERDUE}
    assert ("task_dated", "#10 «30/06/2026»") in audit_of(runtime)
    # an unreadable deadline given a date leaves the review list
    client.post("/tasks/13/date", data={"csrf": csrf, "due": "31/12/2030"})
    with runtime.sessions() as session:
        task = store.task_with_history(session, 13)
        assert task is not None and not task.needs_review
    assert _statuses(runtime, 13) == set()  # due in 2030: outside this year's report
