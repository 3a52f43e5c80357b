"""Importing a document again: rows keep their tasks, the clerk's fixes stay, the review
says per task what changes, and rows nothing tells apart are left to the clerk.

All through the command line (``nhacviec import``, ``tasks``, ``done``) on a store of
its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

HEAD = """ĐẢNG BỘ VĂN PHÒNG UBND TỈNH
ĐẢNG ỦY
*Lai Châu, ngày 15 tháng 4 năm 2026*

## KẾ HOẠCH

thực hiện nghị quyết của Đảng ủy năm 2026

-----

TT\tNhiệm vụ\tĐơn vị tham mưu\tThời gian
"""
REPORT = "Báo cáo kết quả thực hiện nghị quyết."
HCQT = "Chi bộ Hành chính – Quản trị"
THNC = "Chi bộ Tổng hợp – Nội chính"
THHCC = "Chi bộ Tin học – Hành chính công"
REVIEW = (
    "Tổng kết công tác kiểm tra, giám sát năm 2026.",
    "Ủy ban Kiểm tra Đảng ủy",
    "Quý IV/2026",
)
WAITING = ("Sơ kết việc sắp xếp các chi bộ trực thuộc.", HCQT, "Theo chỉ đạo của cấp trên")
UBKT = "Ủy ban Kiểm tra Đảng ủy"
JUNE = "Tháng 6/2026"
TWO = [(REPORT, HCQT, JUNE), (REPORT, THNC, JUNE)]


def plan(tmp_path: Path, rows: list[tuple[str, str, str]], name: str = "ke_hoach.txt") -> Path:
    body = "".join(f"{n}\t{t}\t{u}\t{d}\n" for n, (t, u, d) in enumerate(rows, start=1))
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tasks(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "tasks", "--json")
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    return rows


def imported(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> str:
    code, out, err = run(capsys, "import", str(path), "--doc-date", "2026-04-15", *extra)
    assert code == 0, err
    return out


# -- rows sharing a title (issue 24, defect 2) ---------------------------------------------


def test_rows_sharing_a_title_keep_their_units_and_completions(
    capsys: pytest.CaptureFixture[str], cli_store: Path, tmp_path: Path
) -> None:
    imported(
        capsys, plan(tmp_path, [(REPORT, HCQT, "Tháng 6/2026"), (REPORT, THNC, "Tháng 6/2026")])
    )
    before = {row["units"][0]: row["number"] for row in tasks(capsys)}
    assert run(capsys, "done", str(before["hcqt"]))[0] == 0

    # a third such row on top: every row below moves down one place
    revised = [(REPORT, THHCC, JUNE), *TWO]
    out = imported(capsys, plan(tmp_path, revised))
    assert "Đã lưu: 1 mới, 2 cập nhật, 0 không đổi, 0 không còn" in out

    after = {row["number"]: row for row in tasks(capsys)}
    assert after[before["hcqt"]]["units"] == ["hcqt"]
    assert after[before["hcqt"]]["status"] == "done"  # the completion stays with its unit
    assert after[before["thnc"]]["units"] == ["thnc"]
    assert after[before["thnc"]]["status"] == "open"
    added = [row for number, row in after.items() if number not in before.values()]
    assert [row["units"] for row in added] == [["thhcc"]]


def test_rows_nothing_tells_apart_are_left_to_the_clerk(
    capsys: pytest.CaptureFixture[str], cli_store: Path, tmp_path: Path
) -> None:
    imported(
        capsys, plan(tmp_path, [(REPORT, HCQT, "Tháng 6/2026"), (REPORT, THNC, "Tháng 6/2026")])
    )
    before = {row["units"][0]: row["number"] for row in tasks(capsys)}
    assert run(capsys, "done", str(before["hcqt"]))[0] == 0

    # both owners rewritten: which row is which task? The import does not guess.
    out = imported(
        capsys,
        plan(
            tmp_path,
            [(REPORT, THHCC, "Tháng 6/2026"), (REPORT, "Ủy ban Kiểm tra Đảng ủy", "Tháng 6/2026")],
        ),
    )
    assert "Cùng tiêu đề, không phân biệt được" in out
    assert f"#{before['hcqt']}" in out and "đã xong" in out

    after = {row["number"]: row for row in tasks(capsys)}
    assert after[before["hcqt"]]["units"] == ["hcqt"]  # its completion is not moved
    assert after[before["hcqt"]]["status"] == "removed"
    added = sorted(row["units"][0] for n, row in after.items() if n not in before.values())
    assert added == ["thhcc", "ubkt"]


# -- the clerk's word outlives a re-import; the review says per task what changes --------


def by_title(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    return {row["title"]: row for row in tasks(capsys)}


def test_a_deadline_set_by_the_clerk_is_kept_and_the_review_says_what_changes(
    capsys: pytest.CaptureFixture[str], cli_store: Path, tmp_path: Path
) -> None:
    imported(capsys, plan(tmp_path, [WAITING, REVIEW]))
    waiting = by_title(capsys)[WAITING[0]]["number"]

    code, _, err = run(capsys, "tasks", "date", str(waiting), "bao giờ xong thì báo")
    assert code == 2 and "Không đọc được thời hạn «bao giờ xong thì báo»" in err
    code, out, _ = run(capsys, "tasks", "date", str(waiting), "Thường xuyên")
    assert code == 0 and by_title(capsys)[WAITING[0]]["deadline"]["kind"] == "ongoing"
    code, out, _ = run(capsys, "tasks", "date", str(waiting), "30/06/2026")
    assert code == 0 and f"Đã đặt hạn #{waiting}: 30/06/2026" in out

    renamed = "Tổng kết công tác kiểm tra, giám sát của Đảng ủy năm 2026."
    out = imported(capsys, plan(tmp_path, [WAITING, (renamed, THHCC, "Tháng 11/2026")]))

    rows = by_title(capsys)
    assert rows[WAITING[0]]["deadline"]["kind"] == "due"
    assert rows[WAITING[0]]["deadline"]["due"] == "2026-06-30"  # the clerk's date stays
    assert rows[renamed]["units"] == ["thhcc"]
    assert rows[renamed]["deadline"]["due"] == "2026-11-30"
    review = rows[renamed]["number"]
    assert f"#{review} (Bảng, TT 2) «{REVIEW[0]}» → «{renamed}»" in out
    assert f"đơn vị: «{UBKT}» → «{THHCC}»" in out
    assert "thời hạn: «Quý IV/2026» → «Tháng 11/2026»" in out
    assert (
        f"#{waiting} (Bảng, TT 1) «{WAITING[0]}»; thời hạn: văn bản ghi «{WAITING[2]}» — "
        "giữ theo văn phòng (30/06/2026)"
    ) in out
    assert "Đã lưu: 0 mới, 1 cập nhật, 1 không đổi, 0 không còn" in out


def test_owners_set_by_the_clerk_are_kept(
    capsys: pytest.CaptureFixture[str], cli_store: Path, tmp_path: Path
) -> None:
    imported(capsys, plan(tmp_path, [REVIEW]))
    number = by_title(capsys)[REVIEW[0]]["number"]
    code, out, _ = run(capsys, "tasks", "owners", str(number), "ubkt")
    assert code == 0  # the document's owner again, now as the office's word

    out = imported(capsys, plan(tmp_path, [(REVIEW[0], THHCC, REVIEW[2])]))
    assert by_title(capsys)[REVIEW[0]]["units"] == ["ubkt"]
    assert f"đơn vị: văn bản ghi «{THHCC}» — giữ theo văn phòng ({UBKT})" in out
