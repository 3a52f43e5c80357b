"""One verb, one place: the same office actions from the chat, the console and the command
line leave identical parts, history, audit details and outbox rows.

Each surface runs the same scenario on its own fresh store (the sample plan, every unit's
group bound, confirmation on, the clock pinned). The units always act in their groups;
the office acts from the surface under test — where the chat has no such command
(extend, set a date, set owners, accept a proposal) the chat's run uses the command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.access import Sender
from bot.cli import build_parser
from bot.runtime import LazyRuntime, Runtime
from bot.web.app import create_app
from data.models import (
    Assignment,
    AuditEntry,
    ExtensionRequest,
    OutboxMessage,
    Task,
    TaskEvent,
)
from tests.conftest import bind_every_unit, sample_runtime, save_sample
from tests.web.conftest import NOTICE, NOW, OFFICE, add_users, sign_in

ADMIN = Sender("telegram", "admin", "9", "Văn phòng")
_CODE = re.compile(r"mã ([A-Z0-9]{5})")


def unit_sender(code: str) -> Sender:
    return Sender("telegram", f"g-{code}", "1", "Lan")


class Office:
    """The office's actions through one surface."""

    def __init__(self, runtime: Runtime, surface: str, client: TestClient | None) -> None:
        self.runtime, self.surface, self.client = runtime, surface, client
        self.chat = runtime.service()
        self.csrf = sign_in(client, *OFFICE) if client is not None else ""
        self.lines: list[str] = []

    # -- the surfaces ------------------------------------------------------------------

    def cli(self, *words: str) -> None:
        app = LazyRuntime(self.runtime.settings)
        app._runtime = self.runtime  # the same store and pinned clock
        args = build_parser().parse_args(list(words))
        args.func(app, args)

    def say(self, text: str) -> None:
        reply = self.chat.handle(ADMIN, text)
        assert reply is not None
        self.lines.append(reply.text)

    def post(self, url: str, **form: str) -> None:
        assert self.client is not None
        answer = self.client.post(url, data={"csrf": self.csrf, **form})
        assert answer.status_code == 200, answer.text[:300]

    # -- the verbs -----------------------------------------------------------------------

    def done(self, number: int) -> None:
        self._one(f"/done {number}", f"/tasks/{number}/parts", {"action": "done"}, "done", number)

    def reopen(self, number: int) -> None:
        self._one(f"/mo {number}", f"/tasks/{number}/parts", {"action": "reopen"}, "reopen", number)

    def approve(self, code: str) -> None:
        if self.surface == "chat":
            self.say(f"/duyet {code}")
        elif self.surface == "console":
            self.post(f"/extensions/{code}", action="approve")
        else:
            self.cli("approve", code)

    def refuse(self, code: str, reason: str) -> None:
        if self.surface == "chat":
            self.say(f"/tuchoi {code} {reason}")
        elif self.surface == "console":
            self.post(f"/extensions/{code}", action="refuse", note=reason)
        else:
            self.cli("refuse", code, "--reason", reason)

    def confirm(self, number: int, unit: str) -> None:
        if self.surface == "chat":
            self.say(f"/xacnhan {number} {unit}")
        elif self.surface == "console":
            self.post(f"/tasks/{number}/confirm", action="confirm", unit=unit)
        else:
            self.cli("confirm", str(number), "--unit", unit)

    def send_back(self, number: int, unit: str, reason: str) -> None:
        if self.surface == "chat":
            self.say(f"/tralai {number} {unit} {reason}")
        elif self.surface == "console":
            self.post(f"/tasks/{number}/confirm", action="return", unit=unit, reason=reason)
        else:
            self.cli("sendback", str(number), "--unit", unit, "--reason", reason)

    def extend(self, number: int, to: str, reason: str) -> None:
        if self.surface == "console":
            day = "/".join(reversed(to.split("-")))
            self.post(f"/tasks/{number}/extend", to=day, reason=reason)
        else:
            self.cli("extend", str(number), "--to", to, "--reason", reason)

    def set_date(self, number: int, due: str) -> None:
        day = "/".join(reversed(due.split("-")))
        if self.surface == "console":
            self.post(f"/tasks/{number}/date", due=day)
        else:
            self.cli("tasks", "date", str(number), day)

    def set_owners(self, number: int, unit: str) -> None:
        if self.surface == "console":
            self.post(f"/tasks/{number}/owners", owners=unit)
        else:
            self.cli("tasks", "owners", str(number), unit)

    def accept(self, doc_id: int, number: int) -> None:
        if self.surface == "console":
            self.post(f"/documents/{doc_id}/proposals/{number}", action="accept")
        else:
            self.cli("tasks", "accept", str(number))

    def _one(self, text: str, url: str, form: dict[str, str], word: str, number: int) -> None:
        if self.surface == "chat":
            self.say(text)
        elif self.surface == "console":
            self.post(url, **form)
        else:
            self.cli(word, str(number))


def unit_says(office: Office, unit: str, text: str) -> str:
    reply = office.chat.handle(unit_sender(unit), text)
    assert reply is not None
    return reply.text


def number_of(runtime: Runtime, raw: str) -> int:
    with runtime.sessions() as session:
        task = session.scalar(select(Task).where(Task.deadline_raw == raw))
        assert task is not None
        return task.number


def scenario(office: Office) -> None:
    runtime = office.runtime
    a = number_of(runtime, "Quý II/2026")  # hcqt
    b = number_of(runtime, "Quý IV/2026")  # hcqt
    c = number_of(runtime, "Tháng 12/2026")  # hcqt
    d = number_of(runtime, "Hoàn thành năm 2027")  # hcqt
    e = number_of(runtime, "chậm nhất ngày 10/12/2026")  # thnc
    f = number_of(runtime, "Quý I/2027")  # thnc
    waiting = number_of(runtime, "Khi có chỉ đạo, hướng dẫn")
    ownerless = number_of(runtime, "Quý III/2026")

    unit_says(office, "hcqt", f"/done {a}")
    office.reopen(a)  # a waiting report is returned: the part is open again
    unit_says(office, "hcqt", f"/done {a} lần hai")
    office.done(a)  # the office's done of a waiting report confirms it, the unit is told
    office.extend(b, "2027-01-31", "chờ số liệu")
    asked = unit_says(office, "hcqt", f"/giahan {c} 15/01/2027 chờ hướng dẫn")
    office.approve(_CODE.findall(asked)[0])
    asked = unit_says(office, "hcqt", f"/giahan {d} 31/03/2028 thiếu kinh phí")
    office.refuse(_CODE.findall(asked)[0], "chưa đủ căn cứ")
    unit_says(office, "thnc", f"/done {e}")
    office.confirm(e, "thnc")
    unit_says(office, "thnc", f"/done {f}")
    office.send_back(f, "thnc", "thiếu biên bản")
    office.set_date(waiting, "2026-09-30")
    office.set_owners(ownerless, "ktvx")
    doc_id, proposal = notice_proposal(runtime)
    office.accept(doc_id, proposal)


def notice_proposal(runtime: Runtime) -> tuple[int, int]:
    """The sample notice's first proposal that names an owner."""
    with runtime.sessions() as session:
        found = session.scalars(select(Task).where(Task.status == "proposed")).all()
        task = next(t for t in found if t.owners)
        return task.document_id, task.number


def snapshot(runtime: Runtime) -> dict[str, Any]:
    """What the record says, without who typed it (the actor names their surface)."""
    with runtime.sessions() as session:
        part_rows = session.execute(
            select(
                Task.number,
                Assignment.role,
                Assignment.unit_id,
                Assignment.done_at,
                Assignment.reported_at,
                Assignment.extended_to,
                Assignment.done_note,
                Task.status,
                Task.due_date,
                Task.deadline_kind,
            )
            .join(Task, Task.id == Assignment.task_id)
            .order_by(Task.number, Assignment.unit_id)
        ).all()
        history = session.execute(
            select(Task.number, TaskEvent.action, TaskEvent.unit_id, TaskEvent.detail, TaskEvent.at)
            .join(Task, Task.id == TaskEvent.task_id)
            .order_by(TaskEvent.id)
        ).all()
        audit = session.execute(
            select(AuditEntry.action, AuditEntry.detail).order_by(AuditEntry.id)
        ).all()
        sent = session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.kind, OutboxMessage.text).order_by(
                OutboxMessage.id
            )
        ).all()
        codes = session.scalars(select(ExtensionRequest.code).order_by(ExtensionRequest.id)).all()

    def same(row: Any) -> tuple[Any, ...]:
        """Request codes are random: each is named by its order instead."""
        found = []
        for value in row:
            for n, code in enumerate(codes):
                value = value.replace(code, f"<mã {n}>") if isinstance(value, str) else value
            found.append(value)
        return tuple(found)

    return {
        "parts": [tuple(r) for r in part_rows],
        "history": [same(r) for r in history],
        "audit": [same(r) for r in audit if r[0] != "login"],
        "outbox": [same(r) for r in sent],
    }


@pytest.fixture
def run_on(tmp_path: Path) -> Iterator[Callable[[str], dict[str, Any]]]:
    opened: list[Runtime] = []

    def run(surface: str) -> dict[str, Any]:
        runtime = sample_runtime(tmp_path / surface, NOW, confirm_done=True)
        opened.append(runtime)
        add_users(runtime)
        bind_every_unit(runtime.sessions, "telegram", NOW)
        save_sample(runtime.sessions, NOW, NOTICE.read_bytes(), key="tb")
        if surface == "console":
            with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
                scenario(Office(runtime, surface, client))
        else:
            scenario(Office(runtime, surface, None))
        return snapshot(runtime)

    yield run
    for runtime in opened:
        runtime.close()


def test_each_verb_leaves_the_same_record_from_every_surface(
    run_on: Callable[[str], dict[str, Any]],
) -> None:
    chat, console, cli = run_on("chat"), run_on("console"), run_on("cli")
    for name in ("parts", "history", "audit", "outbox"):
        assert console[name] == cli[name], name
        assert chat[name] == cli[name], name
    assert len(cli["outbox"]) >= 8  # every unit told, every request and report seen


def test_the_office_reopen_returns_a_waiting_report_everywhere(
    run_on: Callable[[str], dict[str, Any]],
) -> None:
    record = run_on("console")
    returned = [h for h in record["history"] if h[1] == "returned"]
    assert returned, "the office's reopen left the unit's report waiting"
    with_db = record["parts"]
    assert all(p[4] is None or p[3] is not None for p in with_db)  # nothing left waiting
