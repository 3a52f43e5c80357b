"""The console knows a document as the command line does (never by its file name), lets
the clerk say "đây là bản sửa của …", and its revision screen says per task what changes."""

from __future__ import annotations

import html

from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.runtime import Runtime
from data.domain import TaskStatus
from data.models import Document, Task
from tests.web.conftest import OFFICE, sign_in

HEAD = """ĐẢNG BỘ VĂN PHÒNG UBND TỈNH
ĐẢNG ỦY
*Lai Châu, ngày {day} tháng 4 năm 2026*

## KẾ HOẠCH

{title}

-----

TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian
"""
UBKT = "Ủy ban Kiểm tra Đảng ủy"
THHCC = "Chi bộ Tin học – Hành chính công"
REPORT = ("Báo cáo kết quả thực hiện nghị quyết về công tác cán bộ.", UBKT, "Quý IV/2026")
HCQT = "Chi bộ Hành chính – Quản trị"
MEETING = ("Tổ chức hội nghị học tập chuyên đề năm 2026.", HCQT, "Tháng 5/2026")
CHECK = ("Kiểm tra việc chấp hành Điều lệ Đảng tại các chi bộ.", UBKT, "Quý III/2026")
WATCH = ("Giám sát việc thực hiện quy chế dân chủ ở cơ sở.", UBKT, "Tháng 10/2026")


def plan(title: str, day: int, rows: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f"{n}\t{t}\t{u}\t{d}\n" for n, (t, u, d) in enumerate(rows, start=1))
    return (HEAD.format(day=day, title=title) + body).encode()


PLAN_A = plan("thực hiện nghị quyết của Đảng ủy năm 2026", 15, [REPORT, MEETING])
PLAN_B = plan("kiểm tra, giám sát của Đảng ủy năm 2026", 20, [CHECK, WATCH])


def upload(client: TestClient, csrf: str, name: str, content: bytes) -> tuple[str, str]:
    """The review page's text (unescaped) and its draft token."""
    answer = client.post(
        "/documents",
        data={"csrf": csrf, "doc_date": ""},
        files={"file": (name, content, "text/plain")},
    )
    assert answer.status_code == 200, answer.text[:400]
    token = answer.text.split('action="/documents/draft/')[1].split('"')[0]
    return html.unescape(answer.text), token


def post(client: TestClient, csrf: str, token: str, action: str, **fields: str) -> str:
    answer = client.post(
        f"/documents/draft/{token}", data={"csrf": csrf, "action": action, **fields}
    )
    assert answer.status_code == 200, answer.text[:400]
    return html.unescape(answer.text)


def tasks_of(runtime: Runtime, key: str) -> dict[str, TaskStatus]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(Task.title, Task.status).join(Document).where(Document.key == key)
        )
        return {row.title: row.status for row in rows}


def test_a_plan_sharing_a_file_name_is_a_new_document(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    _, token = upload(client, csrf, "ke_hoach.txt", PLAN_A)
    assert "Đã lưu «ke_hoach.txt»" in post(client, csrf, token, "save")

    page, token = upload(client, csrf, "ke_hoach.txt", PLAN_B)
    assert "Văn bản này đã có" not in page  # another plan, whatever its file is called
    saved = post(client, csrf, token, "save")
    assert "Đã lưu «ke_hoach.txt»: 2 mới, 0 cập nhật" in saved
    assert set(tasks_of(runtime, "ke_hoach").values()) == {TaskStatus.OPEN}  # nothing removed
    with runtime.sessions() as session:
        keys = set(session.scalars(select(Document.key).where(Document.key.like("ke_hoach%"))))
        assert keys == {"ke_hoach", "ke_hoach-2"}
        assert session.scalar(select(func.count()).select_from(Task)) > 4


def test_the_clerk_says_which_document_a_file_revises(client: TestClient, runtime: Runtime) -> None:
    csrf = sign_in(client, *OFFICE)
    _, token = upload(client, csrf, "nghi_quyet.txt", PLAN_A)
    post(client, csrf, token, "save")

    # the same plan revised: known by its title and date, whatever the file's name;
    # the review says per task what changes
    revised = plan(
        "thực hiện nghị quyết của Đảng ủy năm 2026",
        15,
        [(REPORT[0], THHCC, "Tháng 11/2026"), MEETING],
    )
    page, token = upload(client, csrf, "ban_sua_lan_2.txt", revised)
    assert "bản sửa của «KẾ HOẠCH thực hiện nghị quyết của Đảng ủy năm 2026»" in page
    assert "cùng tiêu đề và ngày" in page
    assert f"đơn vị: «{UBKT}» → «{THHCC}»" in page
    assert "thời hạn: «Quý IV/2026» → «Tháng 11/2026»" in page
    assert "Đã lưu «ban_sua_lan_2.txt»: 0 mới, 1 cập nhật" in post(client, csrf, token, "save")

    # another plan: new unless the clerk says it is a revision of this one
    page, token = upload(client, csrf, "kiem_tra.txt", PLAN_B)
    assert "Văn bản này đã có" not in page and "Đây là bản sửa của «KẾ HOẠCH thực hiện" in page
    page = post(client, csrf, token, "preview", revision_of="nghi_quyet")
    assert "nhận ra theo: văn phòng chọn" in page and "Không còn trong văn bản" in page
    saved = post(client, csrf, token, "save", revision_of="nghi_quyet")
    assert "Đã lưu «kiem_tra.txt»: 2 mới, 0 cập nhật, 0 không đổi, 2 không còn" in saved
    statuses = tasks_of(runtime, "nghi_quyet")
    assert statuses[CHECK[0]] is TaskStatus.OPEN and statuses[REPORT[0]] is TaskStatus.REMOVED

    # a document the clerk names but that is not there is refused, nothing saved
    _, token = upload(client, csrf, "kiem_tra.txt", PLAN_B)
    refused = post(client, csrf, token, "save", revision_of="khong-co")
    assert "Đã lưu" not in refused


def test_a_date_set_in_the_console_is_kept_by_the_next_upload(
    client: TestClient, runtime: Runtime
) -> None:
    csrf = sign_in(client, *OFFICE)
    waiting = ("Sơ kết việc sắp xếp các chi bộ trực thuộc.", HCQT, "Theo chỉ đạo của cấp trên")
    content = plan("thực hiện nghị quyết của Đảng ủy năm 2026", 15, [REPORT, waiting])
    _, token = upload(client, csrf, "nghi_quyet.txt", content)
    post(client, csrf, token, "save")
    with runtime.sessions() as session:
        number = session.scalar(select(Task.number).where(Task.title == waiting[0]))
    dated = client.post(f"/tasks/{number}/date", data={"csrf": csrf, "due": "30/06/2026"})
    assert "Đã đặt hạn" in html.unescape(dated.text)

    page, token = upload(client, csrf, "nghi_quyet_ban_sua.txt", content + b"\n")
    assert "Văn bản ghi khác, giữ theo văn phòng" in page
    assert f"thời hạn: văn bản ghi «{waiting[2]}» — giữ theo văn phòng (30/06/2026)" in page
    post(client, csrf, token, "save")
    with runtime.sessions() as session:
        task = session.scalars(select(Task).where(Task.number == number)).one()
        assert task.due_date is not None and f"{task.due_date:%d/%m/%Y}" == "30/06/2026"
