"""Each stage of the prose pipeline on its own: segment, owner, deadline, proposal."""

from __future__ import annotations

from datetime import date

import pytest

from data.deadlines import DeadlineKind
from data.importers.prose import ProseReader, propose_tasks, speech
from data.importers.prose.clauses import comma_steps
from data.importers.prose.dates import action_steps
from data.importers.prose.kind import DocumentKind, document_kind, is_rendering, reported_kind
from data.importers.prose.owner import _starts_org
from data.importers.prose.proposal import (
    _split_lead,
    _title,
    dates_the_task_before,
    delivery_line,
)
from data.importers.prose.segment import _paragraphs, _plain, _sentences
from data.text import fold
from data.units import UnitRegistry

DOC = date(2027, 1, 10)


def _reader() -> ProseReader:
    return ProseReader(UnitRegistry([]), DOC)


# --- segment ---------------------------------------------------------------------------------


def test_segment_joins_wrapped_lines_and_stops_at_the_signature() -> None:
    paras = _paragraphs(
        "1. Sở Tài chính chủ trì rà soát\nkinh phí, báo cáo trước ngày 15/3/2027.\n"
        "2. Sở Nội vụ hướng dẫn.\nNơi nhận:\n- Như trên;\n"
    )
    assert [p.text if p.text == "\t" else _plain(p.text) for p in paras][:3] == [
        "1. Sở Tài chính chủ trì rà soát kinh phí, báo cáo trước ngày 15/3/2027.",
        "2. Sở Nội vụ hướng dẫn.",
        "\t",
    ]


def test_segment_sentences_keep_abbreviations() -> None:
    text = "Giao UBND TP. Hòa Bình rà soát. Đề nghị Sở Y tế hướng dẫn."
    assert _sentences(text) == ["Giao UBND TP. Hòa Bình rà soát.", "Đề nghị Sở Y tế hướng dẫn."]


# --- owner -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "owner", "action"),
    [
        ("Giao Sở Y tế chủ trì xây dựng quy chế.", "Sở Y tế", "xây dựng"),
        ("Đề nghị cấp ủy các chi bộ tổ chức quán triệt.", "các chi bộ", "tổ chức"),
        ("Riêng UBND huyện Quế Sơn theo dõi kinh phí.", "UBND huyện Quế Sơn", "theo dõi"),
        ("Chỉ thị yêu cầu UBND các huyện chỉ đạo sửa chữa.", "UBND các huyện", "chỉ đạo"),
        ("Ban Quản lý dự án tỉnh đầu tư trung tâm dữ liệu.", "Ban Quản lý dự án tỉnh", "đầu tư"),
        # a verb right after "về" inside a name is still the name
        (
            "Ban Chỉ đạo tỉnh về tổng kết Nghị quyết 18 chuẩn bị báo cáo.",
            "Ban Chỉ đạo tỉnh về tổng kết Nghị quyết 18",
            "chuẩn bị",
        ),
        # a list word and its names after a colon: one owner list, up to the verb
        (
            "Giao các Sở: Y tế, Giáo dục và Đào tạo có ý kiến về đề án.",
            "Sở Giáo dục và Đào tạo",
            "có ý kiến",
        ),
    ],
)
def test_owner_stage(sentence: str, owner: str, action: str) -> None:
    found, at, _ = _reader()._owner(sentence)
    assert found.named
    assert owner in (*found.resolution.unknown, found.text)
    assert sentence[at:].strip().startswith(action)


def test_owner_stage_collective_and_issuer() -> None:
    everyone, _, _ = _reader()._owner("Các cấp ủy, tổ chức đảng, chính quyền tổ chức quán triệt.")
    assert everyone.broad and not everyone.named
    issuer, _, _ = _reader()._owner("Ban Chấp hành Đảng bộ tỉnh đã thảo luận.")
    assert issuer.issuer


def test_owner_stage_a_name_only_heading() -> None:
    assert _reader()._name_only("Sở Khoa học và Công nghệ:") is not None
    assert _reader()._name_only("Các khâu đột phá") is None


# --- deadline --------------------------------------------------------------------------------


def test_deadline_stage_periodic_before_dates() -> None:
    marks = _reader()._marks("Định kỳ hằng năm (trước ngày 15/11) báo cáo UBND tỉnh.")
    assert [m.deadline.kind for m in marks] == [DeadlineKind.RECURRING]
    assert marks[0].deadline.rrule == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=14"


def test_deadline_stage_steps() -> None:
    marks = _reader()._marks(
        "Trình Ban Thường vụ trước ngày 20/2/2027, trình HĐND trong tháng 3/2027."
    )
    assert [m.deadline.due for m in marks] == [date(2027, 2, 19), date(2027, 3, 31)]


# --- proposal --------------------------------------------------------------------------------


def test_proposal_stage_titles() -> None:
    assert _title("có trách nhiệm theo dõi, đôn đốc ,", "") == "Theo dõi, đôn đốc"
    assert _split_lead("Hoàn thiện Quy hoạch tỉnh, trình Ban Thường vụ") == (
        "Hoàn thiện Quy hoạch tỉnh",
        "trình Ban Thường vụ",
    )


# --- the classes of full official texts (issue 20, fourth batch) ------------------------------


def test_segment_articles_dashed_items_and_capital_lines() -> None:
    paras = _paragraphs(
        "Trên cơ sở kết quả kỳ họp,\nQUYẾT NGHỊ:\nĐiều 2. Đề nghị UBND tỉnh chỉ đạo:\n"
        "+ Nghiệm thu kè bờ tây Sông\nLô đưa vào sử dụng trong tháng 7/2027.\n"
    )
    texts = [_plain(p.text) for p in paras]
    assert texts[1] == "QUYẾT NGHỊ:"  # never the end of the sentence above
    assert texts[3] == "+ Nghiệm thu kè bờ tây Sông Lô đưa vào sử dụng trong tháng 7/2027."
    from data.importers.prose.segment import _MARKER, _level

    marker = _MARKER.match(texts[2])
    assert marker is not None and _level(marker) == 1


@pytest.mark.parametrize(
    ("sentence", "lead", "shown", "action"),
    [
        ("Chỉ đạo Sở Tài nguyên và Môi trường: Thường xuyên kiểm tra.", "Sở Tài nguyên", "", ":"),
        (
            "Đề nghị UBND tỉnh chỉ đạo Bộ Chỉ huy Quân sự tỉnh xây dựng phương án.",
            "UBND tỉnh",
            "Bộ Chỉ huy Quân sự tỉnh",
            "xây dựng",
        ),
        (
            "Giao Sở Kế hoạch và Đầu tư chủ trì phối hợp với các đơn vị liên quan tham gia ý kiến.",
            "Sở Kế hoạch và Đầu tư",
            "",
            "tham gia",
        ),
    ],
)
def test_owner_stage_directed_bodies_and_colons(
    sentence: str, lead: str, shown: str, action: str
) -> None:
    found, at, _ = _reader()._owner(sentence)
    assert found.resolution.unknown and found.resolution.unknown[0].startswith(lead)
    if shown:
        assert shown in found.resolution.unknown_cooperating
    assert sentence[at:].strip().startswith(action)


def test_owner_stage_a_colon_list_of_names_stays_in_the_owner() -> None:
    found, _, _ = _reader()._owner(
        "Giao Chủ tịch UBND các huyện: Giao Thuỷ, Xuân Trường; Giám đốc Sở Y tế thực hiện."
    )
    assert "Giám đốc Sở Y tế" in found.resolution.unknown


def test_owner_stage_an_issued_document_is_narrative() -> None:
    told, _, _ = _reader()._owner("Ngày 26/5/2015, UBND tỉnh ban hành Công văn số 703/UBND-TN.")
    assert told.issuer and not told.named
    typo, _, _ = _reader()._owner("UBND tỉnh banh Công văn số 846/UBND-TH về việc báo cáo.")
    assert not typo.named


def test_deadline_stage_hours_terms_and_sessions() -> None:
    reader = ProseReader(UnitRegistry([]), date(2017, 7, 14))
    hour = reader._marks("Báo cáo gửi về Văn phòng trước 14 giờ, ngày 05/12/2017.")
    assert [m.deadline.due for m in hour] == [date(2017, 12, 5)]
    term = reader._marks("Có giải pháp về vốn trong giai đoạn 2018 - 2020.")
    assert [m.deadline.kind for m in term] == [DeadlineKind.TERM]
    session = reader._marks(
        "Báo cáo kết quả tại Kỳ họp thứ Sáu, HĐND tỉnh (dự kiến tổ chức tháng 12/2017)."
    )
    assert [m.deadline.due for m in session] == [date(2017, 12, 31)]


def _read(text: str, doc: date = DOC) -> list[tuple[str, str, object]]:
    items = ProseReader(UnitRegistry([]), doc).read(text)
    return [(i.title, " | ".join((*i.unknown_units, *i.units)), i.deadline.due) for i in items]


def test_reader_lead_ins_boilerplate_and_pointers_are_no_tasks() -> None:
    got = _read(
        "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo như sau: Giao Sở Y tế rà soát "
        "danh mục thuốc, báo cáo trước ngày 20/3/2027. Căn cứ nội dung này, Chủ tịch UBND tỉnh "
        "yêu cầu Giám đốc Sở Y tế triển khai thực hiện.\n"
        "Điều 3. Giám đốc các sở, Chủ tịch UBND các huyện có trách nhiệm thi hành Quyết định này.\n"
        "Giao Thường trực Hội đồng nhân dân tỉnh giám sát thực hiện Nghị quyết."
    )
    assert len(got) == 1 and got[0][1] == "Sở Y tế" and got[0][2] == date(2027, 3, 19)


def test_reader_closing_sentences_date_the_direction_before() -> None:
    got = _read(
        "Giao Sở Kế hoạch và Đầu tư tổng hợp chung báo cáo. Yêu cầu hoàn thiện gửi Văn phòng "
        "trước ngày 24/5/2027.\n"
        "Giao các sở, ngành giải trình các nội dung. Báo cáo yêu cầu gửi về Văn phòng UBND tỉnh "
        "trước 14 giờ, ngày 05/6/2027."
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Sở Kế hoạch và Đầu tư", date(2027, 5, 23)),
        ("", date(2027, 6, 5)),  # to everyone: the office names who
    ]


def test_deadline_stage_a_date_of_an_awaited_event_waits() -> None:
    reader = ProseReader(UnitRegistry([]), date(2017, 7, 14))
    marks = reader._marks(
        "Phê duyệt kế hoạch ngay sau khi danh mục được HĐND tỉnh thông qua vào Kỳ họp thứ Sáu, "
        "khóa XVII (dự kiến tổ chức vào tháng 12/2017)."
    )
    assert [m.deadline.kind for m in marks] == [DeadlineKind.WAITING]
    dated = reader._marks("Sau khi có hướng dẫn, hoàn thành trước ngày 30/11/2017.")
    assert [m.deadline.due for m in dated] == [date(2017, 11, 29)]


def test_owner_stage_a_person_who_assigns() -> None:
    found, _, _ = _reader()._owner(
        "Về vấn đề này, bà Hồ Thị Nguyên Thảo - Phó Chủ tịch UBND tỉnh đề nghị Sở Y tế khẩn "
        "trương báo cáo."
    )
    assert found.resolution.unknown == ("Sở Y tế",)


def test_owner_stage_words_that_only_look_like_bodies() -> None:
    from data.importers.prose.owner import _starts_org

    assert not _starts_org("Ban hành kèm theo Quyết định này Bộ định mức")
    assert not _starts_org("Các Báo cáo của Ủy ban nhân dân tỉnh")
    assert not _starts_org("Bộ định mức kinh tế - kỹ thuật")
    assert _starts_org("Đảng đoàn LĐLĐ thành phố")  # "đoàn" spelled as the text is lowered
    assert _starts_org("Liên đoàn Lao động tỉnh")
    assert _starts_org("cấp Quận ủy, Huyện ủy", object_of_cue=True)
    assert not _starts_org("Cấp kinh phí cho các đơn vị")


def test_segment_a_line_ending_on_a_function_word_goes_on() -> None:
    paras = _paragraphs("a) Căn cứ Chương trình giám sát của\nHội đồng nhân dân tỉnh xây dựng.\n")
    assert [_plain(p.text) for p in paras] == [
        "a) Căn cứ Chương trình giám sát của Hội đồng nhân dân tỉnh xây dựng."
    ]


def test_reader_duties_listed_after_a_colon_and_a_new_body_after_a_dated_step() -> None:
    got = _read(
        "Ban Thường vụ giao Ban Tổ chức Tỉnh ủy: Tham mưu chỉ đạo đại hội điểm. Hướng dẫn, "
        "theo dõi các đảng bộ. Tham mưu tổng kết, rút kinh nghiệm.\n"
        "Sở Y tế gửi báo cáo về Văn phòng trước ngày 10/3/2027, Văn phòng Tỉnh ủy tổng hợp trình "
        "Ban Thường vụ vào đầu tháng 4/2027."
    )
    assert [owner for _, owner, _ in got] == ["Ban Tổ chức Tỉnh ủy"] * 3 + [
        "Sở Y tế",
        "Văn phòng Tỉnh ủy",
    ]
    assert got[3][2] == date(2027, 3, 9)
    assert got[4][2] is None  # "đầu tháng 4/2027": a date a clerk would query, flagged


def test_reader_office_holders_duties_and_paragraphs_that_go_on() -> None:
    got = _read(
        "Theo đó, Thủ tướng giao Bộ Giao thông vận tải bàn giao mặt bằng trong tháng 10/2027.\n"
        "Ban Chỉ đạo có nhiệm vụ: Hàng năm xây dựng kế hoạch chi tiết.\n"
        "Đồng thời kiểm tra, đôn đốc các địa phương; báo cáo Thường trực Tỉnh ủy."
    )
    assert [owner for _, owner, _ in got] == [
        "Bộ Giao thông vận tải",
        "Ban Chỉ đạo",  # not the issuer, though its duty "xây dựng kế hoạch"
        "Ban Chỉ đạo",  # "Đồng thời …": the body above goes on
    ]
    items = ProseReader(UnitRegistry([]), DOC).read(
        "Ban Chỉ đạo có nhiệm vụ: Hàng năm xây dựng kế hoạch chi tiết."
    )
    assert items[0].deadline.kind is DeadlineKind.RECURRING


def test_reader_a_list_of_duties_then_a_report_and_lower_case_bodies_after_a_semicolon() -> None:
    got = _read(
        "Giao Thường trực Hội đồng nhân dân tỉnh tổ chức thực hiện chương trình giám sát; chỉ "
        "đạo việc theo dõi, đôn đốc; tổng hợp và báo cáo kết quả tại kỳ họp giữa năm 2027.\n"
        "Thường trực Hội đồng nhân dân tỉnh xây dựng chương trình giám sát; các Tổ đại biểu "
        "chủ động xây dựng chương trình.\n"
        "Sở Y tế khẩn trương triển khai; báo cáo UBND tỉnh chậm nhất ngày 29/9/2027."
    )
    assert [(owner.split()[0], due) for _, owner, due in got] == [
        ("Thường", None),  # the duties, undated
        ("Thường", None),  # the report "at the mid-year session": flagged, no date
        ("Thường", None),
        ("các", None),
        ("Sở", date(2027, 9, 29)),  # one task and its report
    ]


# --- batch 9: Party prose (own samples) ------------------------------------------------------


def test_deadline_stage_hyphen_dates_years_from_the_document_spans_and_vague_months() -> None:
    reader = ProseReader(UnitRegistry([]), date(2025, 3, 10))
    hyphen = reader._marks("Kiểm tra các chợ (hoàn thành trước 15-5-2025).")
    assert [m.deadline.due for m in hyphen] == [date(2025, 5, 14)]
    no_year = reader._marks("Giám sát 03 chi bộ, hoàn thành trong tháng 9; in ấn trong Quý III.")
    assert [m.deadline.due for m in no_year] == [date(2025, 9, 30), date(2025, 9, 30)]
    span = reader._marks("Báo cáo Thường trực từ ngày 12 đến 14-12-2025.")
    assert [m.deadline.due for m in span] == [date(2025, 12, 14)]
    vague = reader._marks("Báo cáo đầu tháng 4/2025 để tổng hợp, trình trước ngày 07/5/2025.")
    assert [m.deadline.kind for m in vague] == [DeadlineKind.UNREADABLE, DeadlineKind.DUE]


def test_deadline_stage_a_day_of_the_following_month_is_monthly() -> None:
    marks = _reader()._marks(
        "Chỉ đạo Công an tỉnh định kỳ trước ngày 02 của tháng tiếp theo báo cáo kết quả."
    )
    assert [m.deadline.rrule for m in marks] == ["FREQ=MONTHLY;BYMONTHDAY=1"]


def test_reader_addressees_in_the_lead_in_own_each_numbered_duty_of_a_directive() -> None:
    got = _read(
        "CHỈ THỊ\nCỦA BAN THƯỜNG VỤ TỈNH ỦY\n"
        "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc "
        "và các đoàn thể tập trung lãnh đạo, chỉ đạo thực hiện tốt các nhiệm vụ sau:\n"
        "1. Tăng cường công tác tuyên truyền, phổ biến pháp luật về phòng cháy.\n"
        "2. Rà soát, kiện toàn lực lượng dân phòng; hoàn thành trước ngày 30/6/2027.\n"
        "3. Người đứng đầu cấp ủy, chính quyền các cấp nêu gương trong thực hiện.\n"
        "4. Các cơ quan, tổ chức liên quan có trách nhiệm phối hợp chặt chẽ với Ban Tuyên giáo.\n"
    )
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        ("Tăng cường công tác ", "", None),  # everyone's duty: the office names who
        ("Rà soát, kiện toàn l", "", date(2027, 6, 29)),
        ("Nêu gương trong thực", "Người đứng đầu cấp ủy, chính quyền các cấp", None),
    ]


def test_reader_a_directive_lead_in_without_a_colon() -> None:
    text = (
        "Ban Thường vụ Thành ủy yêu cầu các cấp ủy, tổ chức đảng và đảng viên quán triệt, "
        "thực hiện tốt những nội dung chủ yếu.\n"
        "1. Chuẩn bị tốt báo cáo chính trị của chi bộ.\n"
        "2. Làm tốt công tác nhân sự; hoàn thành đại hội trước ngày 30-6-2027.\n"
    )
    got = _read("CHỈ THỊ\n" + text)
    assert [(owner, due) for _, owner, due in got] == [("", None), ("", date(2027, 6, 29))]
    # In a notice, a direction to everyone with no date stays the office's call
    assert [due for _, _, due in _read("THÔNG BÁO\n" + text)] == [date(2027, 6, 29)]


def test_owner_stage_duties_of_a_heading_and_the_issuers_standing_committee() -> None:
    got = _read(
        "Ban Thường vụ Đảng ủy Khối xây dựng Kế hoạch kiểm tra, giám sát năm 2027 như sau:\n"
        "1. Ban Thường vụ Đảng ủy Khối kiểm tra 04 tổ chức đảng, hoàn thành trong Quý II/2027.\n"
        "2. Ban Thường vụ Đảng ủy Khối lãnh đạo toàn diện công tác kiểm tra.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Trách nhiệm của Ủy ban Kiểm tra Đảng ủy Khối\n"
        "- Tổng hợp kết quả, báo cáo trước ngày 10/12/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Ban Thường vụ Đảng ủy Khối", date(2027, 6, 30)),  # its own dated work
        ("Ủy ban Kiểm tra Đảng ủy Khối", date(2027, 12, 9)),
    ]


def test_proposal_stage_a_later_step_handed_to_another_body_and_a_conditional_duty() -> None:
    got = _read(
        "1. Các huyện ủy tổ chức sơ kết; báo cáo kết quả về Tỉnh ủy đầu tháng 3/2027 để Ban "
        "Tuyên giáo Tỉnh ủy tổng hợp, trình Thường trực Tỉnh ủy trước ngày 07/4/2027.\n"
        "2. Các quận ủy, huyện ủy chọn 01 chi bộ làm điểm, tổ chức đại hội điểm trong Quý "
        "I/2027 (nếu cần, có thể chọn thêm chi bộ điểm ở cấp xã).\n"
    )
    assert [(title[:18], owner, due) for title, owner, due in got] == [
        ("Tổ chức sơ kết, bá", "Các huyện ủy", None),  # "đầu tháng 3/2027": flagged
        ("Tổng hợp, trình Th", "Ban Tuyên giáo Tỉnh ủy", date(2027, 4, 6)),
        ("Chọn 01 chi bộ làm", "Các quận ủy, huyện ủy", date(2027, 3, 31)),
    ]


def test_reader_an_addressee_heading_its_directed_bodies_ordinals_and_the_issuers_view() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "Tại phiên họp ngày 05/01/2027, Ban Thường vụ Tỉnh ủy nghe Đảng ủy UBND tỉnh báo cáo "
        "Đề án. Ban Thường vụ Tỉnh ủy kết luận như sau:\n"
        "1. Cơ bản thống nhất với nội dung Đề án do Đảng ủy UBND tỉnh trình.\n"
        "2. Giao Đảng ủy UBND tỉnh:\n"
        "- Chỉ đạo Sở Du lịch xây dựng bộ tiêu chí homestay, hoàn thành trong Quý I/2027.\n"
        "- Thứ hai, tổ chức tập huấn, hoàn thành trong Quý II/2027.\n"
        "3. Văn phòng Tỉnh ủy theo dõi, đôn đốc; định kỳ hằng quý báo cáo Thường trực Tỉnh ủy.\n"
        "4. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền về Đề án; định kỳ hằng quý báo cáo.\n"
    )
    got = [(i.title[:16], i.unknown_units, i.unknown_cooperating) for i in items]
    assert got == [
        ("Chỉ đạo Sở Du lị", ("Đảng ủy UBND tỉnh",), ("Sở Du lịch",)),
        ("Tổ chức tập huấn", ("Đảng ủy UBND tỉnh",), ()),
        ("Theo dõi, đôn đố", ("Văn phòng Tỉnh ủy",), ()),  # the watching is the report's
        ("Tuyên truyền về ", ("Ban Tuyên giáo Tỉnh ủy",), ()),  # the work, then the report
        ("Báo cáo", ("Ban Tuyên giáo Tỉnh ủy",), ()),
    ]


def test_deadline_stage_a_programme_year_and_a_day_month_already_past() -> None:
    programme = ProseReader(UnitRegistry([]), date(2017, 12, 25)).read(
        "CHƯƠNG TRÌNH\nkiểm tra, giám sát của Ban Chấp hành Đảng bộ huyện năm 2018\n"
        "1. Ủy ban Kiểm tra Huyện ủy kiểm tra tài chính đảng, thời gian trong tháng 4.\n"
        "2. Ủy ban Kiểm tra Huyện ủy trình kế hoạch chi tiết trước ngày 15/01.\n"
    )
    assert [i.deadline.due for i in programme] == [date(2018, 4, 30), date(2018, 1, 14)]
    notice = ProseReader(UnitRegistry([]), date(2017, 12, 25)).read(
        "THÔNG BÁO\n1. Ủy ban Kiểm tra Huyện ủy trình kế hoạch chi tiết trước ngày 15/01.\n"
    )
    assert [(i.deadline.kind, i.deadline.suggestion, i.needs_review) for i in notice] == [
        (DeadlineKind.UNREADABLE, "14/01/2018", True)  # perhaps next year: flagged
    ]


def test_reader_an_owner_after_giao_inside_a_long_sentence_and_opening_dates() -> None:
    got = _read(
        "1. Về giải ngân, Thường trực Tỉnh ủy đánh giá cao sự nỗ lực của các ngành, đồng thời "
        "giao Ban cán sự đảng UBND tỉnh chỉ đạo điều chuyển vốn, hoàn thành trước ngày "
        "30/6/2027.\n"
        "2. Về các dự án trọng điểm, thống nhất giao Ban Quản lý dự án đầu tư xây dựng các công "
        "trình giao thông tỉnh đẩy nhanh tiến độ, hoàn thành trong Quý 4 năm 2027.\n"
        "3. Ngày 08/4/2027, Văn phòng UBND tỉnh ban hành Văn bản số 404/VPUBND-NC thông báo ý "
        "kiến chỉ đạo của Chủ tịch UBND tỉnh, giao Sở Y tế trả lời đơn.\n"
        "4. Sở Nội vụ: Quý 1 năm 2027 hoàn thành phê duyệt quy hoạch; 6 tháng đầu năm 2027 "
        "hoàn thành rà soát quy hoạch.\n"
        "5. Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện Thông báo này.\n"
        "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng.\n"
        "TRƯỞNG BAN\nNguyễn Văn A, Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Tỉnh ủy\n"
    )
    assert [(title[:22], owner, due) for title, owner, due in got] == [
        ("Chỉ đạo điều chuyển vố", "Ban cán sự đảng UBND tỉnh", date(2027, 6, 29)),
        (
            "Đẩy nhanh tiến độ",
            "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
            date(2027, 12, 31),
        ),
        ("Hoàn thành phê duyệt q", "Sở Nội vụ", date(2027, 3, 31)),  # the date opens the step
        ("Hoàn thành rà soát quy", "Sở Nội vụ", date(2027, 6, 30)),
    ]


def test_reader_the_issuers_agreement_and_a_closing_report_sentence() -> None:
    got = _read(
        "1. Ban Bí thư cơ bản đồng ý với báo cáo sơ kết.\n"
        "2. Ủy ban Mặt trận Tổ quốc xã\n"
        "Vận động hội viên ký cam kết. Kết quả báo cáo về Đảng ủy xã chậm nhất ngày 25/10/2027.\n"
    )
    assert got == [
        ("Vận động hội viên ký cam kết", "Ủy ban Mặt trận Tổ quốc xã", date(2027, 10, 25))
    ]


def test_reader_ordinal_duties_of_a_directive_and_standing_rules() -> None:
    got = _read(
        "CHỈ THỊ\nBan Thường vụ Thị ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền thực hiện "
        "tốt các nội dung sau:\n"
        "Thứ nhất, chăm lo đời sống Nhân dân; hoàn thành việc tặng quà trước ngày 10/02/2027.\n"
        "Thứ hai, bảo đảm an ninh chính trị, trật tự an toàn xã hội.\n"
        "Thứ ba, cán bộ, đảng viên không sử dụng phương tiện công vào việc lễ hội.\n"
        "1. Văn phòng Thị ủy chủ trì, phối hợp với Ban Tổ chức Thị ủy theo dõi, đôn đốc thực "
        "hiện Chỉ thị; định kỳ hằng năm báo cáo Ban Thường vụ Thị ủy.\n"
    )
    assert [(title[:16], owner) for title, owner, _ in got] == [
        ("Chăm lo đời sống", ""),
        ("Bảo đảm an ninh ", ""),  # an ordinal numbers a duty as "2." does
        ("Theo dõi, đôn đố", "Văn phòng Thị ủy"),  # one task: the watching is the report's
    ]


def test_reader_a_directive_lead_in_in_a_conclusion_but_not_a_request() -> None:
    body = (
        "Ban Bí thư {verb} các cấp ủy, tổ chức đảng, chính quyền tập trung thực hiện tốt các "
        "nhiệm vụ sau:\n"
        "1. Tăng cường công tác tuyên truyền về phòng, chống thiên tai.\n"
        "2. Rà soát phương án ứng phó, hoàn thành trước ngày 30/6/2027.\n"
    )
    ordered = _read("KẾT LUẬN\n" + body.format(verb="yêu cầu"))
    assert [due for _, _, due in ordered] == [None, date(2027, 6, 29)]
    asked = _read("THÔNG BÁO\n" + body.format(verb="đề nghị"))
    assert [due for _, _, due in asked] == [date(2027, 6, 29)]  # a request: the office decides


def test_reader_a_body_directed_in_a_colon_list_and_a_meeting_month() -> None:
    got = _read(
        "1. Về dự thảo Đề án\n"
        "Ban Thường vụ Tỉnh ủy cơ bản thống nhất với dự thảo Đề án. Giao Đảng ủy UBND tỉnh: "
        "Hoàn thiện Đề án, ban hành trong tháng 02/2027. Chỉ đạo Sở Giáo dục và Đào tạo hướng "
        "dẫn các xã thực hiện sắp xếp, hoàn thành trước 31-7-2027.\n"
        "2. Về nhiệm vụ năm 2027\n"
        "Đảng ủy UBND tỉnh chỉ đạo tổng kết năm 2026; báo cáo Ban Thường vụ Tỉnh ủy tại Hội nghị "
        "tháng 02/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Đảng ủy UBND tỉnh", date(2027, 2, 28)),
        ("Đảng ủy UBND tỉnh", date(2027, 7, 30)),  # the directed body shown beside it
        ("Đảng ủy UBND tỉnh", date(2027, 2, 28)),
    ]


def test_reader_a_time_that_opens_the_sentence_before_its_owner() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "1. Chậm nhất ngày 15/10/2027, Ban Tổ chức Huyện ủy gửi kế hoạch về Văn phòng.\n"
        "2. Hằng năm, Ban Thường vụ Đảng ủy xã tổ chức đánh giá kết quả thực hiện Nghị quyết; "
        "sơ kết giữa nhiệm kỳ vào năm 2028.\n"
    )
    got = [(i.title[:16], i.unknown_units, i.deadline.due, i.deadline.rrule) for i in items]
    assert got == [
        ("Gửi kế hoạch về ", ("Ban Tổ chức Huyện ủy",), date(2027, 10, 15), None),
        (
            "Tổ chức đánh giá",
            ("Ban Thường vụ Đảng ủy xã",),
            None,
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
        ),
        ("Sơ kết giữa nhiệ", ("Ban Thường vụ Đảng ủy xã",), date(2028, 12, 31), None),
    ]


def test_reader_a_signers_title_line_in_any_case_is_no_task() -> None:
    got = _read(
        "Ban Tổ chức Tỉnh ủy đề nghị các huyện ủy thực hiện một số nội dung sau:\n"
        "1. Rà soát quy hoạch, hoàn thành trước ngày 30/9/2027.\n"
        "Trưởng Ban Tổ chức Tỉnh ủy, kiêm Trưởng Ban Nội chính Tỉnh ủy\nNguyễn Văn A\n"
    )
    assert [(title, due) for title, _, due in got] == [("Rà soát quy hoạch", date(2027, 9, 29))]


def test_deadline_stage_two_months_or_quarters_together() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 4, 2))
    marks = reader._marks("Tổ chức học tập, hoàn thành trong tháng 5 và tháng 6/2027.")
    assert [(m.deadline.kind, m.deadline.due) for m in marks] == [
        (DeadlineKind.TERM, date(2027, 6, 30))
    ]
    quarters = reader._marks("Triển khai trong Quý II và Quý III/2027.")
    assert [m.deadline.due for m in quarters] == [date(2027, 9, 30)]


def test_reader_the_issuers_own_heading_and_a_time_line_below_a_duty() -> None:
    """The Ban Tuyên giáo's own plan: its heading owns its duties; "Thời gian: tháng 5/2027."
    on a line of its own dates the dashed duty above it, never a task of its own."""
    got = _read(
        "Ban Tuyên giáo Tỉnh ủy xây dựng kế hoạch như sau:\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Tuyên giáo Tỉnh ủy\n"
        "- Tổ chức hội thi tìm hiểu về Chủ tịch Hồ Chí Minh.\n"
        "Thời gian: tháng 5/2027.\n"
        "2. Báo tỉnh\n"
        "Mở chuyên mục tuyên truyền.\n"
        "Tiến độ: từ ngày 01/5 đến ngày 31/5/2027.\n"
    )
    assert [(title[:16], owner, due) for title, owner, due in got] == [
        ("Tổ chức hội thi ", "Ban Tuyên giáo Tỉnh ủy", date(2027, 5, 31)),
        ("Mở chuyên mục tu", "Báo tỉnh", date(2027, 5, 31)),
    ]


def test_reader_everyone_exhorted_in_a_notice_but_directed_in_a_directive() -> None:
    """A conference notice's "các cấp ủy, … cần tập trung …" is no duty; the same numbered
    item in a Chỉ thị or a Thông tri is a duty of every addressee (the office names who)."""
    body = (
        "1. Các cấp ủy, tổ chức đảng, chính quyền cần tập trung lãnh đạo thực hiện tốt các "
        "nhiệm vụ trọng tâm.\n"
        "2. Giao Ban Tổ chức Huyện ủy kiện toàn cán bộ, xong trước ngày 30/9/2027.\n"
    )
    notice = _read("THÔNG BÁO\nKẾT LUẬN CỦA BAN THƯỜNG VỤ\n" + body)
    assert [owner for _, owner, _ in notice] == ["Ban Tổ chức Huyện ủy"]
    for kind in ("CHỈ THỊ", "THÔNG TRI", "KẾ HOẠCH"):
        directed = _read(f"{kind}\nCỦA BAN THƯỜNG VỤ\n" + body)
        assert [owner for _, owner, _ in directed] == ["", "Ban Tổ chức Huyện ủy"], kind


def test_owner_stage_a_cue_before_the_name_and_the_fronts_unions_as_one_body() -> None:
    reader = _reader()
    heading = reader._name_only("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")
    assert heading is not None and heading.resolution.unknown == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    )
    both, _, adverbial = reader._owner(
        "Đề nghị Công đoàn Viên chức tỉnh, Đoàn Thanh niên Khối phối hợp tuyên truyền."
    )
    assert adverbial == ""  # "Đề nghị" folds like "Để", but it is the cue
    assert both.resolution.unknown == ("Công đoàn Viên chức tỉnh", "Đoàn Thanh niên Khối")
    front, _, _ = reader._owner(
        "Đề nghị Đảng ủy Ủy ban MTTQ và các đoàn thể tỉnh lãnh đạo tổ chức lấy ý kiến."
    )
    assert front.resolution.unknown == ("Đảng ủy Ủy ban MTTQ và các đoàn thể tỉnh",)


def test_reader_closing_formulas_a_result_due_and_one_monthly_report() -> None:
    got = _read(
        "THÔNG BÁO\n"
        "1. Đề nghị Ban cán sự đảng UBND tỉnh:\n"
        "- Chỉ đạo đẩy nhanh giải ngân, phấn đấu đến ngày 30/9/2027 giải ngân đạt 60%.\n"
        "- Định kỳ hằng tháng báo cáo Thường trực Tỉnh ủy tiến độ giải ngân, trước ngày 05 "
        "của tháng tiếp theo.\n"
        "Văn phòng Tỉnh ủy thông báo để các cơ quan liên quan biết, thực hiện.\n"
        "Trên đây là Kế hoạch của Ban Thường vụ Tỉnh ủy.\n"
    )
    assert [(title[:22], due) for title, _, due in got] == [
        ("Chỉ đạo đẩy nhanh giải", date(2027, 9, 30)),
        ("Báo cáo Thường trực Tỉ", None),  # monthly, due the 4th
    ]


def test_reader_a_timetable_of_dated_lines_each_naming_its_owner() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "III. TIẾN ĐỘ THỰC HIỆN\n"
        "- Trước ngày 15/4/2027: Ban Tổ chức Huyện ủy hoàn thành hướng dẫn nhân sự.\n"
        "- Tháng 5/2027: các đảng ủy cơ sở tổ chức đại hội chi bộ điểm.\n"
        "- Từ ngày 01/6 đến ngày 30/6/2027: Ban Tuyên giáo Huyện ủy tổng hợp ý kiến.\n"
    )
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        ("Hoàn thành hướng dẫn", "Ban Tổ chức Huyện ủy", date(2027, 4, 14)),
        ("Tổ chức đại hội chi ", "các đảng ủy cơ sở", date(2027, 5, 31)),
        ("Tổng hợp ý kiến", "Ban Tuyên giáo Huyện ủy", date(2027, 6, 30)),
    ]


def test_deadline_stage_a_frequency_that_closes_a_step_but_not_one_naming_a_document() -> None:
    reader = _reader()
    closing = reader._marks(
        "Lãnh đạo UBND tỉnh bố trí kinh phí cho công tác bảo vệ rừng hằng năm; chỉ đạo tổng "
        "kết chính sách, báo cáo trong tháng 10/2027."
    )
    assert [m.deadline.kind for m in closing] == [DeadlineKind.RECURRING, DeadlineKind.DUE]
    naming = reader._marks("Đưa chỉ tiêu vào nghị quyết hằng năm của cấp ủy.")
    assert naming == []


def test_reader_secretaries_of_many_bodies_own_a_duty_but_the_secretary_who_speaks_does_not() -> (
    None
):
    got = _read(
        "THÔNG BÁO\n"
        "Đồng chí Bí thư Tỉnh ủy phát biểu khai mạc Hội nghị.\n"
        "Yêu cầu bí thư các chi bộ trực thuộc chịu trách nhiệm đôn đốc đảng viên đóng đảng phí; "
        "báo cáo kết quả chậm nhất ngày 05/12/2027.\n"
        "Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện đưa tiêu chí vệ sinh "
        "môi trường vào bình xét gia đình văn hóa, xong trong năm 2027.\n"
        "Ban Tuyên giáo Tỉnh ủy có trách nhiệm ban hành hướng dẫn trước ngày 15/01/2027; chủ trì "
        "tổ chức gặp mặt vào ngày 30/01/2027.\n"
    )
    assert [(title[:14], owner, due) for title, owner, due in got] == [
        ("Đôn đốc đảng v", "Bí thư các chi bộ trực thuộc", date(2027, 12, 5)),
        (
            "Đưa tiêu chí v",
            "Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện",
            date(2027, 12, 31),
        ),
        ("Ban hành hướng", "Ban Tuyên giáo Tỉnh ủy", date(2027, 1, 14)),
        ("Chủ trì tổ chứ", "Ban Tuyên giáo Tỉnh ủy", date(2027, 1, 30)),
    ]


def test_reader_a_topic_label_then_named_bodies_and_a_pointer_before_a_periodic_duty() -> None:
    got = _read(
        "THÔNG BÁO\n"
        "3. Về triển khai thực hiện: Ban cán sự đảng UBND tỉnh, Đảng đoàn HĐND tỉnh theo chức "
        "năng, nhiệm vụ lãnh đạo triển khai thực hiện Đề án sau khi được ban hành; định kỳ hằng "
        "năm sơ kết, đánh giá kết quả, báo cáo Ban Thường vụ Tỉnh ủy.\n"
    )
    assert [(title[:20], owner) for title, owner, _ in got] == [
        ("Sơ kết, đánh giá kết", "Ban cán sự đảng UBND tỉnh | Đảng đoàn HĐND tỉnh")
    ]


def test_reader_a_date_label_in_brackets_an_opening_time_frame_and_once_a_month() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "1. Ban Tuyên giáo Huyện ủy\n"
        "- Tổ chức hội nghị quán triệt Nghị quyết (thời gian: tháng 3/2027).\n"
        "2. Thời gian tới, Ban cán sự đảng UBND tỉnh cần tập trung hoàn thành phương án hỗ trợ "
        "lao động trước ngày 15/9/2027.\n"
        "3. Người đứng đầu cấp ủy, chính quyền các cấp trực tiếp tiếp công dân định kỳ ít nhất "
        "một ngày trong tháng.\n"
    )
    assert [(title[:14], owner, due) for title, owner, due in got] == [
        ("Tổ chức hội ng", "Ban Tuyên giáo Huyện ủy", date(2027, 3, 31)),
        ("Tập trung hoàn", "Ban cán sự đảng UBND tỉnh", date(2027, 9, 14)),
        ("Trực tiếp tiếp", "Người đứng đầu cấp ủy, chính quyền các cấp", None),
    ]
    monthly = _reader()._marks("Tiếp công dân định kỳ ít nhất một ngày trong tháng.")
    assert [m.deadline.rrule for m in monthly] == ["FREQ=MONTHLY;BYMONTHDAY=-1"]


def test_reader_a_piece_of_work_with_its_label_lines_and_a_work_programme_by_quarter() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "KẾ HOẠCH\n"
        "II. NHIỆM VỤ CỤ THỂ\n"
        "1. Công tác tuyên truyền trước, trong và sau Đại hội.\n"
        "- Cơ quan chủ trì: Tiểu ban Tuyên truyền.\n"
        "- Cơ quan phối hợp: Ủy ban Mặt trận Tổ quốc Việt Nam xã.\n"
        "- Thời gian: từ ngày 01/8 đến ngày 30/9/2027.\n"
        "III. QUÝ III\n"
        "2. Cho ý kiến về Đề án du lịch (Ban cán sự đảng UBND tỉnh chủ trì chuẩn bị).\n"
    )
    got = [(i.title[:18], i.unknown_units, i.unknown_cooperating, i.deadline.due) for i in items]
    assert got == [
        (
            "Thực hiện công tác",
            ("Tiểu ban Tuyên truyền",),
            ("Ủy ban Mặt trận Tổ quốc Việt Nam xã",),
            date(2027, 9, 30),
        ),
        ("Chuẩn bị cho ý kiế", ("Ban cán sự đảng UBND tỉnh",), (), date(2027, 9, 30)),
    ]
    assert items[0].source_text.startswith("1. Công tác tuyên truyền")  # as written
    assert "- Cơ quan chủ trì: Tiểu ban Tuyên truyền." in items[0].source_text


def test_reader_the_offices_watch_with_nothing_to_report_is_no_task() -> None:
    got = _read(
        "Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc các cơ quan chuẩn bị nội dung, gửi hồ sơ "
        "trước phiên họp.\n"
        "Giao Văn phòng Huyện ủy theo dõi, đôn đốc, tổng hợp kết quả, báo cáo Thường trực.\n"
    )
    assert [owner for _, owner, _ in got] == ["Văn phòng Huyện ủy"]


def test_reader_a_delivery_aside_an_addition_to_the_report_and_the_leaderships_intention() -> None:
    got = _read(
        "THÔNG BÁO\n"
        "1. Đề nghị các chi bộ báo cáo số liệu đảng viên về Ban Tổ chức Huyện ủy trước 16 giờ 00 "
        "ngày 20/6/2027 (đồng thời gửi file qua hộp thư điện tử của Ban).\n"
        "Đề nghị các đảng bộ cơ sở có đảng viên từ trần ghi rõ danh sách kèm theo báo cáo.\n"
        "2. Thường trực Thành ủy sẽ trực tiếp làm việc với các đơn vị.\n"
        "3. Bộ phận giúp việc Đảng ủy: xây dựng dự thảo báo cáo, trình trước ngày 10/6/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("", date(2027, 6, 20)),  # every chi bộ (the empty registry lists none)
        ("Bộ phận giúp việc Đảng ủy", date(2027, 6, 9)),
    ]


def test_reader_one_office_holder_owns_a_duty_and_half_yearly_and_yearly_is_one_report() -> None:
    got = _read(
        "NGHỊ QUYẾT\n"
        "1. Đồng chí Chủ tịch Ủy ban nhân dân xã chỉ đạo giải quyết dứt điểm 02 đơn khiếu nại "
        "trong quý IV.\n"
        "2. Giao Văn phòng Tỉnh ủy hướng dẫn, theo dõi, đôn đốc thực hiện Kế hoạch; định kỳ 6 "
        "tháng, 1 năm tổng hợp, báo cáo Ban Thường vụ Tỉnh ủy.\n",
        date(2027, 10, 4),
    )
    assert [(title[:12], owner, due) for title, owner, due in got] == [
        ("Chỉ đạo giải", "Chủ tịch Ủy ban nhân dân xã", date(2027, 12, 31)),
        ("Hướng dẫn, t", "Văn phòng Tỉnh ủy", None),  # one task, half-yearly
    ]


def test_reader_a_speakers_colon_cue_and_a_duty_that_builds_a_plan_is_no_issuer() -> None:
    got = _read(
        "Kết thúc buổi làm việc, đồng chí Chủ tịch UBND huyện yêu cầu: Phòng Nội vụ rà soát "
        "hồ sơ cán bộ trước ngày 15/3/2027; Phòng Tư pháp hướng dẫn các xã hoàn thiện hương "
        "ước trước ngày 30/3/2027.\n"
        "Văn phòng Huyện ủy xây dựng kế hoạch bố trí hội trường cho hội nghị trước ngày "
        "20/3/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Phòng Nội vụ", date(2027, 3, 14)),
        ("Phòng Tư pháp", date(2027, 3, 29)),
        ("Văn phòng Huyện ủy", date(2027, 3, 19)),
    ]


def test_reader_the_issuer_names_this_plan_in_its_opening_not_in_a_numbered_duty() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "Thực hiện Chỉ thị của Tỉnh ủy, Ban Tổ chức Huyện ủy xây dựng kế hoạch như sau:\n"
        "1. Ủy ban Kiểm tra Huyện ủy xây dựng kế hoạch kiểm tra chuyên đề trước ngày 20/4/2027.\n"
        "2. Ban Tổ chức Huyện ủy có ý kiến về dự thảo.\n"
    )
    # the opening names the issuer, which owns no sentence of its own; item 1 is a duty
    assert [(owner, due) for _, owner, due in got] == [
        ("Ủy ban Kiểm tra Huyện ủy", date(2027, 4, 19)),
    ]


def test_reader_a_contents_line_with_its_labels_and_the_latest_date_of_a_planned_one() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "II. NỘI DUNG\n"
        "1. Hội nghị sơ kết công tác dân vận\n"
        "1.1. Nội dung: Đánh giá kết quả công tác dân vận 6 tháng đầu năm. Thảo luận các "
        "giải pháp.\n"
        "- Thời gian: Dự kiến ngày 02/7/2027 (chậm nhất ngày 10/7/2027).\n"
        "- Thành phần: Lãnh đạo các cơ quan, đơn vị.\n"
        "- Đơn vị chủ trì: Ban Dân vận Huyện ủy.\n"
        "- Kết quả: Báo cáo sơ kết.\n"
    )
    # one task of the body the label names, due the latest date, not the planned one
    assert [(title[:25], owner, due) for title, owner, due in got] == [
        ("Đánh giá kết quả công tác", "Ban Dân vận Huyện ủy", date(2027, 7, 10)),
    ]


def test_proposal_a_collective_owner_keeps_its_words_and_names_no_unit() -> None:
    items = _reader().read(
        "CHỈ THỊ\n1. Các cấp ủy, tổ chức đảng quán triệt sâu rộng Chỉ thị này trong tháng 3/2027.\n"
    )
    assert len(items) == 1
    assert items[0].unit_text == "Các cấp ủy, tổ chức đảng"  # shown to the clerk as written
    assert not items[0].units and not items[0].unknown_units  # the office names who
    assert "cần chỉ định đơn vị" in items[0].review_note


def test_segment_web_page_markers_and_party_bodies_below_as_everyone() -> None:
    got = _read(
        "Chỉ thị về học tập Nghị quyết\n"
        "Ngày 02/3/2027, Ban Thường vụ Huyện ủy ban hành Văn bản v/v học tập Nghị quyết.\n"
        "Ban Thường vụ Huyện ủy yêu cầu:\n"
        "1/ Các chi, đảng bộ trực thuộc và các đoàn thể tổ chức học tập Nghị quyết.\n"
        "2.Ban Tuyên giáo Huyện ủy biên soạn tài liệu hỏi đáp trước ngày 30/3/2027.\n"
    )
    # "1/" and "2." with no space are items; the document issued is told, no task
    assert [(owner, due) for _, owner, due in got] == [
        ("", None),  # every Party body below: the office names who
        ("Ban Tuyên giáo Huyện ủy", date(2027, 3, 29)),
    ]


# --- batch 19: State documents (own samples) -------------------------------------------------


def test_owner_stage_a_list_word_then_names_and_a_cue_that_folds_like_a_purpose() -> None:
    listed = (
        "Các Sở: Xây dựng, Tài chính, Nông nghiệp và Môi trường theo chức năng, nhiệm vụ "
        "hướng dẫn UBND huyện thực hiện thủ tục đầu tư."
    )
    found, at, _ = _reader()._owner(listed)
    assert listed[at:].startswith("hướng dẫn")
    assert found.resolution.unknown == (
        "Sở Xây dựng",
        "Sở Tài chính",
        "Sở Nông nghiệp và Môi trường",
    )
    press, _, _ = _reader()._owner(
        "Đề nghị Báo Bạc Liêu, Đài Phát thanh và Truyền hình Bạc Liêu xây dựng chuyên mục."
    )
    assert press.resolution.unknown == ("Báo Bạc Liêu", "Đài Phát thanh và Truyền hình Bạc Liêu")
    one, _, _ = _reader()._owner("UBND các huyện: Thường xuyên kiểm tra.")
    assert one.resolution.unknown == ("UBND các huyện",)


def test_reader_a_state_letterhead_assesses_and_closing_formulas_are_no_tasks() -> None:
    got = _read(
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH AN BÌNH\nNGHỊ QUYẾT\n"
        "Điều 1. Hội đồng nhân dân tỉnh đánh giá:\n"
        "1. Kết quả đạt được\nCác huyện đã giải ngân 300 tỷ đồng, góp phần phát triển sản xuất.\n"
        "Điều 2. Hội đồng nhân dân tỉnh yêu cầu:\n1. Ủy ban nhân dân tỉnh\n"
        "a) Rà soát chính sách, trình tại kỳ họp thường lệ cuối năm 2027.\n"
        "Điều 3. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết.\n"
        "Giao Văn phòng tỉnh theo dõi, đôn đốc các đơn vị thực hiện nội dung Thông báo này.\n"
        "Văn phòng Ủy ban nhân dân tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.\n"
    )
    assert got == [("Rà soát chính sách, trình", "Ủy ban nhân dân tỉnh", date(2027, 12, 31))]


def test_reader_a_connective_duty_after_a_dated_one_is_its_own() -> None:
    got = _read(
        "Giao UBND huyện Vũ Thư di dời các hộ dân, hoàn thành trước ngày 15/10/2027. Đồng thời, "
        "cắm biển cảnh báo tại khu vực sạt lở.\n"
        "Giao UBND huyện Kiến Xương sửa chữa kênh mương. Đồng thời chỉ đạo các xã kiểm tra.\n"
    )
    assert [(title[:16], owner, due) for title, owner, due in got] == [
        ("Di dời các hộ dâ", "UBND huyện Vũ Thư", date(2027, 10, 14)),
        ("Cắm biển cảnh bá", "UBND huyện Vũ Thư", None),
        ("Sửa chữa kênh mư", "UBND huyện Kiến Xương", None),
    ]


# --- batch 21: State documents (own samples) -------------------------------------------------


def test_owner_stage_a_speaker_and_a_list_label_before_full_names() -> None:
    speaker, _, _ = _reader()._owner("Thực hiện Công văn số 215/UBND, Sở Nội vụ thông báo như sau:")
    assert speaker.issuer and not speaker.named
    listed, _, _ = _reader()._owner(
        "Các cơ quan: Sở Công Thương, Công an tỉnh định kỳ vào thứ Sáu hằng tuần báo cáo kết quả."
    )
    assert listed.resolution.unknown == ("Sở Công Thương", "Công an tỉnh")


def test_reader_a_councils_own_agenda_support_and_closing_duties_are_no_tasks() -> None:
    got = _read(
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH AN BÌNH\nNGHỊ QUYẾT\n"
        "a) Tại kỳ họp thường lệ giữa năm 2027: xem xét báo cáo công tác của Ủy ban nhân dân "
        "tỉnh.\n"
        "1. Thường trực Hội đồng nhân dân tỉnh xây dựng kế hoạch giám sát, ban hành trong "
        "tháng 01/2027.\n"
        "2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp giám sát.\n"
        "3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tham gia giám sát việc thực hiện "
        "Nghị quyết.\n"
        "4. Các Ban của Hội đồng nhân dân tỉnh có trách nhiệm tổ chức triển khai thực hiện "
        "Nghị quyết này.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Thường trực Hội đồng nhân dân tỉnh", date(2027, 1, 31))
    ]


def test_proposal_stage_a_duty_after_the_last_date_with_dong_thoi_is_its_own() -> None:
    got = _read(
        "1. Sở Công Thương tổ chức kiểm tra đột xuất các cửa hàng, báo cáo kết quả trước ngày "
        "30/6/2027; đồng thời rà soát, đề xuất thu hồi giấy phép các cửa hàng vi phạm.\n"
    )
    assert [(title[:18], owner, due) for title, owner, due in got] == [
        ("Tổ chức kiểm tra đ", "Sở Công Thương", date(2027, 6, 29)),
        ("Rà soát, đề xuất t", "Sở Công Thương", None),
    ]


def test_owner_stage_a_name_ends_with_its_place_only_after_a_body_of_that_place() -> None:
    moved, at, _ = _reader()._owner("UBND huyện Vũ Thư di dời các hộ dân.")
    assert moved.resolution.unknown == ("UBND huyện Vũ Thư",)
    assert "UBND huyện Vũ Thư di dời các hộ dân."[at:].startswith("di dời")
    listed, _, _ = _reader()._owner(
        "Ủy ban nhân dân các huyện, thành phố Long Khánh, thành phố Biên Hòa chỉ đạo cấp xã."
    )
    assert listed.resolution.unknown == (
        "Ủy ban nhân dân các huyện, thành phố Long Khánh, thành phố Biên Hòa",
    )
    address, _, _ = _reader()._owner("Ủy ban nhân dân các huyện, thành phố Long Khánh.")
    assert not address.named
    partners, _, _ = _reader()._owner("Các tỉnh Bắc Lào mở rộng hợp tác.")
    assert not partners.named  # no body of that place: no name ends there


# --- batch 23: State documents (own samples) -------------------------------------------------


def test_reader_a_colon_list_of_duties_with_their_own_dates_and_an_events_span() -> None:
    got = _read(
        "II. THỜI GIAN, PHẠM VI\n"
        "Chiến dịch triển khai từ ngày 15/4/2027 đến ngày 15/5/2027 tại tất cả các xã.\n"
        "III. TRÁCH NHIỆM\n"
        "- Sở Y tế: chủ trì tổ chức chiến dịch; chỉ đạo Trung tâm Kiểm soát bệnh tật tỉnh phân "
        "bổ vắc xin trước ngày 10/4/2027; định kỳ báo cáo Ủy ban nhân dân tỉnh tiến độ.\n"
        "- Sở Tài nguyên và Môi trường: rà soát hồ sơ; hướng dẫn các địa phương thực hiện.\n"
    )
    assert [(title[:21], due) for title, _, due in got] == [
        ("Chủ trì tổ chức chiến", date(2027, 5, 15)),
        ("Chỉ đạo Trung tâm Kiể", date(2027, 4, 9)),
        ("Định kỳ báo cáo Ủy ba", None),
        # several steps in one sentence are several tasks, dated or not
        ("Rà soát hồ sơ", None),
        ("Hướng dẫn các địa phư", None),
    ]
    periodic = ProseReader(UnitRegistry([]), DOC).read(
        "- Sở Y tế: chủ trì tổ chức; phân bổ vắc xin trước ngày 10/4/2027; định kỳ báo cáo "
        "Ủy ban nhân dân tỉnh tiến độ.\n"
    )[-1]
    assert periodic.deadline.kind is DeadlineKind.UNREADABLE and periodic.needs_review


def test_owner_stage_bodies_of_state_texts_and_a_label_before_the_body() -> None:
    for sentence, owner in (
        ("Công ty Điện lực Hà Tĩnh bảo đảm an toàn hệ thống điện.", "Công ty Điện lực Hà Tĩnh"),
        ("Trạm Y tế xã: Chủ trì lấy mẫu xét nghiệm.", "Trạm Y tế xã"),
        ("Đoàn kiểm tra liên ngành tổ chức kiểm tra các cơ sở.", "Đoàn kiểm tra liên ngành"),
    ):
        found, _, _ = _reader()._owner(sentence)
        assert found.resolution.unknown == (owner,)
    assert _reader()._name_only("Nhiệm vụ của Tổ công tác") is not None
    staff, _, _ = _reader()._owner("Công chức, viên chức tổ chức học tập.")
    assert staff.broad and not staff.named
    got = _read(
        "1. Về đề nghị bổ sung biên chế giáo viên: Sở Nội vụ nghiên cứu, trả lời huyện bằng "
        "văn bản.\n"
        "Điều 4. Giám đốc các sở và các thành viên Tổ công tác căn cứ Quyết định thi hành./.\n"
    )
    assert [owner for _, owner, _ in got] == ["Sở Nội vụ"]


def test_deadline_stage_a_target_year_and_a_strived_for_day() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 10, 8))
    year = reader._marks("Tăng thu, phấn đấu hoàn thành dự toán thu ngân sách năm 2027.")
    assert [m.deadline.due for m in year] == [date(2027, 12, 31)]
    day = reader._marks("Giải ngân vốn; phấn đấu đến ngày 31/01/2028 giải ngân 100% kế hoạch.")
    assert [m.deadline.due for m in day] == [date(2028, 1, 31)]


# --- batch 25: State documents (own samples) -------------------------------------------------


def test_deadline_stage_seasons_year_spans_and_yearly_days() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 2, 20))
    season = reader._marks(
        "Sửa chữa các tuyến đường, hoàn thành trước mùa mưa năm 2027; đẩy nhanh dự án, phấn "
        "đấu thông xe trong năm 2028."
    )
    assert [(m.deadline.kind, m.deadline.due) for m in season] == [
        (DeadlineKind.UNREADABLE, None),
        (DeadlineKind.DUE, date(2028, 12, 31)),
    ]
    dated = reader._marks(
        "Xây dựng kế hoạch, hoàn thành trước mùa mưa bão năm 2027 (trước ngày 30/6/2027)."
    )
    assert [m.deadline.due for m in dated] == [date(2027, 6, 29)]
    span = reader._marks("Bố trí vốn hỗ trợ từ năm 2027 đến năm 2029.")
    assert [(m.deadline.kind, m.deadline.due) for m in span] == [
        (DeadlineKind.TERM, date(2029, 12, 31))
    ]
    yearly = reader._marks(
        "Xây dựng kế hoạch chuyển đổi cơ cấu cây trồng hằng năm, trình trước ngày 15/12."
    )
    assert [m.deadline.rrule for m in yearly] == ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14"]
    half = reader._marks(
        "Định kỳ 6 tháng (trước ngày 15/6 và 15/12) báo cáo kết quả thực hiện về huyện."
    )
    assert [m.deadline.kind for m in half] == [DeadlineKind.RECURRING]


def test_reader_labelled_items_under_a_councils_request_are_the_addressees() -> None:
    got = _read(
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH AN BÌNH\nNGHỊ QUYẾT\n"
        "Điều 2. Hội đồng nhân dân tỉnh yêu cầu Ủy ban nhân dân tỉnh chỉ đạo các sở, ngành "
        "liên quan tập trung thực hiện các giải pháp sau:\n"
        "- Đối với lĩnh vực giao thông: Khẩn trương sửa chữa các tuyến đường tỉnh, hoàn thành "
        "trước mùa mưa năm 2027; đẩy nhanh dự án đường vành đai, phấn đấu thông xe trong năm "
        "2028.\n",
        date(2027, 2, 20),
    )
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        ("Đối với lĩnh vực gia", "Ủy ban nhân dân tỉnh", None),
        ("Đẩy nhanh dự án đườn", "Ủy ban nhân dân tỉnh", date(2028, 12, 31)),
    ]


# --- batch 27: State documents (own samples) -------------------------------------------------


def test_segment_a_wrapped_line_that_opens_with_a_count_goes_on() -> None:
    paras = _paragraphs("2. Xây dựng mô hình, mỗi huyện có ít nhất\n01 mô hình trong năm 2027.\n")
    assert [_plain(p.text) for p in paras] == [
        "2. Xây dựng mô hình, mỗi huyện có ít nhất 01 mô hình trong năm 2027."
    ]


def test_reader_a_report_of_results_a_news_subject_and_two_periods_of_one_report() -> None:
    got = _read(
        "Báo Nghệ An ngày 16/11/2027 có bài phản ánh về việc bếp ăn không bảo đảm an toàn thực "
        "phẩm.\n"
        "Giao Sở Y tế khẩn trương kiểm tra, xác minh nội dung phản ánh; xử lý nghiêm các vi "
        "phạm; báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 25/11/2027.\n"
        "Các sở báo cáo tình hình định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày "
        "15/11), gửi về Sở Tư pháp để tổng hợp.\n"
        "Điều 6. Sở Tư pháp có trách nhiệm hướng dẫn, kiểm tra việc thực hiện Quy chế này.\n",
        date(2027, 11, 18),
    )
    assert [(title[:24], owner, due) for title, owner, due in got] == [
        ("Khẩn trương kiểm tra, xá", "Sở Y tế", date(2027, 11, 24)),
        ("Báo cáo tình hình gửi về", "Các sở", None),
    ]


# --- batch 29: State documents (own samples) -------------------------------------------------


def test_deadline_stage_a_yearly_opening_with_a_day_and_lunar_days_in_brackets() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 1, 12))
    yearly = reader._marks(
        "Định kỳ hằng năm, tổng hợp tình hình, báo cáo Ủy ban nhân dân thành phố trước ngày 15/12;"
    )
    assert [m.deadline.rrule for m in yearly] == ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14"]
    lunar = reader._marks(
        "Tổ chức thăm hỏi, hoàn thành trước ngày 10/02/2027 (tức ngày 23 tháng Chạp năm Bính "
        "Ngọ); báo cáo trước 10 giờ ngày 23/02/2027 (mùng 7 Tết)."
    )
    assert [m.deadline.due for m in lunar] == [date(2027, 2, 9), date(2027, 2, 23)]
    assert "âm lịch" in (lunar[0].deadline.note or "")


# --- batch 31: State documents (own samples) -------------------------------------------------


def test_reader_a_meetings_narration_and_assessments_are_no_tasks() -> None:
    got = _read(
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH AN BÌNH\nTHƯỜNG TRỰC\nTHÔNG BÁO\n"
        "Ngày 30/5/2027, Ban Pháp chế Hội đồng nhân dân tỉnh tổ chức phiên họp thường kỳ.\n"
        "1. Thường trực Hội đồng nhân dân tỉnh thống nhất tổ chức kỳ họp vào tháng 7/2027.\n"
        "2. Các thành viên Ủy ban nhân dân tỉnh cơ bản nhất trí với nội dung Đề án.\n"
        "3. Giao Sở Văn hóa, Thể thao và Du lịch hoàn chỉnh hồ sơ, trình Hội đồng nhân dân "
        "tỉnh tại kỳ họp chuyên đề tháng 8/2027.\n"
        "4. Giao Văn phòng theo dõi, đôn đốc việc thực hiện các nội dung kết luận nêu trên.\n",
        date(2027, 6, 3),
    )
    assert got == [
        ("Hoàn chỉnh hồ sơ, trình Hội đồng nhân dân tỉnh", "Sở Văn hóa, Thể thao và Du lịch",
         date(2027, 8, 31)),
    ]  # fmt: skip


def test_owner_stage_the_letterhead_body_directing_names_the_body_that_works() -> None:
    got = _read(
        "ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nKẾ HOẠCH\n"
        "1. Ủy ban nhân dân tỉnh chỉ đạo Sở Y tế kiểm tra các cơ sở, hoàn thành trước ngày "
        "30/6/2027.\n"
        "2. Ủy ban nhân dân tỉnh đã ban hành nhiều văn bản chỉ đạo.\n"
    )
    assert got == [("Kiểm tra các cơ sở", "Sở Y tế", date(2027, 6, 29))]


# --- batch 33: State documents (own samples) -------------------------------------------------


def test_reader_a_task_heading_with_cell_lines_and_a_closing_that_points_to_the_plan() -> None:
    got = _read(
        "II. NỘI DUNG, THỜI GIAN VÀ TRÁCH NHIỆM THỰC HIỆN\n"
        "1. Tổ chức hội nghị quán triệt Luật Đất đai\n"
        "- Cơ quan chủ trì: Sở Tài nguyên và Môi trường.\n"
        "- Cơ quan phối hợp: Sở Tư pháp.\n"
        "- Thời gian thực hiện: Quý I/2027.\n"
        "2. Rà soát văn bản quy phạm pháp luật\n"
        "- Cơ quan chủ trì: Sở Tư pháp.\n"
        "- Thời gian hoàn thành: trước ngày 30/4/2027.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Thủ trưởng các sở, ngành căn cứ Kế hoạch này triển khai thực hiện.\n"
    )
    assert got == [
        ("Tổ chức hội nghị quán triệt Luật Đất đai", "Sở Tài nguyên và Môi trường",
         date(2027, 3, 31)),
        ("Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", date(2027, 4, 29)),
    ]  # fmt: skip
    cooperating = ProseReader(UnitRegistry([]), DOC).read(
        "1. Tổ chức hội nghị\n- Cơ quan chủ trì: Sở Y tế.\n- Cơ quan phối hợp: Sở Tư pháp.\n"
    )[0]
    assert cooperating.unknown_cooperating == ("Sở Tư pháp",)


def test_reader_duties_during_a_holiday_end_with_it() -> None:
    got = _read(
        "1. Cán bộ, công chức được nghỉ lễ 05 ngày, từ thứ Tư ngày 30/4/2027 đến hết Chủ nhật "
        "ngày 04/5/2027.\n"
        "2. Sở Y tế bố trí lực lượng trực cấp cứu trong những ngày nghỉ lễ.\n",
        date(2027, 4, 20),
    )
    assert got == [
        ("Bố trí lực lượng trực cấp cứu trong những ngày nghỉ lễ", "Sở Y tế", date(2027, 5, 4))
    ]


def test_reader_the_closing_article_with_its_start_day_is_no_task() -> None:
    got = _read(
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở: Tài chính, Công "
        "Thương; Chủ tịch Ủy ban nhân dân các xã chịu trách nhiệm thi hành Quyết định này kể "
        "từ ngày ký./.\n"
    )
    assert got == []


# --- batch 37: State documents (own samples) -------------------------------------------------


def test_reader_a_quarterly_duty_a_support_by_everyone_and_a_count_from_the_resolution() -> None:
    got = ProseReader(UnitRegistry([]), date(2027, 4, 8)).read(
        "1. Sở Y tế chủ trì tổ chức chiến dịch diệt lăng quăng trong tháng 5/2027. Đồng thời, "
        "hướng dẫn các cơ sở điều trị theo phác đồ. Định kỳ trước ngày 20 của tháng cuối quý, "
        "tổng hợp tình hình dịch bệnh, báo cáo Ủy ban nhân dân tỉnh.\n"
        "2. Các sở, ban, ngành, Ủy ban nhân dân các huyện căn cứ chức năng, nhiệm vụ được giao "
        "phối hợp với ngành y tế triển khai các biện pháp phòng, chống dịch.\n"
    )
    assert [(i.title[:20], i.deadline.kind, i.deadline.rrule) for i in got] == [
        ("Tổ chức chiến dịch d", DeadlineKind.DUE, None),
        ("Hướng dẫn các cơ sở ", DeadlineKind.UNREADABLE, None),
        ("Tổng hợp tình hình d", DeadlineKind.RECURRING,
         "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=19"),
    ]  # fmt: skip
    council = _read(
        "Điều 2. Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết; công khai dự toán ngân "
        "sách xã trong thời hạn 30 ngày kể từ ngày Hội đồng nhân dân xã quyết định.\n",
        date(2027, 12, 20),
    )
    assert [(owner, due) for _, owner, due in council] == [
        ("Ủy ban nhân dân xã", date(2028, 1, 19))
    ]


# --- batch 39: State documents (own samples) -------------------------------------------------


def test_reader_a_time_of_day_a_bare_clause_that_carries_out_and_a_courtesy_are_read() -> None:
    got = _read(
        "Điều 12. Trách nhiệm của Ủy ban nhân dân các quận, huyện\n"
        "1. Tổ chức triển khai thực hiện Quy định này trên địa bàn.\n"
        "2. Định kỳ 06 tháng (trước ngày 10/6) và hằng năm (trước ngày 10/12) báo cáo kết quả "
        "thực hiện về Sở Xây dựng.\n"
        "Điều 13. Sở Văn hóa, Thể thao và Du lịch tổ chức chương trình nghệ thuật vào tối ngày "
        "01/9/2027.\n"
        "Văn phòng Ủy ban nhân dân tỉnh đề nghị Sở Xây dựng quan tâm phối hợp./.\n",
        date(2027, 3, 1),
    )
    assert [(title[:18], due) for title, _, due in got] == [
        ("Báo cáo kết quả th", None),
        ("Tổ chức chương trì", date(2027, 9, 1)),
    ]


# --- batch 41: State documents (own samples) -------------------------------------------------


def test_reader_the_time_something_is_open_is_no_task() -> None:
    got = _read(
        "1. Thời gian nhận phiếu đăng ký dự tuyển: từ ngày 05/6/2027 đến hết ngày 04/7/2027, "
        "trong giờ hành chính.\n"
        "2. Hội đồng thi tuyển công chức tỉnh có trách nhiệm tổ chức kỳ thi vòng 1 vào ngày "
        "20/7/2027.\n",
        date(2027, 6, 2),
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Hội đồng thi tuyển công chức tỉnh", date(2027, 7, 20))
    ]


def test_reader_lettered_items_with_a_period_and_a_closing_line_with_a_bare_day() -> None:
    got = _read(
        "HƯỚNG DẪN\n"
        "2. Ban Tổ chức Huyện ủy báo cáo Ban Tổ chức Tỉnh ủy như sau:\n"
        "a. Báo cáo số lượng đảng viên mới. Thời gian gửi báo cáo về Ban Tổ chức Tỉnh ủy "
        "ngày 12/4/2027.\n"
        "b. Báo cáo kết quả phân loại tổ chức đảng chậm nhất ngày 20/4/2027.\n"
    )
    # "a." and "b." are items, never a sentence "A"; the time line dates the report above it
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        ("Báo cáo số lượng đản", "Ban Tổ chức Huyện ủy", date(2027, 4, 12)),
        ("Báo cáo kết quả phân", "Ban Tổ chức Huyện ủy", date(2027, 4, 20)),
    ]


def test_reader_other_duties_when_assigned_and_a_closing_exhortation_are_no_tasks() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "1. Đồng chí Phó Trưởng ban Tuyên giáo - Phó Trưởng tiểu ban: Biên tập tài liệu tuyên "
        "truyền trước ngày 05/5/2027; thực hiện các nhiệm vụ khác khi được Trưởng tiểu ban phân "
        "công.\n"
        "2. Phòng Văn hóa - Thông tin: Thực hiện các nhiệm vụ khác có liên quan theo yêu cầu.\n"
        "Trên đây là Kế hoạch tuyên truyền. Đề nghị các chi bộ, Ban Công tác Mặt trận các thôn "
        "nghiêm túc thực hiện, bảo đảm tiến độ, chất lượng theo kế hoạch./.\n"
    )
    assert [(title[:20], due) for title, _, due in got] == [
        ("Biên tập tài liệu tu", date(2027, 5, 4)),
    ]


def test_reader_a_web_pages_headline_is_the_title_not_a_task() -> None:
    got = _read(
        "Thường trực Thành ủy chỉ đạo triển khai Chỉ thị về công tác dân vận\n"
        "Thường trực Thành ủy yêu cầu Ban Dân vận Thành ủy hướng dẫn các phường xây dựng kế "
        "hoạch trước ngày 15/8/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [("Ban Dân vận Thành ủy", date(2027, 8, 14))]
    # a one-line excerpt cut by its source before its full stop is still read
    alone = _read("Giao Sở Xây dựng rà soát các công trình trước ngày 15/8/2027, bàn giao mặt bằng")
    assert [owner for _, owner, _ in alone] == ["Sở Xây dựng"]


def test_reader_a_wave_heading_dates_the_items_below_and_a_named_day_is_read() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "2. Nội dung tuyên truyền theo từng đợt\n"
        "2.1. Đợt 1: Trong tháng 4/2027\n"
        "- Tuyên truyền Nghị quyết Đại hội Đảng bộ tỉnh đến cán bộ, đảng viên.\n"
        "2.2. Đợt 2: Từ tháng 5 đến ngày khai mạc Đại hội 20/6/2027\n"
        "- Tuyên truyền các điển hình tiên tiến trong phong trào thi đua. Khẳng định Đại hội "
        "là ngày hội của toàn Đảng bộ (ngày 20/6/2027).\n"
        "2.3. Đợt 3: Sau ngày bế mạc Đại hội 22/6/2027\n"
        "- Tuyên truyền kết quả Đại hội.\n",
        date(2027, 3, 20),
    )
    # each item of a dated wave is dated by it (the office names who); the third wave only
    # starts after a day, so its item has no date and, owned by no one, is not proposed
    assert [(title[:25], owner, due) for title, owner, due in got] == [
        ("Tuyên truyền Nghị quyết Đ", "", date(2027, 4, 30)),
        ("Tuyên truyền các điển hìn", "", date(2027, 6, 20)),
    ]


def test_reader_a_timetable_by_start_days_the_standing_bodys_own_meeting_and_a_note() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "1. Thời gian tổ chức như sau:\n"
        "- Từ ngày 04/3/2027: Ban Thường trực Ủy ban MTTQ xã họp với trưởng các thôn để hướng "
        "dẫn việc tổ chức hội nghị.\n"
        "- Từ ngày 05/3/2027 - 09/3/2027: Ban Thường trực Ủy ban MTTQ xã trao đổi với các thôn "
        "thống nhất lịch hội nghị.\n"
        "Lưu ý: Hội nghị ở thôn đông dân cũng được tổ chức trong thời gian từ ngày 05/3/2027 đến "
        "ngày 09/3/2027.\n",
        date(2027, 2, 10),
    )
    # a step on its start day, a span by its dashed end; the note names no one: no task
    assert [(owner, due) for _, owner, due in got] == [
        ("Ban Thường trực Ủy ban MTTQ xã", date(2027, 3, 4)),
        ("Ban Thường trực Ủy ban MTTQ xã", date(2027, 3, 9)),
    ]
    told = _read("Ngày 02/3/2027, Ban Thường trực Ủy ban MTTQ xã họp với trưởng các thôn.\n")
    assert told == []  # a meeting told, with no date ahead: narration


def test_reader_a_report_at_every_regular_session_is_periodic_and_a_task_of_its_own() -> None:
    items = _reader().read(
        "NGHỊ QUYẾT\n"
        "Điều 2. Tổ chức thực hiện\n"
        "1. Giao Thường trực Hội đồng nhân dân huyện chỉ đạo, tổ chức thực hiện chương trình giám "
        "sát và báo cáo kết quả thực hiện tại Kỳ họp thường kỳ của Hội đồng nhân dân huyện.\n"
        "2. Giao Ủy ban nhân dân huyện đôn đốc các phòng thực hiện kiến nghị sau giám sát; tổng "
        "hợp, báo cáo kết quả tại các Kỳ họp Hội đồng nhân dân huyện.\n"
    )
    got = [(i.title[:20], i.deadline.kind, i.needs_review) for i in items]
    assert got == [
        ("Chỉ đạo, tổ chức thự", DeadlineKind.UNREADABLE, True),
        ("Báo cáo kết quả thực", DeadlineKind.UNREADABLE, True),  # each session: flagged
        ("Đôn đốc các phòng th", DeadlineKind.UNREADABLE, True),
        ("Tổng hợp, báo cáo kế", DeadlineKind.UNREADABLE, True),
    ]
    assert "mỗi kỳ họp" in (items[1].deadline.note or "")  # never one session's date


def test_owner_stage_a_person_named_and_a_specialist_own_their_duties() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "IV. PHÂN CÔNG\n"
        "1. Giao đồng chí Trần Văn Bình – Phó Chủ tịch Ủy ban MTTQ xã theo dõi các thôn tổ chức "
        "hội nghị trước ngày 20/5/2027.\n"
        "2. Chuyên viên phụ trách tổng hợp tham mưu Ban Thường trực chuẩn bị nội dung hội nghị "
        "trước ngày 15/5/2027.\n"
        "3. Đồng chí Phó Bí thư Đảng ủy: phụ trách công tác chuẩn bị nội dung.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Trần Văn Bình – Phó Chủ tịch Ủy ban MTTQ xã", date(2027, 5, 19)),
        ("Chuyên viên phụ trách", date(2027, 5, 14)),  # "tổng hợp" already its work
    ]  # "Đồng chí Phó Bí thư" is a title, no person named; the role it takes is no task


# --- a Chỉ thị as a news or Party site renders it (batch 36: the former blind batch) ----------


@pytest.mark.parametrize(
    ("lines", "kind"),
    [
        (["Sáng 3/3, Ban Thường vụ Thành ủy đã ban hành Chỉ thị số 14-CT/TU về mùa mưa bão."],
         DocumentKind.CHI_THI),
        (["Đó là nội dung Chỉ thị số 07-CT/HU của Ban Thường vụ Huyện ủy."], DocumentKind.CHI_THI),
        (["Thông tri nêu rõ: các cấp ủy chỉ đạo chặt chẽ."], DocumentKind.THONG_TRI),
        # another text named in the grounds is not this one's kind
        (["Thực hiện Chỉ thị số 05-CT/TW, Đảng ủy xã xây dựng kế hoạch."], DocumentKind.OTHER),
    ],
)  # fmt: skip
def test_kind_a_rendering_names_its_kind_in_the_opening(
    lines: list[str], kind: DocumentKind
) -> None:
    assert reported_kind(lines) == kind


def _owned(text: str, doc: date = DOC) -> list[tuple[str, str]]:
    items = ProseReader(UnitRegistry([]), doc).read(text)
    return [(i.title[:14], i.unit_text) for i in items]


def test_reader_a_rendered_directive_requires_everyone_sentence_by_sentence() -> None:
    got = _owned(
        "Ban Thường vụ Thành ủy ra Chỉ thị về mùa mưa bão năm 2027\n"
        "Ngày 3/3/2027, Ban Thường vụ Thành ủy đã ban hành Chỉ thị số 14-CT/TU. Theo đó, Ban "
        "Thường vụ Thành ủy yêu cầu các cấp ủy, tổ chức đảng, chính quyền và đoàn thể kiểm tra "
        "hệ thống đê điều, hồ đập trên địa bàn. Sơ tán dân ra khỏi vùng sạt lở khi có bão.\n"
        "Chỉ thị nêu rõ: Để giảm thiệt hại, Ban Thường vụ Thành ủy yêu cầu Ủy ban nhân dân "
        "thành phố thực hiện tốt các nhiệm vụ sau:\n"
        "1. Dự trữ lương thực, thuốc men tại các xã vùng trũng.\n"
        "Chỉ thị này được phổ biến đến chi bộ.\n"
    )
    everyone = "Các cấp ủy, tổ chức đảng, chính quyền và đoàn thể"
    assert got == [
        ("Kiểm tra hệ th", everyone),  # the collective owner kept as written
        ("Sơ tán dân ra ", everyone),  # the next sentence: one more duty of theirs
        ("Dự trữ lương t", "Ủy ban nhân dân thành phố"),  # the frame "nêu rõ:" is no owner
    ]  # no headline, no closing line


def test_reader_a_directive_lead_in_before_unnumbered_duties_and_a_cut_name_list() -> None:
    got = _owned(
        "CHỈ THỊ\n"
        "Ban Thường vụ Tỉnh ủy yêu cầu cấp ủy, chính quyền các cấp tập trung thực hiện tốt "
        "một số nhiệm vụ trọng tâm.\n"
        "Rà soát hộ nghèo, hộ cận nghèo. Bố trí lực lượng trực Tết.\n"
        "Các cơ quan, đơn vị,\n"
    )
    assert [title for title, _ in got] == ["Rà soát hộ ngh", "Bố trí lực lượ"]
    assert all(owner.startswith("Cấp ủy, chính quyền") for _, owner in got)


def test_reader_a_request_in_a_conference_notice_stays_no_task() -> None:
    # outside a Chỉ thị, an undated sentence to everyone is an exhortation, as before
    got = _owned(
        "THÔNG BÁO KẾT LUẬN\n"
        "Thường trực Huyện ủy yêu cầu các cấp ủy, chính quyền tiếp tục quan tâm công tác dân vận. "
        "Tăng cường đối thoại với Nhân dân.\n"
    )
    assert got == []


def test_reader_a_directives_running_prose_splits_its_steps_but_a_numbered_item_does_not() -> None:
    got = _owned(
        "Ban Thường vụ Huyện ủy ban hành Chỉ thị số 21-CT/HU về mùa khô. Theo đó, Ban Thường vụ "
        "Huyện ủy yêu cầu các cấp ủy, chính quyền thực hiện tốt 5 nhiệm vụ trọng tâm. Trong đó: "
        "Rà soát nguồn nước sinh hoạt cho từng thôn; vận động Nhân dân tích trữ nước; "
        "hỗ trợ các hộ khó khăn, hộ nghèo, người cao tuổi.\n"
        "Chỉ thị nêu rõ: Ban Thường vụ Huyện ủy yêu cầu các cấp ủy làm tốt các việc sau:\n"
        "1. Quán triệt Chỉ thị đến chi bộ; đưa việc tiết kiệm nước vào sinh hoạt chi bộ.\n"
    )
    assert [title[:12] for title, _ in got] == [
        "Rà soát nguồ",
        "Vận động Nhâ",
        "Hỗ trợ các h",  # "…, hộ nghèo, người cao tuổi" is still one step's list
        "Quán triệt C",  # one numbered item, one duty
    ]  # "… thực hiện tốt 5 nhiệm vụ trọng tâm." is their lead-in, no task


def test_reader_a_councils_approval_of_a_report_and_its_findings_are_no_tasks() -> None:
    got = _owned(
        "NGHỊ QUYẾT\n"
        "Điều 1. Hội đồng nhân dân tỉnh tán thành nội dung Báo cáo kết quả giám sát của Đoàn "
        "giám sát về công tác bảo vệ rừng, với những kết quả và hạn chế sau:\n"
        "Công tác giao đất, giao rừng cơ bản hoàn thành. Diện tích rừng bị phá còn lớn.\n"
        "Điều 2. Giao Ủy ban nhân dân tỉnh rà soát quy hoạch ba loại rừng.\n"
    )
    assert got == [("Rà soát quy ho", "Ủy ban nhân dân tỉnh")]


def test_reader_a_thong_tri_that_requires_and_the_councils_closing_article() -> None:
    got = _owned(
        "Ngày 2/3/2027, Ban Thường vụ Tỉnh ủy ban hành Thông tri số 11-TT/TU về đại hội Hội Nông "
        "dân. Thông tri yêu cầu các cấp ủy, chính quyền lãnh đạo đại hội thành công; chú trọng "
        "giới thiệu nhân sự trẻ.\n"
        "Ủy ban nhân dân tỉnh, Thường trực Hội đồng nhân dân tỉnh trong phạm vi nhiệm vụ, quyền "
        "hạn của mình có trách nhiệm tổ chức thực hiện, giám sát việc thực hiện Nghị quyết này.\n"
    )
    assert got == [
        ("Lãnh đạo đại h", "Các cấp ủy, chính quyền"),
        ("Chú trọng giới", "Các cấp ủy, chính quyền"),
    ]  # the issuing told, and the closing article, are no tasks


def test_reader_a_lead_in_ending_on_its_count_of_duties_owns_the_ordinal_items_below() -> None:
    got = _owned(
        "Theo đó, Thường trực Tỉnh ủy yêu cầu các cấp ủy, chính quyền thực hiện tốt 2 nhiệm vụ "
        "trọng tâm.\n"
        "Thứ nhất, rà soát các tuyến đê xung yếu trước mùa mưa lũ.\n"
        "Thứ hai, hoàn thành di dời các hộ ở vùng sạt lở trong quý 2/2027.\n"
    )
    assert got == [
        ("Rà soát các tu", "Các cấp ủy, chính quyền"),
        ("Hoàn thành di ", "Các cấp ủy, chính quyền"),
    ]


def test_reader_a_lettered_duty_that_lost_its_full_stop_and_periodic_with_no_period() -> None:
    items = _reader().read(
        "1. Sở Công Thương:\n"
        "a) Lập báo cáo tình hình thị trường định kỳ gửi Ủy ban nhân dân tỉnh.\n"
        "b) Kiểm tra các cửa hàng xăng dầu trên địa bàn\n"
        "2. Sở Y tế:\n"
        "a) Thanh tra an toàn thực phẩm thường xuyên, định kỳ.\n"
    )
    got = [(i.title[:12], i.unit_text, i.deadline.kind, i.needs_review) for i in items]
    assert got == [
        # "định kỳ" alone names no period: flagged for the office, never read as ongoing
        ("Lập báo cáo ", "Sở Công Thương", DeadlineKind.UNREADABLE, True),
        # no full stop, but nothing under it and a sibling after: a duty, not a heading
        ("Kiểm tra các", "Sở Công Thương", DeadlineKind.UNREADABLE, True),
        ("Thanh tra an", "Sở Y tế", DeadlineKind.ONGOING, True),
    ]


def test_reader_the_closing_article_of_a_regulation_is_no_task() -> None:
    got = _owned(
        "1. Các sở, ban, ngành; Ủy ban nhân dân các huyện có trách nhiệm tổ chức triển khai thực "
        "hiện nghiêm túc Quy chế này.\n"
        "2. Giao Sở Nội vụ hướng dẫn thi đua cụm, khối trước ngày 15/3/2027.\n"
    )
    assert got == [("Hướng dẫn thi ", "Sở Nội vụ")]


def test_owner_a_list_led_by_collective_words_keeps_them_beside_the_named_bodies() -> None:
    found, _, _ = _reader()._owner(
        "Các sở, ban, ngành, UBND các huyện, thị xã triển khai kế hoạch phòng chống dịch."
    )
    assert found.resolution.unknown == ("Các sở, ban, ngành", "UBND các huyện, thị xã")
    # a list led by a named body is read as before: that body first
    found, _, _ = _reader()._owner("Sở Y tế, các sở, ngành liên quan triển khai kế hoạch.")
    assert found.resolution.unknown[0] == "Sở Y tế"


def test_reader_a_date_then_the_years_after_is_due_then_ongoing_inside_a_sentence() -> None:
    items = _reader().read(
        "Giao Sở Nông nghiệp và Môi trường trồng rừng ven biển trong năm 2027 và những năm tiếp "
        "theo, ưu tiên rừng phòng hộ.\n"
    )
    assert [(i.deadline.kind, i.deadline.due) for i in items] == [
        (DeadlineKind.DUE_THEN_ONGOING, date(2027, 12, 31))
    ]


def test_reader_counts_under_a_heading_are_no_tasks() -> None:
    got = _owned(
        "1. Đối tượng:\n"
        "a) Các hộ thuộc vùng sạt lở: Tổng số 412 hộ với 1.730 khẩu, tại 36 thôn.\n"
        "b) Năm 2027: 150 hộ, kinh phí 6.200 triệu đồng.\n"
        "2. Giao Ủy ban nhân dân huyện lập danh sách các hộ trước ngày 30/6/2027.\n"
    )
    assert got == [("Lập danh sách ", "Ủy ban nhân dân huyện")]


def test_reader_the_frame_of_an_intro_before_its_owner_is_no_task() -> None:
    got = _owned(
        "Riêng đối với việc sắp xếp các trường học trong năm 2027, giao Ban cán sự đảng UBND "
        "tỉnh:\n"
        "- Rà soát mạng lưới trường học, báo cáo Ban Thường vụ Tỉnh ủy trong quý II/2027.\n"
    )
    assert got == [("Rà soát mạng l", "Ban cán sự đảng UBND tỉnh")]


def test_reader_a_case_then_its_body_and_a_deadline_for_the_work_given_above() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "IV. TRÁCH NHIỆM GIẢI QUYẾT KIẾN NGHỊ\n"
        "1. Đối với kiến nghị về đất đai thì Phòng Nông nghiệp và Môi trường có trách nhiệm "
        "kiểm tra và trả lời bằng văn bản cho Ủy ban MTTQ xã.\n"
        "2. Đối với kiến nghị về chính sách xã hội thì Phòng Nội vụ có trách nhiệm kiểm tra và "
        "trả lời bằng văn bản cho Ủy ban MTTQ xã.\n"
        "3. Chậm nhất là ngày 20 tháng 4 năm 2027, việc kiểm tra và trả lời các kiến nghị phải "
        "được tiến hành xong.\n"
        "V. TIẾN ĐỘ\n"
        "Chậm nhất là ngày 30 tháng 4 năm 2027, Ủy ban nhân dân xã tổng hợp kết quả.\n",
        date(2027, 3, 20),
    )
    # the case names the body after "thì"; item 3 dates the work of 1 and 2 and is no task
    assert [(owner, due) for _, owner, due in got] == [
        ("Phòng Nông nghiệp và Môi trường", date(2027, 4, 20)),
        ("Phòng Nội vụ", date(2027, 4, 20)),
        ("Ủy ban nhân dân xã", date(2027, 4, 30)),  # "Chậm nhất là ngày …," opens the step
    ]


def test_reader_a_conclusion_after_do_vay_names_its_own_owner() -> None:
    got = _read(
        "Thời gian đến ngày khai mạc hội nghị không còn nhiều, do vậy, trong quá trình chuẩn "
        "bị, Ban Tuyên giáo Huyện ủy khẩn trương hoàn thiện tài liệu trước ngày 10/5/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Ban Tuyên giáo Huyện ủy", date(2027, 5, 9))
    ]


def test_reader_thi_tran_is_no_then_and_compiling_for_a_sessions_report_is_one_task() -> None:
    got = _read(
        "KẾ HOẠCH\n"
        "1. Đối với các xã, thị trấn thì Ban Thường trực Ủy ban MTTQ các xã, thị trấn có trách "
        "nhiệm treo khẩu hiệu tại nhà văn hóa.\n"
        "2. Chậm nhất là ngày 20 tháng 6 năm 2027, việc treo băng rôn, khẩu hiệu phải được hoàn "
        "thành.\n"
        "3. Ủy ban MTTQ các xã tổng hợp kết quả tuyên truyền và báo cáo tại các kỳ họp của Ban "
        "Thường trực.\n",
        date(2027, 2, 20),
    )
    assert [(title[:20], due) for title, _, due in got] == [
        ("Đối với các xã, thị ", None),  # item 2 names other work ("treo băng rôn"): a task
        ("Việc treo băng rôn, ", date(2027, 6, 20)),
        ("Tổng hợp kết quả tuy", None),  # one periodic report, flagged
    ]
    assert got[0][1].startswith("Ban Thường trực Ủy ban MTTQ các xã, thị trấn")


def test_reader_a_report_at_one_session_and_a_report_now_and_then_are_flagged() -> None:
    items = _reader().read(
        "NGHỊ QUYẾT\n"
        "1. Thường trực HĐND huyện ban hành kế hoạch giám sát và báo cáo kết quả tại kỳ họp "
        "thường lệ giữa năm 2028.\n"
        "2. Ban Pháp chế HĐND huyện báo cáo tình hình giải quyết kiến nghị về Thường trực "
        "HĐND huyện định kỳ và đột xuất.\n"
    )
    got = [(i.title[:20], i.deadline.kind, i.needs_review) for i in items]
    assert got == [
        ("Ban hành kế hoạch gi", DeadlineKind.UNREADABLE, True),  # no date: the office sets one
        ("Báo cáo kết quả", DeadlineKind.UNREADABLE, True),  # at the mid-2028 session: queried
        ("Báo cáo tình hình gi", DeadlineKind.UNREADABLE, True),  # periodic, period unsaid
    ]
    assert items[1].deadline.raw.startswith("tại kỳ họp")
    assert "chu kỳ" in (items[2].deadline.note or "")  # never "thường xuyên"


def test_reader_a_report_after_each_wave_and_a_rule_in_brackets_after_a_date() -> None:
    items = _reader().read(
        "KẾ HOẠCH\n"
        "- Chế độ báo cáo: Ban Thường trực Ủy ban MTTQ xã báo cáo tình hình sau mỗi đợt và báo "
        "cáo tổng kết về Ban Thường trực Ủy ban MTTQ huyện trước ngày 18/3/2027 (theo quy định "
        "tại Mục 5 Hướng dẫn số 13/HD-MTTQ-BTT).\n"
    )
    got = [(i.deadline.kind, i.deadline.due, i.needs_review) for i in items]
    assert got == [
        (DeadlineKind.UNREADABLE, None, True),  # after each wave: periodic, flagged
        (DeadlineKind.DUE, date(2027, 3, 17), True),  # the rule in brackets is no date's
    ]


# --- prose7: several steps in one sentence are several tasks ---------------------------------


def test_reader_each_step_of_a_colon_list_is_a_task_dated_or_not() -> None:
    got = _read(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "- Ban Tuyên giáo Huyện ủy: Tham mưu tổ chức hội nghị; biên soạn tài liệu hỏi - đáp, phát "
        "hành trước ngày 20/4/2027.\n"
        "- Phòng Văn hóa: kiểm tra các điểm tuyên truyền; kịp thời rà soát, bổ sung các khẩu hiệu; "
        "bảo đảm an toàn, tiết kiệm.\n"
        "- Phòng Lao động: hỗ trợ các hộ khó khăn; hộ nghèo, người có công trên địa bàn.\n"
    )
    assert [(title[:22], owner, due) for title, owner, due in got] == [
        ("Tham mưu tổ chức hội n", "Ban Tuyên giáo Huyện ủy", None),
        ("Biên soạn tài liệu hỏi", "Ban Tuyên giáo Huyện ủy", date(2027, 4, 19)),
        ("Kiểm tra các điểm tuyê", "Phòng Văn hóa", None),
        # "…; bảo đảm …" only says how: no step of its own
        ("Kịp thời rà soát, bổ s", "Phòng Văn hóa", None),
        # "…; hộ nghèo, …" goes on with the list: one step
        ("Hỗ trợ các hộ khó khăn", "Phòng Lao động", None),
    ]
    assert "bảo đảm an toàn" in got[3][0] and "hộ nghèo" in got[4][0]


def test_reader_a_charge_and_related_tasks_are_no_steps_of_their_own() -> None:
    got = _read(
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Đồng chí Trưởng Ban Tuyên giáo - Trưởng Tiểu ban: Phụ trách chung, chịu trách nhiệm "
        "trước Ban Chỉ đạo về kết quả triển khai; chủ động kiểm tra, đôn đốc các nội dung có liên "
        "quan; kịp thời báo cáo, đề xuất vấn đề phát sinh.\n"
        "2. Đồng chí Phó Trưởng phòng Văn hóa - Phó Trưởng tiểu ban: Chủ động tham mưu các nội "
        "dung tuyên truyền; chủ trì phối hợp với các thành viên trong tiểu ban thực hiện các "
        "nhiệm vụ liên quan đến khánh tiết; đôn đốc các thành viên thực hiện công tác tuyên "
        "truyền.\n"
    )
    titles = [title for title, _, _ in got]
    assert len(titles) == 4, titles
    assert titles[0].startswith("Phụ trách chung") and "chủ động kiểm tra" in titles[0]
    assert titles[1].startswith("Kịp thời báo cáo")
    assert not any("nhiệm vụ liên quan" in t for t in titles)


# --- a portal's or a newspaper's rendering of a conclusion (batch 49) -------------------------


def test_rendering_the_speaker_owns_nothing_the_addressee_owns_the_duty() -> None:
    got = _read(
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh bàn nhiệm vụ năm 2027\n"
        "Phát biểu kết luận hội nghị, đồng chí Bí thư Tỉnh ủy đánh giá cao sự nỗ lực của các "
        "cấp, các ngành. Đồng chí đề nghị các cấp ủy, tổ chức đảng tập trung lãnh đạo hoàn "
        "thành các chỉ tiêu năm 2026.\n"
        "Đồng chí Trưởng Tiểu ban đề nghị Tổ biên tập tiếp thu ý kiến, chỉnh lý dự thảo trước "
        "ngày 20/3/2027.\n"
        "Đồng chí Bí thư Tỉnh ủy lưu ý Ủy ban Kiểm tra Tỉnh ủy tăng cường kiểm tra, giám sát "
        "việc sử dụng vốn đầu tư công.\n"
        "Đồng chí cũng giao nhiệm vụ cho Ban Tuyên giáo Tỉnh ủy tuyên truyền kết quả hội nghị.\n"
    )
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        # a collective owner names no unit: the office gives it one (its words are kept below)
        ("Tập trung lãnh đạo h", "", None),
        ("Tiếp thu ý kiến, chỉ", "Tổ biên tập", date(2027, 3, 19)),
        ("Tăng cường kiểm tra,", "Ủy ban Kiểm tra Tỉnh ủy", None),
        ("Tuyên truyền kết quả", "Ban Tuyên giáo Tỉnh ủy", None),
    ]
    first = ProseReader(UnitRegistry([]), DOC).read(
        "Tin hội nghị\nĐồng chí đề nghị các cấp ủy, tổ chức đảng tập trung lãnh đạo hoàn "
        "thành các chỉ tiêu năm 2026.\n"
    )
    assert [i.unit_text for i in first] == ["Các cấp ủy, tổ chức đảng"]


def test_rendering_narration_is_no_task_and_a_bare_so_is_the_body_just_named() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "Chủ tịch UBND tỉnh chỉ đạo ứng phó mưa lũ\n"
        "Chiều 05/01/2027, Chủ tịch UBND tỉnh chủ trì cuộc họp về ứng phó đợt mưa lũ từ ngày 12 "
        "đến 16/01/2027. Các đại biểu tập trung thảo luận, làm rõ nguyên nhân ngập úng.\n"
        "Chủ tịch UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường theo dõi chặt chẽ diễn biến "
        "mưa lũ. Sở tổng hợp thiệt hại, báo cáo UBND tỉnh trước ngày 20/01/2027.\n"
        "Các cơ quan tham mưu, giúp việc Tỉnh ủy chuẩn bị nội dung hội nghị trước ngày "
        "25/01/2027.\n"
    )
    assert [(i.title[:20], i.unit_text, i.deadline.due) for i in items] == [
        ("Theo dõi chặt chẽ di", "Sở Nông nghiệp và Môi trường", None),
        ("Tổng hợp thiệt hại, ", "Sở Nông nghiệp và Môi trường", date(2027, 1, 19)),
        ("Chuẩn bị nội dung hộ", "Các cơ quan tham mưu, giúp việc Tỉnh ủy", date(2027, 1, 24)),
    ]


def test_rendering_a_courtesy_to_every_agency_stays_no_task() -> None:
    got = _read(
        "Văn phòng Tỉnh ủy đề nghị tổng kết năm\n"
        "Đồng chí Bí thư yêu cầu các cơ quan, địa phương tập trung cao độ triển khai các công "
        "việc với tinh thần khẩn trương.\n"
        "Văn phòng Tỉnh ủy đề nghị các cơ quan, đơn vị quan tâm thực hiện.\n"
    )
    assert got == []


def test_rendering_a_pronoun_speaker_and_a_step_after_the_last_date() -> None:
    got = _read(
        "Phó Chủ tịch UBND tỉnh kiểm tra dự án kè\n"
        "Ông cũng đề nghị UBND huyện An Minh phối hợp giải quyết dứt điểm vướng mặt bằng trong "
        "tháng 02/2027.\n"
        "Chủ tịch UBND tỉnh yêu cầu UBND các huyện sơ tán người dân trước ngày 22/01/2027; bố "
        "trí lực lượng canh gác tại các ngầm tràn.\n"
    )
    assert [(title[:20], owner, due) for title, owner, due in got] == [
        ("Phối hợp giải quyết ", "UBND huyện An Minh", date(2027, 2, 28)),
        ("Sơ tán người dân", "UBND các huyện", date(2027, 1, 21)),
        # a news story's ";" and a verb of work after the last date: a step of its own
        ("Bố trí lực lượng can", "UBND các huyện", None),
    ]


def test_rendering_a_story_sentence_opening_with_ket_luan_names_no_kind() -> None:
    story = [
        "Đảng ủy xã Tân Phú giao ban công tác tháng 11",
        "Kết luận hội nghị, đồng chí Bí thư Đảng ủy xã đề nghị các chi bộ tổ chức sinh hoạt chi "
        "bộ định kỳ tháng 12 với chuyên đề về học tập và làm theo Bác.",
    ]
    assert document_kind(story) is DocumentKind.OTHER
    heading = ["Kết luận của Ban Thường vụ Tỉnh ủy về công tác cán bộ", "1. Giao Ban Tổ chức …"]
    assert document_kind(heading) is DocumentKind.KET_LUAN


def test_rendering_told_subject_an_investor_and_the_year_of_a_budget() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "UBND huyện họp phiên thường kỳ\n"
        "Tiểu ban đã hoàn thành bước 1 và bước 2 quy trình giới thiệu nhân sự.\n"
        "Chủ tịch UBND huyện yêu cầu Phòng Tài chính - Kế hoạch đôn đốc thu nợ thuế, phấn đấu "
        "hoàn thành dự toán thu năm 2027 trước ngày 25/12/2027.\n"
        "Các chủ đầu tư đẩy nhanh tiến độ thi công.\n"
    )
    assert [(i.title[:20], i.unit_text, i.deadline.due) for i in items] == [
        # one task: "năm 2027" names the budget, the exact date dates the work
        ("Đôn đốc thu nợ thuế,", "Phòng Tài chính - Kế hoạch", date(2027, 12, 24)),
        ("Đẩy nhanh tiến độ th", "Các chủ đầu tư", None),
    ]
    assert "dự toán thu năm 2027" in items[0].title


def test_owner_learns_the_issuer_from_the_signature_and_the_sentence_that_issues_the_plan() -> None:
    reader = _reader()
    reader._signed_by(["T/M BAN THƯỜNG VỤ", "BÍ THƯ"])
    reader._issuer_sentence(
        "Thực hiện Nghị quyết số 12, Ban Tuyên giáo Tỉnh ủy xây dựng kế hoạch như sau:"
    )
    # a plan the body itself must write is its duty, not the issuer's sentence
    reader._issuer_sentence(
        "Văn phòng Tỉnh ủy xây dựng kế hoạch đảm bảo kinh phí; tổ chức hội nghị."
    )
    assert reader.issuers("Ban Thường vụ")
    assert reader.issuers("Ban Tuyên giáo Tỉnh ủy")
    assert not reader.issuers("Văn phòng Tỉnh ủy")


def test_events_a_line_that_only_gives_a_span_is_kept_and_is_no_task() -> None:
    reader = _reader()
    holiday = (
        "Cán bộ, công chức được nghỉ Tết Nguyên đán 07 ngày, từ ngày 05/02/2027 đến hết ngày "
        "11/02/2027."
    )
    assert reader._holiday(holiday)
    assert reader._schedule(
        "Thời gian nhận phiếu đăng ký: từ ngày 01/3/2027 đến hết ngày 30/3/2027."
    )
    assert reader._event("Chiến dịch triển khai từ ngày 15/4/2027 đến ngày 15/5/2027.")
    assert reader.events["chien dich"].due == date(2027, 5, 15)
    # a body named: its duty, not a span
    assert not reader._holiday(
        "Sở Nội vụ hướng dẫn nghỉ Tết từ ngày 05/02/2027 đến hết ngày 11/02/2027."
    )


def test_proposal_a_later_deadline_for_work_given_above_dates_that_work() -> None:
    items = propose_tasks(
        "THÔNG BÁO\nI. NHIỆM VỤ\n1. Sở Nội vụ rà soát hồ sơ người ứng cử.\n"
        "2. Chậm nhất là ngày 08/02/2027, việc rà soát hồ sơ người ứng cử phải được tiến hành "
        "xong.\n",
        UnitRegistry([]),
        DOC,
    )
    assert [(i.title, i.deadline.due) for i in items] == [
        ("Rà soát hồ sơ người ứng cử", date(2027, 2, 8))
    ]


def test_proposal_a_sentence_that_only_dates_or_delivers_the_task_before() -> None:
    assert dates_the_task_before(fold("Thời gian hoàn thành: trước ngày 10/11/2026."))
    assert dates_the_task_before(fold("Việc này cần thực hiện chậm nhất trước 15/9."))
    assert not dates_the_task_before(fold("Thời gian tới, tăng cường kiểm tra."))
    assert delivery_line(fold("Trình UBND tỉnh trước ngày 10/8/2018."))
    assert delivery_line(fold("Kết quả báo cáo về Đảng ủy xã chậm nhất ngày 25/10/2025."))
    assert not delivery_line(fold("Tổng hợp ý kiến của các xã."))


def test_owner_a_later_step_handed_to_another_body() -> None:
    found = _reader()._purpose_owner("để Ban Tuyên giáo Tỉnh ủy tổng hợp, trình Tỉnh ủy")
    assert found is not None
    assert (found[0].text, found[1]) == ("Ban Tuyên giáo Tỉnh ủy", "tổng hợp, trình Tỉnh ủy")
    assert _reader()._purpose_owner("để kịp thời tổng hợp") is None


def test_deadline_an_intro_time_frame() -> None:
    assert _reader()._period("Trong 6 tháng cuối năm 2027, ") == "Trong 6 tháng cuối năm 2027"
    assert _reader()._period("Ngay sau Hội nghị, ") == ""


def test_deadline_an_opening_time_dates_the_step_before_the_semicolon() -> None:
    reader = _reader()
    plain = "Hằng năm, Sở Nội vụ tổ chức đánh giá; sơ kết giữa nhiệm kỳ vào năm 2028."
    action = plain[reader._owner(plain)[1] :]
    steps = action_steps(action, reader._marks(plain), len(plain) - len(action))
    assert [(s.start, s.deadline.kind) for s in steps] == [
        (action.index(";"), DeadlineKind.RECURRING),
        (action.index("vào năm 2028"), DeadlineKind.DUE),
    ]
    # an opening time and no date after it: it dates the whole action
    plain = "Định kỳ hằng tháng, các đơn vị cập nhật số liệu."
    action = plain[reader._owner(plain)[1] :]
    steps = action_steps(action, reader._marks(plain), len(plain) - len(action))
    assert [(s.start, s.deadline.kind) for s in steps] == [(len(action), DeadlineKind.RECURRING)]


# --- official texts an office imports (batch 57) --------------------------------------------


def test_reader_a_step_of_unsaid_period_after_the_work_is_its_own_flagged_task() -> None:
    items = _reader().read(
        "KẾ HOẠCH\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Giáo dục chủ trì biên soạn tài liệu ôn tập cho học sinh; định kỳ tổ chức sơ "
        "kết, báo cáo Ủy ban nhân dân tỉnh.\n"
        "2. Giao Sở Nội vụ theo dõi, đôn đốc các huyện triển khai thực hiện Kế hoạch này; tham "
        "mưu tổng kết và định kỳ báo cáo Ủy ban nhân dân tỉnh.\n"
    )
    got = [(i.title[:16], i.deadline.kind, i.needs_review) for i in items]
    assert got == [
        ("Biên soạn tài li", DeadlineKind.UNREADABLE, True),  # undated work
        ("Tổ chức sơ kết, ", DeadlineKind.UNREADABLE, True),  # periodic, period unsaid
        # the watch over the plan and its report: one task, periodic, flagged (never "ongoing")
        ("Theo dõi, đôn đố", DeadlineKind.UNREADABLE, True),
    ]
    assert all("chu kỳ" in i.review_note for i in items[1:])


def test_deadline_recurrent_expenditure_is_no_ongoing_duty() -> None:
    items = _reader().read("Giao Sở Tài chính bố trí kinh phí chi thường xuyên cho các trường.")
    assert [i.deadline.kind for i in items] == [DeadlineKind.UNREADABLE]


def test_reader_a_conclusion_lead_after_its_frame_and_a_time_frame_heading() -> None:
    got = _read(
        "THÔNG BÁO KẾT LUẬN\n"
        "1. Về đánh giá kết quả năm 2026\n"
        "Các phòng chuyên môn đẩy mạnh số hóa hồ sơ, đạt nhiều kết quả.\n"
        "2. Về nhiệm vụ từ nay đến tháng 3/2028\n"
        "Căn cứ kết luận này, Phòng Tổ chức và các phòng chuyên môn cụ thể hóa để thực hiện, "
        "trong đó tập trung một số nhiệm vụ sau:\n"
        "(1) Hoàn thiện quy chế làm việc của cơ quan.\n"
        "(2) Nâng cao chất lượng tham mưu tổng hợp.\n"
    )
    # the assessment section holds no task; the lead's body owns the items, due by the frame
    assert [(title[:12], due) for title, _, due in got] == [
        ("Hoàn thiện q", date(2028, 3, 31)),
        ("Nâng cao chấ", date(2028, 3, 31)),
    ]
    assert all(owner.startswith("Phòng Tổ chức") for _, owner, _ in got)


def test_reader_paragraphs_after_a_numbered_item_go_on_with_its_body() -> None:
    got = _owned(
        "KẾ HOẠCH\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Phòng Văn hóa xây dựng kế hoạch tuyên truyền.\n"
        "2. Các đảng ủy cơ sở cụ thể hóa kế hoạch này.\n"
        "Bố trí kinh phí cho đội văn nghệ cơ sở.\n"
        "Chỉ đạo các chi bộ thôn tổ chức sinh hoạt chuyên đề.\n"
    )
    assert [owner for _, owner in got] == [
        "Phòng Văn hóa",
        "Các đảng ủy cơ sở",
        "Các đảng ủy cơ sở",
        "Các đảng ủy cơ sở",
    ]


def test_reader_a_rendered_letter_a_halt_and_the_office_watch() -> None:
    got = _owned(
        "Thành ủy tạm dừng các hội nghị đông người\n"
        "Công văn nêu rõ, để bảo đảm an toàn, Ban Thường vụ Thành ủy yêu cầu Ban Thường vụ các "
        "đảng ủy phường tạm dừng tổ chức hội nghị đông người từ ngày 05/4/2027.\n"
        "Văn phòng Thành ủy giúp Ban Thường vụ Thành ủy đôn đốc, kiểm tra việc thực hiện Công "
        "văn này.\n"
    )
    assert got == [("Tạm dừng tổ ch", "Ban Thường vụ các đảng ủy phường")]


def test_reader_a_connective_cut_off_before_giao_is_no_task() -> None:
    got = _owned(
        "KẾ HOẠCH\nIV. TỔ CHỨC THỰC HIỆN\n"
        "2. Giao Công an huyện rà soát đối tượng nghiện trên địa bàn.\n"
        "Đồng thời, giao Công an huyện cập nhật kế hoạch khi có văn bản mới.\n"
    )
    assert [title for title, _ in got] == ["Rà soát đối tư", "Cập nhật kế ho"]


def test_reader_a_training_day_dates_the_preparations() -> None:
    items = _reader().read(
        "CÔNG VĂN\nVề việc tổ chức hội nghị\n"
        "(1) Thời gian, địa điểm\n"
        "- Thời gian: Hội nghị 1 buổi, sáng thứ Ba, ngày 09/3/2027\n"
        "(2) Tổ chức thực hiện\n"
        "- Văn phòng Huyện ủy chuẩn bị hội trường và tài liệu.\n"
        "- Các cán bộ được mời (dự trực tiếp) chuẩn bị ý kiến góp ý.\n"
    )
    assert [(i.title, i.unit_text, i.deadline.due) for i in items] == [
        ("Chuẩn bị hội trường và tài liệu", "Văn phòng Huyện ủy", date(2027, 3, 9)),
        # a verb inside the name's bracket ends nothing
        ("Chuẩn bị ý kiến góp ý", "Các cán bộ được mời (dự trực tiếp)", date(2027, 3, 9)),
    ]


def test_owner_a_comma_before_the_verb_closes_an_object_list_after_a_semicolon() -> None:
    items = _reader().read(
        "(2) Về triển khai thực hiện\n"
        "- Sở Nội vụ giúp UBND tỉnh tổng hợp nhu cầu đào tạo đối với các sở, ngành; Ủy ban nhân "
        "dân cấp xã (gồm các phòng chuyên môn), gửi Sở Tài chính chậm nhất ngày 20/4/2027.\n"
        "- Cơ quan Trung ương Hội Nông dân Việt Nam tổng hợp nhu cầu đào tạo, gửi Ban Tổ chức "
        "Trung ương chậm nhất ngày 30/4/2027.\n"
    )
    assert [(i.unit_text, i.deadline.due) for i in items] == [
        ("Sở Nội vụ", date(2027, 4, 20)),
        ("Cơ quan Trung ương Hội Nông dân Việt Nam", date(2027, 4, 30)),
    ]


def test_reader_a_filing_time_label_a_courtesy_a_manner_step_and_the_letters_news() -> None:
    got = _read(
        "KẾ HOẠCH\nV. THỦ TỤC VÀ TỔ CHỨC THỰC HIỆN\n"
        "2. Thời gian trình khen thưởng: Hồ sơ đề nghị khen thưởng gửi về Sở Nội vụ trước ngày "
        "15/5/2027.\n"
        "3. Đề nghị Hội Cựu chiến binh huyện: Vận động hội viên tham gia hiến máu; phát huy vai "
        "trò hội viên trong khu dân cư.\n"
        "Đề nghị Thường trực các huyện ủy tiếp tục quan tâm lãnh đạo, chỉ đạo, tạo điều kiện để "
        "các phòng của Sở thực hiện tốt nhiệm vụ.\n"
    )
    assert [(title[:14], owner, due) for title, owner, due in got] == [
        ("Thời gian trìn", "", date(2027, 5, 14)),  # a submission date, not a schedule
        ("Vận động hội v", "Hội Cựu chiến binh huyện", None),  # "phát huy vai trò …": how
    ]
    news = _owned(
        "Huyện ủy mở lớp bồi dưỡng văn thư\n"
        "Theo đó, Văn phòng Huyện ủy tổ chức 1 lớp bồi dưỡng nghiệp vụ văn thư cho các chi bộ.\n"
        "- Đảng ủy xã Tân Lập gửi danh sách học viên trước ngày 10/5/2027.\n"
    )
    assert [owner for _, owner in news] == ["Đảng ủy xã Tân Lập"]


def test_reader_a_kind_of_body_heading_owns_its_dashed_duties() -> None:
    got = _owned(
        "KẾ HOẠCH\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Công Thương\n"
        "- Theo dõi, đôn đốc, chỉ đạo các chợ đầu mối triển khai thanh toán không tiền mặt.\n"
        "2. Các hợp tác xã nông nghiệp đang hoạt động trên địa bàn\n"
        "- Xây dựng phương án tiêu thụ nông sản cho xã viên.\n"
        "- Đảm bảo chất lượng nông sản đạt yêu cầu.\n"
        "- Tuân thủ đầy đủ các quy định về an toàn thực phẩm.\n"
        "3. Các doanh nghiệp vận tải\n"
        "- Rà soát phương tiện trước mùa mưa bão.\n"
        "- Khuyến khích các doanh nghiệp đổi mới phương tiện.\n"
    )
    assert got == [
        # "chỉ đạo" after the watch words: a direction, a task (not the office's watch)
        ("Theo dõi, đôn ", "Sở Công Thương"),
        # a kind of body heads its duties, its verb words ("đang hoạt động") still the name; a
        # standard to meet, the law to obey and an encouragement are no tasks
        ("Xây dựng phươn", "Các hợp tác xã nông nghiệp đang hoạt động trên địa bàn"),
        ("Rà soát phương", "Các doanh nghiệp vận tải"),
    ]


def test_reader_an_events_planned_time_is_no_task() -> None:
    got = _read(
        "Thường trực HĐND huyện họp chuẩn bị kỳ họp\n"
        "Đồng chí Bí thư Huyện ủy đề nghị UBND huyện hoàn thiện các tờ trình trước ngày "
        "20/6/2027.\n"
        "Kỳ họp thứ hai, HĐND huyện dự kiến tổ chức 01 ngày, trong khoảng từ ngày 28/6 đến "
        "02/7/2027.\n"
    )
    assert [(owner, due) for _, owner, due in got] == [("UBND huyện", date(2027, 6, 19))]


def test_reader_an_items_later_sentence_that_is_its_periodic_report_is_a_task() -> None:
    items = _reader().read(
        "KẾ HOẠCH\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Các phòng chuyên môn xây dựng kế hoạch thực hiện (hoàn thành trong tháng 3/2027) gửi "
        "về Văn phòng. Thực hiện chế độ thông tin, báo cáo theo định kỳ của Đề án.\n"
    )
    got = [(i.title[:12], i.deadline.kind, i.deadline.due) for i in items]
    assert got == [
        ("Xây dựng kế ", DeadlineKind.DUE, date(2027, 3, 31)),
        ("Thực hiện ch", DeadlineKind.UNREADABLE, None),  # periodic, the period unsaid: flagged
    ]
    assert "chu kỳ" in items[1].review_note


def test_reader_a_kind_of_body_heading_with_a_gloss_in_brackets() -> None:
    got = _owned(
        "CHỈ THỊ\nỦy ban nhân dân tỉnh yêu cầu:\n"
        "3. Các chủ đầu tư là tổ chức (các Ban quản lý dự án, các công ty xây dựng, các hợp tác "
        "xã, các đơn vị sự nghiệp có dự án trên địa bàn)\n"
        "- Rà soát tiến độ thi công các dự án được giao.\n"
        "- Chịu trách nhiệm trước pháp luật nếu để chậm tiến độ.\n"
    )
    assert [(title, owner[:24]) for title, owner in got] == [
        ("Rà soát tiến đ", "Các chủ đầu tư là tổ chứ"),  # the liability line is no task
    ]


# --- a leader's directions as a portal or newspaper renders them (batch 54) ------------------


def _rendered(text: str) -> list[tuple[str, str, object]]:
    """(title's opening, owner words, due) of each proposal of a news story."""
    items = ProseReader(UnitRegistry([]), DOC).read(text)
    return [(i.title[:20], i.unit_text, i.deadline.due) for i in items]


def test_rendering_each_step_of_a_speakers_direction_is_a_duty_an_aim_none() -> None:
    got = _rendered(
        "Ban Thường vụ Huyện ủy làm việc với Đảng ủy xã Tân Hòa\n"
        "Phát biểu chỉ đạo, đồng chí Phó Bí thư Thường trực Huyện ủy đề nghị Đảng ủy xã Tân Hòa "
        "cần rà soát quy hoạch cán bộ; xác định rõ nguyên nhân chậm giải ngân; nhân rộng mô hình "
        "dân vận khéo; chịu trách nhiệm về số liệu báo cáo; đoàn kết, nỗ lực phấn đấu hoàn thành "
        "tốt nhiệm vụ được giao.\n"
    )
    assert got == [
        ("Rà soát quy hoạch cá", "Đảng ủy xã Tân Hòa", None),
        ("Xác định rõ nguyên n", "Đảng ủy xã Tân Hòa", None),
        # a charge stays with the step before it, the closing exhortation is no duty
        ("Nhân rộng mô hình dâ", "Đảng ủy xã Tân Hòa", None),
    ]


def test_rendering_the_body_a_sentence_turns_to_owns_its_steps() -> None:
    got = _rendered(
        "Thường trực Tỉnh ủy giao ban tháng 2\n"
        "Sau khi nghe báo cáo, ông Lê Văn Tám yêu cầu các cơ quan bám sát chương trình công tác "
        "quý này. Đối với các ban tham mưu của Tỉnh ủy, tập trung thẩm định hồ sơ nhân sự; sớm "
        "hoàn chỉnh dự thảo đề án sáp nhập.\n"
        "Đối với các xã, thị trấn thì Ban Chỉ huy quân sự xã có trách nhiệm tuần tra.\n"
    )
    assert got == [
        ("Bám sát chương trình", "Các cơ quan", None),
        ("Tập trung thẩm định ", "Các ban tham mưu của Tỉnh ủy", None),
        ("Sớm hoàn chỉnh dự th", "Các ban tham mưu của Tỉnh ủy", None),
        # "Đối với …, thì X …": X, never the bodies the case names
        ("Đối với các xã, thị ", "Ban Chỉ huy quân sự xã", None),
    ]


def test_rendering_sentences_after_the_speakers_direction_go_on_with_it() -> None:
    got = _rendered(
        "Huyện ủy duyệt đại hội Đảng bộ xã\n"
        "Kết luận hội nghị đ/c Bí thư Huyện ủy yêu cầu ban soạn thảo tuân thủ hướng dẫn của cấp "
        "trên. Làm rõ nguyên nhân của hạn chế. Đi sâu phân tích bài học kinh nghiệm. Các ngành "
        "chủ động phối hợp chuẩn bị hậu cần.\n"
    )
    assert got == [
        ("Tuân thủ hướng dẫn c", "Ban soạn thảo", None),
        ("Làm rõ nguyên nhân c", "Ban soạn thảo", None),
        ("Đi sâu phân tích bài", "Ban soạn thảo", None),
        ("Chủ động phối hợp ch", "Các ngành", None),
    ]


def test_rendering_the_speaker_turns_from_appraisal_to_direction() -> None:
    got = _rendered(
        "Thường trực HĐND huyện họp phiên thường kỳ\n"
        "Thường trực HĐND huyện đánh giá cao nỗ lực của các cơ quan; đề nghị UBND huyện chuẩn bị "
        "nội dung kỳ họp chuyên đề. Đồng thời, rà soát các kiến nghị cử tri còn tồn đọng. Thường "
        "trực HĐND huyện cũng nhấn mạnh việc tiết kiệm chi thường xuyên.\n"
        "Ban Thường vụ Huyện ủy đồng ý về chủ trương và giao Ban Tổ chức Huyện ủy tiếp thu ý "
        "kiến các đại biểu.\n"
    )
    assert got == [
        ("Chuẩn bị nội dung kỳ", "UBND huyện", None),
        ("Rà soát các kiến ngh", "UBND huyện", None),
        # a direction that names no one: the office names its owner
        ("Tiết kiệm chi thường", "", None),
        ("Tiếp thu ý kiến các ", "Ban Tổ chức Huyện ủy", None),
    ]


def test_rendering_a_speakers_lead_dates_and_directs_the_items_below() -> None:
    lead = (
        "Kết luận hội nghị, đồng chí Nguyễn Văn Hai, Huyện ủy viên, Bí thư Đảng ủy xã nhấn mạnh "
        "một số công việc trọng tâm cần tập trung thực hiện trong tháng 3 năm 2027, cụ thể như sau:"
    )
    assert document_kind(["Đảng ủy xã họp mở rộng", lead]) is DocumentKind.OTHER
    got = _rendered(
        f"Đảng ủy xã họp mở rộng\n{lead}\n"
        "- Các chi bộ ấp rà soát, phân loại đảng viên.\n"
        "- Giao Ủy ban nhân dân xã chỉ đạo Ban Công an tăng cường tuần tra ban đêm.\n"
        "- Tiếp tục tuyên truyền chủ trương sáp nhập ấp.\n"
        "- Tập trung chỉ đạo các đi\n"
    )
    end = date(2027, 3, 31)
    assert got == [
        ("Rà soát, phân loại đ", "Các chi bộ ấp", end),
        ("Tăng cường tuần tra ", "Ủy ban nhân dân xã", end),
        # no one named: still the speaker's, the office names the owner
        ("Tiếp tục tuyên truyề", "", end),
        # the page stops before the work is named: no task
    ]


def test_rendering_a_speaker_who_names_no_one_and_a_view_before_him() -> None:
    got = _rendered(
        "Phó Chủ tịch UBND tỉnh kiểm tra dự án\n"
        "Thống nhất phương án thi công, Phó chủ tịch Thường trực UBND tỉnh Trần Văn Ba chỉ đạo "
        "khẩn trương hoàn thành hồ sơ giao đất trong tháng 4/2027.\n"
    )
    assert got == [("Khẩn trương hoàn thà", "", date(2027, 4, 30))]


def test_kind_an_office_text_is_no_rendering_a_story_is() -> None:
    letter = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH", "Số: 12/UBND-NL", "V/v ứng phó bão", "Kính gửi:"]
    story = ["Chủ tịch UBND tỉnh kiểm tra công tác ứng phó bão", "Chiều 5/9, đồng chí …"]
    assert not is_rendering(letter)
    assert is_rendering(story)
    assert not is_rendering(["KẾT LUẬN", "của Ban Thường vụ Tỉnh ủy"])


def test_rendering_a_group_the_cue_names_owns_the_steps() -> None:
    got = _rendered(
        "Phó Bí thư Tỉnh ủy làm việc với khối Mặt trận\n"
        "Phát biểu kết luận, Phó Bí thư Thường trực Tỉnh ủy ghi nhận kết quả của các đoàn thể; "
        "đồng thời đề nghị đội ngũ báo cáo viên của tỉnh cần chủ động nắm bắt tình hình; tiếp "
        "tục thực hiện có hiệu quả phong trào Ngày Chủ nhật xanh.\n"
    )
    assert got == [
        ("Chủ động nắm bắt tìn", "Đội ngũ báo cáo viên của tỉnh", None),
        ("Tiếp tục thực hiện c", "Đội ngũ báo cáo viên của tỉnh", None),
    ]


# --- owners a clerk reads that the reader missed (session prose13-owners) ---------------------


def test_rendering_a_speech_given_there_and_a_bare_territory_as_owner() -> None:
    got = _rendered(
        "Huyện ủy giao ban với các xã\n"
        "Phát biểu tại buổi làm việc, Bí thư Huyện ủy yêu cầu Đảng ủy xã An Phú rà soát hồ sơ "
        "đảng viên. Trước mắt, xã cần hoàn thành việc kiện toàn chi bộ thôn. Huyện đã hoàn thành "
        "kế hoạch năm.\n"
    )
    assert got == [
        ("Rà soát hồ sơ đảng v", "Đảng ủy xã An Phú", None),
        # "xã cần …": the commune does what it needs to
        ("Hoàn thành việc kiện", "xã", None),
        # "Huyện đã …" (no "cần"/"phải"): what was done, told
    ]


def test_rendering_the_communes_a_time_before_them_and_a_group_the_cue_names() -> None:
    got = _rendered(
        "Huyện ủy giao ban với các xã\n"
        "Kết luận tại hội nghị, đồng chí Bí thư Huyện ủy yêu cầu trong thời gian tới các xã, thị "
        "trấn, các đơn vị cần tập trung thu hoạch lúa.\n"
        "Đồng chí Phó Bí thư Huyện ủy đề nghị các đồng chí dự hội nghị quán triệt nội dung chuyên "
        "đề. Đồng thời đề nghị, sau hội nghị này, các huyện ủy, đảng ủy trực thuộc xây dựng kế "
        "hoạch thực hiện.\n"
        "Đồng chí Phó Bí thư Huyện ủy đề nghị Sở Y tế, Sở Tài chính, các đơn vị liên quan rà soát "
        "hồ sơ.\n"
    )
    assert got == [
        # the communes of the district, one collective owner (never "everyone")
        ("Tập trung thu hoạch ", "Các xã, thị trấn, các đơn vị", None),
        ("Quán triệt nội dung ", "Các đồng chí dự hội nghị", None),
        # the time between the cue and the addressee is no part of the name
        ("Xây dựng kế hoạch th", "Các huyện ủy, đảng ủy trực thuộc", None),
        # a list of bodies after the cue is still a list, not a time
        ("Rà soát hồ sơ", "Sở Y tế, Sở Tài chính, các đơn vị liên quan", None),
    ]


def test_rendering_a_news_tag_a_cue_told_in_the_past_and_a_list_left_open() -> None:
    got = _rendered(
        "Tỉnh kiểm tra bão\n"
        "(Baotinh.vn)- Chủ tịch UBND tỉnh vừa có công văn giao UBND các huyện rà soát các hồ "
        "chứa, báo cáo trước ngày 20/1/2027.\n"
        "UBND tỉnh vừa tổ chức hội nghị sơ kết công tác phòng chống lụt bão.\n"
        "UBND tỉnh vừa yêu cầu UBND các địa phương, chủ đầu tư, nhà thầu... đẩy nhanh tiến độ "
        "các công trình.\n"
    )
    assert got == [
        ("Rà soát các hồ chứa,", "UBND các huyện", date(2027, 1, 19)),
        # "vừa tổ chức hội nghị": the news; "vừa yêu cầu X... đẩy nhanh": X owns it
        ("Đẩy nhanh tiến độ cá", "UBND các địa phương, chủ đầu tư, nhà thầu...", None),
    ]


def test_rendering_what_the_meeting_did_and_saw_is_no_task() -> None:
    got = _rendered(
        "Huyện ủy giao ban tháng 1\n"
        "Ngày 05/01/2027 Huyện ủy đã tổ chức hội nghị giao ban quý I. Đồng chí Lê Văn A, đồng chí "
        "Trần Văn B đồng chủ trì hội nghị. Chủ tịch UBND huyện Lê Văn A cho rằng, kết quả đạt "
        "được là khả quan. Các đồng chí lãnh đạo Huyện ủy, UBND huyện cũng đã phê bình các xã "
        "chậm tiến độ. Trong tháng, thu ngân sách đạt 95% dự toán.\n"
        "Chủ tịch UBND huyện yêu cầu các xã phấn đấu đến ngày 30/6/2027 giải ngân đạt trên 60% kế "
        "hoạch vốn.\n"
        "Tại hội nghị, các đại biểu được nghe dự thảo báo cáo chính trị. Tiểu ban văn kiện báo "
        "cáo dự thảo báo cáo chính trị lần thứ 2.\n"
        "Tại hội nghị, đồng chí Bí thư Huyện ủy yêu cầu Ban Tổ chức báo cáo kết quả rà soát nhân "
        "sự.\n"
    )
    assert got == [
        # a result to reach by a date is a duty; the month's result reported is none
        ("Giải ngân đạt trên 6", "Các xã", date(2027, 6, 30)),
        # a report the speaker asks for stays a duty; the one given at the meeting is told
        ("Báo cáo kết quả rà s", "Ban Tổ chức", None),
    ]


def test_rendering_a_document_issued_and_what_the_speaker_stresses_after_a_colon() -> None:
    got = _rendered(
        "UBND tỉnh chỉ đạo sau Tết\n"
        "Ngày 31/1, UBND tỉnh ban hành Công điện số 02/CĐ-UBND về việc tổ chức đón Tết.\n"
        "UBND tỉnh ban hành Công điện yêu cầu Sở Y tế tăng cường trực cấp cứu.\n"
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy nhấn mạnh: Trên tinh thần tiếp thu ý kiến "
        "các đại biểu, yêu cầu Tiểu ban văn kiện hoàn thiện dự thảo.\n"
    )
    assert got == [
        ("Tăng cường trực cấp ", "Sở Y tế", None),
        ("Hoàn thiện dự thảo", "Tiểu ban văn kiện", None),
    ]


def test_rendering_steps_after_trong_do_and_a_short_step_where_the_page_stops() -> None:
    detailed = _rendered(
        "Huyện ủy họp\n"
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị các chi bộ triển khai các nhiệm vụ "
        "đã đề ra, trong đó tập trung kiện toàn chi ủy; rà soát đảng viên dự bị.\n"
    )
    assert detailed == [("Triển khai các nhiệm", "Các chi bộ", None)]
    cut = _rendered(
        "Huyện ủy họp\n"
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị các chi bộ kiện toàn chi ủy; rà "
        "soát đảng viên dự bị; phối hợp với các\n"
    )
    # a short step the page cuts is no work yet; a short step before it is one
    assert cut == [
        ("Kiện toàn chi ủy", "Các chi bộ", None),
        ("Rà soát đảng viên dự", "Các chi bộ", None),
    ]


def test_segment_an_ellipsis_before_a_lower_case_word_ends_no_sentence() -> None:
    # "đ" opens no sentence though it sorts among the capitals
    assert _sentences("Giao A, B, C... đẩy nhanh. Đề nghị D… Sở E báo cáo.") == [
        "Giao A, B, C... đẩy nhanh.",
        "Đề nghị D…",
        "Sở E báo cáo.",
    ]


def test_rendering_a_stance_a_letter_told_places_listed_and_a_speakers_second_verb() -> None:
    got = _rendered(
        "Chỉ đạo lập kế hoạch sử dụng đất\n"
        "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của Phó Chủ tịch UBND tỉnh về việc "
        "khẩn trương lập kế hoạch sử dụng đất năm 2027.\n"
        "Yêu cầu Chủ tịch UBND các huyện xác định công tác quy hoạch là một trong những nhiệm vụ "
        "trọng tâm hằng năm. Đồng thời rà soát danh mục dự án thu hồi đất.\n"
        "Các xã xác định công tác chuyển đổi số là nhiệm vụ trọng tâm; rà soát hạ tầng mạng.\n"
        '"Xã, thị trấn phải tổ chức họp giao ban hằng tuần" - Bí thư Huyện ủy nhấn mạnh.\n'
        "Tại cuộc họp, Chủ tịch UBND huyện quán triệt, yêu cầu các cơ quan chuyên môn, UBND các "
        "xã rà soát hồ sơ đấu giá đất.\n"
        "Chủ tịch UBND tỉnh yêu cầu các cơ quan liên quan và UBND các huyện khẩn trương bàn giao "
        "mặt bằng.\n"
    )
    assert got == [
        # the stance is no task, the work after it goes on with the same owner
        ("Đồng thời rà soát da", "Chủ tịch UBND các huyện", None),
        # a stance followed by work after ";" stays a task
        ("Xác định công tác ch", "Các xã", None),
        ("Tổ chức họp giao ban", "Xã, thị trấn", None),
        ("Rà soát hồ sơ đấu gi", "Các cơ quan chuyên môn, UBND các xã", None),
        ("Khẩn trương bàn giao", "Các cơ quan liên quan và UBND các huyện", None),
    ]


def test_rendering_a_title_holder_with_the_field_he_leads_is_the_owner() -> None:
    got = _rendered(
        "Huyện ủy giao ban tháng 3\n"
        "Đồng chí Bí thư Huyện ủy giao đồng chí Phó Chủ tịch UBND huyện phụ trách nông nghiệp chỉ "
        "đạo rà soát diện tích lúa. Đồng chí cũng đề nghị UBND huyện Vũ Thư hướng dẫn các xã.\n"
    )
    assert got == [
        ("Chỉ đạo rà soát diện", "Đồng chí Phó Chủ tịch UBND huyện phụ trách nông nghiệp", None),
        # a place's own name still ends at the verb after it
        ("Hướng dẫn các xã", "UBND huyện Vũ Thư", None),
    ]


def test_deadline_stage_a_dash_day_month_after_a_before_cue_dates_its_own_step() -> None:
    marks = ProseReader(UnitRegistry([]), date(2027, 3, 2))._marks(
        "Tỉnh ủy yêu cầu hoàn tất đại hội cấp xã trước 20-5, cấp huyện trước ngày 30-6; "
        "tập huấn trong 3-5 ngày."
    )
    assert [m.deadline.due for m in marks] == [date(2027, 5, 19), date(2027, 6, 29)]


def test_reader_a_sentence_about_the_product_of_the_step_before_dates_it() -> None:
    got = _read(
        "Sở Tài chính rà soát, thống kê kinh phí của các xã mới. Số liệu phải được gửi về Bộ "
        "Tài chính trước 20/8/2027. Sở Xây dựng kiểm tra hiện trạng trụ sở các xã."
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Sở Tài chính", date(2027, 8, 19)),
        ("Sở Xây dựng", None),  # a task of its own: never given the date before it
    ]


def test_owner_stage_a_congress_schedule_is_its_party_body_s_work() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 1, 10))
    owner, _, _ = reader._owner("Theo kế hoạch, đại hội Đảng bộ xã An Bình tổ chức trước 20.3.")
    assert owner.text == "Đảng bộ xã An Bình"
    told, _, _ = reader._owner("Đại hội Đảng bộ xã An Bình đã tổ chức thành công tốt đẹp.")
    assert told.text != "Đảng bộ xã An Bình"  # a congress told as past is no schedule
    assert reader._clauses(
        "Đại hội chi bộ trực thuộc hoàn thành trước ngày 15.2; đại hội đảng bộ cơ sở hoàn thành "
        "từ tháng 4 - 6."
    ) == [
        "Đại hội chi bộ trực thuộc hoàn thành trước ngày 15.2.",
        "đại hội đảng bộ cơ sở hoàn thành từ tháng 4 - 6.",
    ]


def test_deadline_stage_month_spans_dot_day_spans_and_half_months() -> None:
    reader = ProseReader(UnitRegistry([]), date(2027, 1, 10))
    marks = reader._marks(
        "Xã tổ chức đại hội từ ngày 2.6 - 12.6.2027; đảng bộ cơ sở hoàn thành từ tháng 4 - 6; "
        "trình Huyện ủy vào nửa cuối tháng 2/2027."
    )
    assert [(m.deadline.kind, m.deadline.due) for m in marks] == [
        (DeadlineKind.TERM, date(2027, 6, 12)),
        (DeadlineKind.TERM, date(2027, 6, 30)),
        (DeadlineKind.DUE, date(2027, 2, 28)),
    ]


def test_reader_steps_after_the_last_date_of_a_story_are_duties_of_their_own() -> None:
    got = ProseReader(UnitRegistry([]), date(2027, 1, 10)).read(
        "Phát biểu kết luận, Chủ tịch UBND huyện yêu cầu UBND các xã hoàn thành chi trả tiền bồi "
        "thường trước ngày 15/3/2027; khởi công xây dựng trường mầm non xã; vận động người dân "
        "bàn giao mặt bằng; báo cáo kết quả về UBND huyện."
    )
    assert [(i.title, i.deadline.due) for i in got] == [
        ("Hoàn thành chi trả tiền bồi thường", date(2027, 3, 14)),
        ("Khởi công xây dựng trường mầm non xã", None),
        ("Vận động người dân bàn giao mặt bằng; báo cáo kết quả về UBND huyện", None),
    ]


def test_reader_an_unanchored_term_in_a_decision_counts_from_its_date() -> None:
    got = _read(
        "Điều 2. Giao Sở Tài chính chủ trì, phối hợp với Văn phòng UBND tỉnh căn cứ Quyết định "
        "này, trong thời hạn 03 ngày làm việc thực hiện bãi bỏ thủ tục trên cơ sở dữ liệu.\n"
        "Điều 3. Giao Sở Nội vụ thẩm định hồ sơ trong vòng 05 ngày làm việc kể từ ngày nhận đủ "
        "hồ sơ.",
        date(2027, 1, 7),  # a Thursday: Fri 8, Mon 11, Tue 12
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("Sở Tài chính", date(2027, 1, 12)),
        ("Sở Nội vụ", None),  # counted from an event the text does not date: waits
    ]


def test_owner_the_tax_offices_named_since_2025_open_a_body() -> None:
    got = _read(
        "Điều 2. Giao Thuế thành phố Hà Nội căn cứ giá thóc được phê duyệt để hướng dẫn việc thu "
        "thuế cho UBND các xã, phường.\n"
        "Điều 3. Thuế sử dụng đất nông nghiệp được thu theo vụ thu hoạch chính."
    )
    assert [owner for _, owner, _ in got] == ["Thuế thành phố Hà Nội"]


def test_owner_a_partners_bracketed_gloss_ends_nothing() -> None:
    items = _reader().read(
        "Giao Sở Tài chính chủ trì, phối hợp với Văn phòng UBND tỉnh (Trung tâm Công báo - Tin "
        "học tỉnh) thực hiện bãi bỏ thủ tục trên cơ sở dữ liệu quốc gia.\n"
        "Giao Sở Nội vụ phối hợp với UBND huyện Vũ Quang rà soát biên chế."
    )
    assert [(i.unknown_cooperating, i.title.split()[:2]) for i in items] == [
        (("Văn phòng UBND tỉnh",), ["Thực", "hiện"]),
        (("UBND huyện Vũ Quang",), ["Rà", "soát"]),  # a place's name still ends at its verb
    ]


def test_reader_a_lead_shared_out_body_by_body_is_each_bodys_task() -> None:
    got = _read(
        "Điều 2. Giao Sở Y tế, Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan xây dựng "
        "quy trình nội bộ giải quyết thủ tục hành chính, cụ thể:\n"
        "- Sở Y tế đối với thủ tục số 01 tại Danh mục kèm theo;\n"
        "- Sở Nội vụ đối với thủ tục số 02, 03 tại Danh mục kèm theo.\n"
        "Điều 3. Giao Sở Tư pháp chủ trì thẩm định hồ sơ, cụ thể:\n"
        "- Rà soát hồ sơ đối với các thủ tục mới;\n"
    )
    assert [(title.split()[:4], owner) for title, owner, _ in got] == [
        (["Xây", "dựng", "quy", "trình"], "Sở Y tế"),
        (["Xây", "dựng", "quy", "trình"], "Sở Nội vụ"),
        (["Rà", "soát", "hồ", "sơ"], "Sở Tư pháp"),  # a duty with its own verb: as before
    ]


def test_owner_a_kind_of_body_heading_with_its_fields_and_place_owns_the_dashes() -> None:
    got = _read(
        "V. TỔ CHỨC THỰC HIỆN\n"
        "1. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải, logistics "
        "và công nghệ thông tin trên địa bàn Tỉnh\n"
        "- Ứng dụng mô hình BIM, GIS trong bảo trì công trình.\n"
        "2. Các doanh nghiệp chủ động đề xuất sáng kiến, giải pháp công nghệ phù hợp thực tiễn, "
        "tham gia cung cấp dữ liệu, chia sẻ thông tin phục vụ chuyển đổi số của Tỉnh\n"
        "- Báo cáo kết quả về Sở Xây dựng.\n"
    )
    owners = [owner for _, owner, _ in got]
    assert owners[0].startswith("Các doanh nghiệp hoạt động trong lĩnh vực xây dựng")
    # a long heading whose words are a duty, not fields or a place, owns nothing below it
    assert not any(owner.startswith("Các doanh nghiệp chủ động") for owner in owners)


def test_reader_a_plans_closing_speaks_to_those_it_names_not_the_last_heading() -> None:
    items = _reader().read(
        "V. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Xây dựng\n"
        "- Số hóa hồ sơ, bản đồ hạ tầng giao thông.\n"
        "Trên đây là Kế hoạch chuyển đổi số. Đề nghị các cơ quan, đơn vị nghiêm túc triển khai "
        "thực hiện. Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo kết quả thực hiện về Sở "
        "Xây dựng.\n"
        "Ủy ban nhân dân Quận yêu cầu các phường nghiêm túc triển khai thực hiện. Mỗi đơn vị có "
        "ít nhất 01 bài viết tham dự.\n"
    )
    assert [("báo cáo" in i.title, i.unit_text) for i in items] == [
        (False, "Sở Xây dựng"),
        (True, "Các cơ quan, đơn vị"),  # the yearly report: theirs, not Sở Xây dựng's
    ]  # a quota after "… nghiêm túc triển khai thực hiện." with no date: no duty of theirs
    assert items[1].deadline.kind is DeadlineKind.RECURRING


def test_reader_a_time_line_after_a_colon_item_dates_each_of_its_steps() -> None:
    got = _read(
        "Điều 2. Giao các cơ quan, đơn vị:\n"
        "1. Sở Văn hóa chủ trì, phối hợp Văn phòng UBND tỉnh: Xây dựng quy trình nội bộ giải quyết "
        "thủ tục; tái cấu trúc quy trình cung cấp dịch vụ công trực tuyến.\n"
        "Thời hạn chậm nhất 05 ngày làm việc kể từ ngày ban hành Quyết định\n"
        "2. Sở Nội vụ rà soát biên chế các đơn vị sự nghiệp.\n",
        date(2027, 1, 7),  # a Thursday: five working days end on Thursday 14
    )
    assert [(title.split()[0], due) for title, _, due in got] == [
        ("Xây", date(2027, 1, 14)),
        ("Tái", date(2027, 1, 14)),
        ("Rà", None),  # the next item: the line above it is not its date
    ]


def test_owner_an_aside_on_the_work_in_hand_is_no_name_and_no_date() -> None:
    doc = date(2027, 4, 1)
    aside = _read(
        "Kết luận hội nghị, đồng chí Phó Bí thư yêu cầu các Đảng bộ trực thuộc Tỉnh ủy, bên cạnh "
        "việc tập trung thực hiện các nhiệm vụ trọng tâm trong quý II, cần chú trọng tổ chức "
        "tuyên truyền Nghị quyết Đại hội.",
        doc,
    )
    assert [(owner, due) for _, owner, due in aside] == [("Các Đảng bộ trực thuộc Tỉnh ủy", None)]
    # no aside: the time in the sentence is the duty's own
    plain = _read(
        "Đồng chí Phó Bí thư yêu cầu các Đảng bộ trực thuộc Tỉnh ủy tổ chức tuyên truyền Nghị "
        "quyết Đại hội trong quý II.",
        doc,
    )
    assert [(owner, due) for _, owner, due in plain] == [
        ("Các Đảng bộ trực thuộc Tỉnh ủy", date(2027, 6, 30))
    ]


def test_reader_a_texts_own_standing_what_it_replaces_and_when_it_takes_effect_is_no_task() -> None:
    got = _owned(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Tuyên giáo Huyện ủy hướng dẫn các chi bộ thực hiện Hướng dẫn này trước ngày "
        "15/3/2027.\n"
        "2. Văn phòng Huyện ủy tham mưu ban hành Quy định thay thế Quy định số 05-QĐ/HU trước "
        "ngày 30/3/2027.\n"
        "Hướng dẫn này thay thế Hướng dẫn số 12-HD/BTGHU, ngày 10/01/2020 của Ban Tuyên giáo "
        "Huyện ủy và có hiệu lực kể từ ngày ký.\n"
        "Kế hoạch này có hiệu lực từ ngày ký.\n"
    )
    # the duties (one of them a new text that replaces an old one) stay tasks
    assert got == [
        ("Hướng dẫn các ", "Ban Tuyên giáo Huyện ủy"),
        ("Tham mưu ban h", "Văn phòng Huyện ủy"),
    ]


def test_owner_a_heading_list_goes_on_after_a_semicolon_with_a_body_in_lower_case() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Ban Tuyên giáo Huyện ủy; văn phòng đảng ủy các xã, thị trấn:\n"
        "- Rà soát danh sách báo cáo viên trước ngày 15/3/2027.\n"
        "2. Ban Dân vận Huyện ủy; phòng Nội vụ huyện lập danh sách tuyên truyền viên.\n"
        "3. Ban Tổ chức Huyện ủy đôn đốc các chi bộ; hướng dẫn cách ghi sổ đảng viên.\n"
    )
    assert [i.unknown_units for i in items] == [
        ("Ban Tuyên giáo Huyện ủy", "Văn phòng đảng ủy các xã, thị trấn"),
        ("Ban Dân vận Huyện ủy", "Phòng Nội vụ huyện"),
        # a step after ";" opens with a verb: no body, the one owner stays
        ("Ban Tổ chức Huyện ủy",),
    ]


def test_rendering_a_body_word_with_nay_is_the_body_just_named() -> None:
    items = ProseReader(UnitRegistry([]), DOC).read(
        "Chủ tịch UBND tỉnh chỉ đạo về chợ đêm\n"
        "Chủ tịch UBND tỉnh giao Sở Công Thương chủ trì, phối hợp với UBND các xã khẩn trương "
        "rà soát các điểm chợ đêm. Đồng thời, Sở này xây dựng quy chế quản lý chợ đêm trước "
        "ngày 20/02/2027.\n"
        "Chủ tịch UBND tỉnh giao Sở Y tế kiểm tra an toàn thực phẩm. Các sở, ngành này phối "
        "hợp tuyên truyền cho người dân.\n"
    )
    # (the body that leads: "Sở Công Thương chủ trì, phối hợp với …" keeps its partners)
    got = [(i.title[:20], i.unit_text.split(" chủ trì")[0], i.deadline.due) for i in items]
    assert got[:3] == [
        ("Khẩn trương rà soát ", "Sở Công Thương", None),
        ("Xây dựng quy chế quả", "Sở Công Thương", date(2027, 2, 19)),
        ("Kiểm tra an toàn thự", "Sở Y tế", None),
    ]
    # a collective "các sở, ngành này" is the bodies of the story, not the one just named
    assert all(i.unit_text != "Sở Y tế" for i in items[3:])


@pytest.mark.parametrize(
    ("sentence", "owner"),
    [
        # a head's title as a story shortens it
        ("GĐ các sở Xây dựng, Tài chính có trách nhiệm hướng dẫn các quận.", "GĐ các sở"),
        ("CT UBND các xã khẩn trương rà soát danh sách hộ nghèo.", "CT UBND các xã"),
        # same shape, a word that only starts like one: no owner
        ("Gđình ông A được hỗ trợ sửa nhà.", ""),
    ],
)
def test_owner_stage_a_shortened_head_title(sentence: str, owner: str) -> None:
    items = propose_tasks(sentence, UnitRegistry([]), DOC)
    assert [i.unit_text[: len(owner)] for i in items if i.unit_text] == ([owner] if owner else [])


def test_rendering_a_title_and_a_persons_name_is_a_speaker() -> None:
    said = propose_tasks(
        "Phó Chủ tịch Nguyễn Văn Bình yêu cầu, Chủ tịch UBND các huyện khẩn trương báo cáo "
        "kế hoạch xử lý vi phạm trước ngày 15/3/2027.",
        UnitRegistry([]),
        DOC,
    )
    assert [(i.unit_text, i.deadline.due) for i in said] == [
        ("Chủ tịch UBND các huyện", date(2027, 3, 14))
    ]
    # same shape, a body's head (no person's name) does the work itself
    own = propose_tasks(
        "Chủ tịch Hội Nông dân tỉnh tổ chức tập huấn cho hội viên trước ngày 15/3/2027.",
        UnitRegistry([]),
        DOC,
    )
    assert [i.unit_text for i in own] == ["Chủ tịch Hội Nông dân tỉnh"]
    # "chỉ đạo," goes on with what is directed, no addressee after the comma
    told = propose_tasks(
        "Chủ tịch Võ Văn An chỉ đạo, nhà thầu không bảo đảm tiến độ thì cần thay nhà thầu khác.",
        UnitRegistry([]),
        DOC,
    )
    assert all(i.unit_text != "nhà thầu không bảo đảm tiến độ" for i in told)


@pytest.mark.parametrize(
    ("sentence", "owners"),
    [
        # after a place's name, a body's head word after the comma is the list's next body
        (
            "Giao UBND phường An Khánh, Ban Quản lý dự án khu vực hoàn thành hạ tầng kỹ thuật.",
            ("UBND phường An Khánh", "Ban Quản lý dự án khu vực"),
        ),
        # same shape, more places of the same body: the place list goes on
        (
            "Giao UBND các huyện Vũ Thư, Kiến Xương rà soát hạ tầng kỹ thuật.",
            ("UBND các huyện Vũ Thư, Kiến Xương",),
        ),
    ],
)
def test_owner_stage_a_place_list_stops_at_the_next_body(
    sentence: str, owners: tuple[str, ...]
) -> None:
    items = propose_tasks(sentence, UnitRegistry([]), DOC)
    assert [i.unknown_units for i in items] == [owners]


# --- batch 74: renderings whose undated directions were never proposed (prose19-recall) ------


def _story(text: str) -> list[tuple[str, str]]:
    """A portal's story read whole: each proposal's owner words (units, then the collective
    text) and its title."""
    items = propose_tasks(text, UnitRegistry([]), DOC)
    return [(" | ".join((*i.units, *i.unknown_units)) or i.unit_text, i.title) for i in items]


def test_reader_a_speaker_after_a_short_frame_addresses_the_body_after_the_cue() -> None:
    got = _story(
        "Sáng 09/3, Phó Bí thư Thường trực Huyện ủy làm việc với các cơ quan tham mưu.\n"
        "Với yêu cầu đó, đồng chí Phó Bí thư Thường trực Huyện ủy đề nghị Văn phòng Huyện ủy "
        "nhanh chóng tham mưu cho Ban Thường vụ Huyện ủy về công tác tổ chức Hội thi."
    )
    assert got == [
        ("Văn phòng Huyện ủy", "Nhanh chóng tham mưu cho Ban Thường vụ Huyện ủy về công tác tổ "
         "chức Hội thi")
    ]  # fmt: skip
    # same shape, the speaker in the frame itself and "giao ban" a meeting: no direction
    told = _story(
        "Tin ngày 12/4.\n"
        "Đó là ý kiến chỉ đạo của Đ/c Phạm Văn Bình – Bí thư Huyện ủy, Chủ tịch HĐND huyện tại "
        "Hội nghị giao ban Bí thư, Chủ tịch các xã để nghe tình hình thực hiện nhiệm vụ.\n"
        "Vừa qua, đồng chí Hoàng Văn Khải – Phó Bí thư Huyện ủy, Chủ tịch UBND huyện đã chủ trì "
        "cuộc họp giao ban UBND huyện để cho ý kiến về một số nội dung quan trọng."
    )
    assert told == []


def test_owner_stage_a_contractor_or_a_force_after_a_cue_is_the_owner() -> None:
    reader = _reader()
    owner, _, _ = reader._owner("Phó Thủ tướng yêu cầu nhà thầu đẩy nhanh tiến độ thi công.")
    assert owner.resolution.unknown == ("Nhà thầu",)
    force, _, _ = reader._owner(
        "UBND TP yêu cầu lực lượng công an mở đợt cao điểm tấn công tội phạm."
    )
    assert force.resolution.unknown == ("Lực lượng công an",)
    # same words with no cue before them: what the contractor did is told, no owner named
    done, _, _ = reader._owner("Nhà thầu đã hoàn thành 60% khối lượng công việc.")
    assert not done.named


def test_reader_the_speakers_words_told_then_vi_vay_direct_every_body() -> None:
    got = _story(
        "Chiều 20/12, UBND tỉnh họp trực tuyến với các huyện.\n"
        "Theo Chủ tịch UBND tỉnh, quý I là thời điểm Tết Nguyên đán, vì vậy các ngành, địa "
        "phương cần kiểm soát chặt chẽ hàng giả, hàng kém chất lượng; bình ổn giá cả thị trường."
    )
    assert [t for _, t in got] == [
        "Kiểm soát chặt chẽ hàng giả, hàng kém chất lượng",
        "Bình ổn giá cả thị trường",
    ]
    # same shape, the bodies' work told in the past: no direction
    told = _story(
        "Chiều 20/12, UBND tỉnh họp trực tuyến với các huyện.\n"
        "Theo Chủ tịch UBND tỉnh, năm qua là năm khó khăn, vì vậy các ngành, địa phương đã chủ "
        "động kiểm soát chặt chẽ hàng giả."
    )
    assert told == []


def test_reader_a_speakers_lead_ending_nhu_colon_addresses_the_steps_after_it() -> None:
    got = _story(
        "Chiều 09/10, UBND xã họp thường kỳ.\n"
        "Qua các ý kiến thảo luận đồng chí Chủ tịch UBND xã đã thống nhất, chỉ đạo các phòng "
        "chuyên môn thuộc UBND xã thực hiện tốt các nội dung như: Rà soát hộ nghèo, cận nghèo "
        "đúng đối tượng. Đẩy nhanh tiến độ giải ngân các dự án."
    )
    assert [t for _, t in got] == [
        "Rà soát hộ nghèo, cận nghèo đúng đối tượng",
        "Đẩy nhanh tiến độ giải ngân các dự án",
    ]
    assert all(owner == "Các phòng chuyên môn thuộc UBND xã" for owner, _ in got)
    # same shape, a body's report of what it directed (no person speaks): no direction
    told = _story(
        "Chiều 09/10, UBND xã họp thường kỳ.\n"
        "Trong tháng, UBND xã đã chỉ đạo các phòng chuyên môn thực hiện các nội dung như: rà "
        "soát hộ nghèo, cận nghèo đúng đối tượng."
    )
    assert told == []


def test_clause_stage_a_bare_verb_sharing_the_next_object_opens_a_step() -> None:
    assert comma_steps(
        "chủ động xây dựng kế hoạch, thường xuyên nắm bắt, theo dõi các thôn, tổ dân phố"
    ) == ["chủ động xây dựng kế hoạch", "thường xuyên nắm bắt, theo dõi các thôn, tổ dân phố"]
    # verbs that share one object at the start stay one step
    assert comma_steps("rà soát, bổ sung quy hoạch cán bộ") == ["rà soát, bổ sung quy hoạch cán bộ"]
    # a verb's word as a noun before "của" opens no step
    assert comma_steps(
        "theo dõi tình hình sinh trưởng, phát triển của lúa, phát hiện sớm sâu bệnh"
    )[0].startswith("theo dõi tình hình sinh trưởng, phát triển của lúa")


def test_reader_a_story_body_that_directs_another_answers_for_its_steps() -> None:
    got = _story(
        "Mở đợt cao điểm truy quét tội phạm.\n"
        "Bên cạnh đó, UBND TP chỉ đạo công an các quận, huyện tăng cường tuần tra, rà soát địa "
        "bàn, quản lý chặt chẽ các loại đối tượng."
    )
    assert [t for _, t in got] == [
        "Tăng cường tuần tra, rà soát địa bàn",
        "Quản lý chặt chẽ các loại đối tượng",
    ]
    # same shape, what the body directed before: told, no direction
    assert (
        _story(
            "Mở đợt cao điểm truy quét tội phạm.\n"
            "Trước đó, UBND TP đã chỉ đạo công an các quận, huyện tăng cường tuần tra."
        )
        == []
    )


@pytest.mark.parametrize(
    "story",
    [
        # the speaker reports what the body will do: a promise, no direction
        "Chiều 12/10, Chủ tịch UBND huyện làm việc với xã.\n"
        "Đồng thời, đồng chí cho biết từ nay đến cuối năm, thường trực UBND huyện sẽ sớm giải "
        "quyết những khó khăn của xã.",
        # the meeting itself, with its date first
        "Tin.\n"
        "Vào sáng ngày 04 tháng 1 năm 2018 tại Hội trường UBND huyện, Thường trực HĐND huyện "
        "đã tổ chức họp phiên thường kỳ tháng 1 năm 2018.",
        # an exhortation over every duty, no work of its own
        "Tin.\n"
        "Chủ tịch HĐND huyện đề nghị UBND huyện trong thời gian tới cần tập trung cao hơn nữa để "
        "thực hiện các nhiệm vụ nghiêm túc, đầy đủ, hiệu quả theo kế hoạch đề ra.",
    ],
)
def test_reader_a_promise_the_meeting_and_an_exhortation_are_no_tasks(story: str) -> None:
    assert _story(story) == []


def test_reader_an_explicit_giao_to_carry_out_a_plan_is_still_a_task() -> None:
    # the counterexample of the exhortation above: "Giao X …" is a task even when it is short
    got = _story(
        "- Giao đồng chí Nguyễn Văn Mạnh – Phó Chủ tịch Ủy ban MTTQ xã thực hiện nhiệm vụ theo "
        "kế hoạch, báo cáo kết quả theo quy định."
    )
    assert len(got) == 1


def test_reader_a_meetings_decision_assigns_and_dong_thoi_names_the_next_body() -> None:
    got = _story(
        "Sáng 04/01, Thường trực HĐND huyện họp phiên thường kỳ.\n"
        "Phiên họp thống nhất phân công các đồng chí Thường trực HĐND huyện dự kỳ họp đầu năm "
        "tại các xã; Các ban HĐND huyện chủ động xây dựng kế hoạch giám sát chuyên đề;  Đồng thời "
        "Thường trực hướng dẫn xây dựng kế hoạch giám sát của các tổ đại biểu."
    )
    assert [o for o, _ in got] == [
        "Các đồng chí Thường trực HĐND huyện",
        "Các ban HĐND huyện",
        "Thường trực",
    ]
    # same shape, the meeting discussed: no decision, no duty
    assert (
        _story(
            "Sáng 04/01, Thường trực HĐND huyện họp phiên thường kỳ.\n"
            "Phiên họp thảo luận về việc chuẩn bị các nội dung giám sát năm 2018."
        )
        == []
    )


def test_reader_tren_co_so_do_goes_on_with_the_addressees_next_step() -> None:
    got = _story(
        "Vụ việc ở xã Cộng Lạc.\n"
        "Phó Chủ tịch UBND huyện đã có văn bản yêu cầu Chủ tịch UBND xã Cộng Lạc thực hiện ngay "
        "việc rà soát, giải quyết vụ việc theo thẩm quyền. Trên cơ sở đó có văn bản phúc đáp Báo "
        "Thanh tra."
    )
    assert [t for _, t in got][-1] == "Có văn bản phúc đáp Báo Thanh tra"
    assert {o for o, _ in got} == {"Chủ tịch UBND xã Cộng Lạc"}
    # same words with no addressee spoken to before them: no one's step
    assert _story("Tin.\nTrên cơ sở đó có văn bản phúc đáp Báo Thanh tra.") == []


def test_kind_a_storys_speech_opening_kết_luận_tại_is_no_documents_kind() -> None:
    story = [
        "Chủ tịch UBND huyện làm việc với xã Nhuận Đức",
        "Tại buổi làm việc, xã báo cáo kết quả 9 tháng.",
        "Kết luận tại buổi làm việc, đồng chí Nguyễn Văn Phú, Chủ tịch UBND huyện yêu cầu UBND xã "
        "Nhuận Đức phải cập nhật thường xuyên những văn bản mới, giải quyết các vấn đề thuộc "
        "thẩm quyền,",
    ]
    assert document_kind(story) is DocumentKind.OTHER
    assert is_rendering(story)
    # same words as a document's own title line: its kind
    assert document_kind(["KẾT LUẬN", "của Ban Thường vụ Huyện ủy về công tác cán bộ"]) is (
        DocumentKind.KET_LUAN
    )
    assert document_kind(["Kết luận của Ban Thường vụ Huyện ủy về công tác cán bộ"]) is (
        DocumentKind.KET_LUAN
    )


def test_speech_a_persons_name_is_no_level_of_a_request() -> None:
    # "Phương" folds as "phường": the speaker's name never makes a request look upward
    said = "Kết luận phiên họp, đồng chí Phó Chủ tịch HĐND huyện Nguyễn Thị Phương đề nghị "
    assert not speech.asks_upward(fold(speech.unnamed(said + "các cơ quan, đơn vị huyện ")))
    # same shape, a commune's request to the province: still upward
    assert speech.asks_upward(fold(speech.unnamed("Xã Phú Xuân đề nghị UBND tỉnh ")))


def test_reader_do_do_in_the_speakers_paragraph_directs_every_party_body() -> None:
    got = _story(
        "Tin ngày 20/5.\n"
        "Đồng chí Bí thư Huyện ủy nhấn mạnh, những nội dung tại Hội nghị đều rất quan trọng. Do "
        "đó, cấp uỷ và tổ chức đảng trong huyện cần tuyên truyền sâu rộng kết quả Hội nghị."
    )
    assert [t for _, t in got] == ["Tuyên truyền sâu rộng kết quả Hội nghị"]
    # same sentence with no speaker in the story: the reporter's view, no direction
    assert (
        _story(
            "Tin ngày 20/5.\n"
            "Những nội dung tại Hội nghị đều rất quan trọng. Do đó, cấp uỷ và tổ chức đảng trong "
            "huyện cần tuyên truyền sâu rộng kết quả Hội nghị."
        )
        == []
    )


def test_reader_a_bodys_cue_in_a_story_addresses_the_sentence_after_it() -> None:
    got = _story(
        "Công an TP cần mở cao điểm tấn công tội phạm.\n"
        "Cụ thể, UBND TP yêu cầu lực lượng công an mở đợt cao điểm tấn công các loại tội phạm. "
        "Đồng thời, tập trung bảo đảm trật tự an toàn giao thông trên địa bàn."
    )
    assert got[-1] == (
        "Lực lượng công an",
        "Tập trung bảo đảm trật tự an toàn giao thông trên địa bàn",
    )
    # same shape, the body names its addressee's duties after a colon: they stay that list's
    listed = _story(
        "Tin ngày 24/12.\n"
        "Ban Thường vụ Thành ủy giao Ban Tổ chức Thành ủy: Phối hợp các đơn vị tham mưu chỉ đạo "
        "đại hội điểm. Hướng dẫn, theo dõi các đảng bộ tổ chức đại hội điểm; báo cáo Ban Thường "
        "vụ Thành ủy."
    )
    assert len(listed) == 2
    # "yêu cầu địa phương …": the place after a cue is the owner
    owner, _, _ = _reader()._owner("Phó Bí thư Huyện ủy yêu cầu địa phương cụ thể hóa nghị quyết.")
    assert owner.resolution.unknown == ("Địa phương",)


def test_owner_stage_a_bi_thu_named_between_commas_is_the_speaker() -> None:
    owner, _, _ = _reader()._owner(
        "Qua đó, Phó Bí thư Huyện ủy, Đinh Minh Dũng, Trưởng đoàn công tác yêu cầu địa phương "
        "xây dựng, bổ sung các kế hoạch còn thiếu."
    )
    assert owner.resolution.unknown == ("Địa phương",)
    # same shape, the secretary of a body named in a list that reports: no cue, no owner read
    told, _, _ = _reader()._owner(
        "Qua đó, Phó Bí thư Huyện ủy, Đinh Minh Dũng, Trưởng đoàn công tác đã kiểm tra địa phương."
    )
    assert not told.named or told.issuer


def test_reader_luu_y_and_dong_thoi_chi_dao_address_the_bodies_after_them() -> None:
    got = _story(
        "Tin ngày 13/10.\n"
        "Đồng chí Chủ tịch UBND huyện chia sẻ những khó khăn do thời tiết, đồng thời chỉ đạo các "
        "xã, thị trấn cần tập trung huy động lực lượng giúp đỡ gia đình chính sách thu hoạch lúa."
    )
    assert got == [
        (
            "Các xã, thị trấn",
            "Tập trung huy động lực lượng giúp đỡ gia đình chính sách thu hoạch lúa",
        )
    ]
    noted = _story(
        "Tin ngày 12/12.\nĐồng chí cũng lưu ý các địa phương nắm chắc tình hình Nhân dân."
    )
    assert [t for _, t in noted] == ["Nắm chắc tình hình Nhân dân"]
    # same shapes with no cue: the speaker's sharing and the places' own work told
    assert (
        _story(
            "Tin ngày 13/10.\n"
            "Đồng chí Chủ tịch UBND huyện chia sẻ những khó khăn do thời tiết, các xã, thị trấn đã "
            "huy động lực lượng giúp đỡ gia đình chính sách thu hoạch lúa."
        )
        == []
    )


def test_owner_stage_frames_before_a_speaker_and_a_dot_inside_a_name() -> None:
    reader = _reader()
    owner, _, _ = reader._owner(
        "Sau các vụ cướp giật gần đây tại TP.HCM, để giữ vững trật tự xã hội, Chủ tịch UBND "
        "TP.HCM Lê Hoàng Quân vừa chỉ đạo khẩn từ nay đến cuối năm 2012 (nhất là dịp Tết), Công "
        "an TP phối hợp các địa phương mở đợt cao điểm truy quét."
    )
    assert owner.resolution.unknown == ("Công an TP",)
    # same frames, then no speaker: the reporter's sentence names no owner
    told, _, _ = reader._owner(
        "Sau các vụ cướp giật gần đây tại TP.HCM, để giữ vững trật tự xã hội, nhiều địa phương "
        "đã mở đợt cao điểm truy quét."
    )
    assert not told.named


# --- official Party and State texts (prose20-official, batch 76) ------------------------------


def _official(text: str, doc: date = DOC) -> list[tuple[str, str, str, object]]:
    items = ProseReader(UnitRegistry([]), doc).read(text)
    return [
        (
            i.title,
            # a collective owner ("các cấp ủy, …") is named for the office to say who
            " | ".join((*i.unknown_units, *i.units)) or i.unit_text,
            " | ".join((*i.unknown_cooperating, *i.cooperating)),
            i.deadline.due,
        )
        for i in items
    ]


def test_dates_a_session_day_is_no_frame_of_the_lead() -> None:
    reader = _reader()
    assert (
        reader._period(
            "Tại phiên họp ngày 28/11/2027, sau khi nghe Báo cáo của Ban Tổ chức Trung ương "
            "tháng 11/2027 (Báo cáo số 565-BC/BTCTW, ngày 27/11/2027), Bộ Chính trị kết luận"
        )
        == ""
    )
    # a frame the lead gives its items is kept, after a session clause or alone
    assert (
        reader._period("Tại hội nghị, trong 6 tháng cuối năm 2027") == "trong 6 tháng cuối năm 2027"
    )
    assert reader._period("Trong 6 tháng cuối năm 2027") == "Trong 6 tháng cuối năm 2027"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        (
            "Toàn văn Kết luận 221-KL/TW năm 2025 về kết quả hoạt động của bộ máy",
            DocumentKind.KET_LUAN,
        ),
        ("Tải file Kết luận 223-KL/TW Đề án nghiên cứu thành lập Tòa án", DocumentKind.KET_LUAN),
        ("TOÀN VĂN: KẾT LUẬN 155-KL/TW CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ", DocumentKind.KET_LUAN),
        # a portal's title that names no numbered text: no kind
        ("Toàn văn bài phát biểu của Tổng Bí thư tại hội nghị", DocumentKind.OTHER),
    ],
)
def test_kind_a_legal_portals_title_names_the_text(title: str, kind: DocumentKind) -> None:
    assert document_kind([title]) is kind


def test_reader_a_numbered_requirement_leads_its_subitems() -> None:
    got = _official(
        "KẾT LUẬN\n"
        "2. Yêu cầu các cấp uỷ, tổ chức đảng, các cơ quan chức năng trong quá trình triển khai "
        "cần hết sức khẩn trương, không để chậm trễ bất cứ công việc nào.\n"
        "2.1. Tập trung lãnh đạo việc xây dựng văn kiện đại hội.\n"
        "2.2. Thực hiện nghiêm các quy định về bảo vệ bí mật nhà nước.\n"
        "3. Tình hình các địa phương sau sắp xếp cơ bản ổn định.\n"
        "3.1. Công tác tuyên truyền được quan tâm.\n"
    )
    assert [(title[:20], owner) for title, owner, _, _ in got] == [
        ("Tập trung lãnh đạo v", "Các cấp uỷ, tổ chức đảng, các cơ quan chức năng"),
        ("Thực hiện nghiêm các", "Các cấp uỷ, tổ chức đảng, các cơ quan chức năng"),
    ]


def test_reader_an_addressee_who_leads_answers_for_the_bodies_its_items_name() -> None:
    led = _official(
        "3. Giao Đảng ủy Chính phủ lãnh đạo, chỉ đạo:\n"
        "- Đảng ủy Bộ Nội vụ chủ trì hướng dẫn việc số hoá tài liệu.\n"
        "- Khẩn trương hoàn thiện dự thảo các văn bản.\n"
    )
    assert [(owner, beside) for _, owner, beside, _ in led] == [
        ("Đảng ủy Chính phủ", "Đảng ủy Bộ Nội vụ"),
        ("Đảng ủy Chính phủ", ""),
    ]
    # "Giao X:" alone names the owner of unowned items; an item naming a body is that body's
    plain = _official(
        "3. Giao Đảng ủy Chính phủ:\n- Đảng ủy Bộ Nội vụ chủ trì hướng dẫn việc số hoá.\n"
    )
    assert [owner for _, owner, _, _ in plain] == ["Đảng ủy Bộ Nội vụ"]


def test_reader_a_heading_naming_everyone_owns_the_duties_below_it() -> None:
    plan = (
        "Tổ chức thực hiện\n"
        "1. Các cấp ủy, tổ chức đảng, cơ quan, đơn vị và người đứng đầu\n"
        "(1) Khẩn trương cụ thể hóa kế hoạch theo chức năng, nhiệm vụ.\n"
        "(2) Kiểm soát chặt chẽ tình hình, bảo đảm an ninh trật tự ở các địa bàn.\n"
    )
    got = _official("KẾ HOẠCH\n" + plan)
    assert [owner for _, owner, _, _ in got] == [
        "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị và người đứng đầu"
    ] * 2
    # in a conference's notice an undated direction to everyone is an exhortation
    assert _official("THÔNG BÁO KẾT LUẬN\n" + plan) == []


def test_reader_unnumbered_aims_are_no_tasks_up_to_the_next_part() -> None:
    got = _official(
        "Ngày 14/4/2027, Ban Chỉ đạo ban hành Kế hoạch số 47.\n"
        "Mục đích, yêu cầu\n"
        "Tổ chức quán triệt nghiêm nguyên tắc và thực hiện hiệu quả các nhiệm vụ.\n"
        "Thực hiện tốt công tác chính trị, tư tưởng, tạo sự đoàn kết.\n"
        "Nhiệm vụ, giải pháp\n"
        "Ban Tổ chức Trung ương chủ trì theo dõi việc thực hiện, báo cáo trước ngày 15/5/2027.\n"
    )
    assert [(owner, due) for _, owner, _, due in got] == [
        ("Ban Tổ chức Trung ương", date(2027, 5, 14))
    ]


def test_owner_stage_a_text_told_opens_the_sentence() -> None:
    owner, _, adverbial = _reader()._owner(
        "Theo nội dung Công văn 309-CV/ĐU năm 2025, Đảng ủy Chính phủ yêu cầu các Đảng ủy trực "
        "thuộc thực hiện một số nội dung như sau:"
    )
    assert owner.text == "Các Đảng ủy trực thuộc" and adverbial.startswith("Theo nội dung")
    # a document named as the subject's work is no opening: "Thực hiện Công văn …, X …" is
    # read as before, and "Theo đó" too
    assert _reader()._owner("Theo đó, Sở Y tế kiểm tra các cơ sở.")[0].text == "Sở Y tế"


def test_reader_an_events_setting_and_the_parts_a_lead_lists_are_no_tasks() -> None:
    got = _official(
        "(1) Thời gian và hình thức tổ chức\n"
        "- Thời gian: Hội nghị tập huấn: 1 buổi, từ 10 giờ, thứ Ba, ngày 09/3/2027.\n"
        "- Hình thức tổ chức: Trực tiếp kết hợp trực tuyến toàn quốc.\n"
        "- Điểm cầu Trung ương (trực tiếp): Phòng họp KH02, Văn phòng Trung ương Đảng.\n"
        "(3) Nội dung tập huấn\n"
        "Hướng dẫn 4 thủ tục hành chính của Đảng bao gồm:\n"
        "- Chuyển sinh hoạt Đảng chính thức.\n"
        "- Thu nộp đảng phí.\n"
        "(4) Tổ chức triển khai\n"
        "- Cục Tài chính phối hợp tổ chức tập huấn, giải đáp thắc mắc.\n"
        "- Văn phòng các đảng uỷ các cấp chuẩn bị phòng họp trực tuyến.\n"
    )
    # the duties after the list are read, the training's day dates them
    assert [(owner, due) for _, owner, _, due in got] == [
        ("Cục Tài chính", date(2027, 3, 9)),
        ("Văn phòng các đảng uỷ các cấp", date(2027, 3, 9)),
    ]


def test_reader_a_letters_addressees_and_grounds_are_no_tasks() -> None:
    got = _official(
        "Kính gửi:\n"
        "- Các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân Thành phố;\n"
        "- Hội đồng nhân dân, Ủy ban nhân dân các xã, phường.\n"
        "Căn cứ Quyết định số\n"
        "2907/QĐ-UBND ngày 25/11/2026 của Ủy ban nhân dân Thành phố về đánh giá hằng năm;\n"
        "Chủ tịch Ủy ban nhân dân Thành phố có ý kiến chỉ đạo như sau:\n"
        "1. Các cơ quan, tổ chức, đơn vị gửi hồ sơ về Sở Nội vụ trước ngày 05/3/2027.\n"
        "Trong quá trình thực hiện có khó khăn, vướng mắc, đề nghị các cơ quan phản hồi về Sở "
        "Nội vụ.\n"
    )
    assert [(owner, due) for _, owner, _, due in got] == [
        ("Các cơ quan, tổ chức, đơn vị", date(2027, 3, 4))
    ]
    # the grounds' own words never hold a duty; "Căn cứ Kế hoạch này, …" directs one
    kept = _official("Căn cứ Kế hoạch này, các sở xây dựng kế hoạch thực hiện hằng năm.\n")
    assert len(kept) == 1
    # a document's number goes on below "… Quyết định số"; "Chuyển đổi số" is a heading's end
    assert [
        _plain(p.text) for p in _paragraphs("Căn cứ Quyết định số\n2907/QĐ-UBND ngày 25/11/2026;\n")
    ] == ["Căn cứ Quyết định số 2907/QĐ-UBND ngày 25/11/2026;"]
    assert len(_paragraphs("3. Chuyển đổi số\n- Sở Y tế số hóa hồ sơ.\n")) == 2


def test_reader_what_a_conclusion_agrees_is_no_task_but_a_body_named_in_it() -> None:
    got = _official(
        "KẾT LUẬN\n"
        "(1) Cơ bản thống nhất chủ trương về Đề án thành lập Toà án chuyên biệt, cụ thể như sau:\n"
        "- Toà án chuyên biệt thuộc hệ thống Toà án nhân dân, có chức năng giải quyết các tranh "
        "chấp.\n"
        "- Viện Kiểm sát nhân dân không tham gia kiểm sát hoạt động của Toà án chuyên biệt. Đảng "
        "uỷ Toà án nhân dân tối cao nghiên cứu, đề xuất phương án xử lý.\n"
        "(2) Giao Đảng uỷ Quốc hội lãnh đạo việc xây dựng Luật Toà án chuyên biệt.\n"
    )
    assert [owner for _, owner, _, _ in got] == [
        "Đảng uỷ Toà án nhân dân tối cao",
        "Đảng uỷ Quốc hội",
    ]


def test_reader_a_letterhead_on_one_line_names_no_owner() -> None:
    got = _official(
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
        "Hạnh phúc Số: 1026/KH-UBND KẾ HOẠCH TRIỂN KHAI\n"
        "3. Sở Khoa học và Công nghệ chủ trì tham mưu các giải pháp.\n"
        "Nghiên cứu, xây dựng và ban hành quy chuẩn kỹ thuật.\n"
    )
    assert [owner for _, owner, _, _ in got] == ["Sở Khoa học và Công nghệ"] * 2
    # a first sentence that names the country is a sentence like any other
    told = _official("Sở Tư pháp tuyên truyền Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam.\n")
    assert [owner for _, owner, _, _ in told] == ["Sở Tư pháp"]


def test_owner_stage_an_academy_is_a_body() -> None:
    owner, _, _ = _reader()._owner(
        "Giao Học viện Chính trị quốc gia Hồ Chí Minh xây dựng kế hoạch tập huấn."
    )
    assert owner.text == "Học viện Chính trị quốc gia Hồ Chí Minh"


def test_reader_principles_after_a_lead_are_its_rules_not_tasks() -> None:
    got = _official(
        "3. Giao Đảng ủy Chính phủ:\n"
        "- Triển khai thực hiện phân cấp, phân quyền theo một số nguyên tắc chính sau:\n"
        "(1) Trung ương tập trung quản lý vĩ mô, xây dựng thể chế.\n"
        "(2) Rà soát, thực hiện phân cấp giữa các ngành.\n"
        "- Khẩn trương hoàn thiện dự thảo các văn bản.\n"
    )
    assert [title[:25] for title, _, _, _ in got] == [
        "Triển khai thực hiện phân",
        "Khẩn trương hoàn thiện dự",
    ]
    # "… các nhiệm vụ sau:" leads duties, each item its task
    duties = _official(
        "3. Giao Đảng ủy Chính phủ:\n"
        "- Thực hiện các nhiệm vụ sau:\n"
        "(1) Rà soát các văn bản quy phạm.\n"
        "(2) Hướng dẫn các địa phương.\n"
    )
    assert len(duties) == 2


def test_reader_a_title_glued_to_its_issuer_is_no_task() -> None:
    got = _official(
        "KẾT LUẬNCỦA BỘ CHÍNH TRỊ, BAN BÍ THƯvề một số nhiệm vụ trọng tâm cần thực hiện từ nay "
        "đến ngày 30/6/2027\n"
        "6. Giao Văn phòng Trung ương Đảng hướng dẫn việc số hoá tài liệu.\n"
    )
    assert [owner for _, owner, _, _ in got] == ["Văn phòng Trung ương Đảng"]
    # the kind's word with its space before the issuer opens a sentence that is read
    told = _official(
        "Kết luận của Thường trực: giao Sở Y tế kiểm tra các cơ sở trước ngày 15/3/2027.\n"
    )
    assert [owner for _, owner, _, _ in told] == ["Sở Y tế"]


def test_reader_a_bodys_own_thanh_lap_told_is_the_news_a_cued_one_a_duty() -> None:
    assert (
        _story(
            "Tháp Mười: Thành lập Tổ kiểm tra\n"
            "Ban Chỉ đạo phòng, chống dịch huyện thành lập 4 Tổ kiểm tra, giám sát tại các xã."
        )
        == []
    )
    # same words after a cue: the addressee's duty
    got = _story(
        "Tin ngày 12/8.\n"
        "Chủ tịch UBND huyện yêu cầu Ban Chỉ đạo phòng, chống dịch huyện thành lập 4 Tổ kiểm tra, "
        "giám sát tại các xã."
    )
    assert len(got) == 1


def test_speech_some_bodies_work_told_is_a_report_a_step_with_da_inside_is_not() -> None:
    assert speech.reported("Một số xã đã cơ bản hoàn thành gieo cấy là: Hồng Vân, Hạ Lễ")
    assert speech.reported("Nhiều địa phương đang tập trung gieo cấy")
    # same "đã" inside a step's object: still work to do
    assert not speech.reported("Rà soát các dự án đã được phê duyệt")
    assert not speech.reported("Xử lý hồ sơ đã nhận theo quy định")


def test_reader_a_direction_told_in_the_passive_is_its_bodys_duty() -> None:
    got = _story(
        "Tin ngày 20/6.\n"
        "Các đơn vị được chỉ đạo làm việc cả ngày nghỉ để đẩy nhanh tiến độ hoàn thiện hồ sơ."
    )
    assert got == [("Các đơn vị", "Làm việc cả ngày nghỉ để đẩy nhanh tiến độ hoàn thiện hồ sơ")]
    # same shape, the bodies praised for what they did: no direction
    assert _story("Tin ngày 20/6.\nCác đơn vị được biểu dương vì đã làm việc cả ngày nghỉ.") == []


def test_owner_a_bare_kind_after_de_is_the_body_of_that_kind_named_before() -> None:
    said = "gửi hồ sơ về Sở Xây dựng trước ngày 20-5 "
    found = _reader()._purpose_owner("để sở tổ chức thẩm định, trình UBND tỉnh", said)
    assert found is not None
    assert (found[0].text, found[1]) == ("Sở Xây dựng", "tổ chức thẩm định, trình UBND tỉnh")
    # same shape with no body of that kind named before: no owner guessed
    assert _reader()._purpose_owner("để sở tổ chức thẩm định", "gửi hồ sơ về UBND tỉnh ") is None
    # "để sở, ngành …": a collective, never the Sở named before
    assert _reader()._purpose_owner("để sở, ngành theo dõi", said) is None


def test_reader_a_report_to_a_so_then_the_sos_own_dated_step() -> None:
    got = _read(
        "UBND tỉnh yêu cầu UBND các huyện gửi hồ sơ, báo cáo về Sở Xây dựng trước ngày "
        "20/5/2027 để sở tổ chức thẩm định trình UBND tỉnh trước ngày 10/6/2027."
    )
    assert [(owner, due) for _, owner, due in got] == [
        ("UBND các huyện", date(2027, 5, 19)),
        ("Sở Xây dựng", date(2027, 6, 9)),
    ]


def test_owner_chu_tri_then_a_bare_phoi_hop_names_the_cooperating_bodies() -> None:
    got = _official(
        "Sở Y tế chủ trì, phối hợp Công an tỉnh, UBND các huyện đẩy mạnh công tác tuyên "
        "truyền tới tất cả trường học.\n"
    )
    assert [(owner, coop) for _, owner, coop, _ in got] == [
        ("Sở Y tế", "Công an tỉnh | UBND các huyện")
    ]
    # same shape with no "chủ trì": the bodies before "phối hợp" are all owners, as before
    got = _official("Sở Y tế, Công an tỉnh phối hợp tuyên truyền tới tất cả trường học.\n")
    assert [owner for _, owner, _, _ in got] == ["Sở Y tế | Công an tỉnh"]


def test_owner_an_item_opening_with_kinds_of_bodies_is_their_duty_not_the_leads() -> None:
    got = _official(
        "Sở Giáo dục và Đào tạo đề nghị Thủ trưởng đơn vị thực hiện:\n"
        "1. Cơ quan, đơn vị trường học báo cáo tình hình thực hiện trước ngày 10/4/2027.\n"
        "2. Rà soát danh sách giáo viên.\n"
    )
    assert [owner for _, owner, _, _ in got] == ["Cơ quan, đơn vị trường học", "Thủ trưởng đơn vị"]
    # same opening word with no list of kinds ("Cơ quan chức năng …"): no owner of its own
    assert not _starts_org("Cơ quan chức năng tăng cường kiểm tra")


def test_owner_a_web_address_colon_is_no_owners_colon() -> None:
    got = _official(
        "Sở Giáo dục và Đào tạo đề nghị Thủ trưởng đơn vị thực hiện:\n"
        "1. Các trường báo cáo kết quả trước ngày 10/4/2027; Phòng Giáo dục và Đào tạo các "
        "quận, huyện tại https://bit.ly/mau1; trường THPT tại https://bit.ly/mau2.\n"
    )
    assert len(got) == 1 and got[0][1] == "Các trường"
    # same shape with a real colon after a body's name: its own duty, as before
    got = _official("Sở Tài chính: Thường xuyên kiểm tra việc chi tiêu.\n")
    assert [owner for _, owner, _, _ in got] == ["Sở Tài chính"]


def test_owner_a_body_named_right_after_a_bare_phoi_hop_cooperates() -> None:
    got = _story(
        "Tin ngày 12/8.\n"
        "UBND tỉnh đề nghị Sở Y tế phối hợp Bưu điện tỉnh tuyên truyền, phổ biến tài liệu tới "
        "các trường học."
    )
    assert got == [("Sở Y tế", "Tuyên truyền, phổ biến tài liệu tới các trường học")]
    # same shape, a verb right after "phối hợp,": the bodies' own work, as before
    got = _official("Các Ban, Văn phòng Huyện ủy phối hợp, tham mưu tổ chức hội nghị.\n")
    assert [(title, owner) for title, owner, _, _ in got] == [
        ("Phối hợp, tham mưu tổ chức hội nghị", "Các Ban | Văn phòng Huyện ủy")
    ]


def test_deadline_a_lunar_day_then_its_solar_day_in_brackets() -> None:
    tet = ProseReader(UnitRegistry([]), date(2026, 2, 5))
    marks = tet._marks("Các sở báo cáo hỏa tốc vào mùng 3 Tết Bính Ngọ (19-2) để tổng hợp.")
    assert [m.deadline.due for m in marks] == [date(2026, 2, 19)]
    # same shape with no solar day: no date read from it (the clerk asks)
    assert tet._marks("Các sở báo cáo hỏa tốc vào mùng 3 Tết Bính Ngọ để tổng hợp.") == []


def test_clauses_bodies_set_apart_before_a_cue_that_names_no_one_are_its_addressees() -> None:
    got = _story(
        "Tin ngày 1/2.\n"
        "Riêng Sở Y tế, Công an tỉnh, Chủ tịch UBND tỉnh yêu cầu có báo cáo hỏa tốc về Văn phòng "
        "UBND tỉnh trước ngày 8/2/2027."
    )
    assert got == [("Sở Y tế | Công an tỉnh", "Báo cáo hỏa tốc về Văn phòng UBND tỉnh")]
    # same shape with the cue naming its own addressee: that one, as before
    got = _story(
        "Tin ngày 1/2.\n"
        "Riêng Sở Y tế, Chủ tịch UBND tỉnh yêu cầu Công an tỉnh báo cáo hỏa tốc về Văn phòng "
        "UBND tỉnh trước ngày 8/2/2027."
    )
    assert got == [("Công an tỉnh", "Báo cáo hỏa tốc về Văn phòng UBND tỉnh")]


def test_owner_bo_ngoai_giao_is_a_name_not_the_cue_giao() -> None:
    got = _official("Giao Bộ Ngoại giao, Bộ Công an báo cáo Thủ tướng trước ngày 8/2/2027.\n")
    assert [owner for _, owner, _, _ in got] == ["Bộ Ngoại giao | Bộ Công an"]
    # same word as a cue after a body: still the cue
    got = _official("Ủy ban nhân dân tỉnh giao Sở Y tế báo cáo trước ngày 8/2/2027.\n")
    assert [owner for _, owner, _, _ in got] == ["Sở Y tế"]


def test_reader_a_named_bodys_next_sentence_with_its_own_verb_is_one_more_duty() -> None:
    got = _story(
        "Tin ngày 12/8.\n"
        "Sở Y tế đẩy mạnh công tác tuyên truyền tới tất cả trường học. Vận động giáo viên và "
        "học sinh các trường tích cực tham gia."
    )
    assert got == [
        ("Sở Y tế", "Đẩy mạnh công tác tuyên truyền tới tất cả trường học"),
        ("Sở Y tế", "Vận động giáo viên và học sinh các trường tích cực tham gia"),
    ]
    # same shape opening with a basis or a hand in others' work: more of the duty above
    got = _story(
        "Tin ngày 12/8.\n"
        "Sở Y tế đẩy mạnh công tác tuyên truyền tới tất cả trường học. Phối hợp với các trường "
        "tổ chức cuộc thi."
    )
    assert got == [("Sở Y tế", "Đẩy mạnh công tác tuyên truyền tới tất cả trường học")]


def test_clauses_doi_voi_a_body_before_a_cue_that_names_no_one_is_its_addressee() -> None:
    got = _story(
        "Tin ngày 1/2.\n"
        "Đối với Sở Y tế, Chủ tịch UBND tỉnh yêu cầu báo cáo hỏa tốc về Văn phòng UBND tỉnh "
        "trước ngày 8/2/2027."
    )
    assert got == [("Sở Y tế", "Báo cáo hỏa tốc về Văn phòng UBND tỉnh")]
    # same shape with a case, not a body, after "Đối với": no owner taken from it
    got = _story(
        "Tin ngày 1/2.\n"
        "Đối với các dự án chậm tiến độ, Chủ tịch UBND tỉnh yêu cầu báo cáo hỏa tốc về Văn phòng "
        "UBND tỉnh trước ngày 8/2/2027."
    )
    assert [owner for owner, _ in got] == [""]


def test_reader_a_word_of_emphasis_before_the_subject_keeps_the_speakers_direction() -> None:
    got = _story(
        "Chủ tịch UBND huyện kiểm tra tiến độ xây dựng cơ bản\n"
        "Sau khi kiểm tra, đồng chí Chủ tịch UBND huyện đề nghị các cơ quan chuyên môn tăng cường "
        "giám sát nhà thầu. Đặc biệt các xã tiếp tục phối hợp với các ngành chuyên môn đẩy nhanh "
        "tiến độ công tác giải phóng mặt bằng."
    )
    assert [owner for owner, _ in got] == ["Các cơ quan chuyên môn", "Các xã"]
    # same opening, the communes' work told: no direction
    told = _story(
        "Chủ tịch UBND huyện kiểm tra tiến độ xây dựng cơ bản\n"
        "Sau khi kiểm tra, đồng chí Chủ tịch UBND huyện đề nghị các cơ quan chuyên môn tăng cường "
        "giám sát nhà thầu. Đặc biệt, các xã đã hoàn thành công tác giải phóng mặt bằng."
    )
    assert [owner for owner, _ in told] == ["Các cơ quan chuyên môn"]


def test_reader_hamlets_that_lead_an_addressee_list_own_the_items_below() -> None:
    got = _official(
        "UBND xã đề nghị các thôn, xóm, trường học, các cơ quan đơn vị và nhân dân thực hiện các "
        "nội dung sau:\n"
        "1. Tổ chức treo cờ Tổ quốc tại trụ sở.\n"
        "2. Tháo dỡ những khẩu hiệu đã hết thời hạn tuyên truyền.\n"
    )
    assert [owner for _, owner, _, _ in got] == [
        "Các thôn, xóm, trường học, các cơ quan đơn vị và nhân dân"
    ] * 2
    # same lead, everyone first ("các cơ quan, đơn vị và các thôn"): the office's call
    assert (
        _official(
            "UBND xã đề nghị các cơ quan, đơn vị và các thôn thực hiện các nội dung sau:\n"
            "1. Tổ chức treo cờ Tổ quốc tại trụ sở.\n"
            "2. Tháo dỡ những khẩu hiệu đã hết thời hạn tuyên truyền.\n"
        )
        == []
    )


def test_reader_a_communes_request_to_its_offices_is_no_request_upward() -> None:
    # "cơ quan" holds "quan" and "tinh thần" folds to "tinh": neither is a level
    assert not speech.asks_upward("ubnd xa de nghi cac co quan, don vi")
    assert not speech.asks_upward("ubnd xa de nghi tinh than")
    got = _story(
        "Tin ngày 3/1.\n"
        "UBND xã Núi Cấm đề nghị các cơ quan, đơn vị kiểm tra trụ sở trước ngày 25/01/2027."
    )
    assert got == [("Các cơ quan, đơn vị", "Kiểm tra trụ sở")]
    # a commune asking the district: still a request upward, no task
    assert speech.asks_upward("ubnd xa de nghi ubnd quan")
    assert speech.asks_upward("ubnd huyen de nghi tinh uy, ubnd tinh")


def test_reader_a_flag_notices_work_ends_the_addressees_and_a_span_may_start_in_the_afternoon() -> (
    None
):
    got = _official(
        "Tin ngày 10/01.\n"
        "UBND xã Núi Cấm đề nghị các ấp treo Quốc kỳ từ chiều ngày 18/01/2027 đến hết ngày "
        "25/01/2027."
    )
    assert [(title, owner, due) for title, owner, _, due in got] == [
        ("Treo Quốc kỳ", "Các ấp", date(2027, 1, 25))
    ]
    # same words as a body's name before no work: "Ban … treo" is no verb there, the cue is
    told = _official("Tin ngày 10/01.\nUBND xã đề nghị Ban Văn hóa xã kiểm tra việc treo cờ.\n")
    assert [owner for _, owner, _, _ in told] == ["Ban Văn hóa xã"]


def test_reader_a_news_tag_before_a_direction_is_no_bracketed_line() -> None:
    got = _story(
        "Lạng Sơn: Đốc thúc tiến độ\n"
        "(BKTO) - Chủ tịch Ủy ban nhân dân (UBND) tỉnh yêu cầu UBND các huyện, thành phố phải nêu "
        "cao tinh thần trách nhiệm, tích cực khẩn trương triển khai công tác giải phóng mặt bằng "
        "(GPMB) các dự án (DA)."
    )
    # the spirit asked for is no step of its own
    assert [(owner, title[:40]) for owner, title in got] == [
        ("UBND các huyện, thành phố", "Tích cực khẩn trương triển khai công tác")
    ]
    # a line wholly in brackets stays no task
    assert _story("Lạng Sơn: Đốc thúc tiến độ\n(Theo Công văn số 12/UBND của UBND tỉnh).") == []


def test_reader_a_notices_closing_thong_bao_de_thuc_hien_is_no_task() -> None:
    got = _official(
        "UBND xã đề nghị các thôn, xóm thực hiện các nội dung sau:\n"
        "1. Treo cờ Tổ quốc tại nhà văn hóa thôn.\n"
        "UBND xã Duyên Hà thông báo để các gia đình, cơ quan, đơn vị, các thôn trên địa bàn xã "
        "nghiêm túc thực hiện./.\n"
    )
    assert [title for title, _, _, _ in got] == ["Treo cờ Tổ quốc tại nhà văn hóa thôn"]
    # same body, a dated duty of its own after "thông báo": still read
    dated = _official("UBND xã thông báo các thôn nộp danh sách trước ngày 20/01/2027.\n")
    assert [due for _, _, _, due in dated] == [date(2027, 1, 19)]


def test_reader_a_meeting_held_on_a_past_day_at_a_place_is_the_news() -> None:
    got = _story(
        "TIN\n"
        "Chiều 05/01/2027, tại Nhà văn hóa xã, Ban Thường vụ Đảng ủy xã tổ chức Hội nghị giao ban "
        "Bí thư các chi bộ."
    )
    assert got == []
    # the same frame on a day still to come: the meeting is work to do
    ahead = _story(
        "TIN\n"
        "Chiều 25/01/2027, tại Nhà văn hóa xã, Ban Thường vụ Đảng ủy xã tổ chức Hội nghị giao ban "
        "Bí thư các chi bộ."
    )
    assert [owner for owner, _ in ahead] == ["Ban Thường vụ Đảng ủy xã"]


def test_reader_a_bodys_leaders_who_asked_are_the_speaker_not_the_verb_lanh_dao() -> None:
    got = _story(
        "Ngày 3/1, Huyện ủy đã tổ chức Hội nghị học tập.\n"
        "Ngay sau Hội nghị, lãnh đạo Huyện ủy Định Hóa đã đề nghị các đồng chí bí thư các chi, "
        "đảng bộ trực thuộc kịp thời xây dựng chương trình, kế hoạch hành động."
    )
    assert [owner for owner, _ in got] == ["Các đồng chí bí thư các chi, đảng bộ trực thuộc"]
    # the same words with no cue: the leaders' visit told, no task
    told = _story(
        "Ngày 3/1, Huyện ủy đã tổ chức Hội nghị học tập.\n"
        "Lãnh đạo UBND huyện đã làm việc với xã về công tác giải phóng mặt bằng."
    )
    assert told == []


def test_reader_a_numbered_duty_that_lost_its_stop_before_the_next_item_is_no_heading() -> None:
    got = _official(
        "UBND xã yêu cầu các ông xóm trưởng thực hiện nghiêm một số nội dung sau:\n"
        "1. Nắm bắt thông tin người dân đến địa bàn.\n"
        "2. Tuyên truyền, vận động nhân dân trên loa truyền thanh của thôn (có nội dung kèm theo)\n"
        "3. Báo cáo UBND danh sách người dân đến địa bàn.\n"
    )
    assert [title[:10] for title, _, _, _ in got] == ["Nắm bắt th", "Tuyên truy", "Báo cáo UB"]
    # same shape, the parts' names (no work): headings, no task
    assert (
        _official(
            "I. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Mục đích\n"
            "2. Yêu cầu\n"
            "II. TỔ CHỨC THỰC HIỆN\n"
            "Giao Sở Y tế rà soát danh mục thuốc.\n"
        )[0][1]
        == "Sở Y tế"
    )


def test_reader_the_first_months_of_a_year_over_frame_a_report() -> None:
    got = _story(
        "Bí thư Huyện ủy làm việc với xã\n"
        "Trong 9 tháng năm 2026, mặc dù thời tiết không thuận lợi, Đảng ủy xã tập trung chỉ đạo "
        "công tác sản xuất đạt kế hoạch đề ra."
    )
    assert got == []
    # the months still to come: work to do
    ahead = _story(
        "Bí thư Huyện ủy làm việc với xã\n"
        "Trong 9 tháng năm 2027, Đảng ủy xã tập trung chỉ đạo công tác sản xuất đạt kế hoạch."
    )
    assert [owner for owner, _ in ahead] == ["Đảng ủy xã"]


def test_reader_leaders_who_come_along_are_no_verb_lanh_dao() -> None:
    got = _story(
        "Tháp Mười: Lãnh đạo huyện kiểm tra các chốt\n"
        "Chủ tịch UBND huyện cùng lãnh đạo Ủy ban MTTQ huyện và Công an huyện đã có buổi kiểm tra "
        "các chốt tại xã Mỹ An."
    )
    assert got == []
    # "cùng lãnh đạo, chỉ đạo" (the verbs, lower case after): still the work
    work = _story(
        "Tin ngày 3/1.\n"
        "Chủ tịch UBND huyện yêu cầu Đảng ủy xã cùng lãnh đạo, chỉ đạo công tác giải phóng mặt "
        "bằng."
    )
    assert [title[:18] for _, title in work] == ["Lãnh đạo, chỉ đạo "]


def test_reader_a_notice_of_arrangements_gives_its_items_to_the_bodies_it_names() -> None:
    got = _official(
        "THÔNG BÁO\n"
        "Về việc treo cờ Tổ quốc\n"
        "UBND xã thông báo thời gian treo cờ Tổ quốc cụ thể như sau:\n"
        "1. Các cơ quan, đơn vị, trường học trên địa bàn xã thực hiện treo cờ Tổ quốc tại trụ sở "
        "làm việc.\n"
    )
    assert [owner for _, owner, _, _ in got] == ["Các cơ quan, đơn vị, trường học trên địa bàn xã"]
    # a notice of a meeting's conclusions: an undated direction to everyone stays the office's
    concluded = _official(
        "THÔNG BÁO\n"
        "Kết luận của Thường trực Đảng ủy tại Hội nghị giao ban tháng 1\n"
        "1. Các cơ quan, đơn vị, trường học trên địa bàn xã thực hiện treo cờ Tổ quốc tại trụ sở "
        "làm việc.\n"
    )
    assert concluded == []


def test_reader_a_letters_steps_told_after_theo_do_are_each_a_duty() -> None:
    got = _story(
        "Tăng cường kiểm tra vi phạm đất đai dịp Tết\n"
        "Chủ tịch UBND huyện vừa có công văn chỉ đạo tăng cường công tác kiểm tra.\n"
        "Theo đó, UBND các xã, thị trấn tăng cường công tác tuyên truyền về pháp luật đất đai; "
        "kiên quyết không để phát sinh vi phạm và xử lý triệt để các tụ điểm rác thải; tổ chức "
        "thực hiện ngày chủ nhật xanh."
    )
    assert [title[:20] for owner, title in got if owner] == [
        "Tăng cường công tác ",
        "Kiên quyết không để ",
        "Tổ chức thực hiện ng",
    ]
    # the same steps told as done: no duty
    done = _story(
        "Tăng cường kiểm tra vi phạm đất đai dịp Tết\n"
        "Chủ tịch UBND huyện vừa có công văn chỉ đạo tăng cường công tác kiểm tra.\n"
        "Theo đó, UBND các xã, thị trấn đã tăng cường công tác tuyên truyền về pháp luật đất đai; "
        "đã tổ chức thực hiện ngày chủ nhật xanh."
    )
    assert [title for owner, title in done if owner] == []


def test_reader_advice_to_the_public_and_a_liability_are_no_tasks() -> None:
    got = _story(
        "Huyện tăng cường bảo đảm an ninh trật tự\n"
        "UBND huyện giao Công an huyện tăng cường công tác nắm địa bàn. UBND huyện cũng khuyến "
        "cáo người dân chủ động phòng, ngừa, có biện pháp bảo đảm an toàn tài sản khi vắng nhà."
    )
    assert [owner for owner, _ in got] == ["Công an huyện"]
    assert speech.appeal("ubnd huyen cung khuyen cao nguoi dan chu dong phong ngua")
    # advice with a direction to a body in it stays a direction
    assert not speech.appeal("ubnd huyen khuyen cao nguoi dan va yeu cau cong an xa tuan tra")
    liable = _official(
        "Theo đó, yêu cầu:\n"
        "1. Chủ tịch UBND 36 phường, xã: Khẩn trương triển khai chỉ đạo của UBND thành phố; Chủ "
        "tịch UBND các phường, xã chịu trách nhiệm trước Chủ tịch UBND thành phố nếu để xảy ra vi "
        "phạm.\n"
    )
    assert [title[:20] for title, _, _, _ in liable] == ["Khẩn trương triển kh"]


def test_reader_after_theo_do_a_storys_later_paragraphs_give_the_letters_steps() -> None:
    letter = (
        "UBND các xã, phường tiếp tục kiểm tra, đôn đốc các hợp tác xã theo dõi tình hình; chủ "
        "động bố trí lực lượng hỗ trợ Nhân dân thu hoạch."
    )
    got = _story(
        "Sở Nông nghiệp ra công văn ứng phó áp thấp\n"
        "Theo đó, Sở Nông nghiệp đề nghị các đơn vị, địa phương theo dõi chặt chẽ các bản tin "
        "cảnh báo.\n" + letter
    )
    assert [owner for owner, _ in got] == ["Các đơn vị, địa phương"] + ["UBND các xã, phường"] * 2
    # the same paragraph in a story that gave no letter: one duty, as an official text keeps it
    alone = _story("Sở Nông nghiệp ra công văn ứng phó áp thấp\n" + letter)
    assert [owner for owner, _ in alone] == ["UBND các xã, phường"]


def test_reader_a_letters_paragraphs_with_no_subject_go_on_with_its_addressee() -> None:
    head = (
        "UBND tỉnh có văn bản khẩn về sắp xếp bộ máy\n"
        "Trong đó, các cơ quan, đơn vị, địa phương cần tăng cường thông tin, tuyên truyền.\n"
    )
    got = _story(head + "Chấn chỉnh, khắc phục tình trạng né tránh, đùn đẩy trách nhiệm.")
    assert [owner.lower() for owner, _ in got] == ["các cơ quan, đơn vị, địa phương"] * 2
    # a link, an intertitle (no stop) or what the request is for: no step of work, nobody's
    assert len(_story(head + "Xem chi tiết Văn bản tại đây!")) == 1
    assert (
        len(_story(head + "Thực hiện hiệu quả chế độ, chính sách đối với người bị ảnh hưởng")) == 1
    )
    assert len(_story(head + "Yêu cầu trên nhằm triển khai 2 kết luận của Bộ Chính trị.")) == 1


def test_reader_how_things_stand_as_of_a_day_is_no_task() -> None:
    got = _official(
        "Đến ngày 05/01/2027 trên địa bàn xã đang thực hiện cách ly tại gia đình cho 01 hộ.\n"
        "UBND xã yêu cầu các ông xóm trưởng nắm bắt thông tin người dân đến địa bàn.\n"
    )
    assert [owner for _, owner, _, _ in got] == ["Các ông xóm trưởng"]
    # a day still to come: "Đến ngày …" is the work's time
    ahead = _official("Đến ngày 25/01/2027, UBND xã hoàn thành rà soát hộ nghèo.\n")
    assert [due for _, _, _, due in ahead] == [date(2027, 1, 25)]
    # how things stand, then a step still dated: the step is read
    dated = _official(
        "Đến nay, xã đã dự thảo báo cáo chính trị và trình Ban Thường vụ Huyện ủy vào tháng "
        "2/2027.\n"
    )
    assert [due for _, _, _, due in dated] == [date(2027, 2, 28)]


def test_reader_a_time_lead_after_a_notices_items_dates_the_work_it_names() -> None:
    got = _official(
        "UBND xã đề nghị các thôn, xóm thực hiện các nội dung sau:\n"
        "1. Tổ chức treo cờ Tổ quốc tại nhà văn hóa thôn.\n"
        "2. Tháo dỡ những khẩu hiệu đã hết thời hạn tuyên truyền.\n"
        "Thời gian trang trí, tuyên truyền:\n"
        "- Kỷ niệm Quốc khánh (2/9/1945 - 2/9/2027) treo cờ Tổ quốc từ ngày 31/8/2027 đến hết ngày "
        "05/9/2027.\n"
    )
    assert [(title[:20], due) for title, _, _, due in got] == [
        ("Tổ chức treo cờ Tổ q", date(2027, 9, 5)),
        ("Tháo dỡ những khẩu h", None),
    ]
    # a body's own dated line under the lead stays its duty
    owned = _official(
        "Thời gian trang trí, tuyên truyền:\n"
        "- Các thôn treo cờ Tổ quốc từ ngày 31/8/2027 đến hết ngày 05/9/2027.\n"
    )
    assert [owner for _, owner, _, _ in owned] == ["Các thôn"]
