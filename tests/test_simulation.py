"""A year of mornings on the sample plan, through the command line the office uses."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from jobs.calendar import WorkCalendar
from jobs.plan import Policy
from tests.conftest import SAMPLE_PLAN

START, END = date(2026, 4, 1), date(2027, 3, 31)
CALENDAR = WorkCalendar()


@pytest.fixture
def imported(tmp_path: Path, cli_store: Path) -> Path:
    assert main(["import", str(SAMPLE_PLAN), "--doc-date", "2026-04-01"]) == 0
    for code in ("hcqt", "thnc", "ktvx", "thhcc", "ubkt"):
        assert main(["chats", "bind", "--chat-id", f"g-{code}", "--unit", code]) == 0
    assert main(["chats", "bind", "--chat-id", "vp", "--role", "admin"]) == 0
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def tasks(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return run_json(capsys, "tasks", "--json")  # type: ignore[no-any-return]


def expected_ladder_days(due: date, policy: Policy) -> set[date]:
    days = {
        CALENDAR.previous_working_day_on_or_before(due - timedelta(days=s)) for s in policy.ladder
    }
    return {d for d in days if START <= d <= END and d <= due}


def test_a_year_of_mornings(capsys: pytest.CaptureFixture[str], imported: Path) -> None:
    by_number = {t["number"]: t for t in tasks(capsys)}
    lead = {n: (t["units"] or [None])[0] for n, t in by_number.items()}
    days = run_json(
        capsys, "simulate", "--from", START.isoformat(), "--to", END.isoformat(), "--json"
    )
    assert days[0]["date"] == "2026-04-01"
    assert len(days) == (END - START).days + 1
    seen: dict[int, list[tuple[date, str]]] = defaultdict(list)  # of its lead unit
    reached: dict[int, set[str]] = defaultdict(set)
    for day in days:
        today = date.fromisoformat(day["date"])
        assert day["working_day"] == CALENDAR.is_working_day(today)
        if not day["working_day"]:
            assert day["messages"] == []  # nothing on weekends, Tết, public holidays
        sent = [(m["chat"], m["kind"]) for m in day["messages"]]
        assert len(sent) == len(set(sent))  # one message of each kind per chat per day
        for message in day["messages"]:
            assert message["text"]
            if message["kind"] == "digest":
                assert message["chat"] == f"console:g-{message['unit']}"
                for item in message["items"]:
                    reached[item["task"]].add(message["unit"])
                    if message["unit"] == lead[item["task"]]:
                        seen[item["task"]].append((today, item["reason"]))

    for number, task in by_number.items():
        kind = task["deadline"]["kind"]
        if kind in {"waiting", "done", "unreadable"} or task["needs_review"]:
            assert number not in seen, task["title"]
    dated = [
        t
        for t in by_number.values()
        if t["deadline"]["kind"] == "due" and not t["needs_review"] and t["status"] == "open"
    ]
    assert len(dated) >= 10
    for task in dated:
        due = date.fromisoformat(task["deadline"]["due"])
        if due > END:
            continue
        reminded = [d for d, reason in seen[task["number"]] if reason in {"ladder", "due_today"}]
        assert len(reminded) == len(set(reminded)), task["title"]  # each step exactly once
        assert set(reminded) == expected_ladder_days(due, Policy()), task["title"]
        late = [d for d, reason in seen[task["number"]] if reason == "overdue"]
        assert all(d > due for d in late)
        if due < END - timedelta(days=5):
            assert late  # overdue until done: nothing here is ever marked done
    # the multi-unit task reaches every owner's chat
    multi = next(t for t in by_number.values() if t["title"].startswith("Đánh giá, xếp loại"))
    assert reached[multi["number"]] == set(multi["units"]) == {"hcqt", "thnc", "ktvx", "thhcc"}


def test_nothing_after_a_task_is_done(
    capsys: pytest.CaptureFixture[str], imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = run_json(capsys, "tasks", "--json")
    number = next(t["number"] for t in tasks if t["deadline"]["raw"] == "Quý II/2026")
    assert main(["done", str(number), "--on", "2026-06-20"]) == 0
    capsys.readouterr()
    days = run_json(capsys, "simulate", "--from", "2026-06-01", "--to", "2026-07-31", "--json")
    when = [
        date.fromisoformat(d["date"])
        for d in days
        for m in d["messages"]
        for i in m["items"]
        if i["task"] == number
    ]
    assert when  # it was reminded before…
    assert max(when) < date(2026, 6, 20)  # …and never after it was done


def test_scan_json_shape(capsys: pytest.CaptureFixture[str], imported: Path) -> None:
    day = run_json(capsys, "scan", "--date", "2026-06-16", "--dry-run", "--json")
    assert set(day) == {"date", "working_day", "messages"}
    assert day["working_day"] is True
    message = day["messages"][0]
    assert {"unit", "chat", "kind", "items", "text"} <= set(message)
    assert message["kind"] in {"digest", "escalation", "weekly"}
    assert {"task", "reason", "due"} <= set(message["items"][0])
    assert run_json(capsys, "outbox", "--json") == []  # --dry-run queued nothing
    queued = run_json(capsys, "scan", "--date", "2026-06-16", "--json")
    assert queued["messages"] == day["messages"]
    assert len(run_json(capsys, "outbox", "--json")) == len(day["messages"])
    capsys.readouterr()
    assert main(["scan", "--date", "2026-06-16"]) == 0
    assert "0 tin mới" in capsys.readouterr().out  # scanning twice adds nothing
    saturday = run_json(capsys, "scan", "--date", "2026-06-20", "--json")
    assert saturday == {"date": "2026-06-20", "working_day": False, "messages": []}


def test_a_day_to_come_is_a_preview_only(
    capsys: pytest.CaptureFixture[str], imported: Path
) -> None:
    """`scan --date <a day to come>` without --dry-run queues nothing and records no scan,
    so the next real morning still runs (it used to refuse: "scanned already")."""
    from data.clock import VN_TZ
    from data.models import ScanRun
    from data.scan_runs import last_scan

    today = datetime.now(VN_TZ).date()
    ahead = CALENDAR.next_working_day_on_or_after(today + timedelta(days=10))
    capsys.readouterr()
    assert main(["scan", "--date", ahead.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "xem trước" in out
    assert "Đã đưa vào hàng đợi" not in out
    assert run_json(capsys, "outbox", "--json") == []
    preview = run_json(capsys, "scan", "--date", ahead.isoformat(), "--json")
    assert preview["messages"]  # the preview still shows that day's messages
    assert run_json(capsys, "outbox", "--json") == []
    from bot.runtime import Runtime
    from bot.settings import Settings

    runtime = Runtime.open(Settings())
    try:
        with runtime.sessions() as session:
            assert session.get(ScanRun, ahead) is None
            assert last_scan(session) is None
    finally:
        runtime.close()
    assert main(["scan"]) == 0  # today's real scan still queues
    assert "Đã đưa vào hàng đợi" in capsys.readouterr().out
