"""The console without a browser: sign-in, CSRF, roles, each page and each action."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web.auth import hash_password
from bot.web.core import BODY_LIMIT
from data import chat_store, db, parts, store, unit_store, users
from data.domain import ChannelName, ChatAddress, ChatRole
from data.parts import Change
from data.users import UserRole
from tests.conftest import SAMPLE_PLAN
from tests.web.conftest import NOW, OFFICE, VIEWER, csrf_of, sign_in


def test_a_stranger_gets_the_login_page(client: TestClient) -> None:
    for path in ("/", "/tasks", "/units", "/report", "/report.xlsx", "/tasks/1"):
        answer = client.get(path)
        assert answer.url.path == "/login", path
        assert "Tên đăng nhập" in answer.text and "Mật khẩu" in answer.text


def test_a_wrong_password_is_refused_then_throttled(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        answer = client.post(
            "/login", data={"csrf": token, "login": OFFICE[0], "password": "sai", "next": "/"}
        )
        assert answer.status_code == 401
        assert "không đúng" in answer.text
    answer = client.post(
        "/login", data={"csrf": token, "login": OFFICE[0], "password": OFFICE[1], "next": "/"}
    )
    assert answer.status_code == 429  # even the right password waits now
    assert "quá nhiều lần" in answer.text


def test_the_cookie_is_signed_httponly_lax(client: TestClient) -> None:
    client.get("/login")
    header = client.get("/login").headers["set-cookie"]
    assert "httponly" in header.lower() and "samesite=lax" in header.lower()
    assert "secure" not in header.lower()  # plain http here; https sets Secure


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, runtime: Runtime) -> None:
    sign_in(client, *OFFICE)
    answer = client.post("/tasks/1/parts", data={"action": "done", "unit": "hcqt"})
    assert answer.status_code == 403
    answer = client.post(
        "/tasks/1/parts", data={"action": "done", "unit": "hcqt", "csrf": "not-the-token"}
    )
    assert answer.status_code == 403
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None and all(a.done_at is None for a in task.owners)


def test_the_login_form_itself_needs_the_token(client: TestClient) -> None:
    answer = client.post("/login", data={"login": OFFICE[0], "password": OFFICE[1]})
    assert answer.status_code == 403


def test_office_marks_a_part_done_and_it_is_audited(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    page = client.get("/tasks/1")
    assert "Đánh dấu xong phần của" in page.text
    answer = client.post("/tasks/1/parts", data={"action": "done", "unit": "hcqt", "csrf": csrf})
    assert answer.status_code == 200
    assert "#1 hoàn thành" in answer.text
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None and task.owners[0].done_by == "web:vanphong"
        actions = [(a.action, a.user_name) for a in chat_store.audit_actions(session)]
    assert ("done", "web:vanphong") in actions


def test_a_viewer_reads_but_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        store.tasks_for_update(session, [1])[1].confidential = True
    csrf = sign_in(client, *VIEWER)
    page = client.get("/tasks/1")
    assert page.status_code == 200
    assert "(nội dung mật)" in page.text
    assert "Đánh dấu xong" not in page.text
    with runtime.sessions() as session:
        title = store.task_with_history(session, 1).title  # type: ignore[union-attr]
    assert title not in page.text
    assert title not in client.get("/tasks").text
    for path, data in (
        ("/tasks/1/parts", {"action": "done", "unit": "hcqt"}),
        ("/tasks/1/confidential", {"confidential": "0"}),
        ("/units", {"name": "Chi bộ Mới"}),
        ("/queue/retry", {"id": "1"}),
    ):
        answer = client.post(path, data={**data, "csrf": csrf})
        assert answer.status_code == 403, path
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None and task.confidential
        assert all(a.done_at is None for a in task.owners)


def test_a_new_password_ends_old_sessions(client: TestClient, runtime: Runtime) -> None:
    sign_in(client, *OFFICE)
    assert client.get("/").url.path == "/"
    with db.transaction(runtime.sessions) as session:
        users.set_password(session, OFFICE[0], "x", NOW)
    assert client.get("/").url.path == "/login"


def test_a_removed_users_cookie_never_signs_in_whoever_comes_next(
    client: TestClient, runtime: Runtime
) -> None:
    sign_in(client, *VIEWER)
    assert client.get("/").url.path == "/"
    with db.transaction(runtime.sessions) as session:  # the same id may be handed out again
        assert users.remove_user(session, VIEWER[0])
        users.add_user(session, "moi", hash_password("mat-khau-moi"), UserRole.OFFICE, NOW)
        users.add_user(session, VIEWER[0], hash_password(VIEWER[1]), UserRole.VIEWER, NOW)
    assert client.get("/").url.path == "/login"


def test_a_viewer_reads_no_word_written_about_a_confidential_task(
    client: TestClient, runtime: Runtime
) -> None:
    """Not its title only: the notes of a report, a reason given, its source."""
    secret = "ghi chú mật về nhân sự"
    with db.transaction(runtime.sessions) as session:
        task = store.tasks_for_update(session, [1])[1]
        task.confidential = True
        change = Change(NOW, "Lan", chat="telegram:-100", note=secret)
        parts.report_part(task, task.owners[0], change)
        later = date(2026, 12, 31)
        parts.request_extension(session, task, task.owners[0], later, change)
        document, section = task.document.title, task.section
    sign_in(client, *VIEWER)
    page = client.get("/tasks/1").text
    assert secret not in page
    assert document not in page and (not section or section not in page)
    assert "báo xong, chờ xác nhận" in page  # the history in words, not enum values
    assert secret not in client.get("/extensions").text


def test_dashboard_report_and_workbook(client: TestClient) -> None:
    sign_in(client, *OFFICE)
    page = client.get("/?from=01/01/2026&to=31/12/2026")
    assert "Tổng quan" in page.text and "<svg" in page.text
    assert "Tỷ lệ đúng hạn" in page.text
    report = client.get("/report")
    assert "Tải báo cáo (.xlsx)" in report.text
    xlsx = client.get("/report.xlsx?from=01/01/2026&to=31/12/2026")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 2


def test_upload_review_fix_and_save(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    content = SAMPLE_PLAN.read_bytes()
    answer = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": "01/04/2026"},
        files={"file": ("ke_hoach_moi.txt", content, "text/plain")},
    )
    assert answer.status_code == 200, answer.text[:400]
    text = answer.text
    assert "Theo phụ lục" in text and "Theo loại thời hạn" in text
    assert "Năm 2026-203" in text
    assert "Ban Xúc tiến đầu tư tỉnh" in text
    action = text.split('action="/documents/draft/')[1].split('"')[0]
    keys = dict(
        line.split('" value="')
        for line in (
            chunk.split('name="')[1].split('">')[0]
            for chunk in text.split('<input type="hidden" ')[1:]
            if chunk.startswith('name="dlkey_') or chunk.startswith('name="unitname_')
        )
    )
    fix_index = next(k for k, v in keys.items() if k.startswith("dlkey_") and "2.3" in v)
    unit_index = next(k for k, v in keys.items() if v == "Ban Xúc tiến đầu tư tỉnh")
    check = client.post(
        "/documents/deadline",
        data={"csrf": csrf, "dl_1": "Năm 2026 - 2030", "doc_date": "01/04/2026"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "dl_1"},
    )
    assert "31/12/2030" in check.text
    form = {
        "csrf": csrf,
        "doc_date": "01/04/2026",
        **keys,
        "dl_" + fix_index.removeprefix("dlkey_"): "Năm 2026 - 2030",
        "unitnew_" + unit_index.removeprefix("unitname_"): "1",
        "unitcode_" + unit_index.removeprefix("unitname_"): "xtdt",
        "action": "save",
    }
    saved = client.post(f"/documents/draft/{action}", data=form)
    assert saved.status_code == 200
    assert "Đã lưu «ke_hoach_moi.txt»" in saved.text
    with runtime.sessions() as session:
        fixed = [
            t.due_date.isoformat() if t.due_date else None
            for t in store.find_tasks(session)
            if t.deadline_raw == "Năm 2026-203"  # the store's sample plan: a revision of it
        ]
        new_unit = unit_store.find_unit(session, "Ban Xúc tiến đầu tư tỉnh")
    assert new_unit is not None
    assert fixed == ["2030-12-31"]
    # the same file again: a revision, nothing added
    again = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": "01/04/2026"},
        files={"file": ("ke_hoach_moi.txt", content, "text/plain")},
    )
    assert "Văn bản này đã có" in again.text


def test_an_extension_is_approved_and_the_unit_told(client: TestClient, runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        chat_store.bind_chat(
            session,
            ChatAddress(ChannelName.TELEGRAM, "-100"),
            ChatRole.UNIT,
            unit_store.find_unit(session, "hcqt"),
            NOW,
        )
        task = store.tasks_for_update(session, [1])[1]
        request = parts.request_extension(
            session,
            task,
            task.owners[0],
            task.due_date.replace(month=9),
            Change(NOW, "Lan"),  # type: ignore[union-attr]
        )
        code = request.code
    csrf = sign_in(client, *OFFICE)
    assert code in client.get("/extensions").text
    answer = client.post(f"/extensions/{code}", data={"csrf": csrf, "action": "approve"})
    assert f"Đã duyệt đề nghị {code}" in answer.text
    with runtime.sessions() as session:
        assert not parts.pending_requests(session)
        queued = client.get("/queue").text
    assert "Văn phòng đã duyệt gia hạn #1" in queued


def test_unit_code_with_qr_and_unbind(client: TestClient, runtime: Runtime) -> None:
    with db.transaction(runtime.sessions) as session:
        chat_store.bind_chat(
            session,
            ChatAddress(ChannelName.TELEGRAM, "-200"),
            ChatRole.UNIT,
            unit_store.find_unit(session, "hcqt"),
            NOW,
        )
    csrf = sign_in(client, *OFFICE)
    page = client.post("/units/hcqt/code", data={"csrf": csrf})
    assert "t.me/NhacViecBot?startgroup=" in page.text
    assert "<svg" in page.text and "/dangky " in page.text
    chat_id = page.text.split('action="/chats/')[1].split("/")[0]
    done = client.post(f"/chats/{chat_id}/unbind", data={"csrf": csrf})
    assert "Đã bỏ liên kết nhóm Telegram (nhóm -200)." in done.text
    with runtime.sessions() as session:
        assert not chat_store.unit_chats(session, unit_store.find_unit(session, "hcqt").id)  # type: ignore[union-attr]


def test_a_body_over_the_import_limit_is_refused(client: TestClient) -> None:
    csrf = sign_in(client, *OFFICE)
    answer = client.post(
        "/documents",
        data={"csrf": csrf},
        files={"file": ("big.txt", b"x" * (BODY_LIMIT + 1), "text/plain")},
    )
    assert answer.status_code == 413


def test_static_htmx_is_version_2(client: TestClient) -> None:
    body = client.get("/static/htmx.min.js").text
    assert 'version:"2.' in body.replace(" ", "")


def test_users_command_line(tmp_path: Path, cli_store: Path, monkeypatch: object) -> None:
    import sys

    from bot.cli import main

    mp = monkeypatch  # pytest.MonkeyPatch
    mp.setattr(sys, "stdin", io.StringIO("mot-mat-khau-dai\n"))  # type: ignore[attr-defined]
    assert main(["users", "add", "Lan", "--role", "office"]) == 0
    mp.setattr(sys, "stdin", io.StringIO("ngan\n"))  # type: ignore[attr-defined]
    assert main(["users", "passwd", "lan"]) == 2  # too short
    mp.setattr(sys, "stdin", io.StringIO("mat-khau-moi-dai\n"))  # type: ignore[attr-defined]
    assert main(["users", "passwd", "lan"]) == 0
    assert main(["users", "remove", "lan"]) == 0
    assert main(["users", "remove", "lan"]) == 2


def test_errors_are_said_in_vietnamese(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """No route, a wrong method, a store that fails mid-page: a Vietnamese page each."""
    from bot.web import views
    from bot.web.app import create_app

    with TestClient(create_app(runtime), raise_server_exceptions=False) as client:
        missing = client.get("/khong-co")
        assert missing.status_code == 404 and "Không có trang này" in missing.text
        assert "Not Found" not in missing.text
        assert client.put("/login").status_code == 405
        sign_in(client, *OFFICE)

        def down(*_: object, **__: object) -> None:
            raise RuntimeError("database unavailable")

        monkeypatch.setattr(views, "_units_context", down)
        broken = client.get("/units")
        assert broken.status_code == 500 and "chưa có gì bị mất" in broken.text
        assert "Internal Server Error" not in broken.text and "RuntimeError" not in broken.text


def test_parallel_sign_ins_cannot_pass_the_throttle_together() -> None:
    """Each attempt is checked and counted in one step: of 40 at once, 5 are tried."""
    import threading

    from bot.web.auth import Throttle

    throttle, allowed = Throttle(), []
    start = threading.Barrier(40)

    def attempt() -> None:
        start.wait()
        allowed.append(throttle.attempt("vanphong", "1.2.3.4") == 0)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5
    throttle.succeeded("vanphong", "1.2.3.4")
    assert throttle.attempt("vanphong", "1.2.3.4") == 0  # the login forgiven


def test_a_viewer_reads_no_confidential_documents_title(
    client: TestClient, runtime: Runtime
) -> None:
    """Documents list, document page, the tasks' document filter (test fails before)."""
    from data.models import Document

    with db.transaction(runtime.sessions) as session:
        document = session.query(Document).first()
        assert document is not None
        document.confidential = True
        title, doc_id = document.title, document.id
    assert title
    sign_in(client, *VIEWER)
    for path in ("/documents", f"/documents/{doc_id}", "/tasks", f"/tasks?document={doc_id}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert title not in page.text, path
    assert "(nội dung mật)" in client.get("/documents").text


def test_the_dashboard_counts_the_units_without_a_chat(
    client: TestClient, runtime: Runtime
) -> None:
    """Two chats of one unit and the office's own: every other unit is still missing one
    (counted by the database, not by loading every chat)."""
    with db.transaction(runtime.sessions) as session:
        units = len(unit_store.unit_names(session))
        hcqt = unit_store.find_unit(session, "hcqt")
        for chat_id in ("-300", "-301"):
            address = ChatAddress(ChannelName.TELEGRAM, chat_id)
            chat_store.bind_chat(session, address, ChatRole.UNIT, hcqt, NOW)
        office = ChatAddress(ChannelName.TELEGRAM, "-1")
        chat_store.bind_chat(session, office, ChatRole.ADMIN, None, NOW)
    sign_in(client, *OFFICE)
    page = client.get("/").text
    assert f"{units - 1} đơn vị chưa có nhóm chat nào." in page
    assert "Chưa có nhóm chat nào" not in page
