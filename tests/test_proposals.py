"""Tasks read from prose are proposals until the office accepts them (issue: prose documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from data import chat_store, db, store
from data.domain import TaskStatus
from data.importers import read_file
from jobs.compose import shorten

NOTICE = Path(__file__).resolve().parents[1] / "data" / "samples" / "thong_bao_mau.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_proposals_are_stored_apart_then_accepted_or_rejected(
    capsys: pytest.CaptureFixture[str], cli_store: Path
) -> None:
    assert read_file(NOTICE)  # the sample notice ships with the package
    code, out, _ = run(capsys, "import", str(NOTICE), "--add-units", "--json")
    assert code == 0
    document = json.loads(out)
    proposed = [t for t in document["tasks"] if t["status"] == "proposed"]
    assert len(proposed) >= 5
    assert all(t["source_text"] and t["number"] for t in proposed)
    steps = [t for t in proposed if "Báo cáo sơ kết" in t["title"]]
    assert [t["deadline"]["due"] for t in steps] == ["2026-06-15", "2026-06-22", "2026-06-30"]

    # Proposals are in no chat's list: the scan and the commands read live tasks only.
    code, out, _ = run(capsys, "scan", "--date", "2026-06-15", "--dry-run", "--json")
    items = [i["task"] for m in json.loads(out)["messages"] for i in m["items"]]
    assert not set(items) & {t["number"] for t in proposed}

    first, second = steps[0]["number"], steps[1]["number"]
    code, out, _ = run(capsys, "tasks", "accept", str(first))
    assert code == 0 and f"Đã nhận #{first}" in out
    code, out, _ = run(capsys, "tasks", "reject", str(second))
    assert code == 0 and f"Đã bỏ đề xuất #{second}" in out
    code, _, err = run(capsys, "tasks", "reject", str(second))
    assert code == 2 and "không phải nhiệm vụ đề xuất" in err

    code, out, _ = run(capsys, "scan", "--date", "2026-06-15", "--dry-run", "--json")
    items = {i["task"] for m in json.loads(out)["messages"] for i in m["items"]}
    assert first in items  # an accepted proposal is reminded like any task
    code, out, _ = run(capsys, "report", "--from", "2026-06-01", "--to", "2026-06-30", "--json")
    assert first in {i["task"] for i in json.loads(out)["items"]}

    from bot.runtime import Runtime
    from bot.settings import Settings

    runtime = Runtime.open(Settings())
    try:
        with db.transaction(runtime.sessions) as session:
            numbers = {t.number: t.status for t in store.find_tasks(session)}
            assert numbers[first] is TaskStatus.OPEN
            assert second not in numbers  # nothing left of a rejected proposal…
            actions = [(a.action, a.detail) for a in chat_store.audit_actions(session)]
            assert any(a == "proposal_rejected" and d.startswith(f"#{second}:") for a, d in actions)
    finally:
        runtime.close()


def test_a_second_import_prints_each_sentence_with_its_own_number(
    capsys: pytest.CaptureFixture[str], cli_store: Path
) -> None:
    """The text review after a re-import: a proposal kept from before and one proposed
    again (rejected in between) each show the number the office would accept."""
    code, out, _ = run(capsys, "import", str(NOTICE), "--add-units", "--json")
    proposed = [t for t in json.loads(out)["tasks"] if t["status"] == "proposed"]
    run(capsys, "tasks", "reject", str(proposed[0]["number"]))
    code, out, _ = run(capsys, "import", str(NOTICE), "--add-units")
    assert code == 0
    code, listing, _ = run(capsys, "import", str(NOTICE), "--add-units", "--json")
    tasks = [t for t in json.loads(listing)["tasks"] if t["source_text"]]
    heads = [line.strip() for line in out.splitlines() if line.strip().startswith("#")]
    assert len(heads) == len(tasks)
    for head in heads:
        number = int(head[1:].split()[0])
        (task,) = [t for t in tasks if t["number"] == number]
        assert shorten(task["title"], 90) in head, (head, task["title"])
