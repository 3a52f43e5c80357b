"""Every page of the console in a real browser, at a desktop and a phone size.

On each page: nothing scrolls sideways at 390 px, no English word of the store's enum
values shows, chart text is at least 11 px high. One error case: a wrong date is said
in a red ``role="alert"`` box next to its field, the typed value kept.

``NHACVIEC_SCREENSHOTS=docs/screens`` saves one PNG per page and size there (the
README links them).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.web.server import Console, ConsoleThread
from data import chat_store, db, outbox, parts, store, unit_store
from data.deadlines import DeadlineKind
from data.domain import (
    AssignmentRole,
    ChannelName,
    ChatAddress,
    ChatRole,
    ExtensionStatus,
    MessageKind,
    OutboxStatus,
    TaskAction,
    TaskStatus,
)
from data.parts import Change
from data.users import UserRole
from jobs.report import PartStatus
from tests.conftest import SAMPLE_PLAN, sample_runtime
from tests.web.conftest import NOW, OFFICE, add_users

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="Chromium missing: scripts/test installs it (apt-get install chromium)",
)

SIZES = {"desktop": (1366, 800), "phone": (390, 844)}
CHOSEN: dict[str, int] = {}  # the task with an approved extension
# The store's own words: none may reach a page (the vocabulary says them in Vietnamese).
ENGLISH = sorted(
    {
        *(s.value for s in MessageKind),
        *(s.value for s in OutboxStatus),
        *(s.value for s in ExtensionStatus),
        *(s.value for s in TaskStatus),
        *(r.value for r in ChatRole),
        *(c.value for c in ChannelName),
        *(k.value for k in DeadlineKind),
        *(a.value for a in TaskAction),
        *(a.value for a in AssignmentRole),
        *(r.value for r in UserRole),
        *(s.value for s in PartStatus),
        "web:",
    }
)
_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    """The sample store with something on every page: groups, requests, queued messages."""
    runtime = sample_runtime(tmp_path_factory.mktemp("pages"), NOW)
    add_users(runtime)
    with db.transaction(runtime.sessions) as session:
        unit = unit_store.find_unit(session, "ktvx")
        assert unit is not None
        chat_store.bind_chat(
            session, ChatAddress(ChannelName.TELEGRAM, "-300"), ChatRole.UNIT, unit, NOW
        )
        chat_store.bind_chat(
            session, ChatAddress(ChannelName.CONSOLE, "vanphong"), ChatRole.ADMIN, None, NOW
        )
        chat_store.bind_chat(
            session, ChatAddress(ChannelName.ZALO, "z-42"), ChatRole.SUPERVISOR, None, NOW
        )
        open_tasks = [
            t
            for t in store.find_tasks(session, unit="ktvx")
            if t.due_date and t.status is TaskStatus.OPEN and t.owners[0].unit.code == "ktvx"
        ]
        first, second = open_tasks[:2]
        CHOSEN["extended"] = first.number
        asked = parts.request_extension(
            session, first, first.owners[0], date(2027, 3, 31), Change(NOW, "Lan", "web")
        )
        parts.decide(asked, True, Change(NOW, "web:vanphong", "web"))
        parts.request_extension(
            session, second, second.owners[0], date(2027, 6, 30), Change(NOW, "Lan", "web")
        )
        outbox.enqueue(
            session,
            [
                outbox.Outgoing(ChannelName.TELEGRAM, "-300", kind, NOW.date(), f"Tin {kind}")
                for kind in MessageKind
            ],
            NOW,
        )
    server = ConsoleThread(Console(runtime, "127.0.0.1:0", bot_username=lambda: "NhacViecBot"))
    assert server.start(), server.console.error
    assert server.console.address is not None
    yield server.console.address, runtime
    server.stop()
    runtime.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        found = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield found
        found.close()


def _sign_in(page: object, base: str) -> None:
    p: object = page
    p.goto(base + "/login")  # type: ignore[attr-defined]
    p.get_by_label("Tên đăng nhập").fill(OFFICE[0])  # type: ignore[attr-defined]
    p.get_by_label("Mật khẩu").fill(OFFICE[1])  # type: ignore[attr-defined]
    p.get_by_role("button", name="Đăng nhập").click()  # type: ignore[attr-defined]
    p.get_by_role("heading", name="Tổng quan").wait_for()  # type: ignore[attr-defined]


def _pages(base: str, runtime: Runtime) -> list[tuple[str, str]]:
    with runtime.sessions() as session:
        late = next(
            t.number
            for t in store.find_tasks(session)
            if t.status is TaskStatus.OPEN and t.owners and t.due_date and t.due_date < NOW.date()
        )
    return [
        ("dashboard", "/"),
        ("documents", "/documents"),
        ("document", "/documents/1"),
        ("tasks", "/tasks"),
        ("tasks-overdue", "/tasks?status=overdue"),
        ("task", f"/tasks/{CHOSEN['extended']}"),
        ("task-overdue", f"/tasks/{late}"),
        ("units", "/units"),
        ("extensions", "/extensions"),
        ("queue", "/queue"),
        ("report", "/report"),
    ]


def _check(page: object, name: str, size: str) -> None:
    p: object = page
    width = p.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    client = p.evaluate("document.documentElement.clientWidth")  # type: ignore[attr-defined]
    wide = p.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)"""
    )
    assert width <= client, f"{name} scrolls sideways at {size}: {width} > {client}: {wide}"
    text = p.evaluate("document.body.innerText")  # type: ignore[attr-defined]
    found = _WORD.findall(text)
    assert not found, f"{name} ({size}) shows English store words: {sorted(set(found))}"
    smallest = p.evaluate(  # type: ignore[attr-defined]
        """() => Math.min(1000, ...[...document.querySelectorAll('svg.chart text')]
            .map(t => t.getBoundingClientRect().height).filter(h => h > 0))"""
    )
    assert smallest >= 11, f"{name} ({size}): chart text {smallest:.1f} px high"


def _shoot(page: object, name: str, size: str) -> None:
    folder = os.environ.get("NHACVIEC_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        full = bool(os.environ.get("NHACVIEC_SCREENSHOTS_FULL"))  # the whole page, to look at
        page.screenshot(path=str(Path(folder) / f"{name}-{size}.png"), full_page=full)  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_at(
    office: tuple[str, Runtime], browser: object, size: str, tmp_path: Path
) -> None:
    base, runtime = office
    width, height = SIZES[size]
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="vi-VN", viewport={"width": width, "height": height}
    )
    p = context.new_page()
    p.set_default_timeout(10_000)
    try:
        p.goto(base + "/login")
        _shoot(p, "login", size)
        _check(p, "login", size)
        _sign_in(p, base)
        for name, path in _pages(base, runtime):
            p.goto(base + path)
            p.locator("h1").first.wait_for()
            _shoot(p, name, size)
            _check(p, name, size)
        # the review of an upload (nothing saved)
        p.goto(base + "/documents")
        upload = tmp_path / "ke_hoach_xem_thu.txt"
        upload.write_bytes(SAMPLE_PLAN.read_bytes())
        p.get_by_label("Tệp văn bản").set_input_files(str(upload))
        p.get_by_role("button", name="Đọc thử").click()
        p.get_by_role("heading", name="Theo phụ lục").wait_for()
        _shoot(p, "review", size)
        _check(p, "review", size)
    finally:
        context.close()


def test_a_wrong_date_is_said_next_to_its_field(
    office: tuple[str, Runtime], browser: object
) -> None:
    base, _ = office
    expect = playwright_api.expect
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(10_000)
    try:
        p.goto(base + "/login")
        p.get_by_label("Tên đăng nhập").fill(OFFICE[0])
        p.get_by_label("Mật khẩu").fill("sai-mat-khau")
        p.get_by_role("button", name="Đăng nhập").click()
        expect(p.get_by_role("alert")).to_contain_text("không đúng")
        expect(p.get_by_label("Tên đăng nhập")).to_have_value(OFFICE[0])  # the login kept
        _sign_in(p, base)
        p.goto(base + "/report?from=31/02/2026")
        alert = p.get_by_role("alert")
        expect(alert).to_contain_text("Ngày 31/02/2026 không có")
        expect(p.get_by_label("Từ ngày")).to_have_value("31/02/2026")
        color = alert.first.evaluate("e => getComputedStyle(e).color")
        assert color.startswith("rgb(1") or color.startswith("rgb(2"), color  # a red
        _shoot(p, "error", "phone")
    finally:
        context.close()


def test_unbinding_a_group_asks_first(office: tuple[str, Runtime], browser: object) -> None:
    """Runs last: it unbinds the supervising group the pages above show."""
    base, runtime = office
    expect = playwright_api.expect
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(10_000)
    try:
        _sign_in(p, base)
        p.goto(base + "/units")
        final = p.get_by_role("button", name="Bỏ hẳn liên kết Zalo (nhóm z-42)")
        expect(final).to_be_hidden()  # one click only opens the question
        p.get_by_text("Bỏ liên kết Zalo (nhóm z-42)", exact=True).click()
        expect(final).to_be_visible()
        with runtime.sessions() as session:
            assert any(c.chat_id == "z-42" for c in chat_store.list_chats(session))
        final.click()
        expect(p.get_by_role("status")).to_contain_text("Đã bỏ liên kết nhóm Zalo (nhóm z-42).")
        with runtime.sessions() as session:
            assert not any(c.chat_id == "z-42" for c in chat_store.list_chats(session))
    finally:
        context.close()
