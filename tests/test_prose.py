"""Tasks written in sentences (Thông báo, Kết luận, a Kế hoạch in prose), proposed for the office.

The expected lists are what a careful clerk takes from each seed document: one task per
assignment with an owner (or a dated direction the office must still give an owner),
its deadline, and the words it came from. Directions to everyone without a date are not
tasks to track.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from data.deadlines import DeadlineKind
from data.importers import ImportFailure, LoadedFile, load_document, read_file
from data.importers.interpret import ParsedDocument, ParsedItem, interpret_grid
from data.importers.prose import DocumentKind, document_kind, propose_tasks
from data.importers.text_reader import read_text
from data.units import UnitInfo, UnitRegistry

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
SAMPLE_NOTICE = Path(__file__).resolve().parents[1] / "data" / "samples" / "thong_bao_mau.txt"
NOTICE = SEEDS / "000_d3dea193c231102b.txt"  # Thông báo, Lai Châu, 12/02/2026
CONCLUSION = SEEDS / "001_cabc18aa64a2325b.txt"  # Kết luận, Tuyên Quang, 13/7/2022
PLAN_2025 = SEEDS / "003_0f4b79719d295773.txt"  # the office's 2025 Kế hoạch, in prose
PLAN_2026 = SEEDS / "004_37c5d7600e8f8767.txt"  # the office's 2026 Kế hoạch, tables
ALL_CHI_BO = ("hcqt", "thnc", "ktvx", "thhcc")

# The provincial bodies seed 000 names ("Đảng ủy UBND tỉnh" is also written in full).
PROVINCE = UnitRegistry(
    [
        UnitInfo("dubnd", "Đảng ủy UBND tỉnh", False, ("Đảng ủy Ủy ban nhân dân tỉnh",)),
        UnitInfo("btgdv", "Ban Tuyên giáo và Dân vận Tỉnh ủy", False),
        UnitInfo("ubkttu", "Ủy ban Kiểm tra Tỉnh ủy", False),
        UnitInfo("duhdnd", "Đảng ủy Hội đồng nhân dân tỉnh", False, ("Đảng ủy HĐND tỉnh",)),
    ]
)


def _load(path: Path, units: UnitRegistry, doc_date: date | None) -> ParsedDocument:
    return load_document(read_file(path), units, doc_date=doc_date, today=date(2026, 5, 1))


def _owners(item: ParsedItem) -> tuple[str, ...]:
    return (*item.units, *item.unknown_units)


def _check(
    proposals: list[ParsedItem], expected: list[tuple[tuple[str, ...], date | None, str]]
) -> None:
    got = [(_owners(i), i.deadline.due, i.title) for i in proposals]
    assert len(got) == len(expected), "\n".join(f"{o} {d} {t[:70]}" for o, d, t in got)
    for (owners, due, title), (want_owners, want_due, fragment) in zip(got, expected, strict=True):
        assert owners == want_owners, title
        assert due == want_due, title
        assert fragment in title, (fragment, title)


def _verbatim(path: Path) -> str:
    """The document's words as a clerk sees them: no bold marks, no footnote numbers."""
    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]", "", path.read_text(encoding="utf-8").replace("*", ""))
    return re.sub(r"\s+", " ", text)


def _assert_proposed(proposals: list[ParsedItem], path: Path) -> None:
    words = _verbatim(path)
    for item in proposals:
        assert item.status == "proposed" and item.kind == "task"
        assert item.source_text and item.source_text in words, item.source_text[:80]
        assert item.source_key and item.where.startswith("Văn bản, dòng ")
        if not item.deadline.kind.is_dated:
            assert item.needs_review  # no date: the office gives one (or says "thường xuyên")
    keys = [i.source_key for i in proposals]
    assert len(set(keys)) == len(keys)


# --- seed 000: the Thông báo of the 4th conference (bold deadlines) ---------------------

NOTICE_TASKS: list[tuple[tuple[str, ...], date | None, str]] = [
    (("dubnd", "btgdv", "ubkttu"), None, "Hoàn chỉnh các dự thảo nghị quyết, đề án"),
    (("dubnd",), None, "trình cấp có thẩm quyền ban hành các chính sách cụ thể"),
    (("duhdnd",), None, "Hội đồng nhân dân tỉnh ban hành các cơ chế, chính sách"),
    (("dubnd",), None, "Hoàn thiện dự thảo báo cáo và kết luận tiếp tục thực hiện Nghị quyết"),
    (("Các đảng ủy trực thuộc",), date(2026, 3, 31), "hoàn thành việc nghiên cứu, học tập"),
    (("btgdv",), date(2026, 2, 28), "Tham mưu Tỉnh ủy xây dựng Chương trình hành động"),
    # (3) under "đề nghị các đảng ủy trực thuộc, các cơ quan, đơn vị, địa phương": everyone,
    # so the office names the owner; the deadline is bold.
    ((), date(2026, 2, 28), "Nghị quyết phát triển nông nghiệp hàng hóa"),
    # (6) "Đảng ủy UBND tỉnh, Đảng ủy các xã, phường khẩn trương hoàn thành các nhiệm vụ sau:"
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 2, 23), "trình Ban Thường vụ Tỉnh ủy"),
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 2, 24), "trình Ban Chấp hành Đảng bộ"),
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 2, 28), "trình Hội đồng nhân dân tỉnh"),
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 3, 31), "lập quy hoạch các xã, phường"),
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 2, 27), "phân bổ chi tiết các nguồn vốn"),
    (("dubnd",), date(2026, 2, 28), "Đối với Dự án đường bộ cao tốc Bảo Hà"),
    (("dubnd",), date(2026, 2, 28), "Phê duyệt dự án đo đạc bản đồ địa chính"),
    (("dubnd", "Đảng ủy các xã, phường"), date(2026, 2, 28), "06 trường nội trú liên cấp"),
]


def test_notice_tasks_are_those_a_clerk_takes() -> None:
    doc = _load(NOTICE, PROVINCE, None)
    assert doc.kind == DocumentKind.THONG_BAO and doc.doc_date == date(2026, 2, 12)
    assert doc.items == [] and not doc.warnings
    _check(doc.proposals, NOTICE_TASKS)
    _assert_proposed(doc.proposals, NOTICE)


def test_notice_lead_cooperating_and_steps() -> None:
    proposals = _load(NOTICE, PROVINCE, None).proposals
    plan = next(i for i in proposals if "Chương trình hành động" in i.title)
    assert plan.units == ("btgdv",) and plan.cooperating == ("dubnd",)  # "các cơ quan …" dropped
    assert plan.deadline.raw == "trước ngày 01/3/2026" and plan.ref == "(1)"
    steps = [i for i in proposals if i.title.startswith("Hoàn thiện điều chỉnh Quy hoạch tỉnh")]
    assert [s.deadline.due for s in steps] == [
        date(2026, 2, 23),
        date(2026, 2, 24),
        date(2026, 2, 28),
    ]
    assert len({s.source_text for s in steps}) == 1  # one sentence, three dated steps
    assert steps[2].deadline.raw == "tại kỳ họp cuối tháng 02/2026"
    everyone = next(i for i in proposals if "nông nghiệp hàng hóa" in i.title)
    assert everyone.needs_review and "chỉ định đơn vị" in everyone.review_note


def test_notice_directions_to_everyone_without_a_date_are_not_proposed() -> None:
    titles = " ".join(i.source_text for i in _load(NOTICE, PROVINCE, None).proposals)
    for not_a_task in (
        "Các cấp, các ngành, các địa phương làm tốt",
        "yêu cầu các cấp ủy, tổ chức đảng, cơ quan, đơn vị khẩn trương",
        "Chuẩn bị chu đáo các điều kiện tổ chức tốt cuộc bầu cử",  # (2): under "everyone"
        "Đề nghị các tổ chức đảng được khen thưởng",
        "đề nghị các đồng chí Tỉnh ủy viên",
        "thống nhất tiếp tục triển khai thực hiện Nghị quyết trong giai đoạn 2026-2030",
        "Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ tư",
    ):
        assert not_a_task not in titles


def test_unknown_organisations_are_whole_names_never_fragments() -> None:
    doc = _load(NOTICE, UnitRegistry([]), date(2026, 2, 12))
    names = {n for i in doc.proposals for n in (*i.unknown_units, *i.unknown_cooperating)}
    assert names == {
        "Đảng ủy UBND tỉnh",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Ủy ban Kiểm tra Tỉnh ủy",
        "Đảng ủy Ủy ban nhân dân tỉnh",
        "Đảng ủy Hội đồng nhân dân tỉnh",
        "Các đảng ủy trực thuộc",
        "Đảng ủy các xã, phường",
    }
    assert set(doc.new_unit_names) >= {"Ban Tuyên giáo và Dân vận Tỉnh ủy"}
    assert all(i.needs_review for i in doc.proposals)


# --- seed 001: the Kết luận of Tuyên Quang's 10th conference (mostly undated) -----------

BCS = "Ban cán sự đảng Ủy ban nhân dân tỉnh"
CONCLUSION_TASKS: list[tuple[tuple[str, ...], date | None, str]] = [
    ((BCS,), None, "Chỉ đạo nghiên cứu các nội dung tại Hội nghị lần thứ năm"),
    # under "các cấp uỷ đảng, chính quyền, …": everyone, but dated "hết năm 2022"
    ((), date(2022, 12, 31), "giải ngân vốn đầu tư công năm 2022"),
    (("Mặt trận Tổ quốc", "các tổ chức chính trị - xã hội"), None, "Đề án xóa nhà ở tạm"),
    (("Văn phòng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"), None, "Tiếp thu ý kiến tham gia"),
    ((BCS,), None, "Tiếp thu ý kiến tham gia tại Hội nghị, hoàn chỉnh văn bản"),
    ((BCS,), None, "trình cấp thẩm quyền xem xét quyết định đầu tư"),
    ((BCS, "Ban Thường vụ các huyện ủy, thành ủy"), None, "khắc phục những tồn tại, hạn chế"),
]


def test_conclusion_tasks_are_those_a_clerk_takes() -> None:
    doc = _load(CONCLUSION, UnitRegistry([]), None)
    assert doc.kind == DocumentKind.KET_LUAN and doc.doc_date == date(2022, 7, 13)
    _check(doc.proposals, CONCLUSION_TASKS)
    _assert_proposed(doc.proposals, CONCLUSION)
    first = doc.proposals[0]
    # the intro's time frame is offered, never applied silently
    assert first.deadline.kind is DeadlineKind.UNREADABLE
    assert first.deadline.suggestion == "Trong 6 tháng cuối năm 2022"


def test_conclusion_everyone_and_narrative_are_not_proposed() -> None:
    text = " ".join(i.source_text for i in _load(CONCLUSION, UnitRegistry([]), None).proposals)
    for not_a_task in (
        "Các cấp ủy, chính quyền cần tích cực",
        "Yêu cầu các cấp ủy, tổ chức đảng",
        "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
        "Tỉnh uỷ đã lãnh đạo",
        "Trong 6 tháng đầu năm 2022",
        "Tập trung lãnh đạo, chỉ đạo, triển khai thực hiện hiệu quả các khâu đột phá",
    ):
        assert not_a_task not in text


# --- seed 003: the office's 2025 plan in prose: chi bộ owners ----------------------------

PLAN_2025_TASKS: list[tuple[tuple[str, ...], date | None, str]] = [
    # "Ban Chấp hành Đảng bộ, cấp uỷ các chi bộ … (Có biểu gửi kèm theo)"
    (ALL_CHI_BO, None, "thẩm định, tham mưu UBND tỉnh"),
    (ALL_CHI_BO, None, "Tổ chức tốt việc học tập, quán triệt"),
    (("hcqt",), None, "Tham mưu xây dựng kế hoạch nghiên cứu, quán triệt"),
    (("ubkt",), None, "Theo dõi, kiểm tra, giám sát việc thực hiện Kế hoạch này"),
]


def test_plan_in_prose_names_chi_bo_as_owners() -> None:
    doc = _load(PLAN_2025, UnitRegistry.default(), date(2025, 12, 1))
    assert doc.kind == DocumentKind.KE_HOACH
    _check(doc.proposals, PLAN_2025_TASKS)
    _assert_proposed(doc.proposals, PLAN_2025)
    inspection = doc.proposals[-1]
    assert inspection.cooperating == ("hcqt",) and inspection.ref == "5"
    hcqt = doc.proposals[2]
    assert "Định kỳ tham mưu tiến hành đánh giá, sơ kết" in hcqt.source_text  # same owner
    # "Đảng ủy Văn phòng lãnh đạo, chỉ đạo …" is the issuer; "Mục đích, yêu cầu" holds no task
    assert not any("Kế hoạch này; thường xuyên" in i.source_text for i in doc.proposals)
    assert not any(i.source_text.startswith("Các chi bộ trực thuộc bám sát") for i in doc.proposals)


def test_plan_without_a_date_says_so() -> None:
    doc = _load(PLAN_2025, UnitRegistry.default(), None)
    assert doc.doc_date == date(2026, 5, 1)
    assert "Không thấy ngày ban hành" in doc.warnings[0].message


# --- seed 004: a table plan stays as it was ----------------------------------------------


def test_table_plan_keeps_its_289_tasks_and_warnings() -> None:
    registry = UnitRegistry.default()
    doc = _load(PLAN_2026, registry, date(2026, 4, 1))
    assert len(doc.tasks) == 289
    # the ten unreadable deadlines, the row with no TT, "4.0" after "3.9"
    assert len(doc.warnings) == 12
    assert sum("Năm 2026 - 2030" in (w.message or "") for w in doc.warnings) == 7
    alone = interpret_grid(
        read_text(PLAN_2026.read_text(encoding="utf-8")), registry, date(2026, 4, 1)
    )
    assert doc.warnings == alone.warnings and len(doc.items) == len(alone.items)
    assert all(i.status != "proposed" for i in doc.items)
    # Its body text: only "C- Tổ chức thực hiện" assigns work to units (the issuer's own
    # "1. Đảng ủy Văn phòng UBND tỉnh lãnh đạo …" is not a task).
    _check(
        doc.proposals,
        [
            (ALL_CHI_BO, None, "Triển khai kế hoạch này đến toàn thể đảng viên"),
            (("ubkt",), None, "Tham mưu Đảng ủy theo dõi, kiểm tra, giám sát"),
        ],
    )
    assert doc.kind == DocumentKind.KE_HOACH


def test_sample_plan_body_gives_no_proposal(sample_parsed: ParsedDocument) -> None:
    assert sample_parsed.proposals == [] and sample_parsed.kind == DocumentKind.KE_HOACH


# --- the sample notice --------------------------------------------------------------------

SAMPLE_TASKS: list[tuple[tuple[str, ...], date | None, str]] = [
    (("thnc",), date(2026, 6, 15), "Báo cáo sơ kết 6 tháng đầu năm 2026, trình Thường trực"),
    (("thnc",), date(2026, 6, 22), "trình Ban Chấp hành Đảng bộ"),
    (("thnc",), date(2026, 6, 30), "gửi Đảng ủy UBND tỉnh"),
    (("thnc",), date(2026, 5, 31), "sửa đổi, bổ sung Quy chế làm việc"),
    (("hcqt",), date(2026, 4, 19), "Hội nghị học tập, quán triệt"),
    (("Ban Tuyên giáo và Dân vận Đảng ủy",), date(2026, 6, 30), "kế hoạch tuyên truyền"),
    (("ubkt",), None, "Thường xuyên theo dõi, đôn đốc"),
    (("thhcc",), None, "cập nhật dữ liệu văn bản"),
]


def test_sample_notice() -> None:
    doc = _load(SAMPLE_NOTICE, UnitRegistry.default(), None)
    assert doc.kind == DocumentKind.THONG_BAO and doc.doc_date == date(2026, 4, 6)
    _check(doc.proposals, SAMPLE_TASKS)
    _assert_proposed(doc.proposals, SAMPLE_NOTICE)
    first, _, third, _, conference, publicity, inspection, _ = doc.proposals
    assert "Đơn vị lấy từ câu dẫn" in first.review_note  # the intro's owner
    assert third.deadline.raw == "chậm nhất ngày 30/6/2026"
    assert conference.cooperating == ("thhcc",) and conference.ref == "(3)"
    assert publicity.cooperating == ("ktvx",)
    assert inspection.deadline.kind is DeadlineKind.ONGOING and inspection.needs_review
    assert doc.new_unit_names == ("Ban Tuyên giáo và Dân vận Đảng ủy",)


# --- small parts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("KẾ HOẠCH\nthực hiện Nghị quyết", DocumentKind.KE_HOACH),
        ("ĐẢNG ỦY\n## THÔNG BÁO\nKết luận của …", DocumentKind.THONG_BAO),
        ("KẾT LUẬN\nHỘI NGHỊ BAN CHẤP HÀNH", DocumentKind.KET_LUAN),
        ("CHỈ THỊ\nvề tăng cường …", DocumentKind.CHI_THI),
        ("NGHỊ QUYẾT\nvề phát triển du lịch", DocumentKind.NGHI_QUYET),
        ("CHƯƠNG TRÌNH HÀNH ĐỘNG\nthực hiện …", DocumentKind.CHUONG_TRINH),
        ("Văn bản không rõ loại", DocumentKind.OTHER),
    ],
)
def test_document_kind_from_the_heading(heading: str, kind: DocumentKind) -> None:
    assert document_kind(heading.splitlines()) == kind


def test_prose_lines_of_an_office_file_are_read_too() -> None:
    lines = [
        "THÔNG BÁO",
        "Giao Chi bộ Hành chính - Quản trị chuẩn bị hội trường, hoàn thành trước ngày 10/5/2026.",
    ]
    (item,) = propose_tasks(lines, UnitRegistry.default(), date(2026, 5, 1))
    assert item.units == ("hcqt",) and item.deadline.due == date(2026, 5, 9)
    assert item.origin == "dòng 2" and item.title == "Chuẩn bị hội trường"


def test_a_text_with_no_table_and_no_assignment_is_still_refused() -> None:
    loaded = LoadedFile("x.txt", ".txt", "Chỉ là văn xuôi.\n".encode())
    with pytest.raises(ImportFailure, match="Không thấy bảng nhiệm vụ"):
        load_document(loaded, UnitRegistry.default(), doc_date=None, today=date(2026, 1, 1))


# --- classes of prose from other offices (our own examples of each) ------------------------

CLASSES = """KẾ HOẠCH
triển khai Nghị quyết về chuyển đổi số năm 2027
I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc Nghị quyết; coi đây là nhiệm vụ hàng đầu của các cấp ủy.
II. QUAN ĐIỂM
Chuyển đổi số là nhiệm vụ trọng tâm, thường xuyên.
III. NHIỆM VỤ
1. Các nhiệm vụ trọng tâm năm 2027 được giao cụ thể tại Phụ lục 2 kèm theo.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính:
a) Chủ trì, phối hợp với Sở Nội vụ tham mưu bố trí kinh phí thực hiện Kế hoạch, hoàn thành \
trước ngày 15/3/2027.
b) Hướng dẫn các đơn vị quyết toán kinh phí theo quy định.
2. Sở Khoa học và Công nghệ
- Xây dựng Đề án phát triển nền tảng số của tỉnh, trình UBND tỉnh trong Quý II/2027.
- Định kỳ trước ngày 25 hằng tháng báo cáo UBND tỉnh kết quả thực hiện.
3. Văn phòng UBND tỉnh có trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch.
Thời gian hoàn thành: trước ngày 10/11/2027.
4. Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả chuyển \
đổi số của cơ quan, đơn vị mình.
5. Các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể tổ chức quán triệt \
Kế hoạch trong tháng 02/2027.
6. Ban Quản lý dự án tỉnh đầu tư xây dựng trung tâm dữ liệu, hoàn thành năm 2028 (sau khi Bộ \
ban hành hướng dẫn).
"""


def test_prose_classes_owner_heading_cue_collective_periodic_closing() -> None:
    got = propose_tasks(CLASSES, UnitRegistry([]), date(2027, 1, 10))
    rows = [(_owners(i), i.deadline.kind, i.deadline.due, i.deadline.rrule) for i in got]
    due, recurring = DeadlineKind.DUE, DeadlineKind.RECURRING
    assert rows == [
        (("Sở Tài chính",), due, date(2027, 3, 14), None),  # the heading owns its lettered items
        (("Sở Tài chính",), DeadlineKind.UNREADABLE, None, None),  # undated: the office dates it
        (("Sở Khoa học và Công nghệ",), due, date(2027, 6, 30), None),  # heading without ":"
        (("Sở Khoa học và Công nghệ",), recurring, None, "FREQ=MONTHLY;BYMONTHDAY=24"),
        (("Văn phòng UBND tỉnh",), due, date(2027, 11, 9), None),  # the closing line's date
        (("Người đứng đầu cơ quan, đơn vị",), DeadlineKind.UNREADABLE, None, None),
        ((), due, date(2027, 2, 28), None),  # every level: one collective, for the office
        (("Ban Quản lý dự án tỉnh",), due, date(2028, 12, 31), None),  # the verb is no name
    ]
    assert got[1].needs_review and got[5].needs_review and got[6].needs_review
    assert "hằng tháng" in (got[3].review_note or "") or got[3].deadline.raw
    assert "sau khi Bộ ban hành hướng dẫn" in (got[7].deadline.note or "")
    text = " ".join(i.source_text for i in got)
    for not_a_task in ("coi đây là nhiệm vụ hàng đầu", "Chuyển đổi số là nhiệm vụ", "Phụ lục 2"):
        assert not_a_task not in text
    assert all(not i.title.startswith("Thời gian hoàn thành") for i in got)


@pytest.mark.parametrize(
    ("sentence", "owners", "count"),
    [
        ("Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính xây dựng quy chế.", ("Sở Y tế",), 1),
        (
            "Đề nghị Ủy ban MTTQ tỉnh chỉ đạo tuyên truyền trong tháng 3/2027.",
            ("Ủy ban MTTQ tỉnh",),
            1,
        ),
        ("Yêu cầu Công an tỉnh rà soát, báo cáo trước ngày 20/3/2027.", ("Công an tỉnh",), 1),
        ("Sở Nội vụ có trách nhiệm hướng dẫn, kiểm tra việc thực hiện.", ("Sở Nội vụ",), 1),
        ("Sở Tư pháp: chủ trì thẩm định dự thảo quy chế.", ("Sở Tư pháp",), 1),
    ],
)
def test_owner_cue_phrases(sentence: str, owners: tuple[str, ...], count: int) -> None:
    got = propose_tasks(sentence, UnitRegistry([]), date(2027, 1, 10))
    assert len(got) == count
    assert _owners(got[0])[: len(owners)] == owners
