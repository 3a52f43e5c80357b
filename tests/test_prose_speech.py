"""A rendering's speech: who speaks, the speaker's cue and turn, the parts of what is said."""

from __future__ import annotations

from datetime import date

from data.deadlines import DeadlineKind
from data.importers.interpret import ParsedItem
from data.importers.prose import propose_tasks, speech
from data.importers.prose.segment import _aligned_fold
from data.text import fold
from data.units import UnitRegistry


def test_a_person_speaks_a_text_told_does_not() -> None:
    assert speech.speaks("Phát biểu kết luận, đồng chí Bí thư Tỉnh ủy đề nghị các cấp ủy …")
    assert speech.speaks("Sau khi nghe báo cáo, ông Lê Văn Tám yêu cầu các cơ quan …")
    assert speech.speaks("Thường trực HĐND huyện đánh giá cao …; đề nghị UBND huyện …")
    assert not speech.speaks("UBND tỉnh vừa ban hành Công văn số 12/UBND-KT yêu cầu các sở …")
    assert not speech.speaks("Các sở, ngành tập trung rà soát hồ sơ.")


def test_the_speakers_cue_and_turn() -> None:
    assert speech.spoken_to(fold("Đồng chí Bí thư đề nghị"))
    assert speech.spoken_to(fold("Đối với các ban tham mưu của Tỉnh ủy,"))
    assert not speech.spoken_to(fold("Trong năm 2027,"))
    turned = speech.turn(_aligned_fold("Thường trực HĐND đánh giá cao …; đồng thời yêu cầu UBND …"))
    assert turned is not None
    assert speech.turn(_aligned_fold("… chỉ ra những hạn chế và yêu cầu cơ quan soạn thảo …"))
    assert speech.turn(_aligned_fold("Sở Y tế tổng hợp, đề nghị Bộ Y tế xem xét.")) is None


def test_a_charge_and_the_parts_between_semicolons() -> None:
    assert speech.charge("chịu trách nhiệm về số liệu báo cáo")
    assert not speech.charge("chịu trách nhiệm tổ chức hội nghị")
    assert speech.semicolon_parts("a b; c (d; e); f.") == ["a b", "c (d; e)", "f."]


def test_what_a_rendering_tells_that_is_no_duty() -> None:
    # the speaker's appraisal or thanks
    assert speech.reported("đánh giá: Năm 2026, dù còn khó khăn, huyện đạt nhiều kết quả.")
    assert speech.reported("ghi nhận, biểu dương kết quả phòng, chống dịch của xã")
    assert speech.reported("trân trọng cảm ơn các sở, ngành đã đồng hành")
    # a body's own report, promise or request
    assert speech.reported("cho biết sẽ hoàn thành đại hội chi bộ trong tháng 3")
    assert speech.reported("khẳng định: Chính quyền phường sẽ rà soát các vướng mắc")
    assert speech.reported("sẽ hỗ trợ kinh phí nếu phường gặp khó khăn")
    assert speech.reported("đề xuất tỉnh bố trí thêm biên chế giáo viên")
    # the meeting or the visit the story is about, when no date sets it ahead
    assert speech.reported("tổ chức kỳ họp thứ 8 HĐND xã khóa XXI")
    assert speech.reported("làm trưởng đoàn đến thăm và làm việc tại xã Tân Lập")
    assert not speech.reported("tổ chức kỳ họp thứ 9 vào ngày 12/12/2026", dated=True)


def test_the_same_shapes_that_stay_duties() -> None:
    # an assessment with its object, a report to deliver, a meeting to hold, work to share
    assert not speech.reported("đánh giá kết quả thực hiện Nghị quyết, báo cáo Ban Thường vụ")
    assert not speech.reported("báo cáo Ban Thường vụ Đảng ủy kết quả kiểm tra")
    assert not speech.reported("tổ chức hội nghị sơ kết công tác dân vận")
    assert not speech.reported("chia sẻ kinh nghiệm tổ chức đại hội điểm với các xã")
    assert not speech.reported("làm tốt công tác tuyên truyền để nhân dân đồng thuận")
    assert not speech.reported("xây dựng kế hoạch để các chi bộ sẽ triển khai trong quý tới")


def test_an_appeal_to_everyone_is_an_aim() -> None:
    assert speech.appeal(fold("… kêu gọi toàn Đảng, toàn dân thực hiện thắng lợi nghị quyết"))
    assert speech.appeal(fold("Đồng chí kêu gọi cán bộ, đảng viên và nhân dân đoàn kết"))
    assert not speech.appeal(fold("Kêu gọi toàn dân …, đồng thời yêu cầu UBND xã rà soát …"))
    assert not speech.appeal(fold("Đề nghị UBND xã kêu gọi doanh nghiệp tài trợ xây nhà"))


def _items(text: str, doc: date = date(2026, 10, 5)) -> list[ParsedItem]:
    return propose_tasks(text, UnitRegistry([]), doc)


def test_a_speakers_dates_in_running_text() -> None:
    items = _items(
        "Phát biểu kết luận, đồng chí Bí thư Tỉnh ủy đề nghị Sở Y tế kiểm tra an toàn thực phẩm"
        " trước Tết Nguyên đán; đề nghị Sở Nội vụ trình đề án sắp xếp trong quý tới."
        "\nĐồng chí đề nghị Sở Tài chính hoàn thành quyết toán từ nay đến cuối năm."
        "\nĐồng chí đề nghị Sở Xây dựng rà soát các hồ chứa xong trước mùa mưa bão."
        "\nĐồng chí đề nghị Sở Công Thương báo cáo tình hình thị trường trước ngày 15."
    )
    due = {item.title.split()[0]: item.deadline for item in items}
    assert due["Kiểm"].due == date(2027, 2, 5)  # the eve of Tết 2027 (06/02)
    assert due["Trình"].due == date(2027, 3, 31)
    assert due["Hoàn"].due == date(2026, 12, 31)
    assert due["Rà"].kind is DeadlineKind.UNREADABLE and "mùa" in (due["Rà"].note or "")
    assert due["Báo"].suggestion == "trước ngày 15/10/2026"


def test_the_same_dates_with_their_year_or_period_stay_as_they_were() -> None:
    items = _items(
        "Các tỉnh ủy ven biển xây dựng kế hoạch ứng phó với bão, hoàn thành trước mùa mưa bão"
        " năm 2026 (trước ngày 30/6/2026).\n"
        "Sở Nội vụ tổng hợp báo cáo định kỳ hằng quý, trình UBND tỉnh trước ngày 15 của tháng"
        " cuối quý.",
        date(2026, 3, 2),
    )
    assert items[0].deadline.due == date(2026, 6, 29)
    assert items[-1].deadline.kind is DeadlineKind.RECURRING


def test_the_meetings_agenda_and_the_aim_of_what_is_told() -> None:
    agenda = fold("Tại hội nghị, các thành viên UBND huyện cho ý kiến vào một số vấn đề như:")
    assert speech.reported("Dự kiến xây dựng thêm 4 xã nông thôn mới", said_before=agenda)
    aim = fold("Hội nghị giao ban được xác định là kênh thông tin quan trọng, góp phần ")
    assert speech.reported("tăng cường sự lãnh đạo của Đảng ủy", said_before=aim)
    # the same verbs addressed to a body, or dated, are duties
    assert not speech.reported("rà soát các dự án chậm tiến độ", said_before=fold("Sở Xây dựng "))
    assert not speech.reported(
        "cho ý kiến vào dự thảo trước ngày 15/11/2026", said_before=agenda, dated=True
    )


def test_a_giao_ban_meeting_is_no_cue() -> None:
    assert not speech.spoken_to(fold("Hội nghị giao ban định kỳ"))
    assert not speech.spoken_to(fold("Sở Giao thông vận tải"))
    assert not speech.spoken_to(fold("Chủ tịch UBND huyện giao ban với Chủ tịch các xã"))
    assert speech.spoken_to(fold("Đồng chí Bí thư giao"))
    assert speech.spoken_to(fold("Bộ Chính trị giao ban thường vụ các tỉnh ủy"))


def test_a_place_name_is_no_agenda_cue() -> None:
    phuong = fold("Chủ tịch UBND các phường Bến Nghé, Bến Thành ")
    assert not speech.reported("chủ động kiểm tra các bãi giữ xe", said_before=phuong)


def test_a_report_of_work_done_a_visit_and_a_count_are_no_duty() -> None:
    assert speech.reported("Đã chỉ đạo các bộ phận chuyên môn tập trung thu ngân sách")
    assert speech.reported("đi kiểm tra việc chuẩn bị lễ khởi công")
    count = fold("Chi bộ thôn Đông hiện có 24 đảng viên, trong đó ")
    assert speech.reported("sinh hoạt thường xuyên", said_before=count)
    # what was given to do, a visit to make when a date sets it, a count the work must reach
    assert not speech.reported("được giao chủ trì tổ chức hội nghị")
    assert not speech.reported("đi kiểm tra các hồ chứa trước ngày 15/5/2027", dated=True)
    assert not speech.reported("phát triển thêm 5 đảng viên", said_before=fold("Chi bộ "))


def test_a_request_to_the_level_above_is_no_duty() -> None:
    assert speech.asks_upward(fold("Tại buổi làm việc, UBND huyện đề nghị Tỉnh ủy, UBND tỉnh"))
    assert speech.asks_upward(fold("Địa phương cũng đề nghị thành phố"))
    assert speech.asks_upward(fold("Chủ tịch UBND tỉnh kiến nghị Bộ Công Thương"))
    # a direction down or across the same level, and "Đảng bộ" / "cán bộ" are no ministry
    assert not speech.asks_upward(fold("Đồng chí Bí thư Tỉnh ủy đề nghị Đảng ủy xã"))
    assert not speech.asks_upward(fold("Thường trực HĐND huyện đề nghị UBND huyện"))
    assert not speech.asks_upward(
        fold("Ban Thường vụ Huyện ủy đề nghị các Đảng bộ trực thuộc Huyện ủy")
    )
    assert not speech.asks_upward(fold("Ban Thường vụ Huyện ủy đề nghị Đảng bộ xã Trần Hợi"))


def test_a_story_keeps_the_speakers_direction_and_drops_the_units_request() -> None:
    items = _items(
        "Sáng 12/3, đồng chí Bí thư Tỉnh ủy làm việc với Đảng ủy xã Tân Lập.\n"
        "UBND huyện đề nghị Tỉnh ủy, UBND tỉnh cho chủ trương điều chỉnh quy hoạch khu dân cư.\n"
        "Phát biểu kết luận, đồng chí Bí thư Tỉnh ủy đề nghị Đảng ủy xã tập trung chỉ đạo thu"
        " hoạch vụ mùa."
    )
    assert [item.title for item in items] == ["Tập trung chỉ đạo thu hoạch vụ mùa"]


def test_a_story_of_a_meeting_gives_only_the_directions() -> None:
    items = _items(
        "HĐND xã Tân Lập tổ chức kỳ họp thứ 8 HĐND xã khóa XXI.\n"
        "Phát biểu kết luận, Chủ tịch UBND huyện đánh giá: Năm 2026, xã đạt nhiều kết quả.\n"
        "Đồng chí Chủ tịch UBND xã khẳng định: Chính quyền xã sẽ tập trung rà soát các tồn tại.\n"
        "Đồng chí kêu gọi toàn Đảng, toàn dân đoàn kết phấn đấu về đích nông thôn mới vào cuối"
        " năm 2026.\n"
        "Đồng chí Chủ tịch UBND huyện đề nghị UBND xã tổ chức hội nghị sơ kết công tác dân vận;"
        " rà soát hộ nghèo."
    )
    assert [(item.unit_text, item.title) for item in items] == [
        ("UBND xã", "Tổ chức hội nghị sơ kết công tác dân vận"),
        ("UBND xã", "Rà soát hộ nghèo"),
    ]


def _read(text: str) -> list[tuple[str, str]]:
    from datetime import date

    from data.importers.prose import propose_tasks
    from data.units import UnitRegistry

    return [
        (t.unit_text, t.title) for t in propose_tasks(text, UnitRegistry([]), date(2027, 1, 10))
    ]


def test_a_commune_named_after_the_cue_owns_the_duty_even_after_a_time() -> None:
    assert _read(
        "Qua kiểm tra, Thường trực Huyện ủy đề nghị xã Phú Lâm cần khắc phục ngay tình trạng "
        "chậm cấp giấy chứng nhận quyền sử dụng đất."
    ) == [("Xã Phú Lâm", "Khắc phục ngay tình trạng chậm cấp giấy chứng nhận quyền sử dụng đất")]
    assert _read(
        "Đồng chí Bí thư đề nghị trong thời gian tới xã Phú Lâm cần khắc phục ngay tình trạng "
        "chậm cấp giấy chứng nhận quyền sử dụng đất."
    ) == [("Xã Phú Lâm", "Khắc phục ngay tình trạng chậm cấp giấy chứng nhận quyền sử dụng đất")]
    # a place that is only where the meeting was held names no owner
    assert _read("Sáng 12/1, Thường trực Huyện ủy làm việc tại xã Phú Lâm.") == []


def test_the_bodies_after_the_speakers_cue_and_colon_are_addressed() -> None:
    assert _read(
        "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị: các xã khẩn trương hoàn thành "
        "việc chi trả tiền hỗ trợ cho người dân; phòng Lao động - Thương binh và Xã hội hướng "
        "dẫn hồ sơ thanh quyết toán."
    ) == [
        ("các xã", "Khẩn trương hoàn thành việc chi trả tiền hỗ trợ cho người dân"),
        ("Phòng Lao động - Thương binh và Xã hội", "Hướng dẫn hồ sơ thanh quyết toán"),
    ]


def test_the_speech_that_opens_the_sentence_and_a_speaker_with_titles_and_company() -> None:
    assert _read(
        "Phát biểu tại buổi làm việc đồng chí Lê Văn Hùng – Phó Bí thư Thường trực Huyện ủy và "
        "đoàn công tác của huyện đề nghị xã Phú Lâm cần chủ động phòng chống dịch bệnh trên đàn "
        "gia súc."
    ) == [("Xã Phú Lâm", "Chủ động phòng chống dịch bệnh trên đàn gia súc")]
    assert _read(
        "Cụ thể, UBND thành phố yêu cầu các địa phương rà soát, thống kê đầy đủ các công trình "
        "vi phạm, xác định rõ trách nhiệm của người đứng đầu."
    ) == [
        ("Các địa phương", "Rà soát, thống kê đầy đủ các công trình vi phạm"),
        ("Các địa phương", "Xác định rõ trách nhiệm của người đứng đầu"),
    ]
    # the speech told, with no one addressed, gives no owner
    assert _read("Phát biểu tại buổi làm việc, đồng chí Lê Văn Hùng đánh giá cao kết quả.") == []


def test_each_sentence_of_a_speakers_colon_list_is_cut_into_its_steps() -> None:
    assert _read(
        "Phát biểu tại buổi làm việc, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm: chủ động "
        "triển khai nghị quyết đại hội. Tăng cường tuyên truyền về phòng chống ma túy; tập trung "
        "lãnh đạo, tổ chức lại sản xuất cho nhân dân, tuyên truyền cho người dân tránh tư tưởng "
        "trông chờ."
    ) == [
        ("Xã Phú Lâm", "Chủ động triển khai nghị quyết đại hội"),
        ("Xã Phú Lâm", "Tăng cường tuyên truyền về phòng chống ma túy"),
        ("Xã Phú Lâm", "Tập trung lãnh đạo, tổ chức lại sản xuất cho nhân dân"),
        ("Xã Phú Lâm", "Tuyên truyền cho người dân tránh tư tưởng trông chờ"),
    ]
    # a colon list in an office's own text keeps one duty a sentence
    assert (
        len(
            _read(
                "Giao Phòng Nội vụ: Chủ trì rà soát hồ sơ cán bộ, tổng hợp danh sách đề nghị khen "
                "thưởng."
            )
        )
        == 1
    )


def test_a_body_that_passes_a_report_or_leads_the_delegation_is_the_meeting_told() -> None:
    assert _read("Tại phiên họp, UBND xã thông qua báo cáo kết quả giải quyết kiến nghị.") == []
    assert _read("Đồng chí Lê Văn Hùng làm trưởng đoàn đến làm việc tại xã Phú Lâm.") == []
    # the same shape with a verb of work is a duty
    assert _read(
        "Thường trực HĐND đề nghị UBND xã rà soát báo cáo kết quả giải quyết kiến nghị."
    ) == [("UBND xã", "Rà soát báo cáo kết quả giải quyết kiến nghị")]


def test_a_speakers_direction_that_lists_its_items_after_that_is_and_a_colon() -> None:
    assert _read(
        "Qua đó đồng chí chỉ đạo thực hiện tốt một số nội dung trong thời gian tới đó là: Các "
        "ngành, đoàn thể tuyên truyền, vận động nhân dân chuyển đổi cây trồng; tăng cường công tác "
        "phòng chống cháy rừng."
    ) == [
        ("Các ngành, đoàn thể", "Tuyên truyền, vận động nhân dân chuyển đổi cây trồng"),
        ("Các ngành, đoàn thể", "Tăng cường công tác phòng chống cháy rừng"),
    ]
    # "đó là:" in a told sentence with no direction names no duty
    assert _read("Kết quả nổi bật đó là: Các ngành, đoàn thể đã hoàn thành kế hoạch năm.") == []


def test_at_the_same_time_names_more_bodies_of_the_direction_in_a_story() -> None:
    tasks = _read(
        "Cụ thể, UBND thành phố yêu cầu các địa phương kiểm tra tất cả các công trình xây dựng."
        "\n\nĐồng thời, các địa phương và đơn vị liên quan rà soát, thống kê đầy đủ các công "
        "trình vi phạm, công khai danh mục công trình vi phạm."
    )
    assert [title for _, title in tasks] == [
        "Kiểm tra tất cả các công trình xây dựng",
        "Rà soát, thống kê đầy đủ các công trình vi phạm",
        "Công khai danh mục công trình vi phạm",
    ]
    # a collective with no direction before it and no joining word stays a courtesy
    assert _read("Các địa phương và đơn vị liên quan quan tâm thực hiện.") == []


def test_a_sentence_of_the_speech_that_turns_to_a_topic_goes_on_with_the_addressee() -> None:
    tasks = _read(
        "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị Phòng Nông nghiệp rà soát diện "
        "tích lúa bị ngập. Đối với đề án trồng cây dược liệu, tiếp tục hoàn thiện hồ sơ giao đất; "
        "đẩy nhanh tiến độ các mô hình điểm."
    )
    assert [title for _, title in tasks] == [
        "Rà soát diện tích lúa bị ngập",
        "Tiếp tục hoàn thiện hồ sơ giao đất",
        "Đẩy nhanh tiến độ các mô hình điểm",
    ]
    assert {owner for owner, _ in tasks} == {"Phòng Nông nghiệp"}
    # a topic with no work after it is no duty
    assert (
        len(
            _read(
                "Kết luận cuộc họp, đồng chí Chủ tịch UBND huyện đề nghị Phòng Nông nghiệp rà soát "
                "diện tích lúa bị ngập. Đối với đề án trồng cây dược liệu, kết quả còn thấp."
            )
        )
        == 1
    )


def test_a_sentence_of_the_speech_may_open_with_a_verb_the_owner_stage_does_not_need() -> None:
    tasks = _read(
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm cần chú trọng công tác "
        "vệ sinh môi trường. Quản lý tốt hành lang an toàn giao thông. Có biện pháp bảo vệ an "
        "toàn cho người dân vùng trũng."
    )
    assert [title for _, title in tasks] == [
        "Chú trọng công tác vệ sinh môi trường",
        "Quản lý tốt hành lang an toàn giao thông",
        "Có biện pháp bảo vệ an toàn cho người dân vùng trũng",
    ]
    # a state after the direction ("Có nhiều …") is no duty
    state = (
        "Phát biểu kết luận, đồng chí Bí thư Huyện ủy đề nghị xã Phú Lâm cần chú trọng công tác "
        "vệ sinh môi trường. Có nhiều hộ dân chưa chấp hành."
    )
    assert len(_read(state)) == 1


def test_what_a_voter_reports_and_what_delegates_discuss_are_no_duty() -> None:
    assert speech.reported("phản ánh, thôn này ở xa trung tâm xã, đường giao thông còn khó khăn")
    assert speech.reported("cho biết, năm 2026 xã phấn đấu về đích nông thôn mới nâng cao")
    assert speech.reported("tham gia ý kiến tại cuộc họp")
    # the same verbs with their own work stay duties
    assert not speech.reported("tham gia đoàn kiểm tra của huyện")
    assert not speech.reported("góp phần xây dựng nông thôn mới")
