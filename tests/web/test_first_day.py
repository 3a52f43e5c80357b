"""A new office's first day, in a real browser: a fresh store, its own plan, defaults.

The store has no unit, no group, no plan. The clerk uploads a plan naming five bodies
(one a typo of another), presses "Đọc thử" then "Lưu" without changing anything: the
four units exist (the typo an alias), every task has its unit, the dashboard lists
each unit's four statuses and the overdue tasks, and says what is still missing
instead of claiming that all is reported.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.settings import Settings
from bot.web.server import Console, ConsoleThread
from data import store, unit_store
from tests.web.conftest import NOW, OFFICE, add_users

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PLAN = Path(__file__).resolve().parents[1] / "data" / "console" / "ke_hoach_don_vi_moi.txt"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium missing: scripts/test installs it (apt-get install chromium)",
)


def _shoot(page: object, name: str, size: tuple[int, int]) -> None:
    """``NHACVIEC_SCREENSHOTS=docs/screens``: the README's pictures of the first day."""
    folder = os.environ.get("NHACVIEC_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shown = "phone" if size[0] < 600 else "desktop"
        page.screenshot(path=str(Path(folder) / f"{name}-{shown}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[str, Runtime]]:
    runtime = Runtime.open(
        Settings(data_dir=tmp_path, telegram_bot_token=None, zalo_bot_token=None)
    )
    runtime.clock = lambda: NOW
    add_users(runtime)
    server = ConsoleThread(Console(runtime, "127.0.0.1:0", bot_username=lambda: None))
    assert server.start(), server.console.error
    assert server.console.address is not None
    yield server.console.address, runtime
    server.stop()
    runtime.close()


@pytest.mark.parametrize("size", [(1366, 800), (390, 844)], ids=["desktop", "phone"])
def test_a_new_office_saves_its_plan_with_the_defaults(
    fresh: tuple[str, Runtime], tmp_path: Path, size: tuple[int, int]
) -> None:
    base, runtime = fresh
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            locale="vi-VN", viewport={"width": size[0], "height": size[1]}
        )
        p = context.new_page()
        p.set_default_timeout(10_000)
        p.goto(base + "/login")
        p.get_by_label("Tên đăng nhập").fill(OFFICE[0])
        p.get_by_label("Mật khẩu").fill(OFFICE[1])
        p.get_by_role("button", name="Đăng nhập").click()
        p.get_by_role("heading", name="Tổng quan").wait_for()
        missing = p.locator("section.missing")
        expect(missing).to_contain_text("Chưa nhập kế hoạch nào")
        expect(missing).to_contain_text("Chưa có đơn vị nào")
        expect(missing).to_contain_text("Chưa có nhóm chat nào")
        _shoot(p, "first-day-empty", size)

        p.goto(base + "/documents")
        upload = tmp_path / PLAN.name
        upload.write_bytes(PLAN.read_bytes())
        p.get_by_label("Tệp văn bản").set_input_files(str(upload))
        p.get_by_role("button", name="Đọc thử").click()
        new_units = re.compile(r"Đơn vị chưa có trong danh sách \(5\)")
        expect(p.get_by_role("heading", name=new_units)).to_be_visible()
        # one row per name, checked by default, with how many tasks name it
        rows = p.locator("li.newunit")
        expect(rows).to_have_count(5)
        kttv = p.locator('li.newunit[data-name="Chi bộ Kế toán – Tài vụ"]')
        expect(kttv).to_contain_text("3 nhiệm vụ ghi tên này")
        expect(kttv.get_by_role("checkbox")).to_be_checked()
        expect(kttv.get_by_label("Mã")).to_have_value("kttv")
        typo = p.locator('li.newunit[data-name="Ban Tổ chứcc Đảng ủy"]')
        expect(typo.get_by_label("Hoặc là tên gọi khác của")).to_have_value("=Ban Tổ chức Đảng ủy")
        _shoot(p, "first-day-review", size)
        # no warning per cell, none sending the clerk to a command line
        assert "nhacviec units" not in p.content()
        p.get_by_role("button", name="Lưu", exact=True).click()
        expect(p.get_by_role("status")).to_contain_text("Đã thêm 4 đơn vị")

        with runtime.sessions() as session:
            codes = {u.code for u in unit_store.list_units(session)}
            assert codes == {"tcdu", "kttv", "ttlt", "du"}
            typo_unit = unit_store.find_unit(session, "Ban Tổ chứcc Đảng ủy")
            assert typo_unit is not None and typo_unit.code == "tcdu"
            tasks = store.find_tasks(session)
            assert len(tasks) == 10 and all(t.owners for t in tasks)

        p.goto(base + "/")
        for code in sorted(codes):
            row = p.locator(f'table.figures tr[data-unit="{code}"]')
            expect(row).to_have_count(1)
            for status in ("done_on_time", "done_late", "in_term", "overdue"):
                expect(row.locator(f'td[data-status="{status}"]')).to_have_count(1)
        late = p.get_by_role("heading", name=re.compile(r"Quá hạn \(\d+\)"))
        expect(late).to_have_text(re.compile(r"Quá hạn \(5\)"))
        expect(p.get_by_text(re.compile(r"quá hạn \d+ ngày")).first).to_be_visible()
        text = p.locator("main").inner_text()
        assert "Mọi đơn vị đã báo cáo" not in text
        assert "Không có phần việc nào quá hạn" not in text
        expect(p.locator("section.missing")).to_contain_text("Chưa có nhóm chat nào")
        _shoot(p, "first-day-dashboard", size)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0]
        context.close()
        browser.close()
