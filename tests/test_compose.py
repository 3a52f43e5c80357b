from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from data.deadlines import DeadlineKind as K
from data.taskview import TaskView
from jobs.calendar import WorkCalendar
from jobs.channels import split_message
from jobs.compose import (
    FOOTER,
    TEXT_LIMIT,
    render_digest,
    render_escalation,
    render_weekly,
    shorten,
    written_differs,
)
from jobs.plan import DigestItem, Policy, Reason, UnitWeek, WeeklySummary, plan_day

D = dt.date
TODAY = D(2026, 4, 6)  # Monday
UNIT = "Chi bộ Hành chính – Quản trị"
NAMES = {"HCQT": UNIT, "TC": "Chi bộ Tài chính", "TH": "Chi bộ Tổng hợp"}
LONG_TITLE = (
    "Tổ chức hội nghị sơ kết 6 tháng đầu năm việc thực hiện Nghị quyết Đại hội Đảng bộ "
    "lần thứ XVI, nhiệm kỳ 2025 - 2030 và triển khai nhiệm vụ 6 tháng cuối năm"
)


def di(
    number: int,
    reason: Reason,
    due: dt.date | None,
    days: int | None,
    raw: str = "",
    title: str | None = None,
    units: tuple[str, ...] = ("HCQT",),
    kind: K = K.DUE,
) -> DigestItem:
    return DigestItem(number, title or f"Nhiệm vụ {number}", reason, due, days, raw, units, kind)


SAMPLE = [
    di(57, Reason.OVERDUE, D(2026, 3, 31), 6, "Quý I/2026", title=LONG_TITLE),
    di(12, Reason.DUE_TODAY, TODAY, 0, "chậm nhất ngày 06/4/2026", title="Nộp báo cáo quý I"),
    di(13, Reason.LADDER, D(2026, 4, 9), 3, "trước ngày 10/4/2026", title="Rà soát đảng viên"),
    di(20, Reason.CHECKIN, None, None, "Thường xuyên", title="Học tập nghị quyết", kind=K.ONGOING),
    di(
        21,
        Reason.CHECKIN,
        D(2030, 12, 31),
        None,
        "Năm 2026 - 2030",
        title="Kết nạp đảng viên",
        kind=K.TERM,
    ),
]


def test_digest_full_text() -> None:
    assert render_digest(UNIT, SAMPLE, TODAY) == "\n".join(
        [
            "☀️ Nhắc việc sáng Thứ Hai, 06/04/2026 — Chi bộ Hành chính – Quản trị",
            "",
            "🔴 Quá hạn (1):",
            "• #57 Tổ chức hội nghị sơ kết 6 tháng đầu năm việc thực hiện Nghị quyết Đại hội"
            ' Đảng bộ lần… (quá hạn 6 ngày; hạn 31/03/2026; theo văn bản: "Quý I/2026")',
            "",
            "🟠 Đến hạn hôm nay (1):",
            "• #12 Nộp báo cáo quý I (hạn hôm nay, 06/04/2026)",
            "",
            "🟡 Sắp đến hạn (1):",
            '• #13 Rà soát đảng viên (còn 3 ngày, hạn 09/04/2026; theo văn bản: "trước ngày'
            ' 10/4/2026")',
            "",
            "🔵 Rà soát định kỳ: báo cáo tiến độ quý này (2):",
            '• #20 Học tập nghị quyết (theo văn bản: "Thường xuyên")',
            '• #21 Kết nạp đảng viên (hạn cuối 31/12/2030; theo văn bản: "Năm 2026 - 2030")',
            "Báo cáo tiến độ: /capnhat <số> [phần trăm] <nội dung>, ví dụ /capnhat 20 50% đã"
            " trình dự thảo.",
            "",
            "Trả lời /done <số> khi hoàn thành, /chitiet <số> để xem chi tiết.",
        ]
    )


def test_digest_of_nothing_is_empty() -> None:
    assert render_digest(UNIT, [], TODAY) == ""


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (6, "Thứ Hai"),
        (7, "Thứ Ba"),
        (8, "Thứ Tư"),
        (9, "Thứ Năm"),
        (10, "Thứ Sáu"),
        (11, "Thứ Bảy"),
        (12, "Chủ nhật"),
    ],
)
def test_greeting_names_the_weekday(day: int, name: str) -> None:
    text = render_digest(UNIT, [SAMPLE[1]], D(2026, 4, day))
    assert text.splitlines()[0] == f"☀️ Nhắc việc sáng {name}, {day:02d}/04/2026 — {UNIT}"


def test_sections_in_urgency_order_whatever_the_input_order() -> None:
    text = render_digest(UNIT, list(reversed(SAMPLE)), TODAY)
    heads = [line for line in text.splitlines() if line and line[0] in "🔴🟠🟡🔵"]
    assert heads == [
        "🔴 Quá hạn (1):",
        "🟠 Đến hạn hôm nay (1):",
        "🟡 Sắp đến hạn (1):",
        "🔵 Rà soát định kỳ: báo cáo tiến độ quý này (2):",
    ]
    assert text == render_digest(UNIT, SAMPLE, TODAY)
    assert text.endswith(FOOTER)


def test_long_section_is_cut_with_the_command_to_see_all() -> None:
    items = [di(n, Reason.OVERDUE, D(2026, 3, 1), 36) for n in range(1, 21)]
    lines = render_digest(UNIT, items, TODAY, max_per_section=15).splitlines()
    assert sum(line.startswith("• #") for line in lines) == 15
    assert "… và 5 việc khác, gõ /quahan để xem đủ." in lines


def test_text_is_nfc_vietnamese() -> None:
    text = render_digest(UNIT, SAMPLE, TODAY)
    assert unicodedata.is_normalized("NFC", text)
    for word in ("Nhắc việc", "Quá hạn", "Đến hạn hôm nay", "Sắp đến hạn", "Rà soát định kỳ"):
        assert word in text


def test_shorten_on_a_word_boundary() -> None:
    short = shorten(LONG_TITLE)
    assert len(short) <= 90
    assert short.endswith("…")
    kept = short[:-1]
    assert LONG_TITLE.startswith(kept)
    assert LONG_TITLE[len(kept)] == " "  # cut between words
    assert shorten("  Nộp   báo cáo  ") == "Nộp báo cáo"
    assert shorten("x" * 200) == "x" * 89 + "…"


@pytest.mark.parametrize(
    ("raw", "due", "differs"),
    [
        ("Quý II/2026", D(2026, 6, 30), True),
        ("trước ngày 01/3/2026", D(2026, 2, 28), True),
        ("chậm nhất ngày 20/3/2026", D(2026, 3, 20), False),
        ("20/03/2026", D(2026, 3, 20), False),
        ("vào ngày 15 tháng 6 năm 2026", D(2026, 6, 15), False),
        ("Từ 01/3/2026 đến 20/3/2026", D(2026, 3, 20), True),
        ("trước ngày 20 hằng tháng", D(2026, 4, 20), True),
        ("", D(2026, 4, 20), False),
    ],
)
def test_deadline_as_written_shown_only_when_it_says_more(
    raw: str, due: dt.date, differs: bool
) -> None:
    assert written_differs(raw, due) is differs
    line = render_digest(UNIT, [di(1, Reason.LADDER, due, 3, raw)], TODAY).splitlines()[3]
    assert ("theo văn bản" in line) is differs


def test_escalation_grouped_by_lead_unit() -> None:
    items = [
        di(58, Reason.OVERDUE, D(2026, 3, 20), 17, "ngày 20/3/2026", units=("TC", "HCQT")),
        di(57, Reason.OVERDUE, D(2026, 3, 30), 7, "Quý I/2026"),
        di(59, Reason.OVERDUE, D(2026, 3, 2), 35, "Tháng 02/2026", units=("TC",)),
    ]
    assert render_escalation(items, NAMES, TODAY) == "\n".join(
        [
            "⚠️ Nhiệm vụ quá hạn cần đôn đốc — Thứ Hai, 06/04/2026",
            "3 nhiệm vụ, theo đơn vị chủ trì:",
            "",
            "▪️ Chi bộ Hành chính – Quản trị (1):",
            '• #57 Nhiệm vụ 57 (quá hạn 7 ngày; hạn 30/03/2026; theo văn bản: "Quý I/2026")',
            "",
            "▪️ Chi bộ Tài chính (2):",
            '• #59 Nhiệm vụ 59 (quá hạn 35 ngày; hạn 02/03/2026; theo văn bản: "Tháng 02/2026")',
            "• #58 Nhiệm vụ 58 (quá hạn 17 ngày; hạn 20/03/2026)"
            " — phối hợp: Chi bộ Hành chính – Quản trị",
        ]
    )
    assert render_escalation([], NAMES, TODAY) == ""


def test_escalation_unknown_unit_code_shown_as_is() -> None:
    text = render_escalation([di(1, Reason.OVERDUE, D(2026, 3, 1), 36, units=("XYZ",))], {}, TODAY)
    assert "▪️ XYZ (1):" in text


def test_weekly_summary_text() -> None:
    review = [
        TaskView(4, "Xây dựng đề án", ("TC",), K.UNREADABLE, "Năm 2026-203", needs_review=True),
        TaskView(5, "Việc chưa rõ đơn vị", (), K.DUE, "", due=D(2026, 5, 1), needs_review=True),
    ]
    summary = WeeklySummary(
        TODAY,
        D(2026, 4, 12),
        {
            "HCQT": UnitWeek(done=1, due_this_week=2, overdue=1),
            "TC": UnitWeek(due_this_week=1, waiting=1, needs_review=1),
            "TH": UnitWeek(done=2, overdue=3),
        },
        review,
        UnitWeek(done=3, due_this_week=2, overdue=4, waiting=1, needs_review=2),
    )
    assert render_weekly(summary, NAMES, TODAY) == "\n".join(
        [
            "📊 Tổng hợp tuần 06/04–12/04/2026 — Thứ Hai, 06/04/2026",
            "",
            "Theo đơn vị (xong từ đầu tuần trước; đến hạn trong tuần này):",
            "• Chi bộ Tổng hợp: xong 2 · quá hạn 3",
            "• Chi bộ Hành chính – Quản trị: xong 1 · đến hạn 2 · quá hạn 1",
            "• Chi bộ Tài chính: đến hạn 1 · chờ chỉ đạo 1 · cần xem lại 1",
            "Toàn đảng bộ (mỗi việc tính một lần): xong 3 · đến hạn 2 · quá hạn 4 · chờ chỉ đạo 1"
            " · cần xem lại 2",
            "",
            "🔎 Cần xem lại thời hạn hoặc đơn vị (2):",
            '• #4 Xây dựng đề án — Chi bộ Tài chính; thời hạn: "Năm 2026-203"',
            "• #5 Việc chưa rõ đơn vị — chưa rõ đơn vị; chưa có thời hạn",
        ]
    )


def test_weekly_summary_of_a_quiet_week() -> None:
    empty = WeeklySummary(TODAY, D(2026, 4, 12), {}, [])
    assert render_weekly(empty, NAMES, TODAY).splitlines()[-1] == (
        "Không có việc nào đến hạn, quá hạn hay vừa hoàn thành."
    )


def test_split_message_keeps_lines_whole() -> None:
    text = "\n".join(f"• #{n} " + "việc " * (n % 30) for n in range(400))
    chunks = split_message(text, limit=500)
    assert all(len(chunk) <= 500 for chunk in chunks)
    assert "\n".join(chunks) == text
    assert split_message("") == []
    assert split_message("a" * 12, limit=5) == ["aaaaa", "aaaaa", "aa"]


def test_plan_to_text_end_to_end() -> None:
    tasks = [
        TaskView(57, "Báo cáo sơ kết", ("HCQT",), K.DUE, "Quý I/2026", due=D(2026, 3, 31)),
        TaskView(
            58, "Rà soát quy hoạch", ("HCQT", "TC"), K.DUE, "ngày 09/4/2026", due=D(2026, 4, 9)
        ),
    ]
    plan = plan_day(tasks, TODAY, WorkCalendar(), Policy())
    text = render_digest(UNIT, plan.digests["HCQT"], TODAY)
    assert (
        '• #57 Báo cáo sơ kết (quá hạn 6 ngày; hạn 31/03/2026; theo văn bản: "Quý I/2026")' in text
    )
    assert "• #58 Rà soát quy hoạch (còn 3 ngày, hạn 09/04/2026)" in text
    assert render_digest("Chi bộ Tài chính", plan.digests["TC"], TODAY).count("• #") == 1


def test_a_huge_escalation_stays_under_the_cap_with_totals_per_unit() -> None:
    names = {f"u{i:04d}": f"Chi bộ số {i} thuộc Đảng bộ cơ quan rất dài tên" for i in range(1000)}
    items = [
        di(n, Reason.OVERDUE, D(2026, 3, 1), 7 + n % 90, "Quý I/2026", units=(f"u{n % 1000:04d}",))
        for n in range(1, 5001)
    ]
    text = render_escalation(items, names, TODAY)
    assert len(text) <= TEXT_LIMIT
    assert "5000 nhiệm vụ quá hạn ở 1000 đơn vị chủ trì." in text
    assert "xem đầy đủ: /baocao" in text.splitlines()[-1]
    assert "• Chi bộ số 0 thuộc Đảng bộ cơ quan rất dài tên: 5 việc, trễ nhất" in text
    assert "đơn vị khác (" in text  # the units not named are still counted
    assert "quá hạn 96 ngày" in text  # the latest items are listed
    # a short list stays the full grouped list
    assert "theo đơn vị chủ trì:" in render_escalation(items[:3], names, TODAY)


def test_a_weekly_summary_of_a_thousand_units_stays_under_the_cap() -> None:
    units = {f"u{i:04d}": UnitWeek(done=i % 3, due_this_week=1, overdue=i % 7) for i in range(1000)}
    review = [
        TaskView(n, "Việc " * 30, (f"u{n:04d}",), K.UNREADABLE, "Năm 2026-203") for n in range(200)
    ]
    summary = WeeklySummary(TODAY, D(2026, 4, 12), units, review, UnitWeek(due_this_week=1000))
    text = render_weekly(summary, {}, TODAY)
    assert len(text) <= TEXT_LIMIT
    assert "đơn vị khác, gõ /baocao" in text
    assert "Toàn đảng bộ (mỗi việc tính một lần): đến hạn 1000" in text
    assert text.splitlines()[-1].endswith("gõ /baocao để nhận báo cáo đầy đủ.")
    assert "• u0006: đến hạn 1 · quá hạn 6" in text  # the most overdue first
