"""The console in a real browser (Debian's Chromium through Playwright).

One browser for the session; the console served by uvicorn on a free loopback port
in a thread, over the sample store. The office's day: sign in, import a plan with
two fixes, mark a unit's part done, approve an extension, see the dashboard change,
download the report. Then: a viewer changes nothing, a stranger gets the login page,
a POST without the CSRF token is refused.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from bot.runtime import Runtime
from bot.web.server import Console, ConsoleThread
from data import chat_store, db, parts, store, unit_store
from data.domain import ChannelName, ChatAddress, ChatRole
from data.parts import Change
from tests.conftest import SAMPLE_PLAN, sample_runtime
from tests.web.conftest import NOTICE, NOW, OFFICE, VIEWER, add_users

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),  # CI must run them
    reason="Chromium missing: scripts/test installs it (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    runtime = sample_runtime(tmp_path_factory.mktemp("console"), NOW)
    add_users(runtime)
    server = ConsoleThread(Console(runtime, "127.0.0.1:0", bot_username=lambda: "NhacViecBot"))
    assert server.start(), server.console.error
    assert server.console.address is not None
    yield server.console.address, runtime
    server.stop()
    runtime.close()


@pytest.fixture(scope="module")  # one browser; its event loop ends with this module
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield found
        found.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="vi-VN", accept_downloads=True)  # type: ignore[attr-defined]
    found = context.new_page()
    found.set_default_timeout(10_000)
    yield found
    context.close()


def sign_in(page: object, base: str, login: str, password: str) -> None:
    p: object = page
    p.goto(base + "/")  # type: ignore[attr-defined]
    p.get_by_label("Tên đăng nhập").fill(login)  # type: ignore[attr-defined]
    p.get_by_label("Mật khẩu").fill(password)  # type: ignore[attr-defined]
    p.get_by_role("button", name="Đăng nhập").click()  # type: ignore[attr-defined]
    p.get_by_role("heading", name="Tổng quan").wait_for()  # type: ignore[attr-defined]


def nav(page: object, name: str) -> None:
    menu = page.get_by_role("navigation", name="Điều hướng chính")  # type: ignore[attr-defined]
    menu.get_by_role("link", name=name, exact=True).click()


def _cell(page: object, unit: str, status: str) -> str:
    row = page.locator(f'table.figures tr[data-unit="{unit}"] td[data-status="{status}"]')  # type: ignore[attr-defined]
    return str(row.inner_text())


def test_the_office_day(console: tuple[str, Runtime], page: object, tmp_path: Path) -> None:
    base, runtime = console
    p: object = page
    expect = playwright_api.expect
    sign_in(p, base, *OFFICE)
    done_before = _cell(p, "ktvx", "done_on_time")

    # Văn bản: upload, review, fix one deadline and one unknown unit, save
    nav(p, "Văn bản")
    upload = tmp_path / "ke_hoach_quy_3.txt"
    upload.write_bytes(SAMPLE_PLAN.read_bytes())
    p.get_by_label("Tệp văn bản").set_input_files(str(upload))  # type: ignore[attr-defined]
    p.get_by_label("Ngày văn bản").fill("01/04/2026")  # type: ignore[attr-defined]
    p.get_by_role("button", name="Đọc thử").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("heading", name="Theo phụ lục")).to_be_visible()  # type: ignore[attr-defined]
    expect(p.get_by_text("Năm 2026-203").first).to_be_visible()  # type: ignore[attr-defined]
    fix = p.get_by_label(re.compile(r"Thời hạn mới cho .*TT 2\.3"))  # type: ignore[attr-defined]
    fix.fill("Năm 2026 - 2030")
    expect(p.locator(".reading").filter(has_text="31/12/2030")).to_be_visible()  # type: ignore[attr-defined]
    expect(p.get_by_label("Tạo đơn vị «Ban Xúc tiến đầu tư tỉnh»")).to_be_checked()  # type: ignore[attr-defined]
    p.get_by_role("button", name="Lưu").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("status")).to_contain_text("Đã lưu «ke_hoach_quy_3.txt»")  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        assert unit_store.find_unit(session, "Ban Xúc tiến đầu tư tỉnh") is not None

    # Nhiệm vụ: find a task, mark one unit's part done
    nav(p, "Nhiệm vụ")
    p.get_by_label("Tìm").fill("tiến độ giải ngân")  # type: ignore[attr-defined]
    p.get_by_label("Văn bản", exact=True).select_option(index=1)  # type: ignore[attr-defined]
    p.get_by_role("button", name="Lọc").click()  # type: ignore[attr-defined]
    p.locator("table.tasks tbody tr a").first.click()  # type: ignore[attr-defined]
    p.get_by_role("button", name=re.compile("Đánh dấu xong phần của")).first.click()  # type: ignore[attr-defined]
    expect(p.get_by_role("status")).to_contain_text("hoàn thành")  # type: ignore[attr-defined]
    expect(p.get_by_role("button", name=re.compile("Mở lại phần của"))).to_be_visible()  # type: ignore[attr-defined]

    # Gia hạn: a unit asked for more time; the office approves
    with db.transaction(runtime.sessions) as session:
        unit = unit_store.find_unit(session, "ktvx")
        chat_store.bind_chat(
            session, ChatAddress(ChannelName.TELEGRAM, "-300"), ChatRole.UNIT, unit, NOW
        )
        task = next(
            t
            for t in store.find_tasks(session, unit="ktvx")
            if t.due_date and t.status.value == "open" and t.owners[0].unit.code == "ktvx"
        )
        number = task.number
        code = parts.request_extension(
            session, task, task.owners[0], task.due_date.replace(year=2027), Change(NOW, "Lan")
        ).code
    nav(p, "Gia hạn")
    p.get_by_role("button", name=f"Duyệt {code}").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("status")).to_contain_text(f"Đã duyệt đề nghị {code}: #{number}")  # type: ignore[attr-defined]

    # Tổng quan: the part marked done counts
    nav(p, "Tổng quan")
    assert int(_cell(p, "ktvx", "done_on_time")) == int(done_before) + 1
    # the README's pictures: NHACVIEC_SCREENSHOTS=docs/screens pytest tests/web/test_pages.py
    shot = str(tmp_path / "dashboard.png")
    p.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    p.screenshot(path=shot, full_page=False)  # type: ignore[attr-defined]

    # Báo cáo: the .xlsx opens
    nav(p, "Báo cáo")
    with p.expect_download() as info:  # type: ignore[attr-defined]
        p.get_by_role("link", name="Tải báo cáo (.xlsx)").click()  # type: ignore[attr-defined]
    saved = tmp_path / "report.xlsx"
    info.value.save_as(saved)
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert len(book.sheetnames) == 2


def test_a_proposal_of_the_sample_notice_accepted(
    console: tuple[str, Runtime], page: object, tmp_path: Path
) -> None:
    base, runtime = console
    p: object = page
    expect = playwright_api.expect
    sign_in(p, base, *OFFICE)
    nav(p, "Văn bản")
    upload = tmp_path / "thong_bao_mau.txt"
    upload.write_bytes(NOTICE.read_bytes())
    p.get_by_label("Tệp văn bản").set_input_files(str(upload))  # type: ignore[attr-defined]
    p.get_by_role("button", name="Đọc thử").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("heading", name=re.compile("Nhiệm vụ đề xuất từ lời văn"))).to_be_visible()  # type: ignore[attr-defined]
    p.get_by_role("button", name="Lưu").click()  # type: ignore[attr-defined]
    expect(p.get_by_role("status")).to_contain_text("chờ văn phòng nhận, sửa hoặc bỏ")  # type: ignore[attr-defined]
    first = p.locator("li.proposal").first  # type: ignore[attr-defined]
    number = int(first.get_attribute("data-number"))
    # "Sửa": the phrase is read as it is typed
    first.get_by_text(f"Sửa đề xuất #{number}").click()
    first.get_by_label(f"Thời hạn #{number}").fill("Quý III/2026")
    expect(first.locator(".reading")).to_contain_text("30/09/2026")
    first.get_by_role("button", name=f"Lưu sửa và nhận #{number}").click()
    expect(p.get_by_role("status")).to_contain_text(f"Đã nhận #{number} thành nhiệm vụ")  # type: ignore[attr-defined]
    assert p.locator(f'li.proposal[data-number="{number}"]').count() == 0  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        task = store.task_with_history(session, number)
        assert task is not None and task.status.value == "open"
        assert task.due_date is not None and f"{task.due_date:%d/%m/%Y}" == "30/09/2026"
    # "Bỏ" asks first: one click opens the question, the second removes the proposal
    other = p.locator("li.proposal").first  # type: ignore[attr-defined]
    gone = int(other.get_attribute("data-number"))
    final = other.get_by_role("button", name=f"Bỏ hẳn đề xuất #{gone}")
    expect(final).to_be_hidden()
    other.locator("summary", has_text="Bỏ").first.click()
    expect(final).to_be_visible()
    assert p.locator(f'li.proposal[data-number="{gone}"]').count() == 1  # type: ignore[attr-defined]
    final.click()
    expect(p.get_by_role("status")).to_contain_text(f"Đã bỏ đề xuất #{gone}")  # type: ignore[attr-defined]
    assert p.locator(f'li.proposal[data-number="{gone}"]').count() == 0  # type: ignore[attr-defined]


def test_a_viewer_cannot_change_anything(console: tuple[str, Runtime], page: object) -> None:
    base, runtime = console
    p: object = page
    sign_in(p, base, *VIEWER)
    p.goto(base + "/tasks/1")  # type: ignore[attr-defined]
    p.get_by_role("heading", name="Phần việc của từng đơn vị").wait_for()  # type: ignore[attr-defined]
    assert p.get_by_role("button", name=re.compile("Đánh dấu xong|Mở lại")).count() == 0  # type: ignore[attr-defined]
    p.goto(base + "/documents")  # type: ignore[attr-defined]
    assert p.get_by_label("Tệp văn bản").count() == 0  # type: ignore[attr-defined]
    # the form an office user would see, posted by hand: refused
    status = p.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const csrf = document.querySelector('input[name=csrf]').value;
            const body = new URLSearchParams({csrf, action: 'done', unit: 'hcqt'});
            const r = await fetch('/tasks/1/parts', {method: 'POST', body});
            return r.status;
        }"""
    )
    assert status == 403
    with runtime.sessions() as session:
        task = store.task_with_history(session, 1)
        assert task is not None and all(a.done_at is None for a in task.owners)


def test_a_stranger_and_a_forged_post(console: tuple[str, Runtime], page: object) -> None:
    base, _ = console
    p: object = page
    p.goto(base + "/tasks")  # type: ignore[attr-defined]
    assert p.url.startswith(base + "/login")  # type: ignore[attr-defined]
    assert p.get_by_role("button", name="Đăng nhập").count() == 1  # type: ignore[attr-defined]
    sign_in(p, base, *OFFICE)
    status = p.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const body = new URLSearchParams({action: 'done', unit: 'hcqt'});
            const r = await fetch('/tasks/1/parts', {method: 'POST', body});
            return r.status;
        }"""
    )
    assert status == 403
