"""Revised plans: tasks matched by content, documents by their own identity, numbers safe.

A row inserted at the top of a revised plan never moves a completion to another
task; a row rewritten beyond recognition is removed and added, and the review says
so; a task missing from one revision and back in the next comes back as it was;
two different plans with the same file name are two documents; two imports at once
never collide on a task number.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import cli
from bot.review import review_text
from data import db, parts, revisions, scan_views, store
from data.domain import TaskStatus
from data.models import Document, Task
from data.units import UnitRegistry
from tests.conftest import SAMPLE_PLAN, parse_sample

NOW = datetime(2026, 4, 2, 1, 0, tzinfo=UTC)
LATER = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)
LAST = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

HEADING = "<b>I</b>\t<b>Đề án, báo cáo của Đảng ủy</b>\t\t\n"
A = (
    "Đề án sắp xếp, kiện toàn các chi bộ trực thuộc theo mô hình tổ chức mới.",
    "Chi bộ Hành chính – Quản trị",
    "Quý II/2026",
)
B = (
    "Báo cáo sơ kết 6 tháng đầu năm 2026 việc thực hiện Nghị quyết Đại hội Đảng bộ.",
    "Chi bộ Tổng hợp – Nội chính",
    "trước ngày 15/6/2026",
)
C = (
    "Quy chế làm việc của Đảng ủy nhiệm kỳ 2025 - 2030.",
    "Chi bộ Hành chính – Quản trị",
    "Đã tham mưu ban hành",
)
D = (
    "Báo cáo tổng kết công tác xây dựng Đảng năm 2026.",
    "Chi bộ Tổng hợp - Nội chính",
    "chậm nhất ngày 10/12/2026",
)
X = (
    "Tổ chức hội nghị biểu dương gương điển hình tiên tiến trong học tập và làm theo Bác.",
    "Chi bộ Hành chính – Quản trị",
    "Tháng 5/2026",
)
ORPHAN = "2.6\tPhối hợp tổ chức hội nghị đối thoại với doanh nghiệp.\tBan Xúc tiến đầu tư tỉnh\t"
ORPHAN_LINE = ORPHAN + "Tháng 9/2026\n"

OTHER_PLAN = """ĐẢNG BỘ VĂN PHÒNG UBND TỈNH
ĐẢNG ỦY
*Lai Châu, ngày 15 tháng 4 năm 2026*

## KẾ HOẠCH

kiểm tra, giám sát của Đảng ủy năm 2026

-----

TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian
1\tKiểm tra việc chấp hành Điều lệ Đảng tại các chi bộ.\tỦy ban Kiểm tra Đảng ủy\tQuý III/2026
2\tGiám sát việc thực hiện quy chế dân chủ ở cơ sở.\tỦy ban Kiểm tra Đảng ủy\tTháng 10/2026
3\tTổng kết công tác kiểm tra, giám sát năm 2026.\tChi bộ Hành chính – Quản trị\t{due}
""".format(due="trước ngày 15/12/2026")


def _plan(rows: list[tuple[str, str, str]], *, orphan: bool = True) -> bytes:
    """The sample plan with Phụ lục 2, section I holding ``rows`` (numbered 1, 2, …)."""
    text = SAMPLE_PLAN.read_text(encoding="utf-8")
    start = text.index(HEADING) + len(HEADING)
    end = text.index("\n\n", start) + 1
    body = "".join(f"{n}\t{t}\t{u}\t{d}\n" for n, (t, u, d) in enumerate(rows, start=1))
    text = text[:start] + body + text[end:]
    if not orphan:
        assert ORPHAN_LINE in text
        text = text.replace(ORPHAN_LINE, "")
    return text.encode()


def _save(
    sessions: sessionmaker[Session], plan: bytes, now: datetime, key: str | None = "kh"
) -> revisions.SaveOutcome:
    with db.transaction(sessions) as session:
        return revisions.save_document(
            session, parse_sample(plan), key=key, source_name="kh.txt", sha256="", now=now
        )


def _task(session: Session, title: str) -> Task:
    found = [t for t in session.scalars(select(Task)) if t.title == title]
    assert len(found) == 1, (title, [t.number for t in found])
    return found[0]


def _mark_done(sessions: sessionmaker[Session], title: str, actor: str = "Lan") -> int:
    with db.transaction(sessions) as session:
        task = _task(session, title)
        change = parts.Change(NOW, actor, chat="telegram:-100")
        if task.owners:
            for part in task.owners:
                parts.mark_part(task, part, change, done=True)
        else:
            parts.mark_task(task, change, done=True)
        assert task.status is TaskStatus.DONE
        return task.number


def _state(session: Session, number: int) -> tuple[str, TaskStatus, list[tuple[str, str]]]:
    task = session.scalar(select(Task).where(Task.number == number))
    assert task is not None
    done = [(a.unit.code, a.done_by) for a in task.owners if a.done_at is not None]
    return task.title, task.status, done


# -- 2. a revised plan never moves "done" to another task -------------------------------


def test_a_row_inserted_at_the_top_moves_no_completion(sessions: sessionmaker[Session]) -> None:
    _save(sessions, _plan([A, B, C, D]), NOW)
    a = _mark_done(sessions, A[0])
    with sessions() as session:
        numbers = {t.title: t.number for t in session.scalars(select(Task))}

    outcome = _save(sessions, _plan([X, A, B, C, D]), LATER)

    with sessions() as session:
        assert _state(session, a) == (A[0], TaskStatus.DONE, [("hcqt", "Lan")])
        for title in (B[0], D[0]):
            assert _task(session, title).number == numbers[title]
            assert _task(session, title).status is TaskStatus.OPEN
        assert _task(session, C[0]).status is TaskStatus.DONE  # "Đã tham mưu ban hành"
        x = _task(session, X[0])
        assert x.status is TaskStatus.OPEN and x.number not in numbers.values()
        assert x.ref == "1" and _task(session, A[0]).ref == "2"
        assert session.scalar(select(func.count()).select_from(Task)) == len(numbers) + 1
    assert outcome.created == [x.number] and outcome.removed == []
    moved = {m.number: m for m in outcome.matched}
    assert moved[a].old_ref == "1" and moved[a].new_ref == "2"
    text = review_text(parse_sample(_plan([X, A, B, C, D])), UnitRegistry.default(), outcome, False)
    assert "Thêm mới (1):" in text and f"#{x.number}" in text and X[0] in text
    assert f"#{a} (Phụ lục 2, TT 1 → 2)" in text


def test_a_rewritten_row_is_removed_and_added_not_renamed(sessions: sessionmaker[Session]) -> None:
    _save(sessions, _plan([A, B, C, D]), NOW)
    b = _mark_done(sessions, B[0])

    outcome = _save(sessions, _plan([A, X, C, D]), LATER)

    with sessions() as session:
        title, status, done = _state(session, b)
        assert (title, status) == (B[0], TaskStatus.REMOVED)
        assert done == [("thnc", "Lan")]  # its report is kept, never moved
        x = _task(session, X[0])
        assert x.status is TaskStatus.OPEN and x.number != b
        assert [a.done_at for a in x.owners] == [None]
    assert outcome.created == [x.number] and outcome.removed == [b]
    assert outcome.replaced == [(b, x.number)]
    text = review_text(parse_sample(_plan([A, X, C, D])), UnitRegistry.default(), outcome, False)
    assert f"#{b}" in text and f"#{x.number}" in text
    assert "nội dung khác nhiều" in text


def test_a_lightly_edited_title_keeps_its_number_and_completion(
    sessions: sessionmaker[Session],
) -> None:
    _save(sessions, _plan([A, B, C, D]), NOW)
    b = _mark_done(sessions, B[0])
    edited = (B[0].replace("Đảng bộ.", "Đảng bộ các cấp."), B[1], B[2])

    outcome = _save(sessions, _plan([X, A, edited, C, D]), LATER)

    with sessions() as session:
        assert _state(session, b) == (edited[0], TaskStatus.DONE, [("thnc", "Lan")])
    assert b in outcome.updated and b not in outcome.removed
    change = next(m for m in outcome.matched if m.number == b)
    assert change.old_title == B[0] and change.new_title == edited[0]
    text = review_text(
        parse_sample(_plan([X, A, edited, C, D])), UnitRegistry.default(), outcome, False
    )
    assert "Đổi tên" in text and f"#{b}" in text


REWORDED = "Sơ kết giữa nhiệm kỳ, đánh giá kết quả thực hiện Nghị quyết Đại hội Đảng bộ lần thứ XV."


@pytest.mark.parametrize("deadline", [B[2], "Quý III/2026"])
def test_a_reworded_row_keeps_its_number_only_when_the_match_is_confident(
    sessions: sessionmaker[Session], deadline: str
) -> None:
    """Titles about 64% alike: the same task only at the same place, owners and deadline."""
    _save(sessions, _plan([A, B, C, D]), NOW)
    b = _mark_done(sessions, B[0])
    plan = _plan([A, (REWORDED, B[1], deadline), C, D])

    outcome = _save(sessions, plan, LATER)

    text = review_text(parse_sample(plan), UnitRegistry.default(), outcome, False)
    with sessions() as session:
        if deadline == B[2]:  # confident: reworded, the same task
            assert _state(session, b) == (REWORDED, TaskStatus.DONE, [("thnc", "Lan")])
            assert outcome.created == [] and outcome.removed == []
            assert f"#{b} (Phụ lục 2, TT 2)" in text and re.search(r"giống 6\d%", text)
        else:  # not confident: removed + added, said so, the report stays with the old one
            assert _state(session, b) == (B[0], TaskStatus.REMOVED, [("thnc", "Lan")])
            new = _task(session, REWORDED)
            assert new.status is TaskStatus.OPEN and outcome.replaced == [(b, new.number)]
            assert f"kết quả đã báo của #{b} không chuyển sang #{new.number}" in text


# -- 4. missing from one revision, back in the next: as it was ---------------------------


def test_a_task_missing_once_comes_back_with_its_completions(
    sessions: sessionmaker[Session],
) -> None:
    _save(sessions, _plan([A, B, C, D]), NOW)
    a = _mark_done(sessions, A[0])
    orphan = _mark_done(sessions, ORPHAN.split("\t")[1], actor="Văn phòng")  # no owner parts
    with sessions() as session:
        b = _task(session, B[0]).number

    second = _save(sessions, _plan([B, C, D], orphan=False), LATER)
    with sessions() as session:
        assert _state(session, a)[1] is TaskStatus.REMOVED
        assert _state(session, b) == (B[0], TaskStatus.OPEN, [])  # not given a's report
        assert _state(session, orphan)[1] is TaskStatus.REMOVED
    assert sorted(second.removed) == sorted([a, orphan])

    third = _save(sessions, _plan([A, B, C, D]), LAST)
    with sessions() as session:
        assert _state(session, a) == (A[0], TaskStatus.DONE, [("hcqt", "Lan")])
        assert _state(session, b) == (B[0], TaskStatus.OPEN, [])
        back = session.scalar(select(Task).where(Task.number == orphan))
        assert back is not None and back.status is TaskStatus.DONE and back.done_at == NOW
        assert store.task_with_history(session, a) is not None
    assert sorted(third.restored) == sorted([a, orphan]) and third.created == []


def test_tasks_read_from_prose_are_left_alone(sessions: sessionmaker[Session]) -> None:
    first = _save(sessions, _plan([A, B, C, D]), NOW)
    with db.transaction(sessions) as session:
        for status, number in ((TaskStatus.PROPOSED, 900), (TaskStatus.OPEN, 901)):
            session.add(
                Task(
                    number=number,
                    document_id=first.document_id,
                    source_key=f"Văn bản|{number}",
                    title="Các chi bộ tổ chức sinh hoạt chuyên đề.",
                    source_text="Các chi bộ tổ chức sinh hoạt chuyên đề trong quý III.",
                    deadline_kind="due",
                    status=status,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )

    outcome = _save(sessions, _plan([X, A, B, C, D]), LATER)

    assert outcome.removed == [] and outcome.replaced == []
    with sessions() as session:
        rows = session.execute(select(Task.number, Task.status).where(Task.source_text != ""))
        kept = {row.number: row.status for row in rows}
    assert kept == {900: TaskStatus.PROPOSED, 901: TaskStatus.OPEN}


# -- 3. a document is known by itself, not by its file name ------------------------------


class _App:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.settings = None


def _cli_import(
    sessions: sessionmaker[Session], path: Path, *extra: str
) -> tuple[int, argparse.Namespace]:
    args = cli.build_parser().parse_args(["import", str(path), "--doc-date", "2026-04-01", *extra])
    return cli.cmd_import(_App(sessions), args), args  # type: ignore[arg-type]


def test_two_plans_with_one_file_name_are_two_documents(
    sessions: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a" / "ke_hoach.txt", tmp_path / "b" / "ke_hoach.txt"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_bytes(SAMPLE_PLAN.read_bytes())
    second.write_text(OTHER_PLAN, encoding="utf-8")
    sample_count = len(parse_sample().items)

    assert _cli_import(sessions, first)[0] == 0
    capsys.readouterr()
    assert _cli_import(sessions, second)[0] == 0
    out = capsys.readouterr().out
    assert "Văn bản mới" in out and "Đã lưu: 3 mới, 0 cập nhật, 0 không đổi, 0 không còn" in out

    with sessions() as session:
        documents = list(session.scalars(select(Document).order_by(Document.id)))
        assert len(documents) == 2 and documents[0].key != documents[1].key
        statuses = session.scalars(select(Task.status).where(Task.document_id == documents[0].id))
        assert TaskStatus.REMOVED not in set(statuses)
        assert session.scalar(select(func.count()).select_from(Task)) == sample_count + 3
        first_key = documents[0].key

    # the same plan under another file name: a revision of the first, no duplicates
    renamed = tmp_path / "ke_hoach_ban_sua.txt"
    renamed.write_bytes(SAMPLE_PLAN.read_bytes())
    assert _cli_import(sessions, renamed)[0] == 0
    out = capsys.readouterr().out
    assert f"Bản sửa của văn bản đã nhập (mã {first_key})" in out
    assert f"0 mới, 0 cập nhật, {sample_count} không đổi" in out
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2

    # --key stays the explicit override: same key = revision of that document
    assert _cli_import(sessions, second, "--key", first_key)[0] == 0
    out = capsys.readouterr().out
    assert f"mã {first_key}" in out and "Đã lưu: 3 mới" in out
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2


# -- 5. two imports at once ----------------------------------------------------------------


def test_two_imports_at_once_get_distinct_numbers(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """Both sessions read the highest number before either writes (the barrier makes
    sure they would); a safe allocation makes the second wait instead of colliding."""
    barrier = threading.Barrier(2)

    @event.listens_for(engine, "after_cursor_execute")
    def _meet(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "max(tasks.number)" in statement.lower():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=1.5)

    errors: list[BaseException] = []

    def run(key: str) -> None:
        try:
            _save(sessions, SAMPLE_PLAN.read_bytes(), NOW, key=key)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in ("kh-a", "kh-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    event.remove(engine, "after_cursor_execute", _meet)
    assert errors == []
    with sessions() as session:
        numbers = list(session.scalars(select(Task.number)))
    assert len(numbers) == 2 * len(parse_sample().items) == len(set(numbers))


def test_a_failed_save_is_told_in_vietnamese(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def clash(*_args: object, **_kwargs: object) -> revisions.SaveOutcome:
        raise IntegrityError("INSERT INTO tasks", {}, Exception("uq_tasks_number"))

    monkeypatch.setattr(revisions, "save_document", clash)
    path = tmp_path / "ke_hoach.txt"
    path.write_bytes(SAMPLE_PLAN.read_bytes())
    code, _ = _cli_import(sessions, path)
    out, err = capsys.readouterr()
    assert code == 2
    assert "Không lưu được" in err and "nhập lại" in err
    assert "IntegrityError" not in out + err and "uq_tasks_number" not in out + err
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 0


# -- the ownerless flag follows the parts (the scan's indexed "no owner" read) -----------


def _owner_flags_agree(session: Session) -> None:
    """``Task.has_owner`` says what the parts say, for every task."""
    for task in session.scalars(select(Task)):
        assert task.has_owner == bool(task.owners), task.title


def test_a_task_losing_and_regaining_its_owner_is_read_as_ownerless_only_between(
    sessions: sessionmaker[Session],
) -> None:
    today = LATER.date()

    def ownerless_titles() -> set[str]:
        with sessions() as session:
            _owner_flags_agree(session)
            views = scan_views.task_views(session, today=today)
            return {v.title for v in views if not v.units}

    _save(sessions, _plan([A, B, D]), NOW)
    assert A[0] not in ownerless_titles()
    _save(sessions, _plan([(A[0], "", A[2]), B, D]), LATER)  # the clerk cleared the cell
    assert A[0] in ownerless_titles()
    _save(sessions, _plan([A, B, D]), LAST)
    assert A[0] not in ownerless_titles()
