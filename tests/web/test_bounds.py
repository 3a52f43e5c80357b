"""The console's edge: a refused upload leaves nothing behind; a NUL or an oversized
note is answered in Vietnamese and never reaches the database nor a 500."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.runtime import Runtime
from data import document_store
from tests.web.conftest import OFFICE, sign_in


def _drafts(client: TestClient) -> int:
    drafts = client.app.state.web.drafts  # type: ignore[attr-defined]
    return len(list(drafts.folder.glob("*.bin"))) if drafts.folder.exists() else 0


def test_a_refused_upload_keeps_no_draft(client: TestClient) -> None:
    """24 refused uploads kept 807 MB in memory (test fails before)."""
    csrf = sign_in(client, *OFFICE)
    for _ in range(3):
        answer = client.post(
            "/documents",
            data={"csrf": csrf},
            files={"file": ("van_xuoi.txt", "Chỉ là văn xuôi.\n".encode(), "text/plain")},
        )
        assert answer.status_code == 422
        assert "Không đọc được" in answer.text
    assert _drafts(client) == 0


def test_a_nul_in_an_uploads_name_is_answered(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    boundary = "b0undary"
    body = (  # written by hand: httpx would escape the NUL as %00
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="ke\x00hoach.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    answer = client.post(
        "/documents",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 400
    assert "ký tự" in answer.text
    assert _drafts(client) == 0
    with runtime.sessions() as session:
        assert all("\x00" not in d.source_name for d in document_store.list_documents(session))


def test_a_nul_or_a_huge_note_in_a_form_is_answered(client: TestClient) -> None:
    csrf = sign_in(client, *OFFICE)
    for note in ("đã xong\x00", "x" * 100_000):
        answer = client.post(
            "/tasks/1/parts", data={"action": "done", "unit": "hcqt", "note": note, "csrf": csrf}
        )
        assert answer.status_code == 400, answer.text[:300]
        assert "Không thực hiện được" in answer.text
    page = client.get("/tasks/1")
    assert "Đánh dấu xong phần của" in page.text  # nothing was marked


def test_a_nul_in_a_login_name_is_answered(client: TestClient) -> None:
    from tests.web.conftest import csrf_of

    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login", data={"csrf": token, "login": "van\x00phong", "password": "x", "next": "/"}
    )
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text
