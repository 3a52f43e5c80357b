"""The office's figures kept while the store stands still and counted ahead when it
moves (``bot.web.figures``): a page never shows an older store than the one it asks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.runtime import Runtime
from bot.web import figures, views
from bot.web.app import create_app
from bot.web.figures import FRESH, HOT_FOR, Figures
from data import chat_store, console_counts, db, unit_store
from data.units import UnitInfo
from tests.web.conftest import OFFICE, sign_in


class Store:
    """A store's mark and a clock the test moves."""

    def __init__(self) -> None:
        self.mark = 1
        self.now = 1000.0
        self.counted = 0

    def figures(self) -> Figures:
        return Figures(lambda: nullcontext(None), mark=lambda _: self.mark, clock=lambda: self.now)

    def count(self, _: Any) -> tuple[int, int]:
        self.counted += 1
        return (self.mark, self.counted)


def test_a_figure_is_counted_once_while_the_store_stands_still() -> None:
    store = Store()
    kept = store.figures()
    assert kept.get("year", store.count) == (1, 1)
    store.now += FRESH / 2
    assert kept.get("year", store.count) == (1, 1)  # nothing moved: the kept answer
    store.mark = 2  # a unit reported a part done
    assert kept.get("year", store.count) == (2, 2)
    store.now += FRESH + 1  # a change that writes no history event is seen in time
    assert kept.get("year", store.count) == (2, 3)


def test_the_warmer_counts_again_what_pages_asked_when_the_store_moves() -> None:
    store = Store()
    kept = store.figures()
    kept.get("year", store.count)
    assert kept.refresh() == 0  # nothing moved
    store.mark = 2
    assert kept.refresh() == 1  # counted again before anyone asks
    assert kept.get("year", store.count) == (2, 2)
    assert store.counted == 2  # the page found it counted


def test_a_figure_nobody_asked_lately_is_not_counted_in_the_background() -> None:
    store = Store()
    kept = store.figures()
    kept.get("ten years", store.count)
    store.now += HOT_FOR + 1
    store.mark = 2
    assert kept.refresh() == 0
    assert store.counted == 1
    assert kept.get("ten years", store.count) == (2, 2)  # the page counts it itself


def test_the_warmer_leaves_a_figure_a_page_is_counting_to_that_page() -> None:
    store = Store()
    kept = store.figures()
    kept.get("year", store.count)
    store.mark = 2
    started, release = threading.Event(), threading.Event()

    def slow(session: Any) -> tuple[int, int]:
        started.set()
        release.wait(5)
        return store.count(session)

    page = threading.Thread(target=kept.get, args=("year", slow))
    page.start()
    assert started.wait(5)
    assert kept.refresh() == 0  # not counted twice
    release.set()
    page.join(5)
    assert store.counted == 2


def test_a_failing_store_does_not_stop_the_warmer(caplog: pytest.LogCaptureFixture) -> None:
    store = Store()
    failures = iter([ConnectionError("postgresql://nhacviec:secret@db/nhacviec"), None])
    asked = threading.Event()

    def keep() -> None:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        asked.set()

    kept = store.figures()
    original = figures.WARM_EVERY
    figures.WARM_EVERY = 0.01
    try:
        kept.start(keep)
        assert asked.wait(5)  # the second pass ran after the first failed
    finally:
        kept.stop()
        figures.WARM_EVERY = original
    assert "secret" not in caplog.text


@pytest.fixture
def console(runtime: Runtime) -> Iterator[tuple[TestClient, Any]]:
    app = create_app(runtime, bot_username=lambda: "NhacViecBot")
    with TestClient(app) as client:
        yield client, app.state.web


def test_the_dashboard_is_counted_before_the_clerk_asks_and_after_each_change(
    console: tuple[TestClient, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, web = console
    counted: list[object] = []
    real = views.report_counts

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted.append(args[2:])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "report_counts", counting)
    views.keep_dashboard_counted(web)  # what the console's warmer asks, each second
    assert len(counted) == 1
    csrf = sign_in(client, *OFFICE)  # the sign-in lands on the dashboard
    before = client.get("/")
    assert before.status_code == 200 and len(counted) == 1  # counted ahead, not by the page
    answer = client.post("/tasks/1/parts", data={"action": "done", "unit": "hcqt", "csrf": csrf})
    assert answer.status_code in (200, 303)
    assert web.figures.refresh() >= 1  # the store moved: counted again in the background
    assert len(counted) == 2
    after = client.get("/")
    assert len(counted) == 2  # the page found the new figures counted
    web.figures = Figures(web.runtime.sessions)  # nothing kept: the page counts itself
    again = client.get("/")
    assert len(counted) == 3
    assert _figures_of(after.text) == _figures_of(again.text) != _figures_of(before.text)


def _figures_of(page: str) -> str:
    """The dashboard's figures table (what the counts decide)."""
    start = page.index('<table class="figures')
    return page[start : page.index("</table>", start)]


def test_the_marks_move_with_history_audit_and_units(runtime: Runtime) -> None:
    """What the kept figures are checked against: a rejected proposal leaves no history
    (its task is deleted) but its audit entry; a unit added changes the units' table."""
    clerk = chat_store.Actor(channel="web", user_name="vanphong")
    with db.transaction(runtime.sessions) as session:
        first = console_counts.store_mark(session), console_counts.audit_mark(session)
        chat_store.audit(session, clerk, runtime.clock(), "proposal_rejected", "#9")
    with db.transaction(runtime.sessions) as session:
        audited = console_counts.store_mark(session), console_counts.audit_mark(session)
        unit_store.add_unit(session, UnitInfo("moi", "Chi bộ Mới"))
    with runtime.sessions() as session:
        added = console_counts.store_mark(session), console_counts.audit_mark(session)
    assert first[0] == audited[0] != added[0]  # a sign-in or a code issued: no recount
    assert first[1] != audited[1]


def test_a_figure_with_a_mark_of_its_own_is_kept_but_never_counted_ahead() -> None:
    store = Store()
    kept = store.figures()
    assert kept.get("documents", store.count, also=7) == (1, 1)
    assert kept.get("documents", store.count, also=7) == (1, 1)
    assert kept.get("documents", store.count, also=8) == (1, 2)  # its own mark moved
    store.mark = 2
    assert kept.refresh() == 0  # the warmer cannot know the page's own mark
    assert kept.get("documents", store.count, also=8) == (2, 3)
