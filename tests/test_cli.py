"""The office's command line, run in-process against a temporary SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from data.importers.text_reader import read_text
from tests.builders import grid_to_docx, rewrite_zip
from tests.conftest import SAMPLE_PLAN


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no store yet (nothing is created until a command needs it)."""
    folder = tmp_path / "var"
    monkeypatch.setenv("NHACVIEC_DATA_DIR", str(folder))
    monkeypatch.delenv("NHACVIEC_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "deadline", "Quý II/2026", "--doc-date", "2026-04-01", "--json")
    assert code == 0
    assert json.loads(out) == {
        "kind": "due",
        "start": None,
        "due": "2026-06-30",
        "rrule": None,
        "raw": "Quý II/2026",
        "note": None,
    }
    code, out, _ = run(capsys, "deadline", "Năm 2026-203", "--doc-date", "2026-04-01")
    assert code == 1
    assert "Năm 2026 - 2030" in out
    assert not (data_dir / "nhacviec.sqlite3").exists()  # reading a phrase creates no store


def test_import_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "import", str(SAMPLE_PLAN), "--dry-run", "--json")
    assert code == 0
    result = json.loads(out)
    assert len([t for t in result["tasks"] if t["kind"] == "task"]) == 31
    assert {"where", "message"} <= set(result["warnings"][0])
    task = result["tasks"][0]
    assert {"ref", "title", "units", "deadline", "status", "kind"} <= set(task)
    assert set(task["deadline"]) == {"kind", "start", "due", "rrule", "raw", "note"}
    assert not (data_dir / "nhacviec.sqlite3").exists()


def test_import_review_then_reimport(capsys: pytest.CaptureFixture[str], cli_store: Path) -> None:
    code, out, _ = run(capsys, "import", str(SAMPLE_PLAN))
    assert code == 0
    assert "Đọc được 31 nhiệm vụ và 5 chỉ tiêu" in out
    assert "Phụ lục 3: 22 nhiệm vụ" in out
    assert "Chi bộ Hành chính – Quản trị:" in out
    assert "không đọc được (cần xem lại): 2" in out
    assert "dòng 65 (TT 2.3)" in out  # every warning says where
    assert "Đã lưu: 36 mới" in out
    code, out, _ = run(capsys, "import", str(SAMPLE_PLAN))
    assert "Đã lưu: 0 mới, 0 cập nhật, 36 không đổi, 0 không còn trong văn bản." in out
    code, out, _ = run(capsys, "tasks", "--unit", "ubkt", "--json")
    assert [t["ref"] for t in json.loads(out)] == ["3.1", "3.2", "3.3"]
    code, out, _ = run(capsys, "tasks", "--review")
    assert "(3 mục)" in out
    code, out, _ = run(capsys, "tasks", "--targets", "--json")
    assert len(json.loads(out)) == 5


def test_a_new_office_creates_its_units_from_its_plan(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, _ = run(capsys, "import", str(SAMPLE_PLAN), "--dry-run")
    assert code == 0
    assert "Đơn vị mới, chưa có trong danh sách (6):" in out  # 4 chi bộ, UBKT, a Ban
    assert "  + Chi bộ Hành chính – Quản trị (mã hcqt)" in out
    assert "Văn xã, Tổng hợp" not in out.split("Theo loại")[0]  # two chi bộ, not a seventh
    code, _, err = run(capsys, "import", str(SAMPLE_PLAN), "--add-units")
    assert code == 0
    assert "Đã thêm đơn vị Chi bộ Hành chính – Quản trị (hcqt)." in err
    code, out, _ = run(capsys, "units", "--json")
    units = {u["name"]: u for u in json.loads(out)}
    assert len(units) == 6
    assert units["Chi bộ Tổng hợp – Nội chính"]["is_chi_bo"] is True
    inspection = next(u for name, u in units.items() if name.startswith("Ủy ban Kiểm tra"))
    assert inspection["is_chi_bo"] is False  # named as written: "Đảng uỷ"
    # "Các chi bộ trực thuộc" now means this office's four chi bộ
    code, out, _ = run(capsys, "tasks", "--json")
    everyone = next(t for t in json.loads(out) if t["title"].startswith("Tổ chức học tập"))
    assert len(everyone["units"]) == 4
    # any command taking a unit accepts its name as well as its code
    code, out, err = run(capsys, "units", "code", "Chi bộ Hành chính – Quản trị")
    assert code == 0 and len(out.strip()) == 8 and "/dangky" in err
    code, out, _ = run(capsys, "tasks", "--unit", "chi bo hanh chinh - quan tri", "--json")
    assert code == 0 and json.loads(out)
    code, _, err = run(capsys, "units", "code", "Chi bộ Không Có")
    assert code == 2 and "Không có đơn vị «Chi bộ Không Có»" in err


def test_units_add_and_alias(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, _ = run(capsys, "units", "add", "Ban Xúc tiến đầu tư tỉnh", "--code", "xtdt")
    assert code == 0
    code, _, err = run(capsys, "units", "add", "Trùng mã", "--code", "xtdt")
    assert code == 2
    assert "đã có" in err
    code, _, _ = run(capsys, "units", "alias", "xtdt", "BXTĐT")
    assert code == 0
    code, out, _ = run(capsys, "units", "--json")
    unit = next(u for u in json.loads(out) if u["code"] == "xtdt")
    assert unit["aliases"] == ["Ban Xúc tiến đầu tư tỉnh", "BXTĐT"]
    # the unknown unit of the sample plan is now known: no warning for it
    code, out, _ = run(capsys, "import", str(SAMPLE_PLAN), "--json")
    assert not [w for w in json.loads(out)["warnings"] if "Xúc tiến" in w["message"]]


def _sample_docx(tmp_path: Path) -> bytes:
    path = tmp_path / "plan.docx"
    grid_to_docx(read_text(SAMPLE_PLAN.read_text(encoding="utf-8")), path)
    return path.read_bytes()


def _bomb(tmp_path: Path) -> bytes:
    return rewrite_zip(_sample_docx(tmp_path), {"word/document.xml": b" " * 150_000_000})


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("rong.txt", lambda _: b"", "rỗng"),
        ("van_xuoi.txt", lambda _: "Chỉ là văn xuôi.\n".encode(), "Không thấy bảng nhiệm vụ"),
        ("hong.docx", lambda p: _sample_docx(p)[:3000], "bị hỏng"),
        ("khong_phai.xlsx", lambda _: b"PK\x03\x04 not really a zip", "bị hỏng"),
        ("bom.docx", _bomb, "bất thường"),
        ("ke_hoach.pdf", lambda _: b"%PDF-1.7", ".docx"),
        ("ke_hoach.doc", lambda _: b"\xd0\xcf\x11\xe0", ".docx"),
        ("anh.png", lambda _: b"\x89PNG", "không được hỗ trợ"),
    ],
)
def test_bad_files_get_a_vietnamese_answer_and_write_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    name: str,
    content: object,
    expected: str,
) -> None:
    path = tmp_path / name
    assert callable(content)
    path.write_bytes(content(tmp_path))
    code, out, err = run(capsys, "import", str(path), "--json")
    assert code == 2
    assert out == ""
    assert err.startswith("Không nhập được:")
    assert expected in err
    code, out, _ = run(capsys, "tasks", "--json")
    assert json.loads(out) == []


def test_oversized_file_is_refused(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("data.importers.MAX_FILE_BYTES", 1000)
    code, _, err = run(capsys, "import", str(SAMPLE_PLAN))
    assert code == 2
    assert "quá lớn" in err


def test_missing_file(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, "import", "khong_co.txt")
    assert code == 2
    assert "Không tìm thấy tệp" in err


def test_a_title_like_a_formula_is_text_in_the_report(
    capsys: pytest.CaptureFixture[str], cli_store: Path, tmp_path: Path
) -> None:
    """`nhacviec report --xlsx`: a task titled "=HYPERLINK(…)" is not a live formula."""
    import zipfile

    import openpyxl

    hostile = '=HYPERLINK("http://evil.example","Bấm")'
    text = SAMPLE_PLAN.read_text(encoding="utf-8").replace(
        "Báo cáo tình hình tư tưởng đảng viên gửi Đảng ủy.", hostile
    )
    plan = tmp_path / "ke_hoach.txt"
    plan.write_text(text, encoding="utf-8")
    assert run(capsys, "import", str(plan))[0] == 0
    out = tmp_path / "bao_cao.xlsx"
    assert run(capsys, "report", "--xlsx", str(out), "--as-of", "2026-06-30")[0] == 0
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    detail = openpyxl.load_workbook(out)["Chi tiết"]
    assert hostile in [c.value for c in detail["B"]]
