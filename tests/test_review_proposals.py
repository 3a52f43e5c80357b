"""The review of a prose document (issue 20, must-show 3): proposals under their owner, each
with the sentence it came from, and how many sentences were read and proposals came out —
in the CLI's text and on the console's review page alike."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from starlette.testclient import TestClient

from bot.review import proposal_lines, review_text
from bot.web.app import create_app
from data.importers import load_document, read_file
from data.importers.interpret import ParsedDocument
from data.units import UnitRegistry
from tests.conftest import sample_runtime
from tests.web.conftest import NOTICE, NOW, OFFICE, add_users, sign_in

OWNERS = [
    ("Chi bộ Tổng hợp – Nội chính", 4),
    ("Chi bộ Hành chính – Quản trị", 1),
    ("Ban Tuyên giáo và Dân vận Đảng ủy", 1),
    ("Ủy ban Kiểm tra Đảng ủy", 1),
    ("Chi bộ Tin học – Hành chính công", 1),
]


def _notice() -> tuple[ParsedDocument, UnitRegistry]:
    registry = UnitRegistry.default()
    doc = load_document(read_file(NOTICE), registry, doc_date=None, today=date(2026, 5, 1))
    return doc, registry


def test_cli_review_groups_proposals_under_their_owner_with_the_sentence() -> None:
    doc, registry = _notice()
    assert doc.sentences_read == 21 and len(doc.proposals) == 8
    lines = proposal_lines(doc, registry, None)
    assert lines[0].startswith("Nhiệm vụ đề xuất từ lời văn: đọc 21 câu, ra 8 đề xuất cho 5 đơn vị")
    heads = [re.fullmatch(r"  (\S.*) \((\d+)\):", line) for line in lines]
    assert [(m.group(1), int(m.group(2))) for m in heads if m] == OWNERS
    # under each owner: its tasks, each followed by the sentence it came from
    at = lines.index("  Ủy ban Kiểm tra Đảng ủy (1):")
    assert lines[at + 1].startswith("    - Thường xuyên theo dõi, đôn đốc")
    assert lines[at + 2] == (
        "        «Ủy ban Kiểm tra Đảng ủy có trách nhiệm thường xuyên theo dõi, đôn đốc việc thực "
        "hiện các nhiệm vụ nêu trên, báo cáo Ban Thường vụ Đảng ủy kết quả.»"
    )
    whole = review_text(doc, registry, None, dry_run=True)
    assert "đọc 21 câu, ra 8 đề xuất" in whole


def test_a_proposal_without_owner_is_grouped_last_for_the_office(tmp_path: Path) -> None:
    text = (
        "THÔNG BÁO\nGiao Chi bộ Hành chính - Quản trị chuẩn bị hội trường trước ngày 10/5/2026.\n"
        "Các cấp ủy, chính quyền tổ chức quán triệt trong tháng 5/2026.\n"
    )
    path = tmp_path / "tb.txt"
    path.write_text(text, encoding="utf-8")
    registry = UnitRegistry.default()
    doc = load_document(
        read_file(path), registry, doc_date=date(2026, 5, 1), today=date(2026, 5, 1)
    )
    groups = doc.grouped_proposals(registry.units)
    assert [(owner, len(items)) for owner, items in groups] == [
        ("Chi bộ Hành chính – Quản trị", 1),
        ("(chưa rõ đơn vị: văn phòng chỉ định)", 1),
    ]


def test_console_review_groups_proposals_the_same_way(tmp_path: Path) -> None:
    runtime = sample_runtime(tmp_path, NOW)
    try:
        add_users(runtime)
        with TestClient(create_app(runtime, bot_username=lambda: "NhacViecBot")) as client:
            csrf = sign_in(client, *OFFICE)
            page = client.post(
                "/documents",
                data={"csrf": csrf},
                files={"file": ("thong_bao_mau.txt", NOTICE.read_bytes(), "text/plain")},
            ).text
    finally:
        runtime.close()
    assert "Đã đọc 21 câu, ra 8 đề xuất." in page
    heads = re.findall(r"<h3>([^<]+) \((\d+)\)</h3>", page)
    assert [(name, int(n)) for name, n in heads] == OWNERS
    part = page.split("<h3>Ủy ban Kiểm tra Đảng ủy (1)</h3>")[1].split("</ul>")[0]
    assert "Thường xuyên theo dõi, đôn đốc" in part
    assert "«Ủy ban Kiểm tra Đảng ủy có trách nhiệm thường xuyên theo dõi" in part
